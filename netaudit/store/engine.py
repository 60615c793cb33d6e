"""Store stage, the connection: database URL → a checked, migrated SQLAlchemy engine.

Input: a URL (``--db``), ``NETAUDIT_DB`` or the default ``sqlite:///netaudit.db``. Output: an
``Engine`` whose schema is at the head Alembic revision, or a ``StoreError`` that says why not:
the file is not a netaudit store, is corrupt, or was written by a newer netaudit. Nothing is
written before those checks pass, so a file we refuse is left byte-identical. Also the one place
that turns SQLAlchemy/driver errors into ``StoreError`` with the password masked.

SQLite runs in WAL mode with a 30 s busy timeout, foreign keys on, and write transactions opened
with ``BEGIN IMMEDIATE`` so two writers queue for the lock instead of failing on a lock upgrade.
PostgreSQL migrations take a transaction-level advisory lock so concurrent first opens migrate
once.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

from netaudit.errors import StoreError
from netaudit.model.serialize import Json
from netaudit.store.schema import VERSION_TABLE

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

DEFAULT_URL = "sqlite:///netaudit.db"
ENV_VAR = "NETAUDIT_DB"
MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_S = 30.0
WRITE = "netaudit_write"  # execution option: open the transaction for writing
_PG_LOCK_KEY = 0x6E657461  # "neta": advisory lock serialising migrations
_SQLITE_MAGIC = b"SQLite format 3\x00"
# The newest migration's revision (``migrations/versions``). Kept here so that opening a store
# already at head needs no Alembic (importing it and reading the scripts cost ~0.2 s per
# command); a test checks it against Alembic's own head.
HEAD_REVISION = "r0002_exit_isp"


# --------------------------------------------------------------------------- URLs


def resolve_url(url: str | None) -> str:
    """The URL to use: ``url``, else ``$NETAUDIT_DB``, else ``./netaudit.db``.

    A bare path (no ``://``) means a SQLite file; ``postgresql://`` and ``postgres://`` use the
    psycopg 3 driver (the only PostgreSQL driver netaudit depends on).
    """
    raw = url or os.environ.get(ENV_VAR) or DEFAULT_URL
    if "://" not in raw:
        return f"sqlite:///{raw}"
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def mask_url(url: str | URL) -> str:
    """The URL with its password replaced by ``***`` (safe to print)."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except sa_exc.ArgumentError:
        return "<unparsable database URL>"
    return parsed.render_as_string(hide_password=True)


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL; None for other engines and in-memory databases."""
    if url.get_backend_name() != "sqlite":
        return None
    db = url.database
    if not db or db == ":memory:" or db.startswith("file:"):
        return None
    return Path(db)


# --------------------------------------------------------------------------- errors


def describe(exc: BaseException) -> str:
    """First line of a driver error, without the SQL and parameters SQLAlchemy appends."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


@contextlib.contextmanager
def translate(where: str) -> Iterator[None]:
    """Turn operational/driver errors into ``StoreError`` naming the (masked) database."""
    try:
        yield
    except (sa_exc.ProgrammingError, sa_exc.IntegrityError):
        raise  # our bug, not the user's: the CLI boundary reports an internal error
    except (sa_exc.OperationalError, sa_exc.DatabaseError, sa_exc.InterfaceError) as exc:
        raise StoreError(f"database {where}: {describe(exc)}") from exc


# --------------------------------------------------------------------------- engine


def _json(value: Json) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def create(url: str) -> Engine:
    """An engine for ``url`` with netaudit's per-engine settings (not yet checked/migrated)."""
    masked = mask_url(url)
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError as exc:
        raise StoreError(f"--db: not a database URL: {masked}") from exc
    kwargs: dict[str, Any] = {"json_serializer": _json}
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_S}
    try:
        engine = create_engine(parsed, **kwargs)
    except (sa_exc.ArgumentError, ImportError, sa_exc.NoSuchModuleError) as exc:
        raise StoreError(f"--db {masked}: {describe(exc)}") from exc
    if backend == "sqlite":
        _sqlite_events(engine)
    return engine


