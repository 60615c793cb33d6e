"""A small SNMP agent for simulated devices: v2c and v3 (USM authPriv), read-only, asyncio UDP.

Stage: simulation. Input: a ``Mib`` (sorted OIDs with pre-encoded values, built from a device's
config by ``simulate/mib.py``) and the device's SNMP access (community, or USM user with
SHA/SHA-256 authentication and AES-128 privacy). Output: answers to GET, GETNEXT and GETBULK on a
UDP socket, as a real agent would; discovery (RFC 3414 §4) and the usmStats reports for unknown
engine IDs, unknown users and wrong digests. Unknown communities get no answer (as on real
agents). Timeliness is not enforced: the simulated engine trusts the boots/time it is sent.

Written on ``hashlib``/``hmac`` and ``cryptography`` rather than on pysnmp's responder, so one
process can serve hundreds of agents cheaply (one engine per device costs too much there).
"""

from __future__ import annotations

import asyncio
import bisect
import functools
import hashlib
import hmac
import os
import time
from dataclasses import dataclass, field

from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

from netaudit.simulate import ber

USM_STATS = (1, 3, 6, 1, 6, 3, 15, 1, 1)
UNKNOWN_USER_NAMES = (*USM_STATS, 3, 0)
UNKNOWN_ENGINE_IDS = (*USM_STATS, 4, 0)
WRONG_DIGESTS = (*USM_STATS, 5, 0)
DECRYPTION_ERRORS = (*USM_STATS, 6, 0)
MAX_RESPONSE = 60000  # bytes; GETBULK answers stop growing past this
NOT_WRITABLE = 17

# auth protocol name → (hash, digest bytes sent on the wire)
AUTH_PROTOCOLS = {"sha": ("sha1", 12), "sha-256": ("sha256", 24), "sha256": ("sha256", 24)}


class Mib:
    """Sorted OIDs with their BER-encoded values; lookups are bisections."""

    def __init__(self, values: dict[tuple[int, ...], bytes]) -> None:
        self._oids = sorted(values)
        self._values = values

    def __len__(self) -> int:
        return len(self._oids)

    def get(self, oid: tuple[int, ...]) -> bytes | None:
        return self._values.get(oid)

    def next(self, oid: tuple[int, ...]) -> tuple[tuple[int, ...], bytes] | None:
        i = bisect.bisect_right(self._oids, oid)
        if i >= len(self._oids):
            return None
        nxt = self._oids[i]
        return nxt, self._values[nxt]


