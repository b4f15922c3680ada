"""``make faults``: the fault suite on its own PostgreSQL cluster and its own redis-server.

Creates (on first use) and starts a private PostgreSQL cluster, picks a free port for a private
redis-server (the suite starts and restarts it), runs pytest on ``tests/faults`` serially with
``tests.faults.settings``, then stops the cluster. Extra arguments go to pytest.

Environment: ``FAULTS_PG_CLUSTER`` (default ``lmsfaults``), ``FAULTS_PG_VERSION`` (default: the
newest installed).
"""

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from tests.faults.infra import PrivatePostgres, free_port, stop_leftover_redis
from tests.helpers import ROOT


def main(argv: list[str]) -> int:
    cluster = os.environ.get("FAULTS_PG_CLUSTER", "lmsfaults")
    # One run at a time per cluster on this machine: a second waits rather than restarting the
    # first one's servers under it.
    lock = open(Path(tempfile.gettempdir()) / f"lms-faults-{cluster}.lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"Another fault run holds the {cluster} cluster; waiting for it.", flush=True)
        fcntl.flock(lock, fcntl.LOCK_EX)
    postgres = PrivatePostgres(cluster, os.environ.get("FAULTS_PG_VERSION"))
    workdir = Path(tempfile.mkdtemp(prefix="lms-faults-"))
    redis_port = free_port()
    try:
        pg_port = postgres.ensure_started()
        print(
            f"Fault suite: PostgreSQL {postgres.version} cluster {cluster!r} on port {pg_port}, "
            f"its own redis-server on port {redis_port}.",
            flush=True,
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
            "DATABASE_URL": postgres.url("lmsfaults"),
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "FAULTS_PG_CLUSTER": cluster,
            "FAULTS_PG_VERSION": postgres.version,
            "FAULTS_PG_PORT": str(pg_port),
            "FAULTS_REDIS_PORT": str(redis_port),
            "FAULTS_WORKDIR": str(workdir),
            "FAULTS_CACHE_PREFIX": f"faults-{uuid.uuid4().hex[:8]}",
        }
        command = [
            sys.executable, "-m", "pytest", "tests/faults", "--ds=tests.faults.settings",
            "-p", "no:xdist", "-p", "no:cacheprovider", *argv,
        ]  # fmt: skip
        return subprocess.run(command, cwd=ROOT, env=env).returncode
    except KeyboardInterrupt:
        return 130
    finally:
        stop_leftover_redis(workdir / "redis" / "redis.pid", redis_port)
        postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        lock.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
