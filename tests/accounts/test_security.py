"""Enumeration prevention and rate limits (allauth's, configured in lms/settings/base.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, verified_user

pytestmark = pytest.mark.django_db


def request_reset(email):
    return Client().post(reverse("account_reset_password"), {"email": email})


def test_password_reset_for_unknown_email_answers_like_a_known_one(mailoutbox):
    user = verified_user()

    known = request_reset(user.email)
    unknown = request_reset("nobody@example.org")

    assert (known.status_code, known.url) == (302, reverse("account_reset_password_done"))
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    # Each address gets one mail; only its owner learns whether an account exists.
    assert [m.to for m in mailoutbox] == [[user.email], ["nobody@example.org"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert "/accounts/password/reset/key/" not in mailoutbox[1].body


def test_failed_login_gives_the_same_error_for_unknown_and_known_emails():
    user = verified_user()

    known = Client().post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    unknown = Client().post(
        reverse("account_login"), {"login": "nobody@example.org", "password": "wrong"}
    )

    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_repeated_failed_logins_lock_the_account_even_for_the_right_password(client):
    user = verified_user()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Too many failed login attempts. Try again later."
    ]
    assert "_auth_user_id" not in client.session


def test_fewer_failed_logins_than_the_limit_still_allow_the_right_password(client):
    user = verified_user()
    for _ in range(4):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_repeated_password_reset_requests_for_one_email_get_429():
    user = verified_user()
    responses = [request_reset(user.email) for _ in range(6)]

    assert [r.status_code for r in responses] == [302] * 5 + [429]


def test_logout_needs_a_post(client):
    user = verified_user()
    client.force_login(user)

    client.get(reverse("account_logout"))
    still_in = "_auth_user_id" in client.session
    client.post(reverse("account_logout"))

    assert still_in is True
    assert "_auth_user_id" not in client.session


def test_rotating_x_forwarded_for_does_not_bypass_the_per_ip_login_limit(settings):
    """Behind one trusted proxy the client is the address the proxy appended, not what it sent."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client = Client()
    for attempt in range(10):
        client.post(
            reverse("account_login"),
            {"login": f"guess{attempt}@example.org", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}, 203.0.113.7",
        )
    user = verified_user()
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7",
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_brute_force_on_the_admin_login_meets_the_same_limit(client):
    user = verified_user()
    user.is_staff = True
    user.save()
    admin_login = client.get("/admin/login/")
    assert admin_login.status_code == 302
    assert admin_login.url.startswith(reverse("account_login"))
    for _ in range(5):
        client.post(reverse("account_login") + "?next=/admin/",
                    {"login": user.email, "password": "wrong"})  # fmt: skip
    response = client.post(reverse("account_login") + "?next=/admin/",
                           {"login": user.email, "password": PASSWORD})  # fmt: skip
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
