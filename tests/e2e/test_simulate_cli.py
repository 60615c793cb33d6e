"""`netaudit simulate` refuses what would make it unsafe or wrong, with one clear message."""

from __future__ import annotations

from pathlib import Path

from tests.collect.simfixture import LIVE, run_netaudit


def test_refuses_a_non_loopback_base_address(tmp_path: Path) -> None:
    r = run_netaudit(
        "simulate", str(LIVE), "--base-address", "10.0.0.0", "--hosts-out", str(tmp_path / "h")
    )
    assert r.returncode == 2
    assert "must be inside 127.0.0.0/8" in r.stderr
    assert not (tmp_path / "h").exists()


def test_refuses_an_unknown_unit_and_faults_for_unknown_devices(tmp_path: Path) -> None:
    r = run_netaudit("simulate", str(LIVE), "--unit", "nowhere", "--hosts-out", str(tmp_path / "h"))
    assert r.returncode == 2 and "--unit nowhere: no such unit" in r.stderr
    faults = tmp_path / "faults.yaml"
    faults.write_text("ghost-r1: {slow: 1}\n", encoding="utf-8")
    r = run_netaudit(
        "simulate", str(LIVE), "--faults", str(faults), "--hosts-out", str(tmp_path / "h")
    )
    assert r.returncode == 2 and "'ghost-r1' is not in the inventory" in r.stderr
    faults.write_text("north-r1: {slowness: 1}\n", encoding="utf-8")
    r = run_netaudit(
        "simulate", str(LIVE), "--faults", str(faults), "--hosts-out", str(tmp_path / "h")
    )
    assert r.returncode == 2 and "slowness" in r.stderr
