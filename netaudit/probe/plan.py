"""The probe plan: what one run will send, from where, to whom, within which bounds.

Stage: probe (before any packet). Input: the loaded inventory, the probe id and the command-line
options, and the probe host itself (its interface, address, netmask and default route, read from
the kernel without sending anything). Output: ``ProbePlan`` — the checked target list (the
allow-list refuses anything else), the LAN to sweep, the sanctioned gateway, the limits — and
``describe()``, the human account ``--dry-run`` prints. ``preflight`` adds what a real run needs:
root and an existing interface, each with a clear error.
"""

from __future__ import annotations

import fcntl
import os
import socket
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

from netaudit.errors import NetauditError, ProbeError
from netaudit.inventory import Inventory, Unit
from netaudit.inventory.models import ProbeSpec
from netaudit.probe.safety import MAX_LAN_ADDRESSES, Limits, check_targets

SIOCGIFADDR = 0x8915
SIOCGIFNETMASK = 0x891B
PROC_ROUTE = Path("/proc/net/route")

DEFAULT_MAX_TTL = 16
TTL_ROUND = 4  # TTLs sent per round of a trace; a trace stops at its first non-internal hop
DEFAULT_WAIT = 1.0  # seconds to wait for answers after each round / the sweep
# A LAN host answers ARP within milliseconds; half a second still covers Wi-Fi clients waking
# from power save. Only the last requests of a scan wait this long: the rest answer while it runs.
ARP_WAIT = 0.5
UDP_TRACE_BASE = 33434  # classic traceroute ports: UDP trace probes go to base + ttl
TCP_PACKETS_PER_EXCHANGE = 6  # SYN, ACK, request, FIN, ACK, one retransmission


@dataclass(frozen=True, slots=True)
class HostView:
    """What the probe host's kernel says about the interface (nothing sent to learn it)."""

    interface: str
    exists: bool
    address: IPv4Address | None
    lan: IPv4Network | None
    default_gateway: IPv4Address | None


@dataclass(frozen=True, slots=True)
class ProbePlan:
    probe: ProbeSpec
    unit: Unit
    interface: str
    address: IPv4Address  # the probe host's address on the interface (the packets' source)
    lan: IPv4Network
    next_hop: IPv4Address | None  # where traces and source observations go (default route)
    sanctioned_gateway: IPv4Address | None
    targets: tuple[IPv4Address, ...]
    reflectors: tuple[IPv4Address, ...]
    reflector_port: int
    internal_space: tuple[IPv4Network, ...]
    limits: Limits
    max_ttl: int = DEFAULT_MAX_TTL
    wait: float = DEFAULT_WAIT
    notes: tuple[str, ...] = field(default=())
    # Addresses on the LAN that are interfaces of the unit's inventoried devices (from their
    # configs), as ``device:interface``: a redundant gateway (the other router of a VRRP pair)
    # forwards too, and is a known device, not a rogue one.
    inventoried: Mapping[IPv4Address, str] = field(default_factory=dict)

    def lan_addresses(self) -> list[IPv4Address]:
        """The addresses the ARP scan asks for: the LAN's hosts except the probe itself."""
        return [a for a in self.lan.hosts() if a != self.address]

    def is_internal(self, addr: IPv4Address) -> bool:
        return any(addr in net for net in self.internal_space)

    def packet_bound(self) -> int:
        """At most this many packets (if every trace runs to ``max_ttl``, every host answers)."""
        lan = len(self.lan_addresses())
        traces = len(self.targets) * 3 * self.max_ttl
        sources = len(self.reflectors) * (2 + TCP_PACKETS_PER_EXCHANGE)
        sweep = (lan + TCP_PACKETS_PER_EXCHANGE) if self.reflectors else 0
        return lan + traces + sources + sweep

    def describe(self) -> list[str]:
        """What the run would send, in order (``--dry-run``)."""
        lim = self.limits
        gw = f"{self.sanctioned_gateway}" if self.sanctioned_gateway else "unknown"
        lines = [
            f"probe {self.probe.id} (unit {self.unit.id}, {self.probe.network} network) on "
            f"{self.interface} {self.address} in {self.lan}; sanctioned gateway {gw}",
            f"limits: {lim.rate:g} packets/s to targets, {lim.lan_rate:g} ARP requests/s on "
            f"the LAN, at most {lim.max_packets} packets, {lim.timeout:g} s",
            f"allow-list (city.yaml probe.targets): {', '.join(map(str, self.targets))}",
            f"1. ARP who-has for {len(self.lan_addresses())} addresses of {self.lan} "
            f"on {self.interface}",
        ]
        via = f"via {self.next_hop}" if self.next_hop else "(no default route: skipped)"
        for t in self.targets:
            lines.append(
                f"2. trace to {t} {via}: ICMP echo, UDP to port {UDP_TRACE_BASE}+TTL, TCP SYN to "
                f"port {self.reflector_port}; TTL 1..{self.max_ttl}, {TTL_ROUND} per round, "
                "stopping at the first non-internal hop"
            )
        for r in self.reflectors:
            lines.append(
                f"3. ask reflector {r}:{self.reflector_port} over UDP and TCP which source "
                "address it saw"
            )
        if self.reflectors:
            r = self.reflectors[0]
            lines.append(
                f"4. one UDP packet to reflector {r}:{self.reflector_port} addressed to the MAC "
                "of each host that answered the ARP scan; then ask the reflector (TCP) about "
                "packets whose reply did not come back"
            )
        else:
            lines.append("4. rogue-gateway sweep skipped: no reflector in city.yaml probe")
        for addr, where in sorted(self.inventoried.items()):
            lines.append(f"known device on the LAN: {addr} ({where}); forwarding is not rogue")
        lines.append(f"at most {self.packet_bound()} packets in all")
        lines.extend(f"note: {n}" for n in self.notes)
        return lines


