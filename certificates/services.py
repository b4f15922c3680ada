"""Issuing, revoking, reissuing and renewing certificates. Each write is one transaction."""

import hashlib
import logging
import smtplib
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Site

from accounts.models import User
from certificates.constants import (
    REMINDER_DAYS,
    REMINDER_MAX_ATTEMPTS,
    REMINDER_SENDING_TIMEOUT_MINUTES,
    RENEWAL_WINDOW_DAYS,
)
from certificates.models import (
    Board,
    BoardCertification,
    Certificate,
    CertificateEvent,
    CertificateFile,
    CertificateKind,
    CertificateSignature,
    CertificateStatus,
    ExpiryReminder,
    ReminderStatus,
    RevisionNotice,
)
from certificates.pdf import RenderError, render_certificate_pdf
from certificates.signals import certificate_issued
from courses.models import CoursePage, localized_page
from courses.selectors import edition_families, revision_key
from enrollments import services as enrollment_services
from enrollments.models import Enrollment, EnrollmentStatus
from home.models import SiteSettings
from infrastructure.caching import bump_version
from infrastructure.tasks import PartialFailure

logger = logging.getLogger(__name__)

MAIL_ERRORS = (smtplib.SMTPException, OSError)  # refused, unreachable, timed out
MAIL_NOT_SENT = "Mail not sent:"


class CertificateError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Eligibility and creation -----------------------------------------------------------------


def certificate_eligibility(enrollment: Enrollment) -> list[str]:
    """Why this enrollment may not have a certificate (empty when it may). Each reason logged."""
    reasons = []
    if enrollment.status != EnrollmentStatus.COMPLETED:
        reasons.append("enrollment is not completed")
    if not enrollment.user.is_active:
        reasons.append("learner account is inactive")
    for reason in reasons:
        logger.info("No certificate for enrollment %s: %s", enrollment.pk, reason)
    return reasons


def create_pending_certificate(*, enrollment_id: int) -> Certificate | None:
    """The ``course_completed`` receiver: one pending certificate per enrollment cycle.

    Enqueues issuing after commit; if the broker is down the sweep issues it later.
    """
    enrollment = Enrollment.objects.select_related("user").get(pk=enrollment_id)
    if certificate_eligibility(enrollment):
        return None
    try:
        with transaction.atomic():
            certificate, _ = Certificate.objects.get_or_create(
                enrollment=enrollment, cycle=enrollment.cycle
            )
    except IntegrityError:
        certificate = Certificate.objects.get(enrollment=enrollment, cycle=enrollment.cycle)
    if certificate.status == CertificateStatus.PENDING:
        transaction.on_commit(lambda: enqueue_issue(certificate.pk))
    return certificate


def enqueue_issue(certificate_id: int) -> bool:
    """Send ``issue_certificate`` to the broker without waiting on a broker that is down."""
    from certificates.tasks import issue_certificate

    try:
        issue_certificate.apply_async(args=[certificate_id], retry=False)
    except Exception as exc:  # noqa: BLE001 - the sweep retries whatever was not enqueued
        logger.warning("Could not enqueue certificate %s (%s); the sweep will", certificate_id, exc)
        return False
    return True


# --- Issuing ----------------------------------------------------------------------------------


def _settings_for_site() -> SiteSettings:
    site = Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site)


def _licence_ids(user: User) -> str:
    parts = []
    if user.arrt_id:
        parts.append(f"ARRT ID {user.arrt_id}")
    if user.nmtcb_id:
        parts.append(f"NMTCB ID {user.nmtcb_id}")
    return " · ".join(parts)


MAX_SIGNATURE_BYTES = 512 * 1024
SIGNATURE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
                   "gif": "image/gif", "webp": "image/webp", "svg": "image/svg+xml"}  # fmt: skip


