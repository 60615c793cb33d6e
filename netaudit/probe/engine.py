"""The packet engine: the only module that imports scapy.

Stage: probe (the wire). Input: a ``ProbePlan`` and its ``Guard``. Output: the raw observations
— the ARP scan's hosts, the hops of each trace, and the sweep's per-host nonces — sent as
Ethernet frames on the plan's interface only, each frame's destination checked by the guard and
paced to the plan's rates. scapy reads the routing table when imported, so this module is
imported inside the probe's network namespace, after the plan was checked (``run.py``).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address

from netaudit.errors import ProbeError
from netaudit.probe import wire
from netaudit.probe.oui import normalize_mac, vendor_of
from netaudit.probe.plan import ARP_WAIT, TTL_ROUND, UDP_TRACE_BASE, ProbePlan
from netaudit.probe.report import Hop, LanHost, Protocol
from netaudit.probe.safety import Guard, Traffic

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
logging.getLogger("scapy.loading").setLevel(logging.ERROR)

try:
    from scapy.arch import get_if_hwaddr
    from scapy.layers.inet import ICMP, IP, TCP, UDP
    from scapy.layers.l2 import ARP, Ether
    from scapy.packet import Packet, Raw
    from scapy.sendrecv import sendp, srp
except ImportError as exc:  # pragma: no cover - scapy is a declared dependency
    raise ProbeError(f"scapy is not installed ({exc}); pip install scapy") from exc

BROADCAST = "ff:ff:ff:ff:ff:ff"
ICMP_ECHO_REPLY = 0
ICMP_UNREACHABLE = 3
ICMP_TIME_EXCEEDED = 11


class _Paced(list[Packet]):
    """Frames that hand themselves out at a fixed rate while scapy iterates them to send.

    scapy's ``inter`` sleeps *after* each send, so its own per-packet cost (1-2 ms) comes on top
    and the real rate falls well below the one asked; pacing by deadline keeps it exact.
    """

    def __init__(self, frames: Sequence[Packet], interval: float) -> None:
        super().__init__(frames)
        self.interval = interval

    def __iter__(self) -> Iterator[Packet]:
        start = time.monotonic()
        for i, frame in enumerate(super().__iter__()):
            delay = start + i * self.interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            yield frame


@dataclass(frozen=True, slots=True)
class RawTrace:
    """The answers of one (target, protocol) trace, before analysis."""

    target: IPv4Address
    protocol: Protocol
    hops: tuple[Hop, ...]
    reached: bool


@dataclass(frozen=True, slots=True)
class SweepPacket:
    host: LanHost
    nonce: str


class Engine:
    def __init__(self, plan: ProbePlan, guard: Guard) -> None:
        self.plan = plan
        self.guard = guard
        self.iface = plan.interface
        try:
            self.mac = normalize_mac(get_if_hwaddr(self.iface))
        except (ValueError, OSError) as exc:
            raise ProbeError(
                f"interface {self.iface}: cannot read its MAC address ({exc})"
            ) from exc
        self.src = str(plan.address)

    # -- the only two ways a frame leaves ---------------------------------------------------
    def _check(self, frames: Sequence[Packet]) -> None:
        for f in frames:
            if ARP in f:
                if int(f[ARP].op) != 1:
                    raise ProbeError("refusing to send an ARP reply (the probe only asks)")
                self.guard.check_arp(IPv4Address(f[ARP].pdst))
            elif IP in f:
                self.guard.check_ip(IPv4Address(f[IP].dst))
            else:
                raise ProbeError(f"refusing to send a frame that is neither ARP nor IP: {f!r}")

    def _exchange(
        self, frames: Sequence[Packet], traffic: Traffic, what: str
    ) -> list[tuple[Packet, Packet]]:
        """Send ``frames`` paced, collect their answers (query, answer)."""
        if not frames:
            return []
        self._check(frames)
        self.guard.spend(len(frames), what)
        self.guard.pace(traffic)  # the first frame waits for its slot like any other
        wait = self.plan.wait if traffic is Traffic.TARGET else min(self.plan.wait, ARP_WAIT)
        wait = max(0.05, min(wait, self.guard.remaining()))
        answered, _unanswered = srp(
            _Paced(frames, self.guard.interval(traffic)), iface=self.iface, timeout=wait, verbose=0
        )
        self.guard.after_burst(len(frames), traffic)
        return [(q, a) for q, a in answered]

    def _send(self, frames: Sequence[Packet], traffic: Traffic, what: str) -> None:
        if not frames:
            return
        self._check(frames)
        self.guard.spend(len(frames), what)
        self.guard.pace(traffic)  # the first frame waits for its slot like any other
        sendp(_Paced(frames, self.guard.interval(traffic)), iface=self.iface, verbose=0)
        self.guard.after_burst(len(frames), traffic)

    # -- 1. ARP scan --------------------------------------------------------------------------
    def arp_scan(self) -> list[LanHost]:
        frames = [
            Ether(dst=BROADCAST, src=self.mac)
            / ARP(op=1, hwsrc=self.mac, psrc=self.src, pdst=str(addr))
            for addr in self.plan.lan_addresses()
        ]
        hosts: dict[tuple[IPv4Address, str], LanHost] = {}
        for _q, a in self._exchange(frames, Traffic.LAN, "the ARP scan"):
            if ARP not in a or int(a[ARP].op) != 2:
                continue
            addr = IPv4Address(a[ARP].psrc)
            if addr not in self.plan.lan or addr == self.plan.address:
                continue
            mac = normalize_mac(a[ARP].hwsrc)
            hosts[(addr, mac)] = LanHost(addr, mac, vendor_of(mac))
        return sorted(hosts.values(), key=lambda h: (h.address, h.mac))

    # -- 2. traces ------------------------------------------------------------------------------
    def trace(self, targets: Sequence[IPv4Address], next_hop_mac: str) -> list[RawTrace]:
        """ICMP, UDP and TCP SYN traces to each target, ``TTL_ROUND`` TTLs per round."""
        port = self.plan.reflector_port
        icmp_id = random.randrange(1, 0xFFFF)
        udp_sport = random.randrange(40000, 60000)
        tcp_sport = random.randrange(40000, 60000)
        hops: dict[tuple[IPv4Address, Protocol], dict[int, Hop]] = {
            (t, p): {} for t in targets for p in Protocol
        }
        done: dict[tuple[IPv4Address, Protocol], bool] = dict.fromkeys(hops, False)
        reached: dict[tuple[IPv4Address, Protocol], bool] = dict.fromkeys(hops, False)
        for first in range(1, self.plan.max_ttl + 1, TTL_ROUND):
            ttls = range(first, min(first + TTL_ROUND, self.plan.max_ttl + 1))
            frames: list[Packet] = []
            meta: dict[int, tuple[IPv4Address, Protocol, int]] = {}
            for ti, target in enumerate(targets):
                for proto in Protocol:
                    if done[(target, proto)]:
                        continue
                    for ttl in ttls:
                        ip = IP(src=self.src, dst=str(target), ttl=ttl)
                        if proto is Protocol.ICMP:
                            l4: Packet = ICMP(type=8, id=(icmp_id + ti) & 0xFFFF, seq=ttl)
                        elif proto is Protocol.UDP:
                            l4 = UDP(sport=udp_sport + ti, dport=UDP_TRACE_BASE + ttl)
                        else:
                            l4 = TCP(sport=tcp_sport + ti, dport=port, flags="S", seq=ttl * 1000)
                        frame = Ether(src=self.mac, dst=next_hop_mac) / ip / l4
                        meta[id(frame)] = (target, proto, ttl)
                        frames.append(frame)
            if not frames:
                break
            # A frame object's identity survives srp (the query in each answer pair is it).
            for q, a in self._exchange(frames, Traffic.TARGET, f"trace round TTL {first}+"):
                key = meta.get(id(q))
                if key is None or IP not in a:
                    continue
                target, proto, ttl = key
                addr = IPv4Address(a[IP].src)
                rtt = max(0.0, (float(a.time) - float(q.sent_time or a.time)) * 1000.0)
                hops[(target, proto)][ttl] = Hop(
                    ttl, addr, self.plan.is_internal(addr), round(rtt, 3)
                )
                final = addr == target or not (
                    ICMP in a and int(a[ICMP].type) == ICMP_TIME_EXCEEDED
                )
                if addr == target:
                    reached[(target, proto)] = True
                if final or not self.plan.is_internal(addr):
                    done[(target, proto)] = True
            self.guard.check_time("the next trace round")
            if all(done.values()):
                break
        out: list[RawTrace] = []
        for (target, proto), by_ttl in hops.items():
            last = max(by_ttl, default=0)
            seq = tuple(by_ttl.get(t, Hop(t, None, None)) for t in range(1, last + 1))
            out.append(RawTrace(target, proto, seq, reached[(target, proto)]))
        return out

    # -- 3. rogue-gateway sweep ---------------------------------------------------------------
    def sweep(
        self, hosts: Sequence[LanHost], reflector: IPv4Address, sport: int
    ) -> list[SweepPacket]:
        """One UDP request to ``reflector`` per host, addressed to the host's MAC.

        A host that forwards it makes the reflector see (and answer) the packet's nonce; the
        answers arrive on the caller's UDP socket bound to ``sport``.
        """
        packets: list[SweepPacket] = []
        frames: list[Packet] = []
        for host in hosts:
            nonce = wire.new_nonce()
            packets.append(SweepPacket(host, nonce))
            frames.append(
                Ether(src=self.mac, dst=host.mac)
                / IP(src=self.src, dst=str(reflector), ttl=64)
                / UDP(sport=sport, dport=self.plan.reflector_port)
                / Raw(wire.encode_request(nonce))
            )
        self._send(frames, Traffic.TARGET, "the rogue-gateway sweep")
        return packets

    def resolve(self, addr: IPv4Address, hosts: Sequence[LanHost]) -> str | None:
        """The MAC of ``addr`` from the ARP scan, else one ARP request for it."""
        for h in hosts:
            if h.address == addr:
                return h.mac
        frame = Ether(dst=BROADCAST, src=self.mac) / ARP(
            op=1, hwsrc=self.mac, psrc=self.src, pdst=str(addr)
        )
        for _q, a in self._exchange([frame], Traffic.LAN, f"ARP for {addr}"):
            if ARP in a and int(a[ARP].op) == 2 and IPv4Address(a[ARP].psrc) == addr:
                return normalize_mac(a[ARP].hwsrc)
        return None
