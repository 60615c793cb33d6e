"""The packet a path trace follows.

Stage: analysis. Input: addresses, protocol and ports given by the user or a check. Output: an
immutable ``Flow`` (NAT produces a new one), printable and JSON-ready.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from ipaddress import IPv4Address


class Protocol(StrEnum):
    IP = "ip"  # any IP packet: matches only protocol-agnostic filter rules
    TCP = "tcp"
    UDP = "udp"
    ICMP = "icmp"


@dataclass(frozen=True, slots=True)
class Flow:
    src: IPv4Address
    dst: IPv4Address
    protocol: Protocol = Protocol.IP
    sport: int | None = None
    dport: int | None = None

    def __init__(
        self,
        src: IPv4Address,
        dst: IPv4Address,
        protocol: Protocol = Protocol.IP,
        sport: int | None = None,
        dport: int | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "src", src)
        object.__setattr__(self, "dst", dst)
        object.__setattr__(self, "protocol", protocol)
        object.__setattr__(self, "sport", sport)
        object.__setattr__(self, "dport", dport)

    def replace(
        self,
        *,
        src: IPv4Address | None = None,
        dst: IPv4Address | None = None,
        sport: int | None = None,
        dport: int | None = None,
    ) -> Flow:
        """A copy with some fields changed (what a NAT does)."""
        return dataclasses.replace(
            self,
            src=self.src if src is None else src,
            dst=self.dst if dst is None else dst,
            sport=self.sport if sport is None else sport,
            dport=self.dport if dport is None else dport,
        )

    def __str__(self) -> str:
        def end(ip: IPv4Address, port: int | None) -> str:
            return str(ip) if port is None else f"{ip}:{port}"

        return f"{self.protocol} {end(self.src, self.sport)} -> {end(self.dst, self.dport)}"

    def to_data(self) -> dict[str, str | int | None]:
        return {
            "src_ip": str(self.src),
            "dst_ip": str(self.dst),
            "ip_protocol": self.protocol.value,
            "src_port": self.sport,
            "dst_port": self.dport,
        }


__all__ = ["Flow", "Protocol"]
