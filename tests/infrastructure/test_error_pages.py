"""403, 404 and 500 in the site's look: the header, a way home and search."""

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from infrastructure.errors import server_error
from tests.accounts.factories import UserFactory

# A cache namespace of its own: pages these tests cache never answer the tests after them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def assert_site_error_page(html: str, heading: str):
    assert 'class="site-header"' in html
    assert f"<h1>{heading}</h1>" in html
    assert '<a class="button" href="/">Go to the home page</a>' in html
    assert 'role="search"' in html
    assert 'name="q"' in html


def test_a_missing_page_is_a_404_in_the_sites_look(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_site_error_page(response.content.decode(), "Page not found")


def test_a_learner_at_the_admin_gets_a_403_in_the_sites_look(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 403
    assert_site_error_page(response.content.decode(), "You do not have access to this page")


def test_the_500_page_is_in_the_sites_look_and_reads_no_database(django_assert_num_queries):
    request = RequestFactory().get("/learning/")
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        with django_assert_num_queries(0):
            response = server_error(request)
    assert response.status_code == 500
    assert_site_error_page(response.content.decode(), "Something went wrong on our side")


def test_the_503_page_still_answers_when_the_database_is_down(django_assert_num_queries):
    request = RequestFactory().get("/learning/")
    try:
        raise OperationalError("connection failed: Connection refused")
    except OperationalError:
        with django_assert_num_queries(0):
            response = server_error(request)
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()
