"""No secret reaches the store: configs full of canary secrets go through the real pipeline
(vendor parse + redaction, the MLPS rules for evidence) into the store, then every text of
every table — and, for SQLite, every byte of the database file — is searched for the canaries.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import column, create_engine, inspect, select, table

from netaudit.inventory import load_inventory
from netaudit.pipeline.devices import parse_inventory
from netaudit.pipeline.run import AuditRun, DeviceStatus, RunStatus, UnitInfo
from netaudit.policy.context import AuditContext, DeviceFailure
from netaudit.policy.engine import run_rules
from netaudit.policy.pack import load_packs
from netaudit.store import open_store
from netaudit.vendors.base import get_parser
from tests.store.factory import full_run

REPO = Path(__file__).resolve().parents[2]

# One distinctive value per secret form; none may appear anywhere in the database.
IOS_CONFIG = """\
hostname canary-ios
enable secret 5 $1$Cnry01$Kx0aJ5Pq8sWmTqLzVb1
enable password Cnry02EnablePlain
username admin privilege 15 password 0 Cnry03UserPlain
username ops privilege 15 secret 9 $9$Cnry04ScryptHashValue
snmp-server community Cnry05Community RO
snmp-server community private RW
snmp-server host 10.61.1.9 version 2c Cnry06TrapComm
tacacs-server key Cnry07Tacacs
radius-server host 10.61.1.8 key Cnry08Radius
ntp authentication-key 1 md5 Cnry09Ntp
interface GigabitEthernet0/1
 ip address 203.0.113.2 255.255.255.0
 ip ospf authentication-key Cnry10Ospf
 standby 1 authentication Cnry11Hsrp
crypto isakmp key Cnry12Ike address 203.0.113.9
key chain K1
 key 1
  key-string Cnry13KeyString
frobnicate-unknown-feature password Cnry14Unrecognized
line vty 0 4
 password 7 Cnry15VtyType7
 login
 transport input telnet
end
"""

RUIJIE_CONFIG = """\
hostname canary-rg
enable secret 5 $1$Cnry21$RuijieHashValue
enable password Cnry22Enable
username admin password 0 Cnry23User
snmp-server community Cnry24Community ro
line vty 0 4
 password Cnry25Vty
 login
end
"""

VRP_CONFIG = """\
sysname canary-vrp
#
aaa
 local-user admin password irreversible-cipher $1a$Cnry31HashValue$
 local-user ops password cipher Cnry32Cipher
#
snmp-agent community read Cnry33Community
snmp-agent community write cipher Cnry34Write
snmp-agent usm-user v3 u1 authentication-mode sha Cnry35Auth privacy-mode aes128 Cnry36Priv
#
user-interface vty 0 4
 set authentication password cipher Cnry37Vty
#
return
"""

COMWARE_CONFIG = """\
sysname canary-h3c
#
local-user admin class manage
 password hash $h$6$Cnry41Hash
#
local-user ops
 password simple Cnry42Simple
#
snmp-agent community read simple Cnry43Community
#
user-interface vty 0 4
 set authentication password simple Cnry44Vty
#
return
"""

# Platforms whose parser has not landed yet are left out until it does.
CONFIGS = {
    "cisco_ios": IOS_CONFIG,
    "ruijie_os": RUIJIE_CONFIG,
    "huawei": VRP_CONFIG,
    "hp_comware": COMWARE_CONFIG,
}
# Every secret value contains a "CnryNN" token; searching for the token catches any
# fragment of a secret (a hash's salt, a password's first word).
CANARIES = sorted({m for cfg in CONFIGS.values() for m in re.findall(r"Cnry\d\d", cfg)})


def _available(platform: str) -> bool:
    """The platform's parser has landed (packages appear before they export PARSER)."""
    try:
        get_parser(platform)
    except (ImportError, AttributeError):
        return False
    return True


def _inventory(root: Path, platforms: list[str]) -> Path:
    (root / "units").mkdir(parents=True)
    (root / "configs").mkdir()
    (root / "city.yaml").write_text(
        "id: canary\nname: 金丝雀市\nplatforms:\n  intranet: [10.0.0.0/16]\n"
        "  extranet: [172.16.0.0/16]\n"
    )
    devices = []
    for p in platforms:
        name = f"canary-{p.replace('_', '-')}"
        (root / "configs" / f"{name}.cfg").write_text(CONFIGS[p])
        devices.append(f"  - name: {name}\n    platform: {p}\n    config: configs/{name}.cfg\n")
    (root / "units" / "east.yaml").write_text(
        "id: east\nname: 东区\nkind: district\nresponsible: 东区人民政府\n"
        "networks:\n  intranet: [10.61.0.0/16]\n  extranet: [172.21.0.0/16]\n"
        "devices:\n" + "".join(devices)
    )
    return root


