"""The load scenario: learners finishing courses against two web and two worker processes.

Run with ``make load``. Steps of 100, 200, 400 and 800 learners (``LOAD_STEPS``), each a run of its
own: it resets its PostgreSQL database (``lms_load``), migrates with the Procfile's ``release``
command, loads the demo curriculum, creates the step's learner accounts (one Argon2 hash, shared),
then starts the Procfile's processes with production settings: two ``web`` (gunicorn, each its own
port), two ``worker`` (Celery) and one ``beat``, on PostgreSQL and Redis. Locust
(bench/locustfile.py) runs headless: the step's learners arrive over 20 s and work for
``LOAD_SECONDS`` (60), half on each web process; then learners finish the course in hand (up to
``LOAD_STOP_TIMEOUT``, 90 s). The workers drain and the database is checked: every completed
enrollment has exactly one certificate, issued, with one PDF whose hash matches, one "issued"
event and one mail. Each step reports requests/s, p50/p95/p99, errors, where the machine's CPU
went (web, workers, PostgreSQL, locust, everything else), the page cache's hits and misses (the
``X-Page-Cache`` header of every page the learners fetch) and the certificates; the knee is the
most learners served with p95 under 1 s and no error. Writes ``bench/results/<date>-load.json``;
exits non-zero on a duplicate, missing or unissued certificate, or a web process or worker that
did nothing (failed requests past the knee are reported, not fatal). Every process it starts is
stopped at the end, on Ctrl-C too. Logs (of the last step): var/load/logs/.

Environment: LOAD_STEPS (100,200,400,800), LOAD_SECONDS (60), LOAD_SPAWN_RATE (the step's learners
over 20 s), LOAD_STOP_TIMEOUT (90 s to finish the course in hand), LOAD_COHORT (50), LOAD_WEB (2),
LOAD_WORKERS (2), WEB_CONCURRENCY and CELERY_CONCURRENCY (the Procfile's, 2 each), LOAD_PORT
(8811: the first web process; the next ones follow), LOAD_DATABASE_URL, LOAD_REDIS_URL,
LOAD_DRAIN_TIMEOUT (600 s). The locustfile reads LOAD_WAIT_MIN and LOAD_WAIT_MAX (1-5 s of think
time between steps), LOAD_COHORT_WAIT (90 s), LOAD_DOUBLE_SUBMIT_SHARE and LOAD_RETRY_SHARE (0.2),
LOAD_CERTIFICATE_POLLS (30) and LOAD_REQUEST_TIMEOUT (60 s).
"""

import csv
import hashlib
import json
import logging
import os
import re
import resource
import secrets
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
VAR = ROOT / "var" / "load"
LOGS = VAR / "logs"
DEFAULT_STEPS = [100, 200, 400, 800]
STEPS = [int(n) for n in os.environ["LOAD_STEPS"].split(",")] if os.environ.get(
    "LOAD_STEPS") else DEFAULT_STEPS  # fmt: skip
USERS = STEPS[0]
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
# Learners arrive over RAMP seconds at each step (or at LOAD_SPAWN_RATE a second).
RAMP = 20
SPAWN_RATE_SET = os.environ.get("LOAD_SPAWN_RATE")
STOP_TIMEOUT = int(os.environ.get("LOAD_STOP_TIMEOUT", "90"))
COHORT = int(os.environ.get("LOAD_COHORT", "50"))
WEB = int(os.environ.get("LOAD_WEB", "2"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "2"))
PORT = int(os.environ.get("LOAD_PORT", "8811"))
DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_load")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/5")
DRAIN_TIMEOUT = int(os.environ.get("LOAD_DRAIN_TIMEOUT", "600"))
COHORT_COURSE = "CTN-101"
PASSWORD = "load-learner-2026"
HOSTS = [f"http://127.0.0.1:{PORT + i}" for i in range(WEB)]

