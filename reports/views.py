"""Learning reports in the Wagtail admin: filters, CSV/XLSX export, large exports by Celery."""

import statistics
from collections import defaultdict
from datetime import timedelta

from django.contrib import messages
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from accounts.models import Profession
from certificates.constants import EXPIRY_HORIZON_DAYS
from certificates.models import Certificate, CertificateStatus
from courses.models import CoursePage, ModulePage
from enrollments.models import Enrollment, EnrollmentStatus
from reports import scope
from reports.aggregates import EpochSeconds, Median
from reports.exports import ASYNC_EXPORT_THRESHOLD, SafeSpreadsheetMixin
from reports.filters import CourseCompletionFilterSet, LearnerProgressFilterSet
from reports.models import ReportExport


def choice_label(field: str, choices) -> Case:
    """A choice's label computed by the database: ``get_FOO_display`` per row is slow in exports."""
    return Case(
        *[When(**{field: value}, then=Value(str(label))) for value, label in choices],
        default=Value(""),
    )


class LearningReportView(SafeSpreadsheetMixin, ReportView):
    """Common ground: permission, the instructor's scope, and large exports in the background."""

    report_key = ""

    def dispatch(self, request, *args, **kwargs):
        scope.require_reports(request.user)
        return super().dispatch(request, *args, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        if self.is_export and self.export_row_count() > ASYNC_EXPORT_THRESHOLD:
            return self.start_background_export()
        return super().render_to_response(context, **response_kwargs)

    def export_row_count(self) -> int:
        return self.get_filtered_queryset().count()

    def start_background_export(self):
        from reports.tasks import build_export

        params = {k: v for k, v in self.request.GET.lists() if k != "export"}
        export = ReportExport.objects.create(
            user=self.request.user,
            report=self.report_key,
            params=params,
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


class CourseCompletionReport(LearningReportView):
    report_key = "course_completion"
    page_title = _("Course completion")
    header_icon = "tasks"
    index_url_name = "reports_course_completion"
    index_results_url_name = "reports_course_completion_results"
    filterset_class = CourseCompletionFilterSet
    export_filename = "course-completion"
    paginate_by = 100
    list_export = [
        "code", "title", "enrolled", "in_progress", "completed", "completion_rate",
        "average_score", "median_score", "median_days", "certificates_issued",
        "certificates_expiring", "certificates_revoked",
    ]  # fmt: skip
    export_headings = {
        "code": _("Course code"), "title": _("Course"), "enrolled": _("Enrolled"),
        "in_progress": _("In progress"), "completed": _("Completed"),
        "completion_rate": _("Completion rate (%)"), "average_score": _("Average best score (%)"),
        "median_score": _("Median best score (%)"), "median_days": _("Median days to complete"),
        "certificates_issued": _("Certificates issued"),
        "certificates_expiring": _("Expiring in 90 days"),
        "certificates_revoked": _("Certificates revoked"),
    }  # fmt: skip
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

    def get_base_queryset(self):
        return CoursePage.objects.filter(scope.scope_q(self.request.user, "path")).order_by("code")

    def enrollment_filter(self) -> Q:
        query = Q()
        data = self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}
        enrolled = data.get("enrolled")
        if enrolled and enrolled.start:
            query &= Q(enrollments__enrolled_at__date__gte=enrolled.start)
        if enrolled and enrolled.stop:
            query &= Q(enrollments__enrolled_at__date__lte=enrolled.stop)
        if data.get("profession"):
            query &= Q(enrollments__user__profession=data["profession"])
        if data.get("organization"):
            query &= Q(enrollments__user__organization__icontains=data["organization"])
        return query

    def get_filtered_queryset(self):
        courses = super().get_filtered_queryset()
        f = self.enrollment_filter()
        completed = f & Q(enrollments__status=EnrollmentStatus.COMPLETED)
        return courses.annotate(
            enrolled=Count("enrollments", filter=f),
            in_progress=Count(
                "enrollments", filter=f & Q(enrollments__status=EnrollmentStatus.ACTIVE)
            ),
            completed=Count("enrollments", filter=completed),
            average_score=Avg("enrollments__post_test_best_score", filter=f),
            median_score=Median("enrollments__post_test_best_score", filter=f),
            median_seconds=Median(
                EpochSeconds(F("enrollments__completed_at") - F("enrollments__enrolled_at")),
                filter=completed,
            ),
        ).defer_streamfields()

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        self._attach_certificate_counts(rows)
        missing_medians = rows and all(row.median_score is None for row in rows)
        if missing_medians:  # not PostgreSQL: one query for the page's medians
            self._fill_medians(rows)
        for row in rows:
            row.completion_rate = (
                round(100 * row.completed / row.enrolled, 1) if row.enrolled else 0
            )
            row.average_score = round(row.average_score, 1) if row.average_score is not None else ""
            row.median_score = round(row.median_score, 1) if row.median_score is not None else ""
            seconds = getattr(row, "median_seconds", None)
            row.median_days = round(seconds / 86400, 1) if seconds is not None else ""
        return rows

    def _attach_certificate_counts(self, rows):
        """One grouped query for the page's courses (subqueries in the main one ran per row)."""
        today = timezone.localdate()
        horizon = today + timedelta(days=EXPIRY_HORIZON_DAYS)
        counts = {
            row["enrollment__course"]: row
            for row in Certificate.objects.filter(enrollment__course__in=[r.pk for r in rows])
            .order_by()
            .values("enrollment__course")
            .annotate(
                issued=Count("pk", filter=Q(status__in=[CertificateStatus.ISSUED,
                                                       CertificateStatus.ARCHIVED])),
                expiring=Count("pk", filter=Q(status=CertificateStatus.ISSUED,
                                             expires_on__gte=today,
                                             expires_on__lte=horizon)),
                revoked=Count("pk", filter=Q(status=CertificateStatus.REVOKED)),
            )
        }  # fmt: skip
        for row in rows:
            found = counts.get(row.pk, {})
            row.certificates_issued = found.get("issued", 0)
            row.certificates_expiring = found.get("expiring", 0)
            row.certificates_revoked = found.get("revoked", 0)

    def _fill_medians(self, rows):
        f = self.enrollment_filter()
        scores, days = defaultdict(list), defaultdict(list)
        enrollments = Enrollment.objects.filter(course__in=rows)
        if f:
            enrollments = enrollments.filter(
                pk__in=CoursePage.objects.filter(f).values("enrollments")
            )
        for course_id, score, status, enrolled_at, completed_at in enrollments.values_list(
            "course_id", "post_test_best_score", "status", "enrolled_at", "completed_at"
        ):
            if score is not None:
                scores[course_id].append(float(score))
            if status == EnrollmentStatus.COMPLETED and completed_at:
                days[course_id].append((completed_at - enrolled_at).total_seconds())
        for row in rows:
            row.median_score = statistics.median(scores[row.pk]) if scores[row.pk] else None
            row.median_seconds = statistics.median(days[row.pk]) if days[row.pk] else None

    def export_row_count(self) -> int:
        return 0  # one row per course: always small


class LearnerProgressReport(LearningReportView):
    report_key = "learner_progress"
    page_title = _("Learner progress")
    header_icon = "user"
    index_url_name = "reports_learner_progress"
    index_results_url_name = "reports_learner_progress_results"
    filterset_class = LearnerProgressFilterSet
    is_searchable = True
    search_fields = ["user__email", "user__full_name", "user__certificate_name"]
    search_backend_name = None
    export_filename = "learner-progress"
    list_export = [
        "user.full_name", "user.email", "profession_label", "user.organization",
        "course.code", "course.title", "status_label", "percent_complete",
        "post_test_attempts", "post_test_best_score", "enrolled_at", "completed_at",
        "certificate_code",
    ]  # fmt: skip
    export_headings = {
        "user.full_name": _("Learner"), "user.email": _("Email"),
        "profession_label": _("Profession"), "user.organization": _("Organization"),
        "course.code": _("Course code"), "course.title": _("Course"),
        "status_label": _("Status"), "percent_complete": _("Percent complete"),
        "post_test_attempts": _("Attempts"), "post_test_best_score": _("Best score (%)"),
        "enrolled_at": _("Enrolled"), "completed_at": _("Completed"),
        "certificate_code": _("Certificate code"),
    }  # fmt: skip
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

    @cached_property
    def module_counts(self) -> dict[int, int]:
        """Live modules per course, in one query (a per-row subquery scanned the page tree)."""
        counts: dict[str, int] = defaultdict(int)
        for path in ModulePage.objects.live().values_list("path", flat=True):
            counts[path[: -ModulePage.steplen]] += 1
        return {
            pk: counts.get(path, 0) for pk, path in CoursePage.objects.values_list("pk", "path")
        }

    def get_base_queryset(self):
        certificate = Certificate.objects.filter(
            enrollment=OuterRef("pk"), cycle=OuterRef("cycle")
        ).values("code")[:1]
        return (
            Enrollment.objects.filter(scope.scope_q(self.request.user, "course__path"))
            .select_related("user", "course")
            # Only what the rows show: a course row is a Wagtail page with ~50 columns.
            .only(
                "status",
                "cycle",
                "enrolled_at",
                "completed_at",
                "modules_completed",
                "post_test_attempts",
                "post_test_best_score",
                "user__full_name",
                "user__email",
                "user__profession",
                "user__organization",
                "course__code",
                "course__title",
                "course__path",
                "course__depth",
            )  # fmt: skip
            .annotate(
                certificate_code=Subquery(certificate),
                status_label=choice_label("status", EnrollmentStatus.choices),
                profession_label=choice_label("user__profession", Profession.choices),
            )
            .order_by("-enrolled_at", "-pk")
        )

    def percent_complete(self, enrollment) -> int:
        total = self.module_counts.get(enrollment.course_id, 0)
        return min(100, round(100 * enrollment.modules_completed / total)) if total else 0

    def to_row_dict(self, item):
        item.percent_complete = self.percent_complete(item)
        return super().to_row_dict(item)

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row.percent_complete = self.percent_complete(row)
        return rows

    def get_filtered_queryset(self):
        return self.get_queryset()


class OrganizationRosterReport(LearningReportView):
    """One organization's people: each course's status and, for GCP, validity on a date."""

    report_key = "organization_roster"
    page_title = _("Organization roster")
    header_icon = "group"
    index_url_name = "reports_organization_roster"
    index_results_url_name = "reports_organization_roster_results"
    template_name = "reports/roster.html"
    export_filename = "organization-roster"
    list_export = [
        "user.full_name", "user.email", "user.get_profession_display", "course.code",
        "course.title", "get_status_display", "completed_at", "gcp_status",
    ]  # fmt: skip
    export_headings = {
        "user.full_name": _("Learner"), "user.email": _("Email"),
        "user.get_profession_display": _("Profession"), "course.code": _("Course code"),
        "course.title": _("Course"), "get_status_display": _("Status"),
        "completed_at": _("Completed"), "gcp_status": _("GCP certificate on the date"),
    }  # fmt: skip
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
        from django.utils.dateparse import parse_date

        try:
            return parse_date(self.request.GET.get("date") or "") or timezone.localdate()
        except ValueError:
            return timezone.localdate()

    def get_base_queryset(self):
        valid = Certificate.objects.filter(
            enrollment=OuterRef("pk"),
            status__in=[CertificateStatus.ISSUED, CertificateStatus.ARCHIVED],
            completed_on__lte=self.on_date,
        ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=self.on_date))
        if not self.organization:
            return Enrollment.objects.none()
        return (
            Enrollment.objects.filter(
                scope.scope_q(self.request.user, "course__path"),
                user__organization__iexact=self.organization,
            )
            .select_related("user", "course")
            .annotate(gcp_valid=Exists(valid))
            .order_by("user__full_name", "user__email", "course__code")
        )

    def get_filtered_queryset(self):
        return self.get_queryset()

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            if not row.course.is_gcp:
                row.gcp_status = "—"
            else:
                row.gcp_status = "valid" if row.gcp_valid else "NOT valid"
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organizations = (
            Enrollment.objects.filter(scope.scope_q(self.request.user, "course__path"))
            .exclude(user__organization="")
            .order_by("user__organization")
            .values_list("user__organization", flat=True)
            .distinct()[:500]
        )
        context.update(
            {"organizations": organizations, "organization": self.organization,
             "on_date": self.on_date}
        )  # fmt: skip
        return context


