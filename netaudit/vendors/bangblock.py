"""Shared syntax of the ``!``-block family (Cisco IOS / IOS-XE and Ruijie RGOS): parse stage.

Input: ``CleanText`` (numbered, cleaned lines of a saved or collected config) and a ``Dialect``
(one platform's facts as data: interface names, secret patterns, extra statement handlers,
defaults). Output: a ``Device`` (netaudit.model) with every line in exactly one coverage
bucket, or the vendor-shaped statement tree (``BangParser.extract``) for golden tests.

Shape of the syntax: a top-level statement starts in column 0; its sub-statements are indented
below it (``interface``, ``line``, ``ip access-list``, ``router``, ...); ``!`` lines are
separators/comments; ``no X`` negates ``X``; ``banner TYPE <delim> ... <delim>`` spans lines;
a whole ``show running-config`` ends with ``end`` (a file without it is treated as truncated).
Secrets are redacted line by line *before* anything is parsed, so no ``Source.text`` ever holds
one; the model keeps only how each secret was stored (type 0/7/5/8/9 → plain/type7/hash).
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import PurePath

from netaudit.model import (
    DEFAULT_VRF,
    Acl,
    AclKind,
    AclRule,
    AddressMatch,
    AuthMode,
    Device,
    Flag,
    Interface,
    InterfaceAddress,
    InterfaceKind,
    IntSetting,
    LineKind,
    LineStatus,
    LocalUser,
    MgmtLine,
    NatPool,
    Platform,
    PortMatch,
    SecretStorage,
    Section,
    SnmpCommunity,
    SnmpUser,
    Source,
    SourceNat,
    StaticNat,
    StaticRoute,
    Vrf,
    vrf_key,
)
from netaudit.model.serialize import Json
from netaudit.vendors.base import (
    ACTIONS,
    ANY_ADDRESS,
    HOST_WILDCARD,
    MALFORMED,
    REDACTED,
    REDACTED_WELL_KNOWN,
    CoverageRecorder,
    Redactor,
    SecretPattern,
    is_well_known,
    port_match,
    secret,
)
from netaudit.vendors.textio import CleanLine, CleanText

# --------------------------------------------------------------------------- statement tree


class Node:
    """One statement line with its indented sub-statements and its coverage verdict."""

    __slots__ = ("children", "indent", "line", "section", "source", "status", "text")

    def __init__(self, line: CleanLine, text: str, indent: int) -> None:
        self.line = line  # redacted
        self.text = text  # stripped
        self.indent = indent
        self.children: list[Node] = []
        self.status = LineStatus.UNRECOGNIZED
        self.section = Section.OTHER
        self.source: Source | None = None  # built on first use (``Ctx.src``), then shared

    def walk(self) -> Iterable[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(slots=True)
class Tree:
    top: list[Node]  # top-level statements, in file order
    flat: list[Node]  # every line of the file, in file order
    comments: list[Node]  # `!` lines
    has_end: bool = False
    unclosed_banner: Node | None = None

    def __init__(
        self,
        top: list[Node],
        flat: list[Node],
        comments: list[Node],
        has_end: bool = False,
        unclosed_banner: Node | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.top = top
        self.flat = flat
        self.comments = comments
        self.has_end = has_end
        self.unclosed_banner = unclosed_banner


_BANNER = re.compile(r"banner\s+(\S+)\s?(.*)$", re.IGNORECASE)


def build_tree(lines: list[CleanLine]) -> Tree:
    """Split cleaned, redacted lines into statements by indentation; linear in the number of
    lines."""
    tree = Tree([], [], [])
    stack: list[Node] = []
    i = 0
    n = len(lines)
    while i < n:
        cl = lines[i]
        i += 1
        raw = cl.text
        text = raw.lstrip()
        node = Node(cl, text, len(raw) - len(text))
        tree.flat.append(node)
        if not text or cl.noise:
            node.status = LineStatus.UNSUPPORTED
            continue
        if text[0] == "!":
            node.status = LineStatus.UNSUPPORTED
            tree.comments.append(node)
            continue
        while stack and stack[-1].indent >= node.indent:
            stack.pop()
        if stack:
            stack[-1].children.append(node)
        else:
            tree.top.append(node)
            if text == "end":
                tree.has_end = True
            elif text[:7].lower() == "banner ":
                i = _consume_banner(node, lines, i, tree)
        stack.append(node)
    return tree


def banner_delimiter(rest: str) -> str | None:
    """The delimiter a banner starts with: IOS prints Ctrl-C as the two characters ``^C``."""
    if not rest:
        return None
    return "^C" if rest.startswith("^C") else rest[0]


def _consume_banner(node: Node, lines: list[CleanLine], i: int, tree: Tree) -> int:
    m = _BANNER.match(node.text)
    if m is None:
        return i
    rest = m.group(2)
    delim = banner_delimiter(rest)
    if delim is None:
        return i
    if delim in rest[len(delim) :]:
        return i  # one-line banner
    n = len(lines)
    while i < n:
        cl = lines[i]
        i += 1
        child = Node(cl, cl.text, 0)
        node.children.append(child)
        tree.flat.append(child)
        if delim in cl.text:
            return i
    tree.unclosed_banner = node
    return i


def banner_text(node: Node) -> str:
    """The text between a banner's delimiters (the body lines keep their spacing)."""
    m = _BANNER.match(node.text)
    rest = m.group(2) if m else ""
    delim = banner_delimiter(rest) or ""
    first = rest[len(delim) :]
    if delim and delim in first:
        return first[: first.index(delim)]
    parts = [first] if first else []
    for child in node.children:
        text = child.line.text
        if delim and delim in text:
            head = text[: text.index(delim)]
            if head:
                parts.append(head)
            break
        parts.append(text)
    return "\n".join(parts).strip("\n")


# --------------------------------------------------------------------------- interface names


@dataclass(frozen=True, slots=True)
class InterfaceType:
    canonical: str  # the prefix as the model writes it, e.g. "GigabitEthernet"
    kind: InterfaceKind
    aliases: tuple[str, ...] = ()  # lower-case abbreviations accepted besides unique prefixes

    def __init__(self, canonical: str, kind: InterfaceKind, aliases: tuple[str, ...] = ()) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "canonical", canonical)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "aliases", aliases)


