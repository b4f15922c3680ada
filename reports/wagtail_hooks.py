from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from reports import scope
from reports.panels import add_learning_panel
from reports.views import (
    CourseCompletionReport,
    EvaluationCommentsReport,
    EvaluationSummaryReport,
    LearnerProgressReport,
    LearnerTranscriptReport,
    MyExportsReport,
    OrganizationRosterReport,
    QuestionStatisticsReport,
    export_download,
)

hooks.register("construct_homepage_panels", add_learning_panel)


@hooks.register("insert_global_admin_css")
def report_form_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin-reports.css"))


REPORTS = [
    ("course-completion", CourseCompletionReport, "reports_course_completion",
     _("Course completion"), "tasks"),
    ("learner-progress", LearnerProgressReport, "reports_learner_progress",
     _("Learner progress"), "user"),
    ("learner-transcript", LearnerTranscriptReport, "reports_learner_transcript",
     _("Learner transcript"), "doc-full"),
    ("organization-roster", OrganizationRosterReport, "reports_organization_roster",
     _("Organization roster"), "group"),
    ("evaluations", EvaluationSummaryReport, "reports_evaluations",
     _("Course evaluations"), "list-ul"),
    ("evaluation-comments", EvaluationCommentsReport, "reports_evaluation_comments",
     _("Evaluation comments"), "comment"),
    ("question-statistics", QuestionStatisticsReport, "reports_question_statistics",
     _("Question statistics"), "help"),
    ("my-exports", MyExportsReport, "reports_exports", _("My exports"), "download"),
]  # fmt: skip


@hooks.register("register_admin_urls")
def register_report_urls():
    urls = []
    for slug, view, name, _label, _icon in REPORTS:
        urls.append(path(f"learning-reports/{slug}/", view.as_view(), name=name))
        urls.append(
            path(f"learning-reports/{slug}/results/",
                 view.as_view(results_only=True), name=f"{name}_results")
        )  # fmt: skip
    urls.append(
        path("learning-reports/exports/<id:pk>/download/", export_download,
             name="reports_export_download")
    )  # fmt: skip
    return urls


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return scope.can_view_reports(request.user)


def _menu_item(label, name, icon, order):
    return ReportMenuItem(label, reverse(name), icon_name=icon, order=order)


for position, (_slug, _view, _name, _label, _icon) in enumerate(REPORTS):
    hooks.register(
        "register_reports_menu_item",
        lambda label=_label, name=_name, icon=_icon, order=position: _menu_item(
            label, name, icon, 10 + order
        ),
    )
