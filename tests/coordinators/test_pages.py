"""The site coordinator's pages: the people roster, study rosters (view, CSV, PDF),
invitations, and the isolation of one organization's coordinator from every other's."""

import csv
import io

import pytest
from django.urls import reverse

from certificates.models import CertificateStatus
from coordinators.models import StudyRoster
from organizations.models import Invitation
from tests import factories
from tests.coordinators.conftest import D, certify

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalog, sites):
    riverside, lakeside = sites["riverside"], sites["lakeside"]
    alex = factories.member(riverside, email="alex@riverside.example", full_name="Alex Nguyen")
    certify(alex, catalog["gcp"], completed_on=D.replace(month=5), expires_on=D.replace(year=2099))
    sam = factories.member(lakeside, email="sam@lakeside.example", full_name="Sam Secret")
    certify(sam, catalog["gcp"], completed_on=D.replace(month=5))
    roster = StudyRoster.objects.create(organization=riverside, name="ACRIN-6688",
                                        on_date=D)  # fmt: skip
    roster.courses.set([catalog["gcp"]])
    other_roster = StudyRoster.objects.create(organization=lakeside, name="LAKE-SECRET",
                                              on_date=D)  # fmt: skip
    other_roster.courses.set([catalog["gcp"]])
    invitation = Invitation.objects.create(organization=riverside, email="new@example.org",
                                           expires_at="2099-01-01T00:00Z")  # fmt: skip
    return {**sites, **catalog, "alex": alex, "sam": sam, "roster": roster,
            "other_roster": other_roster, "invitation": invitation}  # fmt: skip


def routes(w):
    """Every coordinator route of Riverside, with the method it answers."""
    org = w["riverside"].pk
    return [
        ("get", f"/site/{org}/"),
        ("get", f"/site/{org}/people/{w['alex'].pk}/"),
        ("get", f"/site/{org}/studies/"),
        ("post", f"/site/{org}/studies/"),
        ("get", f"/site/{org}/studies/{w['roster'].pk}/"),
        ("get", f"/site/{org}/studies/{w['roster'].pk}/csv/"),
        ("get", f"/site/{org}/studies/{w['roster'].pk}/pdf/"),
        ("get", f"/site/{org}/invitations/"),
        ("post", f"/site/{org}/invitations/"),
        ("post", f"/site/{org}/invitations/{w['invitation'].pk}/withdraw/"),
    ]


