"""Crafted POSTs to Wagtail's workflow views get a clear 4xx, never a 500, and change nothing.

The table covers every workflow route Wagtail's URL conf defines (a new one must join it) and the
page editor's own workflow action (``action-workflow-action``).
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import TaskState, WorkflowState

from courses.permissions import ensure_instructor_group, ensure_review_workflow
from tests.accounts.factories import UserFactory
from tests.courses import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, django_user_model):
    settings.LMS_REQUIRE_STAFF_MFA = False
    ctn, cmiit = factories.program("ctn"), factories.program("cmiit")
    ensure_instructor_group(ctn)
    ensure_instructor_group(cmiit)
    workflow = ensure_review_workflow(ctn)
    admin = django_user_model.objects.create_superuser("root@example.org", "pw")
    reviewed = factories.course(ctn, "CTN-101")
    other = factories.course(ctn, "CTN-102")
    idle = factories.course(cmiit, "CMIIT-101")  # no workflow over CMIIT
    for page in (reviewed, other):
        workflow.start(page, admin)
    task_state = reviewed.current_workflow_task_state
    # A finished review of the same page: its task state is no longer the current one.
    finished = factories.course(ctn, "CTN-103")
    workflow.start(finished, admin)
    done_task_state = finished.current_workflow_task_state
    done_task_state.approve(user=admin)
    reviewed_done = TaskState.objects.get(pk=done_task_state.pk)
    reviewed_done.workflow_state = task_state.workflow_state
    reviewed_done.save()
    actors = {"admin": admin}
    for code in ("ctn", "cmiit"):
        actors[code] = UserFactory(email=f"{code}.instructor@example.org")
        actors[code].groups.add(ensure_instructor_group(ctn if code == "ctn" else cmiit))
    return {
        "actors": actors,
        "done_task_state": reviewed_done,
        "admin": admin,
        "reviewed": reviewed,
        "other": other,
        "idle": idle,
        "task_state": task_state,
        "other_task_state": other.current_workflow_task_state,
        "workflow": workflow,
        "task": task_state.task,
    }


EDIT = {"action-workflow-action": "1", "workflow-action-name": "approve"}
WORKFLOW_FORM = {"name": "x", "tasks-TOTAL_FORMS": "1", "tasks-INITIAL_FORMS": "0",
                 "pages-TOTAL_FORMS": "1", "pages-INITIAL_FORMS": "0"}  # fmt: skip
BIG = "999999999"
ACT = "/admin/pages/workflow/action/"
COLLECT = "/admin/pages/workflow/collect_action_data/"
WF = "/admin/workflows/"
XD = "workflow-action-extra-data"

# (case, actor, method, url, data, expected status); {names} come from the world's ids.
CASES = [
    # The modal action views: a task state of another page, unknown, or no longer current.
    ("action: unknown name", "admin", "post", ACT + "{r}/explode/{ts}/", {}, 403),
    ("action: another page's task state", "admin", "post", ACT + "{r}/approve/{ots}/", {}, 404),
    ("action: no such task state", "admin", "post", ACT + "{r}/approve/" + BIG + "/", {}, 404),
    ("action: page not in a workflow", "admin", "post", ACT + "{i}/approve/{ts}/", {}, 404),
    ("action: finished task state", "admin", "post", ACT + "{r}/approve/{done}/", {}, 409),
    ("action: not a reviewer", "cmiit", "post", ACT + "{r}/approve/{ts}/", {}, 403),
    (
        "action: comment as a list",
        "admin",
        "post",
        ACT + "{r}/reject/{ots}/",
        {"comment": ["a", "b"]},
        404,
    ),
    ("collect: unknown name", "admin", "post", COLLECT + "{r}/explode/{ts}/", {}, 403),
    (
        "collect: another page's task state",
        "admin",
        "post",
        COLLECT + "{r}/approve/{ots}/",
        {},
        404,
    ),
    ("collect: page not in a workflow", "admin", "post", COLLECT + "{i}/approve/{ts}/", {}, 404),
    ("collect: no such task state", "admin", "post", COLLECT + "{r}/approve/" + BIG + "/", {}, 404),
    (
        "cancel: page not in a workflow",
        "admin",
        "post",
        "/admin/pages/workflow/confirm_cancellation/{i}/",
        {},
        200,
    ),
    (
        "cancel: no such page",
        "admin",
        "post",
        "/admin/pages/workflow/confirm_cancellation/" + BIG + "/",
        {},
        404,
    ),
    (
        "preview: no such task",
        "admin",
        "get",
        "/admin/pages/workflow/preview/{r}/" + BIG + "/",
        {},
        404,
    ),
    (
        "preview: a page of another program",
        "cmiit",
        "get",
        "/admin/pages/workflow/preview/{r}/{t}/",
        {},
        404,
    ),
    (
        "preview: another program's page not in a workflow",
        "ctn",
        "get",
        "/admin/pages/workflow/preview/{i}/{t}/",
        {},
        404,
    ),
    (
        "cancel: a page of another program",
        "cmiit",
        "get",
        "/admin/pages/workflow/confirm_cancellation/{r}/",
        {},
        404,
    ),
    (
        "preview: the page's reviewer",
        "admin",
        "get",
        "/admin/pages/workflow/preview/{r}/{t}/",
        {},
        200,
    ),
    (
        "history: garbage page number",
        "admin",
        "get",
        "/admin/pages/{r}/workflow_history/?p=zz",
        {},
        200,
    ),
    (
        "history: another page's workflow",
        "admin",
        "get",
        "/admin/pages/{i}/workflow_history/detail/{ws}/",
        {},
        404,
    ),
    # The page editor's own workflow action.
    (
        "editor: no action name",
        "admin",
        "post",
        "/admin/pages/{r}/edit/",
        {"action-workflow-action": "1"},
        400,
    ),
    ("editor: page not in a workflow", "admin", "post", "/admin/pages/{i}/edit/", EDIT, 409),
    ("editor: not a reviewer", "ctn", "post", "/admin/pages/{r}/edit/", EDIT, 403),
    (
        "editor: extra data not JSON",
        "admin",
        "post",
        "/admin/pages/{r}/edit/",
        {**EDIT, XD: "{not json"},
        400,
    ),
    (
        "editor: extra data a list",
        "admin",
        "post",
        "/admin/pages/{r}/edit/",
        {**EDIT, XD: "[1, 2]"},
        400,
    ),
    (
        "editor: extra data an unknown key",
        "admin",
        "post",
        "/admin/pages/{r}/edit/",
        {**EDIT, XD: '{"bogus": "1"}'},
        400,
    ),
    (
        "editor: extra data not text",
        "admin",
        "post",
        "/admin/pages/{r}/edit/",
        {**EDIT, XD: '{"comment": {"a": 1}}'},
        400,
    ),
    # Workflows and tasks themselves.
    (
        "workflow add: page id not a number",
        "admin",
        "post",
        WF + "add/",
        {**WORKFLOW_FORM, "pages-0-page": "zz"},
        200,
    ),
    (
        "workflow add: task id not a number",
        "admin",
        "post",
        WF + "add/",
        {**WORKFLOW_FORM, "tasks-0-task": "zz"},
        200,
    ),
    (
        "workflow edit: unknown ids",
        "admin",
        "post",
        WF + "edit/{wf}/",
        {**WORKFLOW_FORM, "tasks-0-task": BIG, "pages-0-page": BIG},
        200,
    ),
    ("workflow edit: no such workflow", "admin", "post", WF + "edit/" + BIG + "/", {}, 404),
    ("workflow enable: no such workflow", "admin", "post", WF + "enable/" + BIG + "/", {}, 404),
    ("workflow disable: no such workflow", "admin", "post", WF + "disable/" + BIG + "/", {}, 404),
    ("workflow usage: no such workflow", "admin", "get", WF + "usage/" + BIG + "/", {}, 404),
    ("workflow remove: no such page", "admin", "post", WF + "remove/" + BIG + "/", {}, 404),
    ("workflow list: garbage paging", "admin", "get", WF + "list/?p=zz&ordering=zz", {}, 200),
    ("task add: not a task model", "admin", "get", WF + "tasks/add/wagtailcore/page/", {}, 404),
    (
        "task add: group id not a number",
        "admin",
        "post",
        WF + "tasks/add/wagtailcore/groupapprovaltask/",
        {"name": "x", "groups": ["zz"]},
        200,
    ),
    (
        "task edit: garbage",
        "admin",
        "post",
        WF + "tasks/edit/{t}/",
        {"name": "", "groups": "zz"},
        200,
    ),
    ("task edit: no such task", "admin", "post", WF + "tasks/edit/" + BIG + "/", {}, 404),
    ("task disable: no such task", "admin", "post", WF + "tasks/disable/" + BIG + "/", {}, 404),
    ("task enable: no such task", "admin", "post", WF + "tasks/enable/" + BIG + "/", {}, 404),
    ("task chooser: no such task", "admin", "get", WF + "task_chooser/" + BIG + "/", {}, 404),
    (
        "task chooser: create unknown type",
        "admin",
        "post",
        WF + "task_chooser/create/?task_type=wagtailcore.page",
        {"create-task-name": "x"},
        200,
    ),
    (
        "reports: garbage filters",
        "admin",
        "get",
        "/admin/reports/workflow/?p=zz&requested_by=zz&created_at_after=zz",
        {},
        200,
    ),
    (
        "reports: garbage task filters",
        "admin",
        "get",
        "/admin/reports/workflow_tasks/?p=zz&status=zz&workflow=zz",
        {},
        200,
    ),
]


def _url(world, template):
    return template.format(
        r=world["reviewed"].pk, i=world["idle"].pk, ts=world["task_state"].pk,
        ots=world["other_task_state"].pk, done=world["done_task_state"].pk, t=world["task"].pk,
        ws=world["task_state"].workflow_state.pk, wf=world["workflow"].pk,
    )  # fmt: skip


def _states():
    return sorted(TaskState.objects.values_list("pk", "status")), sorted(
        WorkflowState.objects.values_list("pk", "status")
    )


@pytest.mark.parametrize(("case", "actor", "method", "url", "data", "expected"), CASES,
                         ids=[case[0] for case in CASES])  # fmt: skip
def test_a_crafted_workflow_request_gets_a_clear_answer(
    world, case, actor, method, url, data, expected
):
    client = Client(raise_request_exception=False)
    client.force_login(world["actors"][actor])
    before = _states()
    response = getattr(client, method)(_url(world, url), data)
    assert response.status_code == expected
    if actor != "admin":  # no title of a page the instructor may not see, now or on the next page
        seen = response.content + client.get("/admin/").content
        for page in (world["reviewed"], world["idle"]):
            if not page.permissions_for_user(world["actors"][actor]).can_edit():
                assert page.title.encode() not in seen
    if method == "post" and expected >= 400:
        assert _states() == before  # nothing approved, rejected or cancelled


def test_an_approval_of_the_current_task_still_goes_through(world):
    client = Client()
    client.force_login(world["admin"])
    url = _url(world, ACT + "{r}/approve/{ts}/")
    response = client.post(url, {"comment": "Reviewed against the charter."})
    assert response.status_code == 302
    world["task_state"].refresh_from_db()
    assert world["task_state"].status == TaskState.STATUS_APPROVED


def _wagtail_workflow_routes() -> set[str]:
    found = set()

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                if namespace == "wagtailadmin_workflows" or "workflow" in entry.name:
                    found.add(name)

    walk(get_resolver().url_patterns)
    return found


# Routes with nothing to craft: forms without ids (select a type, list, choose) or results pages
# that take the same parameters as the listing the table covers.
NOTHING_TO_CRAFT = {
    "wagtailadmin_workflows:index_results", "wagtailadmin_workflows:usage_results",
    "wagtailadmin_workflows:select_task_type", "wagtailadmin_workflows:task_index",
    "wagtailadmin_workflows:task_index_results", "wagtailadmin_workflows:task_chooser_results",
    "wagtailadmin_workflows:task_chooser", "wagtailadmin_reports:workflow_results",
    "wagtailadmin_reports:workflow_tasks_results",
}  # fmt: skip


def test_every_wagtail_workflow_route_is_in_the_table():
    from django.urls import resolve

    ids = dict.fromkeys(("r", "i", "ts", "ots", "done", "t", "ws", "wf"), 1)
    covered = {resolve(case[3].split("?")[0].format(**ids)).view_name for case in CASES}
    assert _wagtail_workflow_routes() - covered - NOTHING_TO_CRAFT == set()
