from django.db import models
from django.utils.translation import gettext_lazy as _


class ScormAttempt(models.Model):
    """A learner's run of a module's SCORM package: the run-time data, kept as they go.

    One row per attempt; the current attempt is the newest open one. A session that ends
    without "suspend" (``cmi.exit`` / ``cmi.core.exit``) closes its attempt: the next launch
    starts fresh, as SCORM says.
    """

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

    enrollment = models.ForeignKey(
        "enrollments.Enrollment", on_delete=models.CASCADE, related_name="scorm_attempts"
    )
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE, related_name="+")
    package = models.ForeignKey("courses.ScormPackage", on_delete=models.PROTECT, related_name="+")
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    version = models.CharField(_("SCORM version"), max_length=10)
    completion_status = models.CharField(_("completion status"), max_length=20, blank=True)
    success_status = models.CharField(_("success status"), max_length=20, blank=True)
    score_raw = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_min = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_max = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_scaled = models.DecimalField(max_digits=8, decimal_places=7, null=True, blank=True)
    location = models.CharField(_("location"), max_length=1000, blank=True)
    suspend_data = models.TextField(_("suspend data"), blank=True)
    exit = models.CharField(max_length=20, blank=True)
    session_time = models.CharField(max_length=40, blank=True)
    total_time = models.CharField(max_length=40, blank=True)
    interactions = models.JSONField(_("interactions"), default=list, blank=True)
    commits = models.PositiveIntegerField(default=0)
    closed = models.BooleanField(default=False)
    result_recorded = models.BooleanField(default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SCORM attempt")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "cycle", "module", "number"],
                name="one_scorm_attempt_per_number",
            ),
        ]

    def __str__(self):
        return f"SCORM attempt {self.number} of enrollment {self.enrollment_id}"
