"""The store commands end to end: runs, show, diff, prune and db upgrade (SPEC §7)."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest

from netaudit.cli import main as cli_main
from netaudit.policy.results import Status
from netaudit.store import open_store
from tests.store.factory import T0, full_run


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli_main.run(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def two_runs(store_url: str) -> str:
    week1 = full_run("20261102-0930-a1", started=T0)
    week2 = full_run("20261109-0930-b2", started=T0 + timedelta(days=7), variant=1)
    fixed = tuple(
        dataclasses.replace(r, status=Status.PASS) if r.subject == "yanta-sw1" else r
        for r in week2.results
    )
    with open_store(store_url) as store:
        store.save_run(week1)
        store.save_run(dataclasses.replace(week2, results=fixed))
    return store_url


def test_runs_lists_newest_first(two_runs: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(capsys, "runs", "--db", two_runs, "--json")
    assert code == 0
    runs = json.loads(out)["runs"]
    assert [r["id"] for r in runs] == ["20261109-0930-b2", "20261102-0930-a1"]
    assert runs[0]["results"]["fail"] == 2 and runs[1]["results"]["fail"] == 3
    assert runs[0]["status"] == "incomplete" and runs[0]["devices_not_ok"] == 1
    code, out, _ = _cli(capsys, "runs", "--db", two_runs)
    assert code == 0
    assert out.index("20261109-0930-b2") < out.index("20261102-0930-a1")
    assert "incomplete" in out
    code, out, _ = _cli(capsys, "runs", "--db", two_runs, "--inventory", "baoji")
    assert code == 0 and "no runs" in out


def test_show_prints_units_table(two_runs: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(capsys, "show", "20261102", "--db", two_runs, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["run"]["id"] == "20261102-0930-a1"
    units = {u["id"]: u for u in data["units"]}
    assert units["yanta"]["fail"] == 2 and units["yanta"]["name"] == "雁塔区"
    assert units["beilin"]["pass"] == 1 and units["beilin"]["unknown"] == 1
    assert units["(no unit)"]["fail"] == 1
    assert data["totals"]["fail"] == 3
    assert data["devices_not_ok"][0]["name"] == "beilin-core"
    code, out, _ = _cli(capsys, "show", "latest", "--db", two_runs)
    assert code == 0
    assert "run 20261109-0930-b2" in out
    assert "雁塔区" in out and "total" in out
    assert "beilin-core (beilin): parse_failed" in out


def test_diff_shows_changes(two_runs: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(capsys, "diff", "previous", "latest", "--db", two_runs, "--json")
    assert code == 0
    data = json.loads(out)
    assert [c["subject"] for c in data["results"]["resolved"]] == ["yanta-sw1"]
    assert len(data["results"]["still_failing"]) == 2
    assert [c["device"] for c in data["devices"]["config_changed"]] == ["yanta-fw2"]
    code, out, _ = _cli(capsys, "diff", "20261102", "20261109", "--db", two_runs)
    assert code == 0
    assert "resolved: 1" in out and "MLPS-MGMT-SECURE-PROTOCOLS  yanta-sw1" in out
    assert "fail -> pass" in out
    assert "configs changed: 1" in out and "+interface GigabitEthernet0/0/1" in out


def test_prune_and_errors(two_runs: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli(capsys, "prune", "--db", two_runs)
    assert code == 2 and "--keep" in err
    code, out, _ = _cli(capsys, "prune", "--keep", "1", "--db", two_runs)
    assert code == 0 and "removed 1 run(s)" in out and "20261102-0930-a1" in out
    code, _, err = _cli(capsys, "show", "20261102", "--db", two_runs)
    assert code == 2 and "no run '20261102'" in err
    code, _, err = _cli(capsys, "diff", "latest", "previous", "--db", two_runs)
    assert code == 2 and "no previous finished run" in err
    code, out, _ = _cli(capsys, "prune", "--older-than", "0", "--db", two_runs, "--json")
    assert code == 0 and json.loads(out)["removed"] == ["20261109-0930-b2"]


def test_db_upgrade_creates_a_store(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(capsys, "db", "upgrade", "--db", store_url)
    assert code == 0 and "created store" in out
    code, out, _ = _cli(capsys, "runs", "--db", store_url)
    assert code == 0 and "no runs" in out
