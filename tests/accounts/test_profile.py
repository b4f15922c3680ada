import pytest
from django.urls import reverse

from accounts.models import User
from tests.accounts.helpers import verified_user

pytestmark = pytest.mark.django_db

PROFILE = {
    "full_name": "Jordan Learner",
    "certificate_name": "Jordan A. Learner, CNMT",
    "profession": "technologist",
    "organization": "Riverside Imaging Research Center",
    "arrt_id": "1234567",
    "nmtcb_id": "NM12345",
}


@pytest.fixture
def learner(client):
    user = verified_user(full_name="Jordan Lerner", organization="Riverside")
    client.force_login(user)
    return user


def profile_of(user):
    user = User.objects.get(pk=user.pk)
    return {name: getattr(user, name) for name in PROFILE}


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("profile"))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('profile')}"


def test_profile_page_shows_the_printed_exactly_note_and_account_links(client, learner):
    response = client.get(reverse("profile"))
    html = response.content.decode()

    assert response.status_code == 200
    assert "exactly as you type them here" in html
    for name in ("account_email", "account_change_password", "mfa_index"):
        assert f'href="{reverse(name)}"' in html


def test_profile_edit_saves_every_field(client, learner):
    response = client.post(reverse("profile"), PROFILE)

    assert response.status_code == 302
    assert response.url == reverse("profile")
    assert profile_of(learner) == PROFILE


def test_certificate_name_and_licence_ids_may_be_left_blank(client, learner):
    blanks = {**PROFILE, "certificate_name": "", "arrt_id": "", "nmtcb_id": ""}

    response = client.post(reverse("profile"), blanks)

    assert response.status_code == 302
    assert profile_of(learner) == blanks


@pytest.mark.parametrize("arrt_id", ["12-345", "12345678901", "ABC123", "123 456", "١٢٣٤"])
def test_bad_arrt_id_is_a_form_error_and_nothing_is_saved(client, learner, arrt_id):
    before = profile_of(learner)

    response = client.post(reverse("profile"), {**PROFILE, "arrt_id": arrt_id})

    assert response.status_code == 200
    assert response.context["form"].errors["arrt_id"] == [
        "Enter your ARRT ID as digits only (up to 10), with no spaces or dashes."
    ]
    assert profile_of(learner) == before


@pytest.mark.parametrize("nmtcb_id", ["NM-123", "ABCDEFGHIJKLM", "NM 123", "NMé12"])
def test_bad_nmtcb_id_is_a_form_error_and_nothing_is_saved(client, learner, nmtcb_id):
    before = profile_of(learner)

    response = client.post(reverse("profile"), {**PROFILE, "nmtcb_id": nmtcb_id})

    assert response.status_code == 200
    assert response.context["form"].errors["nmtcb_id"] == [
        "Enter your NMTCB ID as letters and digits only (up to 12), with no spaces or dashes."
    ]
    assert profile_of(learner) == before


@pytest.mark.parametrize("missing", ["full_name", "profession", "organization"])
def test_name_profession_and_organization_are_required(client, learner, missing):
    before = profile_of(learner)

    response = client.post(reverse("profile"), {**PROFILE, missing: ""})

    assert response.status_code == 200
    assert response.context["form"].errors[missing] == ["This field is required."]
    assert profile_of(learner) == before


def test_profile_form_cannot_change_email_or_staff_status(client, learner):
    client.post(
        reverse("profile"),
        {**PROFILE, "email": "someone.else@example.org", "is_staff": "on", "is_superuser": "on"},
    )

    user = User.objects.get(pk=learner.pk)
    assert (user.email, user.is_staff, user.is_superuser) == (learner.email, False, False)


def test_saved_certificate_name_is_the_name_for_certificates(client, learner):
    client.post(reverse("profile"), PROFILE)

    assert User.objects.get(pk=learner.pk).name_for_certificate == "Jordan A. Learner, CNMT"
