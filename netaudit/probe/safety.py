"""Probe safety: where a probe may send, how fast, how much and for how long.

Stage: probe (before every packet). Input: the inventory's allow-list (``city.probe.targets``),
the probe's LAN, the rate, packet and time bounds. Output: ``check_targets`` refuses a target list
that leaves the allow-list (one clear error naming the address and the list), and ``Guard``
checks every packet before it is sent — IP packets only to allowed targets, ARP only who-has for
the probe's own LAN — paces packets to the rate and stops the run at the packet or time bound.
Nothing is sent without passing here: the engine hands each packet's destination to the guard.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from ipaddress import IPv4Address, IPv4Network

from netaudit.errors import ProbeError

# RFC 5737 TEST-NET-1: documentation only, never a real probe target; on the machines netaudit
# is developed and tested on it is the host's own network, so a probe must never send there.
NEVER = IPv4Network("192.0.2.0/24")

DEFAULT_MAX_PACKETS = 2000
DEFAULT_TIMEOUT = 120.0  # seconds for the whole run
DEFAULT_LAN_RATE = 250.0  # ARP requests per second on the probe's own LAN
MAX_LAN_ADDRESSES = 4094  # a /20: larger LANs are swept in parts (probes per segment)


class LimitReached(ProbeError):
    """A packet or time bound stopped the run (the report keeps what was observed)."""


class Traffic(StrEnum):
    TARGET = "target"  # an IP packet to an allow-listed target (through some gateway)
    LAN = "lan"  # an ARP request on the probe's own LAN


def _fmt(addrs: Iterable[IPv4Address]) -> str:
    listed = ", ".join(str(a) for a in addrs)
    return f"[{listed}]" if listed else "[] (empty)"


def refuse_reason(addr: IPv4Address) -> str | None:
    """Why ``addr`` can never be a probe target, whatever the allow-list says."""
    if addr in NEVER:
        return f"{addr} is in {NEVER} (documentation range, RFC 5737)"
    if addr.is_loopback or addr.is_multicast or addr.is_unspecified or addr.is_link_local:
        return f"{addr} is a loopback, multicast, link-local or unspecified address"
    if addr == IPv4Address("255.255.255.255"):
        return f"{addr} is the broadcast address"
    return None


def check_targets(
    wanted: Iterable[IPv4Address], allowed: Iterable[IPv4Address], where: str
) -> tuple[IPv4Address, ...]:
    """``wanted`` unchanged when every address is allowed; else a ProbeError naming it.

    ``where`` says where the address came from (``city.yaml probe.reflectors``, ``--target``).
    """
    allow = list(dict.fromkeys(allowed))
    out: list[IPv4Address] = []
    for addr in wanted:
        reason = refuse_reason(addr)
        if reason is not None:
            raise ProbeError(f"refusing to probe {addr} ({where}): {reason}")
        if addr not in allow:
            raise ProbeError(
                f"refusing to probe {addr} ({where}): not in the allow-list "
                f"city.yaml probe.targets {_fmt(allow)}; a probe sends only to those addresses "
                "(and ARP on its own LAN)"
            )
        if addr not in out:
            out.append(addr)
    return tuple(out)


@dataclass(slots=True)
class Limits:
    rate: float  # packets per second toward targets
    lan_rate: float = DEFAULT_LAN_RATE  # ARP requests per second
    max_packets: int = DEFAULT_MAX_PACKETS
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        if not self.rate > 0 or not self.lan_rate > 0:
            raise ProbeError("--rate must be a positive number of packets per second")
        if self.max_packets < 1:
            raise ProbeError("--max-packets must be at least 1")
        if not self.timeout > 0:
            raise ProbeError("--timeout must be a positive number of seconds")


class Guard:
    """Checks, paces and counts every packet of one run."""

    def __init__(
        self,
        targets: Iterable[IPv4Address],
        lan: IPv4Network,
        limits: Limits,
        *,
        clock: float | None = None,
    ) -> None:
        self.targets = frozenset(targets)
        self.lan = lan
        self.limits = limits
        self.started = time.monotonic() if clock is None else clock
        self.deadline = self.started + limits.timeout
        self.sent = 0
        self._next_slot = {Traffic.TARGET: self.started, Traffic.LAN: self.started}

    # -- where ------------------------------------------------------------------------------
    def check_ip(self, dst: IPv4Address) -> None:
        if refuse_reason(dst) is not None or dst not in self.targets:
            raise ProbeError(
                f"refusing to send to {dst}: not in the allow-list city.yaml probe.targets "
                f"{_fmt(sorted(self.targets))}"
            )

    def check_arp(self, pdst: IPv4Address) -> None:
        if pdst not in self.lan or pdst in NEVER:
            raise ProbeError(f"refusing to ARP for {pdst}: outside the probe's LAN {self.lan}")

    # -- how much and how long ----------------------------------------------------------------
    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def check_time(self, what: str) -> None:
        if self.remaining() <= 0:
            raise LimitReached(
                f"time bound of {self.limits.timeout:g} s reached before {what} "
                "(raise --timeout to let the probe finish)"
            )

    def spend(self, n: int, what: str) -> None:
        """Account for ``n`` packets about to be sent; LimitReached when over a bound."""
        self.check_time(what)
        if self.sent + n > self.limits.max_packets:
            raise LimitReached(
                f"packet bound of {self.limits.max_packets} reached before {what} "
                f"({self.sent} sent, {n} more needed; raise --max-packets to let it finish)"
            )
        self.sent += n

    def interval(self, traffic: Traffic) -> float:
        """Seconds between two packets of this kind of traffic."""
        rate = self.limits.rate if traffic is Traffic.TARGET else self.limits.lan_rate
        return 1.0 / rate

    def pace(self, traffic: Traffic = Traffic.TARGET) -> None:
        """Sleep until the next packet of this kind may go (for packets sent one by one)."""
        now = time.monotonic()
        slot = max(self._next_slot[traffic], now)
        if slot > now:
            time.sleep(slot - now)
        self._next_slot[traffic] = slot + self.interval(traffic)

    def after_burst(self, n: int, traffic: Traffic = Traffic.TARGET) -> None:
        """A burst paced by the sender itself (scapy ``inter``) just ended: move the slot."""
        self._next_slot[traffic] = max(self._next_slot[traffic], time.monotonic()) + (
            self.interval(traffic) if n else 0.0
        )
