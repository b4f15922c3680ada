"""What each report exports: its columns, headings and the one selector its rows come from.

The admin views (Wagtail's export, in the request) and the background export (the worker) both
read these, so a column cannot exist in one and be missing in the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.encoding import force_str
from django.utils.text import format_lazy
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
    # Columns naming a learner, left out for readers who may not see who answered (instructors
    # reading evaluations).
    personal_fields: tuple[str, ...] = ()

    def fields_for(self, report_scope: selectors.ReportScope) -> tuple[str, ...]:
        if report_scope.paths is None:
            return self.fields
        return tuple(name for name in self.fields if name not in self.personal_fields)

    def heading_row(self, fields: tuple[str, ...] | None = None) -> list[str]:
        return [force_str(self.headings.get(name, name)) for name in fields or self.fields]

    def values(
        self, rows: selectors.ReportRows, fields: tuple[str, ...] | None = None
    ) -> Iterator[list[Any]]:
        """Each row's cells, streaming (made safe by the spreadsheet writer)."""
        names = fields or self.fields
        if rows.computed is not None:
            yield from rows.value_rows(names)
            return
        for batch in rows.batches():
            for item in batch:
                yield [multigetattr(item, name) for name in names]


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


def _rating_columns() -> tuple[tuple[str, ...], dict[str, Any]]:
    names: list[str] = []
    headings: dict[str, Any] = {}
    labels = {"overall": _("Overall quality"), "relevance": _("Relevance to practice")}
    for question in selectors.RATING_QUESTIONS:
        for value in selectors.RATING_VALUES:
            names.append(f"{question}_{value}")
            headings[f"{question}_{value}"] = format_lazy(
                "{label}: {value}", label=labels[question], value=value
            )
        names.append(f"{question}_mean")
        headings[f"{question}_mean"] = format_lazy(
            "{label}: {mean}", label=labels[question], mean=_("mean")
        )
    return tuple(names), headings


_RATING_FIELDS, _RATING_HEADINGS = _rating_columns()

EVALUATION_SUMMARY = ExportSpec(
    key="evaluation_summary",
    title=_("Course evaluations"),
    filename="course-evaluations",
    fields=(
        "code", "title", "responses", *_RATING_FIELDS,
        "objectives_met_yes", "objectives_met_no", "objectives_met_yes_percent",
        "free_of_bias_yes", "free_of_bias_no", "free_of_bias_no_percent",
        "would_recommend_yes", "would_recommend_no", "would_recommend_yes_percent",
    ),
    headings={
        "code": _("Course code"), "title": _("Course"), "responses": _("Responses"),
        **_RATING_HEADINGS,
        "objectives_met_yes": _("Objectives met: yes"),
        "objectives_met_no": _("Objectives met: no"),
        "objectives_met_yes_percent": _("Objectives met: yes (%)"),
        "free_of_bias_yes": _("Free of commercial bias: yes"),
        "free_of_bias_no": _("Commercial bias reported"),
        "free_of_bias_no_percent": _("Commercial bias reported (%)"),
        "would_recommend_yes": _("Would recommend: yes"),
        "would_recommend_no": _("Would recommend: no"),
        "would_recommend_yes_percent": _("Would recommend: yes (%)"),
    },
    filter_class=selectors.EvaluationFilter,
    rows=selectors.evaluation_summary,
)  # fmt: skip

EVALUATION_COMMENTS = ExportSpec(
    key="evaluation_comments",
    title=_("Evaluation comments"),
    filename="evaluation-comments",
    fields=(
        "course_code", "course_title", "submitted_at", "cycle", "learner_name", "learner_email",
        "overall", "relevance", "objectives_met", "free_of_bias", "would_recommend",
        "practice_change", "comments",
    ),
    headings={
        "course_code": _("Course code"), "course_title": _("Course"),
        "submitted_at": _("Submitted"), "cycle": _("Cycle"), "learner_name": _("Learner"),
        "learner_email": _("Email"), "overall": _("Overall quality (1-5)"),
        "relevance": _("Relevance to practice (1-5)"),
        "objectives_met": _("Objectives met"), "free_of_bias": _("Free of commercial bias"),
        "would_recommend": _("Would recommend"),
        "practice_change": _("What will change in practice"), "comments": _("Comments"),
    },
    filter_class=selectors.EvaluationFilter,
    rows=selectors.evaluation_responses,
    personal_fields=("learner_name", "learner_email"),
)  # fmt: skip

QUESTION_STATISTICS = ExportSpec(
    key="question_statistics",
    title=_("Question statistics"),
    filename="question-statistics",
    fields=(
        "position", "prompt", "attempts", "correct", "facility", "discrimination", "flags_text",
        "options_text",
    ),
    headings={
        "position": _("Question"), "prompt": _("Prompt"), "attempts": _("Attempts"),
        "correct": _("Answered right"), "facility": _("Facility (% right)"),
        "discrimination": _("Discrimination (point-biserial)"), "flags_text": _("Flags"),
        "options_text": _("Options chosen"),
    },
    filter_class=selectors.QuestionStatisticsFilter,
    rows=selectors.question_statistics,
)  # fmt: skip

EXPORTS: dict[str, ExportSpec] = {
    spec.key: spec
    for spec in (
        COURSE_COMPLETION, LEARNER_PROGRESS, ORGANIZATION_ROSTER, LEARNER_TRANSCRIPT,
        EVALUATION_SUMMARY, EVALUATION_COMMENTS, QUESTION_STATISTICS,
    )
}  # fmt: skip
