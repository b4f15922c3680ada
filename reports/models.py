from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certificates.storage import get_private_storage


class ReportExport(models.Model):
    """A large export written by a Celery task; downloaded only by the person who asked."""

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_exports"
    )
    report = models.CharField(max_length=50)
    params = models.JSONField(default=dict)
    export_format = models.CharField(max_length=10)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(storage=get_private_storage, upload_to="exports/", blank=True)
    rows = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("view_learning_reports", "Can view learning reports")]

    def __str__(self):
        return f"{self.report} ({self.export_format}) for {self.user_id}"
