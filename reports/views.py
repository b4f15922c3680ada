"""Learning reports in the Wagtail admin: filters, CSV/XLSX export, large exports by Celery.

Each view turns its filter form into the report's typed filter and pages through the rows of the
report's one selector (``reports.selectors``); the background export reads the same selector.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.reports import ReportView

from reports import scope, selectors
from reports.exports import (
    ASYNC_EXPORT_THRESHOLD,
    COURSE_COMPLETION,
    EVALUATION_COMMENTS,
    EVALUATION_SUMMARY,
    EXPORTS,
    LEARNER_PROGRESS,
    LEARNER_TRANSCRIPT,
    ORGANIZATION_ROSTER,
    QUESTION_STATISTICS,
    ExportSpec,
)
from reports.filters import (
    CourseCompletionFilterSet,
    EvaluationFilterSet,
    LearnerProgressFilterSet,
    QuestionStatisticsFilterSet,
)
from reports.models import ReportExport


class LearningReportView(ReportView):
    """Common ground: permission, the reader's scope, the selector's rows, background exports."""

    spec: ExportSpec

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        spec = cls.__dict__.get("spec")
        if spec is not None:
            cls.report_key = spec.key
            cls.list_export = list(spec.fields)
            cls.export_headings = dict(spec.headings)
            cls.export_filename = spec.filename

    def dispatch(self, request, *args, **kwargs):
        scope.require_reports(request.user)
        if "spec" in dir(self):
            # Columns naming learners are left out for readers who may not see them.
            self.list_export = list(self.spec.fields_for(self.report_scope))
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def report_scope(self) -> selectors.ReportScope:
        return selectors.ReportScope.for_user(self.request.user)

    def cleaned_filters(self) -> dict:
        """The filter form's valid values (an invalid one shows its error and is left out)."""
        if not self.filters:
            return {}
        self.filters.is_valid()
        return getattr(self.filters.form, "cleaned_data", {})

    def report_filter(self) -> selectors.ReportFilter:
        raise NotImplementedError

    @cached_property
    def rows(self) -> selectors.ReportRows:
        return self.spec.rows(self.report_filter())

    def get_filtered_queryset(self):
        return self.rows.queryset

    def decorate_paginated_queryset(self, object_list):
        return self.rows.decorate(list(object_list))

    def get(self, request, *args, **kwargs):
        if self.is_export and self.export_row_count() > ASYNC_EXPORT_THRESHOLD:
            return self.start_background_export()
        return super().get(request, *args, **kwargs)

    def export_row_count(self) -> int:
        return self.rows.count()

    def start_background_export(self):
        from reports.tasks import build_export

        export = ReportExport.objects.create(
            user=self.request.user,
            report=self.report_key,
            params=self.report_filter().to_params(),
            export_format=self.request.GET.get("export"),
        )
        build_export.delay_on_commit(export.pk)
        messages.success(
            self.request,
            _(
                "This export has more than %(n)d rows: it is being prepared in the background. "
                "You will get an email with the download link, which also appears under "
                "Reports › My exports."
            )
            % {"n": ASYNC_EXPORT_THRESHOLD},
        )
        return redirect(self.request.path)


def _date_range(value) -> tuple:
    return (value.start, value.stop) if value else (None, None)


class CourseCompletionReport(LearningReportView):
    spec = COURSE_COMPLETION
    page_title = _("Course completion")
    header_icon = "tasks"
    index_url_name = "reports_course_completion"
    index_results_url_name = "reports_course_completion_results"
    filterset_class = CourseCompletionFilterSet
    paginate_by = 100
    columns = [
        Column("code", label=_("Code")),
        Column("title", label=_("Course")),
        Column("enrolled", label=_("Enrolled")),
        Column("in_progress", label=_("In progress")),
        Column("completed", label=_("Completed")),
        Column("completion_rate", label=_("Rate %")),
        Column("average_score", label=_("Avg score")),
        Column("median_score", label=_("Median score")),
        Column("median_days", label=_("Median days")),
        Column("certificates_issued", label=_("Issued")),
        Column("certificates_expiring", label=_("Expiring")),
        Column("certificates_revoked", label=_("Revoked")),
    ]

    def report_filter(self) -> selectors.CourseCompletionFilter:
        data = self.cleaned_filters()
        enrolled_from, enrolled_to = _date_range(data.get("enrolled"))
        program = data.get("program")
        return selectors.CourseCompletionFilter(
            scope=self.report_scope,
            program_id=program.pk if program else None,
            enrolled_from=enrolled_from,
            enrolled_to=enrolled_to,
            profession=data.get("profession") or "",
            organization=data.get("organization") or "",
        )

    def export_row_count(self) -> int:
        return 0  # one row per course: always small


