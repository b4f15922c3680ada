"""Shells: a page rendered once for everyone, each person's parts filled in per request."""

import re

import pytest
from django.template import engines

from enrollments import services
from infrastructure import render_cache, shell
from tests import factories

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def comparable(html: bytes) -> str:
    """The page without its CSRF tokens (masked afresh on every render)."""
    return TOKEN.sub("csrf", html.decode())


@pytest.fixture
def course():
    program = factories.program("ctn")
    return factories.course(program, "CTN-101", modules=3)


def test_a_learners_page_is_the_one_a_full_render_gives(client, course, monkeypatch):
    """The shell joined with the personal regions is, byte for byte, the ordinary render."""
    learner = factories.UserFactory(email="ana@example.org", full_name="Ana Learner")
    enrollment = services.enroll(user=learner, course=course)[0]
    first = course.get_children().first()
    services.complete_module(enrollment=enrollment, module_id=first.pk)
    client.force_login(learner)
    pages = [course.url, first.url, course.get_children().last().url]
    from_shells = [client.get(url) for url in pages]
    assert len(shell._shells) == 3
    monkeypatch.setattr(render_cache, "render_key", lambda page: None)  # no shell at all
    rendered = [client.get(url) for url in pages]
    for shelled, full in zip(from_shells, rendered, strict=True):
        assert shelled.status_code == full.status_code == 200
        assert comparable(shelled.content) == comparable(full.content)


def test_the_next_visitor_sees_their_own_header_panel_progress_and_token(client, course):
    ana = factories.UserFactory(email="ana@example.org", full_name="Ana Learner")
    enrollment = services.enroll(user=ana, course=course)[0]
    services.complete_module(enrollment=enrollment, module_id=course.get_children().first().pk)
    client.force_login(ana)
    theirs = client.get(course.url).content.decode()
    assert "You are enrolled" in theirs and "tick--done" in theirs

    ben = factories.UserFactory(email="ben@example.org", full_name="Ben Other")
    client.force_login(ben)
    page = client.get(course.url)
    html = page.content.decode()
    assert len(shell._shells) == 1  # the same shell served both
    assert "Enroll in this course" in html
    assert "You are enrolled" not in html and "tick--done" not in html
    # Ben's forms carry a token for Ben's CSRF secret, not one rendered for Ana.
    from django.middleware.csrf import _unmask_cipher_token

    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert tokens
    secret = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    secret = secret or client.cookies["csrftoken"].value
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}

    client.logout()
    anonymous = client.get(course.url).content.decode()
    assert "Sign in to enroll" in anonymous and "Sign out" not in anonymous


def test_a_query_string_is_no_part_of_the_shared_page(client, course):
    client.get(course.url, {"utm": "first"})
    html = client.get(course.url, {"utm": "second"}).content.decode()
    assert "utm=second" in html and "utm=first" not in html  # the language form's return path


def test_publishing_a_change_renders_a_new_shell(client, course):
    assert "Course CTN-101" in client.get(course.url).content.decode()
    course.title = "Ethics and GCP, second edition"
    course.save_revision().publish()
    html = client.get(course.url).content.decode()
    assert "Ethics and GCP, second edition" in html


def test_a_shared_part_that_reads_the_user_fails_under_the_tests(rf):
    from django.contrib.auth.models import AnonymousUser

    template = engines["django"].from_string("<p>{{ user.email }}</p>")
    template.template.name = "leaky.html"
    request = rf.get("/")
    request.user = AnonymousUser()
    with pytest.raises(shell.PersonalValueInShell, match="user"):
        shell.render(template, {}, request, key=("k",))


def test_in_production_a_leaky_template_is_rendered_in_full(rf, settings):
    settings.LMS_SHELL_STRICT = False
    settings.DEBUG = False
    factories.UserFactory(email="ana@example.org")
    template = engines["django"].from_string(
        "{% load shell %}<p>{{ request.user.email }}</p>"
        "{% personal %}{{ user.email }}{% endpersonal %}"
    )
    template.template.name = "leaky-in-production.html"
    request = rf.get("/")
    request.user = factories.UserFactory(email="ben@example.org")
    html = shell.render(template, {}, request, key=("k",))
    assert html == "<p>ben@example.org</p>ben@example.org"
    assert "leaky-in-production.html" in shell._unshellable
    assert not shell._shells


def test_a_named_region_renders_once_and_repeats(rf):
    calls = []
    template = engines["django"].from_string(
        '{% load shell %}{% personal "panel" %}{{ count }}{% endpersonal %}|'
        '{% personal "panel" %}{{ count }}{% endpersonal %}'
    )
    template.template.name = "named.html"

    class Counter:
        def __str__(self):
            calls.append(1)
            return str(len(calls))

    request = rf.get("/")
    assert shell.render(template, {"count": Counter()}, request, key=("k",)) == "1|1"
    assert template.render({"count": Counter()}, request) == "2|2"  # an ordinary render too
