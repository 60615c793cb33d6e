"""One run of `netaudit collect` against simulated devices with one fault each: every faulty
device gets the status an engineer needs to act on, the healthy ones are collected, the run
completes with exit 3 (incomplete)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.collect.simfixture import LIVE, run_netaudit, simulate

FAULTS = """
f-wrongpw: {wrong_password: true}
f-slow: {slow: 4}
f-drop: {disconnect_mid_output: true}
f-garbage: {garbage_output: true}
f-paging: {endless_paging: true}
f-snmp-silent: {snmp_silent: true}
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, dict[str, Any], Path]]:
    tmp = tmp_path_factory.mktemp("faults")
    with simulate(tmp, faults=FAULTS) as sim:
        out = tmp / "out"
        r = run_netaudit(
            "collect",
            str(LIVE),
            "--out",
            str(out),
            "--json",
            "--quiet",
            "--hosts-override",
            str(sim.hosts),
            "--known-hosts",
            str(sim.known_hosts),
            "--timeout",
            "2",
            "--connect-timeout",
            "5",
            "--retries",
            "1",
            "--snmp-timeout",
            "0.5",
        )
        assert r.returncode in (0, 3), r.stderr
        devices = {d["name"]: d for d in json.loads(r.stdout)}
        yield r.returncode, devices, out


def _healthy_collected(devices: dict[str, Any]) -> None:
    for name in ("north-fw1", "north-core", "north-dc", "north-r1", "north-sw1"):
        assert devices[name]["status"] == "ok", devices[name]["message"]


def test_run_completes_incomplete(run: tuple[int, dict[str, Any], Path]) -> None:
    code, devices, out = run
    assert code == 3
    assert len(devices) == 11
    _healthy_collected(devices)
    assert (out / "configs" / "north-fw1.cfg").is_file()


def test_wrong_password_is_auth_failed_and_not_retried(
    run: tuple[int, dict[str, Any], Path],
) -> None:
    _, devices, _ = run
    d = devices["f-wrongpw"]
    assert d["status"] == "auth_failed"
    assert "login refused" in d["message"] and "'default'" in d["message"]
    assert d["transports"][0]["attempts"] == 1  # retrying a refused login risks a lockout
    _healthy_collected(devices)


def test_slow_device_times_out_after_bounded_retries(run: tuple[int, dict[str, Any], Path]) -> None:
    _, devices, _ = run
    d = devices["f-slow"]
    assert d["status"] == "timeout"
    assert d["transports"][0]["attempts"] == 2
    _healthy_collected(devices)


def test_disconnect_mid_output_is_disconnected(run: tuple[int, dict[str, Any], Path]) -> None:
    _, devices, out = run
    d = devices["f-drop"]
    assert d["status"] == "disconnected"
    assert "closed the session during `display current-configuration`" in d["message"]
    assert d["transports"][0]["attempts"] == 2
    assert not (out / "configs" / "f-drop.cfg").exists()  # half a config is no config
    _healthy_collected(devices)


def test_garbage_output_is_bad_output(run: tuple[int, dict[str, Any], Path]) -> None:
    _, devices, out = run
    d = devices["f-garbage"]
    assert d["status"] == "bad_output"
    assert "display current-configuration" in d["message"]
    assert not (out / "configs" / "f-garbage.cfg").exists()
    _healthy_collected(devices)


def test_endless_paging_is_bad_output(run: tuple[int, dict[str, Any], Path]) -> None:
    _, devices, _ = run
    d = devices["f-paging"]
    assert d["status"] == "bad_output"
    assert "paging" in d["message"]
    _healthy_collected(devices)


def test_snmp_silence_keeps_the_config_and_says_snmp_timed_out(
    run: tuple[int, dict[str, Any], Path],
) -> None:
    _, devices, out = run
    d = devices["f-snmp-silent"]
    assert d["status"] == "timeout"
    by = {t["transport"]: t for t in d["transports"]}
    assert by["ssh"]["status"] == "ok" and by["snmp"]["status"] == "timeout"
    assert "no SNMP answer" in d["message"]
    assert d["snmp"] is None
    assert (out / "configs" / "f-snmp-silent.cfg").is_file()
    _healthy_collected(devices)
