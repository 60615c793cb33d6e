"""The SNMP collector against the simulator's agent and against Debian's real snmpd, v2c and v3
authPriv; and the cross-check of SNMP facts against the config."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from ipaddress import IPv4Interface
from pathlib import Path

import pytest

from netaudit.collect.credentials import SnmpCredentials
from netaudit.collect.result import CollectStatus, NoteKind, SnmpFacts
from netaudit.collect.routes import route_keys
from netaudit.collect.snmp import SnmpTarget, collect_snmp, collect_snmp_async, cross_check
from netaudit.errors import CollectError
from netaudit.model import Platform, RibRoute
from netaudit.simulate.mib import build_mib
from netaudit.simulate.render import device_rib, sys_descr
from netaudit.simulate.snmp_agent import AgentConfig, UsmUser, engine_id_for, serve_agent
from tests.collect.devices import sample_device

V2C = SnmpCredentials("snmp-v2", "v2c", community="c0mm-test")
V3 = SnmpCredentials("snmp-v3", "v3", user="audit", auth_key="auth-pass-1", priv_key="priv-pass-1")
HOST = f"127.77.{os.getpid() % 250}.1"


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _with_agent(
    creds: SnmpCredentials, *, silent: bool = False, platform: Platform = Platform.HUAWEI
) -> SnmpFacts:
    device = sample_device(platform)
    mib = build_mib(device, device_rib(device), sys_descr(device))
    engine = engine_id_for(device.name)
    cfg = AgentConfig(mib, engine, community=b"c0mm-test", silent=silent)
    user = UsmUser.create("audit", "auth-pass-1", "priv-pass-1", engine)
    cfg.users[user.name] = user
    port = _free_udp_port()
    transport = await serve_agent(cfg, HOST, port)
    try:
        return await collect_snmp_async(SnmpTarget("r1", HOST, port), creds, 0.5, 0)
    finally:
        transport.close()


@pytest.mark.parametrize("creds", [V2C, V3], ids=["v2c", "v3"])
def test_simulated_agent_answers_what_the_config_says(creds: SnmpCredentials) -> None:
    facts = asyncio.run(_with_agent(creds))
    device = sample_device(Platform.HUAWEI)
    assert facts.sys_name == "r1"
    assert facts.sys_descr is not None and facts.sys_descr.startswith("Huawei Versatile")
    by_name = {i.name: i for i in facts.interfaces}
    assert list(by_name)[: len(device.interfaces)] == list(device.interfaces)
    assert by_name["GigabitEthernet0/0/2"].admin_up is False  # `shutdown` in the config
    assert by_name["Vlanif10"].admin_up is True
    assert by_name["Vlanif10"].addresses == (IPv4Interface("172.21.10.1/24"),)

    # ipCidrRouteProto has no "local": own addresses come back as connected (proto local(2)).
    def norm(routes: Iterable[RibRoute]) -> list[RibRoute]:
        return [
            replace(r, protocol="connected" if r.protocol == "local" else r.protocol)
            for r in routes
        ]

    assert route_keys(norm(facts.routes)) == route_keys(norm(device_rib(device)))
    assert cross_check(facts, device) == []


def test_wrong_v3_key_is_auth_failed() -> None:
    bad = replace(V3, auth_key="not-the-key")
    with pytest.raises(CollectError) as info:
        asyncio.run(_with_agent(bad))
    assert info.value.status == CollectStatus.AUTH_FAILED
    assert "not-the-key" not in str(info.value)


@pytest.mark.parametrize(
    ("creds", "silent"),
    [(replace(V2C, community="wrong"), False), (V2C, True)],
    ids=["wrong-community", "silent-agent"],
)
def test_no_answer_is_timeout(creds: SnmpCredentials, silent: bool) -> None:
    with pytest.raises(CollectError) as info:
        asyncio.run(_with_agent(creds, silent=silent))
    assert info.value.status == CollectStatus.TIMEOUT
    assert "no SNMP answer" in str(info.value)


def test_cross_check_flags_an_interface_up_in_snmp_but_shut_in_config() -> None:
    running = sample_device(Platform.CISCO_IOS)
    running.interfaces["GigabitEthernet0/1"].shutdown = False  # what the device really runs
    mib = build_mib(running, device_rib(running), sys_descr(running))

    async def go() -> SnmpFacts:
        cfg = AgentConfig(mib, engine_id_for("r1"), community=b"c0mm-test")
        port = _free_udp_port()
        transport = await serve_agent(cfg, HOST, port)
        try:
            return await collect_snmp_async(SnmpTarget("r1", HOST, port), V2C, 0.5, 0)
        finally:
            transport.close()

    facts = asyncio.run(go())
    notes = cross_check(facts, sample_device(Platform.CISCO_IOS))
    kinds = {(n.kind, n.interface) for n in notes}
    assert (NoteKind.UP_BUT_SHUT, "GigabitEthernet0/1") in kinds
    assert all(n.interface == "GigabitEthernet0/1" for n in notes)


@pytest.mark.skipif(
    shutil.which("snmpwalk") is None,
    reason="net-snmp `snmpwalk` not installed (apt-get install snmp)",
)
def test_net_snmp_client_walks_the_simulated_agent_v3() -> None:
    async def go() -> str:
        device = sample_device(Platform.HP_COMWARE)
        mib = build_mib(device, device_rib(device), sys_descr(device))
        engine = engine_id_for(device.name)
        cfg = AgentConfig(mib, engine)
        user = UsmUser.create("audit", "auth-pass-1", "priv-pass-1", engine)
        cfg.users[user.name] = user
        port = _free_udp_port()
        transport = await serve_agent(cfg, HOST, port)
        try:
            proc = await asyncio.create_subprocess_exec(
                "snmpwalk",
                "-v3",
                "-l",
                "authPriv",
                "-u",
                "audit",
                "-a",
                "SHA",
                "-A",
                "auth-pass-1",
                "-x",
                "AES",
                "-X",
                "priv-pass-1",
                "-On",
                "-t",
                "2",
                "-r",
                "0",
                f"{HOST}:{port}",
                "1.3.6.1.2.1.31.1.1.1.1",
                stdout=asyncio.subprocess.PIPE,
            )
            out, _ = await proc.communicate()
            return out.decode()
        finally:
            transport.close()

    out = asyncio.run(go())
    assert '"Vlan-interface10"' in out and '"Ten-GigabitEthernet1/0/49"' in out


# --------------------------------------------------------------------------- Debian snmpd

SNMPD = shutil.which("snmpd") or ("/usr/sbin/snmpd" if Path("/usr/sbin/snmpd").exists() else None)


@pytest.fixture(scope="module")
def snmpd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    if SNMPD is None:
        if os.environ.get("NETAUDIT_REQUIRE_ORACLES") == "1":
            pytest.fail("snmpd is required (apt-get install snmpd)")
        pytest.skip("Debian's snmpd not installed (apt-get install snmpd)")
    tmp = tmp_path_factory.mktemp("snmpd")
    port = _free_udp_port()
    conf = tmp / "snmpd.conf"
    conf.write_text(
        f"agentAddress udp:127.0.0.1:{port}\n"
        "rocommunity c0mm-test 127.0.0.1\n"
        'createUser audit SHA-256 "auth-pass-1" AES "priv-pass-1"\n'
        "rouser audit priv\n",
        encoding="utf-8",
    )
    env = dict(os.environ, SNMP_PERSISTENT_DIR=str(tmp / "persist"), MIBS="")
    proc = subprocess.Popen(
        [SNMPD, "-f", "-C", "-c", str(conf), "-Lf", str(tmp / "snmpd.log"), "-p", str(tmp / "pid")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                collect_snmp(SnmpTarget("snmpd", "127.0.0.1", port), V2C, 0.3, 0)
                break
            except CollectError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    log = (
                        (tmp / "snmpd.log").read_text(errors="replace")
                        if (tmp / "snmpd.log").exists()
                        else ""
                    )
                    pytest.fail(f"snmpd did not answer: {log[-2000:]}")
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize(
    "creds",
    [V2C, replace(V3, auth_protocol="SHA-256", priv_protocol="AES")],
    ids=["v2c", "v3-sha256-aes"],
)
def test_real_snmpd_is_read(snmpd: int, creds: SnmpCredentials) -> None:
    facts = collect_snmp(SnmpTarget("snmpd", "127.0.0.1", snmpd), creds, 2.0, 1)
    assert facts.sys_descr is not None and facts.sys_descr.startswith("Linux")
    assert facts.sys_name == socket.gethostname()
    lo = next(i for i in facts.interfaces if i.name == "lo")
    assert lo.admin_up is True
    assert IPv4Interface("127.0.0.1/8") in lo.addresses


def test_real_snmpd_rejects_a_wrong_v3_key(snmpd: int) -> None:
    bad = replace(V3, auth_protocol="SHA-256", auth_key="wrong-key-123")
    with pytest.raises(CollectError) as info:
        collect_snmp(SnmpTarget("snmpd", "127.0.0.1", snmpd), bad, 1.0, 0)
    assert info.value.status == CollectStatus.AUTH_FAILED