# The servers' environment, and this process's (it reads and writes the same database).
ENV = {
    **os.environ,
    "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SITE_URL": f"https://127.0.0.1:{PORT}",
    "LMS_VAR_DIR": str(VAR),
    "PYTHONUNBUFFERED": "1",
}
ENV.pop("LMS_BENCH_FLOOR", None)
os.environ.update(ENV)


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", flush=True)


def procfile() -> dict[str, str]:
    entries = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, command = line.split(":", 1)
            entries[name.strip()] = command.strip()
    return entries


# --- Preparing the database --------------------------------------------------------------------


def reset_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def reset_redis() -> None:
    """Only what this scenario's processes put there: a queue left by a stopped run, caches."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    patterns = ("celery", "unacked*", "_kombu.*", "celery-task-meta-*", "lms:*")
    for pattern in patterns:
        keys = list(client.scan_iter(match=pattern, count=1000))
        if keys:
            client.delete(*keys)


def run_release(commands: dict[str, str]) -> None:
    for command in (commands["release"], "python manage.py collectstatic --noinput -v0"):
        subprocess.run(["bash", "-c", f"exec {command}"], cwd=ROOT, env=ENV, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip


def seed() -> dict:
    """The curriculum, the learners (verified addresses, one shared hash) and the answers."""
    import django

    django.setup()
    logging.disable(logging.INFO)  # publishing the curriculum logs every page
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.urls import reverse

    from accounts.models import Profession, User
    from courses.demo import load_demo_curriculum
    from courses.models import CoursePage, ModulePage, QuizKind

    if not CoursePage.objects.exists():  # once: the steps share the curriculum
        load_demo_curriculum(log=lambda *_: None)
    # A step starts with none of the previous step's learners, nor their records (certificates
    # protect their enrollments: emptied together first).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE enrollments_enrollment CASCADE")
    User.objects.filter(email__endswith="@load.example").delete()
    hashed = make_password(PASSWORD)  # Argon2 in production: slow, so once for everyone
    professions = [choice for choice, _ in Profession.choices]
    users = User.objects.bulk_create(
        [User(email=f"learner{i:03d}@load.example", full_name=f"Load Learner {i:03d}",
              profession=professions[i % len(professions)], organization=f"Site {i % 7}",
              password=hashed) for i in range(USERS)]
    )  # fmt: skip
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    courses = []
    for course in CoursePage.objects.live().filter(enrollment_open=True).order_by("path"):
        modules = []
        for module in ModulePage.objects.live().child_of(course).order_by("path").specific():
            answers, wrong = {}, {}
            for block in module.questions if module.quiz_kind else []:
                options = block.value["options"]
                answers[block.id] = [i for i, option in enumerate(options) if option["correct"]]
                # A wrong option, or (every option right) too few of them.
                wrong[block.id] = [i for i, o in enumerate(options) if not o["correct"]][:1] or [0]
            modules.append({"id": module.pk, "url": module.url, "answers": answers,
                            "wrong": wrong,
                            "post_test": module.quiz_kind == QuizKind.POST_TEST})  # fmt: skip
        courses.append({
            "code": course.code, "id": course.pk, "url": course.url,
            "program_url": course.get_parent().url,
            "enroll_url": reverse("enrollments:enroll", args=[course.pk]),
            "requires": [c.code for c in course.prerequisites.all()], "modules": modules,
        })  # fmt: skip
    return {"hosts": HOSTS, "password": PASSWORD, "cohort_course": COHORT_COURSE,
            "accounts": [u.email for u in users], "courses": courses}  # fmt: skip


# --- Processes -----------------------------------------------------------------------------------


class Processes:
    """The processes this run started; ``stop`` leaves none of them (or their children) behind."""

    def __init__(self):
        self.started: list[tuple[str, subprocess.Popen, object]] = []

    def start(self, name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        output = open(LOGS / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(command, cwd=ROOT, env={**ENV, **(env or {})}, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        self.started.append((name, process, output))
        return process

    def start_procfile(self, name: str, command: str, env: dict | None = None):
        return self.start(name, ["bash", "-c", f"exec {command}"], env)

    def died(self) -> list[str]:
        return [name for name, process, _ in self.started if process.poll() is not None
                and name != "locust"]  # fmt: skip

    def stop(self) -> None:
        # The main process only first: gunicorn's master and Celery shut down their own children
        # (a warm shutdown lets a certificate being rendered finish).
        for _, process, _ in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 40
        for _, process, _ in self.started:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for name, process, output in self.started:
            try:
                os.killpg(process.pid, signal.SIGKILL)  # whatever is left of its group
                log(f"{name}: killed what was left of its process group")
            except ProcessLookupError:
                pass
            process.wait()
            output.close()


def wait_until(predicate, timeout: float, what: str, processes: Processes) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if processes.died():
            raise RuntimeError(f"{', '.join(processes.died())} exited; see {LOGS}")
        time.sleep(0.5)
    raise RuntimeError(f"timed out waiting for {what}; see {LOGS}")


def healthy(host: str) -> bool:
    request = urllib.request.Request(f"{host}/healthz", headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def log_text(name: str) -> str:
    return (LOGS / f"{name}.log").read_text(errors="replace")


def start_servers(processes: Processes, commands: dict[str, str]) -> None:
    for i in range(WEB):
        # The Procfile's command, its access log with the time each request took (microseconds).
        command = f"{commands['web']} --access-logformat '%(h)s \"%(r)s\" %(s)s %(D)s'"
        processes.start_procfile(f"web{i + 1}", command, {"PORT": str(PORT + i)})
    for i in range(WORKERS):
        # Distinct node names: two workers on one host must not both be celery@host.
        processes.start_procfile(f"worker{i + 1}", f"{commands['worker']} -n load{i + 1}@%h")
    processes.start_procfile("beat", commands["beat"])
    for i, host in enumerate(HOSTS):
        wait_until(lambda h=host: healthy(h), 90, f"web{i + 1} at {host}", processes)
    for i in range(WORKERS):
        wait_until(lambda n=f"worker{i + 1}": " ready." in log_text(n), 90, f"worker{i + 1}",
                   processes)  # fmt: skip
    wait_until(lambda: "beat: Starting" in log_text("beat"), 60, "beat", processes)


# --- Measuring -----------------------------------------------------------------------------------


def progress() -> dict:
    from certificates.models import Certificate, CertificateStatus
    from enrollments.models import Enrollment, EnrollmentStatus

    return {
        "completed": Enrollment.objects.filter(status=EnrollmentStatus.COMPLETED).count(),
        "issued": Certificate.objects.filter(status=CertificateStatus.ISSUED).count(),
        "pending": Certificate.objects.filter(status=CertificateStatus.PENDING).count(),
    }


def completed_without_certificate():
    from django.db.models import Exists, OuterRef

    from certificates.models import Certificate
    from enrollments.models import Enrollment, EnrollmentStatus

    certificate = Certificate.objects.filter(enrollment=OuterRef("pk"), cycle=OuterRef("cycle"))
    return Enrollment.objects.filter(status=EnrollmentStatus.COMPLETED).exclude(Exists(certificate))


def drained() -> bool:
    from certificates.models import Certificate, CertificateStatus

    return (
        not Certificate.objects.filter(status=CertificateStatus.PENDING).exists()
        and not completed_without_certificate().exists()
    )


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def check_certificates() -> dict:
    """The invariants after the drain, straight from the database and the private storage."""
    from django.db.models import Count, Max, Q

    from certificates.models import Certificate, CertificateStatus
    from enrollments.models import Enrollment, EnrollmentStatus

    completed = Enrollment.objects.filter(status=EnrollmentStatus.COMPLETED)
    certificates = Certificate.objects.select_related("enrollment")
    duplicates = (
        Certificate.objects.values("enrollment_id", "cycle").annotate(n=Count("id")).filter(n__gt=1)
    )
    counted = certificates.annotate(
        n_files=Count("files", distinct=True),
        n_issued_events=Count("events", filter=Q(events__action="issued"), distinct=True),
    )
    pdf_problems, latencies = [], []
    for certificate in counted:
        if certificate.n_files != 1:
            pdf_problems.append(f"{certificate.code}: {certificate.n_files} PDFs")
            continue
        stored = certificate.files.get()
        with stored.file.open("rb") as handle:
            content = handle.read()
        if hashlib.sha256(content).hexdigest() != stored.sha256 or not content.startswith(b"%PDF"):
            pdf_problems.append(f"{certificate.code}: the PDF does not match its hash")
        if certificate.issued_at and certificate.enrollment.completed_at:
            delta = certificate.issued_at - certificate.enrollment.completed_at
            latencies.append(delta.total_seconds())
    last = completed.aggregate(at=Max("completed_at"))["at"]
    last_issued = Certificate.objects.aggregate(at=Max("issued_at"))["at"]
    not_issued = certificates.exclude(status=CertificateStatus.ISSUED)
    return {
        "completed_enrollments": completed.count(),
        "certificates": certificates.count(),
        "issued": certificates.filter(status=CertificateStatus.ISSUED).count(),
        "not_issued": [f"{c.code}: {c.status} {c.last_error[:200]}" for c in not_issued],
        "completed_without_certificate": completed_without_certificate().count(),
        "duplicate_certificates": duplicates.count(),
        "pdf_problems": pdf_problems,
        "issued_events_not_one": counted.exclude(n_issued_events=1).count(),
        "not_emailed": certificates.filter(emailed_at__isnull=True).count(),
        "completion_to_issued_p50_s": round(percentile(latencies, 0.5), 2) if latencies else None,
        "completion_to_issued_p95_s": round(percentile(latencies, 0.95), 2) if latencies else None,
        "completion_to_issued_max_s": round(max(latencies), 2) if latencies else None,
        "last_completion_to_last_issued_s": (
            round((last_issued - last).total_seconds(), 2) if last and last_issued else None
        ),
    }


def read_journeys() -> dict:
    path = VAR / "journeys.json"
    return json.loads(path.read_text()) if path.exists() else {}


def cohort_completions(journeys_released: int | None) -> dict:
    """How close together the server completed the cohort's courses (first to last released)."""
    from enrollments.models import Enrollment

    times = sorted(
        Enrollment.objects.filter(
            user__email__in=[f"learner{i:03d}@load.example" for i in range(COHORT)],
            course__code=COHORT_COURSE, completed_at__isnull=False,
        ).values_list("completed_at", flat=True)
    )  # fmt: skip
    together = times[: journeys_released or 0]
    spread = (together[-1] - together[0]).total_seconds() if len(together) > 1 else None
    return {"completion_spread_s": round(spread, 2) if spread is not None else None}


