"""The editor's status panel says truthfully who can open a page: a module, enrolled learners."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.permissions import ensure_instructor_group
from tests.accounts.factories import UserFactory
from tests.courses import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(client):
    ctn = factories.program("ctn", "Clinical Trials Network")
    ensure_instructor_group(ctn)
    user = UserFactory(email="ctn.instructor@example.org")
    user.groups.add(Group.objects.get(name="CTN instructors"))
    client.force_login(user)
    return factories.course(ctn, "CTN-101", modules=1)


def status_panel(client, url):
    body = client.get(url).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_a_modules_status_panel_says_enrolled_learners_only(client, course):
    module = course.get_children().first()
    panel = status_panel(client, reverse("wagtailadmin_pages:edit", args=[module.pk]))
    assert "Page visibility: Enrolled learners only" in panel
    assert "only learners enrolled in this course (and its editors)" in panel
    assert "Visible to all" not in panel


def test_a_new_modules_status_panel_says_it_too(client, course):
    url = reverse("wagtailadmin_pages:add", args=["courses", "modulepage", course.pk])
    panel = status_panel(client, url)
    assert "Enrolled learners only" in panel
    assert "Visible to all" not in panel


def test_a_public_course_keeps_wagtails_privacy_line(client, course):
    panel = status_panel(client, reverse("wagtailadmin_pages:edit", args=[course.pk]))
    assert "Visible to all" in panel
    assert "Enrolled learners only" not in panel
