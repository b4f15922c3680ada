"""What every learner shares is rendered once per content version; each learner's own state is
read for every request: never another learner's, never stale."""

import pytest
from django.test import Client
from django.urls import reverse

from enrollments import services
from home.models import SiteSettings
from tests.accounts.factories import UserFactory
from tests.courses import factories
from tests.factories import superuser

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return factories.course(factories.program("ctn"), "CTN-101", modules=2, post_test=True)


@pytest.fixture
def modules(course):
    return list(course.get_children().specific().order_by("path"))


def signed_in(email, course):
    learner = UserFactory(email=email)
    enrollment = services.enroll(user=learner, course=course)[0]
    client = Client()
    client.force_login(learner)
    return client, enrollment


def done_ticks(html: str) -> int:
    return html.count("is-done")


def test_each_learner_sees_only_their_own_progress_on_shared_pages(course, modules):
    ada, ada_enrollment = signed_in("ada@example.org", course)
    bob, _ = signed_in("bob@example.org", course)
    for client in (ada, bob):  # both views fill the shared caches
        assert client.get(course.url).status_code == 200
        assert client.get(modules[0].url).status_code == 200
    services.complete_module(enrollment=ada_enrollment, module_id=modules[0].pk)
    assert done_ticks(ada.get(course.url).content.decode()) == 1
    assert done_ticks(ada.get(modules[1].url).content.decode()) == 1
    assert done_ticks(bob.get(course.url).content.decode()) == 0
    assert done_ticks(bob.get(modules[1].url).content.decode()) == 0


def test_completing_a_module_shows_on_the_next_view(course, modules):
    ada, enrollment = signed_in("ada@example.org", course)
    assert done_ticks(ada.get(modules[1].url).content.decode()) == 0
    ada.post(reverse("enrollments:complete_module", args=[enrollment.pk, modules[0].pk]))
    assert done_ticks(ada.get(modules[1].url).content.decode()) == 1


def test_a_published_lesson_shows_at_once_and_a_preview_shows_the_draft(course, modules):
    ada, _ = signed_in("ada@example.org", course)
    lesson = modules[0]
    assert "Lesson text about GCP." in ada.get(lesson.url).content.decode()
    lesson.body = [factories.block("text", "<p>Revised: the 2025 ICH E6(R3) text.</p>")]
    lesson.save_revision().publish()
    html = ada.get(lesson.url).content.decode()
    assert "Revised: the 2025 ICH E6(R3) text." in html
    assert "Lesson text about GCP." not in html
    # A draft: the live page keeps the published text; the editor's preview shows the draft.
    lesson.refresh_from_db()
    lesson.body = [factories.block("text", "<p>Draft wording, not yet published.</p>")]
    lesson.save_revision()
    assert "Draft wording" not in ada.get(lesson.url).content.decode()
    editor = Client()
    editor.force_login(superuser())
    preview = editor.get(reverse("wagtailadmin_pages:view_draft", args=[lesson.pk]))
    assert "Draft wording, not yet published." in preview.content.decode()


def test_an_unpublished_module_is_gone_at_once_though_its_route_was_kept(course, modules):
    ada, _ = signed_in("ada@example.org", course)
    assert ada.get(modules[1].url).status_code == 200
    modules[1].unpublish()
    assert ada.get(modules[1].url).status_code == 404
    assert modules[1].title not in ada.get(course.url).content.decode()


def test_a_moved_course_answers_at_its_new_address_the_old_one_redirects(course, modules):
    anonymous = Client()
    old_url = course.url
    assert anonymous.get(old_url).status_code == 200
    other = factories.program("other")
    course.move(other, pos="last-child")
    course.refresh_from_db()
    assert course.url != old_url
    old = anonymous.get(old_url)
    assert (old.status_code, old["Location"]) == (301, course.url)  # Wagtail's own redirect
    assert anonymous.get(course.url).status_code == 200


def test_saved_site_settings_show_at_once(course):
    anonymous = Client()
    anonymous.get(course.url)
    settings_row = SiteSettings.for_site(course.get_site())
    settings_row.organization_short_name = "SNMMI-CTN Renamed"
    settings_row.save()
    assert "SNMMI-CTN Renamed" in anonymous.get(course.url).content.decode()


def test_a_view_restriction_applies_at_once(course):
    from wagtail.models import PageViewRestriction

    anonymous = Client()
    assert anonymous.get(course.url).status_code == 200
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    response = anonymous.get(course.url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_signed_in_page_is_private_to_shared_caches(course):
    ada, _ = signed_in("ada@example.org", course)
    assert ada.get(course.url)["Cache-Control"] == "private"
