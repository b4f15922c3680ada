import base64

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from certificates import codes
from certificates.storage import get_private_storage


def new_code() -> str:
    """The field's default (migrations name it): see certificates/codes.py."""
    return codes.new_code()


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


class CertificateKind(models.TextChoices):
    """What the learner's profession lets the certificate award (frozen at issue)."""

    CREDIT = "credit", _("Certificate of credit")
    COMPLETION = "completion", _("Certificate of completion (no credit for the profession)")


class CertificateSignature(models.Model):
    """A signature image as it was printed: certificates keep theirs when the settings change.

    Stored once per distinct image (by its SHA-256), not once per certificate.
    """

    sha256 = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=40)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificate signature")

    def __str__(self):
        return self.sha256[:12]

    @property
    def data_uri(self) -> str:
        return f"data:{self.content_type};base64,{base64.b64encode(bytes(self.data)).decode()}"


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

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

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
    signatory_name = models.CharField(_("signatory"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory title"), max_length=200, blank=True)
    signature = models.ForeignKey(
        CertificateSignature,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signature image"),
    )
    # Blank on certificates issued before credit depended on the learner's profession.
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices, blank=True)
    learner_profession = models.CharField(_("profession at issue"), max_length=32, blank=True)
    # Stored in English; printed in the learner's language (the msgid below).
    activity_format = models.CharField(
        _("format"), max_length=100, default="Enduring material (online)"
    )
    ACTIVITY_FORMAT_LABEL = gettext_noop("Enduring material (online)")
    is_gcp = models.BooleanField(_("GCP certificate"), default=False)
    course_version = models.CharField(max_length=20, blank=True)
    ich_e6_revision = models.CharField(max_length=20, blank=True)
    # The credits the learner may claim, each with its statement and activity identifier.
    credits = models.JSONField(_("credits"), default=list, blank=True)
    # Credit designated for the activity that the learner's profession may not claim (AMA PRA
    # Category 1 for a non-physician): printed as a statement of participation, never as credit.
    participation = models.JSONField(_("participation statements"), default=list, blank=True)
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
    def display_code(self) -> str:
        return codes.grouped(self.code)

    @property
    def verify_url(self) -> str:
        return f"{settings.SITE_URL}{self.get_absolute_url()}"

    @property
    def heading(self) -> str:
        """The certificate's title: GCP training, credit, or completion (no credit to claim)."""
        if self.is_gcp:
            return str(_("Certificate of GCP Training"))
        if self.kind == CertificateKind.CREDIT:
            return str(_("Certificate of Credit"))
        return str(_("Certificate of Completion"))

    @property
    def credits_summary(self) -> str:
        """ "1.5 VOICE CEH; 1.5 CME (participation only)": for listings and exports."""
        parts = [f"{credit['hours']} {credit['short_name']}" for credit in self.credits]
        parts += [
            str(_("%(hours)s %(name)s (participation only)"))
            % {"hours": credit["hours"], "name": credit["short_name"]}
            for credit in self.participation or []
        ]
        return "; ".join(parts)

    @property
    def activity_ids_summary(self) -> str:
        """ "VOICE activity number SNMMI-123; ACCME activity ID 456": for listings and exports."""
        return "; ".join(
            f"{credit.get('activity_id_label') or credit['short_name']} {credit['activity_id']}"
            for credit in [*self.credits, *(self.participation or [])]
            if credit.get("activity_id")
        )

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

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

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

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

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

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

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


class CycleAnchor(models.TextChoices):
    BIRTH_MONTH = "birth_month", _("First day of the learner's birth month")
    START_DATE = "start_date", _("The date the learner's cycle started")


class Board(models.Model):
    """A certifying board's continuing-education rule: so many credits of these types per cycle.

    Administrators edit the table (seeded with ARRT, NMTCB, ABNM and ABR); learners record
    their certification with it, and My learning counts their credits against it.
    """

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    for_whom = models.CharField(_("for"), max_length=120, blank=True)
    credits_required = models.DecimalField(
        _("credits required per cycle"), max_digits=6, decimal_places=2
    )
    cycle_months = models.PositiveSmallIntegerField(_("cycle length (months)"), default=24)
    cycle_anchor = models.CharField(
        _("cycle starts on"), max_length=20, choices=CycleAnchor.choices,
        default=CycleAnchor.START_DATE,
    )  # fmt: skip
    accepted_credit_types = models.ManyToManyField(
        "courses.CreditType", related_name="+", verbose_name=_("credit types it accepts")
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Shown to learners."))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("board requirement")
        verbose_name_plural = _("board requirements")

    def __str__(self):
        return self.name


class BoardCertification(models.Model):
    """A learner's certification with a board, and the start of one of their cycles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_certifications"
    )
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="certifications",
                              verbose_name=_("board"))  # fmt: skip
    number = models.CharField(_("certificate or ID number"), max_length=40, blank=True)
    cycle_start = models.DateField(
        _("a cycle start"),
        help_text=_("The first day of your current (or any) reporting cycle with this board."),
    )

    class Meta:
        verbose_name = _("board certification")
        constraints = [
            models.UniqueConstraint(fields=["user", "board"], name="one_certification_per_board"),
        ]

    def __str__(self):
        return f"{self.board} · {self.user_id}"


class RevisionNotice(models.Model):
    """Told once: a new edition of a GCP course a learner holds covers a newer ICH E6 revision."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="revision_notices"
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("new edition"),
    )
    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="+", verbose_name=_("certificate held")
    )
    revision = models.CharField(_("revision now covered"), max_length=20)
    previous_revision = models.CharField(_("revision the certificate covers"), max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("revision notice")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="one_revision_notice_per_edition"
            ),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.course_id} covers {self.revision}"
