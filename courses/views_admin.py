import re

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.forms import AddModuleForm, NewEditionForm, ScormPackageForm
from courses.models import CoursePage, CreditType, ModulePage, ScormPackage
from courses.permissions import permitted_page_paths, within
from courses.selectors import course_outline
from courses.services import (
    EditionError,
    OutlineError,
    add_module,
    create_edition,
    move_module,
    retire_module,
)
from infrastructure.converters import ObjectIdConverter


class CreditTypeViewSet(SnippetViewSet):
    model = CreditType
    icon = "pick"
    menu_label = "Credit types"
    add_to_admin_menu = False
    list_display = ["name", "short_name", "code", "professions_display", "activity_id_label"]
    search_fields = ["name", "code"]
    ordering = ["sort_order", "name"]


class ScormPackageViewSet(SnippetViewSet):
    """Upload (checked before anything is stored), list and choose SCORM packages."""

    model = ScormPackage
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("SCORM packages")
    add_to_admin_menu = False
    list_display = ["title", "version", "edition", "file_count", "uploaded_at"]
    search_fields = ["title"]
    ordering = ["-uploaded_at"]
    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("package")], base_form_class=ScormPackageForm
    )


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
    if page.specific_class is not CoursePage:
        return
    perms = page.permissions_for_user(user)
    if perms.can_edit():
        yield Button(
            gettext_lazy("Outline"),
            reverse("courses_admin:outline", args=[page.pk]),
            icon_name="list-ol",
            priority=5,
        )
    task = page.current_workflow_task
    if perms.can_edit() or (task and task.specific.user_can_access_editor(page, user)):
        yield Button(
            gettext_lazy("Changes in review"),
            reverse("courses_admin:changes", args=[page.pk]),
            icon_name="doc-full",
            priority=6,
        )
    if perms.can_copy():
        yield Button(
            gettext_lazy("New edition"),
            reverse("courses_admin:new_edition", args=[page.pk]),
            icon_name="copy",
            priority=31,
        )


def course_listing_buttons(page, user, next_url=None):
    yield from course_header_buttons(page, user, "listing", next_url)


def outline_view(request, page_id):
    """The course as an outline: order, status, minutes against credit; move, add, retire."""
    course = get_object_or_404(CoursePage, pk=page_id)
    perms = course.permissions_for_user(request.user)
    if not perms.can_edit():
        raise PermissionDenied
    add_form = AddModuleForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        try:
            response = _outline_action(request, course, add_form)
        except OutlineError as error:
            if error.field:
                add_form.add_error(error.field, error.message)
            else:
                messages.error(request, error.message)
                return redirect("courses_admin:outline", course.pk)
        else:
            if response is not None:
                return response
    outline = course_outline(course)
    next_position = len([r for r in outline.rows if r.module.quiz_kind != "post_test"]) + 1
    if not add_form.is_bound:
        add_form = AddModuleForm(initial={"position": next_position, "minutes": 15})
    return TemplateResponse(
        request,
        "courses/admin/outline.html",
        {
            "course": course,
            "outline": outline,
            "add_form": add_form,
            "page_title": _("Outline"),
            "can_submit": not outline.in_review,
        },
        status=400 if add_form.is_bound and add_form.errors else 200,
    )


def _outline_action(request, course, add_form):
    action = request.POST.get("action")
    pending = _("Saved as a draft of the course: learners see it once the course's review approves "
                "it. Submit the course for review when you are ready.")  # fmt: skip
    if action in ("up", "down"):
        module_id = _int(request.POST.get("module"))
        move_module(course=course, user=request.user, module_id=module_id,
                    offset=-1 if action == "up" else 1)  # fmt: skip
        messages.success(request, _("Module moved. %(pending)s") % {"pending": pending})
        return redirect("courses_admin:outline", course.pk)
    if action == "retire":
        module = get_object_or_404(
            ModulePage.objects.child_of(course), pk=_int(request.POST.get("module"))
        )
        retire_module(module=module, user=request.user)
        messages.success(request, _("Module marked retired. %(pending)s") % {"pending": pending})
        return redirect("courses_admin:outline", course.pk)
    if action == "add":
        if not add_form.is_valid():
            return None
        module = add_module(
            course=course, user=request.user, title=add_form.cleaned_data["title"],
            minutes=add_form.cleaned_data["minutes"], position=add_form.cleaned_data["position"],
        )  # fmt: skip
        messages.success(
            request,
            _(
                "Draft module added at position %(position)d. Write its lesson, then submit "
                "the course."
            )
            % {"position": add_form.cleaned_data["position"]},
        )
        return redirect("wagtailadmin_pages:edit", module.pk)
    raise OutlineError(_("Unknown outline action."))


def _int(value) -> int:
    """A module id as the form sent it: digits only, at most 18 (the ``id`` path converter's
    rule; a longer number overflowed the database lookup, a 500)."""
    if not isinstance(value, str) or not re.fullmatch(ObjectIdConverter.regex, value):
        raise OutlineError(_("Choose a module of this course."))
    return int(value)


def _field_changes(page, request) -> list:
    """Wagtail's own field comparisons between the live page (or nothing) and its latest draft."""
    draft = page.get_latest_revision_as_object()
    before = page.live_revision.as_object() if page.live_revision_id else type(page)()
    panel = type(page).get_edit_handler().get_bound_panel(instance=page, request=request, form=None)
    changes = []
    for comparison_class in panel.get_comparison():
        comparison = comparison_class(before, draft)
        if comparison.has_changed():
            changes.append(comparison)
    return changes


def changes_view(request, page_id):
    """What a review of the course decides: the course and each changed module, field by field."""
    course = get_object_or_404(CoursePage, pk=page_id)
    perms = course.permissions_for_user(request.user)
    task = course.current_workflow_task
    reviewer = bool(task and task.specific.user_can_access_editor(course, request.user))
    if not (perms.can_edit() or reviewer):
        raise PermissionDenied
    outline = course_outline(course)
    sections = []
    for page in [course] + [row.module for row in outline.rows]:
        page = type(page).objects.get(pk=page.pk)
        if not page.has_unpublished_changes:
            continue
        sections.append(
            {
                "page": page,
                "is_new": not page.live_revision_id,
                "compare_from": "live" if page.live_revision_id else "earliest",
                "changes": _field_changes(page, request),
            }
        )
    return TemplateResponse(
        request,
        "courses/admin/changes.html",
        {"course": course, "outline": outline, "sections": sections,
         "page_title": _("Changes in review")},
    )  # fmt: skip


admin_urlpatterns = [
    path("<id:page_id>/new-edition/", new_edition_view, name="new_edition"),
    path("<id:page_id>/outline/", outline_view, name="outline"),
    path("<id:page_id>/changes/", changes_view, name="changes"),
]