def set_wal(conn: sqlite3.Connection, timeout: float) -> None:
    """Put the database in WAL mode (a no-op when it is), retrying while it is locked.

    Switching the journal mode takes the database's exclusive lock, and SQLite answers
    "database is locked" at once, without waiting in its busy handler, where waiting could
    deadlock (this connection holds a shared lock while another one holds the write lock and
    waits for readers to go). Two audits opening a new store at the same moment met that now
    and then (CI, `test_two_writers_at_once_both_land_intact`).
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL").close()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(0.02)


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let us issue BEGIN ourselves (pysqlite's implicit transactions skip DDL and cannot
        # take the write lock up front).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        set_wal(dbapi_conn, BUSY_TIMEOUT_S)
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# --------------------------------------------------------------------------- checks


def check_sqlite_file(path: Path, masked: str) -> None:
    """Refuse, without writing a byte, a file that is not SQLite, is corrupt, or has tables but
    not netaudit's version table. An empty file or a SQLite file with no tables is accepted."""
    if not path.exists():
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise StoreError(f"database {masked}: folder {parent} does not exist")
        return
    if path.is_dir():
        raise StoreError(f"database {masked}: {path} is a folder, not a database file")
    if path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"database {masked}: cannot read {path} ({exc.strerror})") from exc
    if head != _SQLITE_MAGIC:
        raise StoreError(
            f"database {masked}: {path} is not a SQLite database (not a netaudit store); "
            "refusing to touch it — choose another --db"
        )
    # A read-only connection to a WAL-mode file creates -wal/-shm files; remove the ones we
    # created when we refuse the file, so a refused file is left exactly as we found it.
    sidecars = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    existed = {p for p in sidecars if p.exists()}
    try:
        _check_sqlite_tables(path, masked)
    except StoreError:
        for p in sidecars:
            if p not in existed:
                with contextlib.suppress(OSError):
                    p.unlink()
        raise


def _check_sqlite_tables(path: Path, masked: str) -> None:
    try:
        # Read-only URI: never creates tables, converts or writes the database file.
        ro = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = ro.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            if any(r[0] == VERSION_TABLE for r in rows):
                ro.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()
        finally:
            ro.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"database {masked}: {path} is corrupt or not a database ({exc}); refusing to touch it"
        ) from exc
    tables = {r[0] for r in rows}
    # A SQLite file without any table holds nothing to lose: it is what a store looks like
    # when its creation was interrupted (the WAL header is written before the first table).
    if tables and VERSION_TABLE not in tables:
        listed = ", ".join(sorted(tables)[:5])
        raise StoreError(
            f"database {masked}: {path} is a SQLite database but not a netaudit store (it has "
            f"other tables: {listed}); refusing to touch it — choose another --db"
        )


def _alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config  # noqa: PLC0415 (only to migrate: see HEAD_REVISION)

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory  # noqa: PLC0415 (see HEAD_REVISION)

    return ScriptDirectory.from_config(_alembic_config())


def head_revision() -> str:
    return HEAD_REVISION


def _current(conn: Connection, masked: str) -> str | None:
    """The store's revision; None for an empty database; StoreError for a foreign one."""
    tables = set(inspect(conn).get_table_names())
    if VERSION_TABLE not in tables:
        if tables:
            listed = ", ".join(sorted(tables)[:5])
            raise StoreError(
                f"database {masked} is not a netaudit store (it has other tables: {listed}); "
                "use an empty database"
            )
        return None
    rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
    heads = tuple(str(v) for v in rows)
    if len(heads) != 1:
        raise StoreError(f"database {masked}: unexpected schema revisions {heads!r}")
    return heads[0]


def _check_known(rev: str | None, masked: str) -> None:
    if rev is None:
        return
    script = script_directory()
    try:
        script.get_revision(rev)
    except Exception as exc:  # alembic raises several types for an unknown revision
        raise StoreError(
            f"database {masked} has schema revision {rev}, newer than this netaudit knows "
            f"(up to {head_revision()}); upgrade netaudit to read it"
        ) from exc


@dataclass(frozen=True, slots=True)
class Migration:
    """What ``prepare`` did: from revision (None: the database was empty) to revision."""

    from_revision: str | None
    to_revision: str


def prepare(engine: Engine, masked: str, *, upgrade: bool = True) -> Migration | None:
    """Check the schema and migrate it to head; returns the migration done, if any.

    The empty database counts as revision None (a new store). Upgrades run inside one write
    transaction (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: plus an advisory lock), so two
    processes opening a new store at once migrate it once, and a process killed mid-migration
    leaves the previous revision intact.
    """
    head = head_revision()
    with translate(masked), engine.connect() as conn:
        with conn.begin():
            current = _current(conn, masked)
        if current == head:
            return None
        _check_known(current, masked)
        if not upgrade:
            raise StoreError(
                f"database {masked} has schema revision {current}, this netaudit needs "
                f"{head}: run `netaudit db upgrade --db URL`"
            )
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
            current = _current(conn, masked)  # again, under the lock
            if current == head:
                return None
            _check_known(current, masked)
            from alembic import command  # noqa: PLC0415 (see HEAD_REVISION)

            command.upgrade(_alembic_config(conn), "head")
        return Migration(current, head)