def read_locust_stats(prefix: Path) -> tuple[list[dict], dict, list[dict]]:
    def number(value):
        return None if value in ("", "N/A") else round(float(value))

    rows = []
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            rows.append({"type": row["Type"], "name": row["Name"],
                         "requests": int(row["Request Count"]),
                         "failures": int(row["Failure Count"]),
                         "p50_ms": number(row["50%"]), "p95_ms": number(row["95%"]),
                         "p99_ms": number(row["99%"]), "max_ms": number(row["Max Response Time"]),
                         "rps": round(float(row["Requests/s"]), 2)})  # fmt: skip
    overall = next(row for row in rows if row["name"] == "Aggregated")
    rows = [row for row in rows if row["name"] != "Aggregated"]
    with open(f"{prefix}_failures.csv", newline="") as handle:
        failures = [
            {"name": f"{r['Method']} {r['Name']}".strip(), "error": r["Error"],
             "occurrences": int(r["Occurrences"])}
            for r in csv.DictReader(handle)
        ]  # fmt: skip
    with open(f"{prefix}_exceptions.csv", newline="") as handle:
        failures += [
            {"name": "exception in the locustfile", "error": r["Message"],
             "occurrences": int(r["Count"])}
            for r in csv.DictReader(handle)
        ]  # fmt: skip
    return rows, overall, failures


