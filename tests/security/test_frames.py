"""Clickjacking: no page may be framed, except Wagtail's preview inside its own editor."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.courses import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return factories.course(factories.program("ctn"), "CTN-101", modules=1)


def test_site_and_admin_pages_refuse_every_frame(client, course, settings):
    assert settings.X_FRAME_OPTIONS == "DENY"
    for url in ("/", "/catalog/", course.url, "/accounts/login/"):
        assert client.get(url)["X-Frame-Options"] == "DENY"
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    for url in (
        "/learning/",
        course.url,
        "/admin/",
        reverse("wagtailadmin_pages:edit", args=[course.pk]),
    ):
        assert client.get(url)["X-Frame-Options"] == "DENY"


def test_the_editor_preview_may_be_framed_by_the_admin_only(course):
    editor = Client()
    editor.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    preview = editor.get(reverse("wagtailadmin_pages:preview_on_edit", args=[course.pk]))
    assert preview.status_code == 200
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    # The same URL is not a way in for anyone else.
    learner = Client()
    learner.force_login(UserFactory(email="learner@example.org"))
    refused = learner.get(reverse("wagtailadmin_pages:preview_on_edit", args=[course.pk]))
    assert refused.status_code in (302, 403)