def _audit(inv_root: Path) -> AuditRun:
    """An offline audit's run, built from the real pipeline stages."""
    inv = load_inventory(inv_root)
    parsed = parse_inventory(inv, workers=1)
    failures = {
        n: DeviceFailure(r.status.value, r.message or "")
        for n, r in parsed.records.items()
        if r.status is not DeviceStatus.OK
    }
    ctx = AuditContext.build(inv, parsed.models, failures)
    results = run_rules(load_packs([REPO / "policies" / "mlps-l3-network.yaml"]), ctx)
    now = datetime.now(UTC)
    return AuditRun(
        id="canary-run",
        inventory=inv.city.id,
        inventory_path=str(inv_root),
        mode="offline",
        started_at=now,
        finished_at=now,
        status=RunStatus.COMPLETE,
        tool_version="0.1.0",
        units=tuple(UnitInfo(u.id, u.name, u.kind.value, u.responsible) for u in inv.units),
        devices=tuple(parsed.records.values()),
        results=tuple(results),
    )


def _every_text(url: str) -> Iterator[tuple[str, str]]:
    """(table.column, text) for every value of every column of every table."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            for name in inspect(conn).get_table_names():
                cols = [c["name"] for c in inspect(conn).get_columns(name)]
                t = table(name, *[column(c) for c in cols])
                for row in conn.execute(select(t)):
                    for col, value in zip(cols, row, strict=True):
                        rendered = (
                            value
                            if isinstance(value, str)
                            else json.dumps(value, ensure_ascii=False, default=str)
                        )
                        yield f"{name}.{col}", rendered
    finally:
        engine.dispose()


def _leaks(url: str, canaries: list[str]) -> list[str]:
    found = []
    seen_any = False
    for where, value in _every_text(url):
        if "<redacted" in value:
            seen_any = True
        found.extend(f"{c} in {where}" for c in canaries if c in value)
    assert seen_any, "the dump saw no redacted config: it is not looking at the stored data"
    return found


def test_dump_sees_every_stored_text(store_url: str) -> None:
    """The dump used below finds a value planted in each kind of stored text."""
    run = full_run()
    marker = "Plant3dMarker"
    dev = dataclasses.replace(
        run.devices[0],
        config=f"sysname x\nsnmp-agent community read <redacted>\n! {marker}cfg\n",
        unrecognized=(dataclasses.replace(run.devices[0].unrecognized[0], text=marker + "un"),),
    )
    res = dataclasses.replace(run.results[2], message=marker + "msg")
    run = dataclasses.replace(run, devices=(dev, *run.devices[1:]), results=(res, *run.results[1:]))
    with open_store(store_url) as store:
        store.save_run(run)
    leaks = _leaks(store_url, [marker + "cfg", marker + "un", marker + "msg"])
    assert sorted(leaks) == sorted(
        [
            f"{marker}cfg in config_snapshots.text",
            f"{marker}un in unrecognized_lines.text",
            f"{marker}msg in run_results.message",
        ]
    )


def test_no_canary_secret_anywhere_in_the_store(store_url: str, tmp_path: Path) -> None:
    platforms = [p for p in CONFIGS if _available(p)]
    if not platforms:
        pytest.skip("no vendor parser with canary configs is available yet")
    run = _audit(_inventory(tmp_path / "inv", platforms))
    assert all(d.status is DeviceStatus.OK for d in run.devices), run.devices
    assert any(r.evidence for r in run.results)  # config lines made it into evidence
    with open_store(store_url) as store:
        store.save_run(run)
        assert store.load_run("canary-run") == run
    canaries = [c for c in CANARIES if any(c in CONFIGS[p] for p in platforms)]
    assert len(canaries) >= 10
    assert _leaks(store_url, canaries) == []
    if store_url.startswith("sqlite:///"):
        raw = Path(store_url.removeprefix("sqlite:///")).read_bytes()
        assert [c for c in canaries if c.encode() in raw] == []