ACCESS_LINE = re.compile(r'"(GET|POST|HEAD) (\S+) HTTP/[\d.]+" (\d{3}) (\d+)$', re.M)


def server_side(names: list[str]) -> dict:
    """What each process did: requests served (and how long they took inside gunicorn, without
    the wait for a free worker), certificates issued. Both web and both workers must have worked.
    """
    result, times = {}, []
    for name in names:
        text = log_text(name)
        if name.startswith("web"):
            served = [m for m in ACCESS_LINE.findall(text) if m[1] != "/healthz"]
            times += [int(m[3]) / 1000 for m in served]
            result[name] = {
                "requests": len(served),
                "5xx": sum(1 for m in served if m[2].startswith("5")),
                "worker_timeouts": text.count("WORKER TIMEOUT"),
                "tracebacks": text.count("Traceback"),
            }
        elif name.startswith("worker"):
            result[name] = {
                "certificates_issued": len(
                    re.findall(r"Task certificates\.issue_certificate\[[^\]]+\] succeeded", text)
                ),
                "tracebacks": text.count("Traceback"),
            }
        elif name == "beat":
            result[name] = {"sweeps_sent": text.count("Sending due task certificates-sweep")}
    if times:
        result["in_gunicorn_ms"] = {
            f"p{round(q * 100)}": round(percentile(times, q)) for q in (0.5, 0.95, 0.99)
        }
    return result


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid: int) -> float:
    """CPU time of a process group: its live members, and the children its leader reaped."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            ticks += int(fields[11]) + int(fields[12])
            if int(entry.name) == pgid:
                ticks += int(fields[13]) + int(fields[14])
    return ticks / CLOCK_TICKS


class PostgresCPU:
    """CPU of the PostgreSQL backends serving this database: sampled every second, since
    backends come and go (a new one counts from zero)."""

    def __init__(self, database: str):
        self.marker = f" {database} ".encode()
        self.first: dict[str, int] = {}
        self.last: dict[str, int] = {}
        self.started = False

    def sample(self) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                title = (entry / "cmdline").read_bytes()
                if not title.startswith(b"postgres: ") or self.marker not in title:
                    continue
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks = int(fields[11]) + int(fields[12])
            self.first.setdefault(entry.name, ticks if not self.started else 0)
            self.last[entry.name] = ticks
        self.started = True

    def seconds(self) -> float:
        return sum(self.last[pid] - self.first[pid] for pid in self.last) / CLOCK_TICKS


POSTGRES = PostgresCPU(DATABASE_URL.rsplit("/", 1)[1])


def machine_busy_seconds() -> float:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / CLOCK_TICKS


def cpu_sample(processes: "Processes") -> dict:
    POSTGRES.sample()
    sample = {"machine": machine_busy_seconds(), "at": time.monotonic(), "pg": POSTGRES.seconds()}
    for name, process, _ in processes.started:
        if name != "locust":
            sample[name] = group_cpu_seconds(process.pid)
    return sample


def cpu_report(before: dict, after: dict, locust_seconds: float) -> dict:
    """Where the machine's CPU went between the start of the load and the end of the drain."""

    def role(prefix):
        return round(sum(after[k] - before[k] for k in after if k.startswith(prefix)), 1)

    wall = after["at"] - before["at"]
    busy = after["machine"] - before["machine"]
    ours = {"web": role("web"), "workers": role("worker"), "beat": role("beat"),
            "locust": round(locust_seconds, 1),
            "postgres": round(after["pg"] - before["pg"], 1)}  # fmt: skip
    return {
        "wall_s": round(wall, 1),
        "machine_busy_s": round(busy, 1),
        "machine_busy_share": round(busy / (wall * (os.cpu_count() or 1)), 2),
        **{f"{name}_s": value for name, value in ours.items()},
        # Redis, this script, and whatever else runs on the machine (other people's tests).
        "everything_else_s": round(busy - sum(ours.values()), 1),
    }


