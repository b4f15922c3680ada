"""Background exports: every report completes from its selector; a failure is recorded and mailed.

The task runs in-process here (``apply``); tests/reports/test_large_export.py runs a real worker.
"""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError
from openpyxl import load_workbook

from reports import selectors, services, tasks
from reports.models import ReportExport
from tests.accounts.factories import UserFactory
from tests.reports.conftest import make_enrollments
from tests.reports.test_scoping import issued

pytestmark = pytest.mark.django_db

BASE = "/admin/learning-reports/"


@pytest.fixture(autouse=True)
def small_threshold(monkeypatch):
    """Three rows count as "large", so the background path runs without 5,000 rows."""
    monkeypatch.setattr("reports.views.ASYNC_EXPORT_THRESHOLD", 3)


def request_export(client, slug, params, export_format="csv") -> ReportExport:
    response = client.get(f"{BASE}{slug}/", {**params, "export": export_format})
    assert response.status_code == 302
    return ReportExport.objects.get()


def read_csv(export: ReportExport) -> list[list[str]]:
    with export.file.open("rb") as handle:
        return list(csv.reader(io.StringIO(handle.read().decode())))


@pytest.mark.parametrize(
    ("slug", "params", "expected_rows"),
    [
        ("organization-roster", {"organization": "Riverside Imaging"}, 6),
        ("learner-progress", {"status": "completed"}, 3),
    ],
)
def test_a_large_roster_or_progress_export_completes_with_the_computed_columns(
    admin_client, catalog, mailoutbox, slug, params, expected_rows, monkeypatch
):
    make_enrollments(catalog["gcp"], 6)
    if slug == "learner-progress":
        monkeypatch.setattr("reports.views.ASYNC_EXPORT_THRESHOLD", 2)
    export = request_export(admin_client, slug, params)
    assert export.status == ReportExport.Status.PENDING
    tasks.build_export.apply(args=[export.pk])
    export.refresh_from_db()
    assert (export.status, export.rows, export.error) == (
        ReportExport.Status.READY,
        expected_rows,
        "",
    )
    rows = read_csv(export)
    assert len(rows) == expected_rows + 1
    if slug == "organization-roster":
        assert rows[0][-1] == "GCP certificate on the date"
        assert sorted({row[-1] for row in rows[1:]}) == ["NOT valid", "valid"]
    else:
        assert {row[7] for row in rows[1:]} == {"50"}  # percent complete: 1 of 2 modules
    assert len(mailoutbox) == 1
    assert f"/admin/learning-reports/exports/{export.pk}/download/" in mailoutbox[0].body


def test_a_large_learner_transcript_export_completes(admin_client, catalog, monkeypatch):
    learner = UserFactory(email="many@example.org")
    for course in (catalog["gcp"], catalog["rdrc"], catalog["cmiit_course"]):
        issued(learner, course)
    make_enrollments(catalog["gcp"], 1, prefix="other")
    monkeypatch.setattr("reports.views.ASYNC_EXPORT_THRESHOLD", 2)
    export = request_export(admin_client, "learner-transcript", {"learner": "many@example.org"},
                            export_format="xlsx")  # fmt: skip
    assert export.params == {"learner_email": "many@example.org"}
    tasks.build_export.apply(args=[export.pk])
    export.refresh_from_db()
    assert (export.status, export.rows) == (ReportExport.Status.READY, 3)
    with export.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    codes = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert codes == ["CMIIT-101", "CTN-101", "CTN-201"]
    assert all(row[6] for row in sheet.iter_rows(min_row=2, values_only=True))  # certificate


def test_an_instructors_background_export_keeps_their_scope(client, catalog):
    make_enrollments(catalog["gcp"], 4, organization="Shared")
    make_enrollments(catalog["cmiit_course"], 4, organization="Shared", prefix="c")
    instructor = UserFactory(email="ctn.instructor@example.org")
    instructor.groups.add(Group.objects.get(name="CTN instructors"))
    client.force_login(instructor)
    export = request_export(client, "organization-roster", {"organization": "Shared"})
    tasks.build_export.apply(args=[export.pk])
    export.refresh_from_db()
    assert export.rows == 4
    assert {row[3] for row in read_csv(export)[1:]} == {"CTN-101"}


