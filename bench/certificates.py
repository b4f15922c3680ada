"""Certificate throughput through one real Celery worker, and completion-to-issued latency.

Run with ``make bench`` (PostgreSQL and Redis; defaults to the local ones). It builds its own
database (``lms_bench``), completes N enrollments at once, lets one worker (concurrency 1) issue
them, and reports certificates per second and p50/p95 latency from completion to issued, next to
the baseline of the same PDF rendering with no database, broker or worker around it.
"""

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
os.environ["PRIVATE_STORAGE_ROOT"] = str(ROOT / "var" / "bench" / "private")
N = int(os.environ.get("BENCH_CERTIFICATES", "60"))


def ensure_database():
    import psycopg

    name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    with psycopg.connect(os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres",
                         autocommit=True) as conn:  # fmt: skip
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                   check=True, env=os.environ)  # fmt: skip


def worker_peak_rss_mb(pid: int) -> dict:
    """Peak resident memory (VmHWM) of the worker's main process and its pool children."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    peaks = {}
    for each in [pid, *map(int, children.stdout.split())]:
        status = Path(f"/proc/{each}/status").read_text()
        kilobytes = next(line for line in status.splitlines() if line.startswith("VmHWM"))
        peaks["main" if each == pid else f"child {each}"] = round(int(kilobytes.split()[1]) / 1024)
    return peaks


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    ensure_database()
    import django

    django.setup()
    from django.utils import timezone

    from accounts.models import User
    from certificates import services
    from certificates.models import Certificate, CertificateStatus
    from certificates.pdf import render_certificate_pdf
    from courses.demo import load_demo_curriculum
    from courses.models import CoursePage
    from enrollments.models import Enrollment, EnrollmentStatus
    from tests.worker import celery_worker, wait_for

    load_demo_curriculum(log=lambda *_: None)
    course = CoursePage.objects.get(code="CTN-101")
    run = int(time.time())
    users = User.objects.bulk_create(
        [User(email=f"bench{run}-{i}@example.org", full_name=f"Bench Learner {i}")
         for i in range(N)]
    )  # fmt: skip

    with celery_worker("celery", env={"CELERY_CONCURRENCY": "1"}, concurrency=1) as (worker, _):
        time.sleep(3)  # worker up
        now = timezone.now()
        enrollments = Enrollment.objects.bulk_create(
            [Enrollment(user=u, course=course, status=EnrollmentStatus.COMPLETED,
                        completed_at=now) for u in users]
        )  # fmt: skip
        started = time.perf_counter()
        for enrollment in enrollments:
            services.create_pending_certificate(enrollment_id=enrollment.pk)
        ids = list(
            Certificate.objects.filter(enrollment__in=enrollments).values_list("pk", flat=True)
        )

        def all_issued():
            return (Certificate.objects.filter(pk__in=ids, status=CertificateStatus.ISSUED).count()
                    == len(ids))  # fmt: skip

        wait_for(all_issued, timeout=600, interval=0.2)
        elapsed = time.perf_counter() - started

        # One completion at a time on an idle worker: the latency a learner sees.
        single = []
        for user in User.objects.bulk_create(
            [User(email=f"bench{run}-single-{i}@example.org") for i in range(10)]
        ):
            enrollment = Enrollment.objects.create(user=user, course=course,
                                                   status=EnrollmentStatus.COMPLETED,
                                                   completed_at=timezone.now())  # fmt: skip
            t0 = time.perf_counter()
            certificate = services.create_pending_certificate(enrollment_id=enrollment.pk)
            issued = Certificate.objects.filter(pk=certificate.pk, status=CertificateStatus.ISSUED)
            wait_for(issued.exists, timeout=60, interval=0.01)
            single.append(time.perf_counter() - t0)
        worker_memory = worker_peak_rss_mb(worker.pid)
    # Baseline: the same work without database, broker or worker: render an issued certificate.
    sample = Certificate.objects.get(pk=ids[0])
    render_certificate_pdf(sample)
    started = time.perf_counter()
    for _ in range(20):
        render_certificate_pdf(sample)
    render_seconds = (time.perf_counter() - started) / 20

    latencies = [
        (c.issued_at - c.created_at).total_seconds() for c in Certificate.objects.filter(pk__in=ids)
    ]
    per_second = len(ids) / elapsed
    result = {
        "date": date.today().isoformat(),
        "certificates": len(ids),
        "certificates_per_second_one_worker": round(per_second, 2),
        "burst_latency_p50_s": round(percentile(latencies, 0.5), 3),
        "burst_latency_p95_s": round(percentile(latencies, 0.95), 3),
        "idle_latency_p50_s": round(percentile(single, 0.5), 3),
        "idle_latency_p95_s": round(percentile(single, 0.95), 3),
        "pdf_render_alone_ms": round(render_seconds * 1000, 1),
        "worker_peak_rss_mb": worker_memory,
        "pdf_bound_ceiling_per_second": round(1 / render_seconds, 2),
        "share_of_ceiling": round(per_second * render_seconds, 2),
    }
    out = ROOT / "bench" / "results" / f"{result['date']}-certificates.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print("\nCertificate issuing (one worker, concurrency 1, PostgreSQL + Redis)")
    for key, value in result.items():
        print(f"  {key:<38} {value}")
    print(f"  written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