def _signature(site_settings: SiteSettings) -> CertificateSignature | None:
    """The settings' signature image as printed, stored once per distinct image."""
    image = site_settings.signature_image
    if image is None:
        return None
    extension = image.file.name.rsplit(".", 1)[-1].lower()
    content_type = SIGNATURE_TYPES.get(extension)
    try:
        with image.file.open("rb") as handle:
            data = handle.read(MAX_SIGNATURE_BYTES + 1)
    except OSError as error:
        logger.error("Signature image %s cannot be read: %s", image.pk, error)
        return None
    if content_type is None or len(data) > MAX_SIGNATURE_BYTES:
        logger.error("Signature image %s is not a small PNG, JPEG, GIF, WebP or SVG", image.pk)
        return None
    digest = hashlib.sha256(data).hexdigest()
    try:
        with transaction.atomic():
            signature, _ = CertificateSignature.objects.get_or_create(
                sha256=digest, defaults={"content_type": content_type, "data": data}
            )
    except IntegrityError:
        signature = CertificateSignature.objects.get(sha256=digest)
    return signature


def credit_for_profession(course: CoursePage, *, profession: str, provider: str) -> dict[str, Any]:
    """What a learner of this profession may claim from the course, and what they are told.

    ``credits``: the credit types whose professions include theirs, with amount, statement and
    activity identifier. ``participation``: the other credit types that carry a statement for
    other professions (AMA PRA Category 1 for a non-physician: "designated for N credits"), which
    award nothing. ``kind``: credit if they may claim any credit, completion otherwise.
    """
    claimable, participation = [], []
    for credit in course.credits.select_related("credit_type").order_by("sort_order", "pk"):
        credit_type = credit.credit_type
        entry = {
            "code": credit_type.code,
            "name": credit_type.name,
            "short_name": credit_type.short_name,
            "hours": credit.hours_display,
            "activity_id": credit.activity_id,
            "activity_id_label": credit_type.activity_id_label,
        }
        if credit_type.may_claim(profession):
            claimable.append({**entry, "statement": credit.statement_for(provider)})
        elif credit_type.participation_statement:
            statement = credit.participation_statement_for(provider)
            participation.append({**entry, "statement": statement})
    kind = CertificateKind.CREDIT if claimable else CertificateKind.COMPLETION
    return {"credits": claimable, "participation": participation, "kind": kind}


def snapshot(certificate: Certificate) -> None:
    """Copy what the certificate states from the course, the learner and the site settings.

    The credit printed depends on the learner's profession at issue (``credit_for_profession``).
    """
    enrollment = certificate.enrollment
    course = enrollment.course.specific
    site_settings = _settings_for_site()
    user = enrollment.user
    provider = site_settings.organization_name
    certificate.learner_name = user.name_for_certificate
    certificate.learner_profession = user.profession
    certificate.licence_ids = _licence_ids(user)
    certificate.course_code = course.code
    certificate.course_title = course.title
    certificate.program_title = course.get_parent().title
    certificate.provider = provider
    certificate.signatory_name = site_settings.signatory_name
    certificate.signatory_title = site_settings.signatory_title
    certificate.signature = _signature(site_settings)
    certificate.is_gcp = course.is_gcp
    certificate.course_version = course.course_version
    certificate.ich_e6_revision = course.ich_e6_revision
    awarded = credit_for_profession(course, profession=user.profession, provider=provider)
    certificate.credits = awarded["credits"]
    certificate.participation = awarded["participation"]
    certificate.kind = awarded["kind"]
    completed = timezone.localdate(enrollment.completed_at or timezone.now())
    certificate.completed_on = completed
    months = course.certificate_validity_months
    certificate.expires_on = _add_months(completed, months) if months else None


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


def _store_pdf(
    certificate: Certificate, pdf: bytes, *, reason: str, actor: User | None = None
) -> CertificateFile:
    digest = hashlib.sha256(pdf).hexdigest()
    stored = CertificateFile(certificate=certificate, sha256=digest, size=len(pdf), reason=reason)
    stored.created_by = actor
    # A deterministic name: a task killed after writing and before committing overwrites it.
    stored.file.save(f"{certificate.code}/{digest[:16]}.pdf", ContentFile(pdf), save=False)
    stored.save()
    return stored


