"""The reflector: the small service outside the e-government network that probes talk to.

Stage: probe (far end). Input: probe requests (``wire.py``) over UDP and TCP on each listen
address. Output: one reply per request naming the request's nonce and the source address and port
the reflector saw — the public address of the exit the packet left through — and a bounded
memory of recent sightings that probes query over TCP (a forwarded packet whose reply could not
come back still counts as seen). Replies are never larger than requests and are globally rate
limited, so the reflector cannot be used to amplify spoofed traffic.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address

from netaudit.errors import ProbeError
from netaudit.probe import wire
from netaudit.probe.report import Protocol

# Linux <netinet/in.h>; Python 3.11's socket module does not export it.
IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)
_PKTINFO = struct.Struct("@i4s4s")  # struct in_pktinfo: ifindex, spec_dst, addr

SIGHTINGS_KEPT = 100_000
SIGHTING_TTL = 600.0  # seconds a sighting stays queryable
REPLIES_PER_SECOND = 500.0
TCP_READ_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class ListenAddress:
    host: IPv4Address
    port: int

    @classmethod
    def parse(cls, text: str) -> ListenAddress:
        host, sep, port = text.rpartition(":")
        try:
            if not sep:
                raise ValueError
            value = cls(IPv4Address(host or "0.0.0.0"), int(port))
            if not 0 < value.port < 65536:
                raise ValueError
        except ValueError:
            raise ProbeError(
                f"--listen {text!r}: expected ADDRESS:PORT, e.g. 0.0.0.0:33434"
            ) from None
        return value

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


class _TokenBucket:
    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.stamp = burst, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class Reflector:
    """Serve probes on each listen address (UDP and TCP) until ``stop()``."""

    def __init__(
        self,
        listen: Sequence[ListenAddress],
        *,
        rate: float = REPLIES_PER_SECOND,
        log: bool = False,
    ) -> None:
        self.listen = list(listen)
        self.sightings: OrderedDict[str, tuple[float, wire.Sighting]] = OrderedDict()
        self.bucket = _TokenBucket(rate, burst=max(rate, 1.0))
        self.log = log
        self._udp: list[socket.socket] = []
        self._servers: list[asyncio.Server] = []
        self._stopped = asyncio.Event()

    # -- bookkeeping ------------------------------------------------------------------------
    def _record(self, s: wire.Sighting) -> None:
        now = time.monotonic()
        self.sightings[s.nonce] = (now, s)
        self.sightings.move_to_end(s.nonce)
        while self.sightings:
            stamp, _ = next(iter(self.sightings.values()))
            if len(self.sightings) <= SIGHTINGS_KEPT and now - stamp <= SIGHTING_TTL:
                break
            self.sightings.popitem(last=False)
        if self.log:
            print(f"{s.protocol.value} {s.source}:{s.port} nonce {s.nonce}", flush=True)

    def seen(self, nonce: str) -> wire.Sighting | None:
        entry = self.sightings.get(nonce)
        if entry is None or time.monotonic() - entry[0] > SIGHTING_TTL:
            return None
        return entry[1]

    # -- UDP --------------------------------------------------------------------------------
    def _on_udp(self, sock: socket.socket) -> None:
        while True:
            try:
                data, anc, _flags, peer = sock.recvmsg(2048, socket.CMSG_SPACE(_PKTINFO.size))
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            nonce = wire.parse_request(data)
            if nonce is None or not self.bucket.take():
                continue
            sighting = wire.Sighting(nonce, Protocol.UDP, IPv4Address(peer[0]), int(peer[1]))
            self._record(sighting)
            # Answer from the address the request was sent to: with a wildcard listener the
            # kernel would otherwise pick the route's source, and the exit's NAT would drop a
            # reply that does not come from the address its connection entry expects.
            cmsg = []
            for level, kind, payload in anc:
                if level == socket.IPPROTO_IP and kind == IP_PKTINFO:
                    _ifindex, spec_dst, _addr = _PKTINFO.unpack(payload[: _PKTINFO.size])
                    cmsg = [(socket.IPPROTO_IP, IP_PKTINFO, _PKTINFO.pack(0, spec_dst, b"\0" * 4))]
            with contextlib.suppress(OSError):
                sock.sendmsg([wire.encode_reply(sighting)], cmsg, 0, peer)

    # -- TCP --------------------------------------------------------------------------------
    async def _on_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            peer = writer.get_extra_info("peername")
            line = await asyncio.wait_for(reader.readline(), TCP_READ_TIMEOUT)
            nonce = wire.parse_request(line)
            if nonce is not None:
                if not self.bucket.take():
                    return
                sighting = wire.Sighting(nonce, Protocol.TCP, IPv4Address(peer[0]), int(peer[1]))
                self._record(sighting)
                writer.write(wire.encode_reply(sighting))
            else:
                nonces = wire.parse_query(line)
                if nonces is None:
                    return
                for n in nonces:
                    s = self.seen(n)
                    if s is not None:
                        writer.write(wire.encode_reply(s, "SEEN"))
                writer.write(b"END\n")
            await writer.drain()
        except (TimeoutError, ConnectionError, ValueError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    # -- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            for addr in self.listen:
                sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
                sock.setblocking(False)
                sock.bind((str(addr.host), addr.port))
                self._udp.append(sock)
                loop.add_reader(sock.fileno(), self._on_udp, sock)
                server = await asyncio.start_server(
                    self._on_tcp, str(addr.host), addr.port, reuse_address=True, limit=65536
                )
                self._servers.append(server)
        except OSError as exc:
            self.close()
            raise ProbeError(f"reflector cannot listen on {addr}: {exc.strerror or exc}") from exc

    def close(self) -> None:
        loop = asyncio.get_event_loop()
        for sock in self._udp:
            with contextlib.suppress(ValueError, OSError):
                loop.remove_reader(sock.fileno())
            sock.close()
        self._udp.clear()
        for server in self._servers:
            server.close()
        self._servers.clear()

    def stop(self) -> None:
        self._stopped.set()

    async def wait(self) -> None:
        await self._stopped.wait()

    async def serve(self) -> None:
        """Listen, serve until ``stop()``, close."""
        await self.start()
        try:
            await self.wait()
        finally:
            self.close()