@dataclass(frozen=True, slots=True)
class InterfaceNames:
    """A platform's interface types as data; canonicalizes ``Gi0/1``, ``GigabitEthernet 0/1``."""

    types: tuple[InterfaceType, ...]
    # ``split`` results by name: a config names its interfaces again and again (issue 9).
    _splits: dict[str, tuple[InterfaceType | None, str, str]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __init__(
        self,
        types: tuple[InterfaceType, ...],
        _splits: dict[str, tuple[InterfaceType | None, str, str]] | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "types", types)
        object.__setattr__(self, "_splits", {} if _splits is None else _splits)

    def _lookup(self, word: str) -> InterfaceType | None:
        low = word.lower()
        for t in self.types:
            if low == t.canonical.lower() or low in t.aliases:
                return t
        matches = [t for t in self.types if t.canonical.lower().startswith(low)]
        return matches[0] if len(matches) == 1 else None

    def split(self, raw: str) -> tuple[InterfaceType | None, str, str]:
        got = self._splits.get(raw)
        if got is None:
            m = _IFNAME.match(raw.strip())
            if m is None:
                got = None, raw.strip(), ""
            else:
                word, number = m.group(1), m.group(2).replace(" ", "")
                got = self._lookup(word), word, number
            if len(self._splits) < 65536:  # bounded, whatever the input
                self._splits[raw] = got
        return got

    def canonical(self, raw: str) -> str:
        t, word, number = self.split(raw)
        return (t.canonical if t else word) + number

    def kind(self, name: str) -> InterfaceKind:
        t, _, number = self.split(name)
        if t is None:
            return InterfaceKind.OTHER
        if "." in number and t.kind in (InterfaceKind.ETHERNET, InterfaceKind.AGGREGATE):
            return InterfaceKind.SUBINTERFACE
        return t.kind

    def is_type_word(self, word: str) -> bool:
        return bool(word) and word[0].isalpha() and self._lookup(word) is not None


_IFNAME = re.compile(r"^([A-Za-z][A-Za-z\-_]*?)\s*(\d[\d/:.\s]*)$")

E, V, L, A, D = (
    InterfaceKind.ETHERNET,
    InterfaceKind.VLAN,
    InterfaceKind.LOOPBACK,
    InterfaceKind.AGGREGATE,
    InterfaceKind.DIALER,
)

# Types both IOS and RGOS print; each platform adds its own in its facts module.
COMMON_INTERFACE_TYPES: tuple[InterfaceType, ...] = (
    InterfaceType("FastEthernet", E, ("fa", "fas", "fe")),
    InterfaceType("GigabitEthernet", E, ("gi", "gig", "ge", "gigabit")),
    InterfaceType("TenGigabitEthernet", E, ("te", "ten", "tengig", "xe")),
    InterfaceType("FortyGigabitEthernet", E, ("fo", "forty")),
    InterfaceType("HundredGigabitEthernet", E, ("hu",)),
    InterfaceType("Ethernet", E, ("e", "eth")),
    InterfaceType("Loopback", L, ("lo", "loop")),
    InterfaceType("Dialer", D, ("di", "dia")),
    InterfaceType("Cellular", InterfaceKind.CELLULAR, ("ce", "cell")),
    InterfaceType("Tunnel", InterfaceKind.TUNNEL, ("tu", "tun")),
    InterfaceType("Null", InterfaceKind.NULL, ("nu",)),
    InterfaceType("Serial", InterfaceKind.OTHER, ("se", "ser")),
    InterfaceType("Virtual-Template", InterfaceKind.VIRTUAL_TEMPLATE, ("vt", "virtual-t")),
    InterfaceType("Virtual-Access", InterfaceKind.OTHER, ("va", "virtual-a")),
)


# --------------------------------------------------------------------------- small parsers


def keywords(text: str) -> frozenset[str]:
    """A keyword set written as one string (vendor keyword lists are long)."""
    return frozenset(text.split())


# Address parsers are cached on their text: a city's configs repeat the same addresses, masks
# and wildcards over and over, and the results are immutable (issue 9).
@functools.lru_cache(maxsize=16384)
def ip4(text: str) -> IPv4Address | None:
    """A dotted-quad IPv4 address, or None (built from an int: much faster than from text)."""
    parts = text.split(".")
    if len(parts) != 4:
        return None
    value = 0
    for p in parts:
        if not p.isdigit() or len(p) > 3 or (len(p) > 1 and p[0] == "0"):
            return None
        octet = int(p)
        if octet > 255:
            return None
        value = value << 8 | octet
    return IPv4Address(value)


def _prefix_length(mask: IPv4Address) -> int | None:
    inv = ~int(mask) & 0xFFFFFFFF
    if inv & (inv + 1):
        return None  # not a contiguous netmask
    return 32 - inv.bit_length()


@functools.lru_cache(maxsize=16384)
def network(addr: str, mask: str) -> IPv4Network | None:
    a, m = ip4(addr), ip4(mask)
    if a is None or m is None:
        return None
    plen = _prefix_length(m)
    if plen is None:
        return None
    return IPv4Network((int(a) & int(m), plen))


@functools.lru_cache(maxsize=16384)
def interface_address(addr: str, mask: str) -> IPv4Interface | None:
    a, m = ip4(addr), ip4(mask)
    if a is None or m is None:
        return None
    plen = _prefix_length(m)
    return None if plen is None else IPv4Interface((int(a), plen))


def to_int(text: str, low: int = 0, high: int = 2**31) -> int | None:
    if not text.isdigit():
        return None
    value = int(text)
    return value if low <= value <= high else None


def rest_after(text: str, count: int) -> str:
    """The text after the first ``count`` words, spacing inside it kept."""
    s = text
    for _ in range(count):
        s = s.lstrip()
        cut = s.find(" ")
        if cut < 0:
            return ""
        s = s[cut:]
    return s.strip()


# IOS / RGOS port names (`show ... ?` in an ACL entry).
TCP_PORTS: Mapping[str, int] = {
    "bgp": 179, "chargen": 19, "cmd": 514, "daytime": 13, "discard": 9, "domain": 53,
    "drip": 3949, "echo": 7, "exec": 512, "finger": 79, "ftp": 21, "ftp-data": 20,
    "gopher": 70, "hostname": 101, "ident": 113, "irc": 194, "klogin": 543, "kshell": 544,
    "login": 513, "lpd": 515, "msrpc": 135, "nntp": 119, "onep-plain": 15001,
    "onep-tls": 15002, "pim-auto-rp": 496, "pop2": 109, "pop3": 110, "smtp": 25,
    "ssh": 22, "sunrpc": 111, "tacacs": 49, "talk": 517, "telnet": 23, "time": 37,
    "uucp": 540, "whois": 43, "www": 80, "http": 80, "https": 443, "syslog": 514,
}  # fmt: skip
UDP_PORTS: Mapping[str, int] = {
    "biff": 512, "bootpc": 68, "bootps": 67, "discard": 9, "dnsix": 195, "domain": 53,
    "echo": 7, "isakmp": 500, "mobile-ip": 434, "nameserver": 42, "netbios-dgm": 138,
    "netbios-ns": 137, "netbios-ss": 139, "non500-isakmp": 4500, "ntp": 123,
    "pim-auto-rp": 496, "rip": 520, "ripv6": 521, "snmp": 161, "snmptrap": 162,
    "sunrpc": 111, "syslog": 514, "tacacs": 49, "talk": 517, "tftp": 69, "time": 37,
    "who": 513, "xdmcp": 177,
}  # fmt: skip
_PROTO_NUMBERS = {"1": "icmp", "6": "tcp", "17": "udp", "47": "gre", "50": "esp", "51": "ahp"}
_PROTOCOLS = keywords(
    """ip tcp udp icmp gre esp ahp ospf eigrp pim igmp ipinip nos pcp sctp igrp"""
)


def port_number(word: str, protocol: str) -> int | None:
    if word.isdigit():
        value = int(word)
        return value if value <= 65535 else None
    table = TCP_PORTS if protocol == "tcp" else UDP_PORTS
    return table.get(word.lower())


def parse_ports(words: list[str], i: int, protocol: str) -> tuple[list[PortMatch], int] | None:
    """``eq P [P..] | neq P | lt P | gt P | range P1 P2`` at ``words[i]``; None on a bad port."""
    if i >= len(words):
        return [], i
    op = words[i].lower()
    if op == "range":
        if i + 2 >= len(words):
            return None
        lo, hi = port_number(words[i + 1], protocol), port_number(words[i + 2], protocol)
        if lo is None or hi is None:
            return None
        return [port_match("range", lo, hi)], i + 3
    if op in ("eq", "neq", "lt", "gt"):
        if i + 1 >= len(words):
            return None
        first = port_number(words[i + 1], protocol)
        if first is None:
            return None
        out = [port_match(op, first, first)]
        i += 2
        while op == "eq" and i < len(words):  # IOS-XE: `eq 80 443 8080`
            more = port_number(words[i], protocol)
            if more is None:
                break
            out.append(port_match("eq", more, more))
            i += 1
        return out, i
    return [], i


@functools.lru_cache(maxsize=16384)
def _wildcard_match(addr: str, wildcard: str) -> AddressMatch | None:
    """``A W`` as a match, or None when either is not an address; one object per value
    (immutable, and ACLs repeat their addresses: issue 9)."""
    a, wc = ip4(addr), ip4(wildcard)
    return None if a is None or wc is None else AddressMatch(a, wc)


@functools.lru_cache(maxsize=16384)
def _host_match(address: IPv4Address) -> AddressMatch:
    return AddressMatch(address, HOST_WILDCARD)


def parse_address(words: list[str], i: int, *, standard: bool = False) -> tuple[AddressMatch, int]:
    """``any | host A | A W | object-group G`` (standard ACLs: ``A`` alone means host)."""
    if i >= len(words):
        raise ValueError("address expected")
    w = words[i].lower()
    if w == "any":
        return ANY_ADDRESS, i + 1
    if w == "host" and i + 1 < len(words):
        a = ip4(words[i + 1])
        if a is None:
            raise ValueError("host address expected")
        return _host_match(a), i + 2
    if w in ("object-group", "addrgroup") and i + 1 < len(words):
        return AddressMatch(object_group=words[i + 1]), i + 2
    if i + 1 < len(words):
        got = _wildcard_match(words[i], words[i + 1])
        if got is not None:
            return got, i + 2
    a = ip4(words[i])
    if a is None:
        raise ValueError("address expected")
    if standard:
        return _host_match(a), i + 1
    raise ValueError("wildcard expected")


_ACL_FLAGS = keywords("""log log-input fragments ack fin psh rst syn urg established counter""")
_ACL_OPTIONS_WITH_ARG = keywords(
    """time-range dscp precedence tos option reflect timeout match-all match-any"""
)


def parse_acl_entry(words: list[str], src: Source, *, standard: bool) -> AclRule | None:
    """One ACL entry: ``[seq] permit|deny ...``; None when the syntax is not understood."""
    i = 0
    seq = None
    if words and words[0].isdigit():
        seq = int(words[0])
        i = 1
    if i >= len(words) or words[i].lower() not in ("permit", "deny"):
        return None
    action = ACTIONS[words[i].lower()]
    i += 1
    try:
        if standard:
            addr, i = parse_address(words, i, standard=True)
            if any(w.lower() not in ("log", "log-input") for w in words[i:]):
                return None
            return AclRule(action, src, sequence=seq, src=addr, dst=ANY_ADDRESS)
        if i >= len(words):
            return None
        proto = words[i].lower()
        if proto.isdigit():
            if int(proto) > 255:
                return None
            proto = _PROTO_NUMBERS.get(proto, proto)
        elif proto not in _PROTOCOLS:
            return None
        i += 1
        s_addr, i = parse_address(words, i)
        s_ports: list[PortMatch] = []
        d_ports: list[PortMatch] = []
        if proto in ("tcp", "udp"):
            got = parse_ports(words, i, proto)
            if got is None:
                return None
            s_ports, i = got
        d_addr, i = parse_address(words, i)
        if proto in ("tcp", "udp"):
            got = parse_ports(words, i, proto)
            if got is None:
                return None
            d_ports, i = got
    except ValueError:
        return None
    established = False
    while i < len(words):
        w = words[i].lower()
        if w == "established" and proto == "tcp":
            established = True
        elif w in _ACL_FLAGS:
            pass
        elif w in _ACL_OPTIONS_WITH_ARG:
            i += 1
        elif w == "ttl":
            i += 2
        elif proto == "icmp" and (w.isdigit() or re.fullmatch(r"[a-z][a-z\-]*", w)):
            pass  # ICMP type / code / message name (not modelled: all ICMP is assumed)
        elif w in ("+ack", "+fin", "+psh", "+rst", "+syn", "+urg", "-ack", "-syn"):
            pass
        else:
            return None
        i += 1
    return AclRule(
        action,
        src,
        sequence=seq,
        protocol=proto,
        src=s_addr,
        dst=d_addr,
        src_ports=s_ports,
        dst_ports=d_ports,
        established=established,
    )


def numbered_acl_kind(number: int) -> AclKind | None:
    if 1 <= number <= 99 or 1300 <= number <= 1999:
        return AclKind.BASIC
    if 100 <= number <= 199 or 2000 <= number <= 2699:
        return AclKind.ADVANCED
    return None


def storage_of(kind: str, type_word: str | None) -> SecretStorage:
    """How a ``password``/``secret`` value is stored, from its keyword and type digit."""
    if kind == "secret":
        return SecretStorage.HASH  # `secret` is always hashed (type 0 input is hashed on entry)
    match type_word:
        case None | "0":
            return SecretStorage.PLAIN
        case "7":
            return SecretStorage.TYPE7
        case "5" | "8" | "9":
            return SecretStorage.HASH
        case "6":
            return SecretStorage.REVERSIBLE
        case _:
            return SecretStorage.UNKNOWN


_STRENGTH = {
    SecretStorage.PLAIN: 0,
    SecretStorage.UNKNOWN: 1,
    SecretStorage.TYPE7: 2,
    SecretStorage.REVERSIBLE: 2,
    SecretStorage.HASH: 3,
}


def secret_value(words: list[str], i: int) -> tuple[str | None, int] | None:
    """After ``password``/``secret`` at ``words[i-1]``: (type digit or None, index after)."""
    if i >= len(words):
        return None
    if words[i].isdigit() and len(words[i]) == 1 and i + 1 < len(words):
        return words[i], i + 2
    return None, i + 1


# --------------------------------------------------------------------------- dialect + context


Handler = Callable[["Ctx", Node, bool, list[str]], None]


@dataclass(frozen=True)
class Dialect:
    """One platform's facts: names, secrets, statement tables and defaults, as data."""

    platform: Platform
    names: InterfaceNames
    secrets: tuple[SecretPattern, ...]
    top: Mapping[str, tuple[Section, Handler]] = field(default_factory=dict)
    interface: Mapping[str, tuple[Section, Handler]] = field(default_factory=dict)
    line: Mapping[str, tuple[Section, Handler]] = field(default_factory=dict)
    unsupported_top: Mapping[str, Section] = field(default_factory=dict)
    unsupported_interface: frozenset[str] = frozenset()
    finalize: Callable[[Ctx], None] | None = None
    # `login`-less vty lines: IOS defaults to `login` (password); None = not certain.
    vty_default_auth: AuthMode | None = None
    console_default_auth: AuthMode | None = None
    exec_timeout_note: str | None = None  # the platform's exec-timeout default, when certain
    default_exec_timeout: int | None = None
    ip_ssh_enables_server: bool = False  # IOS: `ip ssh ...` means SSH is set up

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        platform: Platform,
        names: InterfaceNames,
        secrets: tuple[SecretPattern, ...],
        top: Mapping[str, tuple[Section, Handler]] | None = None,
        interface: Mapping[str, tuple[Section, Handler]] | None = None,
        line: Mapping[str, tuple[Section, Handler]] | None = None,
        unsupported_top: Mapping[str, Section] | None = None,
        unsupported_interface: frozenset[str] = frozenset(),
        finalize: Callable[[Ctx], None] | None = None,
        vty_default_auth: AuthMode | None = None,
        console_default_auth: AuthMode | None = None,
        exec_timeout_note: str | None = None,
        default_exec_timeout: int | None = None,
        ip_ssh_enables_server: bool = False,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "platform", platform)
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "secrets", secrets)
        object.__setattr__(self, "top", {} if top is None else top)
        object.__setattr__(self, "interface", {} if interface is None else interface)
        object.__setattr__(self, "line", {} if line is None else line)
        object.__setattr__(
            self, "unsupported_top", {} if unsupported_top is None else unsupported_top
        )
        object.__setattr__(self, "unsupported_interface", unsupported_interface)
        object.__setattr__(self, "finalize", finalize)
        object.__setattr__(self, "vty_default_auth", vty_default_auth)
        object.__setattr__(self, "console_default_auth", console_default_auth)
        object.__setattr__(self, "exec_timeout_note", exec_timeout_note)
        object.__setattr__(self, "default_exec_timeout", default_exec_timeout)
        object.__setattr__(self, "ip_ssh_enables_server", ip_ssh_enables_server)


