"""Host keys are checked before any password is sent; credentials come from the environment
only, and a missing variable is one clear error naming the profile and the variable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from netaudit.collect.credentials import ssh_credentials
from netaudit.collect.result import CollectStatus, DeviceCollection, load_hosts_override
from netaudit.collect.runner import RunnerOptions, collect_inventory
from netaudit.collect.ssh import KnownHosts, SshOptions
from netaudit.errors import UsageError
from netaudit.inventory import load_inventory
from tests.collect.simfixture import ENV, LIVE, netaudit_env, next_base, run_netaudit, simulate


def _results(hosts: Path, known: KnownHosts, inventory: Path = LIVE) -> dict[str, DeviceCollection]:
    inv = load_inventory(inventory)
    options = RunnerOptions(
        workers=4,
        ssh=SshOptions(known_hosts=known, timeout=10, retries=0),
        hosts=load_hosts_override(hosts),
        hosts_only=True,
        quiet=True,
    )
    results = collect_inventory(inv, [inv.unit("north")], options, environ=ENV)
    return {r.name: r for r in results}


def _collect(hosts: Path, known: KnownHosts) -> dict[str, CollectStatus]:
    return {name: r.status for name, r in _results(hosts, known).items()}


def test_unknown_then_trusted_then_changed_host_keys(tmp_path: Path) -> None:
    base = next_base()
    recorded = tmp_path / "recorded_known_hosts"
    (tmp_path / "a").mkdir()
    with simulate(tmp_path / "a", "--unit", "north", base=base) as sim:
        statuses = _collect(sim.hosts, KnownHosts(recorded))
        assert set(statuses.values()) == {CollectStatus.HOST_KEY_UNKNOWN}
        assert not recorded.exists()
        statuses = _collect(sim.hosts, KnownHosts(recorded, trust_on_first_use=True))
        assert set(statuses.values()) == {CollectStatus.OK}
        assert len(recorded.read_text().splitlines()) == 5
        statuses = _collect(sim.hosts, KnownHosts(recorded))
        assert set(statuses.values()) == {CollectStatus.OK}
    # Same addresses, new host key (the simulator generates one per run): a changed device.
    (tmp_path / "b").mkdir()
    with simulate(tmp_path / "b", "--unit", "north", base=base) as sim:
        statuses = _collect(sim.hosts, KnownHosts(recorded, trust_on_first_use=True))
        assert set(statuses.values()) == {CollectStatus.HOST_KEY_MISMATCH}


def test_missing_variable_names_profile_and_variable() -> None:
    inv = load_inventory(LIVE)
    env = {k: v for k, v in ENV.items() if k != "NETAUDIT_TEST_PASSWORD"}
    with pytest.raises(UsageError, match=r"'default'.*NETAUDIT_TEST_PASSWORD is not set"):
        ssh_credentials(inv.city, "default", env)
    creds = ssh_credentials(inv.city, "rgos", ENV)
    assert ENV["NETAUDIT_TEST_PASSWORD"] not in repr(creds)
    assert ENV["NETAUDIT_TEST_ENABLE"] not in repr(creds)


def test_collect_cli_without_the_variable_exits_2_before_connecting(tmp_path: Path) -> None:
    env = netaudit_env()
    del env["NETAUDIT_TEST_PASSWORD"]
    r = run_netaudit("collect", str(LIVE), "--out", str(tmp_path / "out"), env=env)
    assert r.returncode == 2
    assert "NETAUDIT_TEST_PASSWORD is not set" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


def test_a_device_missing_from_the_hosts_override_is_not_reached(tmp_path: Path) -> None:
    # The library refuses too, not only the CLI: with an override in force, a device without an
    # entry is `not_collected` (never reached at its inventory address), the others collected.
    # Network safety should this guard ever break: the dropped device's inventory address is
    # rewritten to an unserved loopback address, so a regression is `refused`, never a packet
    # to its real 10.255.x.x address.
    inv_dir = tmp_path / "inv"
    shutil.copytree(LIVE, inv_dir)
    with simulate(tmp_path, "--unit", "north", base=next_base()) as sim:
        data = json.loads(sim.hosts.read_text(encoding="utf-8"))
        dropped = sorted(data["devices"])[0]
        del data["devices"][dropped]
        partial = tmp_path / "partial-hosts.json"
        partial.write_text(json.dumps(data), encoding="utf-8")
        unit_file = inv_dir / "units" / "north.yaml"
        lines = unit_file.read_text(encoding="utf-8").splitlines(keepends=True)
        at = next(i for i, line in enumerate(lines) if line.strip() == f"- name: {dropped}")
        host = next(i for i in range(at, len(lines)) if lines[i].strip().startswith("host:"))
        lines[host] = lines[host].split("host:")[0] + "host: 127.254.254.254\n"
        unit_file.write_text("".join(lines), encoding="utf-8")
        kh = KnownHosts(tmp_path / "kh", trust_on_first_use=True)
        results = _results(partial, kh, inv_dir)
    assert results[dropped].status is CollectStatus.NOT_COLLECTED
    assert "not in the hosts override" in results[dropped].message
    assert {r.status for n, r in results.items() if n != dropped} == {CollectStatus.OK}
