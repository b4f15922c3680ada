from django.db import models
from django.utils.translation import gettext_lazy as _


class GradeLink(models.Model):
    """Where a learner's result goes back: the platform's line item for the launched course.

    Made at launch when the platform offers Assignment and Grade Services; on completion the
    score is posted there (by the worker, retried until the platform answers).
    """

    # A learner's record, not content: kept out of Wagtail's reference index (no queries on save).
    wagtail_reference_index_ignore = True

    enrollment = models.ForeignKey(
        "enrollments.Enrollment", on_delete=models.CASCADE, related_name="lti_grade_links"
    )
    registration = models.ForeignKey(
        "lti_tool.LtiRegistration", on_delete=models.CASCADE, related_name="+"
    )
    platform_user_id = models.CharField(_("platform user ID"), max_length=255)
    lineitem_url = models.URLField(_("line item URL"), max_length=500)
    scopes = models.JSONField(_("scopes"), default=list)
    posted_at = models.DateTimeField(_("score posted"), null=True, blank=True)
    posted_cycle = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("LTI grade link")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "lineitem_url"], name="one_grade_link_per_line_item"
            ),
        ]

    def __str__(self):
        return f"{self.enrollment_id} -> {self.lineitem_url}"