class Ctx:
    """Parse state for one config."""

    def __init__(self, dialect: Dialect, device: Device, rec: CoverageRecorder) -> None:
        self.dialect = dialect
        self.dev = device
        self.rec = rec
        self.aaa_new_model: Source | None = None
        self.remark: tuple[str, str] | None = None  # (ACL name, text) for its next entry
        self.dhcp_routes: list[StaticRoute] = []  # `ip route ... dhcp`: via the DHCP gateway
        # Blocks kept for a second look once the whole file is read (route-maps, ZBF maps).
        self.deferred: dict[str, dict[str, Node]] = {}
        self.snmp_groups: dict[str, tuple[str, str | None]] = {}  # name -> (level, acl)
        self.http_sources: list[Source] = []
        self.logging_off: Source | None = None  # `no logging on`: no log leaves the console

    def src(self, node: Node) -> Source:
        # One Source per line, however many facts cite it (issue 9).
        if node.source is None:
            node.source = self.rec.source(node.line)
        return node.source

    def names(self, raw: str) -> str:
        return self.dialect.names.canonical(raw)

    def interface_at(self, words: list[str], i: int) -> tuple[str, int] | None:
        """An interface name at ``words[i]``, also RGOS' spaced form ``GigabitEthernet 0/1``."""
        if i >= len(words):
            return None
        w = words[i]
        if (
            i + 1 < len(words)
            and w.isalpha()
            and words[i + 1][:1].isdigit()
            and ip4(words[i + 1]) is None
            and self.dialect.names.is_type_word(w)
        ):
            return self.names(w + words[i + 1]), i + 2
        if w[:1].isalpha() and any(c.isdigit() for c in w):
            return self.names(w), i + 1
        return None


def ok(node: Node, section: Section | None = None) -> None:
    node.status = LineStatus.RECOGNIZED
    if section is not None:
        node.section = section


def skip(node: Node, section: Section | None = None) -> None:
    """Understood but not modelled: the line and everything indented below it."""
    sec = section or node.section
    for n in node.walk():
        n.status = LineStatus.UNSUPPORTED
        n.section = sec


def words_of(node: Node) -> tuple[bool, list[str]]:
    words = node.text.split()
    if words and words[0].lower() == "no":
        return True, words[1:]
    return False, words


def dispatch(
    ctx: Ctx,
    node: Node,
    table: Mapping[str, tuple[Section, Handler]],
    unsupported: Mapping[str, Section] | frozenset[str],
    default_section: Section,
) -> None:
    neg, words = words_of(node)
    node.section = default_section
    if not words:
        return
    key = words[0].lower()
    entry = table.get(key)
    if entry is not None:
        node.section = entry[0]
        try:
            entry[1](ctx, node, neg, words)
        except MALFORMED:
            # A token the handler could not convert (a number in other digits, say): the line
            # is unrecognized, visibly, instead of the whole device failing to parse.
            node.status = LineStatus.UNRECOGNIZED
        return
    if key in unsupported:
        sec = unsupported[key] if isinstance(unsupported, Mapping) else default_section
        skip(node, sec)


# --------------------------------------------------------------------------- system


