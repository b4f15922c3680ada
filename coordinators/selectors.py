"""What a site coordinator reads: their organization's people, each course's status and
certificate, and whether each person was trained on a date in a set of courses."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from certificates.constants import EXPIRY_HORIZON_DAYS
from certificates.models import Certificate, CertificateStatus
from certificates.selectors import GCP_VALID, gcp_standing
from courses.models import CoursePage
from courses.selectors import EditionFamilies, edition_families
from enrollments.models import Enrollment, EnrollmentStatus
from organizations.models import Membership, Organization


class Standing:
    """A certificate's standing on the roster (the certificate's own validity and expiry)."""

    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"
    PENDING = "pending"
    NONE = "none"


@dataclass
class CourseLine:
    enrollment: Enrollment
    certificate: Certificate | None
    standing: str
    standing_label: str
    gcp: str  # "" for a course that is not GCP training


@dataclass
class Person:
    membership: Membership
    lines: list[CourseLine] = field(default_factory=list)

    @property
    def user(self) -> Any:
        return self.membership.user


def _members(organization: Organization) -> list[Membership]:
    return list(
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def _newest_certificates(enrollment_ids: list[int]) -> dict[int, Certificate]:
    """Each enrollment's newest certificate that is not pending (one query)."""
    newest: dict[int, Certificate] = {}
    rows = (
        Certificate.objects.filter(enrollment_id__in=enrollment_ids)
        .exclude(status=CertificateStatus.PENDING)
        .order_by("enrollment_id", "cycle", "pk")
    )
    for certificate in rows:
        newest[certificate.enrollment_id] = certificate
    return newest


def certificate_standing(
    certificate: Certificate | None, *, today: datetime.date
) -> tuple[str, str]:
    """(standing, what the roster says) of a course's newest certificate."""
    if certificate is None:
        return Standing.NONE, _("no certificate")
    if certificate.status == CertificateStatus.REVOKED:
        return Standing.REVOKED, _("revoked")
    if certificate.is_expired(today):
        return Standing.EXPIRED, _("expired on %(date)s") % {"date": certificate.expires_on}
    if certificate.expires_on is None:
        return Standing.VALID, _("valid")
    if (certificate.expires_on - today).days <= EXPIRY_HORIZON_DAYS:
        return Standing.EXPIRING, _("valid until %(date)s (expiring)") % {
            "date": certificate.expires_on
        }
    return Standing.VALID, _("valid until %(date)s") % {"date": certificate.expires_on}


def people(organization: Organization, *, today: datetime.date) -> list[Person]:
    """The organization's people, each enrollment with its newest certificate's standing today
    and, for GCP courses, whether GCP training is valid today. Five queries, however many."""
    members = _members(organization)
    user_ids = [m.user_id for m in members]
    enrollments = list(
        Enrollment.objects.filter(user_id__in=user_ids)
        .select_related("course")
        .only("id", "user_id", "status", "completed_at", "course__code", "course__title",
              "course__is_gcp")
        .order_by("course__code")
    )  # fmt: skip
    certificates = _newest_certificates([e.pk for e in enrollments])
    families = edition_families()
    gcp = gcp_standing(user_ids=user_ids, on_date=today, families=families)
    by_user: dict[int, list[CourseLine]] = defaultdict(list)
    for enrollment in enrollments:
        certificate = certificates.get(enrollment.pk)
        standing, label = certificate_standing(certificate, today=today)
        if enrollment.status != EnrollmentStatus.COMPLETED and certificate is None:
            standing, label = Standing.NONE, _("in progress")
        gcp_label = ""
        if enrollment.course.is_gcp:
            verdict = gcp.get((enrollment.user_id, families.root_of(enrollment.course_id)))
            gcp_label = _("valid") if verdict == GCP_VALID else (verdict or _("NOT valid"))
        by_user[enrollment.user_id].append(
            CourseLine(enrollment, certificate, standing, label, gcp_label)
        )
    return [Person(m, by_user.get(m.user_id, [])) for m in members]


def person(organization: Organization, user_id: int, *, today: datetime.date) -> Person | None:
    """One member of the organization (None for anyone else)."""
    for entry in people(organization, today=today):
        if entry.membership.user_id == user_id:
            return entry
    return None


# --- Trained on a date --------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseVerdict:
    course: CoursePage
    trained: bool
    reason: str