def issue_certificate(*, certificate_id: int) -> Certificate:
    """Render, store and mark issued: idempotent, whoever runs it and however often.

    The row lock serializes concurrent workers; the second finds it issued and does nothing.
    The mail goes once: a conditional UPDATE claims it after the commit.
    """
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update()
            .select_related("enrollment__user", "enrollment__course")
            .get(pk=certificate_id)
        )
        if certificate.status != CertificateStatus.PENDING:
            logger.info("Certificate %s is %s: nothing to do", certificate.pk, certificate.status)
            return certificate
        snapshot(certificate)
        try:
            pdf = render_certificate_pdf(certificate)
        except RenderError as error:
            Certificate.objects.filter(pk=certificate.pk).update(
                status=CertificateStatus.ERROR, last_error=str(error)[:2000]
            )
            CertificateEvent.objects.create(
                certificate=certificate, action="error", note=str(error)[:2000]
            )
            logger.error("Certificate %s failed to render: %s", certificate.pk, error)
            certificate.status = CertificateStatus.ERROR
            return certificate
        _store_pdf(certificate, pdf, reason="issued")
        certificate.status = CertificateStatus.ISSUED
        certificate.issued_at = timezone.now()
        certificate.last_error = ""
        certificate.save()
        CertificateEvent.objects.create(certificate=certificate, action="issued")
        certificate_issued.send(sender=Certificate, certificate=certificate)
        renew_by_refresher(certificate=certificate)
    send_issued_email(certificate_id=certificate.pk)
    return certificate


