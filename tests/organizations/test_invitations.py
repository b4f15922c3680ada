"""A coordinator's invitation: sign-up with the organization preset and locked, an existing
account joining, and every way a link can fail, each with its own message."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from organizations import services
from organizations.models import Invitation, Membership, Organization
from tests.factories import coordinator, member, organization, verified_user

pytestmark = pytest.mark.django_db

PASSWORD = "Fluorine-18-FDG-synthesis"


@pytest.fixture
def riverside():
    return organization("Riverside Imaging Research Center")


@pytest.fixture
def boss(riverside):
    return coordinator(riverside, email="boss@example.org", full_name="Robin Boss")


def invite(riverside, boss, email="tech@example.org"):
    return services.invite(organization=riverside, email=email, invited_by=boss)


def link_of(message) -> str:
    return re.search(r"http\S+/organizations/invitations/\S+/", message.body).group(0)


def signup(client, **fields):
    data = {"full_name": "Taylor Tech", "email": "tech@example.org", "profession": "technologist",
            "organization": "Somewhere Else Entirely", "password1": PASSWORD,
            "password2": PASSWORD, **fields}  # fmt: skip
    return client.post(reverse("account_signup"), data)


def test_the_mail_carries_a_link_that_leads_to_a_locked_signup(
    client, riverside, boss, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(riverside, boss)
    assert mailoutbox[0].to == ["tech@example.org"]
    assert (
        mailoutbox[0].subject
        == "Join Riverside Imaging Research Center on Clinical Research Education"
    )
    assert "Robin Boss invites you" in mailoutbox[0].body
    path = link_of(mailoutbox[0]).split("://", 1)[1].split("/", 1)[1]

    landing = client.get(f"/{path}")
    assert landing.status_code == 200
    assert "Create an account" in landing.content.decode()
    form = client.get(reverse("account_signup")).context["form"]
    assert form.fields["organization"].disabled
    assert form["organization"].value() == "Riverside Imaging Research Center"
    assert form["email"].value() == "tech@example.org"

    # Whatever organization is posted, the invitation's is the one joined (the field is locked).
    assert signup(client).status_code == 302
    user = User.objects.get(email="tech@example.org")
    assert user.membership.organization == riverside
    assert user.organization == "Riverside Imaging Research Center"
    assert not Organization.objects.filter(name="Somewhere Else Entirely").exists()
    assert Invitation.objects.get().accepted_by == user


def test_signing_up_with_another_address_than_the_invited_one_is_a_form_error(
    client, riverside, boss
):
    sent = invite(riverside, boss)
    client.get(reverse("organizations:invitation", args=[sent.token]))

    response = signup(client, email="someone.else@example.org")

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "This invitation was sent to tech@example.org. Sign in (or sign up) with that address "
        "to accept it."
    ]
    assert not User.objects.filter(email="someone.else@example.org").exists()


def test_an_existing_account_joins_by_accepting(client, riverside, boss):
    elsewhere = organization("Lakeside University Hospital")
    tech = member(elsewhere, email="tech@example.org")
    sent = invite(riverside, boss)
    client.force_login(tech)
    url = reverse("organizations:invitation", args=[sent.token])

    page = client.get(url)
    assert page.status_code == 200
    assert "Join Riverside Imaging Research Center" in page.content.decode()
    assert client.post(url).status_code == 302

    tech.refresh_from_db()
    assert tech.membership.organization == riverside
    assert tech.organization == "Riverside Imaging Research Center"


def test_a_used_link_says_so_and_changes_nothing(client, riverside, boss):
    tech = verified_user(email="tech@example.org")
    sent = invite(riverside, boss)
    client.force_login(tech)
    url = reverse("organizations:invitation", args=[sent.token])
    client.post(url)
    Membership.objects.filter(user=tech).delete()

    again = client.post(url)

    assert again.status_code == 400
    assert "This invitation has already been used." in again.content.decode()
    assert not Membership.objects.filter(user=tech).exists()


def test_an_expired_link_says_when_it_expired(client, riverside, boss):
    sent = invite(riverside, boss)
    Invitation.objects.filter(pk=sent.invitation.pk).update(
        expires_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 12))
    )
    client.force_login(verified_user(email="tech@example.org"))

    response = client.post(reverse("organizations:invitation", args=[sent.token]))

    assert response.status_code == 400
    assert ("This invitation expired on 2026-03-01. Ask your site coordinator for a new one."
            in response.content.decode())  # fmt: skip
    assert not Membership.objects.filter(user__email="tech@example.org").exists()


def test_a_link_for_another_address_is_refused_to_a_signed_in_person(client, riverside, boss):
    sent = invite(riverside, boss)
    other = verified_user(email="other@example.org")
    client.force_login(other)

    response = client.post(reverse("organizations:invitation", args=[sent.token]))

    assert response.status_code == 403
    assert "This invitation was sent to tech@example.org." in response.content.decode()
    assert not Membership.objects.filter(user=other).exists()
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.parametrize("token", ["nonsense", "eyJpIjoxfQ:forged:signature"])
def test_a_forged_or_garbled_link_is_a_clear_400(client, token):
    response = client.get(reverse("organizations:invitation", args=[token]))

    assert response.status_code == 400
    assert "This invitation link is not valid." in response.content.decode()


def test_a_new_invitation_to_the_same_address_withdraws_the_old_link(client, riverside, boss):
    first = invite(riverside, boss)
    invite(riverside, boss)
    client.force_login(verified_user(email="tech@example.org"))

    response = client.post(reverse("organizations:invitation", args=[first.token]))

    assert response.status_code == 400
    assert "This invitation was withdrawn." in response.content.decode()
