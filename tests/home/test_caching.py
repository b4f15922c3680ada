"""Anonymous visitors get cached public pages; signed-in people never; publishing drops them."""

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.courses import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings, fresh_cache):
    settings.LMS_ANONYMOUS_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def course():
    return factories.course(factories.program("ctn"), "CTN-101", modules=1, title="Original title")


def test_anonymous_course_page_is_served_from_the_cache(course):
    client = Client()
    first = client.get(course.url)
    second = client.get(course.url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    # Headers the inner middleware set (clickjacking protection, content type) come back too.
    assert second["X-Frame-Options"] == first["X-Frame-Options"]
    assert second["Content-Type"] == first["Content-Type"]


def test_publishing_drops_the_cached_page(course):
    client = Client()
    client.get(course.url)
    course.title = "Revised title"
    course.save_revision().publish()
    response = client.get(course.url)
    assert response["X-Page-Cache"] == "miss"
    assert b"Revised title" in response.content


def test_signed_in_learners_never_get_or_fill_the_cache(course):
    client = Client()
    client.force_login(UserFactory(email="cached@example.org"))
    response = client.get(course.url)
    assert "X-Page-Cache" not in response
    assert b"Enroll in this course" in response.content
    anonymous = Client().get(course.url)
    assert anonymous["X-Page-Cache"] == "miss"
    assert b"Enroll in this course" not in anonymous.content


def test_private_areas_are_never_cached(course):
    client = Client()
    for url in ("/accounts/login/", "/healthz", "/learning/"):
        assert "X-Page-Cache" not in client.get(url)


def test_catalog_searches_are_cached_per_query(course):
    client = Client()
    assert client.get("/catalog/", {"q": "title"})["X-Page-Cache"] == "miss"
    assert client.get("/catalog/", {"q": "other"})["X-Page-Cache"] == "miss"
    assert client.get("/catalog/", {"q": "title"})["X-Page-Cache"] == "hit"
