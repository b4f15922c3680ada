"""Page throughput against two floors, served by gunicorn (2 workers, DEBUG off), PostgreSQL, Redis.

The floors: a bare Django project (``bench/floor/``: one query, a small template, no middleware)
and the platform's own floor view (the same, behind all of the platform's middleware), each served
by the same gunicorn settings. Every row's requests/s is a ratio to the bare floor measured in the
same round; the rounds (``BENCH_ROUNDS``, 3) interleave floors and pages, and the medians are
reported. Rows:
- public: anonymous pages from the page cache (budget 0.50);
- first view: pages rendered for the request, with no page cache in play: a signed-in learner's
  course page, module page and My learning, and the anonymous course page (budget 0.30);
- repeat view: the same session's same page again (what a per-session cache would serve).
Needs ``wrk``: bench/ensure-tools installs it when missing. Reuses the data bench/reports.py seeds.
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
BARE = f"http://127.0.0.1:{PORT + 1}"
DURATION = os.environ.get("BENCH_DURATION", "5")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "8").split(",")]
BUDGET = {"public": 0.50, "first view": 0.30}
# A well-formed CSRF cookie: an anonymous request carrying it is never served from the page cache.
ANONYMOUS_RENDERED = "csrftoken=" + "b" * 32
GUNICORN = ["--workers", "2", "--log-level", "warning"]


def server_env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DJANGO_DEBUG": "false",
        "LMS_BENCH_FLOOR": "true",
        "LMS_ANONYMOUS_PAGE_CACHE_SECONDS": "300",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        # The same key as this process, which signs the benchmark learner's session.
        "DJANGO_SECRET_KEY": settings_secret_key(),
        # One client address makes every request here: lift the per-IP verification limit.
        "LMS_VERIFY_RATE_LIMIT": "1000000",
    }


def floor_env() -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.floor.settings"}


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return (
        ordered[middle]
        if len(ordered) % 2
        else round((ordered[middle - 1] + ordered[middle]) / 2, 2)
    )


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
    Enrollment.objects.get_or_create(user=learner, course=course)
    signed_in = {
        "course page": course.url,
        "module page": module.url,
        "My learning (20 enrollments)": "/learning/",
    }
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
        subprocess.run(["sh", str(ROOT / "bench" / "ensure-tools")], check=True)
    from bench.certificates import ensure_database

    ensure_database()
    import django

    django.setup()
    from bench.reports import seed
    from courses.demo import load_demo_curriculum

    load_demo_curriculum(log=lambda *_: None)  # idempotent; pages.py may run on its own
    seed()
    public, signed_in, cookie = prepare()
    servers = [
        subprocess.Popen([sys.executable, "-m", "gunicorn", "lms.wsgi", *GUNICORN, "--bind",
                          f"127.0.0.1:{PORT}"], cwd=ROOT, env=server_env(),
                         start_new_session=True),
        subprocess.Popen([sys.executable, "-m", "gunicorn", "bench.floor.wsgi", *GUNICORN,
                          "--bind", f"127.0.0.1:{PORT + 1}"], cwd=ROOT, env=floor_env(),
                         start_new_session=True),
    ]  # fmt: skip
    try:
        for url in (f"{BASE}/bench/floor/", f"{BARE}/bench/floor/"):
            for _ in range(60):
                try:
                    urllib.request.urlopen(url, timeout=2)
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
        # First views: a session's first request for a page (no CSRF cookie yet, so no per-session
        # cache either), and the anonymous course page past the page cache. Repeat views: the
        # same session again, with the CSRF cookie its first page set.
        pages = [("floor", "floor (in project)", f"{BASE}/bench/floor/", None)]
        pages += [("public", name, f"{BASE}{path}", None) for name, path in public.items()]
        pages.append(("first view", "course page, anonymous", f"{BASE}{public['course']}",
                      ANONYMOUS_RENDERED))  # fmt: skip
        pages += [("first view", name, f"{BASE}{path}", cookie) for name, path in signed_in.items()]
        pages += [("repeat view", f"{name}, repeat", f"{BASE}{path}", browser_cookie)
                  for name, path in signed_in.items()]  # fmt: skip
        measured = {}  # (c, name) -> [(result, ratio), ...] over the rounds
        for round_number in range(ROUNDS):
            for concurrency in CONCURRENCY:
                bare = wrk(f"{BARE}/bench/floor/", concurrency)
                measured.setdefault((concurrency, "bare floor", "floor"), []).append((bare, 1.0))
                for kind, name, url, page_cookie in pages:
                    result = wrk(url, concurrency, page_cookie)
                    ratio = result["rps"] / bare["rps"]
                    measured.setdefault((concurrency, name, kind), []).append((result, ratio))
                print(f"  round {round_number + 1}/{ROUNDS}, c={concurrency} done", flush=True)
        rows = []
        for (concurrency, name, kind), runs in measured.items():
            row = {"page": name, "kind": kind, "c": concurrency,
                   **{key: median([r[key] for r, _ in runs]) for key in runs[0][0]},
                   "ratio": round(median([ratio for _, ratio in runs]), 2),
                   "ratios": [round(ratio, 2) for _, ratio in runs]}  # fmt: skip
            if kind in BUDGET:
                row.update(budget=BUDGET[kind], within_budget=row["ratio"] >= BUDGET[kind])
            rows.append(row)
        memory = {}
        for server in servers[:1]:
            children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                      text=True).stdout.split()  # fmt: skip
            memory = peak_rss_mb([int(pid) for pid in children])
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    result = {"date": date.today().isoformat(), "duration_s": int(DURATION), "rounds": ROUNDS,
              "ratio_to": "bare floor (bench/floor/), same round; medians", "rows": rows,
              "web_worker_peak_rss_mb": memory}  # fmt: skip
    out = ROOT / "bench" / "results" / f"{result['date']}-pages.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print("\nPage throughput (gunicorn, 2 workers, DEBUG off, PostgreSQL + Redis)")
    print(f"  {'page':<32}{'c':>4}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>7}  budget")
    for row in rows:
        budget = (
            f"{'ok' if row['within_budget'] else 'BELOW'} (>= {row['budget']})"
            if "budget" in row
            else ""
        )
        print(f"  {row['page']:<32}{row['c']:>4}{row['rps']:>10}{row['p50_ms']:>9}"
              f"{row['p99_ms']:>9}{row['ratio']:>7}  {budget}")  # fmt: skip
    print(f"  web worker peak RSS (MB): {memory}")
    print(f"  written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
