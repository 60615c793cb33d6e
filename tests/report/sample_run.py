"""A small hand-made AuditRun for report tests (no parser or network needed)."""

from __future__ import annotations

from datetime import UTC, datetime

from netaudit.pipeline.run import (
    AuditRun,
    DeviceRecord,
    DeviceStatus,
    ExitRecord,
    RunStatus,
    UnitInfo,
)
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

XSS = '<script>alert("x")</script><img src=x onerror="alert(1)">'


def result(rule: str, status: Status, unit: str, subject: str, **kw: object) -> Result:
    base: dict[str, object] = {
        "rule": rule,
        "status": status,
        "severity": Severity.HIGH,
        "unit": unit,
        "subject": subject,
        "device": None,
        "message": f"{rule} {status.value} for {subject}",
        "clause": "二(一)3",
        "responsible": "雁塔区人民政府",
        "deadline": "2017-06-30",
        "title_zh": "互联网出口不超过2个",
        "title_en": "At most two internet exits",
        "remediation_zh": "合并出口",
        "remediation_en": "Consolidate exits",
        "evidence": (),
        "pack": "xian-egov-plan",
    }
    base.update(kw)
    return Result(**base)  # type: ignore[arg-type]


def sample_run(run_id: str = "run-2", when: datetime | None = None) -> AuditRun:
    started = when or datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    units = (
        UnitInfo("yanta", "雁塔区", "district", "雁塔区人民政府"),
        UnitInfo("beilin", "碑林区", "district", "碑林区人民政府"),
    )
    cfg = ConfigEvidence(
        "yanta-fw2", "configs/yanta-fw2.cfg", 41, "ip route-static 0.0.0.0 0.0.0.0 203.0.113.9"
    )
    path = PathEvidence(
        "exits_network",
        "yanta-fw2:GigabitEthernet1/0/1",
        (
            PathHop("yanta-core", "Vlanif10", "GigabitEthernet0/0/1"),
            PathHop("yanta-fw2", "GigabitEthernet1/0/2", "GigabitEthernet1/0/1"),
        ),
        src="172.21.10.10",
        dst="198.51.100.7",
    )
    results = (
        result(
            "PLAN-EXIT-COUNT",
            Status.FAIL,
            "yanta",
            "yanta",
            message="3 internet exits found, at most 2 allowed",
            evidence=(cfg, path, ProbeEvidence("yanta-office-1", "203.0.113.9")),
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
            message=f"telnet enabled; banner {XSS}",
            evidence=(
                ConfigEvidence("yanta-sw1", "configs/yanta-sw1.cfg", 7, f"description {XSS}"),
            ),
            pack="mlps-l3-network",
        ),
        result(
            "MLPS-AUDIT-NTP",
            Status.UNKNOWN,
            "beilin",
            "beilin-core",
            device="beilin-core",
            severity=Severity.LOW,
            clause="8.1.4.3 b",
            evidence=(NoteEvidence("section ntp has unrecognized lines"),),
            pack="mlps-l3-network",
        ),
    )
    devices = (
        DeviceRecord(
            "yanta-fw2",
            "yanta",
            "huawei",
            DeviceStatus.OK,
            file="configs/yanta-fw2.cfg",
            config="sysname yanta-fw2\n",
            lines_total=10,
            lines_recognized=10,
        ),
        DeviceRecord(
            "yanta-sw1",
            "yanta",
            "hp_comware",
            DeviceStatus.OK,
            file="configs/yanta-sw1.cfg",
            config=f"description {XSS}\n",
        ),
        DeviceRecord(
            "beilin-core",
            "beilin",
            "cisco_ios",
            DeviceStatus.PARSE_FAILED,
            message="configs/beilin-core.cfg: binary file",
        ),
    )
    exits = (
        ExitRecord(
            "yanta",
            "yanta-fw1",
            "GigabitEthernet1/0/1",
            "yanta-ct",
            ("public_address",),
            isp="中国电信",
        ),
        ExitRecord(
            "yanta", "yanta-fw2", "GigabitEthernet1/0/1", None, ("default_route",), evidence=(cfg,)
        ),
    )
    return AuditRun(
        run_id,
        "xian",
        "inventories/xian",
        "offline",
        started,
        started,
        RunStatus.INCOMPLETE,
        "0.1.0",
        units,
        devices,
        exits,
        (),
        results,
    )
