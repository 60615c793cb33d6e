"""The probe ↔ reflector protocol: a few ASCII lines, the same over UDP and TCP.

Stage: probe (both ends). Input: bytes from the network. Output: parsed requests and replies.

    probe request   NETAUDIT-PROBE/1 <nonce>            padded with spaces to REQUEST_SIZE bytes
    reflector reply NETAUDIT-REFLECT/1 <nonce> <proto> <source-ip> <source-port>
    log query (TCP) NETAUDIT-QUERY/1 <nonce> <nonce> ...
    query answer    NETAUDIT-SEEN/1 <nonce> <proto> <source-ip> <source-port>   one per seen nonce,
                    then END

A nonce is 16 lower-case hex digits, fresh per packet, so a reply names the exact packet (and so
the LAN host it was addressed to) that reached the reflector. Requests are padded to be longer
than any reply: a reflector on the internet can never amplify a spoofed UDP request.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from ipaddress import IPv4Address

from netaudit.probe.report import Protocol

REQUEST_SIZE = 96  # bytes; every reply line is shorter (see module docstring)
MAX_QUERY_NONCES = 1024

_NONCE = r"[0-9a-f]{16}"
_REQUEST = re.compile(rf"^NETAUDIT-PROBE/1 ({_NONCE}) *\n?$")
_REPLY = re.compile(
    rf"^NETAUDIT-(REFLECT|SEEN)/1 ({_NONCE}) (udp|tcp) (\d{{1,3}}(?:\.\d{{1,3}}){{3}}) (\d{{1,5}})$"
)
_QUERY = re.compile(rf"^NETAUDIT-QUERY/1((?: {_NONCE})+) *$")


def new_nonce() -> str:
    return secrets.token_hex(8)


def encode_request(nonce: str) -> bytes:
    line = f"NETAUDIT-PROBE/1 {nonce}"
    return line.ljust(REQUEST_SIZE - 1).encode("ascii") + b"\n"


def parse_request(data: bytes) -> str | None:
    """The nonce of a well-formed, full-size request; None for anything else."""
    if len(data) < REQUEST_SIZE:
        return None
    m = _REQUEST.match(data.decode("ascii", "replace"))
    return m.group(1) if m else None


@dataclass(frozen=True, slots=True)
class Sighting:
    """The reflector's account of one probe packet: its nonce and the source it came from."""

    nonce: str
    protocol: Protocol
    source: IPv4Address
    port: int


def encode_reply(s: Sighting, kind: str = "REFLECT") -> bytes:
    return f"NETAUDIT-{kind}/1 {s.nonce} {s.protocol.value} {s.source} {s.port}\n".encode("ascii")


def parse_reply(line: bytes) -> Sighting | None:
    """A reply or query-answer line; None when malformed."""
    m = _REPLY.match(line.decode("ascii", "replace").strip())
    if not m:
        return None
    try:
        return Sighting(m.group(2), Protocol(m.group(3)), IPv4Address(m.group(4)), int(m.group(5)))
    except ValueError:
        return None


def encode_query(nonces: list[str]) -> bytes:
    return ("NETAUDIT-QUERY/1 " + " ".join(nonces) + "\n").encode("ascii")


def parse_query(line: bytes) -> list[str] | None:
    m = _QUERY.match(line.decode("ascii", "replace").strip())
    if not m:
        return None
    nonces = m.group(1).split()
    return nonces[:MAX_QUERY_NONCES]