class MyExportsReport(ReportView):
    page_title = _("My exports")
    header_icon = "download"
    index_url_name = "reports_exports"
    index_results_url_name = "reports_exports_results"
    columns = [
        Column("report", label=_("Report")),
        Column("export_format", label=_("Format")),
        Column("get_status_display", label=_("Status")),
        Column("rows", label=_("Rows")),
        DateColumn("created_at", label=_("Requested")),
        Column("download", label=_("Download")),
    ]

    def dispatch(self, request, *args, **kwargs):
        scope.require_reports(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return ReportExport.objects.filter(user=self.request.user)

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row.download = (
                reverse("reports_export_download", args=[row.pk])
                if row.status == ReportExport.Status.READY
                else ""
            )
        return rows


def export_download(request, pk):
    scope.require_reports(request.user)
    export = get_object_or_404(ReportExport, pk=pk, user=request.user)
    if export.status != ReportExport.Status.READY or not export.file:
        raise Http404
    return FileResponse(export.file.open("rb"), as_attachment=True,
                        filename=export.file.name.rsplit("/", 1)[-1])  # fmt: skip


class LearnerTranscriptReport(LearningReportView):
    """One learner's courses and certificates, with credit totals per credit type."""

    report_key = "learner_transcript"
    page_title = _("Learner transcript")
    header_icon = "doc-full"
    index_url_name = "reports_learner_transcript"
    index_results_url_name = "reports_learner_transcript_results"
    template_name = "reports/transcript.html"
    export_filename = "learner-transcript"
    list_export = [
        "course.code", "course.title", "get_status_display", "enrolled_at", "completed_at",
        "post_test_best_score", "certificate_code", "certificate_state", "credits_text",
    ]  # fmt: skip
    export_headings = {
        "course.code": _("Course code"), "course.title": _("Course"),
        "get_status_display": _("Status"), "enrolled_at": _("Enrolled"),
        "completed_at": _("Completed"), "post_test_best_score": _("Best score (%)"),
        "certificate_code": _("Certificate code"), "certificate_state": _("Certificate"),
        "credits_text": _("Credits"),
    }  # fmt: skip
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
    def learner(self):
        from django.contrib.auth import get_user_model

        email = (self.request.GET.get("learner") or "").strip()
        if not email:
            return None
        return get_user_model().objects.filter(email__iexact=email).first()

    def get_base_queryset(self):
        if self.learner is None:
            return Enrollment.objects.none()
        return (
            Enrollment.objects.filter(
                scope.scope_q(self.request.user, "course__path"), user=self.learner
            )  # fmt: skip
            .select_related("course")
            .order_by("-enrolled_at")
        )

    def get_filtered_queryset(self):
        return self.get_queryset()

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        certificates = {
            (c.enrollment_id, c.cycle): c for c in Certificate.objects.filter(enrollment__in=rows)
        }
        for row in rows:
            certificate = certificates.get((row.pk, row.cycle))
            row.certificate_code = certificate.code if certificate else ""
            row.certificate_state = certificate.public_state if certificate else ""
            row.credits_text = "; ".join(
                f"{c['hours']} {c['short_name']}"
                for c in (certificate.credits if certificate else [])
            )
        return rows

    def get_context_data(self, **kwargs):
        from certificates.selectors import transcript

        context = super().get_context_data(**kwargs)
        context["learner"] = self.learner
        context["learner_query"] = (self.request.GET.get("learner") or "").strip()[:254]
        if self.learner is not None:
            context["totals"] = transcript(self.learner)["totals"]
        return context


REPORTS = {
    view.report_key: view
    for view in (
        CourseCompletionReport,
        LearnerProgressReport,
        LearnerTranscriptReport,
        OrganizationRosterReport,
    )
}
