"""The audit run: the one typed value an audit produces, and the store and reports consume.

Input: nothing (types only; ``netaudit/pipeline/audit.py`` fills them). Output: ``AuditRun`` —
run metadata, the units it covered, every device's collection/parse outcome with its redacted
config snapshot and parse coverage, the internet exits found, probe observations, and the rule
results. ``findings()`` is findings.json (SPEC §8). Everything is frozen and JSON-serializable
through ``to_data``; nothing here holds a secret (configs are redacted before they get here).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from netaudit.model.serialize import Json
from netaudit.policy.context import ProbeObservation
from netaudit.policy.results import ConfigEvidence, Result, Severity, Status

FINDINGS_SCHEMA = "netaudit.findings/1"


class RunStatus(StrEnum):
    RUNNING = "running"
    COMPLETE = "complete"  # every device collected and parsed, every rule ran
    INCOMPLETE = "incomplete"  # some devices could not be collected or parsed
    FAILED = "failed"  # the run stopped before writing its results


class DeviceStatus(StrEnum):
    """Outcome of getting one device's model. Collection failures come from the live runner."""

    OK = "ok"
    NO_CONFIG = "no_config"  # offline audit, no config file given
    READ_ERROR = "read_error"  # the config file could not be read
    PARSE_FAILED = "parse_failed"  # binary / empty / wrong platform: no model
    AUTH_FAILED = "auth_failed"
    TIMEOUT = "timeout"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"
    BAD_OUTPUT = "bad_output"
    DISCONNECTED = "disconnected"
    HOST_KEY_UNKNOWN = "host_key_unknown"
    HOST_KEY_MISMATCH = "host_key_mismatch"
    NO_CREDENTIALS = "no_credentials"
    NOT_COLLECTED = "not_collected"


@dataclass(frozen=True, slots=True)
class UnitInfo:
    id: str
    name: str
    kind: str
    responsible: str | None
    campus: str | None = None

    def __init__(
        self, id: str, name: str, kind: str, responsible: str | None, campus: str | None = None
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "responsible", responsible)
        object.__setattr__(self, "campus", campus)

    def to_data(self) -> dict[str, Json]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "responsible": self.responsible,
            "campus": self.campus,
        }


@dataclass(frozen=True, slots=True)
class UnrecognizedLine:
    section: str
    line: int
    text: str

    def __init__(self, section: str, line: int, text: str) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "section", section)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "text", text)


@dataclass(frozen=True, slots=True)
class DeviceRecord:
    name: str
    unit: str
    platform: str
    status: DeviceStatus
    message: str | None = None  # why, when status is not ok
    file: str | None = None  # config file (inventory-relative) or "ssh://host"
    config: str | None = None  # the REDACTED config text (the snapshot)
    hostname: str | None = None
    os_version: str | None = None
    role: str | None = None
    lines_total: int = 0
    lines_recognized: int = 0
    lines_unsupported: int = 0
    lines_unrecognized: int = 0
    truncated: bool = False
    unrecognized: tuple[UnrecognizedLine, ...] = ()

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        name: str,
        unit: str,
        platform: str,
        status: DeviceStatus,
        message: str | None = None,
        file: str | None = None,
        config: str | None = None,
        hostname: str | None = None,
        os_version: str | None = None,
        role: str | None = None,
        lines_total: int = 0,
        lines_recognized: int = 0,
        lines_unsupported: int = 0,
        lines_unrecognized: int = 0,
        truncated: bool = False,
        unrecognized: tuple[UnrecognizedLine, ...] = (),
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "unit", unit)
        object.__setattr__(self, "platform", platform)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "config", config)
        object.__setattr__(self, "hostname", hostname)
        object.__setattr__(self, "os_version", os_version)
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "lines_total", lines_total)
        object.__setattr__(self, "lines_recognized", lines_recognized)
        object.__setattr__(self, "lines_unsupported", lines_unsupported)
        object.__setattr__(self, "lines_unrecognized", lines_unrecognized)
        object.__setattr__(self, "truncated", truncated)
        object.__setattr__(self, "unrecognized", unrecognized)

    @property
    def config_hash(self) -> str | None:
        """sha256 of the redacted snapshot: snapshots are stored once, by content."""
        if self.config is None:
            return None
        return hashlib.sha256(self.config.encode("utf-8")).hexdigest()

    def to_data(self) -> dict[str, Json]:
        return {
            "name": self.name,
            "unit": self.unit,
            "platform": self.platform,
            "status": self.status.value,
            "message": self.message,
            "file": self.file,
            "config_hash": self.config_hash,
            "hostname": self.hostname,
            "os_version": self.os_version,
            "role": self.role,
            "coverage": {
                "total": self.lines_total,
                "recognized": self.lines_recognized,
                "unsupported": self.lines_unsupported,
                "unrecognized": self.lines_unrecognized,
                "truncated": self.truncated,
            },
        }


