"""A real Celery worker in a subprocess, on the broker the settings name (Redis in CI)."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from tests.helpers import ROOT


def _cache_prefix() -> str:
    from django.conf import settings

    return settings.CACHES["default"].get("KEY_PREFIX", "")


@contextmanager
def celery_worker(
    queue: str | None = None,
    env: dict[str, str] | None = None,
    concurrency: int = 1,
    *,
    name: str | None = None,
    log_path: Path | None = None,
):
    """Start ``celery worker`` consuming one private queue; stop it on exit.

    A private queue keeps the test's tasks away from any other worker that shares the broker.
    ``name`` tells apart two workers on one queue; ``log_path`` keeps the worker's log to read.
    """
    queue = queue or f"test-{uuid.uuid4().hex[:12]}"
    worker_env = {**os.environ, **(env or {})}
    worker_env.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    # The worker shares this process's cache namespace, as production's processes share Redis:
    # what it changes (a learner's cached pages) is seen here.
    worker_env.setdefault("LMS_TEST_CACHE_PREFIX", _cache_prefix())
    log = open(log_path, "ab") if log_path else tempfile.TemporaryFile()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "celery_app",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            "--pool=prefork",
            "-Q",
            queue,
            "-n",
            f"{name or queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],  # fmt: skip
        cwd=ROOT,
        env=worker_env,
        # A file, not a pipe: nobody reads while the test runs, and a full pipe blocks the worker.
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process, queue
    finally:
        if process.poll() is None:
            # SIGTERM to the main process only: a warm shutdown lets running tasks finish.
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
