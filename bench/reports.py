"""Learning reports over 200,000 enrollments (50 courses, 20,000 learners) on PostgreSQL.

Seeds once into the ``lms_bench`` database (reused on later runs), then times: the course
completion report page, the learner progress report's first page, and the full learner-progress
CSV export as the Celery task builds it (streamed; peak memory reported).
"""

import json
import os
import resource
import secrets
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
os.environ["PRIVATE_STORAGE_ROOT"] = str(ROOT / "var" / "bench" / "private")

LEARNERS = int(os.environ.get("BENCH_LEARNERS", "20000"))
COURSES = int(os.environ.get("BENCH_COURSES", "50"))
PER_LEARNER = int(os.environ.get("BENCH_ENROLLMENTS_PER_LEARNER", "10"))
BATCH = 5000


def seed():
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from certificates.models import Certificate, CertificateStatus
    from courses.models import CoursePage, ProgramPage
    from enrollments.models import Enrollment, EnrollmentStatus
    from tests.courses import factories

    User = get_user_model()
    program = ProgramPage.objects.filter(code="bench").first() or factories.program(
        "bench", "Benchmark program"
    )
    courses = list(CoursePage.objects.child_of(program).order_by("path"))
    for index in range(len(courses), COURSES):
        courses.append(factories.course(program, f"BEN-{index:03d}", modules=4))
    wanted = LEARNERS * PER_LEARNER
    have = Enrollment.objects.filter(course__in=courses).count()
    if have >= wanted:
        return have
    print(f"seeding {wanted - have} enrollments (once; reused afterwards)...", flush=True)
    sites = [f"Site {i:03d}" for i in range(200)]
    professions = ["technologist", "physician", "physicist", "research_coordinator"]
    existing = User.objects.filter(email__startswith="bench-learner").count()
    for start in range(existing, LEARNERS, BATCH):
        User.objects.bulk_create(
            [User(email=f"bench-learner{i}@example.org", full_name=f"Bench Learner {i}",
                  profession=professions[i % 4], organization=sites[i % 200],
                  password="!") for i in range(start, min(start + BATCH, LEARNERS))]
        )  # fmt: skip
    user_ids = list(
        User.objects.filter(email__startswith="bench-learner")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    rows = []
    for n, user_id in enumerate(user_ids):
        for k in range(PER_LEARNER):
            course = courses[(n + k * 7) % len(courses)]
            done = (n + k) % 5 < 2
            rows.append(Enrollment(
                user_id=user_id, course=course,
                status=EnrollmentStatus.COMPLETED if done else EnrollmentStatus.ACTIVE,
                completed_at=now - timedelta(days=(n + k) % 300) if done else None,
                modules_completed=4 if done else (n + k) % 4,
                post_test_attempts=1 + (n % 3) if done else 0,
                post_test_best_score=Decimal(60 + (n * 7 + k) % 41) if done else None,
            ))  # fmt: skip
        if len(rows) >= BATCH:
            Enrollment.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    Enrollment.objects.bulk_create(rows, ignore_conflicts=True)
    completed = Enrollment.objects.filter(course__in=courses, status=EnrollmentStatus.COMPLETED)
    today = date.today()
    batch = []
    for enrollment_id in completed.values_list("pk", flat=True).iterator(5000):
        batch.append(Certificate(
            enrollment_id=enrollment_id, status=CertificateStatus.ISSUED,
            code=secrets.token_urlsafe(16), course_code="BEN", learner_name="Bench Learner",
            completed_on=today, issued_at=now,
            expires_on=today + timedelta(days=(enrollment_id % 1000)),
        ))  # fmt: skip
        if len(batch) >= BATCH:
            Certificate.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Certificate.objects.bulk_create(batch, ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Enrollment.objects.filter(course__in=courses).count()


def timed_get(client, url, params=None, repeat=3):
    client.get(url, params)  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, params)
        if hasattr(response, "streaming_content"):
            for _chunk in response.streaming_content:
                pass
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    return min(times)


def main():
    from bench.certificates import ensure_database

    ensure_database()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from reports.models import ReportExport
    from reports.services import build_export

    total = seed()
    admin = get_user_model().objects.filter(email="bench-admin@example.org").first()
    if admin is None:
        admin = get_user_model().objects.create_superuser("bench-admin@example.org", "pw")
    client = Client()
    client.force_login(admin)
    completion = timed_get(client, "/admin/learning-reports/course-completion/")
    progress = timed_get(client, "/admin/learning-reports/learner-progress/")
    filtered = timed_get(client, "/admin/learning-reports/learner-progress/",
                         {"organization": "Site 042", "status": "completed"})  # fmt: skip

    export = ReportExport.objects.create(user=admin, report="learner_progress", params={},
                                         export_format="csv")  # fmt: skip
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    build_export(export_id=export.pk)
    export_seconds = time.perf_counter() - started
    rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    export.refresh_from_db()
    result = {
        "date": date.today().isoformat(),
        "enrollments": total,
        "course_completion_report_s": round(completion, 3),
        "learner_progress_first_page_s": round(progress, 3),
        "learner_progress_filtered_s": round(filtered, 3),
        "full_csv_export_rows": export.rows,
        "full_csv_export_s": round(export_seconds, 2),
        "full_csv_export_rows_per_s": round(export.rows / export_seconds),
        "export_peak_rss_growth_mb": round(rss_growth_mb, 1),
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    out = ROOT / "bench" / "results" / f"{result['date']}-reports.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print("\nLearning reports over the benchmark data (PostgreSQL)")
    for key, value in result.items():
        print(f"  {key:<36} {value}")
    print(f"  written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