class LearnerProgressReport(LearningReportView):
    spec = LEARNER_PROGRESS
    page_title = _("Learner progress")
    header_icon = "user"
    index_url_name = "reports_learner_progress"
    index_results_url_name = "reports_learner_progress_results"
    filterset_class = LearnerProgressFilterSet
    is_searchable = True
    search_fields = list(selectors.SEARCH_FIELDS)
    search_backend_name = None
    columns = [
        Column("learner", label=_("Learner"), accessor="user.full_name"),
        Column("email", label=_("Email"), accessor="user.email"),
        Column("profession", label=_("Profession"), accessor="profession_label"),
        Column("organization", label=_("Organization"), accessor="user.organization"),
        Column("course", label=_("Course"), accessor="course.code"),
        Column("status", label=_("Status"), accessor="status_label"),
        Column("percent_complete", label=_("% complete")),
        Column("post_test_attempts", label=_("Attempts")),
        Column("post_test_best_score", label=_("Best score")),
        DateColumn("completed_at", label=_("Completed")),
        Column("certificate_code", label=_("Certificate")),
    ]

    def report_filter(self) -> selectors.LearnerProgressFilter:
        data = self.cleaned_filters()
        enrolled_from, enrolled_to = _date_range(data.get("enrolled_at"))
        course, program = data.get("course"), data.get("program")
        return selectors.LearnerProgressFilter(
            scope=self.report_scope,
            course_id=course.pk if course else None,
            program_id=program.pk if program else None,
            status=data.get("status") or "",
            profession=data.get("profession") or "",
            organization=data.get("organization") or "",
            enrolled_from=enrolled_from,
            enrolled_to=enrolled_to,
            search=self.search_query or "",
        )


