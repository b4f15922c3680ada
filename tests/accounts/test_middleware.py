"""Admin sign-in goes through allauth, and staff need an authenticator app for the admins."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, verified_user

pytestmark = pytest.mark.django_db

ACTIVATE_TOTP = "/accounts/2fa/totp/activate/"


@pytest.fixture
def staff_mfa_required(settings):
    settings.LMS_REQUIRE_STAFF_MFA = True


@pytest.fixture
def superuser():
    return verified_user(email="root@example.org", is_staff=True, is_superuser=True)


def test_anonymous_admin_visit_is_sent_to_allauth_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/admin/"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/admin/login/", "/accounts/login/?next=%2Fadmin%2F"),
        ("/admin/login/?next=/admin/pages/", "/accounts/login/?next=%2Fadmin%2Fpages%2F"),
        ("/admin/login/?next=https://evil.example/", "/accounts/login/?next=%2Fadmin%2F"),
        ("/django-admin/login/", "/accounts/login/?next=%2Fdjango-admin%2F"),
        ("/_util/login/?next=/documents/1/a.pdf", "/accounts/login/?next=%2Fdocuments%2F1%2Fa.pdf"),
    ],
)
def test_admin_login_pages_redirect_to_allauth_login_with_a_safe_next(client, path, expected):
    response = client.get(path)

    assert response.status_code == 302
    assert response.url == expected


@pytest.mark.parametrize("path", ["/admin/login/", "/_util/login/"])
def test_posting_a_password_to_a_wagtail_login_does_not_sign_in(client, superuser, path):
    response = client.post(path, {"username": superuser.email, "password": PASSWORD})

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("staff_mfa_required")
@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/django-admin/"])
def test_staff_without_totp_are_sent_to_totp_activation(client, superuser, path):
    client.force_login(superuser)

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp") == ACTIVATE_TOTP
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["warning"]


@pytest.mark.usefixtures("staff_mfa_required")
def test_instructor_without_totp_is_sent_to_totp_activation(client):
    client.force_login(verified_user(is_staff=True))

    response = client.get("/admin/")

    assert response.url == ACTIVATE_TOTP


@pytest.mark.usefixtures("staff_mfa_required")
def test_superuser_without_staff_flag_is_also_sent_to_totp_activation(client):
    client.force_login(verified_user(is_superuser=True))

    response = client.get("/admin/")

    assert response.url == ACTIVATE_TOTP


@pytest.mark.usefixtures("staff_mfa_required")
def test_staff_with_activated_totp_reach_the_admin(client, superuser):
    TOTP.activate(superuser, generate_totp_secret())
    client.force_login(superuser)

    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/").status_code == 200


@pytest.mark.usefixtures("staff_mfa_required")
def test_recovery_codes_alone_do_not_open_the_admin(client, superuser):
    Authenticator.objects.create(
        user=superuser, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00"}
    )
    client.force_login(superuser)

    assert client.get("/admin/").url == ACTIVATE_TOTP


@pytest.mark.usefixtures("staff_mfa_required")
def test_learners_are_not_asked_for_totp(client):
    client.force_login(verified_user())

    response = client.get("/admin/")

    # Not asked for TOTP: refused outright (they have no admin access at all).
    assert response.status_code == 403


@pytest.mark.usefixtures("staff_mfa_required")
def test_staff_without_totp_can_still_use_account_pages_and_sign_out(client, superuser):
    client.force_login(superuser)

    assert client.get(reverse("profile")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(ACTIVATE_TOTP).url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("wagtailadmin_logout"))
    assert "_auth_user_id" not in client.session


def test_staff_reach_the_admin_without_totp_when_the_rule_is_off(client, settings, superuser):
    settings.LMS_REQUIRE_STAFF_MFA = False
    client.force_login(superuser)

    assert client.get("/admin/").status_code == 200


@pytest.mark.usefixtures("staff_mfa_required")
def test_staff_who_activate_totp_through_allauth_then_reach_the_admin(client, settings, superuser):
    settings.MFA_TOTP_TOLERANCE = 1  # the code may cross a 30-second boundary before it is checked
    client.force_login(superuser)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(ACTIVATE_TOTP)
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))

    response = client.post(ACTIVATE_TOTP, {"code": code})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=superuser, type="totp").count() == 1
    assert client.get("/admin/").status_code == 200


def test_mfa_offers_totp_and_recovery_codes_only(client):
    client.force_login(verified_user())

    response = client.get(reverse("mfa_index"))

    assert response.context["MFA_SUPPORTED_TYPES"] == ["totp", "recovery_codes"]
