"""The network analysis the plan checks read: topology, FIBs, internet exits, a path tracer.

Input: the inventory (internal space, explicit links), the parsed devices and the names of the
devices that could not be parsed (paths through them end ``unknown``). Output:
``NetworkAnalysis``, built once per audit by ``analyse`` from ``netaudit.network``; the plan
checks only ask it questions (which exits sit on these devices, where does this flow go).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from netaudit.inventory import Inventory
from netaudit.model import Device
from netaudit.network.exits import ExitGroup, InternetExit, find_exits, group_exits
from netaudit.network.fib import Fibs
from netaudit.network.flow import Flow
from netaudit.network.planes import InternalSpace
from netaudit.network.topology import Link, Topology
from netaudit.network.trace import StartLocation, Tracer, TraceResult


@dataclass(frozen=True, slots=True)
class NetworkAnalysis:
    topology: Topology
    tracer: Tracer
    exits: tuple[InternetExit, ...]
    groups: tuple[ExitGroup, ...]
    internal_space: InternalSpace
    unknown_devices: frozenset[str]

    def exits_on(self, devices: Collection[str]) -> list[InternetExit]:
        return [e for e in self.exits if e.device in devices]

    def exit(self, device: str, interface: str) -> InternetExit | None:
        for e in self.exits:
            if e.device == device and e.interface == interface:
                return e
        return None

    def group_of(self, key: str) -> ExitGroup | None:
        for g in self.groups:
            if any(m.key == key for m in g.members):
                return g
        return None

    def trace(self, flow: Flow, start: StartLocation) -> TraceResult:
        return self.tracer.trace(flow, start)

    def starts_in(self, prefix: IPv4Network) -> list[tuple[StartLocation, IPv4Network]]:
        """Interfaces whose connected subnet lies inside ``prefix`` (the gateways of that
        network), as trace starts, with the subnet; sorted. Point-to-point transit subnets
        (/30, /31) are used only when the prefix holds nothing larger (no terminal LAN)."""
        out: set[tuple[StartLocation, IPv4Network]] = set()
        for device in self.topology.devices.values():
            for name, iface in device.interfaces.items():
                if iface.shutdown:
                    continue
                for addr in iface.addresses:
                    net = addr.address.network
                    if net.prefixlen < 32 and net.subnet_of(prefix):
                        out.add((StartLocation(device.name, name), net))
        lans = {s for s in out if s[1].prefixlen <= 29}
        return sorted(lans or out, key=lambda s: (s[0].device, s[0].interface or "", str(s[1])))

    def host_in(self, net: IPv4Network) -> IPv4Address:
        """An address in ``net`` that no inventoried interface owns (a terminal's address)."""
        last = int(net.broadcast_address) - 1
        first = int(net.network_address) + 1
        for value in range(last, max(first - 1, last - 64), -1):
            ip = IPv4Address(value)
            if not self.topology.owners(ip):
                return ip
        return IPv4Address(last)

    def address_in(
        self, prefixes: Collection[IPv4Network], exclude: Collection[str] = ()
    ) -> IPv4Address | None:
        """An inventoried address inside ``prefixes`` on a device not in ``exclude`` (a
        platform device), else the first host of the first prefix; None when no prefixes."""
        for prefix in sorted(prefixes):
            for device in self.topology.devices.values():
                if device.name in exclude:
                    continue
                for iface in device.interfaces.values():
                    for addr in iface.addresses:
                        if not iface.shutdown and addr.address.ip in prefix:
                            return addr.address.ip
        if not prefixes:
            return None
        first = sorted(prefixes)[0]
        return first.network_address + 1 if first.num_addresses > 1 else first.network_address


def analyse(
    inventory: Inventory,
    devices: Mapping[str, Device],
    unknown_devices: Collection[str] = (),
) -> NetworkAnalysis:
    """Build the analysis for one audit."""
    space = InternalSpace(inventory.city.internal_space)
    links = []
    for unit in inventory.units:
        for link in unit.links:
            da, ia = link.a.split(":", 1)
            db, ib = link.b.split(":", 1)
            links.append(Link(da, ia, db, ib))
    topology = Topology(devices.values(), links)
    fibs = Fibs(topology.devices)
    exits = tuple(find_exits(topology.devices.values(), space, fibs))
    tracer = Tracer(
        topology,
        fibs=fibs,
        exits=exits,
        internal_space=space,
        unknown_devices=frozenset(unknown_devices),
    )
    return NetworkAnalysis(
        topology,
        tracer,
        exits,
        tuple(group_exits(exits)),
        space,
        frozenset(unknown_devices),
    )


__all__ = ["NetworkAnalysis", "analyse"]