def test_a_failing_export_is_marked_failed_with_its_reason_and_mailed(
    admin_client, catalog, mailoutbox, monkeypatch
):
    make_enrollments(catalog["gcp"], 6)

    def broken(filters):
        raise ValueError("boom")

    monkeypatch.setitem(
        services.EXPORTS,
        "organization_roster",
        services.EXPORTS["organization_roster"].__class__(
            **{**services.EXPORTS["organization_roster"].__dict__, "rows": broken}
        ),
    )
    export = request_export(
        admin_client, "organization-roster", {"organization": "Riverside Imaging"}
    )
    tasks.build_export.apply(args=[export.pk])
    export.refresh_from_db()
    assert export.status == ReportExport.Status.FAILED
    assert "ValueError" in export.error
    assert export.finished_at is not None
    assert len(mailoutbox) == 1
    assert "could not be built" in mailoutbox[0].body
    assert export.error in mailoutbox[0].body
    listing = admin_client.get(f"{BASE}my-exports/")
    assert "Failed" in listing.content.decode()
    assert "ValueError" in listing.content.decode()
    tasks.build_export.apply(args=[export.pk])  # a second run changes nothing, mails no one
    assert len(mailoutbox) == 1


def test_a_database_outage_is_retried_then_marked_failed(admin_client, catalog, mailoutbox,
                                                        monkeypatch):  # fmt: skip
    make_enrollments(catalog["gcp"], 6)
    export = request_export(
        admin_client, "organization-roster", {"organization": "Riverside Imaging"}
    )
    calls = []

    def outage(*, export_id):
        calls.append(export_id)
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "build_export", outage)
    tasks.build_export.apply(args=[export.pk])
    export.refresh_from_db()
    assert len(calls) == 1 + tasks.build_export.max_retries
    assert export.status == ReportExport.Status.FAILED
    assert len(mailoutbox) == 1


def test_an_export_whose_requester_lost_report_access_fails_with_that_reason(
    client, catalog, mailoutbox
):
    make_enrollments(catalog["gcp"], 6)
    instructor = UserFactory(email="leaving@example.org")
    group = Group.objects.get(name="CTN instructors")
    instructor.groups.add(group)
    client.force_login(instructor)
    export = request_export(client, "organization-roster", {"organization": "Riverside Imaging"})
    instructor.groups.remove(group)
    tasks.build_export.apply(args=[export.pk])
    export.refresh_from_db()
    assert export.status == ReportExport.Status.FAILED
    assert export.error == "You may no longer view learning reports."
    assert not export.file


def test_filters_round_trip_through_the_export_params():
    scope = selectors.ReportScope(paths=("00010001",))
    original = selectors.LearnerProgressFilter(
        scope=scope, course_id=4, status="completed", enrolled_from=datetime.date(2026, 1, 2),
        search="ana",
    )  # fmt: skip
    params = original.to_params()
    assert params["enrolled_from"] == "2026-01-02"
    assert selectors.LearnerProgressFilter.from_params(params, scope=scope) == original


def test_the_progress_export_streams_tuples_that_match_the_report_rows(catalog):
    """The export reads plain tuples; each cell equals the report's own row attribute."""
    from wagtail.coreutils import multigetattr

    from reports.exports import LEARNER_PROGRESS

    make_enrollments(catalog["gcp"], 4)
    admin = UserFactory(is_superuser=True, is_staff=True)
    filters = LEARNER_PROGRESS.filter_class.from_params(
        {}, scope=selectors.ReportScope.for_user(admin)
    )
    rows = LEARNER_PROGRESS.rows(filters)
    assert rows.computed is not None
    from_instances = [
        [multigetattr(item, name) for name in LEARNER_PROGRESS.fields]
        for batch in rows.batches()
        for item in batch
    ]
    assert len(from_instances) >= 4
    assert list(LEARNER_PROGRESS.values(LEARNER_PROGRESS.rows(filters))) == from_instances