def print_table(result: dict) -> None:
    run = result["run"]
    print(f"\nLoad: {run['users']} learners for {run['seconds']} s (then the courses in hand: "
          f"{result['locust_run_s']} s in all), {run['web_processes']} web "
          f"processes x {run['web_concurrency']} gunicorn workers, {run['workers']} Celery "
          f"workers x {run['worker_concurrency']}, 1 beat; production settings on PostgreSQL + "
          "Redis")  # fmt: skip
    print(f"  {'request':<36}{'count':>7}{'fail':>6}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
          f"{'max ms':>8}")  # fmt: skip
    for row in [*result["requests"], {**result["overall"], "type": "", "name": "all"}]:
        name = f"{row['type']} {row['name']}".strip()
        print(f"  {name[:36]:<36}{row['requests']:>7}{row['failures']:>6}"
              f"{row['p50_ms']!s:>8}{row['p95_ms']!s:>8}{row['p99_ms']!s:>8}"
              f"{row['max_ms']!s:>8}")  # fmt: skip
    for failure in result["failures"]:
        print(f"  FAILURE x{failure['occurrences']} {failure['name']}: {failure['error']}")
    print("  certificates")
    for key, value in result["certificates"].items():
        print(f"    {key:<36} {value}")
    print(f"    {'drain after the run (s)':<36} {result['drain_s']}")
    print("  journeys (client side)")
    for key, value in result["journeys"].items():
        print(f"    {key:<36} {value}")
    print("  processes")
    for name, value in result["processes"].items():
        print(f"    {name:<14} {value}")
    print(f"  CPU seconds, load start to drained: {result['cpu']}")


