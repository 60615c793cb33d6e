"""The simulator is a real SSH server speaking each platform's CLI, and `netaudit collect` gets
every served config back over real SSH (netmiko), redacted, with its routing table."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from netaudit.collect.routes import parse_routing_table
from netaudit.inventory import load_inventory
from netaudit.vendors.base import get_parser
from tests.collect.simfixture import ENV, LIVE, SECRETS, Running, run_netaudit, simulate

SSH = shutil.which("ssh")

# CI (.ci/run) installs openssh-client and sets NETAUDIT_REQUIRE_ORACLES=1: there a missing
# client is a failure, not a skip.
if SSH is None and os.environ.get("NETAUDIT_REQUIRE_ORACLES") == "1":
    raise RuntimeError("OpenSSH client `ssh` is required (apt-get install openssh-client)")
needs_ssh = pytest.mark.skipif(
    SSH is None, reason="OpenSSH client `ssh` not installed (apt-get install openssh-client)"
)


@pytest.fixture(scope="module")
def north(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with simulate(tmp_path_factory.mktemp("sim"), "--unit", "north") as running:
        yield running


def _target(running: Running, name: str) -> tuple[str, int]:
    doc = json.loads(running.hosts.read_text())
    entry = doc["devices"][name]
    return entry["host"], entry["ssh_port"]


def _ssh(
    running: Running,
    name: str,
    tmp: Path,
    command: str | None = None,
    *,
    tty: bool = False,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    host, port = _target(running, name)
    askpass = tmp / "askpass.sh"
    askpass.write_text(f"#!/bin/sh\necho '{ENV['NETAUDIT_TEST_PASSWORD']}'\n")
    askpass.chmod(0o700)
    assert SSH is not None
    return subprocess.run(
        [
            SSH,
            "-F",
            "/dev/null",
            "-o",
            f"UserKnownHostsFile={running.known_hosts}",
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            "PreferredAuthentications=password",
            "-o",
            "PubkeyAuthentication=no",
            "-o",
            "ConnectTimeout=10",
            "-p",
            str(port),
            *(["-tt"] if tty else []),
            f"{ENV['NETAUDIT_TEST_USER']}@{host}",
            *([command] if command else []),
        ],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "SSH_ASKPASS": str(askpass),
            "SSH_ASKPASS_REQUIRE": "force",
            "DISPLAY": "none",
            "PATH": "/usr/bin:/bin",
        },
        check=False,
    )


@needs_ssh
def test_openssh_exec_gets_the_config(north: Running, tmp_path: Path) -> None:
    served = (LIVE / "configs" / "north-fw1.cfg").read_text(encoding="utf-8")
    r = _ssh(north, "north-fw1", tmp_path, "display current-configuration")
    assert r.returncode == 0, r.stderr
    assert r.stdout.replace("\r\n", "\n").strip() == served.strip()


@needs_ssh
def test_openssh_exec_unknown_command_gets_the_platform_error(
    north: Running, tmp_path: Path
) -> None:
    r = _ssh(north, "north-r1", tmp_path, "shw running-config")
    assert "% Invalid input detected at '^' marker." in r.stdout
    r = _ssh(north, "north-fw1", tmp_path, "dispaly version")
    assert "Error: Unrecognized command found at '^' position." in r.stdout


@needs_ssh
def test_openssh_interactive_session_pages_until_paging_is_off(
    north: Running, tmp_path: Path
) -> None:
    # A pty session fed from a pipe: page once and quit the pager, turn paging off, page-free
    # output, log out. The device answers like VRP: banner, `<name>` prompt, More marker.
    script = (
        "display current-configuration\n"
        "q"
        "screen-length 0 temporary\n"
        "display ip routing-table\n"
        "quit\n"
    )
    r = _ssh(north, "north-fw1", tmp_path, tty=True, stdin=script)
    out = r.stdout.replace("\r\n", "\n")
    assert "Authorized access only" in out  # the configured login banner
    assert "<north-fw1>" in out
    assert "---- More ----" in out
    assert "Info: The configuration takes effect on the current user terminal" in out
    assert "Destination/Mask" in out
    table = out.split("display ip routing-table\n", 1)[1].rsplit("<north-fw1>", 1)[0]
    routes = {r.prefix.with_prefixlen for r in parse_routing_table(table, "huawei")}
    assert {"0.0.0.0/0", "172.21.0.0/16", "203.0.113.0/30"} <= routes
    assert "172.21.254.0/24" not in routes  # its interface is shut down


def test_collect_gets_every_served_config_redacted(north: Running, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = run_netaudit(
        "collect",
        str(LIVE),
        "--unit",
        "north",
        "--out",
        str(out),
        "--hosts-override",
        str(north.hosts),
        "--known-hosts",
        str(north.known_hosts),
    )
    assert r.returncode == 0, r.stderr
    assert "5 devices: 5 collected, 0 not collected" in r.stdout
    inv = load_inventory(LIVE)
    for spec in inv.unit("north").devices:
        assert spec.config is not None
        served = (LIVE / spec.config).read_text(encoding="utf-8")
        expected = get_parser(spec.platform).redact(served)
        got = (out / "configs" / f"{spec.name}.cfg").read_text(encoding="utf-8")
        assert [line.rstrip() for line in got.strip().splitlines()] == [
            line.rstrip() for line in expected.strip().splitlines()
        ], spec.name
        routes = parse_routing_table(
            (out / "state" / f"{spec.name}.routes").read_text(encoding="utf-8"), spec.platform
        )
        assert any(r.prefix.prefixlen == 0 for r in routes), spec.name  # the default route
    doc = json.loads((out / "collection.json").read_text(encoding="utf-8"))
    assert {d["name"]: d["status"] for d in doc["devices"]} == {
        s.name: "ok" for s in inv.unit("north").devices
    }
    everything = (
        r.stdout
        + r.stderr
        + "".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file())
    )
    for secret in SECRETS:
        assert secret not in everything
    # The configs' own secrets are redacted too.
    assert "N0rthR0" not in everything and "$9$nhEmQVczB7dqsO" not in everything
