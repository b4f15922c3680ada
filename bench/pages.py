"""Page throughput against a floor, served by gunicorn (2 workers, DEBUG off) on PostgreSQL/Redis.

The floor is a bare Django view (one query, a small template) served by the same gunicorn; each
page's requests/s is reported as a ratio to it at the same concurrency. Budgets: public pages at
least 0.50 of the floor (the anonymous page cache in place), signed-in pages at least 0.25.
Needs ``wrk`` (Debian: apt-get install wrk). Reuses the data bench/reports.py seeds.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
PORT = int(os.environ.get("BENCH_PORT", "8799"))
BASE = f"http://127.0.0.1:{PORT}"
DURATION = os.environ.get("BENCH_DURATION", "6")
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "8,32").split(",")]
BUDGET = {"public": 0.50, "signed-in": 0.25}


def server_env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DJANGO_DEBUG": "false",
        "LMS_BENCH_FLOOR": "true",
        "LMS_ANONYMOUS_PAGE_CACHE_SECONDS": "300",
        "LMS_SIGNED_IN_PAGE_CACHE_SECONDS": "300",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        # The same key as this process, which signs the benchmark learner's session.
        "DJANGO_SECRET_KEY": settings_secret_key(),
        # One client address makes every request here: lift the per-IP verification limit.
        "LMS_VERIFY_RATE_LIMIT": "1000000",
    }


def settings_secret_key() -> str:
    from django.conf import settings

    return settings.SECRET_KEY


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def prepare():
    from django.contrib.auth import get_user_model

    from certificates.models import Certificate, CertificateStatus
    from courses.models import CoursePage, ModulePage
    from enrollments.models import Enrollment

    User = get_user_model()
    learner, _ = User.objects.get_or_create(
        email="bench-dashboard@example.org", defaults={"full_name": "Dashboard Learner"}
    )
    courses = list(CoursePage.objects.filter(code__startswith="BEN-").order_by("code")[:20])
    for course in courses:
        Enrollment.objects.get_or_create(user=learner, course=course)
    module = ModulePage.objects.live().child_of(courses[0]).first()
    course = CoursePage.objects.get(code="CTN-101")
    program = course.get_parent()
    certificate = Certificate.objects.filter(status=CertificateStatus.ISSUED).first()
    public = {
        "home": "/",
        "catalog": "/catalog/",
        "program": program.url,
        "course": course.url,
        "verification": certificate.get_absolute_url(),
    }
    signed_in = {"module": module.url, "dashboard (20 enrollments)": "/learning/"}
    return public, signed_in, session_cookie(learner)


def wrk(url: str, connections: int, cookie: str | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{DURATION}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)

    def percentile(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {"rps": round(rps, 1), "p50_ms": round(percentile("50"), 2),
            "p99_ms": round(percentile("99"), 2),
            "non_2xx": int(errors.group(1)) if errors else 0}  # fmt: skip


def peak_rss_mb(pids) -> dict:
    result = {}
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", text)
        result[pid] = round(int(match.group(1)) / 1024, 1)
    return result


def main():
    if not shutil.which("wrk"):
        sys.exit("bench/pages.py needs wrk: apt-get install wrk")
    from bench.certificates import ensure_database

    ensure_database()
    import django

    django.setup()
    from bench.reports import seed

    seed()
    public, signed_in, cookie = prepare()
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "lms.wsgi", "--workers", "2", "--bind",
         f"127.0.0.1:{PORT}", "--log-level", "warning"],
        cwd=ROOT, env=server_env(), start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{BASE}/bench/floor/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        for path in list(public.values()) + list(signed_in.values()):
            request = urllib.request.Request(f"{BASE}{path}")
            if path in signed_in.values():
                request.add_header("Cookie", cookie)
            with urllib.request.urlopen(request, timeout=10) as response:
                final = response.geturl()
                assert response.status == 200 and "/accounts/login/" not in final, (path, final)
                csrf = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", ""))
                if csrf:
                    browser_cookie = f"{cookie}; csrftoken={csrf.group(1)}"
        # A browser sends the CSRF cookie its first signed-in page set; the per-session page cache
        # keys on it. Without it every view is rendered: that is measured too, as "rendered".
        pages = [("public", name, path, None) for name, path in public.items()]
        for name, path in signed_in.items():
            pages.append(("signed-in", name, path, browser_cookie))
            pages.append(("rendered", f"{name}, rendered", path, cookie))
        rows = []
        for concurrency in CONCURRENCY:
            floor = wrk(f"{BASE}/bench/floor/", concurrency)
            rows.append({"page": "floor", "kind": "floor", "c": concurrency, **floor,
                         "ratio": 1.0})  # fmt: skip
            for kind, name, path, page_cookie in pages:
                result = wrk(f"{BASE}{path}", concurrency, page_cookie)
                ratio = round(result["rps"] / floor["rps"], 2)
                row = {"page": name, "kind": kind, "c": concurrency, **result, "ratio": ratio}
                if kind in BUDGET:  # a rendered view has no budget of its own: it is the miss
                    row.update(budget=BUDGET[kind], within_budget=ratio >= BUDGET[kind])
                rows.append(row)
        children = subprocess.run(["pgrep", "-P", str(gunicorn.pid)], capture_output=True,
                                  text=True).stdout.split()  # fmt: skip
        memory = peak_rss_mb([int(pid) for pid in children])
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
    result = {"date": date.today().isoformat(), "duration_s": int(DURATION), "rows": rows,
              "web_worker_peak_rss_mb": memory}  # fmt: skip
    out = ROOT / "bench" / "results" / f"{result['date']}-pages.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print("\nPage throughput (gunicorn, 2 workers, DEBUG off, PostgreSQL + Redis)")
    print(f"  {'page':<28}{'c':>4}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>7}  budget")
    for row in rows:
        budget = (
            f"{'ok' if row['within_budget'] else 'BELOW'} (>= {row['budget']})"
            if "budget" in row
            else ""
        )
        print(f"  {row['page']:<28}{row['c']:>4}{row['rps']:>10}{row['p50_ms']:>9}"
              f"{row['p99_ms']:>9}{row['ratio']:>7}  {budget}")  # fmt: skip
    print(f"  web worker peak RSS (MB): {memory}")
    print(f"  written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
