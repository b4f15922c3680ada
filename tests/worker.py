"""A real Celery worker in a subprocess, on the broker the settings name (Redis in CI)."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager

from tests.helpers import ROOT


@contextmanager
def celery_worker(
    queue: str | None = None, env: dict[str, str] | None = None, concurrency: int = 1
):
    """Start ``celery worker`` consuming one private queue; stop it on exit.

    A private queue keeps the test's tasks away from any other worker that shares the broker.
    """
    queue = queue or f"test-{uuid.uuid4().hex[:12]}"
    worker_env = {**os.environ, **(env or {})}
    worker_env.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    log = tempfile.TemporaryFile()
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
            f"{queue}@%h",
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
