"""A minimal BER codec: exactly what the simulated SNMP agent needs (X.690 definite lengths).

Stage: simulation. Input: bytes of an SNMP message, or Python values to encode. Output: decoded
``Tlv`` trees, or encoded bytes. Only the universal and SNMP application types an agent reads and
writes are covered (INTEGER, OCTET STRING, NULL, OBJECT IDENTIFIER, SEQUENCE, IpAddress,
Counter32, Gauge32, TimeTicks, the context-tagged PDUs and the varbind exceptions).
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address

INTEGER = 0x02
OCTET_STRING = 0x04
NULL = 0x05
OID = 0x06
SEQUENCE = 0x30
IP_ADDRESS = 0x40
COUNTER32 = 0x41
GAUGE32 = 0x42
TIMETICKS = 0x43
# PDU tags (context, constructed)
GET = 0xA0
GET_NEXT = 0xA1
RESPONSE = 0xA2
SET = 0xA3
GET_BULK = 0xA5
REPORT = 0xA8
# varbind exceptions (context, primitive, empty)
NO_SUCH_OBJECT = 0x80
NO_SUCH_INSTANCE = 0x81
END_OF_MIB_VIEW = 0x82


class BerError(ValueError):
    """The bytes are not a BER encoding this codec understands."""


@dataclass(frozen=True, slots=True)
class Tlv:
    tag: int
    raw: bytes  # the value octets

    @property
    def constructed(self) -> bool:
        return bool(self.tag & 0x20)

    def children(self) -> list[Tlv]:
        return decode_all(self.raw)

    def integer(self) -> int:
        if self.tag != INTEGER or not self.raw:
            raise BerError(f"expected INTEGER, got tag 0x{self.tag:02x}")
        return int.from_bytes(self.raw, "big", signed=True)

    def octets(self) -> bytes:
        if self.tag != OCTET_STRING:
            raise BerError(f"expected OCTET STRING, got tag 0x{self.tag:02x}")
        return self.raw

    def oid(self) -> tuple[int, ...]:
        if self.tag != OID or not self.raw:
            raise BerError(f"expected OBJECT IDENTIFIER, got tag 0x{self.tag:02x}")
        first = self.raw[0]
        parts = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
        value = 0
        for byte in self.raw[1:]:
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                parts.append(value)
                value = 0
        return tuple(parts)


def decode(data: bytes, offset: int = 0) -> tuple[Tlv, int]:
    """Decode one TLV at ``offset``; return it and the offset after it."""
    try:
        tag = data[offset]
        length = data[offset + 1]
        pos = offset + 2
        if length & 0x80:
            n = length & 0x7F
            if n == 0 or n > 4:
                raise BerError("unsupported BER length")
            length = int.from_bytes(data[pos : pos + n], "big")
            pos += n
    except IndexError:
        raise BerError("truncated BER") from None
    end = pos + length
    if end > len(data):
        raise BerError("truncated BER value")
    return Tlv(tag, data[pos:end]), end


def decode_all(data: bytes) -> list[Tlv]:
    out = []
    offset = 0
    while offset < len(data):
        tlv, offset = decode(data, offset)
        out.append(tlv)
    return out


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, value: bytes) -> bytes:
    return bytes([tag]) + _length(len(value)) + value


def seq(*items: bytes, tag: int = SEQUENCE) -> bytes:
    return tlv(tag, b"".join(items))


def integer(value: int, tag: int = INTEGER) -> bytes:
    size = max(1, (value.bit_length() + 8) // 8)
    return tlv(tag, value.to_bytes(size, "big", signed=True))


def unsigned(value: int, tag: int) -> bytes:
    """Counter32 / Gauge32 / TimeTicks: unsigned, but BER still wants a leading 0 bit."""
    size = max(1, (value.bit_length() + 8) // 8)
    return tlv(tag, value.to_bytes(size, "big", signed=False))


def octets(value: bytes | str) -> bytes:
    return tlv(OCTET_STRING, value.encode("utf-8") if isinstance(value, str) else value)


def null(tag: int = NULL) -> bytes:
    return bytes([tag, 0])


def ip_address(value: IPv4Address) -> bytes:
    return tlv(IP_ADDRESS, value.packed)


def oid(parts: tuple[int, ...]) -> bytes:
    if len(parts) < 2:
        raise BerError("an OID needs at least two arcs")
    body = bytearray([parts[0] * 40 + parts[1]])
    for arc in parts[2:]:
        chunk = [arc & 0x7F]
        rest = arc >> 7
        while rest:
            chunk.append(0x80 | (rest & 0x7F))
            rest >>= 7
        body.extend(reversed(chunk))
    return tlv(OID, bytes(body))


def parse_oid(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.strip(".").split("."))
