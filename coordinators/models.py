"""A site coordinator's saved study rosters: "who at my site was trained, on the study's date,
in the study's courses"."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StudyRoster(models.Model):
    """A named question about one organization's people; the answer is worked out each time it
    is viewed or exported, from the certificates as they stand (a revoked one stops counting)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="study_rosters"
    )
    name = models.CharField(
        _("study"), max_length=200, help_text=_("The study's name or protocol number.")
    )
    on_date = models.DateField(
        _("trained on"), help_text=_("Usually the study's start (site activation) date.")
    )
    courses = models.ManyToManyField(
        "courses.CoursePage", related_name="+", verbose_name=_("courses")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("study roster")
        verbose_name_plural = _("study rosters")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.on_date:%Y-%m-%d})"


class DigestStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class CoordinatorDigest(models.Model):
    """One month's digest to one coordinator: recorded so that a month's run mails each once."""

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))  # its first day
    status = models.CharField(_("status"), max_length=16, choices=DigestStatus.choices)
    expiring = models.PositiveIntegerField(_("certificates listed"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("coordinator digest")
        verbose_name_plural = _("coordinator digests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "month"], name="one_digest_per_month"
            )
        ]

    def __str__(self):
        return f"{self.user} {self.month:%Y-%m} ({self.status})"
