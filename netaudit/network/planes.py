"""Address planes: which network (intranet, extranet, office, private, platform, internet) an
address or interface sits on (SPEC §4).

Stage: network model. Input: a mapping plane name → IPv4 prefixes (the pipeline builds it from
the inventory: ``intranet``, ``extranet``, ``office``, ``private:<name>``, ``platform-intranet``,
``platform-extranet``, ``management``) and the city's ``internal_space`` (default RFC 1918 +
100.64.0.0/10). Output: ``PlaneMap.classify`` → the plane name of the most specific matching
prefix; ``internal`` for an address inside internal space that no plane claims; ``internet`` for
an address outside internal space that no plane claims.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from netaudit.model import Interface
from netaudit.network.prefixes import PrefixTable

INTERNAL = "internal"
INTERNET = "internet"

DEFAULT_INTERNAL_SPACE: tuple[IPv4Network, ...] = (
    IPv4Network("10.0.0.0/8"),
    IPv4Network("172.16.0.0/12"),
    IPv4Network("192.168.0.0/16"),
    IPv4Network("100.64.0.0/10"),
)


class InternalSpace:
    """The set of addresses that are not internet (``city.yaml`` ``internal_space``)."""

    __slots__ = ("_table", "prefixes")

    def __init__(self, prefixes: Iterable[IPv4Network] = DEFAULT_INTERNAL_SPACE) -> None:
        self.prefixes: tuple[IPv4Network, ...] = tuple(sorted(set(prefixes)))
        self._table: PrefixTable[bool] = PrefixTable()
        for net in self.prefixes:
            self._table.set(net, True)

    def contains(self, ip: IPv4Address) -> bool:
        return self._table.longest_value(int(ip)) is not None

    def contains_value(self, value: int) -> bool:
        """``contains`` for an address given as an int (no address object built)."""
        return self._table.longest_value(value) is not None

    def contains_network(self, net: IPv4Network) -> bool:
        """True when the whole of ``net`` lies inside internal space."""
        return any(net.subnet_of(p) for p in self.prefixes)


def as_internal_space(space: InternalSpace | Iterable[IPv4Network] | None) -> InternalSpace:
    if isinstance(space, InternalSpace):
        return space
    return InternalSpace() if space is None else InternalSpace(space)


class PlaneMap:
    """Classify addresses into planes; the most specific prefix wins.

    When two planes declare the very same prefix, the plane listed first in the mapping wins
    (the pipeline lists unit planes before city platforms, so a unit's own claim is kept).
    """

    __slots__ = ("_table", "internal_space")

    def __init__(
        self,
        planes: Mapping[str, Sequence[IPv4Network]],
        internal_space: InternalSpace | Iterable[IPv4Network] | None = None,
    ) -> None:
        self.internal_space = as_internal_space(internal_space)
        self._table: PrefixTable[str] = PrefixTable()
        for name, prefixes in planes.items():
            for net in prefixes:
                self._table.setdefault(net, name)

    def classify(self, ip: IPv4Address | IPv4Interface) -> str:
        """The plane of one address."""
        addr = ip.ip if isinstance(ip, IPv4Interface) else ip
        hit = self._table.longest(addr)
        if hit is not None:
            return hit[1]
        return INTERNAL if self.internal_space.contains(addr) else INTERNET

    def classify_interface(self, interface: Interface) -> str | None:
        """The plane of an interface's primary address; None when it has no address."""
        primary = interface.primary
        return None if primary is None else self.classify(primary.address)

    def prefixes(self, plane: str) -> list[IPv4Network]:
        return [net for net, name in self._table.items() if name == plane]


__all__ = [
    "DEFAULT_INTERNAL_SPACE",
    "INTERNAL",
    "INTERNET",
    "InternalSpace",
    "PlaneMap",
    "as_internal_space",
]
