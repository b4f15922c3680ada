"""What certificates add to the learner's dashboard (``courses.extension_points.DASHBOARD``)."""

from collections.abc import Sequence
from datetime import timedelta

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from certificates.constants import RENEWAL_WINDOW_DAYS
from certificates.models import Certificate, CertificateStatus
from certificates.selectors import board_progress, revision_notices
from courses.extension_points import (
    DashboardAdditions,
    Fragment,
    HasEnrollmentFields,
    Link,
    certificate_links,
)


def dashboard(
    request: HttpRequest, *, enrollments: Sequence[HasEnrollmentFields]
) -> DashboardAdditions:
    """The transcript and board links, each board's current cycle, and each completed course's
    certificate (one query)."""
    links = (Link(_("Transcript and credit totals"), reverse("certificates:transcript")),
             Link(_("Board certifications"), reverse("certificates:boards")))  # fmt: skip
    user = request.user
    progress = board_progress(user, today=timezone.localdate()) if isinstance(user, User) else []
    sections: tuple[Fragment, ...] = (
        (Fragment("certificates/includes/board_progress.html", {"progress": progress}),)
        if progress
        else ()
    )
    sections += revision_notice_sections(request)
    if not enrollments:
        return DashboardAdditions(links=links, sections=sections)
    by_key = {
        (certificate.enrollment_id, certificate.cycle): certificate
        for certificate in Certificate.objects.filter(
            enrollment__in=[e.pk for e in enrollments]
        ).select_related("enrollment")
    }
    horizon = timezone.localdate() + timedelta(days=RENEWAL_WINDOW_DAYS)
    rows = {}
    for enrollment in enrollments:
        certificate = by_key.get((enrollment.pk, enrollment.cycle))
        if certificate is None:
            continue
        can_renew = bool(
            certificate.status == CertificateStatus.ISSUED
            and certificate.expires_on
            and certificate.expires_on <= horizon
        )
        rows[enrollment.pk] = Fragment(
            "certificates/dashboard_certificate.html",
            {
                "certificate": certificate,
                "can_renew": can_renew,
                "statuses": CertificateStatus,
                "links": certificate_links(request, certificate),
            },
        )
    return DashboardAdditions(links=links, rows=rows, sections=sections)


def revision_notice_sections(request: HttpRequest) -> tuple[Fragment, ...]:
    """New editions that cover a newer ICH E6 revision than the learner's GCP certificate."""
    if not isinstance(request.user, User):
        return ()
    notices = revision_notices(request.user)
    if not notices:
        return ()
    return (Fragment("certificates/revision_notices.html", {"revision_notices": notices}),)
