import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from accounts.models import Profession, User
from tests.accounts.helpers import link_in, verified_user

pytestmark = pytest.mark.django_db

EMAIL = "new.learner@example.org"
PASSWORD = "Fluorine-18-FDG-synthesis"
SIGNUP = {
    "full_name": "Dana Okafor",
    "email": EMAIL,
    "profession": Profession.RADIOCHEMIST_PHARMACIST,
    "organization": "Northside Cyclotron Facility",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def sign_in(client, email=EMAIL, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_signup_form_asks_for_name_profession_and_organization(client):
    response = client.get(reverse("account_signup"))

    fields = list(response.context["form"].fields)
    assert fields[:4] == ["full_name", "email", "profession", "organization"]
    assert all(response.context["form"].fields[name].required for name in fields[:4])


def test_signup_creates_unverified_user_with_profile_and_sends_verification_mail(
    client, mailoutbox
):
    response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email=EMAIL)
    assert (user.full_name, user.profession, user.organization) == (
        "Dana Okafor",
        "radiochemist_pharmacist",
        "Northside Cyclotron Facility",
    )
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [EMAIL]
    assert link_in(mailoutbox[0], "/accounts/confirm-email/")
    assert "_auth_user_id" not in client.session


def test_verification_mail_names_the_platform(client, mailoutbox):
    client.post(reverse("account_signup"), SIGNUP)

    assert mailoutbox[0].subject.startswith("[Clinical Research Education] ")
    assert "Hello from Clinical Research Education!" in mailoutbox[0].body
    assert "example.com" not in mailoutbox[0].body


def test_login_is_refused_until_the_email_is_verified(client):
    client.post(reverse("account_signup"), SIGNUP)

    response = sign_in(Client())

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_following_the_verification_link_verifies_and_allows_login(client, mailoutbox):
    client.post(reverse("account_signup"), SIGNUP)
    confirm_path = link_in(mailoutbox[0], "/accounts/confirm-email/")
    browser = Client()

    assert browser.get(confirm_path).status_code == 200
    confirmed = browser.post(confirm_path)
    response = sign_in(browser)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email=EMAIL).verified is True
    assert response.status_code == 302
    assert response.url == "/"
    assert browser.session["_auth_user_id"] == str(User.objects.get(email=EMAIL).pk)


def test_signup_without_profession_is_a_form_error_and_creates_no_user(client, mailoutbox):
    response = client.post(reverse("account_signup"), {**SIGNUP, "profession": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["profession"] == ["This field is required."]
    assert User.objects.count() == 0
    assert mailoutbox == []


def test_signup_with_an_unknown_profession_is_a_form_error(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "profession": "wizard"})

    assert response.status_code == 200
    assert "profession" in response.context["form"].errors
    assert User.objects.count() == 0


def test_signup_with_a_taken_email_looks_like_a_new_signup(client, mailoutbox):
    """Enumeration prevention: the page does not reveal that the address has an account."""
    verified_user(email=EMAIL, full_name="Dana Okafor")

    response = client.post(reverse("account_signup"), {**SIGNUP, "full_name": "Someone Else"})

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email=EMAIL).count() == 1
    assert User.objects.get(email=EMAIL).full_name == "Dana Okafor"
    # The owner, not the visitor, learns that the account exists.
    assert [m.to for m in mailoutbox] == [[EMAIL]]
    assert "an account using that email address already exists" in mailoutbox[0].body
