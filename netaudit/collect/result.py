"""Typed outcomes of live collection, and the hosts-override file.

Stage: live collection. Input: nothing (types only; ``ssh.py``, ``snmp.py`` and ``runner.py``
fill them). Output: ``DeviceCollection`` — per device its status (a ``CollectStatus``), a message
that names what failed and never a secret, the REDACTED config text, the routing table (parsed
``RibRoute``s and the raw text), SNMP facts and their cross-check against the config — what the
audit pipeline and the store consume. ``HostOverride`` / ``load_hosts_override`` read the
mapping file ``netaudit simulate`` writes (device name → where to reach it instead).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from ipaddress import IPv4Address, IPv4Interface
from pathlib import Path

from netaudit.errors import UsageError
from netaudit.model import Device, RibRoute
from netaudit.model.serialize import Json, to_data

HOSTS_SCHEMA = "netaudit.hosts/1"


class CollectStatus(StrEnum):
    """Per-device (and per-transport) outcome; values match ``pipeline.run.DeviceStatus``."""

    OK = "ok"
    AUTH_FAILED = "auth_failed"  # login or enable refused, or SNMPv3 user/keys rejected
    TIMEOUT = "timeout"  # no answer (TCP, SSH banner, prompt or SNMP) within the timeout
    REFUSED = "refused"  # TCP connection refused
    UNREACHABLE = "unreachable"  # no route to the host / network unreachable
    DISCONNECTED = "disconnected"  # the device closed the session before answering in full
    BAD_OUTPUT = "bad_output"  # the answer is not what the command prints (garbage, paging)
    PARSE_FAILED = "parse_failed"  # the config was collected but cannot be parsed
    HOST_KEY_UNKNOWN = "host_key_unknown"  # the SSH host key is not in the known-hosts file
    HOST_KEY_MISMATCH = "host_key_mismatch"  # the SSH host key differs from the known one
    NO_CREDENTIALS = "no_credentials"  # the inventory names no usable credential profile
    NOT_COLLECTED = "not_collected"  # no live transport or no address for this device

    @property
    def ok(self) -> bool:
        return self is CollectStatus.OK


@dataclass(frozen=True, slots=True)
class TransportOutcome:
    """How one transport (ssh or snmp) went for one device."""

    transport: str  # "ssh" | "snmp"
    status: CollectStatus
    message: str | None = None
    attempts: int = 1
    seconds: float = 0.0

    def to_data(self) -> dict[str, Json]:
        return {
            "transport": self.transport,
            "status": self.status.value,
            "message": self.message,
            "attempts": self.attempts,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True, slots=True)
class SnmpInterface:
    index: int
    name: str  # ifName, else ifDescr
    descr: str | None = None
    alias: str | None = None
    admin_up: bool | None = None  # None: not reported
    oper_up: bool | None = None
    addresses: tuple[IPv4Interface, ...] = ()


@dataclass(frozen=True, slots=True)
class SnmpFacts:
    """What an agent said about itself; ``None`` fields were not answered."""

    sys_descr: str | None
    sys_name: str | None
    interfaces: tuple[SnmpInterface, ...] = ()
    routes: tuple[RibRoute, ...] = ()

    def to_data(self) -> dict[str, Json]:
        return {
            "sys_descr": self.sys_descr,
            "sys_name": self.sys_name,
            "interfaces": [
                {
                    "index": i.index,
                    "name": i.name,
                    "descr": i.descr,
                    "alias": i.alias,
                    "admin_up": i.admin_up,
                    "oper_up": i.oper_up,
                    "addresses": [a.with_prefixlen for a in i.addresses],
                }
                for i in self.interfaces
            ],
            "routes": [to_data(r) for r in self.routes],
        }


class NoteKind(StrEnum):
    UP_BUT_SHUT = "up_but_shut"  # SNMP says admin up, the config says `shutdown`
    DOWN_BUT_ENABLED = "down_but_enabled"  # SNMP says admin down, the config does not shut it
    MISSING_IN_SNMP = "missing_in_snmp"  # configured interface the agent does not list
    ADDRESS_MISMATCH = "address_mismatch"  # addresses differ between SNMP and the config
    NAME_MISMATCH = "name_mismatch"  # sysName differs from the configured hostname


@dataclass(frozen=True, slots=True)
class CrossCheckNote:
    """A difference between what the agent reports and what the config says."""

    kind: NoteKind
    message: str
    interface: str | None = None

    def to_data(self) -> dict[str, Json]:
        return {"kind": self.kind.value, "interface": self.interface, "message": self.message}


@dataclass(frozen=True, slots=True)
class DeviceCollection:
    """Everything live collection learned about one device. Holds no secret."""

    name: str
    unit: str
    platform: str
    status: CollectStatus
    message: str | None = None
    host: str | None = None  # where it was reached, host:port
    config: str | None = None  # REDACTED running config
    routes: tuple[RibRoute, ...] | None = None  # None: not collected
    routes_text: str | None = None
    version_text: str | None = None
    snmp: SnmpFacts | None = None
    notes: tuple[CrossCheckNote, ...] = ()
    transports: tuple[TransportOutcome, ...] = ()
    # The redacted config parsed (None when not collected or not parseable); not serialized.
    device: Device | None = field(default=None, compare=False, repr=False)

    def transport(self, name: str) -> TransportOutcome | None:
        return next((t for t in self.transports if t.transport == name), None)

    def to_data(self) -> dict[str, Json]:
        return {
            "name": self.name,
            "unit": self.unit,
            "platform": self.platform,
            "status": self.status.value,
            "message": self.message,
            "host": self.host,
            "config_lines": None if self.config is None else self.config.count("\n"),
            "routes": None if self.routes is None else [to_data(r) for r in self.routes],
            "snmp": None if self.snmp is None else self.snmp.to_data(),
            "notes": [n.to_data() for n in self.notes],
            "transports": [t.to_data() for t in self.transports],
        }


# --------------------------------------------------------------------------- hosts override


@dataclass(frozen=True, slots=True)
class HostOverride:
    """Where to reach a device instead of its inventory ``host``/``port``."""

    host: IPv4Address
    ssh_port: int | None = None
    snmp_port: int | None = None

    def to_data(self) -> dict[str, Json]:
        return {"host": str(self.host), "ssh_port": self.ssh_port, "snmp_port": self.snmp_port}


def write_hosts_override(path: Path, hosts: dict[str, HostOverride]) -> None:
    doc = {"schema": HOSTS_SCHEMA, "devices": {k: v.to_data() for k, v in hosts.items()}}
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load_hosts_override(path: Path) -> dict[str, HostOverride]:
    """Read a hosts-override file (``netaudit simulate`` writes one); errors name the file."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"--hosts-override {path}: cannot read ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"--hosts-override {path}:{exc.lineno}: not JSON ({exc.msg})") from None
    if not isinstance(doc, dict) or doc.get("schema") != HOSTS_SCHEMA:
        raise UsageError(f"--hosts-override {path}: not a {HOSTS_SCHEMA} file")
    devices = doc.get("devices")
    if not isinstance(devices, dict):
        raise UsageError(f"--hosts-override {path}: `devices` must be a mapping")
    out: dict[str, HostOverride] = {}
    for name, entry in devices.items():
        try:
            out[str(name)] = HostOverride(
                IPv4Address(entry["host"]),
                _port(entry.get("ssh_port")),
                _port(entry.get("snmp_port")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise UsageError(f"--hosts-override {path}: device {name}: bad entry ({exc})") from None
    return out


def _port(value: object) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or not 0 < value < 65536:
        raise ValueError(f"{value!r} is not a port")
    return value