class OrganizationRosterReport(LearningReportView):
    """One organization's people: each course's status and, for GCP, validity on a date."""

    spec = ORGANIZATION_ROSTER
    page_title = _("Organization roster")
    header_icon = "group"
    index_url_name = "reports_organization_roster"
    index_results_url_name = "reports_organization_roster_results"
    template_name = "reports/roster.html"
    columns = [
        Column("learner", label=_("Learner"), accessor="user.full_name"),
        Column("email", label=_("Email"), accessor="user.email"),
        Column("course", label=_("Course"), accessor="course.code"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("completed_at", label=_("Completed")),
        Column("gcp_status", label=_("GCP on date")),
    ]

    @cached_property
    def organization(self) -> str:
        return (self.request.GET.get("organization") or "").strip()[:200]

    @cached_property
    def on_date(self):
        try:
            return parse_date(self.request.GET.get("date") or "") or timezone.localdate()
        except ValueError:
            return timezone.localdate()

    def report_filter(self) -> selectors.OrganizationRosterFilter:
        return selectors.OrganizationRosterFilter(
            scope=self.report_scope, organization=self.organization, on_date=self.on_date
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {"organizations": selectors.roster_organizations(self.report_scope),
             "organization": self.organization, "on_date": self.on_date}
        )  # fmt: skip
        return context


class LearnerTranscriptReport(LearningReportView):
    """One learner's courses and certificates, with credit totals per credit type.

    An instructor finds only learners enrolled in their programs' courses, and sees only those
    courses; anyone else gets the answer an unknown email gets.
    """

    spec = LEARNER_TRANSCRIPT
    page_title = _("Learner transcript")
    header_icon = "doc-full"
    index_url_name = "reports_learner_transcript"
    index_results_url_name = "reports_learner_transcript_results"
    template_name = "reports/transcript.html"
    columns = [
        Column("course", label=_("Course"), accessor="course.code"),
        Column("title", label=_("Title"), accessor="course.title"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("completed_at", label=_("Completed")),
        Column("post_test_best_score", label=_("Best score")),
        Column("certificate_state", label=_("Certificate")),
        Column("credits_text", label=_("Credits")),
    ]

    @cached_property
    def learner_query(self) -> str:
        return (self.request.GET.get("learner") or "").strip()[:254]

    def report_filter(self) -> selectors.LearnerTranscriptFilter:
        return selectors.LearnerTranscriptFilter(
            scope=self.report_scope, learner_email=self.learner_query
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.report_filter()
        learner = selectors.transcript_learner(filters)
        context["learner"] = learner
        context["learner_query"] = self.learner_query
        if learner is not None:
            context["totals"] = selectors.transcript_totals(filters)
        return context


class EvaluationReportMixin:
    """Both evaluation reports: one course (optional) and the period the answers came in."""

    filterset_class = EvaluationFilterSet

    def get(self, request, *args, **kwargs):
        if _names_unknown_object(request, "course", selectors.course_choices(self.report_scope)):
            raise Http404
        return super().get(request, *args, **kwargs)

    def report_filter(self) -> selectors.EvaluationFilter:
        data = self.cleaned_filters()
        submitted_from, submitted_to = _date_range(data.get("submitted"))
        course = data.get("course")
        return selectors.EvaluationFilter(
            scope=self.report_scope,
            course_id=course.pk if course else None,
            submitted_from=submitted_from,
            submitted_to=submitted_to,
        )


class EvaluationSummaryReport(EvaluationReportMixin, LearningReportView):
    """Per course: each rating's distribution (1..5) and mean, the yes/no answers, and a flag
    above everything when any learner reported commercial bias."""

    spec = EVALUATION_SUMMARY
    page_title = _("Course evaluations")
    header_icon = "list-ul"
    index_url_name = "reports_evaluations"
    index_results_url_name = "reports_evaluations_results"
    results_template_name = "reports/evaluations_results.html"
    paginate_by = 100
    columns = [
        Column("code", label=_("Code")),
        Column("title", label=_("Course")),
        Column("responses", label=_("Responses")),
        Column("overall_mean", label=_("Overall: mean")),
        Column("overall_distribution", label=_("Overall: 1 · 2 · 3 · 4 · 5")),
        Column("relevance_mean", label=_("Relevance: mean")),
        Column("relevance_distribution", label=_("Relevance: 1 · 2 · 3 · 4 · 5")),
        Column("objectives_met_yes_percent", label=_("Objectives met: yes %")),
        Column("bias_reported", label=_("Bias reported")),
        Column("would_recommend_yes_percent", label=_("Would recommend: yes %")),
    ]

    def export_row_count(self) -> int:
        return 0  # one row per course: always small

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["bias_reports"] = selectors.evaluation_bias_reports(self.report_filter())
        context["comments_url"] = reverse("reports_evaluation_comments")
        return context


class EvaluationCommentsReport(EvaluationReportMixin, LearningReportView):
    """Each evaluation's answers and comments; an instructor reads them without names."""

    spec = EVALUATION_COMMENTS
    page_title = _("Evaluation comments")
    header_icon = "comment"
    index_url_name = "reports_evaluation_comments"
    index_results_url_name = "reports_evaluation_comments_results"
    columns = [
        DateColumn("submitted_at", label=_("Submitted")),
        Column("course_code", label=_("Course")),
        Column("learner_name", label=_("Learner")),
        Column("learner_email", label=_("Email")),
        Column("overall", label=_("Overall")),
        Column("relevance", label=_("Relevance")),
        BooleanColumn("objectives_met", label=_("Objectives met")),
        BooleanColumn("free_of_bias", label=_("Free of bias")),
        BooleanColumn("would_recommend", label=_("Would recommend")),
        Column("practice_change", label=_("What will change in practice")),
        Column("comments", label=_("Comments")),
    ]

    def get_table(self, object_list):
        shown = set(self.spec.fields_for(self.report_scope)) | {"submitted_at"}
        columns = [column for column in self.columns if column.name in shown]
        return self.table_class(columns, object_list, **self.get_table_kwargs())


class OptionsColumn(Column):
    """Each option of a question with how often it was chosen, the correct ones marked."""

    cell_template_name = "reports/cells/question_options.html"


class QuestionStatisticsReport(LearningReportView):
    """Per question of one quiz: attempts, facility, discrimination, options chosen, flags."""

    spec = QUESTION_STATISTICS
    page_title = _("Question statistics")
    header_icon = "help"
    index_url_name = "reports_question_statistics"
    index_results_url_name = "reports_question_statistics_results"
    results_template_name = "reports/question_statistics_results.html"
    filterset_class = QuestionStatisticsFilterSet
    paginate_by = 200
    columns = [
        Column("position", label=_("#")),
        Column("prompt", label=_("Question")),
        Column("attempts", label=_("Attempts")),
        Column("facility", label=_("Facility %")),
        Column("discrimination", label=_("Discrimination")),
        OptionsColumn("options", label=_("Options chosen")),
        Column("flags_text", label=_("Flags")),
    ]  # fmt: skip

    def get(self, request, *args, **kwargs):
        if _names_unknown_object(request, "quiz", selectors.quiz_choices(self.report_scope)):
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if "attempts" not in kwargs["data"]:
            kwargs["data"] = kwargs["data"].copy()
            kwargs["data"]["attempts"] = selectors.AttemptSet.FIRST
        return kwargs

    def report_filter(self) -> selectors.QuestionStatisticsFilter:
        data = self.cleaned_filters()
        quiz = data.get("quiz")
        return selectors.QuestionStatisticsFilter(
            scope=self.report_scope,
            quiz_id=quiz.pk if quiz else None,
            attempts=data.get("attempts") or selectors.AttemptSet.FIRST,
        )

    def export_row_count(self) -> int:
        return 0  # one row per question: always small

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["quiz_chosen"] = self.report_filter().quiz_id is not None
        return context


def _names_unknown_object(request, name: str, allowed) -> bool:
    """A filter naming an object (by id) the reader may not report on, or that does not exist:
    a 404, as on routes that name an object in their path."""
    raw = request.GET.get(name, "")
    if not raw:
        return False
    if not raw.isdigit() or len(raw) > 18:
        return True
    return not allowed.filter(pk=int(raw)).exists()


class MyExportsReport(ReportView):
    page_title = _("My exports")
    header_icon = "download"
    index_url_name = "reports_exports"
    index_results_url_name = "reports_exports_results"
    columns = [
        Column("report_title", label=_("Report")),
        Column("export_format", label=_("Format")),
        Column("get_status_display", label=_("Status")),
        Column("rows", label=_("Rows")),
        DateColumn("created_at", label=_("Requested")),
        Column("download", label=_("Download")),
        Column("error", label=_("Reason it failed")),
    ]

    def dispatch(self, request, *args, **kwargs):
        scope.require_reports(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return ReportExport.objects.filter(user=self.request.user)

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            spec = EXPORTS.get(row.report)
            row.report_title = spec.title if spec else row.report
            row.download = (
                reverse("reports_export_download", args=[row.pk])
                if row.status == ReportExport.Status.READY
                else ""
            )
        return rows


@require_safe
def export_download(request, pk):
    scope.require_reports(request.user)
    export = get_object_or_404(ReportExport, pk=pk, user=request.user)
    if export.status != ReportExport.Status.READY or not export.file:
        raise Http404
    return FileResponse(export.file.open("rb"), as_attachment=True,
                        filename=export.file.name.rsplit("/", 1)[-1])  # fmt: skip