def test_the_coordinator_lands_on_their_roster_with_each_course_and_gcp_standing(client, world):
    client.force_login(world["riverside_boss"])

    assert client.get("/site/").url == f"/site/{world['riverside'].pk}/"
    response = client.get(f"/site/{world['riverside'].pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Alex Nguyen" in html and "valid until 2099-06-15" in html
    assert "Sam Secret" not in html
    people = {p.user.email: [(x.enrollment.course.code, x.standing, x.gcp) for x in p.lines]
              for p in response.context["people"]}  # fmt: skip
    assert people == {"alex@riverside.example": [("CTN-101", "valid", "valid")],
                      "boss@riverside.example": []}  # fmt: skip


def test_the_roster_says_expiring_and_expired(client, world, catalog):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    soon = factories.member(world["riverside"], email="soon@riverside.example")
    certify(soon, catalog["gcp"], completed_on=today.replace(year=today.year - 2),
            expires_on=today + datetime.timedelta(days=30))  # fmt: skip
    gone = factories.member(world["riverside"], email="gone@riverside.example")
    certify(gone, catalog["gcp"], completed_on=today.replace(year=today.year - 3),
            expires_on=today - datetime.timedelta(days=1))  # fmt: skip
    client.force_login(world["riverside_boss"])

    response = client.get(f"/site/{world['riverside'].pk}/")

    lines = {p.user.email: (p.lines[0].standing, p.lines[0].gcp)
             for p in response.context["people"] if p.lines}  # fmt: skip
    assert lines["soon@riverside.example"] == ("expiring", "valid")
    assert lines["gone@riverside.example"] == ("expired", "NOT valid")


def test_a_coordinator_sees_nothing_of_another_organization_on_any_route(client, world):
    client.force_login(world["lakeside_boss"])

    for method, url in routes(world):
        assert getattr(client, method)(url).status_code == 404, url
    # Nor by naming Riverside's objects under their own organization.
    own = world["lakeside"].pk
    for url in (f"/site/{own}/people/{world['alex'].pk}/",
                f"/site/{own}/studies/{world['roster'].pk}/",
                f"/site/{own}/studies/{world['roster'].pk}/csv/",
                f"/site/{own}/studies/{world['roster'].pk}/pdf/"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/site/{own}/invitations/{world['invitation'].pk}/withdraw/").status_code
        == 404
    )
    assert Invitation.objects.get(pk=world["invitation"].pk).revoked_at is None
    assert StudyRoster.objects.filter(organization=world["riverside"]).count() == 1


@pytest.mark.parametrize("who", ["member", "admin", "instructor_staff"])
def test_a_member_or_an_administrator_who_coordinates_nothing_gets_404(client, world, who):
    user = {
        "member": world["alex"],
        "admin": factories.superuser(),
        "instructor_staff": factories.verified_user(is_staff=True),
    }[who]
    client.force_login(user)

    assert client.get("/site/").status_code == 404
    for method, url in routes(world):
        assert getattr(client, method)(url).status_code == 404, url


def test_signed_out_every_route_asks_to_sign_in(client, world):
    for method, url in routes(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url


def test_check_then_save_a_study_roster(client, world):
    client.force_login(world["riverside_boss"])
    url = f"/site/{world['riverside'].pk}/studies/"
    params = {"on_date": "2026-06-15", "courses": [world["gcp"].pk]}

    checked = client.get(url, params)
    assert checked.status_code == 200
    assert [(r.user.email, r.trained) for r in checked.context["rows"]] == [
        ("alex@riverside.example", True), ("boss@riverside.example", False)]  # fmt: skip
    unnamed = client.post(url, params)
    assert unnamed.status_code == 400
    assert "Name the study to save its roster." in unnamed.content.decode()

    saved = client.post(url, {**params, "name": "FDG-PET 2026"})

    roster = StudyRoster.objects.get(name="FDG-PET 2026")
    assert saved.url == f"/site/{world['riverside'].pk}/studies/{roster.pk}/"
    assert (roster.organization, roster.on_date.isoformat(), list(roster.courses.all())) == (
        world["riverside"], "2026-06-15", [world["gcp"]])  # fmt: skip
    page = client.get(saved.url).content.decode()
    assert "Trained on 2026-06-15: 1 of 2 people." in page


@pytest.mark.parametrize("params", [
    {"on_date": "not-a-date", "courses": ["1"]},
    {"on_date": "2026-06-15"},
    {"on_date": "2026-06-15", "courses": ["999999"]},
])  # fmt: skip
def test_bad_study_questions_are_a_400_with_the_form_errors(client, world, params):
    client.force_login(world["riverside_boss"])

    response = client.get(f"/site/{world['riverside'].pk}/studies/", params)

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_the_study_roster_exports_csv_and_pdf(client, world):
    client.force_login(world["riverside_boss"])
    base = f"/site/{world['riverside'].pk}/studies/{world['roster'].pk}"

    response = client.get(f"{base}/csv/")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"] == (
        'attachment; filename="study-roster-acrin-6688-20260615.csv"')  # fmt: skip
    assert rows[0] == ["Organization", "Riverside Imaging Research Center", "Study", "ACRIN-6688",
                       "Trained on", "2026-06-15"]  # fmt: skip
    assert rows[2] == ["Name", "Email", "Profession", "Trained", "CTN-101", "Reasons"]
    assert rows[3] == ["Alex Nguyen", "alex@riverside.example", "Technologist", "trained", "yes",
                       ""]  # fmt: skip
    assert rows[4] == ["Robin Boss", "boss@riverside.example", "Technologist", "not trained", "no",
                       "CTN-101: not enrolled"]  # fmt: skip
    pdf = client.get(f"{base}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_a_revoked_certificate_stops_counting_on_a_saved_roster(client, world):
    client.force_login(world["riverside_boss"])
    world["alex"].enrollments.get().certificates.update(status=CertificateStatus.REVOKED)

    page = client.get(f"/site/{world['riverside'].pk}/studies/{world['roster'].pk}/")

    assert "Trained on 2026-06-15: 0 of 2 people." in page.content.decode()


def test_inviting_and_withdrawing(client, world, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(world["riverside_boss"])
    url = f"/site/{world['riverside'].pk}/invitations/"

    assert client.post(url, {"email": "not an address"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "Tech@Example.org"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="tech@example.org")
    assert invitation.organization == world["riverside"]
    assert invitation.invited_by == world["riverside_boss"]
    assert [m.to for m in mailoutbox] == [["tech@example.org"]]

    client.post(reverse("coordinators:withdraw_invitation",
                        args=[world["riverside"].pk, invitation.pk]))  # fmt: skip
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "withdrawn" in client.get(url).content.decode()


def test_the_roster_takes_a_fixed_number_of_queries(
    client, world, catalog, django_assert_max_num_queries
):
    client.force_login(world["riverside_boss"])
    url = f"/site/{world['riverside'].pk}/"
    client.get(url)
    with django_assert_max_num_queries(13) as few:
        client.get(url)
    for i in range(15):
        certify(factories.member(world["riverside"], email=f"m{i}@riverside.example"),
                catalog["gcp"], completed_on=D)  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["people"]) == 17