def verdict(result: dict) -> list[str]:
    problems = []
    certificates = result["certificates"]
    if result["overall"]["failures"]:
        problems.append(f"{result['overall']['failures']} failed requests")
    if result["locust_exit_code"]:
        problems.append(f"locust exited with {result['locust_exit_code']}")
    exceptions = sum(f["occurrences"] for f in result["failures"] if "exception" in f["name"])
    if exceptions:
        problems.append(f"{exceptions} exceptions in the locustfile")
    if not result["overall"]["requests"]:
        problems.append("no requests were made")
    if result["drain_s"] is None:
        problems.append(f"the workers did not drain within {DRAIN_TIMEOUT} s")
    for key in ("completed_without_certificate", "duplicate_certificates",
                "issued_events_not_one", "not_emailed"):  # fmt: skip
        if certificates[key]:
            problems.append(f"{key}: {certificates[key]}")
    for key in ("not_issued", "pdf_problems"):
        if certificates[key]:
            problems.append(f"{key}: {certificates[key][:5]}")
    if not certificates["issued"]:
        problems.append("no certificate was issued")
    for name, value in result["processes"].items():
        if name.startswith("web") and (not value["requests"] or value["5xx"]):
            problems.append(f"{name}: {value}")
        if name.startswith("worker") and not value["certificates_issued"]:
            problems.append(f"{name} issued no certificate")
    return problems


# --- The run -------------------------------------------------------------------------------------


