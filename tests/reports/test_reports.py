"""Learning reports: figures, filters, exports, formula injection, permissions, query counts."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from infrastructure.spreadsheets import neutralize
from tests.accounts.factories import UserFactory
from tests.reports.conftest import make_enrollments

pytestmark = pytest.mark.django_db

COMPLETION = "/admin/learning-reports/course-completion/"
PROGRESS = "/admin/learning-reports/learner-progress/"
ROSTER = "/admin/learning-reports/organization-roster/"
TRANSCRIPT = "/admin/learning-reports/learner-transcript/"


def rows_of(response):
    return list(response.context["object_list"])


def test_course_completion_counts_and_rates(admin_client, catalog):
    make_enrollments(catalog["gcp"], 4)  # 2 completed, 2 in progress
    make_enrollments(catalog["rdrc"], 3, completed_every=3, score=Decimal("60"))  # 1 completed
    response = admin_client.get(COMPLETION)
    assert response.status_code == 200
    rows = {row.code: row for row in rows_of(response)}
    gcp = rows["CTN-101"]
    assert (gcp.enrolled, gcp.in_progress, gcp.completed) == (4, 2, 2)
    assert gcp.completion_rate == 50.0
    assert gcp.average_score == Decimal("80.0")
    assert float(gcp.median_score) == 80.0
    assert (gcp.certificates_issued, gcp.certificates_expiring, gcp.certificates_revoked) == (
        2,
        2,
        0,
    )
    assert (rows["CTN-201"].enrolled, rows["CTN-201"].completed) == (3, 1)
    assert rows["CMIIT-101"].enrolled == 0


def test_course_completion_filters_by_program_and_organization(admin_client, catalog):
    make_enrollments(catalog["gcp"], 4, organization="Riverside Imaging")
    make_enrollments(catalog["gcp"], 2, organization="Lakeside Hospital", prefix="q")
    by_program = admin_client.get(COMPLETION, {"program": catalog["cmiit"].pk})
    assert [row.code for row in rows_of(by_program)] == ["CMIIT-101"]
    by_org = admin_client.get(COMPLETION, {"organization": "Lakeside"})
    assert {r.code: r.enrolled for r in rows_of(by_org)}["CTN-101"] == 2


def test_learner_progress_rows_filters_and_search(admin_client, catalog):
    make_enrollments(catalog["gcp"], 3)
    make_enrollments(catalog["rdrc"], 2, prefix="r")
    response = admin_client.get(PROGRESS)
    assert len(rows_of(response)) == 5
    row = rows_of(admin_client.get(PROGRESS, {"course": catalog["gcp"].pk}))[0]
    assert row.percent_complete == 50  # 1 of 2 modules
    assert len(rows_of(admin_client.get(PROGRESS, {"status": "completed"}))) == 3
    found = rows_of(admin_client.get(PROGRESS, {"q": "rCTN-201-1@"}))
    assert [r.user.email for r in found] == ["rCTN-201-1@example.org"]


def test_roster_says_whether_gcp_training_is_valid_on_a_date(admin_client, catalog):
    make_enrollments(catalog["gcp"], 2, organization="Lakeside Hospital")
    today = admin_client.get(ROSTER, {"organization": "Lakeside Hospital"})
    assert sorted(r.gcp_status for r in rows_of(today)) == ["NOT valid", "valid"]
    later = admin_client.get(ROSTER, {"organization": "Lakeside Hospital", "date": "2099-01-01"})
    assert [r.gcp_status for r in rows_of(later)] == ["NOT valid", "NOT valid"]
    assert rows_of(admin_client.get(ROSTER)) == []


@pytest.mark.parametrize("url", [COMPLETION, PROGRESS])
def test_query_count_is_the_same_for_10_and_1000_enrollments(admin_client, catalog, url):
    make_enrollments(catalog["gcp"], 10)
    admin_client.get(url)
    with CaptureQueriesContext(connection) as small:
        admin_client.get(url)
    make_enrollments(catalog["rdrc"], 990, prefix="big")
    with CaptureQueriesContext(connection) as large:
        response = admin_client.get(url)
    assert response.status_code == 200
    assert len(large) == len(small)


def test_roster_query_count_is_the_same_for_10_and_1000_enrollments(admin_client, catalog):
    make_enrollments(catalog["gcp"], 10, organization="Lakeside Hospital")
    params = {"organization": "Lakeside Hospital"}
    admin_client.get(ROSTER, params)
    with CaptureQueriesContext(connection) as small:
        admin_client.get(ROSTER, params)
    make_enrollments(catalog["rdrc"], 990, organization="Lakeside Hospital", prefix="big")
    with CaptureQueriesContext(connection) as large:
        admin_client.get(ROSTER, params)
    assert len(large) == len(small)


@pytest.mark.parametrize("value", ['=HYPERLINK("x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_cells_are_neutralized(value):
    assert neutralize(value) == "'" + value
    assert neutralize("Riverside " + value) == "Riverside " + value
    assert neutralize(42) == 42


def test_csv_and_xlsx_exports_neutralize_injected_names(admin_client, catalog):
    enrollment = make_enrollments(catalog["gcp"], 1)[0]
    enrollment.user.full_name = '=HYPERLINK("http://evil.example","x")'
    enrollment.user.organization = "@SUM(1+1)"
    enrollment.user.save()
    response = admin_client.get(PROGRESS, {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "'" + enrollment.user.full_name
    assert rows[1][3] == "'@SUM(1+1)"
    xlsx = admin_client.get(PROGRESS, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    cells = [cell.value for cell in list(sheet.iter_rows())[1]]
    assert cells[0] == "'" + enrollment.user.full_name
    assert cells[3] == "'@SUM(1+1)"


def test_learners_get_403(client, catalog):
    client.force_login(UserFactory(email="learner@example.org"))
    for url in (COMPLETION, PROGRESS, ROSTER):
        assert client.get(url).status_code in (302, 403)


def test_instructors_see_their_own_programs_only(client, catalog):
    make_enrollments(catalog["gcp"], 2)
    make_enrollments(catalog["cmiit_course"], 3, prefix="c")
    instructor = UserFactory(email="ctn.instructor@example.org")
    instructor.groups.add(Group.objects.get(name="CTN instructors"))
    client.force_login(instructor)
    completion = client.get(COMPLETION)
    assert completion.status_code == 200
    assert {row.code for row in rows_of(completion)} == {"CTN-101", "CTN-201"}
    progress = rows_of(client.get(PROGRESS))
    assert {row.course.code for row in progress} == {"CTN-101"}


def test_staff_without_reports_or_programs_get_403(client, catalog):
    staff = UserFactory(email="editor@example.org")
    group = Group.objects.create(name="Support staff")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    staff.groups.add(group)
    client.force_login(staff)
    response = client.get(COMPLETION)
    assert response.status_code in (302, 403)  # Wagtail turns a refusal into a redirect home
    assert b"CTN-101" not in response.content


def test_learner_transcript_lists_courses_certificates_and_credit_totals(admin_client, catalog):
    from certificates import services
    from tests.certificates.conftest import completed_enrollment

    # A physician: the course carries AMA PRA Category 1 credit only.
    learner = UserFactory(email="transcript@example.org", full_name="Tess Transcript",
                          profession="physician")  # fmt: skip
    enrollment = completed_enrollment(learner, catalog["gcp"])
    pending = services.create_pending_certificate(enrollment_id=enrollment.pk)
    certificate = services.issue_certificate(certificate_id=pending.pk)
    response = admin_client.get(TRANSCRIPT, {"learner": "transcript@example.org"})
    assert response.status_code == 200
    rows = rows_of(response)
    assert [(r.course.code, r.certificate_code) for r in rows] == [("CTN-101", certificate.code)]
    assert [t["hours"] for t in response.context["totals"]] == [Decimal("1.5")]
    missing = admin_client.get(TRANSCRIPT, {"learner": "nobody@example.org"})
    assert rows_of(missing) == []
    assert b"No learner has that email address." in missing.content


@pytest.mark.parametrize("url", [COMPLETION, PROGRESS, ROSTER, TRANSCRIPT, "/admin/"])
def test_a_signed_in_learner_gets_403_not_a_login_loop(client, catalog, url):
    client.force_login(UserFactory(email="curious.learner@example.org"))
    response = client.get(url)
    assert response.status_code == 403
    assert b"You do not have access to this page" in response.content