def inventoried_addresses(
    inventory: Inventory, unit: Unit, lan: IPv4Network, notes: list[str]
) -> dict[IPv4Address, str]:
    """The LAN addresses of the unit's inventoried devices, read from their config files.

    A device without a config file, or whose config cannot be read, contributes nothing (a note
    says so): its addresses on the LAN, if any, are then judged like any other host's.
    """
    # Imported here: the parsers are not needed for a dry run's allow-list checks elsewhere.
    from netaudit.vendors.base import parse_bytes  # noqa: PLC0415

    out: dict[IPv4Address, str] = {}
    for spec in unit.devices:
        if spec.config is None:
            continue
        path = inventory.path(spec.config)
        try:
            device = parse_bytes(path.read_bytes(), spec.platform, str(spec.config), spec.name)
        except OSError as exc:
            notes.append(f"{spec.config}: cannot read ({exc.strerror}); its LAN addresses unknown")
            continue
        except NetauditError as exc:
            notes.append(f"{spec.config}: not parsed ({exc}); its LAN addresses unknown")
            continue
        for name, iface in device.interfaces.items():
            for a in iface.addresses:
                if a.address.ip in lan:
                    out.setdefault(a.address.ip, f"{spec.name}:{name}")
    return out


def find_probe(inventory: Inventory, probe_id: str) -> tuple[Unit, ProbeSpec]:
    known: list[str] = []
    for unit in inventory.units:
        for p in unit.probes:
            if p.id == probe_id:
                return unit, p
            known.append(p.id)
    listed = ", ".join(known) if known else "none: add a probes: entry to a unit file"
    raise ProbeError(f"--probe {probe_id}: no such probe in {inventory.root} (known: {listed})")


def _ioctl_addr(sock: socket.socket, request: int, interface: str) -> IPv4Address | None:
    try:
        res = fcntl.ioctl(sock.fileno(), request, struct.pack("256s", interface.encode()[:15]))
    except OSError:
        return None
    return IPv4Address(res[20:24])


def default_routes(proc_route: Path = PROC_ROUTE) -> list[tuple[str, IPv4Address, int]]:
    """(interface, gateway, metric) of every IPv4 default route, lowest metric first."""
    out: list[tuple[str, IPv4Address, int]] = []
    try:
        lines = proc_route.read_text().splitlines()[1:]
    except OSError:
        return out
    for line in lines:
        f = line.split()
        if len(f) < 8 or f[1] != "00000000" or f[7] != "00000000":
            continue
        gw = IPv4Address(struct.pack("<I", int(f[2], 16)))
        if int(gw):
            out.append((f[0], gw, int(f[6])))
    return sorted(out, key=lambda r: r[2])