@functools.cache
def _password_key(password: bytes, hash_name: str) -> bytes:
    """RFC 3414 A.2: hash the password repeated to one megabyte (cached: it costs ~2 ms)."""
    if not password:
        raise ValueError("an SNMPv3 key cannot be empty")
    reps = (1048576 // len(password)) + 1
    return hashlib.new(hash_name, (password * reps)[:1048576]).digest()


def localize_key(password: str, hash_name: str, engine_id: bytes) -> bytes:
    ku = _password_key(password.encode("utf-8"), hash_name)
    return hashlib.new(hash_name, ku + engine_id + ku).digest()


@dataclass(frozen=True, slots=True)
class UsmUser:
    name: bytes
    hash_name: str
    digest_len: int
    auth_key: bytes  # localized
    priv_key: bytes  # localized (first 16 bytes: AES-128)

    @classmethod
    def create(
        cls, name: str, auth_password: str, priv_password: str, engine_id: bytes, auth: str = "sha"
    ) -> UsmUser:
        hash_name, digest_len = AUTH_PROTOCOLS[auth.lower()]
        return cls(
            name.encode("utf-8"),
            hash_name,
            digest_len,
            localize_key(auth_password, hash_name, engine_id),
            localize_key(priv_password, hash_name, engine_id),
        )

    def digest(self, message: bytes) -> bytes:
        return hmac.new(self.auth_key, message, self.hash_name).digest()[: self.digest_len]

    def _cipher(self, boots: int, etime: int, salt: bytes) -> Cipher[CFB]:
        iv = boots.to_bytes(4, "big") + etime.to_bytes(4, "big") + salt
        return Cipher(algorithms.AES(self.priv_key[:16]), CFB(iv))

    def decrypt(self, data: bytes, boots: int, etime: int, salt: bytes) -> bytes:
        dec = self._cipher(boots, etime, salt).decryptor()
        return dec.update(data) + dec.finalize()

    def encrypt(self, data: bytes, boots: int, etime: int, salt: bytes) -> bytes:
        enc = self._cipher(boots, etime, salt).encryptor()
        return enc.update(data) + enc.finalize()


def engine_id_for(name: str) -> bytes:
    """RFC 3411 engine ID: enterprise 8072 (net-snmp), format 4 (text), the device name."""
    return b"\x80\x00\x1f\x88\x04" + name.encode("utf-8")[:27]


@dataclass(slots=True)
class AgentConfig:
    mib: Mib
    engine_id: bytes
    community: bytes | None = None
    users: dict[bytes, UsmUser] = field(default_factory=dict)
    silent: bool = False  # fault: never answer
    boots: int = 1
    started: float = field(default_factory=time.monotonic)
    counters: dict[tuple[int, ...], int] = field(default_factory=dict)

    def engine_time(self) -> int:
        return int(time.monotonic() - self.started)

    def bump(self, oid: tuple[int, ...]) -> int:
        self.counters[oid] = self.counters.get(oid, 0) + 1
        return self.counters[oid]


# --------------------------------------------------------------------------- PDUs


def _varbind(oid: tuple[int, ...], value: bytes) -> bytes:
    return ber.seq(ber.oid(oid), value)


def answer_pdu(mib: Mib, pdu: ber.Tlv) -> bytes:
    """The RESPONSE PDU for a GET / GETNEXT / GETBULK (SET is refused: read-only agent)."""
    request_id, first, second, bindings = pdu.children()
    oids = [vb.children()[0].oid() for vb in bindings.children()]
    rid = request_id.integer()
    out: list[bytes] = []
    status = 0
    index = 0
    if pdu.tag == ber.GET:
        for o in oids:
            value = mib.get(o)
            out.append(_varbind(o, value if value is not None else ber.null(ber.NO_SUCH_INSTANCE)))
    elif pdu.tag == ber.GET_NEXT:
        out.extend(_next(mib, o) for o in oids)
    elif pdu.tag == ber.GET_BULK:
        non_repeaters = max(0, first.integer())
        max_repetitions = max(0, second.integer())
        out.extend(_next(mib, o) for o in oids[:non_repeaters])
        cursor = list(oids[non_repeaters:])
        size = sum(len(v) for v in out)
        for _ in range(max_repetitions):
            if not cursor or size > MAX_RESPONSE:
                break
            for i, o in enumerate(cursor):
                found = mib.next(o)
                if found is None:
                    vb = _varbind(o, ber.null(ber.END_OF_MIB_VIEW))
                else:
                    cursor[i] = found[0]
                    vb = _varbind(found[0], found[1])
                out.append(vb)
                size += len(vb)
    else:  # SET and anything else: read-only
        status, index = NOT_WRITABLE, 1
        out = [_varbind(o, ber.null()) for o in oids]
    return ber.seq(
        ber.integer(rid),
        ber.integer(status),
        ber.integer(index),
        ber.seq(*out),
        tag=ber.RESPONSE,
    )


def _next(mib: Mib, oid: tuple[int, ...]) -> bytes:
    found = mib.next(oid)
    if found is None:
        return _varbind(oid, ber.null(ber.END_OF_MIB_VIEW))
    return _varbind(*found)


# --------------------------------------------------------------------------- messages


def handle_message(cfg: AgentConfig, data: bytes) -> bytes | None:
    """One request datagram → the response datagram (None: stay silent)."""
    if cfg.silent:
        return None
    try:
        message, _ = ber.decode(data)
        items = message.children()
        version = items[0].integer()
        if version in (0, 1):
            return _handle_community(cfg, version, items)
        if version == 3:
            return _handle_v3(cfg, data, items)
    except (ber.BerError, ValueError, IndexError):
        return None  # malformed: real agents drop it (snmpInASNParseErrs)
    return None


def _handle_community(cfg: AgentConfig, version: int, items: list[ber.Tlv]) -> bytes | None:
    community = items[1].octets()
    if cfg.community is None or not hmac.compare_digest(community, cfg.community):
        return None
    response = answer_pdu(cfg.mib, items[2])
    return ber.seq(ber.integer(version), ber.octets(community), response)


def _offsets(data: bytes) -> list[tuple[ber.Tlv, int]]:
    """Children of the SEQUENCE at the start of ``data`` with the offset of each value."""
    outer, _ = ber.decode(data)
    start = len(data) - len(outer.raw) if len(outer.raw) <= len(data) else 0
    out = []
    offset = start
    while offset < start + len(outer.raw):
        child, end = ber.decode(data, offset)
        out.append((child, end - len(child.raw)))
        offset = end
    return out


def _handle_v3(cfg: AgentConfig, data: bytes, items: list[ber.Tlv]) -> bytes | None:
    header = items[1].children()
    msg_id = header[0].integer()
    flags = header[2].octets()[0] if header[2].octets() else 0
    auth, priv, reportable = bool(flags & 1), bool(flags & 2), bool(flags & 4)
    sec_raw = items[2].octets()
    sec = ber.decode(sec_raw)[0].children()
    engine_id, boots, etime = sec[0].octets(), sec[1].integer(), sec[2].integer()
    user_name, auth_params, priv_params = sec[3].octets(), sec[4].octets(), sec[5].octets()

    def report(oid: tuple[int, ...], request_id: int = 0) -> bytes | None:
        if not reportable:
            return None
        pdu = ber.seq(
            ber.integer(request_id),
            ber.integer(0),
            ber.integer(0),
            ber.seq(_varbind(oid, ber.unsigned(cfg.bump(oid), ber.COUNTER32))),
            tag=ber.REPORT,
        )
        return _v3_message(cfg, msg_id, user_name, None, pdu)

    if engine_id != cfg.engine_id:
        rid = 0
        if not auth and items[3].tag == ber.SEQUENCE:
            scoped = items[3].children()
            rid = scoped[2].children()[0].integer()
        return report(UNKNOWN_ENGINE_IDS, rid)
    user = cfg.users.get(user_name)
    if user is None:
        return report(UNKNOWN_USER_NAMES)
    if not auth or not priv:
        return None  # the simulated users are authPriv only (noAuth/authNoPriv: no access)
    # Verify the digest over the whole message with the authentication parameters zeroed.
    sec_value_start = _offsets(data)[2][1]
    inner = _offsets(sec_raw)
    auth_start = sec_value_start + inner[4][1]
    zeroed = data[:auth_start] + bytes(len(auth_params)) + data[auth_start + len(auth_params) :]
    if len(auth_params) != user.digest_len or not hmac.compare_digest(
        user.digest(zeroed), auth_params
    ):
        return report(WRONG_DIGESTS)
    try:
        plain = user.decrypt(items[3].octets(), boots, etime, priv_params)
        scoped = ber.decode(plain)[0].children()
        pdu = scoped[2]
    except (ber.BerError, ValueError, IndexError):
        return report(DECRYPTION_ERRORS)
    response = answer_pdu(cfg.mib, pdu)
    return _v3_message(cfg, msg_id, user_name, user, response, context=scoped[1].octets())


def _v3_message(
    cfg: AgentConfig,
    msg_id: int,
    user_name: bytes,
    user: UsmUser | None,
    pdu: bytes,
    *,
    context: bytes = b"",
) -> bytes:
    boots, etime = cfg.boots, cfg.engine_time()
    scoped = ber.seq(ber.octets(cfg.engine_id), ber.octets(context), pdu)
    if user is None:
        flags, salt, body, digest_len = 0, b"", scoped, 0
    else:
        flags, salt = 3, os.urandom(8)
        body = ber.octets(user.encrypt(scoped, boots, etime, salt))
        digest_len = user.digest_len
    head = (
        ber.octets(cfg.engine_id) + ber.integer(boots) + ber.integer(etime) + ber.octets(user_name)
    )
    auth_tlv = ber.octets(bytes(digest_len))
    sec = ber.seq(head, auth_tlv, ber.octets(salt))
    sec_wrapped = ber.octets(sec)
    front = ber.integer(3) + ber.seq(
        ber.integer(msg_id), ber.integer(65507), ber.octets(bytes([flags])), ber.integer(3)
    )
    message = ber.seq(front, sec_wrapped, body)
    if user is None:
        return message
    # Where the zeroed digest sits: after the outer header, `front`, the OCTET STRING header
    # of the security parameters, their SEQUENCE header, `head`, and the digest's own TLV header.
    outer_header = len(message) - len(front) - len(sec_wrapped) - len(body)
    sec_header = len(sec_wrapped) - len(sec)
    seq_header = len(sec) - len(head) - len(auth_tlv) - len(ber.octets(salt))
    at = outer_header + len(front) + sec_header + seq_header + len(head) + 2
    digest = user.digest(message)
    return message[:at] + digest + message[at + digest_len :]


# --------------------------------------------------------------------------- transport


class AgentProtocol(asyncio.DatagramProtocol):
    def __init__(self, cfg: AgentConfig) -> None:
        self.cfg = cfg
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # always a datagram transport

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        reply = handle_message(self.cfg, data)
        if reply is not None and self.transport is not None:
            self.transport.sendto(reply, addr)


async def serve_agent(cfg: AgentConfig, host: str, port: int) -> asyncio.DatagramTransport:
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(
        lambda: AgentProtocol(cfg), local_addr=(host, port)
    )
    return transport
