"""Opening is safe: foreign or corrupt databases are refused untouched; passwords never shown."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from netaudit.cli import main as cli_main
from netaudit.errors import StoreError
from netaudit.store import open_store, resolve_url
from tests.store.conftest import PG_PASSWORD, PgCluster
from tests.store.factory import full_run


def _refused_untouched(path: Path, match: str) -> None:
    before = path.read_bytes()
    siblings = set(path.parent.iterdir())
    with pytest.raises(StoreError, match=match):
        open_store(str(path))
    assert path.read_bytes() == before
    assert set(path.parent.iterdir()) == siblings  # no -wal / -shm / journal left behind


def test_text_file_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("hostname core1\nthis is not a database\n")
    _refused_untouched(path, "is not a SQLite database")


def test_other_applications_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO customers (name) VALUES ('x')")
    con.commit()
    con.close()
    _refused_untouched(path, r"not a netaudit store .*customers")


def test_garbage_after_a_sqlite_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 32)
    _refused_untouched(path, "corrupt or not a database")


def test_truncated_store_is_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.db"
    with open_store(str(good)) as store:
        store.save_run(full_run())
    data = good.read_bytes()
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    bad = bad_dir / "netaudit.db"
    bad.write_bytes(data[: len(data) // 3])
    _refused_untouched(bad, "corrupt or not a database")


def test_empty_file_and_new_path_become_stores(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    with open_store(str(empty)) as store:
        assert store.migration is not None and store.migration.from_revision is None
    with open_store(str(tmp_path / "new.db")) as store:
        store.save_run(full_run())
    with pytest.raises(StoreError, match=r"folder .* does not exist"):
        open_store(str(tmp_path / "missing" / "x.db"))


def test_default_and_env_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NETAUDIT_DB", raising=False)
    with open_store(None) as store:
        store.save_run(full_run())
    assert (tmp_path / "netaudit.db").exists()
    monkeypatch.setenv("NETAUDIT_DB", str(tmp_path / "env.db"))
    with open_store(None) as store:
        assert store.list_runs() == []
    assert (tmp_path / "env.db").exists()
    assert resolve_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"


def test_postgres_database_with_other_tables_is_refused(pg_cluster: PgCluster) -> None:
    name = pg_cluster.create_database()
    url = pg_cluster.url(name)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE invoices (id int primary key)"))
            conn.execute(text("INSERT INTO invoices VALUES (1)"))
        with pytest.raises(StoreError, match=r"not a netaudit store .*invoices"):
            open_store(url)
        with engine.connect() as conn:
            tables = conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ).scalars()
            assert list(tables) == ["invoices"]
    finally:
        engine.dispose()
        pg_cluster.drop_database(name)


def test_password_is_never_printed(
    pg_cluster: PgCluster, capsys: pytest.CaptureFixture[str]
) -> None:
    name = pg_cluster.create_database()
    try:
        wrong = "Wrong-Pw-31337"
        url = pg_cluster.url(name, password=wrong)
        assert cli_main.run(["runs", "--db", url]) == 2
        err = capsys.readouterr().err
        assert "password authentication failed" in err
        assert wrong not in err and "***" in err
        good = pg_cluster.url(name).replace("postgresql+psycopg://", "postgresql://")
        assert cli_main.run(["runs", "--db", good, "--json"]) == 0
        out = capsys.readouterr()
        assert PG_PASSWORD not in out.out + out.err
        assert cli_main.run(["show", "nope", "--db", good]) == 2
        out = capsys.readouterr()
        assert "no run 'nope'" in out.err
        assert PG_PASSWORD not in out.out + out.err
    finally:
        pg_cluster.drop_database(name)


def test_copy_of_a_store_is_a_store(tmp_path: Path) -> None:
    """A store file copied elsewhere (backup, another machine) opens and reads the same."""
    src = tmp_path / "a.db"
    with open_store(str(src)) as store:
        store.save_run(full_run())
    dst = tmp_path / "b.db"
    shutil.copy(src, dst)
    with open_store(str(dst)) as store:
        assert store.load_run("latest") == full_run()