@dataclass(frozen=True)
class RosterRow:
    membership: Membership
    verdicts: tuple[CourseVerdict, ...]

    @property
    def user(self) -> Any:
        return self.membership.user

    @property
    def trained(self) -> bool:
        return all(v.trained for v in self.verdicts)

    @property
    def reasons(self) -> str:
        return "; ".join(
            f"{v.course.code}: {v.reason}" for v in self.verdicts if not v.trained or v.reason
        )


def _why_not(certificates: list[Certificate], *, on_date: datetime.date, enrolled: bool) -> str:
    """Why no certificate of the course made the person trained on ``on_date``."""
    counted = [c for c in certificates if c.status != CertificateStatus.REVOKED]
    lapsed = [c for c in counted if c.completed_on and c.completed_on <= on_date]
    if lapsed:
        latest = max(c.expires_on or on_date for c in lapsed)
        return _("expired on %(date)s") % {"date": latest}
    later = [c.completed_on for c in counted if c.completed_on and c.completed_on > on_date]
    if later:
        return _("completed on %(date)s, after the date") % {"date": min(later)}
    if certificates:
        return _("certificate revoked")
    if enrolled:
        return _("not completed")
    return _("not enrolled")


def trained_on(
    organization: Organization,
    *,
    on_date: datetime.date,
    courses: list[CoursePage],
    families: EditionFamilies | None = None,
) -> list[RosterRow]:
    """For each member: trained on ``on_date`` in every one of ``courses``, or why not.

    Trained in a course: a certificate of any edition of it (or of a refresher of it) completed
    by ``on_date`` and not expired on it (``certificates.selectors.gcp_standing``: a certificate
    is valid through its expiry date). A certificate on an older ICH E6 revision than the course's
    newest edition still counts, marked "due". Five queries, however many people and courses.
    """
    families = families or edition_families()
    members = _members(organization)
    user_ids = [m.user_id for m in members]
    standing = gcp_standing(user_ids=user_ids, on_date=on_date, families=families)
    roots = {families.root_of(c.pk) for c in courses}
    family_ids = [cid for cid, root in families.root.items() if root in roots] + list(roots)
    certificates: dict[tuple[int, int], list[Certificate]] = defaultdict(list)
    rows = Certificate.objects.filter(
        Q(enrollment__user_id__in=user_ids),
        enrollment__course_id__in=family_ids,
        status__in=[
            CertificateStatus.ISSUED,
            CertificateStatus.ARCHIVED,
            CertificateStatus.REVOKED,
        ],
    ).only("enrollment__user_id", "enrollment__course_id", "status", "completed_on", "expires_on")
    for certificate in rows.select_related("enrollment"):
        key = (certificate.enrollment.user_id, families.root_of(certificate.enrollment.course_id))
        certificates[key].append(certificate)
    enrolled = {
        (user_id, families.root_of(course_id))
        for user_id, course_id in Enrollment.objects.filter(
            user_id__in=user_ids, course_id__in=family_ids
        ).values_list("user_id", "course_id")
    }
    result = []
    for membership in members:
        verdicts = []
        for course in courses:
            key = (membership.user_id, families.root_of(course.pk))
            verdict = standing.get(key)
            if verdict == GCP_VALID:
                verdicts.append(CourseVerdict(course, True, ""))
            elif verdict:  # valid, but on an older ICH E6 revision
                verdicts.append(CourseVerdict(course, True, verdict))
            else:
                reason = _why_not(certificates[key], on_date=on_date, enrolled=key in enrolled)
                verdicts.append(CourseVerdict(course, False, reason))
        result.append(RosterRow(membership, tuple(verdicts)))
    return result


def course_choices() -> list[CoursePage]:
    """The courses a study may ask for: the live catalog, by code."""
    return list(
        CoursePage.objects.live().in_default_locale().only("id", "code", "title").order_by("code")
    )


# --- Monthly digest -----------------------------------------------------------------------------


def expiring_certificates(organization: Organization, *, today: datetime.date) -> list[Certificate]:
    """The organization's people's issued certificates expiring from today to the horizon
    (``certificates.constants.EXPIRY_HORIZON_DAYS``), soonest first. One query."""
    horizon = today + datetime.timedelta(days=EXPIRY_HORIZON_DAYS)
    return list(
        Certificate.objects.expiring_between(today, horizon)
        .filter(enrollment__user__membership__organization=organization)
        .select_related("enrollment__user")
        .order_by("expires_on", "enrollment__user__full_name", "pk")
    )
