"""What each report exports: its columns, headings and the one selector its rows come from.

The admin views (Wagtail's export, in the request) and the background export (the worker) both
read these, so a column cannot exist in one and be missing in the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import multigetattr

from reports import selectors

ASYNC_EXPORT_THRESHOLD = 5000


@dataclass(frozen=True)
class ExportSpec:
    """A report's export: columns in order, their headings, and where its rows come from."""

    key: str
    title: Any
    filename: str
    fields: tuple[str, ...]
    headings: Mapping[str, Any]
    filter_class: type[selectors.ReportFilter]
    rows: Callable[[Any], selectors.ReportRows]

    def heading_row(self) -> list[str]:
        return [force_str(self.headings.get(name, name)) for name in self.fields]

    def values(self, rows: selectors.ReportRows) -> Iterator[list[Any]]:
        """Each row's cells, streaming batch by batch (made safe by the spreadsheet writer)."""
        for batch in rows.batches():
            for item in batch:
                yield [multigetattr(item, name) for name in self.fields]


COURSE_COMPLETION = ExportSpec(
    key="course_completion",
    title=_("Course completion"),
    filename="course-completion",
    fields=(
        "code", "title", "enrolled", "in_progress", "completed", "completion_rate",
        "average_score", "median_score", "median_days", "certificates_issued",
        "certificates_expiring", "certificates_revoked",
    ),
    headings={
        "code": _("Course code"), "title": _("Course"), "enrolled": _("Enrolled"),
        "in_progress": _("In progress"), "completed": _("Completed"),
        "completion_rate": _("Completion rate (%)"), "average_score": _("Average best score (%)"),
        "median_score": _("Median best score (%)"), "median_days": _("Median days to complete"),
        "certificates_issued": _("Certificates issued"),
        "certificates_expiring": _("Expiring in 90 days"),
        "certificates_revoked": _("Certificates revoked"),
    },
    filter_class=selectors.CourseCompletionFilter,
    rows=selectors.course_completion,
)  # fmt: skip

LEARNER_PROGRESS = ExportSpec(
    key="learner_progress",
    title=_("Learner progress"),
    filename="learner-progress",
    fields=(
        "user.full_name", "user.email", "profession_label", "user.organization",
        "course.code", "course.title", "status_label", "percent_complete",
        "post_test_attempts", "post_test_best_score", "enrolled_at", "completed_at",
        "certificate_code",
    ),
    headings={
        "user.full_name": _("Learner"), "user.email": _("Email"),
        "profession_label": _("Profession"), "user.organization": _("Organization"),
        "course.code": _("Course code"), "course.title": _("Course"),
        "status_label": _("Status"), "percent_complete": _("Percent complete"),
        "post_test_attempts": _("Attempts"), "post_test_best_score": _("Best score (%)"),
        "enrolled_at": _("Enrolled"), "completed_at": _("Completed"),
        "certificate_code": _("Certificate code"),
    },
    filter_class=selectors.LearnerProgressFilter,
    rows=selectors.learner_progress,
)  # fmt: skip

ORGANIZATION_ROSTER = ExportSpec(
    key="organization_roster",
    title=_("Organization roster"),
    filename="organization-roster",
    fields=(
        "user.full_name", "user.email", "user.get_profession_display", "course.code",
        "course.title", "get_status_display", "completed_at", "gcp_status",
    ),
    headings={
        "user.full_name": _("Learner"), "user.email": _("Email"),
        "user.get_profession_display": _("Profession"), "course.code": _("Course code"),
        "course.title": _("Course"), "get_status_display": _("Status"),
        "completed_at": _("Completed"), "gcp_status": _("GCP certificate on the date"),
    },
    filter_class=selectors.OrganizationRosterFilter,
    rows=selectors.organization_roster,
)  # fmt: skip

LEARNER_TRANSCRIPT = ExportSpec(
    key="learner_transcript",
    title=_("Learner transcript"),
    filename="learner-transcript",
    fields=(
        "course.code", "course.title", "get_status_display", "enrolled_at", "completed_at",
        "post_test_best_score", "certificate_code", "certificate_state", "credits_text",
    ),
    headings={
        "course.code": _("Course code"), "course.title": _("Course"),
        "get_status_display": _("Status"), "enrolled_at": _("Enrolled"),
        "completed_at": _("Completed"), "post_test_best_score": _("Best score (%)"),
        "certificate_code": _("Certificate code"), "certificate_state": _("Certificate"),
        "credits_text": _("Credits"),
    },
    filter_class=selectors.LearnerTranscriptFilter,
    rows=selectors.learner_transcript,
)  # fmt: skip

EXPORTS: dict[str, ExportSpec] = {
    spec.key: spec
    for spec in (COURSE_COMPLETION, LEARNER_PROGRESS, ORGANIZATION_ROSTER, LEARNER_TRANSCRIPT)
}
