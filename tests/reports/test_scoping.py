"""An instructor's reports hold their own program's learners, courses and titles, nothing else."""

import csv
import io
import re
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates import services
from tests.accounts.factories import UserFactory
from tests.certificates.conftest import completed_enrollment
from tests.courses import factories
from tests.reports.conftest import make_enrollments

pytestmark = pytest.mark.django_db

COMPLETION = "/admin/learning-reports/course-completion/"
PROGRESS = "/admin/learning-reports/learner-progress/"
ROSTER = "/admin/learning-reports/organization-roster/"
TRANSCRIPT = "/admin/learning-reports/learner-transcript/"


def issued(user, course):
    enrollment = completed_enrollment(user, course)
    pending = services.create_pending_certificate(enrollment_id=enrollment.pk)
    return services.issue_certificate(certificate_id=pending.pk)


@pytest.fixture
def ctn_instructor(client, catalog):
    instructor = UserFactory(email="ctn.instructor@example.org", full_name="Cat Instructor")
    instructor.groups.add(Group.objects.get(name="CTN instructors"))
    client.force_login(instructor)
    return instructor


@pytest.fixture
def people(catalog):
    """A learner in both programs, one only in CMIIT, and a staff member enrolled nowhere."""
    # Physicians: the courses carry AMA PRA Category 1 Credit (CME), which only they may claim.
    both = UserFactory(email="both@example.org", full_name="Bo Both", arrt_id="1111111",
                       organization="Shared Imaging", profession="physician")  # fmt: skip
    issued(both, catalog["gcp"])
    issued(both, catalog["cmiit_course"])
    cmiit_only = UserFactory(email="cmiit.only@example.org", full_name="Cy Cmiit",
                             arrt_id="2222222", organization="Shared Imaging",
                             profession="physician")  # fmt: skip
    issued(cmiit_only, catalog["cmiit_course"])
    staff = UserFactory(email="staff@example.org", full_name="Stef Staff", is_staff=True)
    return {"both": both, "cmiit_only": cmiit_only, "staff": staff}


def page_without(response, email: str) -> str:
    """The page with the echoed query and per-request tokens taken out, to compare two answers."""
    text = response.content.decode()
    for form in (email, quote(email)):
        text = text.replace(form, "EMAIL")
    return re.sub(r'(csrfmiddlewaretoken" value="|nonce="|"CSRF_TOKEN": ")[^"]+', r"\1X", text)


@pytest.mark.parametrize("who", ["cmiit_only", "staff"])
def test_an_instructor_gets_the_unknown_email_answer_for_anyone_outside_their_program(
    client, ctn_instructor, people, who
):
    person = people[who]
    unknown = client.get(TRANSCRIPT, {"learner": "nobody@example.org"})
    outside = client.get(TRANSCRIPT, {"learner": person.email})
    assert outside.status_code == unknown.status_code == 200
    assert list(outside.context["object_list"]) == []
    assert outside.context["learner"] is None
    assert page_without(outside, person.email) == page_without(unknown, "nobody@example.org")
    assert person.full_name not in outside.content.decode()
    export = client.get(TRANSCRIPT, {"learner": person.email, "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert len(rows) == 1  # the headings only


def test_an_instructor_sees_only_their_programs_courses_and_credits_of_a_shared_learner(
    client, ctn_instructor, people, catalog
):
    response = client.get(TRANSCRIPT, {"learner": "BOTH@example.org"})
    assert response.context["learner"] == people["both"]
    assert [row.course.code for row in response.context["object_list"]] == ["CTN-101"]
    assert [(t["short_name"], t["hours"], t["courses"]) for t in response.context["totals"]] == [
        ("CME", 1.5, 1)
    ]
    assert "CMIIT-101" not in response.content.decode()


def test_an_administrator_sees_every_program_of_a_learner(admin_client, people):
    response = admin_client.get(TRANSCRIPT, {"learner": "both@example.org"})
    assert {row.course.code for row in response.context["object_list"]} == {
        "CTN-101",
        "CMIIT-101",
    }
    assert [(t["hours"], t["courses"]) for t in response.context["totals"]] == [(3, 2)]
    staff = admin_client.get(TRANSCRIPT, {"learner": "staff@example.org"})
    assert staff.context["learner"] == people["staff"]


def test_the_roster_and_progress_of_an_instructor_hold_only_their_programs(
    client, ctn_instructor, people
):
    roster = client.get(ROSTER, {"organization": "Shared Imaging"})
    assert [(r.user.email, r.course.code) for r in roster.context["object_list"]] == [
        ("both@example.org", "CTN-101")
    ]
    assert "cmiit.only@example.org" not in roster.content.decode()
    progress = client.get(PROGRESS, {"q": "cmiit.only"})
    assert list(progress.context["object_list"]) == []
    completion = client.get(COMPLETION)
    assert {row.code for row in completion.context["object_list"]} == {"CTN-101", "CTN-201"}


def test_report_filters_offer_an_instructor_only_their_programs_titles(
    client, ctn_instructor, catalog
):
    factories.course(catalog["cmiit"], "CMIIT-900", title="Secret CMIIT draft", publish=False)
    factories.course(catalog["ctn"], "CTN-900", title="Own CTN draft", publish=False)
    for url in (COMPLETION, PROGRESS):
        response = client.get(url)
        text = response.content.decode()
        assert "Secret CMIIT draft" not in text
        assert "CMIIT" not in text
        program_field = response.context["filters"].form.fields["program"]
        assert [p.code for p in program_field.queryset] == ["ctn"]
    course_field = client.get(PROGRESS).context["filters"].form.fields["course"]
    assert [c.code for c in course_field.queryset] == ["CTN-101", "CTN-201", "CTN-900"]


def test_an_instructor_cannot_filter_by_another_programs_course(client, ctn_instructor, catalog):
    make_enrollments(catalog["gcp"], 2)
    make_enrollments(catalog["cmiit_course"], 2, prefix="c")
    response = client.get(PROGRESS, {"course": catalog["cmiit_course"].pk})
    assert response.status_code == 200
    assert {r.course.code for r in response.context["object_list"]} == {"CTN-101"}
    assert response.context["filters"].form.errors["course"]


@pytest.mark.parametrize("url", [COMPLETION, PROGRESS])
def test_an_instructors_query_count_is_the_same_for_10_and_1000_enrollments(
    client, ctn_instructor, catalog, url
):
    make_enrollments(catalog["gcp"], 10)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    make_enrollments(catalog["rdrc"], 500, prefix="big")
    make_enrollments(catalog["cmiit_course"], 500, prefix="other")
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large) == len(small)


def test_a_transcripts_query_count_does_not_grow_with_the_learners_courses(admin_client, catalog):
    learner = UserFactory(email="counted@example.org")
    issued(learner, catalog["gcp"])
    params = {"learner": learner.email}
    admin_client.get(TRANSCRIPT, params)
    with CaptureQueriesContext(connection) as small:
        admin_client.get(TRANSCRIPT, params)
    issued(learner, catalog["rdrc"])
    issued(learner, catalog["cmiit_course"])
    with CaptureQueriesContext(connection) as large:
        response = admin_client.get(TRANSCRIPT, params)
    assert len(response.context["object_list"]) == 3
    assert len(large) == len(small)


@pytest.mark.parametrize("export", ["", "csv", "xlsx"])
def test_an_instructor_cannot_reach_the_certificates_listing_or_its_export(
    client, ctn_instructor, people, export
):
    response = client.get("/admin/certificates/", {"export": export} if export else {})
    assert response.status_code in (302, 403)
    assert not response.streaming
    assert b"both@example.org" not in response.content
