"""A big audit writes its machine report files in a forked process while it writes the store
and then the HTML pages (``PARALLEL_RENDER_RESULTS``, issue 9). The sample city is below the
threshold, so these tests lower it: the files must be those the stored run renders, errors
must read as before."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from netaudit.cli import audit as audit_cli
from netaudit.cli import main as cli_main
from netaudit.store import open_store

XIAN = Path(__file__).parents[2] / "inventories" / "xian"


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli_main.run(list(args))
    return code, capsys.readouterr().err


def _files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir()) if p.is_file()}


def test_forked_reports_are_those_of_the_stored_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    code, err = _cli(capsys, "audit", str(XIAN), "--db", db, "--out", str(tmp_path / "1"), "-q")
    assert code == 1, err
    monkeypatch.setattr(audit_cli, "PARALLEL_RENDER_RESULTS", 0)
    real_write = audit_cli.write_machine_files
    pid_file = tmp_path / "pid"

    def write(*args: Any, **kwargs: Any) -> None:
        pid_file.write_text(str(os.getpid()), encoding="utf-8")
        real_write(*args, **kwargs)

    monkeypatch.setattr(audit_cli, "write_machine_files", write)
    real_render = audit_cli.render_html
    pages_log = tmp_path / "pages"

    def render(*args: Any, **kwargs: Any) -> list[Path]:
        written = real_render(*args, **kwargs)
        with pages_log.open("a", encoding="utf-8") as fh:
            fh.writelines(f"{os.getpid()} {p.name}\n" for p in written)
        return written

    monkeypatch.setattr(audit_cli, "render_html", render)
    code, err = _cli(capsys, "audit", str(XIAN), "--db", db, "--out", str(tmp_path / "2"), "-q")
    assert code == 1, err
    assert int(pid_file.read_text(encoding="utf-8")) != os.getpid()  # written by a child
    # The unit pages split between both processes (two fifths forked), each written once;
    # the overview here.
    by = [line.split() for line in pages_log.read_text(encoding="utf-8").splitlines()]
    assert len(by) == len({name for _, name in by}) == 31
    assert {pid for pid, name in by if name == "index.html"} == {str(os.getpid())}
    assert sum(pid != str(os.getpid()) for pid, _ in by) == 12  # (30 units)
    # The second run, rendered again from the store (previous run, trend up to it).
    code, err = _cli(capsys, "report", "--db", db, "--run", "latest", "--out", str(tmp_path / "r"))
    assert code == 0, err
    forked, stored = _files(tmp_path / "2"), _files(tmp_path / "r")
    assert len(forked) == len(stored) > 30  # 30 unit pages, the overview, JSON, CSV, JUnit
    for name, data in stored.items():
        assert forked[name] == data, name
    # The overview's trend shows both runs; the stored run holds every result of the page.
    index = forked["index.html"].decode("utf-8")
    assert index.count("<circle") == 2
    doc = json.loads(forked["findings.json"])
    with open_store(db) as store:
        run = store.load_run("latest", configs=False)
    assert run.id == doc["run"]["id"]
    assert len(run.results) == len(doc["results"]) == 2560


def test_a_report_error_in_the_fork_reads_as_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_cli, "PARALLEL_RENDER_RESULTS", 0)
    db = f"sqlite:///{tmp_path / 's.db'}"
    blocked = tmp_path / "out"
    blocked.write_text("a file where the report folder should be", encoding="utf-8")
    code, err = _cli(capsys, "audit", str(XIAN), "--db", db, "--out", str(blocked), "-q")
    assert code == 2
    assert f"--out {blocked}: cannot write the reports" in err
    assert "Traceback" not in err
    # The store was written all the same (by the parent), and the run is finished.
    with open_store(db) as store:
        run = store.load_run("latest", configs=False)
    assert run.status.value == "complete"
    assert len(run.results) == 2560


def test_a_bug_in_the_fork_is_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_cli, "PARALLEL_RENDER_RESULTS", 0)

    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("a bug in the CSV writer")

    monkeypatch.setattr(audit_cli, "write_machine_files", broken)
    code, err = _cli(capsys, "audit", str(XIAN), "--no-store", "--out", str(tmp_path / "o"), "-q")
    assert code == 70
    assert "internal error: RuntimeError" in err  # a TypeError in the child, reported here
