"""Writes of the coordinator pages: study rosters, and the monthly digest of expiring training."""

import datetime
import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from certificates.constants import EXPIRY_HORIZON_DAYS
from coordinators import selectors
from coordinators.models import CoordinatorDigest, DigestStatus, StudyRoster
from courses.models import CoursePage
from infrastructure.tasks import PartialFailure
from organizations.models import Membership, Organization, Role

logger = logging.getLogger(__name__)

MAIL_ERRORS = (smtplib.SMTPException, OSError)


@transaction.atomic
def create_study_roster(
    *,
    organization: Organization,
    name: str,
    on_date: datetime.date,
    courses: list[CoursePage],
    created_by: Any,
) -> StudyRoster:
    """Save a named "trained on this date in these courses" question for the organization."""
    roster = StudyRoster.objects.create(
        organization=organization, name=name, on_date=on_date, created_by=created_by
    )
    roster.courses.set(courses)
    return roster


def send_monthly_digests(*, today: datetime.date | None = None) -> int:
    """Each coordinator gets, once a month, the list of their organization's certificates that
    expire within the horizon (``certificates.constants.EXPIRY_HORIZON_DAYS``); none when nothing
    expires. Each mail is recorded sent or failed (with its error); a failed one is tried again
    by the retries and later runs of the month. Raises PartialFailure when any failed. Returns
    how many were sent."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    sent = failed = 0
    coordinators = (
        Membership.objects.filter(role=Role.COORDINATOR, user__is_active=True)
        .select_related("user", "organization")
        .order_by("organization_id", "pk")
    )
    done = set(
        CoordinatorDigest.objects.filter(month=month, status=DigestStatus.SENT).values_list(
            "user_id", "organization_id"
        )
    )
    expiring_by_org: dict[int, list] = {}
    for membership in coordinators:
        if (membership.user_id, membership.organization_id) in done:
            continue
        organization = membership.organization
        if organization.pk not in expiring_by_org:
            expiring_by_org[organization.pk] = selectors.expiring_certificates(
                organization, today=today
            )
        expiring = expiring_by_org[organization.pk]
        if not expiring:
            continue
        try:
            _mail_digest(membership, expiring, today=today)
        except MAIL_ERRORS as error:
            logger.warning("Coordinator digest to %s not sent: %r", membership.user_id, error)
            CoordinatorDigest.objects.update_or_create(
                user=membership.user, organization=organization, month=month,
                defaults={"status": DigestStatus.FAILED, "expiring": len(expiring),
                          "last_error": f"{type(error).__name__}: {error}"[:2000]},
            )  # fmt: skip
            failed += 1
            continue
        CoordinatorDigest.objects.update_or_create(
            user=membership.user, organization=organization, month=month,
            defaults={"status": DigestStatus.SENT, "expiring": len(expiring), "last_error": ""},
        )  # fmt: skip
        sent += 1
    if failed:
        raise PartialFailure(f"{failed} coordinator digest(s) not sent; {sent} sent")
    return sent


def _mail_digest(membership: Membership, expiring: list, *, today: datetime.date) -> None:
    context = {
        "organization": membership.organization,
        "coordinator": membership.user,
        "rows": [
            {
                "name": c.learner_name or c.enrollment.user.get_full_name(),
                "email": c.enrollment.user.email,
                "course": " ".join(filter(None, (c.course_code, c.course_title))),
                "expires_on": c.expires_on,
                "days": (c.expires_on - today).days,
            }
            for c in expiring
        ],  # fmt: skip
        "url": f"{settings.SITE_URL}/site/{membership.organization_id}/",
        "today": today,
        "horizon": EXPIRY_HORIZON_DAYS,
    }
    send_mail(
        render_to_string("coordinators/email/digest_subject.txt", context).strip(),
        render_to_string("coordinators/email/digest_message.txt", context),
        None,
        [membership.user.email],
    )
