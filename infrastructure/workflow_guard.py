"""Crafted requests to Wagtail's workflow actions get a clear 4xx before Wagtail's views see them.

Wagtail's views trust what its own buttons send: the page editor's workflow action reads
``workflow-action-name`` without a default, parses ``workflow-action-extra-data`` with
``json.loads`` and passes it on as keyword arguments (a missing name, bad JSON, a list, an unknown
key or a page with no workflow were 500s); the modal action views act on the task state named in
the URL even when it belongs to another page, or is no longer the one under review. Here:
- a task state that does not exist or is not the named page's: 404;
- an action the user may not take on the page's current task: 403;
- a task state that is not the page's current task under review, a workflow action on a page
  that is not in a workflow: 409;
- a missing action name, or extra data that is not what the action's form accepts: 400;
- the workflow preview and the cancellation confirmation of a page the user may neither edit nor
  review: 404 (Wagtail's preview put the page's draft title in its "not awaiting moderation"
  message, so another program's instructor read it by trying page ids).
People without admin access pass through untouched: Wagtail's own checks answer them.
"""

import json

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from wagtail.models import Page, TaskState

MODAL_ACTION_ROUTES = {
    "wagtailadmin_pages:workflow_action",
    "wagtailadmin_pages:collect_workflow_action_data",
}
EDIT_ROUTE = "wagtailadmin_pages:edit"
PAGE_VIEW_ROUTES = {
    "wagtailadmin_pages:workflow_preview",
    "wagtailadmin_pages:confirm_workflow_cancellation",
}


class WorkflowConflict(HttpResponse):
    status_code = 409


class WorkflowRequestGuardMiddleware(MiddlewareMixin):
    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        guarded = PAGE_VIEW_ROUTES | MODAL_ACTION_ROUTES | {EDIT_ROUTE}
        # Asked only on the admin's routes: a learner's page costs no permission queries.
        if match is None or match.view_name not in guarded or not _is_admin_user(request.user):
            return None
        if match.view_name in PAGE_VIEW_ROUTES:
            return check_page_visible(request, view_kwargs["page_id"])
        if request.method != "POST":
            return None
        if match.view_name in MODAL_ACTION_ROUTES:
            return check_modal_action(request, **view_kwargs)
        if match.view_name == EDIT_ROUTE and request.POST.get("action-workflow-action"):
            return check_editor_action(request, view_kwargs["page_id"])
        return None


def _is_admin_user(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.has_perm("wagtailadmin.access_admin")
    )


def _page(page_id) -> Page:
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404
    return page.specific


def _available_actions(task, page, user) -> set[str]:
    return {name for name, _verbose_name, _modal in task.get_actions(page, user)}


def check_page_visible(request, page_id):
    """The page is the user's to edit, or its current task is the user's to review."""
    page = _page(page_id)
    if page.permissions_for_user(request.user).can_edit():
        return None
    task = page.current_workflow_task
    if task is None or not _available_actions(task, page, request.user):
        raise Http404
    return None


def check_modal_action(request, *, page_id, action_name, task_state_id):
    page = _page(page_id)
    task_state = TaskState.objects.filter(pk=task_state_id).select_related("workflow_state").first()
    workflow_state = task_state.workflow_state if task_state else None
    if workflow_state is None or (
        workflow_state.base_content_type_id,
        workflow_state.object_id,
    ) != (page.get_base_content_type().pk, str(page.pk)):
        raise Http404
    if action_name not in _available_actions(task_state.task.specific, page, request.user):
        raise PermissionDenied
    current = page.current_workflow_task_state
    if current is None or current.pk != task_state.pk:
        return WorkflowConflict(
            _("This page is not awaiting review in this task (it may have moved on).")
        )
    return None


def check_editor_action(request, page_id):
    page = _page(page_id)
    task = page.current_workflow_task
    if task is None:
        return WorkflowConflict(_("This page is not in a workflow."))
    action_name = request.POST.get("workflow-action-name", "")
    if not action_name:
        return HttpResponseBadRequest(_("No workflow action was given."))
    if action_name not in _available_actions(task, page, request.user):
        raise PermissionDenied
    try:
        extra = json.loads(request.POST.get("workflow-action-extra-data", "{}"))
    except ValueError:
        return HttpResponseBadRequest(_("The workflow action's data is not valid JSON."))
    form_class = task.get_form_for_action(action_name)
    # Form data is text: a list, a number or a nested object reaches Wagtail's task unchecked.
    if (
        not isinstance(extra, dict)
        or (extra and form_class is None)
        or not all(isinstance(value, str) for value in extra.values())
    ):
        return HttpResponseBadRequest(_("The workflow action's data is not what it accepts."))
    if form_class is not None:
        form = form_class(extra)
        if set(extra) - set(form.fields) or not form.is_valid():
            return HttpResponseBadRequest(_("The workflow action's data is not what it accepts."))
    return None
