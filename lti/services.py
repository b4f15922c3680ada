"""LTI launches, deep linking and grade passback.

A launch is trusted only after pylti1p3 has checked state, nonce, issuer, audience (client id),
signature and expiry against the registered platform, and our tool config has found the
deployment registered and active. Then, in one transaction: the person (linked by the platform's
user id, else matched by email, else created: never a second account), their enrollment in the
course the link names, and where grades go back. Anything refused leaves nothing behind.
"""

import json
import logging
from dataclasses import dataclass
from datetime import UTC
from urllib.parse import urlsplit, urlunsplit

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lti_tool.models import LtiRegistration, LtiUser
from pylti1p3.service_connector import ServiceConnector

from accounts.models import User
from courses.models import CoursePage
from enrollments.models import Enrollment, EnrollmentStatus
from enrollments.services import EnrollmentRefused, enroll
from lti import tool
from lti.http import PlatformSession
from lti.models import GradeLink

logger = logging.getLogger(__name__)

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
CUSTOM = CLAIM + "custom"
ROLES = CLAIM + "roles"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
TEACHING_ROLES = (
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
    "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper",
    "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator",
    "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
)
NONCE_SECONDS = 24 * 3600


class LaunchRefused(Exception):
    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class LaunchResult:
    user: object
    course: CoursePage
    enrollment: Enrollment


def consume_nonce(*, issuer: str, nonce: str) -> None:
    """A launch's id_token is good once: the second use of its nonce is a replay."""
    if not cache.add(f"lti:nonce-used:{issuer}:{nonce}", 1, timeout=NONCE_SECONDS):
        raise LaunchRefused(_("This launch has already been used. Start again from your LMS."))


def course_for_launch(claims: dict) -> CoursePage:
    code = str((claims.get(CUSTOM) or {}).get("course", "")).strip()
    course = (
        CoursePage.objects.live().in_default_locale().filter(code=code).first() if code else None
    )
    if course is None:
        raise LaunchRefused(
            _("This link does not name a course of ours. Ask your LMS administrator to place "
              "it again."),
            status=404,
        )  # fmt: skip
    return course


def user_for_launch(*, lti_registration: LtiRegistration, claims: dict) -> User:
    """The person the platform launched: linked by its user id, matched by email, or new.

    A staff account never signs in through a launch (it must pass our own sign-in and MFA).
    """
    User = get_user_model()
    sub = str(claims.get("sub") or "")
    if not sub:
        raise LaunchRefused(_("The platform did not say who you are (no user id)."))
    linked = (
        LtiUser.objects.select_related("auth_user")
        .filter(registration=lti_registration, sub=sub, auth_user__isnull=False)
        .first()
    )
    if linked:
        user = linked.auth_user
    else:
        email = str(claims.get("email") or "").strip().lower()
        if not email:
            raise LaunchRefused(
                _("Your LMS did not share your email address, which we need to create your "
                  "account. Ask its administrator to share name and email with this tool.")
            )  # fmt: skip
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            try:
                with transaction.atomic():
                    user = User.objects.create_user(
                        email=email, password=None, full_name=str(claims.get("name") or "")[:200]
                    )
            except IntegrityError:
                user = User.objects.get(email__iexact=email)
    if user.is_staff or user.is_superuser:
        raise LaunchRefused(
            _("Staff accounts cannot be signed in from an LMS. Sign in here with your password "
              "and authenticator app.")
        )  # fmt: skip
    if not user.is_active:
        raise LaunchRefused(_("This account is disabled."))
    LtiUser.objects.update_or_create(
        registration=lti_registration,
        sub=sub,
        defaults={
            "auth_user": user,
            "email": str(claims.get("email") or "")[:254],
            "name": str(claims.get("name") or "")[:500],
            "given_name": str(claims.get("given_name") or "")[:500],
            "family_name": str(claims.get("family_name") or "")[:500],
        },
    )
    return user


