"""Signing out happens only by POST with a CSRF token, on every sign-out route.

A link or an image on another site (a GET, or a form posted without the token) must leave the
session as it was: Wagtail's admin sign-out used to delete the session cookie while refusing.
"""

import pytest
from django.conf import settings
from django.test import Client

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGOUT_ROUTES = ["/admin/logout/", "/django-admin/logout/", "/accounts/logout/"]
TOKEN = "k" * 32  # an unmasked CSRF secret: the cookie and the form field carry the same value


@pytest.fixture
def admin_client():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    client.cookies[settings.CSRF_COOKIE_NAME] = TOKEN
    return client


def still_signed_in(client) -> bool:
    response = client.get("/accounts/profile/")
    return response.status_code == 200


def session_cookie_deleted(response) -> bool:
    cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie is not None and cookie.value == ""


@pytest.mark.parametrize("route", LOGOUT_ROUTES)
def test_a_get_leaves_the_session_intact(admin_client, route):
    response = admin_client.get(route)
    assert response.status_code in (200, 405)  # allauth asks to confirm; the admins refuse
    assert not session_cookie_deleted(response)
    assert still_signed_in(admin_client)


@pytest.mark.parametrize("route", LOGOUT_ROUTES)
def test_a_post_without_the_csrf_token_leaves_the_session_intact(admin_client, route):
    response = admin_client.post(route)
    assert response.status_code == 403
    assert not session_cookie_deleted(response)
    assert still_signed_in(admin_client)


@pytest.mark.parametrize("route", LOGOUT_ROUTES)
def test_a_post_with_the_csrf_token_signs_out(admin_client, route):
    response = admin_client.post(route, {"csrfmiddlewaretoken": TOKEN})
    assert response.status_code in (200, 302)  # Django's admin shows "Logged out"
    assert not still_signed_in(admin_client)
