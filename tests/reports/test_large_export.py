"""An export over 5,000 rows is built by a real Celery worker, mailed, and downloadable."""

import csv
import io
import os

import pytest
from django.conf import settings
from django.db import connection
from openpyxl import load_workbook

from celery_app import app
from reports.models import ReportExport
from tests.conftest import IN_CI
from tests.courses import factories
from tests.reports.conftest import make_enrollments
from tests.worker import celery_worker, wait_for

_SERVICES = os.environ.get("DATABASE_URL", "").startswith("postgres") and bool(
    os.environ.get("REDIS_URL")
)

pytestmark = [
    pytest.mark.worker,
    # Decided before the database is set up (as tests/xapi/test_worker.py): on SQLite a serialized
    # rollback can collide with what another transactional test left, and this test would be
    # skipped anyway.
    pytest.mark.skipif(
        not (_SERVICES or IN_CI), reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROWS = 5001


@pytest.fixture(autouse=True)
def _needs_postgres_and_redis():
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        if IN_CI:
            pytest.fail("CI runs the large-export test on PostgreSQL and Redis")
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL")


@pytest.mark.parametrize(
    ("slug", "params", "export_format"),
    [
        ("learner-progress", {}, "csv"),
        # The roster's computed column crashed the worker once (the view around a fake request).
        ("organization-roster", {"organization": "Riverside Imaging"}, "csv"),
        ("organization-roster", {"organization": "Riverside Imaging"}, "xlsx"),
    ],
)
def test_a_large_export_runs_on_the_worker_and_its_row_count_matches(
    client, django_user_model, slug, params, export_format
):
    program = factories.program("ctn")
    course = factories.course(program, "CTN-101", modules=1, is_gcp=True, course_version="1",
                              ich_e6_revision="E6(R3)", certificate_validity_months=36)  # fmt: skip
    make_enrollments(course, ROWS, prefix="export")
    admin = django_user_model.objects.create_superuser("exporter@example.org", "pw")
    client.force_login(admin)
    db = connection.settings_dict
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
    }
    queue = f"export-{os.getpid()}"
    previous, app.conf.task_default_queue = app.conf.task_default_queue, queue
    try:
        response = client.get(
            f"/admin/learning-reports/{slug}/", {**params, "export": export_format}
        )
        assert response.status_code == 302
        export = ReportExport.objects.get()
        assert export.status == ReportExport.Status.PENDING
        with celery_worker(queue, env=env):
            ready = wait_for(
                lambda: ReportExport.objects.filter(status=ReportExport.Status.READY).exists(),
                timeout=180,
            )
    finally:
        app.conf.task_default_queue = previous
    assert ready is True
    export.refresh_from_db()
    assert export.rows == ROWS
    download = client.get(f"/admin/learning-reports/exports/{export.pk}/download/")
    assert download.status_code == 200
    data = b"".join(download.streaming_content)
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(data.decode())))
    else:
        rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert len(rows) == ROWS + 1  # the heading row
    assert rows[0][0] == "Learner"
    if slug == "organization-roster":
        assert {row[-1] for row in rows[1:]} == {"valid", "NOT valid"}
    other = django_user_model.objects.create_superuser("other@example.org", "pw")
    client.force_login(other)
    assert client.get(f"/admin/learning-reports/exports/{export.pk}/download/").status_code == 404