@dataclass(frozen=True, slots=True)
class ExitRecord:
    """An internet exit found in configs (or by probes), attributed to a unit."""

    unit: str | None  # the unit whose devices carry it (None: not in any unit)
    device: str
    interface: str
    declared_id: str | None  # the unit file's exit id when declared
    reasons: tuple[str, ...]  # public_address, dialer, nat_outbound, default_route
    evidence: tuple[ConfigEvidence, ...] = ()
    group: str | None = None  # exits sharing one ISP line (HA pair) have the same group
    source: str = "config"  # config | probe
    isp: str | None = None  # from the declared exit, when declared

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        unit: str | None,
        device: str,
        interface: str,
        declared_id: str | None,
        reasons: tuple[str, ...],
        evidence: tuple[ConfigEvidence, ...] = (),
        group: str | None = None,
        source: str = "config",
        isp: str | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "unit", unit)
        object.__setattr__(self, "device", device)
        object.__setattr__(self, "interface", interface)
        object.__setattr__(self, "declared_id", declared_id)
        object.__setattr__(self, "reasons", reasons)
        object.__setattr__(self, "evidence", evidence)
        object.__setattr__(self, "group", group)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "isp", isp)

    @property
    def subject(self) -> str:
        return f"{self.device}:{self.interface}"

    def to_data(self) -> dict[str, Json]:
        return {
            "unit": self.unit,
            "exit": self.subject,
            "device": self.device,
            "interface": self.interface,
            "declared_id": self.declared_id,
            "reasons": list(self.reasons),
            "group": self.group,
            "source": self.source,
            "isp": self.isp,
            "evidence": [e.to_data() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class AuditRun:
    id: str
    inventory: str  # the city id
    inventory_path: str
    mode: str  # offline | live
    started_at: datetime
    finished_at: datetime | None
    status: RunStatus
    tool_version: str
    units: tuple[UnitInfo, ...] = ()
    devices: tuple[DeviceRecord, ...] = ()
    exits: tuple[ExitRecord, ...] = ()
    probes: tuple[ProbeObservation, ...] = ()
    results: tuple[Result, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        id: str,
        inventory: str,
        inventory_path: str,
        mode: str,
        started_at: datetime,
        finished_at: datetime | None,
        status: RunStatus,
        tool_version: str,
        units: tuple[UnitInfo, ...] = (),
        devices: tuple[DeviceRecord, ...] = (),
        exits: tuple[ExitRecord, ...] = (),
        probes: tuple[ProbeObservation, ...] = (),
        results: tuple[Result, ...] = (),
        notes: tuple[str, ...] = (),
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "inventory", inventory)
        object.__setattr__(self, "inventory_path", inventory_path)
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "started_at", started_at)
        object.__setattr__(self, "finished_at", finished_at)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "tool_version", tool_version)
        object.__setattr__(self, "units", units)
        object.__setattr__(self, "devices", devices)
        object.__setattr__(self, "exits", exits)
        object.__setattr__(self, "probes", probes)
        object.__setattr__(self, "results", results)
        object.__setattr__(self, "notes", notes)

    @property
    def incomplete(self) -> bool:
        return any(d.status is not DeviceStatus.OK for d in self.devices)

    def failed_at_or_above(self, severity: Severity) -> list[Result]:
        return [
            r for r in self.results if r.status is Status.FAIL and r.severity.at_least(severity)
        ]

    def run_data(self) -> dict[str, Json]:
        return {
            "id": self.id,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "inventory": self.inventory,
            "mode": self.mode,
            "status": self.status.value,
            "tool_version": self.tool_version,
        }

    def findings(self) -> dict[str, Json]:
        """findings.json (SPEC §8)."""
        return {
            "schema": FINDINGS_SCHEMA,
            "run": self.run_data(),
            "results": [r.to_data() for r in self.results],
        }
