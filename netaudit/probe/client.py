"""The probe's side of the reflector protocol, over ordinary kernel sockets.

Stage: probe. Input: a reflector address and port, the probe's source address, the guard.
Output: ``Sighting``s — what the reflector saw for a UDP datagram or a TCP connection sent along
the probe host's own routes (source observation), the replies to the sweep's per-host packets
(``ReplyListener``), and the reflector's memory of nonces whose reply never came back
(``query_log``). Every send passes the guard first (allow-list, pacing, packet bound).
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address

from netaudit.probe import wire
from netaudit.probe.plan import TCP_PACKETS_PER_EXCHANGE
from netaudit.probe.safety import Guard, Traffic

UDP_ATTEMPTS = 2


class ReplyListener:
    """A UDP socket on the probe's address collecting reflector replies by nonce."""

    def __init__(self, source: IPv4Address) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((str(source), 0))
        self.port = int(self.sock.getsockname()[1])
        self.replies: dict[str, wire.Sighting] = {}

    def collect(self, wanted: Iterable[str], wait: float) -> dict[str, wire.Sighting]:
        """Wait up to ``wait`` seconds for replies naming the ``wanted`` nonces."""
        want = set(wanted)
        deadline = time.monotonic() + wait
        while want - set(self.replies):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(2048)
            except (TimeoutError, OSError):
                break
            s = wire.parse_reply(data)
            if s is not None and s.nonce in want:
                self.replies[s.nonce] = s
        return {n: s for n, s in self.replies.items() if n in want}

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> ReplyListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True, slots=True)
class ReflectorClient:
    """Talks to reflectors from ``source`` along the probe host's routes, through ``guard``."""

    guard: Guard
    source: IPv4Address
    port: int
    wait: float

    def observe_udp(self, reflector: IPv4Address) -> wire.Sighting | None:
        """Which source ``reflector`` saw for a UDP datagram (one retry); None: no answer."""
        self.guard.check_ip(reflector)
        with ReplyListener(self.source) as listener:
            for attempt in range(UDP_ATTEMPTS):
                nonce = wire.new_nonce()
                self.guard.spend(1, f"asking reflector {reflector} over UDP")
                self.guard.pace(Traffic.TARGET)
                with contextlib.suppress(OSError):
                    listener.sock.sendto(wire.encode_request(nonce), (str(reflector), self.port))
                got = listener.collect([nonce], self.wait * (attempt + 1))
                if nonce in got:
                    return got[nonce]
        return None

    def observe_tcp(self, reflector: IPv4Address) -> tuple[wire.Sighting | None, str | None]:
        """Which source ``reflector`` saw for a TCP connection: (sighting, error)."""
        nonce = wire.new_nonce()
        try:
            lines = self._exchange(reflector, wire.encode_request(nonce))
        except OSError as exc:
            return None, f"TCP to {reflector}:{self.port}: {exc.strerror or exc}"
        for line in lines:
            s = wire.parse_reply(line)
            if s is not None and s.nonce == nonce:
                return s, None
        return None, f"TCP to {reflector}:{self.port}: no valid answer"

    def query_log(
        self, reflector: IPv4Address, nonces: list[str]
    ) -> tuple[dict[str, wire.Sighting], str | None]:
        """Which of ``nonces`` the reflector saw (its memory), asked over TCP: (found, error)."""
        found: dict[str, wire.Sighting] = {}
        for i in range(0, len(nonces), wire.MAX_QUERY_NONCES):
            batch = nonces[i : i + wire.MAX_QUERY_NONCES]
            try:
                lines = self._exchange(reflector, wire.encode_query(batch))
            except OSError as exc:
                return found, f"querying reflector {reflector}:{self.port}: {exc.strerror or exc}"
            for line in lines:
                s = wire.parse_reply(line)
                if s is not None and s.nonce in batch:
                    found[s.nonce] = s
        return found, None

    def _exchange(self, reflector: IPv4Address, line: bytes) -> list[bytes]:
        self.guard.check_ip(reflector)
        self.guard.spend(TCP_PACKETS_PER_EXCHANGE, f"a TCP exchange with reflector {reflector}")
        self.guard.pace(Traffic.TARGET)
        timeout = max(0.5, min(self.wait * 3, self.guard.remaining()))
        with socket.create_connection(
            (str(reflector), self.port), timeout=timeout, source_address=(str(self.source), 0)
        ) as conn:
            conn.sendall(line)
            conn.shutdown(socket.SHUT_WR)
            chunks: list[bytes] = []
            total = 0
            while total < 1 << 20:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
        return b"".join(chunks).splitlines()