def send_issued_email(*, certificate_id: int) -> bool:
    claimed = Certificate.objects.filter(
        pk=certificate_id, status=CertificateStatus.ISSUED, emailed_at__isnull=True
    ).update(emailed_at=timezone.now())
    if not claimed:
        return False
    certificate = Certificate.objects.select_related("enrollment__user").get(pk=certificate_id)
    user = certificate.enrollment.user
    try:
        # In the recipient's language (their links too: Spanish pages live under /es/).
        with translation.override(user.language):
            context = {
                "certificate": certificate,
                "user": user,
                "site_url": settings.SITE_URL,
                "download_url": f"{settings.SITE_URL}{certificate.get_download_url()}",
            }
            subject = _("Your certificate: %(code)s %(title)s") % {
                "code": certificate.course_code,
                "title": certificate.course_title,
            }
            message = render_to_string("certificates/email/issued.txt", context)
        send_mail(
            subject=subject,
            message=message,
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:
        Certificate.objects.filter(pk=certificate_id).update(emailed_at=None)
        raise
    CertificateEvent.objects.create(certificate=certificate, action="emailed", note=user.email)
    Certificate.objects.filter(pk=certificate_id, last_error__startswith=MAIL_NOT_SENT).update(
        last_error=""
    )
    return True


# --- Administration ---------------------------------------------------------------------------


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, actor: User, reason: str) -> Certificate:
    """Revoke with a reason; the verification page says so from then on."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError("Give a reason for revoking the certificate.")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == CertificateStatus.REVOKED:
        raise CertificateError("This certificate is already revoked.")
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revoke_reason = reason
    certificate.save()
    bump_version()  # the public verification page changes
    CertificateEvent.objects.create(certificate=certificate, action="revoked", actor=actor,
                                    note=reason)  # fmt: skip
    return certificate


@transaction.atomic
def reissue_certificate(*, certificate: Certificate, actor: User, reason: str) -> Certificate:
    """A new PDF under the same code (after a name correction); the old file is kept."""
    certificate = (
        Certificate.objects.select_for_update()
        .select_related("enrollment__user")
        .get(pk=certificate.pk)
    )
    if certificate.status not in (CertificateStatus.ISSUED, CertificateStatus.ERROR):
        raise CertificateError("Only an issued certificate (or one in error) can be reissued.")
    user = certificate.enrollment.user
    if certificate.status == CertificateStatus.ERROR:
        snapshot(certificate)
    certificate.learner_name = user.name_for_certificate
    certificate.licence_ids = _licence_ids(user)
    try:
        pdf = render_certificate_pdf(certificate)
    except RenderError as error:
        raise CertificateError(f"The certificate could not be rendered: {error}") from error
    _store_pdf(certificate, pdf, reason="reissued", actor=actor)
    certificate.status = CertificateStatus.ISSUED
    certificate.issued_at = certificate.issued_at or timezone.now()
    certificate.last_error = ""
    certificate.save()
    bump_version()  # the public verification page changes
    CertificateEvent.objects.create(certificate=certificate, action="reissued", actor=actor,
                                    note=(reason or "").strip())  # fmt: skip
    return certificate


@transaction.atomic
def renew_enrollment(*, enrollment: Enrollment, user: User) -> Enrollment:
    """Start the course again for a new certificate; the current one is archived, not deleted.

    Only the learner's own issued certificate within RENEWAL_WINDOW_DAYS of expiry renews; the
    enrollment's new cycle is started by enrollments (its rows are its own).
    """
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk, user=user)
    current = Certificate.objects.filter(enrollment=enrollment, cycle=enrollment.cycle).first()
    if current is None or current.status != CertificateStatus.ISSUED or not current.expires_on:
        raise CertificateError("Only an expiring certificate can be renewed.")
    if current.expires_on > timezone.localdate() + timedelta(days=RENEWAL_WINDOW_DAYS):
        raise CertificateError(
            f"Renewal opens {RENEWAL_WINDOW_DAYS} days before the certificate expires."
        )
    current.status = CertificateStatus.ARCHIVED
    current.save(update_fields=["status", "updated_at"])
    bump_version()  # the public verification page changes
    CertificateEvent.objects.create(certificate=current, action="archived", actor=user,
                                    note="renewal started")  # fmt: skip
    try:
        return enrollment_services.start_new_cycle(enrollment=enrollment)
    except enrollment_services.LearningError as error:
        raise CertificateError(error.message) from error


# --- Periodic work ----------------------------------------------------------------------------


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Re-enqueue what a lost signal, a dead broker or a dead worker left behind."""
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.CERTIFICATES_STALE_PENDING_SECONDS)
    created = 0
    missing = Enrollment.objects.filter(status=EnrollmentStatus.COMPLETED).exclude(
        certificates__cycle=F("cycle")
    )
    for enrollment_id in missing.values_list("pk", flat=True)[:500]:
        if create_pending_certificate(enrollment_id=enrollment_id):
            created += 1
    stale = Certificate.objects.filter(
        status=CertificateStatus.PENDING, updated_at__lt=stale_before
    ).values_list("pk", flat=True)[:500]
    requeued = sum(1 for pk in stale if enqueue_issue(pk))
    unsent = Certificate.objects.filter(
        status=CertificateStatus.ISSUED, emailed_at__isnull=True,
        issued_at__lt=stale_before,
    ).values_list("pk", flat=True)[:500]  # fmt: skip
    mailed = 0
    failed = 0
    for pk in unsent:
        try:
            mailed += send_issued_email(certificate_id=pk)
        except MAIL_ERRORS as error:  # left unsent (emailed_at empty) with its error shown
            logger.warning("Certificate %s mail not sent: %r", pk, error)
            Certificate.objects.filter(pk=pk).update(
                last_error=f"{MAIL_NOT_SENT} {type(error).__name__}: {error}"[:2000]
            )
            failed += 1
    if failed:
        raise PartialFailure(f"{failed} certificate mail(s) not sent; {mailed} sent")
    return {"created": created, "requeued": requeued, "mailed": mailed}


