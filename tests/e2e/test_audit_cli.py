"""audit / trace / report / parse through the CLI: exit codes of SPEC §7, incomplete runs,
--unit, the store between runs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
MINI = ROOT / "tests" / "inventories" / "mini"
XIAN = ROOT / "inventories" / "xian"


def netaudit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netaudit", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=cwd,
    )


@pytest.fixture
def broken_unit(tmp_path: Path) -> Path:
    """The mini inventory with every device of unit 'west' unparsable (a binary file)."""
    inv = tmp_path / "inv"
    shutil.copytree(MINI, inv)
    (inv / "configs" / "west-r1.cfg").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    return inv


def test_incomplete_audit_exits_3_and_reports_unknown(broken_unit: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    db = f"sqlite:///{tmp_path / 's.db'}"
    r = netaudit("audit", str(broken_unit), "--out", str(out), "--db", db)
    assert r.returncode == 3, r.stderr
    assert "west-r1: parse_failed" in r.stdout
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    west = [x for x in doc["results"] if x["unit"] == "west" and x["device"] == "west-r1"]
    assert west and all(x["status"] == "unknown" for x in west)
    assert "binary file" in west[0]["message"]
    # The other unit was still audited.
    east = [x for x in doc["results"] if x["unit"] == "east"]
    assert any(x["status"] in ("pass", "fail") for x in east)
    assert doc["run"]["status"] == "incomplete"
    r2 = netaudit(
        "audit",
        str(broken_unit),
        "--out",
        str(out),
        "--db",
        db,
        "--allow-incomplete",
        "--fail-on",
        "critical",
    )
    assert r2.returncode in (0, 1)
    runs = json.loads(netaudit("runs", "--db", db, "--json").stdout)
    assert len(runs) == 2


def test_fail_on_threshold(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    r = netaudit(
        "audit", str(XIAN), "--unit", "weiyang", "--out", str(tmp_path / "o"), "--db", db, "--quiet"
    )
    assert r.returncode == 1
    doc = json.loads((tmp_path / "o" / "findings.json").read_text(encoding="utf-8"))
    assert {x["unit"] for x in doc["results"]} == {"weiyang"}
    sev = {x["severity"] for x in doc["results"] if x["status"] == "fail"}
    assert "critical" not in sev or r.returncode == 1
    r = netaudit(
        "audit",
        str(XIAN),
        "--unit",
        "zhouzhi",
        "--out",
        str(tmp_path / "o2"),
        "--db",
        db,
        "--quiet",
    )
    assert r.returncode == 0, r.stdout  # a clean county


def test_bad_options_exit_2(tmp_path: Path) -> None:
    r = netaudit("audit", str(MINI), "--fail-on", "severe", "--no-store")
    assert r.returncode == 2 and "--fail-on 'severe'" in r.stderr
    r = netaudit("audit", str(MINI), "--unit", "nowhere", "--no-store")
    assert r.returncode == 2 and "--unit nowhere: no such unit" in r.stderr
    r = netaudit("audit", str(tmp_path / "missing"))
    assert r.returncode == 2 and "not an inventory folder" in r.stderr


def test_report_rerenders_a_stored_run(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    assert netaudit(
        "audit", str(MINI), "--db", db, "--out", str(tmp_path / "a"), "--quiet"
    ).returncode in (0, 1)
    r = netaudit("report", "--db", db, "--out", str(tmp_path / "b"), "--lang", "en")
    assert r.returncode == 0, r.stderr
    a = json.loads((tmp_path / "a" / "findings.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "b" / "findings.json").read_text(encoding="utf-8"))
    assert a == b
    assert "Findings" in (tmp_path / "b" / "east.html").read_text(encoding="utf-8")


def test_report_reads_only_city_yaml_of_the_inventory(tmp_path: Path) -> None:
    """The city's name on the re-rendered overview comes from city.yaml alone: a unit file
    edited into invalid YAML since the run does not take it away (the whole inventory used to
    be loaded, and any problem in it dropped the name)."""
    inv = tmp_path / "inv"
    shutil.copytree(MINI, inv)
    db = f"sqlite:///{tmp_path / 's.db'}"
    r = netaudit("audit", str(inv), "--db", db, "--out", str(tmp_path / "a"), "--quiet")
    assert r.returncode in (0, 1), r.stderr
    (inv / "units" / "west.yaml").write_text("id: [west\n", encoding="utf-8")
    r = netaudit("report", "--db", db, "--out", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "b" / "index.html").read_text(encoding="utf-8")
    assert "<h1>迷你市 · " in page


def test_trace_prints_paths_and_json() -> None:
    r = netaudit("trace", str(XIAN), "--src", "172.17.172.20", "--dst", "198.51.100.7")
    assert r.returncode == 0, r.stderr
    assert "exits_network" in r.stdout
    assert "weiyang-rogue in GigabitEthernet0/0/0 out GigabitEthernet0/0/1" in r.stdout
    assert "configs/weiyang-rogue.cfg:52" in r.stdout
    r = netaudit("trace", str(XIAN), "--src", "172.17.172.20", "--dst", "198.51.100.7", "--json")
    doc = json.loads(r.stdout)
    assert doc["paths"][0]["disposition"] == "exits_network"
    r = netaudit("trace", str(XIAN), "--src", "nope", "--dst", "198.51.100.7")
    assert r.returncode == 2 and "--src 'nope'" in r.stderr


def test_parse_command(tmp_path: Path) -> None:
    cfg = XIAN / "configs" / "yanta-core.cfg"  # GBK-encoded, detected as huawei
    r = netaudit("parse", str(cfg), "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["platform"] == "huawei" and doc["hostname"] == "yanta-core"
    assert doc["coverage"]["unrecognized"] == 0
    junk = tmp_path / "junk.cfg"
    junk.write_bytes(b"\x00\xff" * 100)
    r = netaudit("parse", str(junk), "--platform", "cisco_ios")
    assert r.returncode == 2 and "binary" in r.stderr and "Traceback" not in r.stderr