def _grade_link(*, enrollment: Enrollment, lti_registration: LtiRegistration, claims: dict) -> None:
    endpoint = claims.get(AGS) or {}
    lineitem = endpoint.get("lineitem")
    scopes = endpoint.get("scope") or []
    if not lineitem or SCORE_SCOPE not in scopes:
        return
    GradeLink.objects.update_or_create(
        enrollment=enrollment,
        lineitem_url=lineitem,
        defaults={
            "registration": lti_registration,
            "platform_user_id": str(claims["sub"]),
            "scopes": scopes,
        },
    )


@transaction.atomic
def resource_launch(*, lti_registration: LtiRegistration, claims: dict) -> LaunchResult:
    """Sign-in target, enrollment and grade link for a verified resource-link launch."""
    course = course_for_launch(claims)
    user = user_for_launch(lti_registration=lti_registration, claims=claims)
    try:
        enrollment, _created = enroll(user=user, course=course)
    except EnrollmentRefused as error:
        raise LaunchRefused(error.message, status=409) from error
    _grade_link(enrollment=enrollment, lti_registration=lti_registration, claims=claims)
    return LaunchResult(user=user, course=course, enrollment=enrollment)


def may_deep_link(claims: dict) -> bool:
    roles = claims.get(ROLES) or []
    return any(role in TEACHING_ROLES for role in roles)


# --- Grade passback ---------------------------------------------------------------------------


def scores_url(lineitem_url: str) -> str:
    """AGS: the scores endpoint is the line item's path plus ``/scores`` (query kept)."""
    parts = urlsplit(lineitem_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def enqueue_scores(*, enrollment_id: int) -> int:
    """The ``course_completed`` receiver: one passback task per grade link of the enrollment."""
    from lti.tasks import post_score

    queued = 0
    for link_id in GradeLink.objects.filter(enrollment_id=enrollment_id).values_list(
        "pk", flat=True
    ):
        try:
            post_score.apply_async(args=[link_id], retry=False)
            queued += 1
        except Exception as exc:  # noqa: BLE001 - the sweep posts whatever was not enqueued
            logger.warning("Could not enqueue score for grade link %s (%s)", link_id, exc)
    return queued


def post_score(*, link_id: int) -> bool:
    """Post the completed enrollment's score to the platform's gradebook, once per cycle.

    Raises on any transport or platform error so the task retries with backoff.
    """
    link = GradeLink.objects.select_related("enrollment", "registration").get(pk=link_id)
    enrollment = link.enrollment
    if enrollment.status != EnrollmentStatus.COMPLETED or link.posted_cycle == enrollment.cycle:
        return False
    score = enrollment.post_test_best_score
    completed = enrollment.completed_at or timezone.now()
    payload = {
        "userId": link.platform_user_id,
        "scoreGiven": float(score) if score is not None else 100.0,
        "scoreMaximum": 100.0,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": completed.astimezone(UTC).isoformat(timespec="milliseconds"),
    }
    connector = ServiceConnector(
        tool.to_registration(link.registration), requests_session=PlatformSession()
    )
    try:
        connector.make_service_request(
            [SCORE_SCOPE], scores_url(link.lineitem_url), is_post=True,
            data=json.dumps(payload), content_type=SCORE_TYPE,
        )  # fmt: skip
    except Exception as error:
        GradeLink.objects.filter(pk=link.pk).update(last_error=str(error)[:2000])
        raise
    GradeLink.objects.filter(pk=link.pk).update(
        posted_at=timezone.now(), posted_cycle=enrollment.cycle, last_error=""
    )
    return True


def pending_grade_links() -> list[int]:
    """Completed enrollments whose score has not reached the platform for this cycle."""
    return [
        link.pk
        for link in GradeLink.objects.select_related("enrollment").filter(
            enrollment__status=EnrollmentStatus.COMPLETED
        )[:1000]
        if link.posted_cycle != link.enrollment.cycle
    ]