def host_view(interface: str | None) -> HostView:
    """Read interface, address, netmask and default route from the kernel."""
    defaults = default_routes()
    if interface is None:
        if not defaults:
            raise ProbeError(
                "no --interface given, none in the probe's inventory entry, and no default "
                "route to pick one from; give --interface"
            )
        interface = defaults[0][0]
    try:
        socket.if_nametoindex(interface)
        exists = True
    except OSError:
        exists = False
    address = lan = None
    if exists:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            address = _ioctl_addr(s, SIOCGIFADDR, interface)
            mask = _ioctl_addr(s, SIOCGIFNETMASK, interface)
        if address is not None and mask is not None:
            lan = IPv4Network(f"{address}/{mask}", strict=False)
    gw = next((g for i, g, _ in defaults if i == interface), None)
    return HostView(interface, exists, address, lan, gw)


def build_plan(
    inventory: Inventory,
    probe_id: str,
    *,
    limits: Limits,
    interface: str | None = None,
    targets: list[IPv4Address] | None = None,
    max_ttl: int = DEFAULT_MAX_TTL,
    wait: float = DEFAULT_WAIT,
    host: HostView | None = None,
) -> ProbePlan:
    """Check the request against the inventory and the host; refuse what is not allowed."""
    unit, spec = find_probe(inventory, probe_id)
    settings = inventory.city.probe
    allowed = list(settings.targets)
    if targets:
        chosen = check_targets(targets, allowed, "--target")
    else:
        if not allowed:
            raise ProbeError(
                f"{inventory.root}/city.yaml: probe.targets is empty; a probe sends only to "
                "the addresses listed there (the reflectors)"
            )
        chosen = check_targets(allowed, allowed, "city.yaml probe.targets")
    reflectors = check_targets(settings.reflectors, allowed, "city.yaml probe.reflectors")
    reflectors = tuple(r for r in reflectors if r in chosen) if targets else reflectors
    if not 1 <= max_ttl <= 64:
        raise ProbeError("--max-ttl must be between 1 and 64")
    view = host if host is not None else host_view(interface or spec.interface)
    notes: list[str] = []
    if not view.exists:
        raise ProbeError(
            f"interface {view.interface} does not exist on this host "
            f"(probe {spec.id}; give --interface or fix the probe's interface in the unit file)"
        )
    if view.address is None or view.lan is None:
        raise ProbeError(f"interface {view.interface} has no IPv4 address; the probe needs one")
    if view.address != spec.address:
        notes.append(
            f"{view.interface} has address {view.address}, the inventory says {spec.address}: "
            f"probing from {view.address}"
        )
    if view.lan.num_addresses - 2 > MAX_LAN_ADDRESSES:
        raise ProbeError(
            f"the LAN {view.lan} on {view.interface} has more than {MAX_LAN_ADDRESSES} addresses; "
            "the ARP sweep covers at most a /20 (place a probe in each segment)"
        )
    sanctioned = spec.gateway if spec.gateway is not None else view.default_gateway
    if spec.gateway is None and view.default_gateway is not None:
        notes.append(
            f"sanctioned gateway taken from the default route ({view.default_gateway}); "
            "set gateway: in the probe's entry to state it"
        )
    if sanctioned is None:
        notes.append("no sanctioned gateway known: every forwarding host is reported as rogue")
    elif view.default_gateway is not None and view.default_gateway != sanctioned:
        notes.append(
            f"the default route goes via {view.default_gateway}, not the sanctioned gateway "
            f"{sanctioned}: traces and source observations follow the default route"
        )
    plan = ProbePlan(
        probe=spec,
        unit=unit,
        interface=view.interface,
        address=view.address,
        lan=view.lan,
        next_hop=view.default_gateway,
        sanctioned_gateway=sanctioned,
        inventoried=inventoried_addresses(inventory, unit, view.lan, notes),
        targets=chosen,
        reflectors=reflectors,
        reflector_port=settings.reflector_port,
        internal_space=tuple(inventory.city.internal_space),
        limits=limits,
        max_ttl=max_ttl,
        wait=wait,
        notes=tuple(notes),
    )
    lan_size = len(plan.lan_addresses())
    if lan_size > limits.max_packets:
        raise ProbeError(
            f"the ARP scan of {plan.lan} needs {lan_size} packets, more than --max-packets "
            f"{limits.max_packets}; raise --max-packets"
        )
    return plan


def preflight() -> None:
    """What a real run needs beyond the plan: root (raw sockets)."""
    if os.geteuid() != 0:
        raise ProbeError(
            "netaudit probe sends raw packets and must run as root (sudo netaudit probe ...); "
            "--dry-run shows what it would send without root"
        )
