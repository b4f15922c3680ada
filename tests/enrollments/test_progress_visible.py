"""Progress you can see: ticks per module, "Mark complete and continue", and coming back."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from enrollments import services
from enrollments.models import ModuleProgress

# A cache namespace of its own: pages these tests cache never answer the tests after them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def ticks(html: str) -> list[str]:
    """The outline's items in order: "done" or "todo"."""
    return [
        "done" if "is-done" in item else "todo"
        for item in re.findall(r'<li class="[^"]*module-list__item--tracked[^"]*"', html)
    ]


def test_the_course_outline_and_module_navigation_tick_done_modules(
    signed_in, learner, course, modules
):
    enrollment, _ = services.enroll(user=learner, course=course)
    services.complete_module(enrollment=enrollment, module_id=modules[0].pk)

    course_html = signed_in.get(course.url).content.decode()
    assert ticks(course_html) == ["done", "todo", "todo"]
    assert course_html.count("(completed)") == 1
    module_html = signed_in.get(modules[1].url).content.decode()
    assert ticks(module_html) == ["done", "todo", "todo"]


def test_a_lesson_has_one_main_action_that_records_progress_and_moves_on(
    signed_in, learner, course, modules
):
    enrollment, _ = services.enroll(user=learner, course=course)
    html = signed_in.get(modules[0].url).content.decode()
    assert "Mark complete and continue" in html
    # The pager's plain "next" would move on without recording: it gives way to the button.
    assert 'class="pager__next"' not in html

    response = signed_in.post(reverse("enrollments:complete_module",
                                      args=[enrollment.pk, modules[0].pk]))  # fmt: skip
    assert (response.status_code, response.url) == (302, modules[1].url)
    assert ModuleProgress.objects.filter(enrollment=enrollment).count() == 1
    done = signed_in.get(modules[0].url).content.decode()
    assert f'<a class="button" href="{modules[1].url}">Continue: Module 2</a>' in done


def test_signing_in_with_a_course_in_progress_lands_on_my_learning_with_continue(
    client, learner, course, modules
):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    enrollment, _ = services.enroll(user=learner, course=course)
    services.complete_module(enrollment=enrollment, module_id=modules[0].pk)

    response = client.post(
        reverse("account_login"), {"login": learner.email, "password": "correct-horse-battery"}
    )
    assert (response.status_code, response.url) == (302, reverse("enrollments:dashboard"))
    html = client.get(response.url).content.decode()
    top = html.split('id="in-progress"', 1)[0]
    assert f'<a class="button" href="{modules[1].url}">Continue: Module 2</a>' in top


def test_signing_in_with_nothing_in_progress_lands_on_the_home_page(client, learner):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": learner.email, "password": "correct-horse-battery"}
    )
    assert (response.status_code, response.url) == (302, "/")
