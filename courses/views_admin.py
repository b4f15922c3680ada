from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.forms import NewEditionForm
from courses.models import CoursePage, CreditType
from courses.permissions import permitted_page_paths, within
from courses.services import EditionError, create_edition


class CreditTypeViewSet(SnippetViewSet):
    model = CreditType
    icon = "pick"
    menu_label = "Credit types"
    add_to_admin_menu = False
    list_display = ["name", "short_name", "code", "professions_display", "activity_id_label"]
    search_fields = ["name", "code"]
    ordering = ["sort_order", "name"]


class ProgramPageTypesUsageReportView(PageTypesUsageReportView):
    """Wagtail's "Page types usage", counted over the pages the user may see: an instructor's
    programs (Wagtail's own counts every page and names the last edited one, drafts of other
    programs included); an administrator's report is Wagtail's."""

    def get_queryset(self):
        queryset = super().get_queryset()
        self.scope_paths = permitted_page_paths(self.request.user)
        return queryset

    def decorate_paginated_queryset(self, page_types):
        if self.scope_paths is None:
            return super().decorate_paginated_queryset(page_types)
        pages = Page.objects.filter(within(self.scope_paths))
        site_root_path = self.filters.form.cleaned_data.get("site") if self.filters else None
        if site_root_path:
            pages = pages.filter(path__startswith=site_root_path)
        counts = dict(
            pages.order_by()
            .values_list("content_type")
            .annotate(n=Count("pk"))
            .values_list("content_type", "n")
        )
        for item in page_types:
            item.count = counts.get(item.pk, 0)
            item.last_edited_page = (
                pages.filter(content_type=item.pk)
                .order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk")
                .specific()
                .first()
                if item.count
                else None
            )
        return page_types


def new_edition_view(request, page_id):
    """Ask for the new code and version, then copy the course as a draft edition."""
    course = get_object_or_404(CoursePage, pk=page_id)
    if not course.permissions_for_user(request.user).can_copy():
        raise PermissionDenied
    initial = {"title": course.title}
    form = NewEditionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            edition = create_edition(
                course=course,
                user=request.user,
                code=data["code"],
                version=data["version"],
                title=data["title"],
                slug=data["slug"],
            )
        except EditionError as error:
            form.add_error(error.field, error.message)
        else:
            edit_url = reverse("wagtailadmin_pages:edit", args=[edition.pk])
            messages.success(
                request,
                _("%(code)s is a new draft edition of %(old)s. Edit it, then submit it for review.")
                % {"code": edition.code, "old": course.code},
                buttons=[messages.button(edit_url, _("Edit"))],
            )
            return redirect("wagtailadmin_explore", edition.pk)
    return TemplateResponse(
        request,
        "courses/admin/new_edition.html",
        {"form": form, "course": course, "page_title": _("New edition")},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def redirect_course_copy(request, page):
    """Wagtail's "Copy" of a course makes a new edition: a course needs its own code."""
    if page.specific_class is CoursePage:
        return redirect("courses_admin:new_edition", page.pk)
    return None


def course_header_buttons(page, user, view_name, next_url=None):
    if page.specific_class is CoursePage and page.permissions_for_user(user).can_copy():
        yield Button(
            gettext_lazy("New edition"),
            reverse("courses_admin:new_edition", args=[page.pk]),
            icon_name="copy",
            priority=31,
        )


def course_listing_buttons(page, user, next_url=None):
    yield from course_header_buttons(page, user, "listing", next_url)


admin_urlpatterns = [
    path("<int:page_id>/new-edition/", new_edition_view, name="new_edition"),
]
