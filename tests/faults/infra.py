"""The fault suite's own PostgreSQL cluster and redis-server, so restarting them disturbs no one.

PostgreSQL is a cluster of the machine's PostgreSQL (Debian's ``pg_createcluster`` and
``pg_ctlcluster``), created on first use and reused after; Redis is a ``redis-server`` process on a
free port. Nothing here touches any other cluster or server.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

PG_CONFIG_ROOT = Path("/etc/postgresql")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_until(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def _run(*command: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} exited {result.returncode}: {result.stderr or result.stdout}"
        )
    return result


class PrivatePostgres:
    """One PostgreSQL cluster of the machine's newest PostgreSQL, owned by the postgres user."""

    def __init__(self, name: str, version: str | None = None):
        self.name = name
        self.version = version or self.newest_version()

    @staticmethod
    def newest_version() -> str:
        if not shutil.which("pg_createcluster") or not PG_CONFIG_ROOT.is_dir():
            raise RuntimeError("the fault suite needs PostgreSQL with Debian's postgresql-common")
        versions = [p.name for p in PG_CONFIG_ROOT.iterdir() if re.fullmatch(r"\d+", p.name)]
        if not versions:
            raise RuntimeError(f"no PostgreSQL version under {PG_CONFIG_ROOT}")
        return max(versions, key=int)

    @property
    def exists(self) -> bool:
        return (PG_CONFIG_ROOT / self.version / self.name / "postgresql.conf").is_file()

    @property
    def port(self) -> int:
        return int(_run("pg_conftool", "-s", self.version, self.name, "show", "port").stdout)

    @property
    def running(self) -> bool:
        return _run("pg_ctlcluster", self.version, self.name, "status", check=False).returncode == 0

    def _ports_of_other_clusters(self) -> set[int]:
        ports = set()
        for conf in PG_CONFIG_ROOT.glob("*/*/postgresql.conf"):
            if conf.parent.name == self.name and conf.parent.parent.name == self.version:
                continue
            match = re.search(r"^\s*port\s*=\s*(\d+)", conf.read_text(), re.MULTILINE)
            if match:
                ports.add(int(match.group(1)))
        return ports

    def _unused_port(self) -> int:
        taken = self._ports_of_other_clusters()
        while (port := free_port()) in taken:
            continue
        return port

    def ensure_started(self) -> int:
        """Create the cluster if it is missing, start it if it is down; return its port."""
        if not self.exists:
            _run(
                "pg_createcluster", self.version, self.name, "--port", str(self._unused_port()),
                # A throwaway cluster: durability settings off make migrations fast. A clean
                # restart (what the suite does) loses nothing either way.
                "-o", "fsync=off", "-o", "synchronous_commit=off", "-o", "full_page_writes=off",
                "--", "--auth=trust",
            )  # fmt: skip
        if not self.running:
            if port_is_open(self.port):
                # Something else took the port since the cluster was made: move the cluster.
                port = self._unused_port()
                _run("pg_conftool", self.version, self.name, "set", "port", str(port))
            self.start()
        return self.port

    def ready(self) -> bool:
        return (
            _run("pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port), check=False)
            .returncode == 0
        )  # fmt: skip

    def _ctl(self, action: str, *options: str) -> None:
        _run("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action,
             *options)  # fmt: skip

    def start(self) -> None:
        self._ctl("start")
        if not wait_until(self.ready, timeout=30):
            raise RuntimeError(f"PostgreSQL cluster {self.version}/{self.name} did not start")

    def stop(self) -> None:
        if self.running:
            # Fast: sessions are terminated, as a restart by an operator or a failover does.
            self._ctl("stop", "--mode", "fast")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


class PrivateRedis:
    """A ``redis-server`` on a fixed port and directory, stopped and started by the suite.

    ``persistent`` is how a production broker runs: the append-only file (fsync every second,
    Redis's default for it) keeps queued tasks across a restart. Without it a restart empties
    the queue and the beat sweep has to find the lost work.
    """

    def __init__(self, port: int, directory: Path):
        self.port = port
        self.directory = Path(directory)
        self.process: subprocess.Popen | None = None
        self.persistent = True

    @property
    def pidfile(self) -> Path:
        return self.directory / "redis.pid"

    def start(self, *, persistent: bool = True) -> None:
        if self.process is not None and self.process.poll() is None:
            raise RuntimeError("redis-server is already running")
        if not shutil.which("redis-server"):
            raise RuntimeError("the fault suite needs redis-server")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.persistent = persistent
        if not persistent:
            # A server without persistence comes back empty: nothing of the last one survives.
            for leftover in self.directory.glob("appendonly*"):
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.directory), "--pidfile", str(self.pidfile),
             "--save", "", "--appendonly", "yes" if persistent else "no",
             "--appendfsync", "everysec", "--logfile", str(self.directory / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        if not wait_until(self.ping, timeout=15):
            raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self, *, crash: bool = False) -> None:
        """SIGTERM is a clean shutdown (the append-only file is flushed); ``crash`` is SIGKILL."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGKILL if crash else signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        wait_until(lambda: not port_is_open(self.port), timeout=5)

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def ping(self) -> bool:
        try:
            with self.client() as client:
                return bool(client.ping())
        except Exception:  # noqa: BLE001 - any failure means "not answering"
            return False

    def queue_length(self, queue: str = "celery") -> int:
        with self.client() as client:
            return int(client.llen(queue))

    def flush(self) -> None:
        with self.client() as client:
            client.flushall()

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


def stop_leftover_redis(pidfile: Path, port: int) -> None:
    """Stop the suite's own redis-server if a crashed run left it: by its pid, after checking it."""
    try:
        pid = int(pidfile.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (OSError, ValueError):
        return
    if "redis-server" in cmdline and f":{port}" in cmdline:
        os.kill(pid, signal.SIGTERM)
