"""An instructor's admin shows only their program's page titles (administrators see everything):
the course editor's prerequisites, the page chooser, and Wagtail's page reports."""

import pytest
from django.contrib.auth.models import Group

from courses.models import CoursePage
from courses.permissions import ensure_instructor_group
from tests.accounts.factories import UserFactory
from tests.courses import factories
from tests.courses.test_permissions import edit_data

pytestmark = pytest.mark.django_db

SECRET = "Secret CMIIT draft"


@pytest.fixture
def tree():
    ctn = factories.program("ctn", "Clinical Trials Network")
    cmiit = factories.program("cmiit", "Translational Imaging")
    ctn_course = factories.course(ctn, "CTN-101", modules=1, title="GCP basics")
    ctn_other = factories.course(ctn, "CTN-201", title="RDRC pathways")
    factories.course(cmiit, "CMIIT-101", modules=1, title="Bench to bedside live")
    # The newest edit anywhere: Wagtail's "Page types usage" names the last edited page per type.
    factories.course(cmiit, "CMIIT-900", title=SECRET, publish=False)
    ensure_instructor_group(ctn)
    ensure_instructor_group(cmiit)
    return {"ctn": ctn, "cmiit": cmiit, "ctn_course": ctn_course, "ctn_other": ctn_other}


@pytest.fixture
def instructor(client):
    user = UserFactory(email="ctn.instructor@example.org")
    user.groups.add(Group.objects.get(name="CTN instructors"))
    client.force_login(user)
    return user


def instructor_pages(client, tree):
    home = tree["ctn"].get_parent().pk
    return {
        "course editor": f"/admin/pages/{tree['ctn_course'].pk}/edit/",
        "new course form": f"/admin/pages/add/courses/coursepage/{tree['ctn'].pk}/",
        "chooser at home": f"/admin/choose-page/{home}/",
        "chooser root": "/admin/choose-page/",
        "chooser search": "/admin/choose-page/search/?q=CMIIT",
        "chooser search secret": "/admin/choose-page/search/?q=Secret",
        # Browsing into another program by URL names that (live, public) program as the parent,
        # but none of its pages.
        "chooser in other program": f"/admin/choose-page/{tree['cmiit'].pk}/",
        "page types usage": "/admin/reports/page-types-usage/",
        "page types usage results": "/admin/reports/page-types-usage/results/",
        "site history": "/admin/reports/site-history/",
        "locked pages": "/admin/reports/locked/",
        "aging pages": "/admin/reports/aging-pages/",
        "workflows report": "/admin/reports/workflow/",
        "explorer at home": f"/admin/pages/{home}/",
    }


def test_an_instructor_sees_no_other_programs_titles(client, tree, instructor):
    leaks = {}
    for name, url in instructor_pages(client, tree).items():
        response = client.get(url)
        body = response.content.decode()
        titles = (SECRET, "Bench to bedside live", "Translational Imaging")
        if name == "chooser in other program":
            titles = titles[:2]
        found = [t for t in titles if t in body]
        if response.status_code >= 500 or found:
            leaks[name] = (response.status_code, found)
    assert sorted(leaks.items()) == []


def test_the_instructor_still_finds_their_own_pages(client, tree, instructor):
    editor = client.get(f"/admin/pages/{tree['ctn_course'].pk}/edit/").content.decode()
    chooser = client.get("/admin/choose-page/search/", {"q": "RDRC"}).content.decode()
    usage = client.get("/admin/reports/page-types-usage/")

    assert "CTN-201 RDRC pathways" in editor
    assert "RDRC pathways" in chooser
    counts = {row.model: row.count for row in usage.context["object_list"]}
    assert counts["coursepage"] == 2
    assert counts["programpage"] == 1


def test_an_administrator_sees_every_program(client, tree):
    client.force_login(UserFactory(email="admin@example.org", is_staff=True, is_superuser=True))

    editor = client.get(f"/admin/pages/{tree['ctn_course'].pk}/edit/").content.decode()
    chooser = client.get("/admin/choose-page/search/", {"q": "Secret"}).content.decode()
    usage = client.get("/admin/reports/page-types-usage/")

    assert SECRET in editor
    assert SECRET in chooser
    counts = {row.model: row.count for row in usage.context["object_list"]}
    assert counts["coursepage"] == 4
    assert SECRET in usage.content.decode()


def test_an_instructors_save_keeps_a_prerequisite_an_administrator_chose_elsewhere(
    client, tree, instructor
):
    other = CoursePage.objects.get(code="CMIIT-101")
    course = tree["ctn_course"]
    course.prerequisites.add(other)
    course.save_revision().publish()
    data = edit_data(course, title="GCP basics, revised")
    data["prerequisites"] = [str(tree["ctn_other"].pk)]

    response = client.post(f"/admin/pages/{course.pk}/edit/", data)

    assert response.status_code == 302
    revision = CoursePage.objects.get(pk=course.pk).latest_revision.as_object()
    assert {c.code for c in revision.prerequisites.all()} == {"CMIIT-101", "CTN-201"}


def test_an_instructor_cannot_post_another_programs_course_as_prerequisite(
    client, tree, instructor
):
    course = tree["ctn_course"]
    data = edit_data(course)
    data["prerequisites"] = [str(CoursePage.objects.get(code="CMIIT-900").pk)]

    response = client.post(f"/admin/pages/{course.pk}/edit/", data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert SECRET not in response.content.decode()
