"""Layer-3 topology: which interfaces face each other, and who owns which address.

Stage: network model. Input: parsed ``Device`` objects and optional explicit ``Link`` values
(the inventory's ``links:`` for what addresses cannot show, e.g. unnumbered hops). Output: a
``Topology`` with index structures for the tracer and the checks:

- address → owners (device, interface, VRF); a duplicated address yields several owners, never
  an error;
- link subnet → the interfaces on it; two interfaces of different devices whose addresses share
  exactly the same IPv4 network are adjacent (Batfish's inference). Shut interfaces own nothing
  and link nothing; /32 addresses and loopbacks own their address but are not links;
- explicit links, adjacent in both directions.

Everything is keyed by integers and per-length dicts, so building is linear in the number of
addresses and a lookup costs a few dict probes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from netaudit.model import Device, Interface, InterfaceKind
from netaudit.network.prefixes import PrefixTable


@dataclass(frozen=True, slots=True, order=True)
class IfaceRef:
    """One interface of one device, printed ``device:interface`` (the SPEC §8 subject form)."""

    device: str
    interface: str

    def __init__(self, device: str, interface: str) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "device", device)
        object.__setattr__(self, "interface", interface)

    def __str__(self) -> str:
        return f"{self.device}:{self.interface}"


@dataclass(frozen=True, slots=True, order=True)
class Link:
    """An L3 adjacency between two interfaces (inferred or declared in the inventory)."""

    device_a: str
    interface_a: str
    device_b: str
    interface_b: str

    def __init__(self, device_a: str, interface_a: str, device_b: str, interface_b: str) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "device_a", device_a)
        object.__setattr__(self, "interface_a", interface_a)
        object.__setattr__(self, "device_b", device_b)
        object.__setattr__(self, "interface_b", interface_b)

    @property
    def a(self) -> IfaceRef:
        return IfaceRef(self.device_a, self.interface_a)

    @property
    def b(self) -> IfaceRef:
        return IfaceRef(self.device_b, self.interface_b)

    def normalized(self) -> Link:
        """The same link with its ends in sorted order (for deduplication and output)."""
        if (self.device_b, self.interface_b) < (self.device_a, self.interface_a):
            return Link(self.device_b, self.interface_b, self.device_a, self.interface_a)
        return self


@dataclass(frozen=True, slots=True, order=True)
class AddressOwner:
    """An address configured on an active interface."""

    device: str
    interface: str
    vrf: str
    address: IPv4Interface

    def __init__(self, device: str, interface: str, vrf: str, address: IPv4Interface) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "device", device)
        object.__setattr__(self, "interface", interface)
        object.__setattr__(self, "vrf", vrf)
        object.__setattr__(self, "address", address)

    @property
    def ref(self) -> IfaceRef:
        return IfaceRef(self.device, self.interface)


def is_active(interface: Interface) -> bool:
    """An interface that forwards: not administratively down."""
    return not interface.shutdown


def is_link_address(interface: Interface, address: IPv4Interface) -> bool:
    """Whether an address can face another device (loopbacks and /32s cannot)."""
    return interface.kind is not InterfaceKind.LOOPBACK and address.network.prefixlen < 32


class Topology:
    """The devices, their addresses and their L3 adjacencies; fixed once built (next-hop
    answers are cached)."""

    def __init__(self, devices: Iterable[Device], links: Iterable[Link] = ()) -> None:
        self.devices: dict[str, Device] = {d.name: d for d in sorted(devices, key=lambda d: d.name)}
        self._owners: dict[int, list[AddressOwner]] = {}
        self._subnets: PrefixTable[list[AddressOwner]] = PrefixTable()
        self._explicit: dict[IfaceRef, list[IfaceRef]] = {}
        # next_hop_owners by (device, interface, address): traces ask the same again and again
        self._next_hops: dict[tuple[str, str, int], list[IfaceRef]] = {}
        self.explicit_links: tuple[Link, ...] = tuple(sorted({ln.normalized() for ln in links}))
        for device in self.devices.values():
            # Only interfaces with an address own anything (most switch ports have none).
            for name in sorted(n for n, i in device.interfaces.items() if i.addresses):
                interface = device.interfaces[name]
                if not is_active(interface):
                    continue
                for addr in interface.addresses:
                    owner = AddressOwner(device.name, name, interface.vrf, addr.address)
                    self._owners.setdefault(int(addr.address.ip), []).append(owner)
                    if is_link_address(interface, addr.address):
                        self._subnets.setdefault(addr.address.network, []).append(owner)
        for link in self.explicit_links:
            self._explicit.setdefault(link.a, []).append(link.b)
            self._explicit.setdefault(link.b, []).append(link.a)
        for owners in self._owners.values():
            owners.sort()

    # ------------------------------------------------------------------ lookups

    def device(self, name: str) -> Device | None:
        return self.devices.get(name)

    def interface(self, device: str, interface: str) -> Interface | None:
        dev = self.devices.get(device)
        return None if dev is None else dev.interfaces.get(interface)

    def owners(self, ip: IPv4Address) -> list[AddressOwner]:
        """Every active interface that has ``ip`` configured (sorted; may be several)."""
        return list(self._owners.get(int(ip), ()))

    def owned_by(self, device: str, ip: IPv4Address, vrf: str | None = None) -> bool:
        """Whether ``device`` has ``ip`` on an active interface (in ``vrf`` when given)."""
        return any(
            o.device == device and (vrf is None or o.vrf == vrf)
            for o in self._owners.get(int(ip), ())
        )

    def on_subnet(self, net: IPv4Network) -> list[AddressOwner]:
        """The link interfaces whose address network is exactly ``net``."""
        return list(self._subnets.get(net) or ())

    def subnets_containing(self, ip: IPv4Address) -> list[AddressOwner]:
        """Link interfaces whose connected subnet contains ``ip``, most specific subnet first."""
        out: list[AddressOwner] = []
        for _net, owners in self._subnets.covering(ip):
            out.extend(owners)
        return out

    def is_inside_network(self, ip: IPv4Address) -> bool:
        """``ip`` is owned by, or on a connected subnet of, some inventoried device."""
        return int(ip) in self._owners or self._subnets.longest(ip) is not None

    def neighbors(self, device: str, interface: str) -> list[IfaceRef]:
        """Interfaces of other devices adjacent to ``device:interface`` (sorted)."""
        found: set[IfaceRef] = set(self._explicit.get(IfaceRef(device, interface), ()))
        iface = self.interface(device, interface)
        if iface is not None and is_active(iface):
            for addr in iface.addresses:
                if not is_link_address(iface, addr.address):
                    continue
                for owner in self._subnets.get(addr.address.network) or ():
                    if owner.device != device:
                        found.add(owner.ref)
        return sorted(found)

    def next_hop_owners(self, device: str, interface: str, arp_ip: IPv4Address) -> list[IfaceRef]:
        """Who answers ARP for ``arp_ip`` out of ``device:interface``.

        The owners of ``arp_ip`` on a subnet shared with the interface; when nobody there owns
        it, the far ends of explicit links (an unnumbered or L2-only hop declared in the
        inventory). Sorted; several entries mean a duplicated address.
        """
        key = (device, interface, int(arp_ip))
        known = self._next_hops.get(key)
        if known is None:
            known = self._next_hops[key] = self._next_hop_owners(device, interface, arp_ip)
        return list(known)

    def _next_hop_owners(self, device: str, interface: str, arp_ip: IPv4Address) -> list[IfaceRef]:
        iface = self.interface(device, interface)
        nets = (
            {a.address.network for a in iface.addresses if is_link_address(iface, a.address)}
            if iface is not None
            else set()
        )
        found = sorted(
            {
                o.ref
                for o in self._owners.get(int(arp_ip), ())
                if o.device != device and o.address.network in nets
            }
        )
        if found:
            return found
        return sorted(self._explicit.get(IfaceRef(device, interface), ()))

    def inferred_links(self) -> list[Link]:
        """Links inferred from shared subnets (sorted, each once)."""
        links: set[Link] = set()
        for _net, owners in self._subnets.items():
            for i, a in enumerate(owners):
                for b in owners[i + 1 :]:
                    if a.device != b.device:
                        links.add(Link(a.device, a.interface, b.device, b.interface).normalized())
        return sorted(links)

    def links(self) -> list[Link]:
        """Inferred and explicit links together (sorted, each once)."""
        return sorted(set(self.inferred_links()) | set(self.explicit_links))

    def duplicate_addresses(self) -> dict[IPv4Address, list[AddressOwner]]:
        """Addresses configured on more than one device (sorted by address)."""
        dup = {
            IPv4Address(n): owners
            for n, owners in self._owners.items()
            if len({o.device for o in owners}) > 1
        }
        return dict(sorted(dup.items()))


__all__ = [
    "AddressOwner",
    "IfaceRef",
    "Link",
    "Topology",
    "is_active",
    "is_link_address",
]