def run_scenario(users: int, *, first: bool) -> tuple[dict, list[str]]:
    """One step: ``users`` fresh learners for SECONDS, the drain, the checks (the first step
    creates the database and the curriculum the others reuse)."""
    global USERS, SPAWN_RATE
    USERS = users
    SPAWN_RATE = float(SPAWN_RATE_SET) if SPAWN_RATE_SET else max(5.0, users / RAMP)
    commands = procfile()
    for directory in ("private", "media", "mail", "logs"):
        shutil.rmtree(VAR / directory, ignore_errors=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    if first:
        log(f"resetting {DATABASE_URL.rsplit('/', 1)[1]}, migrating (Procfile release)")
        reset_database()
        run_release(commands)
    reset_redis()
    data = seed()
    (VAR / "data.json").write_text(json.dumps(data))
    log(f"{len(data['accounts'])} learners, {len(data['courses'])} courses; starting {WEB} web, "
        f"{WORKERS} worker and 1 beat processes")  # fmt: skip
    from django.db import connection

    processes = Processes()
    try:
        start_servers(processes, commands)
        log(f"running locust: {USERS} users for {SECONDS} s at {', '.join(HOSTS)}")
        prefix = VAR / "locust"
        locust = processes.start(
            "locust",
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
             "--headless", "--only-summary", "-u", str(USERS), "-r", str(SPAWN_RATE),
             "-t", f"{SECONDS}s", "--stop-timeout", str(STOP_TIMEOUT), "--csv", str(prefix),
             "--host", HOSTS[0]],
            {"LOAD_DATA": str(VAR / "data.json"), "LOAD_COHORT": str(COHORT),
             "LOAD_JOURNEYS_OUT": str(VAR / "journeys.json")},
        )  # fmt: skip
        cpu_before = cpu_sample(processes)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = next_report = time.monotonic()
        while locust.poll() is None:
            time.sleep(1)
            POSTGRES.sample()
            if time.monotonic() >= next_report + 30:
                next_report += 30
                log(f"{round(time.monotonic() - started)} s: {progress()}")
                connection.close()
            if processes.died():
                raise RuntimeError(f"{', '.join(processes.died())} exited; see {LOGS}")
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        locust_seconds = (children.ru_utime + children.ru_stime
                          - children_before.ru_utime - children_before.ru_stime)  # fmt: skip
        run_s = round(time.monotonic() - started, 1)
        log(f"locust finished (exit {locust.returncode}); waiting for the workers to drain")
        drain_started = time.monotonic()
        drain_s = None
        while time.monotonic() - drain_started < DRAIN_TIMEOUT:
            if drained():
                drain_s = round(time.monotonic() - drain_started, 1)
                break
            time.sleep(1)
            POSTGRES.sample()
        log(f"drained in {drain_s} s: {progress()}")
        cpu = cpu_report(cpu_before, cpu_sample(processes), locust_seconds)
        certificates = check_certificates()
        cohort = cohort_completions(journeys_released=read_journeys().get("cohort_released_with"))
    finally:
        processes.stop()
        from django.db import connections

        connections.close_all()  # the next step may drop the database
    rows, overall, failures = read_locust_stats(prefix)
    journeys = read_journeys()
    latencies = journeys.pop("certificate_latency_s", [])
    for name, fraction in (("p50", 0.5), ("p95", 0.95)):
        value = round(percentile(latencies, fraction), 1) if latencies else None
        journeys[f"certificate_visible_{name}_s"] = value
    released_at = journeys.pop("cohort_released_at", 0) or 0
    sent = sorted(at for at in journeys.pop("cohort_sent_at", []) if at < released_at + 1)
    journeys["cohort_sent_together"] = len(sent)
    journeys["cohort_send_spread_ms"] = round((sent[-1] - sent[0]) * 1000) if sent else None
    journeys["cohort_server_completion_spread_s"] = cohort["completion_spread_s"]
    result = {
        "date": date.today().isoformat(),
        "run": {
            "users": USERS,
            "seconds": SECONDS,
            "spawn_rate": SPAWN_RATE,
            "stop_timeout": STOP_TIMEOUT,
            "cohort": COHORT,
            "think_time_s": [
                float(os.environ.get("LOAD_WAIT_MIN", "1")),
                float(os.environ.get("LOAD_WAIT_MAX", "5")),
            ],
            "web_processes": WEB,
            "web_concurrency": int(os.environ.get("WEB_CONCURRENCY", 2)),
            "workers": WORKERS,
            "worker_concurrency": int(os.environ.get("CELERY_CONCURRENCY", 2)),
            "cpus": os.cpu_count(),
        },  # fmt: skip
        "overall": overall,
        "requests": rows,
        "failures": failures,
        "certificates": certificates,
        "drain_s": drain_s,
        "locust_run_s": run_s,
        "cpu": cpu,
        "locust_exit_code": locust.returncode,
        "journeys": journeys,
        "processes": server_side([name for name, _, _ in processes.started if name != "locust"]),
    }
    print_table(result)
    problems = verdict(result)
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    return result, problems


