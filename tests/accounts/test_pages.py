"""Every allauth page the site uses renders inside the site's layout with the account styles."""

import pytest
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, verified_user

pytestmark = pytest.mark.django_db

SITE_LOOK = ('class="site-header"', "css/accounts.css")


def assert_in_site_look(response):
    html = response.content.decode()
    assert response.status_code == 200
    assert [marker in html for marker in SITE_LOOK] == [True, True]


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_entrance_pages_use_the_site_look(client, name):
    assert_in_site_look(client.get(reverse(name)))


def test_bad_password_reset_link_uses_the_site_look(client):
    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad-key"})
    )

    assert_in_site_look(response)
    assert "Bad Token" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "profile",
        "account_email",
        "account_change_password",
        "account_logout",
        "account_reauthenticate",
        "mfa_index",
    ],
)
def test_account_pages_use_the_site_look_and_navigation(client, name):
    client.force_login(verified_user())

    response = client.get(reverse(name))

    assert_in_site_look(response)
    assert 'class="account-nav"' in response.content.decode() or name == "account_reauthenticate"


def test_totp_activation_page_uses_the_site_look(client):
    client.force_login(verified_user())
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.get(reverse("mfa_activate_totp"))

    assert_in_site_look(response)
    assert 'class="account-qr"' in response.content.decode()


def test_form_errors_are_shown_next_to_their_field(client):
    response = client.post(reverse("account_signup"), {"email": "not-an-email"})
    html = response.content.decode()

    error = '<ul class="errorlist" id="id_email_error"><li>Enter a valid email address.</li></ul>'
    assert error in html
    assert html.index('for="id_email"') < html.index(error) < html.index('name="email"')
    assert 'aria-describedby="id_email_error"' in html
