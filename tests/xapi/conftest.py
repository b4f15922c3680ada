"""A real learning record store for the xAPI tests: Ralph, from .venv-lrs (`make lrs`).

The session starts Ralph's LRS app with its file-system backend in a temporary directory (through
lrs_server.py: `ralph runserver`'s file-system store refuses every write after its first), with
HTTP Basic credentials made by `ralph auth` there; tests stop and start it (the statements stay
on disk) and read statements back over its xAPI API. Under CI the store must be there: a missing
.venv-lrs fails the tests instead of skipping them.
"""

import os
import secrets
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

from tests.conftest import IN_CI
from tests.helpers import ROOT

LRS_VENV = ROOT / ".venv-lrs"
RALPH = LRS_VENV / "bin" / "ralph"
SERVER = Path(__file__).with_name("lrs_server.py")


def _free_port() -> int:
    """A free port: from LMS_TEST_LRS_PORTS ("8130-8139") when set, else any the system gives."""
    wanted = os.environ.get("LMS_TEST_LRS_PORTS", "")
    candidates = [0]
    if wanted:
        first, _, last = wanted.partition("-")
        candidates = list(range(int(first), int(last or first) + 1))
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in LMS_TEST_LRS_PORTS={wanted}")


class LearningRecordStore:
    """One Ralph LRS process on a local port; ``stop`` and ``start`` keep its statements."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.data = workdir / "statements"
        self.auth_file = workdir / "auth.json"
        self.log_path = workdir / "ralph.log"
        self.username = "lms-tests"
        self.password = secrets.token_urlsafe(16)
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"{self.base}/xAPI/"
        self.process: subprocess.Popen | None = None
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(workdir),
            "RALPH_APP_DIR": str(workdir / "app"),
            "RALPH_AUTH_FILE": str(self.auth_file),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.data),
        }

    def create_credentials(self) -> None:
        subprocess.run(
            [str(RALPH), "auth", "-u", self.username, "-p", self.password, "-s", "all",
             "-A", "lms-tests", "http://lms.test", "-w"],
            cwd=self.workdir, env=self.env, check=True, capture_output=True, timeout=60,
        )  # fmt: skip

    def start(self) -> None:
        if self.running():
            return
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [str(LRS_VENV / "bin" / "python"), str(SERVER), "127.0.0.1", str(self.port)],
            cwd=self.workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self.answers():
                return
            time.sleep(0.2)
        raise RuntimeError(f"the LRS did not start; its log:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            # The server and anything it started share the session's process group.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None
        deadline = time.monotonic() + 20
        while self.answers() and time.monotonic() < deadline:
            time.sleep(0.1)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None and self.answers()

    def answers(self) -> bool:
        try:
            return requests.get(f"{self.base}/__lbheartbeat__", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def get(self, **params) -> list[dict]:
        """Statements the store returns for an xAPI query (``statementId``, ``registration``...)."""
        response = requests.get(
            f"{self.endpoint}statements",
            params={"limit": 500, **params},
            auth=(self.username, self.password),
            headers={"X-Experience-API-Version": "1.0.3"},
            timeout=10,
        )
        response.raise_for_status()
        body = response.json()
        return body["statements"] if "statements" in body else [body]

    def by_id(self, statement_id) -> list[dict]:
        return self.get(statementId=str(statement_id))


@pytest.fixture(scope="session")
def lrs(tmp_path_factory):
    if not RALPH.exists():
        message = f"the learning record store is not installed ({RALPH}): run `make lrs`"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    store = LearningRecordStore(tmp_path_factory.mktemp("lrs"))
    store.create_credentials()
    store.start()
    try:
        yield store
    finally:
        store.stop()


@pytest.fixture
def xapi_on(settings, lrs):
    """Statements on, sent to the test store; a SITE_URL of this test's own, so that its
    statement ids (name-based on the site) are new to the store, whatever ids the database reuses.
    """
    lrs.start()  # a test that stopped it and failed leaves it stopped
    settings.SITE_URL = f"http://lms-{uuid.uuid4().hex[:10]}.test"
    settings.XAPI_ENDPOINT = lrs.endpoint
    settings.XAPI_USERNAME = lrs.username
    settings.XAPI_PASSWORD = lrs.password
    return lrs
