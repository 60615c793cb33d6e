"""Store test fixtures: every store test runs on SQLite and on a real, private PostgreSQL.

``pg_cluster`` (session scope) starts Debian's PostgreSQL (initdb + pg_ctl as the ``postgres``
user via ``runuser`` when we are root) in a private data dir on 127.0.0.1 and a free port, with
password authentication, and stops and deletes it at the end. ``store_url`` is parametrized:
``sqlite`` (a file under tmp_path) and ``postgresql`` (a fresh database per test). Without the
PostgreSQL binaries the PostgreSQL half is skipped with the reason — unless
``NETAUDIT_REQUIRE_PG=1`` (CI), where that is a failure.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

PG_USER = "postgres"
PG_PASSWORD = "pg-Test-pw-9f3e"  # tests assert this never shows in messages


@dataclass(frozen=True)
class PgCluster:
    host: str
    port: int
    user: str
    password: str

    def url(self, database: str, password: str | None = None) -> str:
        pw = self.password if password is None else password
        return f"postgresql+psycopg://{self.user}:{pw}@{self.host}:{self.port}/{database}"

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname="postgres",
            autocommit=True,
        )

    def create_database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def _pg_bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    which = shutil.which("pg_ctl")
    if which:
        candidates.insert(0, which)
    for c in candidates:
        p = Path(c).resolve()
        if (p.parent / "initdb").exists():
            return p.parent
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _unavailable(reason: str) -> None:
    if os.environ.get("NETAUDIT_REQUIRE_PG") == "1":
        pytest.fail(f"NETAUDIT_REQUIRE_PG=1 but {reason}")
    pytest.skip(f"PostgreSQL half skipped: {reason} (apt-get install postgresql)")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    bindir = _pg_bindir()
    if bindir is None:
        _unavailable("no PostgreSQL server binaries (initdb, pg_ctl) found")
    assert bindir is not None
    as_root = os.geteuid() == 0
    if as_root:
        try:
            pg = pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root but there is no 'postgres' user")
    base = Path(tempfile.mkdtemp(prefix="netaudit-pg-"))
    data = base / "data"
    pwfile = base / "pw"
    pwfile.write_text(PG_PASSWORD + "\n")
    prefix: list[str] = []
    if as_root:
        os.chown(base, pg.pw_uid, pg.pw_gid)
        os.chown(pwfile, pg.pw_uid, pg.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    os.chmod(base, 0o700)
    port = _free_port()
    log = base / "log"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, *args], capture_output=True, text=True, timeout=120, check=False
        )

    init = run(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        PG_USER,
        f"--pwfile={pwfile}",
        "--auth-host=scram-sha-256",
        "--auth-local=trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    if init.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        _unavailable(f"initdb failed: {init.stderr.strip()[-500:]}")
    opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off -c max_connections=50"
    start = run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o", opts, "start")
    if start.returncode != 0:
        logtext = log.read_text() if log.exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        _unavailable(f"pg_ctl start failed: {start.stderr.strip()[-300:]} {logtext[-500:]}")
    try:
        yield PgCluster("127.0.0.1", port, PG_USER, PG_PASSWORD)
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_url(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of a fresh, empty database on each engine."""
    if engine_name == "sqlite":
        yield f"sqlite:///{tmp_path / 'netaudit.db'}"
        return
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    name = cluster.create_database()
    try:
        yield cluster.url(name)
    finally:
        cluster.drop_database(name)
