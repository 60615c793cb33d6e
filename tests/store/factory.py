"""AuditRun builders for the store tests: a small run with every field set, and synthetic ones.

Configs here are already redacted (``<redacted>`` markers), like ``DeviceRecord.config`` from
the pipeline; ``test_canary.py`` also builds records through the real vendor redaction.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from ipaddress import IPv4Address

from netaudit.pipeline.run import (
    AuditRun,
    DeviceRecord,
    DeviceStatus,
    ExitRecord,
    RunStatus,
    UnitInfo,
    UnrecognizedLine,
)
from netaudit.policy.context import ForwardingHost, ProbeObservation
from netaudit.policy.results import (
    ConfigEvidence,
    NoteEvidence,
    PathEvidence,
    PathHop,
    ProbeEvidence,
    Result,
    Severity,
    Status,
)

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 2, 9, 30, 15, 123456, tzinfo=CST)

UNITS = (
    UnitInfo("yanta", "雁塔区", "district", "雁塔区人民政府"),
    UnitInfo("beilin", "碑林区", "district", "碑林区人民政府"),
    UnitInfo("fgw", "市发改委", "department", "西安市发展和改革委员会", campus="outside"),
)


def config(name: str, variant: int = 0) -> str:
    lines = [
        f"sysname {name}",
        "#",
        f"interface GigabitEthernet0/0/{variant}",
        f" description uplink {name}",
        " ip address 10.61.0.1 255.255.255.0",
        "#",
        "local-user admin password irreversible-cipher <redacted>",
        "snmp-agent community read <redacted:well-known>",
        "#",
        "return",
    ]
    return "\n".join(lines) + "\n"


def result(
    rule: str,
    status: Status,
    unit: str | None,
    subject: str,
    *,
    severity: Severity = Severity.HIGH,
    device: str | None = None,
    message: str | None = None,
    evidence: tuple[object, ...] = (),
    clause: str = "二(一)3",
    pack: str | None = "xian-egov-plan",
) -> Result:
    return Result(
        rule=rule,
        status=status,
        severity=severity,
        unit=unit,
        subject=subject,
        device=device,
        message=message or f"{rule} {status.value} for {subject}",
        clause=clause,
        responsible="雁塔区人民政府" if unit == "yanta" else None,
        deadline="2017-06-30" if rule.startswith("PLAN") else None,
        title_zh=f"{rule} 标题",
        title_en=f"{rule} title",
        remediation_zh="整改",
        remediation_en="Remediate",
        evidence=evidence,  # type: ignore[arg-type]
        pack=pack,
    )


def full_run(
    run_id: str = "20261102T093015-aaaa",
    *,
    started: datetime = T0,
    variant: int = 0,
    inventory: str = "xian",
    status: RunStatus = RunStatus.INCOMPLETE,
) -> AuditRun:
    """A small run where every stored field has a non-default value somewhere."""
    cfg_ev = ConfigEvidence(
        "yanta-fw2", "configs/yanta-fw2.cfg", 41, "ip route-static 0.0.0.0 0.0.0.0 203.0.113.9"
    )
    path = PathEvidence(
        "exits_network",
        "yanta-fw2:GigabitEthernet1/0/1",
        (
            PathHop("yanta-core", "Vlanif10", "GigabitEthernet0/0/1", detail="static 0.0.0.0/0"),
            PathHop("yanta-fw2", "GigabitEthernet1/0/2", "GigabitEthernet1/0/1"),
        ),
        src="172.21.10.10",
        dst="198.51.100.7",
        detail="permitted by rule 5",
    )
    devices = (
        DeviceRecord(
            "yanta-fw2",
            "yanta",
            "huawei",
            DeviceStatus.OK,
            file="configs/yanta-fw2.cfg",
            config=config("yanta-fw2", variant),
            hostname="yanta-fw2",
            os_version="V500R005C00",
            role="firewall",
            lines_total=10,
            lines_recognized=7,
            lines_unsupported=1,
            lines_unrecognized=2,
            truncated=True,
            unrecognized=(
                UnrecognizedLine("interface", 3, "weird-knob 7"),
                UnrecognizedLine("other", 9, "frobnicate on"),
            ),
        ),
        DeviceRecord(
            "yanta-sw1",
            "yanta",
            "hp_comware",
            DeviceStatus.OK,
            file="configs/yanta-sw1.cfg",
            config=config("shared-template"),  # same text as beilin-sw1: one snapshot
        ),
        DeviceRecord(
            "beilin-sw1",
            "beilin",
            "hp_comware",
            DeviceStatus.OK,
            file="configs/beilin-sw1.cfg",
            config=config("shared-template"),
        ),
        DeviceRecord(
            "beilin-core",
            "beilin",
            "cisco_ios",
            DeviceStatus.PARSE_FAILED,
            message="configs/beilin-core.cfg: binary file",
            file="configs/beilin-core.cfg",
        ),
    )
    exits = (
        ExitRecord(
            "yanta",
            "yanta-fw1",
            "GigabitEthernet1/0/1",
            "yanta-ct",
            ("public_address",),
            group="ct-line",
            isp="中国电信",
        ),
        ExitRecord(
            "yanta",
            "yanta-fw2",
            "GigabitEthernet1/0/1",
            None,
            ("default_route", "nat_outbound"),
            evidence=(cfg_ev,),
            source="probe",
        ),
        ExitRecord(None, "orphan-r1", "Dialer0", None, ("dialer",)),
    )
    probes = (
        ProbeObservation(
            "yanta-office-1",
            "yanta",
            observed_sources=(IPv4Address("203.0.113.2"), IPv4Address("203.0.113.9")),
            forwarders=(
                ForwardingHost(
                    IPv4Address("172.21.10.99"), "00:11:22:33:44:55", IPv4Address("203.0.113.77")
                ),
                ForwardingHost(IPv4Address("172.21.10.98")),
            ),
        ),
        ProbeObservation("yanta-office-2", "yanta", forwarders=()),
        ProbeObservation("beilin-office-1", "beilin", error="not root"),
    )
    results = (
        result(
            "PLAN-EXIT-COUNT",
            Status.FAIL,
            "yanta",
            "yanta",
            message="3 internet exits found, at most 2 allowed",
            evidence=(cfg_ev, path, ProbeEvidence("yanta-office-1", "203.0.113.9", "seen")),
        ),
        result("PLAN-EXIT-COUNT", Status.PASS, "beilin", "beilin"),
        result(
            "MLPS-MGMT-SECURE-PROTOCOLS",
            Status.FAIL,
            "yanta",
            "yanta-sw1",
            device="yanta-sw1",
            severity=Severity.MEDIUM,
            clause="8.1.4.1 c",
            pack="mlps-l3-network",
            evidence=(
                ConfigEvidence("yanta-sw1", "configs/yanta-sw1.cfg", 7, "telnet server enable"),
            ),
        ),
        result(
            "MLPS-AUDIT-NTP",
            Status.UNKNOWN,
            "beilin",
            "beilin-core",
            device="beilin-core",
            severity=Severity.LOW,
            clause="8.1.4.3 b",
            pack="mlps-l3-network",
            evidence=(NoteEvidence("section ntp has unrecognized lines"),),
        ),
        result(
            "PLAN-EXIT-DECLARED",
            Status.FAIL,
            None,
            "orphan-r1:Dialer0",
            severity=Severity.CRITICAL,
            pack=None,
        ),
        result("MLPS-SNMP", Status.NOT_APPLICABLE, "fgw", "fgw", severity=Severity.INFO),
        result("MLPS-SNMP", Status.ERROR, "fgw", "fgw-core", severity=Severity.INFO),
    )
    return AuditRun(
        id=run_id,
        inventory=inventory,
        inventory_path="inventories/xian",
        mode="offline",
        started_at=started,
        finished_at=started + timedelta(seconds=42, microseconds=7),
        status=status,
        tool_version="0.1.0",
        units=UNITS,
        devices=devices,
        exits=exits,
        probes=probes,
        results=results,
        notes=("device beilin-core not parsed",),
    )


def synthetic_run(
    run_id: str,
    n_devices: int,
    *,
    started: datetime | None = None,
    changed: frozenset[int] = frozenset(),
    shared_configs: bool = False,
) -> AuditRun:
    """A run of ``n_devices`` devices, 4 results each; devices in ``changed`` differ
    (another config, and MLPS-AUDIT-NTP fails instead of passing)."""
    when = started or datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
    devices = []
    results = []
    for i in range(n_devices):
        unit = ("yanta", "beilin", "fgw")[i % 3]
        name = f"dev{i:05d}"
        # shared_configs: device i has the same config in every run built this way.
        text = config(f"cfg{i}" if shared_configs else name, 1 if i in changed else 0)
        devices.append(
            DeviceRecord(
                name,
                unit,
                "huawei",
                DeviceStatus.OK,
                file=f"configs/{name}.cfg",
                config=text,
                lines_total=10,
                lines_recognized=10,
            )
        )
        bad = i in changed
        results.extend(
            [
                result(
                    "MLPS-AUDIT-NTP",
                    Status.FAIL if bad else Status.PASS,
                    unit,
                    name,
                    device=name,
                    severity=Severity.LOW,
                    pack="mlps-l3-network",
                ),
                result(
                    "MLPS-SNMP",
                    Status.UNKNOWN,
                    unit,
                    name,
                    device=name,
                    severity=Severity.MEDIUM,
                    pack="mlps-l3-network",
                ),
                result(
                    "MLPS-AUTH-LOGIN",
                    Status.FAIL,
                    unit,
                    name,
                    device=name,
                    evidence=(ConfigEvidence(name, f"configs/{name}.cfg", 3, "line vty 0 4"),),
                    pack="mlps-l3-network",
                ),
                result(
                    "MLPS-SERVICES-MINIMAL",
                    Status.PASS,
                    unit,
                    name,
                    device=name,
                    severity=Severity.INFO,
                    pack="mlps-l3-network",
                ),
            ]
        )
    return AuditRun(
        id=run_id,
        inventory="xian",
        inventory_path="inventories/xian",
        mode="offline",
        started_at=when,
        finished_at=when + timedelta(minutes=1),
        status=RunStatus.COMPLETE,
        tool_version="0.1.0",
        units=UNITS,
        devices=tuple(devices),
        results=tuple(results),
    )
