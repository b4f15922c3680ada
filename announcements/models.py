from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnnouncementStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Announcement(models.Model):
    """A mail from an instructor to the learners of one course, and how its sending went."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="announcements",
    )
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=10000)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(
        _("recipients"), default=0, help_text=_("Learners who were to receive it when queued.")
    )
    sent_count = models.PositiveIntegerField(_("sent"), default=0)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AnnouncementStatus.choices,
        default=AnnouncementStatus.QUEUED,
    )
    # The last recipient (by user id) mailed: a retried task resumes after it.
    last_user_id = models.PositiveBigIntegerField(default=0, editable=False)
    error = models.TextField(_("reason it failed"), blank=True)

    class Meta:
        verbose_name = _("announcement")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject
