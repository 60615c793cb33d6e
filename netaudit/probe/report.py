"""Probe observations: the typed result of one ``netaudit probe`` run.

Stage: probe (output side). Input: nothing (types only; ``run.py`` fills them from the packets
the engine exchanged). Output: ``ProbeReport`` — the probe, when it ran, the egress traces to each
target, the source address each reflector saw (mapped to a declared exit or undeclared), the
exits observed on the LAN's normal path, the hosts on the probe's LAN and which of them forwarded
a packet to the internet (sanctioned gateway or rogue). Everything is frozen and round-trips
through ``to_data`` / ``ProbeReport.from_data`` (JSON, the store). No scapy here: the audit, the
store and the reports read these types on machines that never send a packet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from ipaddress import IPv4Address, IPv4Network
from typing import cast

from netaudit.model.serialize import Json, to_data
from netaudit.policy.context import ForwardingHost, ProbeObservation

PROBE_SCHEMA = "netaudit.probe/1"


class Protocol(StrEnum):
    ICMP = "icmp"
    UDP = "udp"
    TCP = "tcp"


class GatewayEvidence(StrEnum):
    """How we know a host forwarded the probe packet addressed to its MAC."""

    REPLY = "reflector_reply"  # the reflector's answer naming the packet's nonce came back
    REFLECTOR_LOG = "reflector_log"  # no answer came back, but the reflector saw the nonce


@dataclass(frozen=True, slots=True)
class Hop:
    """One answer of a trace: who answered the packet sent with ``ttl`` (None: nobody)."""

    ttl: int
    address: IPv4Address | None
    internal: bool | None  # inside the city's internal_space; None when nobody answered
    rtt_ms: float | None = None


@dataclass(frozen=True, slots=True)
class Trace:
    """A traceroute by one protocol to one target.

    ``egress`` is the last internal hop before the first non-internal one (the device where the
    LAN's traffic leaves for the internet); None when no non-internal hop answered, or when the
    hop just before it stayed silent (``egress_ttl`` then tells how far below it lies).
    """

    target: IPv4Address
    protocol: Protocol
    hops: tuple[Hop, ...]
    reached: bool  # the target itself answered
    egress: IPv4Address | None
    egress_ttl: int | None = None
    first_external: IPv4Address | None = None


@dataclass(frozen=True, slots=True)
class SourceObservation:
    """What one reflector saw: the source address (the exit's public NAT address) and port.

    ``exit_id`` is the declared exit whose ``public_ips`` hold the observed source; None means
    undeclared. ``observed_source`` None (with ``error``) means the reflector did not answer.
    """

    reflector: IPv4Address
    protocol: Protocol
    observed_source: IPv4Address | None
    observed_port: int | None = None
    exit_id: str | None = None
    error: str | None = None

    @property
    def declared(self) -> bool:
        return self.exit_id is not None

    def to_data(self) -> dict[str, Json]:
        return {
            "reflector": str(self.reflector),
            "protocol": self.protocol.value,
            "observed_source": None if self.observed_source is None else str(self.observed_source),
            "observed_port": self.observed_port,
            "exit_id": self.exit_id,
            "exit": None
            if self.observed_source is None
            else (self.exit_id if self.exit_id is not None else "undeclared"),
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class ObservedExit:
    """An internet exit the LAN's normal path used, as the probe saw it.

    Keyed by the public source reflectors saw (``public_source``); for targets that are not
    reflectors only the trace's egress hop is known. ``exit_id``: the declared exit it matches
    (by public address, else by the egress hop being the exit device's management address);
    None means undeclared.
    """

    public_source: IPv4Address | None
    exit_id: str | None
    device: str | None  # the declared exit's device, when matched
    egress_hops: tuple[IPv4Address, ...]
    targets: tuple[IPv4Address, ...]

    @property
    def declared(self) -> bool:
        return self.exit_id is not None

    def to_data(self) -> dict[str, Json]:
        return {
            "public_source": None if self.public_source is None else str(self.public_source),
            "exit_id": self.exit_id,
            "declared": self.declared,
            "device": self.device,
            "egress_hops": [str(a) for a in self.egress_hops],
            "targets": [str(a) for a in self.targets],
        }


@dataclass(frozen=True, slots=True)
class LanHost:
    """A host that answered the ARP scan of the probe's LAN."""

    address: IPv4Address
    mac: str  # lower-case, colon-separated
    vendor: str | None = None  # from the OUI prefix, when known


@dataclass(frozen=True, slots=True)
class Gateway:
    """A LAN host that forwarded a packet addressed to its MAC toward a reflector.

    ``sanctioned`` is True for the LAN's sanctioned gateway; every other gateway is rogue.
    ``observed_source`` is the source the reflector saw for the forwarded packet (the public
    address of the uplink the host used); ``exit_id`` the declared exit it belongs to, if any.
    """

    address: IPv4Address
    mac: str
    vendor: str | None
    sanctioned: bool
    observed_source: IPv4Address | None
    exit_id: str | None
    evidence: GatewayEvidence

    @property
    def rogue(self) -> bool:
        return not self.sanctioned

    def to_data(self) -> dict[str, Json]:
        return {
            "address": str(self.address),
            "mac": self.mac,
            "vendor": self.vendor,
            "sanctioned": self.sanctioned,
            "rogue": self.rogue,
            "observed_source": None if self.observed_source is None else str(self.observed_source),
            "exit_id": self.exit_id,
            "evidence": self.evidence.value,
        }


@dataclass(frozen=True, slots=True)
class ProbeReport:
    """One probe run. ``lan_hosts`` / ``gateways`` are None when the sweep did not run;
    ``complete`` is False when a bound (packets, time) or an error stopped the run early,
    with the reason in ``error`` — what was observed until then is kept."""

    probe: str
    unit: str
    started_at: datetime
    finished_at: datetime
    interface: str
    address: IPv4Address
    lan: IPv4Network
    sanctioned_gateway: IPv4Address | None
    targets: tuple[IPv4Address, ...]
    reflectors: tuple[IPv4Address, ...]
    traces: tuple[Trace, ...]
    sources: tuple[SourceObservation, ...]
    exits: tuple[ObservedExit, ...]
    lan_hosts: tuple[LanHost, ...] | None
    gateways: tuple[Gateway, ...] | None
    packets_sent: int
    complete: bool = True
    error: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def rogue_gateways(self) -> tuple[Gateway, ...]:
        return tuple(g for g in self.gateways or () if g.rogue)

    @property
    def undeclared_exits(self) -> tuple[ObservedExit, ...]:
        return tuple(e for e in self.exits if not e.declared)

    def to_data(self) -> dict[str, Json]:
        return {
            "schema": PROBE_SCHEMA,
            "probe": self.probe,
            "unit": self.unit,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "interface": self.interface,
            "address": str(self.address),
            "lan": str(self.lan),
            "sanctioned_gateway": to_data(self.sanctioned_gateway),
            "targets": to_data(self.targets),
            "reflectors": to_data(self.reflectors),
            "traces": [to_data(t) for t in self.traces],
            "sources": [s.to_data() for s in self.sources],
            "exits": [e.to_data() for e in self.exits],
            "lan_hosts": None if self.lan_hosts is None else [to_data(h) for h in self.lan_hosts],
            "gateways": None if self.gateways is None else [g.to_data() for g in self.gateways],
            "rogue_gateways": [str(g.address) for g in self.rogue_gateways],
            "packets_sent": self.packets_sent,
            "complete": self.complete,
            "error": self.error,
            "notes": list(self.notes),
        }

    @classmethod
    def from_data(cls, data: dict[str, Json]) -> ProbeReport:
        """Read back what ``to_data`` wrote (raises ValueError on another schema)."""
        if data.get("schema") != PROBE_SCHEMA:
            raise ValueError(f"not a {PROBE_SCHEMA} document (schema {data.get('schema')!r})")
        d = cast(dict[str, object], data)
        return cls(
            probe=str(d["probe"]),
            unit=str(d["unit"]),
            started_at=datetime.fromisoformat(str(d["started_at"])),
            finished_at=datetime.fromisoformat(str(d["finished_at"])),
            interface=str(d["interface"]),
            address=IPv4Address(str(d["address"])),
            lan=IPv4Network(str(d["lan"])),
            sanctioned_gateway=_addr(d["sanctioned_gateway"]),
            targets=tuple(IPv4Address(str(a)) for a in _list(d["targets"])),
            reflectors=tuple(IPv4Address(str(a)) for a in _list(d["reflectors"])),
            traces=tuple(_trace(_dict(t)) for t in _list(d["traces"])),
            sources=tuple(_source(_dict(s)) for s in _list(d["sources"])),
            exits=tuple(_exit(_dict(e)) for e in _list(d["exits"])),
            lan_hosts=None
            if d["lan_hosts"] is None
            else tuple(_host(_dict(h)) for h in _list(d["lan_hosts"])),
            gateways=None
            if d["gateways"] is None
            else tuple(_gateway(_dict(g)) for g in _list(d["gateways"])),
            packets_sent=int(cast(int, d["packets_sent"])),
            complete=bool(d["complete"]),
            error=_str(d["error"]),
            notes=tuple(str(n) for n in _list(d["notes"])),
        )

    def to_observation(self) -> ProbeObservation:
        """The audit's view of this run (``netaudit.policy.context.ProbeObservation``)."""
        seen: list[IPv4Address] = []
        for s in self.sources:
            if s.observed_source is not None and s.observed_source not in seen:
                seen.append(s.observed_source)
        forwarders = (
            None
            if self.gateways is None
            else tuple(
                ForwardingHost(g.address, g.mac, g.observed_source) for g in self.rogue_gateways
            )
        )
        return ProbeObservation(
            probe=self.probe,
            unit=self.unit,
            observed_sources=tuple(seen),
            forwarders=forwarders,
            error=self.error,
        )


def _list(v: object) -> list[object]:
    return list(v) if isinstance(v, list) else []


def _dict(v: object) -> dict[str, object]:
    if not isinstance(v, dict):
        raise ValueError(f"expected an object, got {type(v).__name__}")
    return cast(dict[str, object], v)


def _str(v: object) -> str | None:
    return None if v is None else str(v)


def _addr(v: object) -> IPv4Address | None:
    return None if v is None else IPv4Address(str(v))


def _int(v: object) -> int | None:
    return None if v is None else int(cast(int, v))


def _trace(d: dict[str, object]) -> Trace:
    return Trace(
        target=IPv4Address(str(d["target"])),
        protocol=Protocol(str(d["protocol"])),
        hops=tuple(
            Hop(
                ttl=int(cast(int, h["ttl"])),
                address=_addr(h["address"]),
                internal=None if h["internal"] is None else bool(h["internal"]),
                rtt_ms=None if h.get("rtt_ms") is None else float(cast(float, h["rtt_ms"])),
            )
            for h in (_dict(x) for x in _list(d["hops"]))
        ),
        reached=bool(d["reached"]),
        egress=_addr(d["egress"]),
        egress_ttl=_int(d.get("egress_ttl")),
        first_external=_addr(d.get("first_external")),
    )


def _source(d: dict[str, object]) -> SourceObservation:
    return SourceObservation(
        reflector=IPv4Address(str(d["reflector"])),
        protocol=Protocol(str(d["protocol"])),
        observed_source=_addr(d["observed_source"]),
        observed_port=_int(d.get("observed_port")),
        exit_id=_str(d.get("exit_id")),
        error=_str(d.get("error")),
    )


def _exit(d: dict[str, object]) -> ObservedExit:
    return ObservedExit(
        public_source=_addr(d["public_source"]),
        exit_id=_str(d["exit_id"]),
        device=_str(d.get("device")),
        egress_hops=tuple(IPv4Address(str(a)) for a in _list(d["egress_hops"])),
        targets=tuple(IPv4Address(str(a)) for a in _list(d["targets"])),
    )


def _host(d: dict[str, object]) -> LanHost:
    return LanHost(IPv4Address(str(d["address"])), str(d["mac"]), _str(d.get("vendor")))


def _gateway(d: dict[str, object]) -> Gateway:
    return Gateway(
        address=IPv4Address(str(d["address"])),
        mac=str(d["mac"]),
        vendor=_str(d.get("vendor")),
        sanctioned=bool(d["sanctioned"]),
        observed_source=_addr(d.get("observed_source")),
        exit_id=_str(d.get("exit_id")),
        evidence=GatewayEvidence(str(d["evidence"])),
    )
