from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _


class StatementKind(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    MODULE_COMPLETED = "module_completed", _("Module completed")
    QUIZ_PASSED = "quiz_passed", _("Quiz passed")
    QUIZ_FAILED = "quiz_failed", _("Quiz failed")
    COURSE_COMPLETED = "course_completed", _("Course completed")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    FAILED = "failed", _("Failed, will retry")
    DELIVERED = "delivered", _("Delivered")


class OutboxQuerySet(models.QuerySet["OutboxStatement"]):
    def undelivered(self) -> "OutboxQuerySet":
        return self.exclude(status=DeliveryStatus.DELIVERED)

    def due(self, now) -> "OutboxQuerySet":
        return self.undelivered().filter(next_attempt_at__lte=now)


class OutboxStatement(models.Model):
    """One xAPI statement waiting for (or past) delivery to the learning record store.

    Written in the same transaction as the event it states, so it exists exactly when the event
    does; the worker sends it (``xapi.services.deliver_due``) until the store has it. The
    statement is built once, at the event: a resend is byte-for-byte the same statement with the
    same id, which a store keeps once.
    """

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

    statement_id = models.UUIDField(_("statement ID"), unique=True)
    kind = models.CharField(_("event"), max_length=32, choices=StatementKind.choices)
    statement = models.JSONField(_("statement"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_id = models.URLField(_("object"), max_length=500)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("outbox of xAPI statements")
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="xapi_outbox_due",
                condition=~Q(status="delivered"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.statement_id}"

    @admin.display(description=_("last error"))
    def error_summary(self) -> str:
        return Truncator(self.last_error).chars(120)