def send_expiry_reminders(*, today: date | None = None) -> int:
    """One mail per certificate at the tightest of 90, 30 and 7 days it has reached.

    A reminder is recorded sent only once its mail has gone out. A mail that fails leaves its row
    failed, with the error, and every other reminder is still tried; the failed ones are tried
    again by the task's retries and the next runs, at most REMINDER_MAX_ATTEMPTS times. Raises
    PartialFailure at the end when any failed. Returns how many were sent.
    """
    today = today or timezone.localdate()
    sent = 0
    failed = 0
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    candidates = Certificate.objects.expiring_between(today, horizon).select_related(
        "enrollment__user"
    )
    for certificate in candidates:
        days_left = (certificate.expires_on - today).days
        threshold = min(days for days in REMINDER_DAYS if days_left <= days)
        reminder, _ = ExpiryReminder.objects.get_or_create(
            certificate=certificate, days_before=threshold
        )
        if not _claim_reminder(reminder.pk):
            continue
        try:
            _mail_expiry_reminder(certificate, days_left)
        except MAIL_ERRORS as error:  # record it, go on with the others
            logger.warning("Expiry reminder %s not sent: %r", reminder.pk, error)
            ExpiryReminder.objects.filter(pk=reminder.pk).update(
                status=ReminderStatus.FAILED, last_error=f"{type(error).__name__}: {error}"[:2000]
            )
            failed += 1
            continue
        ExpiryReminder.objects.filter(pk=reminder.pk).update(
            status=ReminderStatus.SENT, sent_at=timezone.now(), last_error=""
        )
        CertificateEvent.objects.create(certificate=certificate, action=f"reminder_{threshold}")
        sent += 1
    if failed:
        raise PartialFailure(f"{failed} expiry reminder(s) not sent; {sent} sent")
    return sent


# --- Board certifications -----------------------------------------------------------------------


def record_board_certification(
    *, user: User, board: Board, number: str, cycle_start: date
) -> BoardCertification:
    """One certification per learner and board (the unique constraint decides a race)."""
    try:
        with transaction.atomic():
            certification = BoardCertification.objects.create(
                user=user, board=board, number=number, cycle_start=cycle_start
            )
    except IntegrityError as error:
        raise CertificateError("You have already recorded this board.") from error
    return certification


@transaction.atomic
def remove_board_certification(*, user: User, certification_id: int) -> None:
    """Only the learner's own; their certificates and credits are untouched."""
    deleted, _ = BoardCertification.objects.filter(pk=certification_id, user=user).delete()
    if not deleted:
        raise CertificateError("No such certification.")


def _claim_reminder(reminder_id: int) -> bool:
    """Take a reminder to send (a conditional UPDATE: two runs never send one twice). A reminder
    left "sending" by a worker that died is taken again after REMINDER_SENDING_TIMEOUT_MINUTES."""
    now = timezone.now()
    claimable = Q(
        status__in=[ReminderStatus.PENDING, ReminderStatus.FAILED],
        attempts__lt=REMINDER_MAX_ATTEMPTS,
    ) | Q(
        status=ReminderStatus.SENDING,
        last_attempt_at__lt=now - timedelta(minutes=REMINDER_SENDING_TIMEOUT_MINUTES),
    )
    return bool(
        ExpiryReminder.objects.filter(claimable, pk=reminder_id).update(
            status=ReminderStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
        )
    )


def _mail_expiry_reminder(certificate: Certificate, days_left: int) -> None:
    user = certificate.enrollment.user
    with translation.override(user.language):
        subject = ngettext(
            "Your %(code)s certificate expires in %(days)d day",
            "Your %(code)s certificate expires in %(days)d days",
            days_left,
        ) % {"code": certificate.course_code, "days": days_left}
        message = render_to_string(
            "certificates/email/expiry_reminder.txt",
            {
                "certificate": certificate,
                "user": user,
                "days_left": days_left,
                "site_url": settings.SITE_URL,
            },
        )
    send_mail(
        subject=subject,
        message=message,
        from_email=None,
        recipient_list=[user.email],
    )


# --- Editions and refreshers ------------------------------------------------------------------


