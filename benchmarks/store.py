"""Benchmark: recording, loading and diffing synthetic 5,000-device runs in the store.

Input: nothing (builds ``AuditRun`` values synthetically: N devices in 60 units, a ~9 KB
redacted config each, 13 MLPS results per device with a config-line evidence, 3 unrecognized
lines per device, one plan result per unit). Output: JSON lines and a summary — time to record
run 1 (all snapshots new) and run 2 (2% of configs changed: the rest are already stored), the
database size after each, time to load a run back whole, and time to diff the two runs.
Results go in BENCHMARKS.md, section "Store".

    .venv/bin/python benchmarks/store.py [--devices 5000] [--db URL]   # default: a temp SQLite
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, text  # noqa: E402

from netaudit.pipeline.run import (  # noqa: E402
    AuditRun,
    DeviceRecord,
    DeviceStatus,
    RunStatus,
    UnitInfo,
    UnrecognizedLine,
)
from netaudit.policy.results import ConfigEvidence, Result, Severity, Status  # noqa: E402
from netaudit.store import open_store  # noqa: E402

MLPS_RULES = [
    "MLPS-AUTH-LOGIN",
    "MLPS-AUTH-PASSWORD-POLICY",
    "MLPS-AUTH-LOCKOUT",
    "MLPS-AUTH-IDLE-TIMEOUT",
    "MLPS-MGMT-SECURE-PROTOCOLS",
    "MLPS-MGMT-ACL",
    "MLPS-STORED-SECRETS",
    "MLPS-AUDIT-SYSLOG",
    "MLPS-AUDIT-NTP",
    "MLPS-SNMP",
    "MLPS-BOUNDARY-DEFAULT-DENY",
    "MLPS-BOUNDARY-EXPOSED-SERVICES",
    "MLPS-SERVICES-MINIMAL",
]
STATUSES = [Status.PASS, Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE]


def config(i: int, variant: int) -> str:
    lines = [f"sysname dev{i:05d}", "#", f"clock timezone BJ add 08:00:00 ! v{variant}"]
    for port in range(48):
        lines += [
            f"interface GigabitEthernet0/0/{port}",
            f" description access port {port} of dev{i:05d}",
            f" port default vlan {100 + port % 8}",
            " stp edged-port enable",
            "#",
        ]
    lines += [
        "aaa",
        " local-user admin password irreversible-cipher <redacted>",
        " local-user admin service-type ssh",
        "#",
        "snmp-agent community read <redacted:well-known>",
        f"info-center loghost 10.{i % 250}.0.9",
        "ntp-service unicast-server 10.0.0.1",
        "return",
    ]
    return "\n".join(lines) + "\n"


def result(rule: str, status: Status, unit: str, subject: str, device: str | None) -> Result:
    return Result(
        rule=rule,
        status=status,
        severity=Severity.HIGH if rule.startswith("PLAN") else Severity.MEDIUM,
        unit=unit,
        subject=subject,
        device=device,
        message=f"{rule} {status.value} for {subject}: telnet server enable on vty 0 4",
        clause="8.1.4.1 a",
        responsible=f"{unit} 人民政府",
        deadline=None,
        title_zh="登录须鉴别身份，远程管理须防窃听",
        title_en="Logins are authenticated and remote management is protected",
        remediation_zh="为所有 vty/console 线路配置 AAA 认证，关闭 telnet，只启用 SSHv2。",
        remediation_en="Configure AAA on every vty/console line, disable telnet, use SSHv2.",
        evidence=(
            ConfigEvidence(
                device or subject, f"configs/{subject}.cfg", 17, "user-interface vty 0 4"
            ),
        ),
        pack="mlps-l3-network",
    )


def synthetic(run_id: str, n: int, started: datetime, changed: set[int]) -> AuditRun:
    units = tuple(
        UnitInfo(f"u{k:02d}", f"单位{k:02d}", "district", f"单位{k:02d}政府") for k in range(60)
    )
    devices = []
    results = []
    for i in range(n):
        unit = units[i % len(units)].id
        name = f"dev{i:05d}"
        devices.append(
            DeviceRecord(
                name, unit, "huawei", DeviceStatus.OK, file=f"configs/{name}.cfg",
                config=config(i, 1 if i in changed else 0), hostname=name,
                os_version="V200R019C10", role="access", lines_total=260,
                lines_recognized=250, lines_unsupported=7, lines_unrecognized=3,
                unrecognized=tuple(
                    UnrecognizedLine("other", 200 + k, f"vendor-knob {k} on") for k in range(3)
                ),
            )
        )  # fmt: skip
        for j, rule in enumerate(MLPS_RULES):
            status = STATUSES[(i + j) % len(STATUSES)]
            if i in changed and status is Status.PASS:
                status = Status.FAIL
            results.append(result(rule, status, unit, name, name))
    for u in units:
        results.append(result("PLAN-EXIT-COUNT", Status.PASS, u.id, u.id, None))
    return AuditRun(
        id=run_id, inventory="bench", inventory_path="inventories/bench", mode="offline",
        started_at=started, finished_at=started + timedelta(seconds=40),
        status=RunStatus.COMPLETE, tool_version="0.1.0", units=units,
        devices=tuple(devices), results=tuple(results),
    )  # fmt: skip


def size_of(url: str) -> int | None:
    if not url.startswith("sqlite:///"):
        engine = create_engine(url)
        with engine.connect() as conn:
            size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
        engine.dispose()
        return int(size) if size is not None else None
    path = Path(url.removeprefix("sqlite:///"))
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=5000)
    ap.add_argument("--db", help="database URL (default: a new SQLite file in a temp dir)")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="netaudit-bench-")
    url = args.db or f"sqlite:///{tmp.name}/netaudit.db"
    n = args.devices
    t0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
    changed = set(range(0, n, 50))  # 2%
    run1 = synthetic("bench-1", n, t0, set())
    run2 = synthetic("bench-2", n, t0 + timedelta(days=7), changed)
    out: dict[str, object] = {
        "devices": n,
        "results": len(run1.results),
        "engine": url.split(":")[0],
    }
    with open_store(url) as store:
        start = time.perf_counter()
        store.save_run(run1)
        out["record_run1_s"] = round(time.perf_counter() - start, 2)
        store.close()
        out["db_bytes_after_run1"] = size_of(url)
    with open_store(url) as store:
        start = time.perf_counter()
        store.save_run(run2)
        out["record_run2_s"] = round(time.perf_counter() - start, 2)
        store.close()
        out["db_bytes_after_run2"] = size_of(url)
    with open_store(url) as store:
        start = time.perf_counter()
        back = store.load_run("bench-2")
        out["load_run_s"] = round(time.perf_counter() - start, 2)
        assert back == run2, "round trip changed the run"
        start = time.perf_counter()
        d = store.diff("bench-1", "bench-2")
        out["diff_s"] = round(time.perf_counter() - start, 2)
        out["diff_new"] = len(d.new)
        out["diff_config_changed"] = len(d.config_changed)
        start = time.perf_counter()
        store.history("bench", 10)
        out["history_s"] = round(time.perf_counter() - start, 2)
        start = time.perf_counter()
        store.list_runs()
        out["list_runs_s"] = round(time.perf_counter() - start, 2)
    print(json.dumps(out))
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
