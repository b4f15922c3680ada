"""Writing an announcement (form, preview with the recipient count, send) and its log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django.views.defaults import permission_denied
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView

from announcements import selectors, services
from announcements.forms import AnnouncementForm
from courses.models import CoursePage


def is_announcer(user) -> bool:
    return selectors.announceable_courses(user).exists()


def _course_in_request(request) -> CoursePage | None:
    raw = (request.POST if request.method == "POST" else request.GET).get("course", "")
    if not raw.isdigit() or len(raw) > 18:
        return None
    return CoursePage.objects.filter(pk=int(raw)).defer_streamfields().first()


@require_http_methods(["GET", "POST"])
def compose(request):
    """GET: the form. POST "preview": the mail as learners will read it and how many receive
    it. POST "send": queue it. A course outside the sender's programs is a 403, whatever the
    form says."""
    course = _course_in_request(request)
    if not is_announcer(request.user) or (
        course is not None and not selectors.may_announce(request.user, course)
    ):
        return _forbidden(request)
    offered = selectors.announceable_courses(request.user)
    if request.method == "GET":
        form = AnnouncementForm(initial={"course": course.pk if course else None},
                                offered=offered)  # fmt: skip
        return _render(request, form)
    form = AnnouncementForm(request.POST, offered=offered)
    if not form.is_valid():
        return _render(request, form)
    data = form.cleaned_data
    if request.POST.get("action") == "send":
        try:
            announcement = services.queue_announcement(
                sender=request.user, course=data["course"], subject=data["subject"],
                body=data["body"],
            )  # fmt: skip
        except services.AnnouncementRefused:
            return _forbidden(request)
        messages.success(
            request,
            _("Your announcement to %(course)s is being sent to %(count)d learners.")
            % {"course": data["course"].code, "count": announcement.recipient_count},
        )
        return redirect("announcements_log")
    preview = services.render_announcement(
        course=data["course"], subject=data["subject"], body=data["body"]
    )
    return _render(
        request,
        form,
        preview=preview,
        recipient_count=selectors.recipients(data["course"]).count(),
    )


def _forbidden(request):
    """A plain 403: raising PermissionDenied in the admin would redirect to its dashboard."""
    return permission_denied(request, PermissionDenied())


def _render(request, form, **extra):
    context = {"form": form, "page_title": _("New announcement"), **extra}
    return TemplateResponse(request, "announcements/compose.html", context)


class AnnouncementLog(ReportView):
    """Every announcement to the reader's programs' courses: who, when, how many got it."""

    page_title = gettext_lazy("Announcements")
    header_icon = "mail"
    index_url_name = "announcements_log"
    index_results_url_name = "announcements_log_results"
    template_name = "announcements/log.html"
    paginate_by = 50
    columns = [
        DateColumn("created_at", label=gettext_lazy("Queued")),
        Column("sender", label=gettext_lazy("Sender"), accessor="sender_name"),
        Column("course", label=gettext_lazy("Course"), accessor="course.code"),
        Column("subject", label=gettext_lazy("Subject")),
        Column("recipient_count", label=gettext_lazy("Recipients")),
        Column("sent_count", label=gettext_lazy("Sent")),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column("error", label=gettext_lazy("Reason it failed")),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not is_announcer(request.user):
            return _forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def base_queryset(self):
        return selectors.announcements_for(self.request.user)

    def get_queryset(self):
        return self.base_queryset

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row.sender_name = row.sender.get_full_name() if row.sender else "—"
        return rows