def renew_by_refresher(*, certificate: Certificate) -> list[int]:
    """A refresher's certificate renews the course it refreshes (any edition of it).

    The learner's issued certificates of that course that expire within the renewal window, or
    cover an older ICH E6 revision than the refresher, are archived (kept, never deleted, and
    verifiable as superseded); the refresher's certificate is the valid one from now on.
    Runs inside ``issue_certificate``'s transaction. Returns the archived certificates' ids.
    """
    course = certificate.enrollment.course.specific
    if not course.refresher_for_id:
        return []
    families = edition_families()
    family = families.root_of(course.refresher_for_id)
    family_ids = [pk for pk, root in families.root.items() if root == family and pk != course.pk]
    horizon = timezone.localdate() + timedelta(days=RENEWAL_WINDOW_DAYS)
    renewed = []
    held = Certificate.objects.select_for_update().filter(
        enrollment__user_id=certificate.enrollment.user_id,
        enrollment__course_id__in=family_ids,
        status=CertificateStatus.ISSUED,
    )
    for old in held:
        older_revision = revision_key(old.ich_e6_revision) < revision_key(
            certificate.ich_e6_revision
        )
        expiring = old.expires_on is not None and old.expires_on <= horizon
        if not (older_revision or expiring):
            continue
        Certificate.objects.filter(pk=old.pk).update(status=CertificateStatus.ARCHIVED)
        CertificateEvent.objects.create(
            certificate=old,
            action="renewed",
            note=f"Renewed by refresher {certificate.course_code} (certificate {certificate.code})",
        )
        renewed.append(old.pk)
    if renewed:
        bump_version()  # verification pages of the archived certificates change
    return renewed


def enqueue_revision_notices(course_id: int) -> None:
    from certificates.tasks import notify_revision_holders

    try:
        notify_revision_holders.apply_async(args=[course_id], retry=False)
    except Exception as exc:  # noqa: BLE001 - a lost notice is re-sent by publishing again
        logger.warning("Could not enqueue revision notices for course %s (%s)", course_id, exc)


def notify_revision_holders(*, course_id: int) -> int:
    """Tell holders of an older ICH E6 revision that this live edition covers a newer one.

    One notice per (learner, edition), made idempotent by its unique constraint: each holder sees
    it on the dashboard and gets one mail, however often this runs. Returns the mails sent.
    """
    course = CoursePage.objects.filter(pk=course_id, live=True, is_gcp=True).first()
    if course is None or not course.ich_e6_revision:
        return 0
    families = edition_families()
    family = families.root_of(course.pk)
    family_ids = [pk for pk, root in families.root.items() if root == family and pk != course.pk]
    holders = (
        Certificate.objects.filter(
            enrollment__course_id__in=family_ids, status=CertificateStatus.ISSUED
        )
        .select_related("enrollment__user")
        .order_by("enrollment__user_id", "-completed_on")
    )
    newest_by_user: dict[int, Certificate] = {}
    for certificate in holders:
        best = newest_by_user.get(certificate.enrollment.user_id)
        if best is None or revision_key(certificate.ich_e6_revision) > revision_key(
            best.ich_e6_revision
        ):
            newest_by_user[certificate.enrollment.user_id] = certificate
    sent = 0
    for user_id, certificate in newest_by_user.items():
        if revision_key(certificate.ich_e6_revision) >= revision_key(course.ich_e6_revision):
            continue
        notice, _created = RevisionNotice.objects.get_or_create(
            user_id=user_id,
            course=course,
            defaults={
                "certificate": certificate,
                "revision": course.ich_e6_revision,
                "previous_revision": certificate.ich_e6_revision,
            },
        )
        sent += _send_revision_notice(notice=notice, certificate=certificate, course=course)
    return sent


def _send_revision_notice(
    *, notice: RevisionNotice, certificate: Certificate, course: CoursePage
) -> int:
    claimed = RevisionNotice.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return 0
    user = certificate.enrollment.user
    with translation.override(user.language):
        shown = localized_page(course)
        context = {
            "user": user,
            "certificate": certificate,
            "course": shown,
            "site_url": settings.SITE_URL,
            "course_url": f"{settings.SITE_URL}{shown.url or ''}",
        }
        subject = _("%(code)s: a new edition covers ICH %(revision)s") % {
            "code": course.code,
            "revision": course.ich_e6_revision,
        }
        message = render_to_string("certificates/email/revision_notice.txt", context)
    try:
        send_mail(
            subject=subject,
            message=message,
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:
        RevisionNotice.objects.filter(pk=notice.pk).update(emailed_at=None)
        raise
    return 1
