import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.storage import get_private_storage

CODE_BYTES = 16  # 128 random bits, URL-safe base64: 22 characters


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


class CertificateStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ISSUED = "issued", _("Issued")
    ERROR = "error", _("Error")
    REVOKED = "revoked", _("Revoked")
    ARCHIVED = "archived", _("Archived (renewed)")


class PublicState(models.TextChoices):
    """What the verification page says about a certificate (computed, not stored)."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")
    PENDING = "pending", _("Not yet issued")


class CertificateQuerySet(models.QuerySet):
    def issued(self):
        return self.filter(status=CertificateStatus.ISSUED)

    def for_user(self, user):
        return self.filter(enrollment__user=user)

    def expiring_between(self, start, end):
        return self.issued().filter(expires_on__gte=start, expires_on__lte=end)


class Certificate(models.Model):
    """A course certificate. Its public code never changes, not across revoke or reissue.

    What it says (name, course, credits) is copied in when it is issued, so a later edit of the
    course or the profile does not change a certificate already given.
    """

    enrollment = models.ForeignKey(
        "enrollments.Enrollment", on_delete=models.PROTECT, related_name="certificates"
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    code = models.CharField(_("verification code"), max_length=32, unique=True, default=new_code)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CertificateStatus.choices,
        default=CertificateStatus.PENDING,
        db_index=True,
    )
    # What the certificate says, frozen at issue.
    learner_name = models.CharField(_("learner name"), max_length=200, blank=True)
    licence_ids = models.CharField(_("licence IDs"), max_length=200, blank=True)
    course_code = models.CharField(_("course code"), max_length=20, blank=True)
    course_title = models.CharField(_("course title"), max_length=255, blank=True)
    program_title = models.CharField(_("program"), max_length=255, blank=True)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(max_length=200, blank=True)
    activity_format = models.CharField(
        _("format"), max_length=100, default="Enduring material (online)"
    )
    is_gcp = models.BooleanField(_("GCP certificate"), default=False)
    course_version = models.CharField(max_length=20, blank=True)
    ich_e6_revision = models.CharField(max_length=20, blank=True)
    credits = models.JSONField(_("credits"), default=list, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True, db_index=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        ordering = ["-issued_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "cycle"], name="one_certificate_per_enrollment_cycle"
            ),
        ]

    def __str__(self):
        return f"{self.course_code or 'Certificate'} · {self.learner_name or self.code}"

    def get_absolute_url(self):
        return reverse("certificates:verify", args=[self.code])

    def get_download_url(self):
        return reverse("certificates:download", args=[self.code])

    @property
    def verify_url(self) -> str:
        return f"{settings.SITE_URL}{self.get_absolute_url()}"

    def is_expired(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.expires_on is not None and self.expires_on < today

    @property
    def public_state(self) -> PublicState:
        """What the verification page says: valid, expired, revoked, superseded or pending."""
        if self.status == CertificateStatus.REVOKED:
            return PublicState.REVOKED
        if self.status == CertificateStatus.ARCHIVED:
            return PublicState.EXPIRED if self.is_expired() else PublicState.SUPERSEDED
        if self.status != CertificateStatus.ISSUED:
            return PublicState.PENDING
        return PublicState.EXPIRED if self.is_expired() else PublicState.VALID


class CertificateFile(models.Model):
    """One rendering of a certificate. A reissue adds a file; none is ever deleted."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(storage=get_private_storage, upload_to="certificates/", max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=100, default="issued")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("certificate file")

    def __str__(self):
        return f"{self.certificate_id}: {self.sha256[:12]}"


class CertificateEvent(models.Model):
    """The certificate's history: issued, emailed, revoked, reissued, reminded, renewed."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ExpiryReminder(models.Model):
    """A reminder N days before expiry; the unique constraint makes each one once.

    A row is created before the mail goes out and marked sent only once it has: a mail that fails
    leaves it failed, with the error, for the next run (and an administrator) to see.
    """

    certificate = models.ForeignKey(
        Certificate,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("certificate"),
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before"], name="one_reminder_per_threshold"
            ),
        ]

    def __str__(self):
        return f"{self.days_before}-day reminder for {self.certificate_id}"