def step_summary(result: dict, problems: list[str]) -> dict:
    overall, journeys, cpu = result["overall"], result["journeys"], result["cpu"]
    looked = journeys.get("page_gets", 0)
    return {
        "learners": result["run"]["users"],
        "requests": overall["requests"],
        "rps": overall["rps"],
        "p50_ms": overall["p50_ms"],
        "p95_ms": overall["p95_ms"],
        "p99_ms": overall["p99_ms"],
        "errors": overall["failures"],
        "problems": problems,
        "cpu_s": {k: v for k, v in cpu.items() if k.endswith("_s") and k != "wall_s"},
        "cpu_wall_s": cpu["wall_s"],
        "page_cache": {
            "hits": journeys.get("page_cache_hits", 0),
            "stored_misses": journeys.get("page_cache_misses", 0),
            "page_gets": looked,
            "hit_rate": round(journeys.get("page_cache_hits", 0) / looked, 3) if looked else None,
        },
        "certificates_duplicated": result["certificates"]["duplicate_certificates"],
        "completed_without_certificate": result["certificates"]["completed_without_certificate"],
        "courses_completed": result["certificates"]["completed_enrollments"],
    }


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    steps, results, problems = [], [], []
    for users in STEPS:
        log(f"=== step: {users} learners for {SECONDS} s ===")
        result, step_problems = run_scenario(users, first=not steps)
        results.append(result)
        steps.append(step_summary(result, step_problems))
        # Failed requests mark the step past the knee; anything else is a fault.
        problems += [f"{users} learners: {p}" for p in step_problems
                     if not p.endswith("failed requests")
                     and not p.startswith("locust exited")]  # fmt: skip
    served = [s["learners"] for s in steps if s["p95_ms"] is not None and s["p95_ms"] < 1000
              and not s["errors"] and not s["problems"]]  # fmt: skip
    summary = {
        "date": date.today().isoformat(),
        "seconds_per_step": SECONDS,
        "stop_timeout_s": STOP_TIMEOUT,
        "knee_learners": max(served) if served else 0,
        "steps": steps,
        "runs": results,
    }
    default = (STEPS, SECONDS, WEB, WORKERS) == (DEFAULT_STEPS, 60, 2, 2)
    name = (
        f"{summary['date']}-load.json"
        if default
        else (f"{summary['date']}-load-{'-'.join(map(str, STEPS))}u-{SECONDS}s-{WEB}web.json")
    )
    out = (ROOT / "bench" / "results" if default else VAR) / name
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"\nCapacity steps ({SECONDS} s each, then the courses in hand up to {STOP_TIMEOUT} s)")
    print(
        f"  {'learners':>8}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'errors':>7}"
        f"{'hit rate':>9}{'dup certs':>10}  CPU s (web/workers/postgres/locust/else)"
    )
    for step in steps:
        cpu = step["cpu_s"]
        print(f"  {step['learners']:>8}{step['rps']:>8}{step['p50_ms']!s:>7}{step['p95_ms']!s:>7}"
              f"{step['p99_ms']!s:>7}{step['errors']:>7}{step['page_cache']['hit_rate']!s:>9}"
              f"{step['certificates_duplicated']:>10}  {cpu['web_s']}/{cpu['workers_s']}/"
              f"{cpu['postgres_s']}/{cpu['locust_s']}/{cpu['everything_else_s']}")  # fmt: skip
    print(f"  knee (most learners with p95 < 1 s and no errors): {summary['knee_learners']}")
    print(f"  written to {out.relative_to(ROOT)}; logs of the last step in "
          f"{LOGS.relative_to(ROOT)}/")  # fmt: skip
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        log("interrupted: every process it started has been stopped")
        sys.exit(130)
