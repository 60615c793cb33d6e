"""Longest-prefix-match tables: the index every network-model stage builds on.

Stage: network model (shared helper). Input: IPv4 prefixes with a value each. Output: a
``PrefixTable`` answering longest-prefix match, all covering prefixes, and exact lookups in at
most 33 dict probes per query (one dict per prefix length, longest length first), which keeps a
city of 10,000 devices fast without a compiled trie.
"""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Address, IPv4Network
from typing import Generic, TypeVar

T = TypeVar("T")

_MASKS = [(0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF for n in range(33)]


class PrefixTable(Generic[T]):
    """A mapping IPv4Network → T with longest-prefix match."""

    __slots__ = ("_by_len", "_lengths")

    def __init__(self) -> None:
        # prefix length → network address as int → (the network object, value); the network
        # object is kept so that lookups never construct one (ipaddress objects are slow).
        self._by_len: dict[int, dict[int, tuple[IPv4Network, T]]] = {}
        self._lengths: list[int] = []  # present prefix lengths, longest first

    def __len__(self) -> int:
        return sum(len(d) for d in self._by_len.values())

    def __contains__(self, net: IPv4Network) -> bool:
        d = self._by_len.get(net.prefixlen)
        return d is not None and int(net.network_address) in d

    def set(self, net: IPv4Network, value: T) -> None:
        d = self._by_len.get(net.prefixlen)
        if d is None:
            d = self._by_len[net.prefixlen] = {}
            self._lengths = sorted(self._by_len, reverse=True)
        d[int(net.network_address)] = (net, value)

    def slot(self, net: IPv4Network) -> dict[int, tuple[IPv4Network, T]]:
        """The dict of ``net``'s prefix length (created when missing): network address as
        int → (network, value). For a caller that reads and then writes one prefix."""
        d = self._by_len.get(net.prefixlen)
        if d is None:
            d = self._by_len[net.prefixlen] = {}
            self._lengths = sorted(self._by_len, reverse=True)
        return d

    def get(self, net: IPv4Network) -> T | None:
        d = self._by_len.get(net.prefixlen)
        if d is None:
            return None
        hit = d.get(int(net.network_address))
        return None if hit is None else hit[1]

    def setdefault(self, net: IPv4Network, value: T) -> T:
        existing = self.get(net)
        if existing is not None:
            return existing
        self.set(net, value)
        return value

    def longest(self, ip: IPv4Address) -> tuple[IPv4Network, T] | None:
        """The most specific prefix containing ``ip`` and its value, or None."""
        return self.longest_value(int(ip))

    def longest_value(self, n: int) -> tuple[IPv4Network, T] | None:
        """``longest`` for an address given as an int."""
        for length in self._lengths:
            hit = self._by_len[length].get(n & _MASKS[length])
            if hit is not None:
                return hit
        return None

    def covering(self, ip: IPv4Address) -> Iterator[tuple[IPv4Network, T]]:
        """Every prefix containing ``ip``, most specific first."""
        n = int(ip)
        for length in self._lengths:
            hit = self._by_len[length].get(n & _MASKS[length])
            if hit is not None:
                yield hit

    def items(self) -> list[tuple[IPv4Network, T]]:
        """All entries, sorted by address then prefix length (deterministic)."""
        # Sorted on the int keys the table already holds (an address/prefix pair is unique).
        keyed = [(key, n, hit) for n, d in self._by_len.items() for key, hit in d.items()]
        keyed.sort(key=_address_and_length)
        return [hit for _key, _n, hit in keyed]


def _address_and_length(entry: tuple[int, int, object]) -> tuple[int, int]:
    return entry[0], entry[1]


__all__ = ["PrefixTable"]