def h_hostname(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    if not neg and len(words) == 2:
        ctx.dev.hostname = words[1].strip('"')
        ok(node)


def h_version(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    if not neg and len(words) >= 2:
        ctx.dev.os_version = rest_after(node.text, 1)
        ok(node)


def h_end(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    if len(words) == 1 and not neg:
        skip(node)


def h_banner(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    if len(words) < 2:
        return
    kind = words[1].lower()
    if neg:
        ok(node)
        return
    if kind in ("motd", "login"):
        text = banner_text(node)
        m = ctx.dev.mgmt
        m.banner = text if m.banner is None else m.banner + "\n\n" + text
        if m.banner_source is None:
            m.banner_source = ctx.src(node)
        for n in node.walk():
            ok(n, Section.SYSTEM)
    elif kind in ("exec", "incoming", "slip-ppp", "prompt-timeout", "config-save"):
        skip(node)


def h_building(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    # `Building configuration...` / `Current configuration : 1234 bytes` (show run header)
    low = node.text.lower()
    if low.startswith(("building configuration", "current configuration")):
        skip(node)


# --------------------------------------------------------------------------- interfaces


def h_interface(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    if neg or len(words) < 2:
        return
    if words[1].lower() == "range":
        skip(node)
        return
    name = ctx.names(" ".join(words[1:]))
    kind = ctx.dialect.names.kind(name)
    itf = ctx.dev.interfaces.get(name)
    if itf is None:
        itf = Interface(name, kind, ctx.src(node))
        itf.dialer = kind in (InterfaceKind.DIALER, InterfaceKind.CELLULAR)
        ctx.dev.interfaces[name] = itf
    ok(node)
    for child in node.children:
        itf.sources.append(ctx.src(child))
        _interface_child(ctx, itf, child)


def _interface_child(ctx: Ctx, itf: Interface, node: Node) -> None:
    neg, words = words_of(node)
    node.section = Section.INTERFACES
    if not words:
        return
    key = words[0].lower()
    extra = ctx.dialect.interface.get(key)
    if extra is not None:
        node.section = extra[0]
        extra[1](ctx, node, neg, words)
        if node.status is not LineStatus.UNRECOGNIZED:
            return
    n = len(words)
    w1 = words[1].lower() if n > 1 else ""
    if key == "description":
        itf.description = None if neg else rest_after(node.text, 1)
        ok(node)
    elif key == "shutdown" and n == 1:
        itf.shutdown = not neg
        ok(node)
    elif key == "ip":
        _interface_ip(ctx, itf, node, neg, words)
    elif key == "ipv6":
        if w1 in ("address", "enable") and not neg:
            itf.ipv6 = True
            ok(node)
        else:
            skip(node)
    elif key == "vrf" and w1 == "forwarding" and n == 3:
        itf.vrf = DEFAULT_VRF if neg else vrf_key(words[2])
        ok(node, Section.VRFS)
    elif key == "switchport":
        if n == 1:
            itf.switchport = not neg
            ok(node)
        elif w1 == "access" and n == 4 and words[2].lower() == "vlan":
            vlan = to_int(words[3], 1, 4094)
            if vlan is not None:
                itf.access_vlan = None if neg else vlan
                itf.switchport = True
                ok(node)
        elif not neg:
            itf.switchport = True
            ok(node)
        else:
            skip(node)
    elif key == "zone-member" and w1 == "security" and n == 3:
        itf.zone = None if neg else words[2]
        ok(node, Section.FIREWALL)
    elif key == "pppoe-client" and not neg:
        itf.pppoe_client = True
        ok(node)
    elif key == "dialer" and w1 == "pool" and n == 3:
        itf.dialer = not neg or itf.kind in (InterfaceKind.DIALER, InterfaceKind.CELLULAR)
        ok(node)
    elif key == "encapsulation" and w1 == "ppp":
        ok(node)
    elif key in ctx.dialect.unsupported_interface or key in _IFACE_UNSUPPORTED:
        skip(node)


_IFACE_UNSUPPORTED = keywords(
    """duplex speed negotiation media-type mtu bandwidth delay load-interval keepalive
    channel-group spanning-tree storm-control cdp lldp standby vrrp glbp tunnel
    service-policy carrier-delay hold-queue mac-address flowcontrol power auto mls snmp
    arp encapsulation ppp dialer pppoe crypto qos rate-limit traffic-shape
    authentication dot1x mab priority-queue udld access-session source device-tracking
    clock framing linecode cablelength macro logging medium-type port-group rldp nfpp
    dhcp loopback-detection no-keepalive pvc dsl fair-queue random-detect backup ntp bfd
    isis mpls umbrella lacp peer vlan-range vlan-id nat64 dialer-group history"""
)


_IP_IFACE_UNSUPPORTED = keywords(
    """helper-address ospf mtu redirects unreachables proxy-arp directed-broadcast
    route-cache tcp pim igmp verify flow virtual-reassembly dhcp unnumbered mroute-cache
    sap wccp summary-address authentication hello-interval bandwidth-percent
    split-horizon policy inspect rip eigrp arp accounting load-sharing local-proxy-arp
    nhrp mask-reply multicast information-reply sla cef urpf source-guard"""
)


def _interface_ip(ctx: Ctx, itf: Interface, node: Node, neg: bool, words: list[str]) -> None:
    n = len(words)
    w1 = words[1].lower() if n > 1 else ""
    if w1 == "policy" and not neg and n >= 3 and words[2].lower() == "route-map":
        # Policy-based routing sends traffic past the routing table, and the model does not
        # follow it: left unrecognized under routes, so the path checks of the unit say
        # unknown (citing this line) instead of trusting the routing table.
        node.section = Section.ROUTES
        return
    if w1 == "address":
        if neg:
            if n == 2:
                itf.addresses.clear()
                itf.dhcp_client = False
                ok(node)
            return
        if n >= 3 and words[2].lower() in ("dhcp", "dhcp-alloc"):
            itf.dhcp_client = True
            ok(node)
            return
        if n >= 3 and words[2].lower() == "negotiated":
            ok(node)  # PPP IPCP: the ISP assigns the address (dialers)
            return
        if n in (4, 5):
            addr = interface_address(words[2], words[3])
            secondary = n == 5 and words[4].lower() == "secondary"
            if addr is not None and (n == 4 or secondary):
                entry = InterfaceAddress(addr, secondary, ctx.src(node))
                itf.addresses = [a for a in itf.addresses if a.address != addr]
                if secondary:
                    itf.addresses.append(entry)
                else:
                    itf.addresses = [a for a in itf.addresses if a.secondary]
                    itf.addresses.insert(0, entry)
                ok(node)
        return
    if w1 == "access-group" and n in (3, 4):
        direction = words[3].lower() if n == 4 else "out"
        if direction not in ("in", "out"):
            return
        value = None if neg else words[2]
        if direction == "in":
            itf.acl_in = value
        else:
            itf.acl_out = value
        ok(node, Section.ACLS)
        return
    if w1 == "nat" and n == 3 and words[2].lower() in ("inside", "outside"):
        if words[2].lower() == "inside":
            itf.nat_inside = not neg
        else:
            itf.nat_outside = not neg
        ok(node, Section.NAT)
        return
    if w1 == "nat" and n == 3 and words[2].lower() == "enable":
        skip(node, Section.NAT)  # NAT Virtual Interface (NVI): not modelled
        return
    if w1 == "vrf" and n == 4 and words[2].lower() == "forwarding":
        itf.vrf = DEFAULT_VRF if neg else vrf_key(words[3])
        ok(node, Section.VRFS)
        return
    if w1 in _IP_IFACE_UNSUPPORTED:
        skip(node)


# --------------------------------------------------------------------------- VRFs


def h_vrf_definition(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    """``vrf definition NAME`` (IOS) — and ``ip vrf NAME`` via ``h_ip``."""
    if len(words) == 3 and words[1].lower() == "definition" and not neg:
        _vrf_block(ctx, node, words[2])


def _vrf_block(ctx: Ctx, node: Node, name: str) -> None:
    name = vrf_key(name)
    vrf = ctx.dev.vrfs.setdefault(name, Vrf(name, ctx.src(node)))
    ok(node, Section.VRFS)
    for child in node.walk():
        if child is node:
            continue
        child.section = Section.VRFS
        neg, words = words_of(child)
        key = words[0].lower() if words else ""
        if key == "rd" and len(words) == 2:
            vrf.rd = None if neg else words[1]
            ok(child)
        elif key in (
            "description",
            "route-target",
            "address-family",
            "exit-address-family",
            "vnet",
            "vpn",
            "import",
            "export",
            "vrf-id",
            "route-replicate",
            "mdt",
        ):
            skip(child)


# --------------------------------------------------------------------------- routes


def h_ip_route(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    """``ip route [vrf V] P M {NH | IF [NH] | dhcp} [AD] [tag T] [name N] [permanent] ...``"""
    if neg:
        ok(node)
        return
    i = 2
    vrf = DEFAULT_VRF
    if len(words) > 3 and words[2].lower() == "vrf":
        vrf = vrf_key(words[3])
        i = 4
    if len(words) < i + 3:
        if len(words) > 2 and words[2].lower() in ("static", "profile"):
            skip(node)
        return
    prefix = network(words[i], words[i + 1])
    if prefix is None:
        return
    i += 2
    route = StaticRoute(prefix, ctx.src(node), vrf=vrf)
    nh = ip4(words[i])
    if nh is not None:
        route.next_hop = nh
        i += 1
    elif words[i].lower() == "dhcp":
        ctx.dhcp_routes.append(route)
        i += 1
    else:
        got = ctx.interface_at(words, i)
        if got is None:
            return
        route.interface, i = got
        if route.interface.lower().startswith("null"):
            route.null = True
        if i < len(words):
            nh = ip4(words[i])
            if nh is not None:
                route.next_hop = nh
                i += 1
    n = len(words)
    while i < n:
        w = words[i].lower()
        if w.isdigit() and route.preference is None and int(w) <= 255:
            route.preference = int(w)
        elif w in ("tag", "track", "weight") and i + 1 < n:
            i += 1
        elif w == "name" and i + 1 < n:
            route.description = words[i + 1]
            i += 1
        elif w == "description" and i + 1 < n:
            route.description = rest_after(node.text, i + 1)
            break
        elif w == "global":
            route.next_hop_vrf = DEFAULT_VRF
        elif w in ("permanent", "multicast", "enabled", "unicast"):
            pass
        elif w == "disabled":
            skip(node, Section.ROUTES)  # RGOS: configured but not installed
            return
        else:
            return
        i += 1
    ctx.dev.static_routes.append(route)
    ok(node)


# --------------------------------------------------------------------------- ACLs


def _acl(ctx: Ctx, name: str, kind: AclKind, node: Node) -> Acl:
    acl = ctx.dev.acls.get(name)
    if acl is None:
        acl = Acl(name, kind, ctx.src(node))
        ctx.dev.acls[name] = acl
    return acl


def h_access_list(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    """Numbered ACL entry: ``access-list N {permit|deny|remark} ...``."""
    if len(words) < 2:
        return
    if neg and len(words) == 2:
        ctx.dev.acls.pop(words[1], None)
        ok(node)
        return
    number = to_int(words[1])
    if number is None:
        if words[1].lower() in ("compiled", "logging"):
            skip(node)
        return
    kind = numbered_acl_kind(number)
    if kind is None:
        skip(node)  # MAC / protocol-type ACLs (200-299, 700-799, 1100-1199): not modelled
        return
    if neg or len(words) < 3:
        return
    acl = _acl(ctx, words[1], kind, node)
    _acl_line(ctx, acl, node, words[2:], node.text)


def _acl_line(ctx: Ctx, acl: Acl, node: Node, words: list[str], text: str) -> None:
    first = words[0].lower() if words else ""
    if first == "remark" or (len(words) > 1 and first.isdigit() and words[1] == "remark"):
        idx = text.lower().find("remark")
        ctx.remark = (acl.name, text[idx + 6 :].strip())
        ok(node)
        return
    rule = parse_acl_entry(words, ctx.src(node), standard=acl.kind is AclKind.BASIC)
    if rule is None:
        return
    if ctx.remark is not None and ctx.remark[0] == acl.name:
        rule.remark = ctx.remark[1]
    ctx.remark = None
    acl.rules.append(rule)
    ok(node)


def _named_acl(ctx: Ctx, node: Node, words: list[str]) -> None:
    """``ip access-list {standard|extended} NAME`` and its entries."""
    if len(words) < 4:
        return
    style = words[2].lower()
    if style not in ("standard", "extended"):
        return
    kind = AclKind.BASIC if style == "standard" else AclKind.ADVANCED
    acl = _acl(ctx, words[3], kind, node)
    ok(node, Section.ACLS)
    ctx.remark = None
    for child in node.children:
        child.section = Section.ACLS
        neg, cw = words_of(child)
        if not cw:
            continue
        if neg:
            ok(child)
            continue
        if cw[0].lower() in ("statistics", "fragments"):
            skip(child)
            continue
        _acl_line(ctx, acl, child, cw, child.text)
    ctx.remark = None


# --------------------------------------------------------------------------- NAT


def _nat(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    """``ip nat ...`` (global)."""
    n = len(words)
    w2 = words[2].lower() if n > 2 else ""
    node.section = Section.NAT
    if neg:
        ok(node)
        return
    if w2 == "pool" and n >= 6:
        start, end = ip4(words[4]), ip4(words[5])
        if start is None or end is None:
            return
        ctx.dev.nat.pools[words[3]] = NatPool(words[3], ctx.src(node), start, end)
        ok(node)
        return
    if w2 == "inside" and n > 4 and words[3].lower() == "source":
        _nat_inside_source(ctx, node, words)
        return
    if w2 in ("outside", "translation", "service", "log", "settings", "create"):
        skip(node)


def _nat_inside_source(ctx: Ctx, node: Node, words: list[str]) -> None:
    n = len(words)
    how = words[4].lower()
    src = ctx.src(node)
    if how in ("list", "route-map") and n >= 8:
        rule = SourceNat(src)
        if how == "list":
            rule.acl = words[5]
        else:
            ctx.deferred.setdefault("nat-route-map", {})[str(node.line.number)] = node
            rule.acl = "route-map " + words[5]
        kind = words[6].lower()
        i = 8
        if kind == "interface":
            got = ctx.interface_at(words, 7)
            if got is None:
                return
            rule.interface, i = got
            rule.easy_ip = True
        elif kind == "pool":
            rule.pool = words[7]
        else:
            return
        while i < n:
            w = words[i].lower()
            if w == "vrf" and i + 1 < n:
                i += 2
            elif w in ("overload", "no-payload", "reversible", "oer", "match-in-vrf"):
                i += 1
            else:
                return
        ctx.dev.nat.source_rules.append(rule)
        ok(node)
        return
    if how == "static":
        _nat_static(ctx, node, words[5:])


def _nat_static(ctx: Ctx, node: Node, words: list[str]) -> None:
    """``[tcp|udp] LOCAL [LPORT] {GLOBAL | interface IF} [GPORT] [options]``."""
    i = 0
    proto: str | None = None
    if words and words[0].lower() in ("tcp", "udp"):
        proto = words[0].lower()
        i = 1
    elif words and words[0].lower() == "network":
        i = 1
    if i >= len(words):
        return
    inside = ip4(words[i])
    if inside is None:
        return
    i += 1
    lport: int | None = None
    if proto is not None:
        lport = to_int(words[i], 0, 65535) if i < len(words) else None
        if lport is None:
            return
        i += 1
    if i >= len(words):
        return
    rule = StaticNat(ctx.src(node), None, inside, protocol=proto, inside_port=lport)
    if words[i].lower() == "interface":
        got = ctx.interface_at(words, i + 1)
        if got is None:
            return
        rule.interface, i = got
    else:
        rule.global_ip = ip4(words[i])
        if rule.global_ip is None:
            return
        i += 1
    if proto is not None:
        gport = to_int(words[i], 0, 65535) if i < len(words) else None
        if gport is None:
            return
        rule.global_port = gport
        i += 1
    n = len(words)
    while i < n:
        w = words[i].lower()
        if w == "vrf" and i + 1 < n:
            rule.vrf = vrf_key(words[i + 1])
            i += 1
        elif w in ("route-map", "redundancy", "mapping-id") and i + 1 < n:
            i += 1
        elif w.startswith("/") or ip4(w) is not None:
            pass  # `network` form: prefix length / mask
        elif w in ("extendable", "no-alias", "no-payload", "reversible", "permit-inside",
                   "match-in-vrf", "add-route"):  # fmt: skip
            pass
        else:
            return
        i += 1
    ctx.dev.nat.static_rules.append(rule)
    ok(node)


def resolve_nat_route_maps(ctx: Ctx) -> None:
    """``ip nat inside source route-map RM``: the ACL is the route-map's ``match ip address``."""
    maps = ctx.deferred.get("route-map", {})
    for rule in ctx.dev.nat.source_rules:
        if rule.acl and rule.acl.startswith("route-map "):
            rm = maps.get(rule.acl[len("route-map ") :])
            if rm is None:
                continue
            for child in rm.children:
                cw = child.text.split()
                if len(cw) >= 4 and [w.lower() for w in cw[:3]] == ["match", "ip", "address"]:
                    rule.acl = cw[3]
                    break


# --------------------------------------------------------------------------- management


def h_enable(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    """``enable secret|password [level N] [TYPE] X``."""
    if len(words) < 2:
        return
    kind = words[1].lower()
    if kind not in ("secret", "password"):
        if kind == "algorithm-type" and len(words) > 3 and words[3].lower() == "secret":
            kind = "secret"
        else:
            return
    node.section = Section.USERS
    m = ctx.dev.mgmt
    if neg:
        ok(node)
        return
    i = words.index(next(w for w in words if w.lower() == kind)) + 1
    if i + 1 < len(words) and words[i].lower() == "level":
        i += 2
    got = secret_value(words, i)
    if got is None:
        return
    storage = storage_of(kind, got[0])
    if m.enable_secret is None or _STRENGTH[storage] < _STRENGTH[m.enable_secret]:
        m.enable_secret = storage
        m.enable_source = ctx.src(node)
    ok(node)


def h_username(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    if len(words) < 2:
        return
    name = words[1]
    users = ctx.dev.mgmt.users
    if neg:
        ctx.dev.mgmt.users = [u for u in users if u.name != name]
        ok(node)
        return
    user = next((u for u in users if u.name == name), None)
    if user is None:
        user = LocalUser(name, ctx.src(node))
        users.append(user)
    i = 2
    n = len(words)
    while i < n:
        w = words[i].lower()
        if w == "privilege" and i + 1 < n:
            user.privilege = to_int(words[i + 1], 0, 15)
            i += 2
        elif w in ("password", "secret"):
            got = secret_value(words, i + 1)
            if got is None:
                return
            user.password_storage = storage_of(w, got[0])
            break  # the secret is the rest of the line
        elif w == "nopassword":
            user.password_storage = None
            i += 1
        elif w == "login" and i + 2 < n and words[i + 1].lower() == "mode":
            user.service_types.append(words[i + 2].lower())  # RGOS `login mode ssh`
            i += 3
        elif w in ("view", "algorithm-type", "common-criteria-policy", "access-class",
                   "autocommand", "user-maxlinks", "online", "permission", "callback-dialstring",
                   "amount") and i + 1 < n:  # fmt: skip
            i += 2
        elif w in ("one-time", "noescape", "nohangup", "web-auth", "pwd-modify", "dnis",
                   "callback-rotary", "reject", "remote-login"):  # fmt: skip
            i += 1
        else:
            return
    ok(node)


def h_service(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    if len(words) == 2 and words[1].lower() == "password-encryption":
        ctx.dev.mgmt.password_encryption_service = Flag(not neg, ctx.src(node), explicit=True)
        ok(node, Section.USERS)
    else:
        skip(node, Section.OTHER)


def h_line(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    """``line con 0 | aux 0 | vty A [B]`` and its settings."""
    if neg or len(words) < 3:
        return
    kind_word = words[1].lower()
    kinds = {"con": LineKind.CONSOLE, "console": LineKind.CONSOLE, "vty": LineKind.VTY,
             "aux": LineKind.AUX}  # fmt: skip
    kind = kinds.get(kind_word)
    first = to_int(words[2])
    last = to_int(words[3]) if len(words) > 3 else first
    if kind is None:
        if kind_word == "tty" or kind_word.isdigit():
            skip(node)
        return
    if first is None or last is None or len(words) > 4:
        return
    line = MgmtLine(kind, first, last, ctx.src(node))
    ctx.dev.mgmt.lines.append(line)
    ok(node)
    for child in node.children:
        _line_child(ctx, line, child)


_LINE_UNSUPPORTED = keywords(
    """logging history length width stopbits speed flowcontrol databits parity
    session-timeout absolute-timeout exec autoselect modem location escape-character
    rotary activation-character terminal-type timeout accounting authorization ipv6
    motd-banner exec-banner notify refuse-message vacant-message disconnect-character
    transport authentication"""
)


def _line_child(ctx: Ctx, line: MgmtLine, node: Node) -> None:
    neg, words = words_of(node)
    node.section = Section.LINES
    if not words:
        return
    extra = ctx.dialect.line.get(words[0].lower())
    if extra is not None:
        node.section = extra[0]
        extra[1](ctx, node, neg, words)
        if node.status is not LineStatus.UNRECOGNIZED:
            return
    key = words[0].lower()
    n = len(words)
    src = ctx.src(node)
    if key == "login":
        if neg and n == 1:
            line.auth, line.auth_source = AuthMode.NONE, src
        elif n == 1:
            line.auth, line.auth_source = AuthMode.PASSWORD, src
        elif words[1].lower() in ("local", "authentication", "tacacs"):
            line.auth, line.auth_source = AuthMode.AAA, src
        else:
            return
        ok(node)
    elif key == "password":
        if neg:
            line.password_storage = None
        else:
            got = secret_value(words, 1)
            if got is None:
                return
            line.password_storage = storage_of("password", got[0])
        ok(node, Section.LINES)
    elif key == "transport" and n >= 3 and words[1].lower() == "input":
        protos = [w.lower() for w in words[2:]]
        if not all(p in ("ssh", "telnet", "all", "none", "rlogin", "lat", "pad", "udptn",
                         "v120", "mop", "lapb-ta") for p in protos):  # fmt: skip
            return
        line.protocols = [] if protos == ["none"] else protos
        line.protocols_source = src
        ok(node)
    elif key == "access-class" and n >= 3:
        direction = words[2].lower()
        if direction == "in":
            line.acl_in = None if neg else words[1]
            line.acl_source = src
            ok(node)
        elif direction == "out":
            skip(node)
    elif key == "exec-timeout":
        if neg:
            line.idle_timeout_seconds = IntSetting(0, src, explicit=True)
            ok(node)
            return
        minutes = to_int(words[1]) if n >= 2 else None
        seconds = to_int(words[2]) if n >= 3 else 0
        if minutes is None or seconds is None or n > 3:
            return
        line.idle_timeout_seconds = IntSetting(minutes * 60 + seconds, src, explicit=True)
        ok(node)
    elif key == "privilege" and n == 3 and words[1].lower() == "level":
        line.privilege = to_int(words[2], 0, 15)
        ok(node)
    elif key in _LINE_UNSUPPORTED:
        skip(node)


def line_defaults(ctx: Ctx) -> None:
    """Fill what a line does not write, when the platform default is certain."""
    d = ctx.dialect
    for line in ctx.dev.mgmt.lines:
        if line.auth is AuthMode.UNKNOWN:
            if ctx.aaa_new_model is not None:
                line.auth = AuthMode.AAA  # the default login method list (local when none)
                line.auth_source = ctx.aaa_new_model
            elif line.kind is LineKind.VTY and d.vty_default_auth is not None:
                line.auth = d.vty_default_auth
            elif line.kind is not LineKind.VTY and d.console_default_auth is not None:
                line.auth = d.console_default_auth
        t = line.idle_timeout_seconds
        if t.value is None and d.default_exec_timeout is not None:
            line.idle_timeout_seconds = IntSetting(
                d.default_exec_timeout, None, explicit=False, note=d.exec_timeout_note
            )


# --------------------------------------------------------------------------- password policy


def h_security(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    """IOS ``security passwords min-length N``; other ``security`` settings are unsupported."""
    if len(words) == 4 and words[1].lower() == "passwords" and words[2].lower() == "min-length":
        value = to_int(words[3], 0, 64)
        if value is not None:
            set_min_length(ctx, node, 0 if neg else value)
            ok(node)
        return
    skip(node)


def set_min_length(ctx: Ctx, node: Node, value: int) -> None:
    """The longest minimum wins (IOS: `security passwords` and a common-criteria policy)."""
    pol = ctx.dev.mgmt.password_policy
    current = pol.min_length.value
    if current is None or value > current or value == 0:
        pol.min_length = IntSetting(value, ctx.src(node), explicit=True)


def h_login(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    """IOS ``login block-for S attempts N within W``; other global ``login`` are unsupported."""
    pol = ctx.dev.mgmt.password_policy
    if len(words) >= 6 and words[1].lower() == "block-for" and words[3].lower() == "attempts":
        secs, attempts = to_int(words[2]), to_int(words[4])
        if secs is None or attempts is None:
            return
        src = ctx.src(node)
        if neg:
            pol.lockout_attempts = IntSetting(0, src, explicit=True)
        else:
            pol.lockout_attempts = IntSetting(attempts, src, explicit=True)
            pol.lockout_minutes = IntSetting(
                -(-secs // 60), src, explicit=True, note=f"login block-for {secs} seconds"
            )
        ok(node, Section.PASSWORD_POLICY)
        return
    skip(node)


def set_lockout_attempts(ctx: Ctx, node: Node, value: int | None, neg: bool) -> None:
    if value is None:
        return
    pol = ctx.dev.mgmt.password_policy
    pol.lockout_attempts = IntSetting(0 if neg else value, ctx.src(node), explicit=True)
    ok(node, Section.PASSWORD_POLICY)


# --------------------------------------------------------------------------- SNMP


def h_snmp(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    snmp = ctx.dev.mgmt.snmp
    src = ctx.src(node)
    n = len(words)
    if n == 1 and neg:
        snmp.enabled = Flag(False, src, explicit=True)
        ok(node)
        return
    if n < 2:
        return
    sub = words[1].lower()
    if sub == "community" and n >= 3:
        if neg:
            ok(node)
            return
        i = 2
        if words[i] in ("0", "7") and n > 3:
            i += 1  # RGOS: `snmp-server community 7 <encrypted> ro`
        value = words[i]
        i += 1
        access = "ro"
        acl = None
        while i < n:
            w = words[i].lower()
            if w in ("ro", "rw"):
                access = w
            elif (
                (w == "view" and i + 1 < n)
                or (w == "ipv6" and i + 1 < n)
                or (w == "host" and i + 1 < n)
            ):
                i += 1
            else:
                acl = words[i]
            i += 1
        snmp.communities.append(
            SnmpCommunity(access, src, is_well_known(value), acl=acl, version="v1v2c")
        )
        _snmp_on(ctx, src, "v1", "v2c")
        ok(node)
    elif sub == "group" and n >= 4:
        if neg:
            ok(node)
            return
        version = words[3].lower()
        level = words[4].lower() if n > 4 and version == "v3" else "noauth"
        acl = None
        if "access" in [w.lower() for w in words]:
            j = [w.lower() for w in words].index("access") + 1
            if j < n and words[j].lower() == "ipv6":
                j += 2
            acl = words[j] if j < n else None
        ctx.snmp_groups[words[2]] = (level, acl)
        _snmp_on(ctx, src, {"1": "v1", "v1": "v1", "2c": "v2c", "v2c": "v2c"}.get(version, "v3"))
        ok(node)
    elif sub == "user" and n >= 5:
        if neg:
            ok(node)
            return
        low = [w.lower() for w in words]
        user = SnmpUser(words[2], src, group=words[3])
        user.auth = "auth" in low[4:]
        user.priv = "priv" in low[4:]
        if "access" in low:
            j = low.index("access") + 1
            if j < n and low[j] == "ipv6":
                j += 2
            user.acl = words[j] if j < n else None
        snmp.users.append(user)
        _snmp_on(ctx, src, "v3" if "v3" in low else ("v2c" if "v2c" in low else "v1"))
        ok(node)
    elif sub == "host" and n >= 3:
        addr = ip4(words[2])
        if addr is None and words[2].lower() in ("oob", "vrf"):
            addr = ip4(words[3]) if n > 3 else None
        if addr is not None:
            if not neg:
                snmp.trap_hosts.append((addr, src))
            ok(node)
    elif sub == "enable" and n >= 3 and words[2].lower() == "version":
        ok(node)  # RGOS: `snmp-server enable version v3` — versions follow from users
    elif sub in _SNMP_UNSUPPORTED:
        skip(node)


_SNMP_UNSUPPORTED = keywords(
    """location contact enable trap-source ifindex view engineid chassis-id packetsize
    queue-length trap-timeout trap system-shutdown source-interface file-transfer
    manager tftp-server-list inform logging net-id udp-port"""
)


def _snmp_on(ctx: Ctx, src: Source, *versions: str) -> None:
    snmp = ctx.dev.mgmt.snmp
    if snmp.enabled.value is None:
        snmp.enabled = Flag(True, src, explicit=True)
    for v in versions:
        if v not in snmp.versions:
            snmp.versions.append(v)
            if snmp.versions_source is None:
                snmp.versions_source = src


def snmp_finish(ctx: Ctx) -> None:
    snmp = ctx.dev.mgmt.snmp
    for user in snmp.users:
        group = ctx.snmp_groups.get(user.group or "")
        if group is not None and user.acl is None:
            user.acl = group[1]
    if snmp.enabled.value is None:
        snmp.enabled = Flag(
            False, None, explicit=False, note="no SNMP community, user or group: agent not started"
        )


# --------------------------------------------------------------------------- logging / ntp


def add_host(
    hosts: list[tuple[IPv4Address, Source]], ctx: Ctx, node: Node, word: str, neg: bool
) -> bool:
    addr = ip4(word)
    if addr is None:
        return False
    src = ctx.src(node)
    if neg:
        hosts[:] = [h for h in hosts if h[0] != addr]
    elif all(h[0] != addr for h in hosts):
        hosts.append((addr, src))
    ok(node)
    return True


_LOGGING_UNSUPPORTED = keywords(
    """buffered trap source-interface facility console monitor userinfo origin-id count
    rate-limit sequence-number file timestamp exception history alarm event persistent
    queue-limit discriminator snmp-trap delimiter message-counter reload filter level
    flash fmt-color"""
)


def h_logging(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    """``logging host A [...]``, ``logging A`` (older IOS), RGOS ``logging server A``;
    ``no logging on`` (every destination but the console off)."""
    n = len(words)
    hosts = ctx.dev.mgmt.syslog_hosts
    if n == 2 and words[1].lower() == "on":
        ctx.logging_off = ctx.src(node) if neg else None
        ok(node)
        return
    if n >= 3 and words[1].lower() in ("host", "server"):
        i = 2
        while i < n - 1 and words[i].lower() in ("oob", "vrf", "ipv4") and ip4(words[i]) is None:
            i += 1 if words[i].lower() in ("oob", "ipv4") else 2
        if add_host(hosts, ctx, node, words[i], neg):
            return
        if not ip4(words[i]) and words[i].lower() not in ("ipv6",):
            skip(node)
            ctx.rec.coverage.notes.append(
                f"line {node.line.number}: syslog host {words[i]!r} is a name, not modelled"
            )
        return
    if n >= 2 and ip4(words[1]) is not None:
        add_host(hosts, ctx, node, words[1], neg)
        return
    if (n >= 2 and words[1].lower() in _LOGGING_UNSUPPORTED) or n == 1:
        skip(node)


def logging_finish(ctx: Ctx) -> None:
    """``no logging on``: the configured log hosts receive nothing (like VRP's
    ``undo info-center enable``)."""
    mgmt = ctx.dev.mgmt
    if ctx.logging_off is not None and mgmt.syslog_hosts:
        ctx.rec.coverage.notes.append(
            f"line {ctx.logging_off.line}: `no logging on`: the configured log hosts receive "
            "nothing"
        )
        mgmt.syslog_hosts = []


def h_ntp(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    n = len(words)
    if n >= 3 and words[1].lower() in ("server", "peer"):
        i = 2
        if words[2].lower() == "vrf" and n > 4:
            i = 4
        elif words[2].lower() in ("ip", "oob") and n > 3:
            i = 3
        added = add_host(ctx.dev.mgmt.ntp_servers, ctx, node, words[i], neg)
        if not added and ip4(words[i]) is None:
            skip(node)
            ctx.rec.coverage.notes.append(
                f"line {node.line.number}: NTP server {words[i]!r} is a name, not modelled"
            )
        return
    skip(node)


# --------------------------------------------------------------------------- services (ip ...)


def set_flag(
    ctx: Ctx, node: Node, attr: str, value: bool, section: Section = Section.SERVICES
) -> None:
    setattr(ctx.dev.mgmt, attr, Flag(value, ctx.src(node), explicit=True))
    ok(node, section)


_IP_UNSUPPORTED: Mapping[str, Section] = {
    **dict.fromkeys(
        keywords(
            """domain-name domain name-server host cef routing classless subnet-zero
        forward-protocol dhcp source-route bootp multicast-routing igmp tcp finger
        gratuitous-arps arp default-gateway default-network multicast pim prefix-list
        as-path community-list extcommunity-list ospf rip sla flow-export flow-cache
        flow-top-talkers wccp options icmp dns name host-list local scp tftp ftp rcmd
        radius tacacs telnet mtu port-map inspect ips admission auth-proxy audit
        virtual-reassembly-out reflexive-list nbar accounting-threshold accounting-list
        accounting-transits policy vrrp nhrp msdp mroute explicit-path dhcp-server
        dhcp-relay device sticky-arp guard source unnumbered urpf ref deny-scan portmap
        proxy-arp redirects mask-reply unreachable"""
        ),
        Section.OTHER,
    ),
    # BGP and IOS 12.x globals (the Batfish example network's `ip bgp-community new-format`,
    # `no ip domain-lookup`, `ip policy-list NAME permit` with its `match` lines): routing
    # policy and services netaudit does not model. Batfish ignores the same `ip` keywords.
    **dict.fromkeys(
        keywords(
            """bgp-community domain-lookup domain-list policy-list rsvp mfib mobile dvmrp
        host-routing sap spd alias address-pool dhcp-client ddns"""
        ),
        Section.OTHER,
    ),
    "inspect": Section.FIREWALL,
    "ips": Section.FIREWALL,
    "sdee": Section.FIREWALL,  # IOS IPS event notification
}


def h_ip(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    n = len(words)
    if n < 2:
        return
    sub = words[1].lower()
    m = ctx.dev.mgmt
    if sub == "route":
        node.section = Section.ROUTES
        h_ip_route(ctx, node, neg, words)
    elif sub == "access-list":
        node.section = Section.ACLS
        if neg:
            if n == 4:
                ctx.dev.acls.pop(words[3], None)
                ok(node)
            return
        if n >= 3 and words[2].lower() in ("logging", "log-update", "resequence", "counters"):
            skip(node)
            return
        _named_acl(ctx, node, words)
    elif sub == "nat":
        _nat(ctx, node, neg, words)
    elif sub == "vrf" and n == 3:
        node.section = Section.VRFS
        if neg:
            ok(node)
        else:
            _vrf_block(ctx, node, words[2])
    elif sub == "http" and n >= 3:
        node.section = Section.SERVICES
        what = words[2].lower()
        if what == "server" and n == 3:
            set_flag(ctx, node, "http_server", not neg)
        elif what == "secure-server" and n == 3:
            set_flag(ctx, node, "https_server", not neg)
        elif what == "access-class" and n >= 4:
            acl = words[-1]
            m.http_acl = None if neg else acl
            ok(node)
        else:
            skip(node)
    elif sub == "ssh":
        node.section = Section.SERVICES
        src = ctx.src(node)
        if n == 4 and words[2].lower() == "version":
            version = to_int(words[3], 1, 2)
            if version is None:
                return
            m.ssh_versions = None if neg else [version]
            m.ssh_versions_source = src
            ok(node)
        else:
            skip(node)
        if not neg and m.ssh_server.value is None and ctx.dialect.ip_ssh_enables_server:
            m.ssh_server = Flag(True, src, explicit=False, note=ctx_ssh_note(ctx))
    elif sub in _IP_UNSUPPORTED:
        skip(node, _IP_UNSUPPORTED[sub])


def ctx_ssh_note(ctx: Ctx) -> str:
    if ctx.dialect.platform is Platform.CISCO_IOS:
        return "`ip ssh` is configured; IOS serves SSH once an RSA key pair exists (not in config)"
    return "`ip ssh` is configured"


def h_aaa(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    n = len(words)
    sub = words[1].lower() if n > 1 else ""
    if sub == "new-model" and n == 2:
        ctx.aaa_new_model = None if neg else ctx.src(node)
        ok(node, Section.USERS)
        return
    if sub == "local" and n >= 5 and words[2].lower() == "authentication":
        if words[3].lower() == "attempts":
            # IOS: `aaa local authentication attempts max-fail N`; RGOS: `... attempts N`
            j = 5 if words[4].lower() == "max-fail" else 4
            if j < n:
                set_lockout_attempts(ctx, node, to_int(words[j], 1, 1000), neg)
            return
        if words[3].lower() == "lockout-time":
            value = to_int(words[4])
            if value is not None:
                pol = ctx.dev.mgmt.password_policy
                pol.lockout_minutes = IntSetting(
                    0 if neg else value * 60,
                    ctx.src(node),
                    explicit=True,
                    note="RGOS lockout-time is in hours",
                )
                ok(node, Section.PASSWORD_POLICY)
            return
    if sub == "common-criteria" and n == 4 and words[2].lower() == "policy":
        common_criteria(ctx, node, neg)
        return
    skip(node, Section.USERS)


_CC_UNSUPPORTED = keywords(
    "max-length char-changes char-repetition restrict-consecutive-letters description copy-rules"
)


def common_criteria(ctx: Ctx, node: Node, neg: bool) -> None:
    """IOS ``aaa common-criteria policy NAME``: length, character classes, lifetime."""
    pol = ctx.dev.mgmt.password_policy
    ok(node, Section.PASSWORD_POLICY)
    if neg:
        return
    classes: list[Source] = []
    units = {"year": 365, "month": 30, "day": 1, "hour": 0, "minute": 0, "second": 0}
    units.update({f"{k}s": v for k, v in units.items()})
    for child in node.children:
        child.section = Section.PASSWORD_POLICY
        cw = child.text.split()
        key = cw[0].lower() if cw else ""
        src = ctx.src(child)
        if key == "min-length" and len(cw) == 2 and cw[1].isdigit():
            set_min_length(ctx, child, int(cw[1]))
            ok(child)
        elif key in ("lower-case", "upper-case", "numeric-count", "special-case"):
            if len(cw) == 2 and cw[1].isdigit():
                if int(cw[1]) > 0:
                    classes.append(src)
                ok(child)
        elif key == "lifetime" and len(cw) >= 3 and len(cw) % 2 == 1:
            days = 0
            for unit, value in zip(cw[1::2], cw[2::2], strict=True):
                if unit.lower() not in units or not value.isdigit():
                    return
                days += units[unit.lower()] * int(value)
            pol.max_age_days = IntSetting(max(days, 1), src, explicit=True)
            ok(child)
        elif key in _CC_UNSUPPORTED:
            skip(child)
    if classes:
        pol.complexity = Flag(
            len(classes) >= 3,
            classes[0],
            explicit=True,
            note=f"{len(classes)} character classes required (complexity needs at least 3)",
        )


# --------------------------------------------------------------------------- tables


TOP: dict[str, tuple[Section, Handler]] = {
    "hostname": (Section.SYSTEM, h_hostname),
    "version": (Section.SYSTEM, h_version),
    "end": (Section.OTHER, h_end),
    "banner": (Section.SYSTEM, h_banner),
    "building": (Section.OTHER, h_building),
    "current": (Section.OTHER, h_building),
    "interface": (Section.INTERFACES, h_interface),
    "vrf": (Section.VRFS, h_vrf_definition),
    "access-list": (Section.ACLS, h_access_list),
    "ip": (Section.OTHER, h_ip),
    "enable": (Section.USERS, h_enable),
    "username": (Section.USERS, h_username),
    "service": (Section.OTHER, h_service),
    "line": (Section.LINES, h_line),
    "security": (Section.PASSWORD_POLICY, h_security),
    "login": (Section.PASSWORD_POLICY, h_login),
    "snmp-server": (Section.SNMP, h_snmp),
    "logging": (Section.LOGGING, h_logging),
    "ntp": (Section.NTP, h_ntp),
    "aaa": (Section.USERS, h_aaa),
}

UNSUPPORTED_TOP: dict[str, Section] = {
    **dict.fromkeys(
        keywords(
            """boot-start-marker boot-end-marker boot clock spanning-tree vlan vtp cdp lldp
        license redundancy control-plane mpls crypto archive memory-size multilink
        voice-card key track event scheduler call-home alias privilege dot11 wsma cts
        errdisable port-channel udld power system diagnostic hw-module platform mac file
        monitor dial-peer telephony-service ephone ipv6 default-information object-group
        parameter-map class-map policy-map vpdn bba-group subscriber virtual-profile
        chat-script username-prefix process-max-time exception cpu netconf restconf
        transceiver table-map template device-tracking dot1x epm sdm vstack macro lacp
        storm-control flow sampler performance-monitor wism stackwise switch
        authentication mab qos mls srr-queue auto policy-map-default ipc hsrp vrrp
        tftp-server rmon route-map router dialer-list"""
        ),
        Section.OTHER,
    ),
    "router": Section.ROUTES,
    "route-map": Section.ROUTES,
    "tacacs-server": Section.USERS,
    "radius-server": Section.USERS,
    "tacacs": Section.USERS,
    "radius": Section.USERS,
    "aaa": Section.USERS,
}


# --------------------------------------------------------------------------- the parser


class BangParser:
    """A ``VendorParser`` for one ``!``-block platform, driven by its ``Dialect``."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.platform = dialect.platform
        self.redactor = Redactor(dialect.secrets)
        self._top: dict[str, tuple[Section, Handler]] = {**TOP, **dialect.top}
        self._unsupported: dict[str, Section] = {**UNSUPPORTED_TOP, **dialect.unsupported_top}

    def redact(self, text: str) -> str:
        return self.redactor.redact(text)

    def _run(self, text: CleanText, file: str, name: str | None) -> tuple[Device, Tree]:
        rec = CoverageRecorder(file)
        device = Device(name or "", self.platform, file)
        ctx = Ctx(self.dialect, device, rec)
        tree = build_tree(self.redactor.redact_text(text).lines)
        for comment in tree.comments:
            comment.section = Section.OTHER
            m = _VERSION_COMMENT.match(comment.text)
            if m and device.os_version is None:
                device.os_version = m.group(1).strip()
                comment.status = LineStatus.RECOGNIZED
                comment.section = Section.SYSTEM
        for node in tree.top:
            if node.text.startswith("route-map "):
                parts = node.text.split()
                ctx.deferred.setdefault("route-map", {}).setdefault(parts[1], node)
            dispatch(ctx, node, self._top, self._unsupported, Section.OTHER)
        resolve_nat_route_maps(ctx)
        dhcp = [i.name for i in device.interfaces.values() if i.dhcp_client]
        for route in ctx.dhcp_routes:
            if len(dhcp) == 1:  # the gateway learnt on the one DHCP-client interface
                route.interface = dhcp[0]
        line_defaults(ctx)
        snmp_finish(ctx)
        logging_finish(ctx)
        if self.dialect.finalize is not None:
            self.dialect.finalize(ctx)
        device.name = name or device.hostname or PurePath(file).stem
        for node in tree.flat:
            rec.mark(node.line, node.status, node.section, node.source)
        cov = rec.coverage
        device.coverage = cov
        if tree.unclosed_banner is not None:
            cov.truncated = True
            cov.notes.append(
                f"line {tree.unclosed_banner.line.number}: the banner is never closed; "
                "the file looks truncated"
            )
        elif not tree.has_end and tree.top:
            cov.truncated = True
            cov.notes.append("no `end` line: the file looks truncated")
        return device, tree

    def parse(self, text: CleanText, file: str, name: str | None = None) -> Device:
        # The parse allocates one object per line and frees nothing until it ends: the cyclic
        # GC would rescan them all again and again (quadratic on a 50 MB file). Pause it.
        paused = gc.isenabled()
        gc.disable()
        try:
            return self._run(text, file, name)[0]
        finally:
            if paused:
                gc.enable()

    def extract(self, text: CleanText) -> Json:
        """The vendor-shaped stage: statements as a tree, each with its coverage verdict."""
        device, tree = self._run(text, "input.cfg", None)

        def node_data(node: Node) -> Json:
            out: dict[str, Json] = {
                "line": node.line.number,
                "text": node.text,
                "status": node.status.value,
                "section": node.section.value,
            }
            if node.children:
                out["children"] = [node_data(c) for c in node.children]
            return out

        return {
            "platform": self.platform.value,
            "truncated": device.coverage.truncated,
            "statements": [node_data(n) for n in tree.top],
        }


_VERSION_COMMENT = re.compile(r"^!\s*(?:Software\s+)?[Vv]ersion\s+(.+)$")


# --------------------------------------------------------------------------- secrets


COMMON_SECRETS: tuple[SecretPattern, ...] = (
    # enable secret|password [level N] [T] X ; username U ... password|secret [T] X ;
    # line `password [7] X`; ppp chap/pap passwords; bgp neighbor passwords. IOS takes the
    # rest of the line as the password (it may contain spaces), so the secret runs to the end.
    secret(
        r"(?<![\w-])(?:password|secret)(?!\s+(?:policy|encryption|restriction)\b)"
        r"(?:\s+level\s+\d+)?(?:\s+[0-9](?=\s))?\s+(?P<secret>\S.*?)\s*$"
    ),
    secret(r"\bsnmp-server\s+community\s+(?:[07]\s+(?=\S+\s))?(?P<secret>\S+)", well_known_ok=True),
    secret(
        r"\bsnmp-server\s+host\s+(?:oob\s+)?\S+(?:\s+vrf\s+\S+)?(?:\s+(?:informs|traps))?"
        r"(?:\s+version\s+(?:1|2c|3)(?:\s+(?:auth|noauth|priv))?)?\s+(?P<secret>(?!udp-port\b)\S+)",
        well_known_ok=True,
    ),
    secret(r"\bauth\s+(?:md5|sha\S*)\s+(?P<secret>\S+)"),
    secret(r"\bpriv\s+(?:des\S*|3des|aes\S*(?:\s+\d+)?)\s+(?P<secret>\S+)"),
    secret(r"^\s*(?:tacacs-server|radius-server)\s+key\s+(?:[0-7]\s+)?(?P<secret>\S.*?)\s*$"),
    secret(r"^\s*(?:tacacs-server|radius-server)\s+host\s.*?\bkey\s+(?:[0-7]\s+)?(?P<secret>\S+)"),
    secret(r"^\s*key\s+[0-7]\s+(?P<secret>\S+)\s*$"),
    secret(r"^\s*key\s+(?P<secret>(?!\d+\s*$)\S+)\s*$"),
    secret(r"\bkey-string\s+(?:[0-7]\s+)?(?P<secret>\S+)"),
    secret(r"\bcrypto\s+isakmp\s+key\s+(?:[06]\s+)?(?P<secret>\S+)"),
    secret(r"\bpre-shared-key\s+(?:address|hostname)\s+\S+(?:\s+\S+)?\s+key\s+(?P<secret>\S+)"),
    secret(
        r"\bpre-shared-key(?!\s+(?:address|hostname)\b)(?:\s+(?:local|remote))?"
        r"(?:\s+[0-9](?=\s))?\s+(?P<secret>\S+)"
    ),
    secret(r"\bntp\s+authentication-key\s+\d+\s+\S+\s+(?P<secret>\S+)"),
    secret(r"\bospf\s+authentication-key\s+(?:[07]\s+)?(?P<secret>\S+)"),
    secret(r"\bmessage-digest-key\s+\d+\s+md5\s+(?:[07]\s+)?(?P<secret>\S+)"),
    secret(r"\bstandby\s+(?:\d+\s+)?authentication\s+(?:text\s+)?(?P<secret>(?!md5\b)\S+)"),
    secret(r"\bvrrp\s+\d+\s+authentication\s+text\s+(?P<secret>\S+)"),
    secret(r"\bkey\s+config-key\s+password-encrypt\s+(?P<secret>\S+)"),
    secret(r"^\s*Password:\s*(?P<secret>\S.*?)\s*$"),
)


__all__ = [
    "COMMON_INTERFACE_TYPES",
    "COMMON_SECRETS",
    "REDACTED",
    "REDACTED_WELL_KNOWN",
    "BangParser",
    "Ctx",
    "Dialect",
    "Handler",
    "InterfaceNames",
    "InterfaceType",
    "Node",
    "banner_text",
    "build_tree",
    "ok",
    "parse_acl_entry",
    "skip",
]
