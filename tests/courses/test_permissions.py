"""Instructors author only their own program; changes wait for an administrator's approval."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from courses.models import CoursePage
from courses.permissions import ensure_instructor_group, ensure_review_workflow
from tests.accounts.factories import UserFactory
from tests.courses import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    ctn = factories.program("ctn", "Clinical Trials Network")
    cmiit = factories.program("cmiit", "CMIIT")
    ctn_course = factories.course(ctn, "CTN-101", modules=1, title="GCP basics")
    cmiit_course = factories.course(cmiit, "CMIIT-101", modules=1, title="Bench to bedside")
    cmiit_draft = factories.course(cmiit, "CMIIT-900", title="Secret draft course", publish=False)
    ensure_instructor_group(ctn)
    ensure_instructor_group(cmiit)
    ensure_review_workflow(factories.home_page())
    return {
        "ctn": ctn,
        "cmiit": cmiit,
        "ctn_course": ctn_course,
        "cmiit_course": cmiit_course,
        "cmiit_draft": cmiit_draft,
    }


@pytest.fixture
def ctn_instructor(client):
    user = UserFactory(email="ctn.instructor@example.org")
    user.groups.add(Group.objects.get(name="CTN instructors"))
    client.force_login(user)
    return user


def edit_data(course, **changes):
    data = {
        "title": course.title,
        "slug": course.slug,
        "code": course.code,
        "level": course.level,
        "summary": course.summary,
        "objectives": streamfield([("objective", "Describe ICH E6(R3)")]),
        "estimated_minutes": str(course.estimated_minutes),
        "faculty": "",
        "release_date": "2026-01-15",
        "last_review_date": "",
        "termination_date": "2029-01-14",
        "credits": inline_formset(
            [
                {
                    "id": str(c.pk),
                    "credit_type": str(c.credit_type_id),
                    "hours": str(c.hours),
                    "statement": "",
                }
                for c in course.credits.all()
            ],
            initial=course.credits.count(),
        ),  # fmt: skip
        "disclosures": inline_formset(
            [
                {
                    "name": "Dana Whitfield",
                    "role": "planner",
                    "relationships": "",
                    "mitigation": "",
                },
                {"name": "Lee Park", "role": "faculty", "relationships": "", "mitigation": ""},
            ]
        ),  # fmt: skip
        "commercial_support": "",
        "pass_mark": "75",
        "attempt_limit": "3",
        "certificate_validity_months": "",
        "course_version": "",
        "ich_e6_revision": "",
        "enrollment_open": "on",
        "evaluation_required": "on",
    }
    data.update(changes)
    form = nested_form_data(data)
    form["audience"] = ["technologist"]
    return form


def test_instructor_can_open_the_editor_for_their_own_program(client, tree, ctn_instructor):
    response = client.get(f"/admin/pages/{tree['ctn_course'].pk}/edit/")
    assert response.status_code == 200


def test_instructor_cannot_edit_another_programs_page(client, tree, ctn_instructor):
    course = tree["cmiit_course"]
    assert client.get(f"/admin/pages/{course.pk}/edit/").status_code in (302, 403)
    response = client.post(f"/admin/pages/{course.pk}/edit/", edit_data(course, title="Hijacked"))
    assert response.status_code in (302, 403)
    course.refresh_from_db()
    assert course.title == "Bench to bedside"
    assert course.draft_title == "Bench to bedside"


def test_instructor_cannot_publish_another_programs_page(client, tree, ctn_instructor):
    course = tree["cmiit_draft"]
    response = client.post(
        f"/admin/pages/{course.pk}/edit/",
        edit_data(course, **{"action-publish": "action-publish"}),
    )
    assert response.status_code in (302, 403)
    course.refresh_from_db()
    assert course.live is False


def test_instructor_cannot_publish_directly_even_in_their_own_program(client, tree, ctn_instructor):
    course = tree["ctn_course"]
    client.post(
        f"/admin/pages/{course.pk}/edit/",
        edit_data(course, title="Published without review", **{"action-publish": "1"}),
    )
    course.refresh_from_db()
    assert course.title == "GCP basics"


def test_instructor_cannot_copy_another_programs_page(client, tree, ctn_instructor):
    course = tree["cmiit_course"]
    before = Page.objects.count()
    response = client.post(
        f"/admin/pages/{course.pk}/copy/",
        {"new_title": "Copy", "new_slug": "copy", "new_parent_page": str(tree["ctn"].pk)},
    )
    assert response.status_code in (302, 403)
    assert Page.objects.count() == before


def test_instructor_cannot_preview_another_programs_draft(client, tree, ctn_instructor):
    draft = tree["cmiit_draft"]
    response = client.post(f"/admin/pages/{draft.pk}/edit/preview/", edit_data(draft))
    assert response.status_code in (302, 403)
    response = client.get(f"/admin/pages/{draft.pk}/view_draft/")
    assert response.status_code in (302, 403)
    assert b"Secret draft course" not in response.content


def test_instructor_can_preview_their_own_draft(client, tree, ctn_instructor):
    course = tree["ctn_course"]
    response = client.post(
        f"/admin/pages/{course.pk}/edit/preview/", edit_data(course, title="Draft title")
    )
    assert response.json()["is_valid"] is True
    preview = client.get(f"/admin/pages/{course.pk}/edit/preview/")
    assert preview.status_code == 200
    assert b"Draft title" in preview.content


def test_other_programs_drafts_are_absent_from_admin_listing_search_and_api(
    client, tree, ctn_instructor
):
    cmiit = tree["cmiit"]
    assert client.get(f"/admin/pages/{cmiit.pk}/").status_code in (302, 403)
    search = client.get("/admin/pages/search/", {"q": "Secret draft"})
    assert b"Secret draft course" not in search.content
    api = client.get("/admin/api/main/pages/", {"child_of": cmiit.pk})
    assert api.status_code in (200, 400, 404)
    assert b"Secret draft course" not in api.content
    detail = client.get(f"/admin/api/main/pages/{tree['cmiit_draft'].pk}/")
    assert detail.status_code == 404
    own = client.get("/admin/api/main/pages/", {"child_of": tree["ctn"].pk})
    assert own.status_code == 200
    assert [item["title"] for item in own.json()["items"]] == ["GCP basics"]


def test_a_submitted_change_waits_for_an_administrators_approval(
    client, tree, ctn_instructor, django_user_model
):
    course = tree["ctn_course"]
    response = client.post(
        f"/admin/pages/{course.pk}/edit/",
        edit_data(course, title="GCP basics, revised", **{"action-submit": "1"}),
    )
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(course.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    course.refresh_from_db()
    assert course.title == "GCP basics"  # the live page has not changed
    client.logout()
    assert b"GCP basics, revised" not in client.get(course.url).content

    admin = django_user_model.objects.create_superuser("approver@example.org", "pw")
    client.force_login(admin)
    task_state = state.current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{course.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code in (200, 302)
    course.refresh_from_db()
    assert course.title == "GCP basics, revised"
    assert CoursePage.objects.live().filter(title="GCP basics, revised").exists()


def test_anonymous_visitors_and_learners_never_see_drafts(client, tree):
    draft = tree["cmiit_draft"]
    assert client.get(draft.url or f"/cmiit/{draft.slug}/").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"/cmiit/{draft.slug}/").status_code == 404
    assert client.get(f"/admin/pages/{draft.pk}/view_draft/").status_code in (302, 403)
