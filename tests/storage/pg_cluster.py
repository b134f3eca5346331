"""A throwaway PostgreSQL cluster for the tests and the benchmark: ``initdb`` + ``pg_ctl``.

The server refuses to run as root, so when run as root the cluster belongs to an unprivileged
account: ``$ALLIANCEKIT_PG_USER`` if set, else ``postgres`` (created by the Debian package), else
``nobody``. The cluster lives in a fresh directory under the system temp dir, listens on a free
port on 127.0.0.1 only (trust authentication, superuser ``alliancekit``) and keeps its socket in
that directory. Durability settings are off: only the server's clients are ever killed.

Run ``python tests/storage/pg_cluster.py`` to start one and print its URL (Ctrl-C stops it).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["ClusterUnavailable", "PostgresCluster", "find_bindir", "running_cluster"]

SUPERUSER = "alliancekit"


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL server binaries (or no psycopg) on this machine."""


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name) or ["0"])


def _candidate_bindirs() -> Iterator[Path]:
    configured = os.environ.get("ALLIANCEKIT_PG_BINDIR")
    if configured:
        yield Path(configured)
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            )
            yield Path(out.stdout.strip())
    yield from sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        yield Path(initdb).resolve().parent


def find_bindir() -> Path | None:
    """The first directory holding both ``initdb`` and ``pg_ctl``, or ``None``."""
    for bindir in _candidate_bindirs():
        if all(os.access(bindir / name, os.X_OK) for name in ("initdb", "pg_ctl")):
            return bindir
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_account() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in (os.environ.get("ALLIANCEKIT_PG_USER"), "postgres", "nobody"):
        if name:
            with contextlib.suppress(KeyError):
                return pwd.getpwnam(name)
    raise ClusterUnavailable("running as root and no unprivileged account (postgres, nobody)")


def _reachable_tempdir() -> str:
    """The temp dir, or ``/tmp`` when another account could not reach into it (e.g. a
    ``$TMPDIR`` inside root's home): the server account must traverse every parent."""
    base = Path(tempfile.gettempdir()).resolve()
    if all(path.stat().st_mode & 0o001 for path in (base, *base.parents)):
        return str(base)
    return "/tmp"


class PostgresCluster:
    """A running throwaway cluster; :meth:`stop` stops it and deletes its directory."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.account = _server_account()
        self.root = Path(tempfile.mkdtemp(prefix="alliancekit-pg-", dir=_reachable_tempdir()))
        self.data = self.root / "data"
        self.port = 0
        if self.account is not None:
            os.chown(self.root, self.account.pw_uid, self.account.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        self._start()

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        account = self.account
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "TZ": "UTC"}
        if account is None:
            return subprocess.run(
                [str(self.bindir / program), *args],
                cwd=self.root,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            )
        return subprocess.run(
            [str(self.bindir / program), *args],
            cwd=self.root,
            env=env,
            user=account.pw_uid,
            group=account.pw_gid,
            extra_groups=[],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )

    def _start(self) -> None:
        log = self.root / "server.log"
        for _attempt in range(3):
            self.port = _free_port()
            options = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
            )
            try:
                self._run(
                    "pg_ctl",
                    "-D",
                    str(self.data),
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    options,
                    "start",
                )
                return
            except subprocess.CalledProcessError:
                time.sleep(0.2)  # most likely the port was taken meanwhile: try another
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
        self.stop()
        raise RuntimeError(f"the PostgreSQL test cluster did not start:\n{tail}")

    def url(self, database: str = "postgres") -> str:
        """The URL of a database of this cluster."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database; return its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting its clients."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server (if running) and delete the cluster's directory."""
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> PostgresCluster:
    """Start a throwaway cluster.

    :raises ClusterUnavailable: when the server binaries or psycopg are missing.
    :raises RuntimeError: when they are present but the server does not start.
    """
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise ClusterUnavailable(
            "psycopg is not installed (pip install 'psycopg[binary]')"
        ) from None
    bindir = find_bindir()
    if bindir is None:
        raise ClusterUnavailable(
            "no PostgreSQL server binaries (initdb, pg_ctl) found in $ALLIANCEKIT_PG_BINDIR, "
            "pg_config --bindir, /usr/lib/postgresql/*/bin or PATH; "
            "install them with: apt-get install -y postgresql"
        )
    return PostgresCluster(bindir)


@contextlib.contextmanager
def running_cluster() -> Iterator[PostgresCluster]:
    """:func:`start_cluster` as a context manager that stops the cluster afterwards."""
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


if __name__ == "__main__":
    with running_cluster() as running:
        print(running.url(), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
