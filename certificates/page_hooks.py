"""What certificates add to the learner's pages (``courses.extension_points``): the transcript
and board links, each board's current cycle and each completed course's certificate line on the
dashboard (``DASHBOARD``), and the same line in a completed course's panel (``COURSE_PAGE``). A
line still being prepared updates itself (static/js/site.js polls ``certificates:status``)."""

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
    PageAdditions,
    certificate_links,
)
from courses.models import CoursePage, ModulePage
from enrollments.selectors import enrollment_for

LINE = "certificates/dashboard_certificate.html"


def can_renew(certificate: Certificate | None) -> bool:
    horizon = timezone.localdate() + timedelta(days=RENEWAL_WINDOW_DAYS)
    return bool(
        certificate
        and certificate.status == CertificateStatus.ISSUED
        and certificate.expires_on
        and certificate.expires_on <= horizon
    )


def certificate_line(
    request: HttpRequest, *, enrollment_id: int, certificate: Certificate
) -> Fragment:
    """One course's certificate line: its state, download, verification and other apps' links."""
    return Fragment(
        LINE,
        {
            "certificate": certificate,
            "enrollment_id": enrollment_id,
            "can_renew": can_renew(certificate),
            "statuses": CertificateStatus,
            "links": certificate_links(request, certificate),
        },
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
    rows = {}
    for enrollment in enrollments:
        certificate = by_key.get((enrollment.pk, enrollment.cycle))
        if certificate is not None:
            rows[enrollment.pk] = certificate_line(
                request, enrollment_id=enrollment.pk, certificate=certificate
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


def course_page(
    request: HttpRequest, course: CoursePage, *, modules: Sequence[ModulePage]
) -> PageAdditions | None:
    """A completed course's panel shows its certificate line (one query, signed-in only)."""
    enrollment = enrollment_for(request, course)  # the panel's own lookup, not a query more
    if enrollment is None or enrollment.completed_at is None:
        return None
    certificate = Certificate.objects.filter(enrollment=enrollment, cycle=enrollment.cycle).first()
    if certificate is None:
        return None
    certificate.enrollment = enrollment
    return PageAdditions(
        panel=certificate_line(
            request, enrollment_id=certificate.enrollment_id, certificate=certificate
        )
    )
