"""Real processes for the fault suite: gunicorn serving the site, Celery beat, and a poller that
requests pages all through a fault and keeps every status it got."""

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from tests.faults.infra import free_port, wait_until
from tests.helpers import ROOT


def _stop(process: subprocess.Popen, timeout: float = 20, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def request(port: int, method: str, path: str, *, headers=None, body=None, timeout=60.0) -> int:
    """The HTTP status of one request (redirects are not followed); 0 when nothing answered."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        connection.close()


@dataclass
class Session:
    """A signed-in browser, as far as the server can tell: its cookies and CSRF token."""

    session_id: str
    csrf_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {
            "Cookie": f"sessionid={self.session_id}; csrftoken={self.csrf_token}",
            "X-CSRFToken": self.csrf_token,
        }


@dataclass
class WebServer:
    port: int
    process: subprocess.Popen
    log_path: Path

    def get(self, path: str, session: Session | None = None) -> int:
        return request(self.port, "GET", path, headers=session.headers if session else None)

    def post(self, path: str, session: Session) -> int:
        headers = {**session.headers, "Content-Type": "application/x-www-form-urlencoded"}
        return request(self.port, "POST", path, headers=headers, body="")

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def web_server(env: dict[str, str], log_path: Path, workers: int = 3):
    """gunicorn, as the Procfile runs it in production, on a free port."""
    port = free_port()
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "lms.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--preload", "--timeout", "60", "--graceful-timeout", "5",
             "--access-logfile", "-"],
            cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = WebServer(port, process, log_path)
    try:
        if not wait_until(lambda: server.get("/healthz") in (200, 503), timeout=60, interval=0.3):
            raise RuntimeError(f"gunicorn did not answer:\n{server.log_tail()}")
        yield server
    finally:
        _stop(process, sig=signal.SIGQUIT)  # gunicorn's quick shutdown: the test is over


@contextmanager
def celery_beat(env: dict[str, str], log_path: Path):
    """Celery beat with the production scheduler (django-celery-beat's, in the database)."""
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "celery_app", "beat", "--loglevel=INFO",
             "--pidfile="],
            cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        yield process
    finally:
        _stop(process)


class Seen(NamedTuple):
    label: str
    status: int  # 0: no answer (refused, or nothing within the timeout)
    outage: bool  # asked or answered while a dependency was down
    seconds: float


@dataclass
class Poller:
    """Requests each page in turn, over and over, from a thread, until stopped.

    ``outage`` marks the time a dependency is down; statuses are kept with whether they came
    during one.
    """

    server: WebServer
    pages: dict[str, tuple[str, Session | None]]
    interval: float = 0.05
    seen: list[Seen] = field(default_factory=list)
    outage: bool = False

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            for label, (path, session) in self.pages.items():
                during_outage, started = self.outage, time.monotonic()
                status = self.server.get(path, session)
                elapsed = time.monotonic() - started
                self.seen.append(Seen(label, status, during_outage or self.outage, elapsed))
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(timeout=30)

    def statuses(self, *, during_outage: bool | None = None) -> Counter:
        return Counter(
            (seen.label, seen.status)
            for seen in self.seen
            if during_outage is None or seen.outage == during_outage
        )

    def all_fine_now(self) -> bool:
        """One more round after the fault: every page 200."""
        return all(self.server.get(path, session) == 200 for path, session in self.pages.values())

    def check_again_until_fine(self, timeout: float = 20) -> bool:
        return wait_until(self.all_fine_now, timeout=timeout, interval=0.5)
