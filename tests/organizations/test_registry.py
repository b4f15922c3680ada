"""The registry: choosing an organization at sign-up and in the profile, asking for a new one,
the search behind the combobox, and an administrator's approve and merge."""

import pytest
from django.urls import reverse

from accounts.models import User
from coordinators.models import StudyRoster
from organizations import services
from organizations.models import Invitation, Membership, Organization, OrganizationStatus, Role
from tests.factories import coordinator, member, organization, superuser, verified_user

pytestmark = pytest.mark.django_db

PASSWORD = "Fluorine-18-FDG-synthesis"


def signup(client, **fields):
    data = {"full_name": "Dana Okafor", "email": "dana@example.org", "profession": "physicist",
            "organization": "Northside Cyclotron Facility", "password1": PASSWORD,
            "password2": PASSWORD, **fields}  # fmt: skip
    return client.post(reverse("account_signup"), data)


def test_a_typed_name_matches_its_record_whatever_the_case_and_spaces(client):
    riverside = organization("Riverside Imaging Research Center", city="Portland")

    assert signup(client, organization="  riverside   IMAGING research center ").status_code == 302

    user = User.objects.get(email="dana@example.org")
    assert user.membership.organization == riverside
    assert user.membership.role == Role.MEMBER
    assert user.organization == "Riverside Imaging Research Center"
    assert Organization.objects.count() == 1


def test_a_name_the_registry_lacks_becomes_a_pending_request(client):
    signup(client, organization="Northside  Cyclotron Facility")

    requested = Organization.objects.get()
    assert (requested.name, requested.status, requested.requested_text) == (
        "Northside Cyclotron Facility", OrganizationStatus.PENDING,
        "Northside  Cyclotron Facility",
    )  # fmt: skip
    assert User.objects.get(email="dana@example.org").membership.organization == requested
    # A pending request is nobody else's suggestion.
    assert client.get("/organizations/search/", {"q": "Northside"}).json() == {"results": []}


def test_the_signup_page_offers_the_approved_registry_without_script(client):
    organization("Riverside Imaging Research Center")
    Organization.objects.create(name="Asked For Only", status=OrganizationStatus.PENDING)

    html = client.get(reverse("account_signup")).content.decode()

    assert 'list="id_organization-options"' in html
    assert '<option value="Riverside Imaging Research Center">' in html
    assert "Asked For Only" not in html
    assert 'data-organization-search="/organizations/search/"' in html


def test_the_profile_moves_a_learner_to_another_organization(client):
    riverside = organization("Riverside Imaging Research Center")
    lakeside = organization("Lakeside University Hospital")
    user = member(riverside, full_name="Jordan Learner")
    client.force_login(user)

    response = client.post(reverse("profile"), {
        "full_name": "Jordan Learner", "profession": "technologist",
        "organization": "lakeside university hospital",
    })  # fmt: skip

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.membership.organization == lakeside
    assert user.organization == "Lakeside University Hospital"
    assert Membership.objects.filter(organization=riverside).count() == 0


def test_the_search_answers_approved_names_sites_and_cities_and_refuses_short_queries(client):
    organization("Riverside Imaging Research Center", site_identifier="CTN-0042", city="Portland")
    organization("Lakeside University Hospital", city="Riverton")
    organization("Northgate PET Center")

    assert client.get("/organizations/search/", {"q": "r"}).status_code == 400
    names = [
        r["name"] for r in client.get("/organizations/search/", {"q": "river"}).json()["results"]
    ]
    assert names == ["Riverside Imaging Research Center", "Lakeside University Hospital"]
    by_site = client.get("/organizations/search/", {"q": "ctn-0042"}).json()["results"]
    assert [(r["name"], r["place"], r["kind"]) for r in by_site] == [
        ("Riverside Imaging Research Center", "Portland", "Imaging site")
    ]


def test_the_search_is_rate_limited(client, monkeypatch, fresh_cache):
    monkeypatch.setattr("organizations.views.SEARCH_RATE_LIMIT", 3)
    organization("Riverside Imaging Research Center")

    codes = [client.get("/organizations/search/", {"q": "river"}).status_code for _ in range(5)]

    assert codes == [200, 200, 200, 429, 429]


def test_an_administrator_approves_a_pending_request(client):
    pending = Organization.objects.create(name="Northside", status=OrganizationStatus.PENDING)
    client.force_login(superuser())

    assert client.get(f"/admin/organization-actions/{pending.pk}/approve/").status_code == 200
    response = client.post(f"/admin/organization-actions/{pending.pk}/approve/")

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == OrganizationStatus.APPROVED
    listing = client.get("/admin/organizations/", {"status": "approved"})
    assert "Northside" in listing.content.decode()


def test_merging_moves_members_coordinators_invitations_and_rosters_then_deletes(client):
    riverside = organization("Riverside Imaging Research Center")
    typo = Organization.objects.create(name="Riverside Imaging Reserch Ctr",
                                       status=OrganizationStatus.PENDING,
                                       requested_text="Riverside Imaging Reserch Ctr")  # fmt: skip
    learner = member(typo, email="typo.learner@example.org")
    boss = coordinator(typo, email="typo.boss@example.org")
    member(riverside, email="already@example.org")
    services.invite(organization=typo, email="new@example.org", invited_by=boss)
    StudyRoster.objects.create(organization=typo, name="ACRIN-1", on_date="2026-05-01")
    client.force_login(superuser())

    response = client.post(f"/admin/organization-actions/{typo.pk}/merge/", {"into": riverside.pk})

    assert response.status_code == 302
    assert not Organization.objects.filter(pk=typo.pk).exists()
    assert set(Membership.objects.filter(organization=riverside).values_list(
        "user__email", "role")) == {("typo.learner@example.org", "member"),
                                    ("typo.boss@example.org", "coordinator"),
                                    ("already@example.org", "member")}  # fmt: skip
    learner.refresh_from_db()
    assert learner.organization == "Riverside Imaging Research Center"
    assert Invitation.objects.get().organization == riverside
    assert StudyRoster.objects.get().organization == riverside
    riverside.refresh_from_db()
    assert riverside.requested_text == "Riverside Imaging Reserch Ctr"  # what was typed is kept


def test_merging_into_itself_is_refused_with_a_form_error(client):
    riverside = organization("Riverside Imaging Research Center")
    client.force_login(superuser())

    response = client.post(f"/admin/organization-actions/{riverside.pk}/merge/",
                           {"into": riverside.pk})  # fmt: skip

    assert response.status_code == 400
    assert Organization.objects.filter(pk=riverside.pk).exists()


def test_a_learner_cannot_reach_the_registry_actions(client):
    pending = Organization.objects.create(name="Northside", status=OrganizationStatus.PENDING)
    client.force_login(verified_user())

    assert client.post(f"/admin/organization-actions/{pending.pk}/approve/").status_code == 403
    pending.refresh_from_db()
    assert pending.status == OrganizationStatus.PENDING
