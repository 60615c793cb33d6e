"""Shared syntax of the ``#``-block family (Huawei VRP5/USG, VRP8, H3C Comware 5/7): parse stage.

Input: ``CleanText`` (numbered, cleaned lines of a ``display current-configuration``) and a
``Dialect`` (one platform's facts as data: interface names, secret patterns, extra statement
tables, defaults applied at the end). Output: a ``Device`` (netaudit.model) with every line in
exactly one coverage bucket (``HashParser.parse``), or the statement tree the parser saw, each
line with its bucket and section (``HashParser.extract``), for golden tests.

Shape of the syntax: ``#`` lines separate blocks; a statement that opens a view (``interface``,
``aaa``, ``acl``, ``user-interface``, ...) starts in column 0 and its sub-statements are
indented one space per level; statements that open no view are printed with ONE leading space
(` sysname X`, ` snmp-agent ...` on USG and Comware, most globals on VRP5), so a leading space
alone does not make a line a child: a line is a child only of a view-opening statement above it
in the same block. Some USG views print their sub-statements at the header's own indentation
(` nat address-group G 0` / ` section 0 A B`): such views are *flat* and take same-indent lines
they know. ``undo X`` negates ``X``. The configuration ends with ``return``; a file without it
is truncated. Secrets are redacted line by line *before* anything is parsed, so no
``Source.text`` ever holds one; the model keeps only how each secret was stored. Everything is
a single pass over the lines with dictionary dispatch: linear in the size of the file.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network, summarize_address_range
from pathlib import PurePath
from typing import Any

from netaudit.model import (
    DEFAULT_VRF,
    Acl,
    AclKind,
    AclRule,
    Action,
    AddressMatch,
    AddressSet,
    AuthMode,
    Device,
    Firewall,
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
    PortOp,
    SecretStorage,
    Section,
    SecurityRule,
    ServiceMatch,
    SnmpCommunity,
    SnmpUser,
    Source,
    SourceNat,
    StaticNat,
    StaticRoute,
    Vrf,
    Zone,
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

# --------------------------------------------------------------------------- small parsers


def keywords(text: str) -> frozenset[str]:
    """A keyword set written as one string (vendor keyword lists are long)."""
    return frozenset(text.split())


def _ip_int(text: str) -> int | None:
    parts = text.split(".")
    if len(parts) != 4:
        return None
    n = 0
    for p in parts:
        if not p.isdigit() or len(p) > 3:
            return None
        v = int(p)
        if v > 255:
            return None
        n = n << 8 | v
    return n


# Address parsers are cached on their text: a city's configs repeat the same addresses, masks
# and wildcards over and over, and the results are immutable (issue 9).
@functools.lru_cache(maxsize=16384)
def ip4(text: str) -> IPv4Address | None:
    n = _ip_int(text)
    return None if n is None else IPv4Address(n)


@functools.lru_cache(maxsize=512)
def prefix_len(mask: str) -> int | None:
    """A dotted mask (contiguous) or a mask length → the prefix length."""
    if mask.isdigit():
        n = int(mask)
        return n if n <= 32 else None
    value = _ip_int(mask)
    if value is None:
        return None
    inverted = value ^ 0xFFFFFFFF
    if inverted & (inverted + 1):
        return None  # not contiguous
    return 32 - inverted.bit_length()


@functools.lru_cache(maxsize=16384)
def network(addr: str, mask: str) -> IPv4Network | None:
    plen = prefix_len(mask)
    n = _ip_int(addr)
    if n is None or plen is None:
        return None
    return IPv4Network((n, plen), strict=False)


@functools.lru_cache(maxsize=16384)
def interface_address(addr: str, mask: str) -> IPv4Interface | None:
    plen = prefix_len(mask)
    n = _ip_int(addr)
    if n is None or plen is None:
        return None
    return IPv4Interface((n, plen))


@functools.lru_cache(maxsize=512)
def wildcard(text: str) -> IPv4Address | None:
    """An ACL wildcard: dotted, ``0`` (host) or, leniently, a prefix length."""
    if text.isdigit() and int(text) <= 32:
        n = int(text)
        if n == 0:
            return IPv4Address(0)
        return IPv4Network(f"0.0.0.0/{n}").hostmask
    return ip4(text)


def to_int(text: str, low: int = 0, high: int = 2**31) -> int | None:
    if not text.isdigit() or len(text) > 10:
        return None
    value = int(text)
    return value if low <= value <= high else None


def rest_after(text: str, count: int) -> str:
    """The text after the first ``count`` words, spacing inside it kept."""
    s = text
    for _ in range(count):
        s = s.lstrip()
        cut = s.find(" ")  # the first blank: a space or a tab
        tab = s.find("\t")
        if tab >= 0 and (cut < 0 or tab < cut):
            cut = tab
        if cut < 0:
            return ""
        s = s[cut:]
    return s.strip()


def unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text


def range_matches(start: IPv4Address, end: IPv4Address) -> list[AddressMatch]:
    """An address range as the (few) wildcard matches that cover it exactly."""
    if int(end) < int(start):
        start, end = end, start
    return [AddressMatch.from_network(n) for n in summarize_address_range(start, end)]


# Port names Huawei and H3C accept in ACL rules, NAT servers and services.
PORT_NAMES: Mapping[str, int] = {
    "echo": 7, "discard": 9, "daytime": 13, "chargen": 19, "ftp-data": 20, "ftp": 21,
    "ssh": 22, "telnet": 23, "smtp": 25, "time": 37, "nameserver": 42, "whois": 43,
    "tacacs": 49, "domain": 53, "dns": 53, "bootps": 67, "bootpc": 68, "tftp": 69,
    "gopher": 70, "finger": 79, "www": 80, "http": 80, "hostname": 101, "pop2": 109,
    "pop3": 110, "sunrpc": 111, "nntp": 119, "ntp": 123, "netbios-ns": 137,
    "netbios-dgm": 138, "netbios-ssn": 139, "snmp": 161, "snmptrap": 162, "xdmcp": 177,
    "bgp": 179, "irc": 194, "dnsix": 195, "https": 443, "mobilip-ag": 434,
    "mobilip-mn": 435, "pim-auto-rp": 496, "isakmp": 500, "exec": 512, "biff": 512,
    "login": 513, "who": 513, "cmd": 514, "syslog": 514, "lpd": 515, "talk": 517,
    "rip": 520, "uucp": 540, "klogin": 543, "kshell": 544, "ms-sql": 1433,
    "mysql": 3306, "rdp": 3389,
}  # fmt: skip

# Protocol names of ACL rules → the model's protocol text.
PROTOCOLS: Mapping[str, str] = {
    "ip": "ip", "tcp": "tcp", "udp": "udp", "icmp": "icmp", "gre": "gre", "ospf": "89",
    "igmp": "2", "ipinip": "4", "esp": "50", "ah": "51", "sctp": "132", "pim": "103",
    "vrrp": "112",
}  # fmt: skip


def protocol_name(word: str) -> str | None:
    low = word.lower()
    if low in PROTOCOLS:
        return PROTOCOLS[low]
    if low.isdigit() and int(low) <= 255:
        return {"0": "ip", "1": "icmp", "6": "tcp", "17": "udp", "47": "gre"}.get(low, low)
    return None


def port_number(word: str) -> int | None:
    n = to_int(word, 0, 65535)
    return n if n is not None else PORT_NAMES.get(word.lower())


_PORT_OPS = {"eq": PortOp.EQ, "neq": PortOp.NEQ, "lt": PortOp.LT, "gt": PortOp.GT}


def parse_port(words: list[str], i: int) -> tuple[PortMatch, int] | None:
    """``eq P`` / ``neq P`` / ``lt P`` / ``gt P`` / ``range A B`` at ``words[i]``."""
    if i >= len(words):
        return None
    op = words[i].lower()
    if op == "range" and i + 2 < len(words):
        low, high = port_number(words[i + 1]), port_number(words[i + 2])
        if low is None or high is None:
            return None
        return port_match("range", min(low, high), max(low, high)), i + 3
    if op in ("eq", "neq", "lt", "gt") and i + 1 < len(words):
        p = port_number(words[i + 1])
        if p is None:
            return None
        return port_match(op, p, p), i + 2
    return None


# --------------------------------------------------------------------------- interface names


@dataclass(frozen=True, slots=True)
class InterfaceType:
    canonical: str  # the type as the model writes it, e.g. "GigabitEthernet"
    kind: InterfaceKind
    aliases: tuple[str, ...] = ()  # lower-case abbreviations the platform prints or accepts

    def __init__(self, canonical: str, kind: InterfaceKind, aliases: tuple[str, ...] = ()) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "canonical", canonical)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "aliases", aliases)


_IFNAME = re.compile(r"^(\d*[A-Za-z][A-Za-z\-_]*?)\s*(\d[\d/:.]*)$")


@dataclass(frozen=True, slots=True)
class InterfaceNames:
    """A platform's interface types as data: ``GE0/0/1`` → ``GigabitEthernet0/0/1``."""

    types: tuple[InterfaceType, ...]
    _index: dict[str, InterfaceType] = field(default_factory=dict, compare=False, repr=False)
    # ``split`` results by name: a config names its interfaces again and again (issue 9).
    _splits: dict[str, tuple[InterfaceType | None, str, str]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __init__(
        self,
        types: tuple[InterfaceType, ...],
        _index: dict[str, InterfaceType] | None = None,
        _splits: dict[str, tuple[InterfaceType | None, str, str]] | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "types", types)
        object.__setattr__(self, "_index", {} if _index is None else _index)
        object.__setattr__(self, "_splits", {} if _splits is None else _splits)
        self.__post_init__()

    def __post_init__(self) -> None:
        for t in self.types:
            self._index.setdefault(t.canonical.lower(), t)
            for alias in t.aliases:
                self._index.setdefault(alias, t)

    def lookup(self, word: str) -> InterfaceType | None:
        return self._index.get(word.lower())

    def split(self, raw: str) -> tuple[InterfaceType | None, str, str]:
        got = self._splits.get(raw)
        if got is None:
            m = _IFNAME.match(raw.strip())
            if m is None:
                got = None, raw.strip(), ""
            else:
                got = self.lookup(m.group(1)), m.group(1), m.group(2)
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

    def is_interface(self, word: str) -> bool:
        t, _, number = self.split(word)
        return t is not None and bool(number)


_E, _V, _L, _A = (
    InterfaceKind.ETHERNET,
    InterfaceKind.VLAN,
    InterfaceKind.LOOPBACK,
    InterfaceKind.AGGREGATE,
)
_COMMON_TYPES: tuple[InterfaceType, ...] = (
    InterfaceType("LoopBack", _L, ("loop", "lo", "loopback")),
    InterfaceType("NULL", InterfaceKind.NULL, ("null",)),
    InterfaceType("Dialer", InterfaceKind.DIALER, ("dia", "di")),
    InterfaceType("Cellular", InterfaceKind.CELLULAR, ("cell", "cel")),
    InterfaceType("Tunnel", InterfaceKind.TUNNEL, ("tun",)),
    InterfaceType("Virtual-Template", InterfaceKind.VIRTUAL_TEMPLATE, ("vt", "virtual-t")),
    InterfaceType("Serial", InterfaceKind.OTHER, ("s", "ser")),
    InterfaceType("Pos", InterfaceKind.OTHER, ("pos",)),
    InterfaceType("Atm", InterfaceKind.OTHER, ("atm",)),
    InterfaceType("Mp-group", InterfaceKind.OTHER, ("mp",)),
    InterfaceType("Virtual-Ethernet", InterfaceKind.OTHER, ("ve",)),
)

# Huawei VRP5, USG and VRP8 (CE/NE) interface types; abbreviations as `display` prints them.
HUAWEI_INTERFACE_NAMES = InterfaceNames(
    (
        InterfaceType("GigabitEthernet", _E, ("ge", "gi", "gigabitethernet")),
        InterfaceType("XGigabitEthernet", _E, ("xge", "xgigabitethernet")),
        InterfaceType("Ethernet", _E, ("eth",)),
        InterfaceType("FastEthernet", _E, ("fe",)),
        InterfaceType("MultiGE", _E, ("mge",)),
        InterfaceType("10GE", _E, ()),
        InterfaceType("25GE", _E, ()),
        InterfaceType("40GE", _E, ()),
        InterfaceType("100GE", _E, ()),
        InterfaceType("400GE", _E, ()),
        InterfaceType("Vlanif", _V, ("vlanif", "vlanif-")),
        InterfaceType("Vbdif", _V, ()),
        InterfaceType("Eth-Trunk", _A, ("eth-trunk",)),
        InterfaceType("MEth", InterfaceKind.MANAGEMENT, ("meth",)),
        InterfaceType("Virtual-if", InterfaceKind.OTHER, ()),
        InterfaceType("Wlan-Ess", InterfaceKind.OTHER, ()),
        InterfaceType("Wlan-Radio", InterfaceKind.OTHER, ()),
        InterfaceType("Wlan-Bss", InterfaceKind.OTHER, ()),
        InterfaceType("Nve", InterfaceKind.TUNNEL, ()),
        InterfaceType("InLoopBack", _L, ()),
        *_COMMON_TYPES,
    )
)

# H3C Comware 5/7 interface types.
COMWARE_INTERFACE_NAMES = InterfaceNames(
    (
        InterfaceType("GigabitEthernet", _E, ("ge", "gi", "gigabitethernet")),
        InterfaceType("Ten-GigabitEthernet", _E, ("xge", "ten-gigabitethernet", "tengige")),
        InterfaceType("FortyGigE", _E, ("fge",)),
        InterfaceType("HundredGigE", _E, ("hge",)),
        InterfaceType("Twenty-FiveGigE", _E, ("wge",)),
        InterfaceType("Ethernet", _E, ("eth",)),
        InterfaceType("M-GigabitEthernet", InterfaceKind.MANAGEMENT, ("m-ge", "mge")),
        InterfaceType("M-Ethernet", InterfaceKind.MANAGEMENT, ("m-eth",)),
        InterfaceType("Vlan-interface", _V, ("vlan-int", "vlan-interface", "vlanif")),
        InterfaceType("Bridge-Aggregation", _A, ("bagg",)),
        InterfaceType("Route-Aggregation", _A, ("ragg",)),
        InterfaceType("Reth", InterfaceKind.OTHER, ()),
        InterfaceType("Vsi-interface", _V, ("vsi",)),
        InterfaceType("InLoopBack", _L, ("inloop",)),
        *_COMMON_TYPES,
    )
)


# --------------------------------------------------------------------------- redaction data

# Storage keywords of both vendors: the token after one of them is a secret.
_STORAGE = r"(?:irreversible-cipher|cipher|simple|plain|hash)"
_VALUE = r'(?P<secret>"[^"]*"|\S+)'
_NOT_STORAGE = (
    r"(?!(?:irreversible-cipher|cipher|simple|plain|hash|authentication-mode|privacy-mode)\b)"
)

# Secret syntaxes shared by Huawei and H3C (each platform's redaction.py adds its own).
HASHBLOCK_SECRETS: tuple[SecretPattern, ...] = (
    # SNMP communities first: a well-known value keeps a marker (MLPS-SNMP needs it).
    secret(
        r"^\s*(?:undo\s+)?snmp-agent\s+community\s+(?:read|write)\s+(?:(?:cipher|simple)\s+)?"
        + _NOT_STORAGE
        + _VALUE,
        well_known_ok=True,
    ),
    # H3C v7 also writes `snmp-agent community [simple|cipher] NAME user-role ...`.
    secret(
        r"^\s*(?:undo\s+)?snmp-agent\s+community\s+(?:cipher|simple)\s+(?!read\b|write\b)" + _VALUE,
        well_known_ok=True,
    ),
    secret(
        r"\bsecurityname\s+(?:(?:cipher|simple)\s+)?" + _NOT_STORAGE + _VALUE, well_known_ok=True
    ),
    secret(
        r"^\s*snmp-agent\s+usm-user\b.*?\bauthentication-mode\s+\S+\s+(?:(?:cipher|simple)\s+)?"
        + _NOT_STORAGE
        + _VALUE
    ),
    secret(
        r"^\s*snmp-agent\s+usm-user\b.*?\bprivacy-mode\s+\S+\s+(?:(?:cipher|simple)\s+)?"
        + _NOT_STORAGE
        + _VALUE
    ),
    secret(r"\bauthentication-keyid\s+\d+\s+authentication-mode\s+\S+\s+" + _NOT_STORAGE + _VALUE),
    # Any value after a storage keyword.
    secret(r"\b" + _STORAGE + r"\s+" + _NOT_STORAGE + _VALUE),
    # A password with no storage keyword (operator input echoed in a capture, old releases).
    secret(
        r"(?<![\w-])password\s+(?!(?:irreversible-cipher|cipher|simple|plain|hash|policy|expire|history"
        r"|alert|min-length|complexity|level|role|encryption|control|recovery|lifetime|aging"
        r"|length|composition|-)\b)(?P<secret>\S+)"
    ),
    secret(r"\bpass-phrase\s+(?:(?:cipher|simple)\s+)?" + _NOT_STORAGE + _VALUE),
    secret(r"\b(?:pre-shared-key|shared-key|key-string)\s+" + _NOT_STORAGE + _VALUE),
    # Encodings that are secrets wherever they appear.
    secret(
        r"(?P<secret>%\^%#\S*?%\^%#|%\$%\$\S*?%\$%\$|@%@%\S*?@%@%|%@%@\S*?%@%@|\$[chp]\$\d+\$\S+|\$1[a-d]\$\S+)"
    ),
)


def storage_of(word: str | None) -> SecretStorage:
    """How a secret is stored, from the keyword before it."""
    if word is None:
        return SecretStorage.UNKNOWN
    return {
        "irreversible-cipher": SecretStorage.HASH,
        "hash": SecretStorage.HASH,
        "cipher": SecretStorage.REVERSIBLE,
        "simple": SecretStorage.PLAIN,
        "plain": SecretStorage.PLAIN,
    }.get(word.lower(), SecretStorage.UNKNOWN)


# --------------------------------------------------------------------------- statements


@dataclass(slots=True)
class Stmt:
    """One configuration line as the parser sees it (already redacted)."""

    line: CleanLine
    text: str  # stripped
    indent: int
    neg: bool  # began with `undo`
    words: list[str]  # after `undo`
    lw: list[str]  # lower-cased words
    done: bool = False
    status: LineStatus = LineStatus.UNRECOGNIZED
    section: Section = Section.OTHER
    children: list[Stmt] = field(default_factory=list)
    source: Source | None = None  # built on first use (``Ctx.src``), then shared

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        line: CleanLine,
        text: str,
        indent: int,
        neg: bool,
        words: list[str],
        lw: list[str],
        done: bool = False,
        status: LineStatus = LineStatus.UNRECOGNIZED,
        section: Section = Section.OTHER,
        children: list[Stmt] | None = None,
        source: Source | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.line = line
        self.text = text
        self.indent = indent
        self.neg = neg
        self.words = words
        self.lw = lw
        self.done = done
        self.status = status
        self.section = section
        self.children = [] if children is None else children
        self.source = source


def make_stmt(line: CleanLine) -> Stmt:
    raw = line.text
    body = raw.lstrip()
    text = body.rstrip()
    words = text.split()
    # Speed: one lower() per line; on ASCII text it maps each character to one, so the words
    # are the same as lower-casing each word.
    lw = text.lower().split() if text.isascii() else [w.lower() for w in words]
    neg = bool(lw) and lw[0] == "undo"
    if neg:
        words = words[1:]
        lw = lw[1:]
    return Stmt(line, text, len(raw) - len(body), neg, words, lw)


Handler = Callable[["Ctx", Stmt, Any], "View | None"]
Entry = tuple[Section, Handler | None]  # handler None: understood, not modelled
Table = Mapping[str, Entry]


def lookup(table: Table, lw: list[str]) -> Entry | None:
    """The entry for the longest known keyword prefix (three, two, then one word)."""
    if len(lw) >= 3:
        e = table.get(f"{lw[0]} {lw[1]} {lw[2]}")
        if e is not None:
            return e
    if len(lw) >= 2:
        e = table.get(f"{lw[0]} {lw[1]}")
        if e is not None:
            return e
    return table.get(lw[0]) if lw else None


def unsupported(section: Section, words: str) -> dict[str, Entry]:
    """Keywords understood but not modelled (their blocks too), all in ``section``."""
    return {w.replace("_", " "): (section, None) for w in words.split()}


class View:
    """A configuration view a statement opened; dispatches the lines below it."""

    section: Section = Section.OTHER
    flat: bool = False  # takes known same-indent lines (USG `nat address-group`)
    # Lines of a swallowing view (an unsupported or unknown block) all get this status.
    swallow: LineStatus | None = None

    def table(self, ctx: Ctx) -> Table:
        return {}

    def close(self, ctx: Ctx) -> None:
        return None


class SwallowView(View):
    def __init__(self, status: LineStatus, section: Section) -> None:
        self.swallow = status
        self.section = section


_SWALLOWS: dict[tuple[LineStatus, Section], SwallowView] = {}


def swallow_view(status: LineStatus, section: Section) -> SwallowView:
    """The ``SwallowView`` of ``status`` lines in ``section``: one of each, shared (it holds
    nothing else; one was built per unsupported or unknown line, issue 9)."""
    view = _SWALLOWS.get((status, section))
    if view is None:
        view = _SWALLOWS[status, section] = SwallowView(status, section)
    return view


class TopView(View):
    def table(self, ctx: Ctx) -> Table:
        return ctx.dialect.top


class RuleView(View):
    """The lines below one firewall rule (USG and Comware ``security-policy`` rules, SecPath and
    USG interzone rules); each platform's ``table`` says which lines a rule takes."""

    section = Section.FIREWALL

    def __init__(self, rule: SecurityRule, table: Table) -> None:
        self.rule = rule
        self._table = table

    def table(self, ctx: Ctx) -> Table:
        return self._table


# --------------------------------------------------------------------------- dialect, context


@dataclass(frozen=True, slots=True)
class Dialect:
    """One platform's facts: names, secrets, statement tables and defaults, as data."""

    platform: Platform
    names: InterfaceNames
    secrets: tuple[SecretPattern, ...]
    top: Table
    interface: Table
    aaa: Table
    line: Table
    finalize: Callable[[Ctx], None]
    line_kinds: Mapping[str, LineKind]  # `user-interface con 0` → console ...
    # Huawei traffic-filter / H3C packet-filter: no matching rule → permit.
    acl_default: Action = Action.PERMIT

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        platform: Platform,
        names: InterfaceNames,
        secrets: tuple[SecretPattern, ...],
        top: Table,
        interface: Table,
        aaa: Table,
        line: Table,
        finalize: Callable[[Ctx], None],
        line_kinds: Mapping[str, LineKind],
        acl_default: Action = Action.PERMIT,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "platform", platform)
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "secrets", secrets)
        object.__setattr__(self, "top", top)
        object.__setattr__(self, "interface", interface)
        object.__setattr__(self, "aaa", aaa)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "finalize", finalize)
        object.__setattr__(self, "line_kinds", line_kinds)
        object.__setattr__(self, "acl_default", acl_default)


class Ctx:
    """Parse state for one config."""

    def __init__(self, dialect: Dialect, device: Device, rec: CoverageRecorder) -> None:
        self.dialect = dialect
        self.dev = device
        self.rec = rec
        self.cov = rec.coverage
        self.top = TopView()
        self.seen_return = False
        self.acl_alias: dict[str, str] = {}  # ACL name → key in device.acls (numbered+named)
        self.zone_priority: dict[str, int] = {}
        self.fw: Firewall | None = None
        self.snmp_groups: dict[str, str | None] = {}  # v3 group → ACL
        self.snmp_user_groups: dict[str, str] = {}
        self.telnet_acl: tuple[str, Source] | None = None
        self.ssh_acl_source: Source | None = None
        self.info_center_off: Source | None = None
        self.ntp_enabled: Flag | None = None
        self.facts: dict[str, Source] = {}  # vendor facts seen (e.g. comware major version)
        self.comware_major: int | None = None
        self.password_policy_block: Source | None = None
        self.password_expire_seen = False
        self.trees: list[Stmt] = []
        self.lockouts: list[tuple[int, int | None, Source]] = []  # per-user lockouts (VRP8)
        self.line_classes: dict[LineKind, MgmtLine] = {}
        self.max_vty: tuple[int, Source] | None = None  # VRP `user-interface maximum-vty N`
        # Interzone rules whose zones follow from zone priorities, resolved at the end.
        self.interzone: list[tuple[SecurityRule, str, str, str | None]] = []
        # Comware object policies by name, and the zone pairs that apply them.
        self.object_policies: dict[str, list[SecurityRule]] = {}
        self.object_policy_uses: list[tuple[str, str, str, Source]] = []

    # coverage ------------------------------------------------------------------------
    def src(self, st: Stmt) -> Source:
        # One Source per line, however many facts and checks cite it (issue 9).
        if st.source is None:
            st.source = Source(self.rec.file, st.line.number, st.text)
        return st.source

    def _mark(self, st: Stmt, status: LineStatus, section: Section) -> None:
        if st.done:
            return
        st.done = True
        st.status = status
        st.section = section
        if status is LineStatus.UNRECOGNIZED:
            self.rec.mark(st.line, status, section, self.src(st))
        else:
            self.rec.mark(st.line, status, section)

    def ok(self, st: Stmt, section: Section) -> Source:
        # ``_mark`` and ``src`` inlined: every recognized line comes here (issue 9).
        source = st.source
        if source is None:
            source = st.source = Source(self.rec.file, st.line.number, st.text)
        if not st.done:
            st.done = True
            st.status = LineStatus.RECOGNIZED
            st.section = section
            cov = self.cov
            cov.total += 1
            cov.recognized += 1
        return source

    def skip(self, st: Stmt, section: Section) -> None:
        self._mark(st, LineStatus.UNSUPPORTED, section)

    def bad(self, st: Stmt, section: Section) -> None:
        self._mark(st, LineStatus.UNRECOGNIZED, section)

    # helpers -------------------------------------------------------------------------
    def ifname(self, raw: str) -> str:
        return self.dialect.names.canonical(raw)

    def interface_at(self, words: list[str], i: int) -> tuple[str, int] | None:
        """An interface name at ``words[i]``, also the spaced form ``GigabitEthernet 0/0/1``."""
        if i >= len(words):
            return None
        w = words[i]
        names = self.dialect.names
        if (
            i + 1 < len(words)
            and names.lookup(w) is not None
            and words[i + 1][:1].isdigit()
            and ip4(words[i + 1]) is None
        ):
            return self.ifname(w + words[i + 1]), i + 2
        if names.is_interface(w):
            return self.ifname(w), i + 1
        return None

    def interface(self, name: str, source: Source) -> Interface:
        itf = self.dev.interfaces.get(name)
        if itf is None:
            kind = self.dialect.names.kind(name)
            itf = Interface(name, kind, source)
            if kind in (InterfaceKind.DIALER, InterfaceKind.CELLULAR):
                itf.dialer = True
            self.dev.interfaces[name] = itf
        return itf

    def acl_key(self, name: str) -> str:
        return self.acl_alias.get(name, name)

    def firewall(self) -> Firewall:
        if self.fw is None:
            self.fw = Firewall()
            self.dev.firewall = self.fw
        return self.fw


# --------------------------------------------------------------------------- the parser


class HashParser:
    """The parser of one ``#``-block platform (a ``VendorParser``)."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.platform = dialect.platform
        self.redactor = Redactor(dialect.secrets)

    def redact(self, text: str) -> str:
        return self.redactor.redact(text)

    def parse(self, text: CleanText, file: str, name: str | None = None) -> Device:
        ctx = self._run(text, file, name)
        return ctx.dev

    def extract(self, text: CleanText) -> Json:
        """The statement tree as parsed: line, text, bucket, section, children."""
        ctx = self._run(text, "input.cfg", None, keep_tree=True)
        return [_tree_data(st) for st in ctx.trees]

    # ---------------------------------------------------------------------------------
    def _run(self, text: CleanText, file: str, name: str | None, keep_tree: bool = False) -> Ctx:
        """One pass over the lines; the statement tree is kept only for ``extract`` (a 50 MB
        config would otherwise hold millions of statements in memory)."""
        rec = CoverageRecorder(file)
        device = Device(name or PurePath(file).stem, self.platform, file)
        device.coverage = rec.coverage
        ctx = Ctx(self.dialect, device, rec)
        stack: list[tuple[int, View, Stmt]] = []
        raw: RawBlock | None = None

        def attach(st: Stmt) -> None:
            if keep_tree:
                (stack[-1][2].children if stack else ctx.trees).append(st)

        for cl in self.redactor.redact_text(text).lines:
            st = make_stmt(cl)
            if raw is not None:
                ctx.ok(st, raw.section)
                if keep_tree:
                    raw.parent.children.append(st)
                if raw.feed(ctx, st):
                    raw = None
                continue
            if not st.text or cl.noise:
                ctx.skip(st, Section.OTHER)
                attach(st)
                continue
            first = st.text[0]
            if first == "#":
                # ` #` inside a view separates its sub-views (VRP8, USG `aaa`): close only the
                # views at or below its indentation.
                ctx.skip(st, Section.OTHER)
                while stack and stack[-1][0] >= st.indent:
                    stack.pop()[1].close(ctx)
                attach(st)
                continue
            if (
                st.indent == 0
                and (first.isdigit() or first in "IWEN")  # (cheap test before the regexes)
                and (_TIMESTAMP.match(st.text) or _MESSAGE.match(st.text))
            ):
                # USG prints the time of the `display` before the configuration; a captured
                # session holds the device's `Info:` / `Warning:` answers to commands.
                ctx.skip(st, Section.SYSTEM)
                attach(st)
                continue
            if first == "!":
                _comment(ctx, st)
                attach(st)
                continue
            if st.lw == ["return"] and st.indent == 0 and not st.neg:
                ctx.ok(st, Section.SYSTEM)
                ctx.seen_return = True
                _unwind(ctx, stack, -1)
                attach(st)
                continue
            # Find the view this line belongs to.
            while stack:
                indent, view, _ = stack[-1]
                if st.indent > indent:
                    break
                flat = st.indent == indent and view.flat and view.swallow is None
                if flat and lookup(view.table(ctx), st.lw) is not None:
                    break
                stack.pop()
                view.close(ctx)
            view = stack[-1][1] if stack else ctx.top
            child, raw_block = _dispatch(ctx, view, st, stack)
            # (_dispatch empties the stack when the line falls back to top level.)
            attach(st)
            if raw_block is not None:
                raw_block.parent = st
                raw = raw_block
            elif child is not None:
                stack.append((st.indent, child, st))
        _unwind(ctx, stack, -1)
        if raw is not None:
            ctx.dev.coverage.truncated = True
            ctx.dev.coverage.notes.append(
                f"the file ends inside a multi-line {raw.what} (line {raw.parent.line.number})"
            )
        if not ctx.seen_return:
            ctx.dev.coverage.truncated = True
            ctx.dev.coverage.notes.append(
                "the configuration does not end with `return`: the file is truncated"
            )
        _merge_line_classes(ctx)
        _open_vty_lines(ctx)
        apply_user_lockouts(ctx)
        self.dialect.finalize(ctx)
        finalize_common(ctx)
        return ctx


def _unwind(ctx: Ctx, stack: list[tuple[int, View, Stmt]], keep: int) -> None:
    while len(stack) > max(keep, 0):
        _, view, _ = stack.pop()
        view.close(ctx)


def _dispatch(
    ctx: Ctx, view: View, st: Stmt, stack: list[tuple[int, View, Stmt]]
) -> tuple[View | None, RawBlock | None]:
    if view.swallow is not None:
        if view.swallow is LineStatus.UNSUPPORTED:
            ctx.skip(st, view.section)
        else:
            # An unknown block: a line the top level knows ends it (a missing `#`).
            if st.indent <= 1 and lookup(ctx.dialect.top, st.lw) is not None:
                _unwind(ctx, stack, -1)
                return _dispatch(ctx, ctx.top, st, stack)
            ctx.bad(st, view.section)
        return view, None
    entry = lookup(view.table(ctx), st.lw)
    if entry is None and view is not ctx.top and st.indent <= 1:
        top_entry = lookup(ctx.dialect.top, st.lw)
        if top_entry is not None:
            # A global statement right after a view without its `#` separator.
            _unwind(ctx, stack, -1)
            return _dispatch(ctx, ctx.top, st, stack)
    if entry is None:
        section = view.section if view is not ctx.top else _guess_section(st.lw)
        ctx.bad(st, section)
        return swallow_view(LineStatus.UNRECOGNIZED, section), None
    section, handler = entry
    if handler is None:
        ctx.skip(st, section)
        return swallow_view(LineStatus.UNSUPPORTED, section), None
    try:
        result = handler(ctx, st, view)
    except MALFORMED:
        # A token the handler could not convert (a number in other digits, say): the line is
        # unrecognized, visibly, instead of the whole device failing to parse.
        ctx.bad(st, section)
        return swallow_view(LineStatus.UNRECOGNIZED, section), None
    if not st.done:
        ctx.bad(st, section)
    if isinstance(result, RawBlock):
        return None, result
    if result is None and st.status is not LineStatus.RECOGNIZED:
        # Children of a line we could not use belong to the same bucket.
        return swallow_view(st.status, section), None
    return result, None


_SECTION_HINTS: tuple[tuple[str, Section], ...] = (
    ("snmp", Section.SNMP),
    ("ntp", Section.NTP),
    ("info-center", Section.LOGGING),
    ("syslog", Section.LOGGING),
    ("telnet", Section.SERVICES),
    ("stelnet", Section.SERVICES),
    ("ssh", Section.SERVICES),
    ("http", Section.SERVICES),
    ("ftp", Section.SERVICES),
    ("web", Section.SERVICES),
    ("user-interface", Section.LINES),
    ("line", Section.LINES),
    ("local-user", Section.USERS),
    ("aaa", Section.USERS),
    ("password", Section.PASSWORD_POLICY),
    ("acl", Section.ACLS),
    ("nat", Section.NAT),
    ("firewall", Section.FIREWALL),
    ("security", Section.FIREWALL),
    ("zone", Section.FIREWALL),
    ("object", Section.FIREWALL),
    ("interface", Section.INTERFACES),
    ("ip route", Section.ROUTES),
    ("ip vpn", Section.VRFS),
    ("header", Section.SYSTEM),
)


def _guess_section(lw: list[str]) -> Section:
    head = " ".join(lw[:2])
    for prefix, section in _SECTION_HINTS:
        if head.startswith(prefix):
            return section
    return Section.OTHER


def _tree_data(st: Stmt) -> Json:
    node: dict[str, Json] = {
        "line": st.line.number,
        "text": st.text,
        "status": st.status.value,
        "section": st.section.value,
    }
    if st.children:
        node["children"] = [_tree_data(c) for c in st.children]
    return node


_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}:\d{2}")
_MESSAGE = re.compile(r"^(?:Info|Warning|Error|Notice):\s")
_VERSION_COMMENT = re.compile(r"^!\s*Software\s+Version\s+(\S+)", re.IGNORECASE)


def _comment(ctx: Ctx, st: Stmt) -> None:
    """``!Software Version V200R011C10SPC600`` (VRP) gives the OS version; others are notes."""
    m = _VERSION_COMMENT.match(st.text)
    if m is not None:
        ctx.dev.os_version = m.group(1)
        ctx.ok(st, Section.SYSTEM)
        return
    ctx.skip(st, Section.OTHER)


class RawBlock(View):
    """Lines consumed verbatim until a closing delimiter (multi-line banners)."""

    what = "banner"

    def __init__(self, section: Section, delimiter: str, on_done: Callable[[str], None]) -> None:
        self.section = section
        self.delimiter = delimiter
        self.parts: list[str] = []
        self.on_done = on_done
        self.parent: Stmt = _NO_STMT

    def feed(self, ctx: Ctx, st: Stmt) -> bool:
        text = st.line.text
        cut = text.find(self.delimiter)
        if cut >= 0:
            self.parts.append(text[:cut])
            self.on_done("\n".join(self.parts).strip("\n"))
            return True
        self.parts.append(text)
        return False


_NO_STMT = make_stmt(CleanLine(0, ""))


# --------------------------------------------------------------------------- system


def h_sysname(ctx: Ctx, st: Stmt, view: View) -> None:
    if not st.neg and len(st.words) >= 2:
        ctx.dev.hostname = unquote(rest_after(st.text, 1))
        ctx.ok(st, Section.SYSTEM)


def h_header(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """``header login|shell information "text"`` (VRP) / ``header motd %text%`` (Comware)."""
    if len(st.words) < 2:
        return None
    kind = st.lw[1]
    if kind not in ("login", "shell", "motd", "incoming", "legal"):
        return None
    if st.neg:
        ctx.ok(st, Section.SYSTEM)
        return None
    rest = rest_after(st.text, 2)
    if rest.lower().startswith("information"):
        rest = rest[len("information") :].strip()
    elif rest.lower().startswith("file"):
        src = ctx.ok(st, Section.SYSTEM)
        _set_banner(ctx, f"(banner file {rest_after(rest, 1)})", src)
        return None
    if not rest:
        return None
    src = ctx.ok(st, Section.SYSTEM)
    delim = rest[0]
    body = rest[1:]
    cut = body.find(delim)
    if cut >= 0:
        _set_banner(ctx, body[:cut], src)
        return None
    first = [body] if body.strip() else []

    def done(text: str) -> None:
        joined = "\n".join([*first, text]) if text else "\n".join(first)
        _set_banner(ctx, joined.strip("\n"), src)

    return RawBlock(Section.SYSTEM, delim, done)


def _set_banner(ctx: Ctx, text: str, src: Source) -> None:
    m = ctx.dev.mgmt
    m.banner = text if m.banner is None else m.banner + "\n" + text
    if m.banner_source is None:
        m.banner_source = src


# --------------------------------------------------------------------------- interfaces


class InterfaceView(View):
    section = Section.INTERFACES

    def __init__(self, itf: Interface) -> None:
        self.itf = itf

    def table(self, ctx: Ctx) -> Table:
        return ctx.dialect.interface


def h_interface(ctx: Ctx, st: Stmt, view: View) -> View | None:
    if len(st.words) < 2:
        return None
    found = ctx.interface_at(st.words, 1)
    if found is None:
        return None
    name, i = found
    src = ctx.src(st)
    if st.neg:
        ctx.ok(st, Section.INTERFACES)
        ctx.dev.interfaces.pop(name, None)
        return None
    rest = st.lw[i:]
    if rest and rest[0] not in ("mode", "type"):
        return None
    itf = ctx.interface(name, src)
    if rest[:2] == ["mode", "l2"]:
        itf.switchport = True
    ctx.ok(st, Section.INTERFACES)
    return InterfaceView(itf)


def _iface(view: View) -> Interface:
    assert isinstance(view, InterfaceView)
    return view.itf


def i_description(ctx: Ctx, st: Stmt, view: View) -> None:
    itf = _iface(view)
    itf.sources.append(ctx.ok(st, Section.INTERFACES))
    itf.description = None if st.neg else rest_after(st.text, 1) or None


def i_shutdown(ctx: Ctx, st: Stmt, view: View) -> None:
    itf = _iface(view)
    if len(st.words) != 1:
        return
    itf.sources.append(ctx.ok(st, Section.INTERFACES))
    itf.shutdown = not st.neg


def i_ip_address(ctx: Ctx, st: Stmt, view: View) -> None:
    itf = _iface(view)
    w = st.lw
    src = ctx.src(st)
    if len(w) == 2 and st.neg:
        itf.addresses.clear()
    elif len(w) >= 3 and w[2] == "dhcp-alloc":
        itf.dhcp_client = not st.neg
    elif len(w) >= 3 and w[2] == "ppp-negotiate":
        itf.dialer = itf.dialer or not st.neg
    elif len(w) >= 3 and w[2] in ("unnumbered", "bootp-alloc"):
        ctx.skip(st, Section.INTERFACES)
        return
    elif len(w) >= 4:
        addr = interface_address(w[2], w[3])
        if addr is None:
            return
        secondary = len(w) >= 5 and w[4] == "sub"
        if len(w) > 5 or (len(w) == 5 and not secondary):
            return
        if st.neg:
            itf.addresses = [a for a in itf.addresses if a.address != addr]
        else:
            if not secondary:
                itf.addresses = [a for a in itf.addresses if a.secondary]
            itf.addresses.append(InterfaceAddress(addr, secondary, src))
            itf.addresses.sort(key=lambda a: a.secondary)
    else:
        return
    itf.sources.append(ctx.ok(st, Section.INTERFACES))


def i_binding(ctx: Ctx, st: Stmt, view: View) -> None:
    itf = _iface(view)
    if len(st.words) == 4 and st.lw[2] == "vpn-instance":
        itf.vrf = DEFAULT_VRF if st.neg else vrf_key(st.words[3])
        itf.sources.append(ctx.ok(st, Section.INTERFACES))


def i_traffic_filter(ctx: Ctx, st: Stmt, view: View) -> None:
    """``traffic-filter inbound|outbound acl [name] N`` (VRP5) and ``traffic-filter acl [name]
    N inbound|outbound`` (VRP8 CE order); ``acl ipv6`` is IPv6-only."""
    itf = _iface(view)
    w = st.lw
    words = st.words
    if "ipv6" in w:
        itf.ipv6 = True
        ctx.skip(st, Section.INTERFACES)
        return
    if len(w) >= 4 and w[1] in ("inbound", "outbound") and w[2] == "acl":
        direction, rest, offset = w[1], w[3:], 3
    elif len(w) >= 4 and w[1] == "acl" and w[-1] in ("inbound", "outbound"):
        direction, rest, offset = w[-1], w[2:-1], 2
    else:
        return
    if rest[:1] == ["name"] and len(rest) == 2:
        name = words[offset + 1]
    elif len(rest) == 1:
        name = words[offset]
    else:
        return
    _apply_acl(ctx, st, itf, direction, name)


def _apply_acl(ctx: Ctx, st: Stmt, itf: Interface, direction: str, name: str) -> None:
    key = None if st.neg else name
    if direction == "inbound":
        itf.acl_in = key
    else:
        itf.acl_out = key
    itf.sources.append(ctx.ok(st, Section.INTERFACES))
    ctx.facts.setdefault(f"acl-used:{name}", ctx.src(st))


def i_switchport(ctx: Ctx, st: Stmt, view: View) -> None:
    """``port link-type access|trunk|hybrid`` / ``port default vlan N`` (Huawei, H3C)."""
    itf = _iface(view)
    w = st.lw
    if w[:2] == ["port", "link-type"] and len(w) == 3:
        itf.switchport = not st.neg
    elif (w[:3] == ["port", "default", "vlan"] and len(w) == 4) or (
        w[:3] == ["port", "access", "vlan"] and len(w) == 4
    ):
        itf.access_vlan = None if st.neg else to_int(w[3], 1, 4094)
        itf.switchport = True
    elif w[:2] == ["port", "link-mode"] and len(w) == 3:
        itf.switchport = w[2] == "bridge" and not st.neg
    else:
        ctx.skip(st, Section.INTERFACES)
        return
    itf.sources.append(ctx.ok(st, Section.INTERFACES))


def i_portswitch(ctx: Ctx, st: Stmt, view: View) -> None:
    itf = _iface(view)
    if len(st.words) == 1:
        itf.switchport = not st.neg
        itf.sources.append(ctx.ok(st, Section.INTERFACES))


def i_pppoe_client(ctx: Ctx, st: Stmt, view: View) -> None:
    itf = _iface(view)
    if len(st.lw) >= 3 and st.lw[1] == "dial-bundle-number":
        itf.pppoe_client = not st.neg
        itf.dialer = itf.dialer or not st.neg
        itf.sources.append(ctx.ok(st, Section.INTERFACES))
    else:
        ctx.skip(st, Section.INTERFACES)


def i_ipv6(ctx: Ctx, st: Stmt, view: View) -> None:
    itf = _iface(view)
    if not st.neg:
        itf.ipv6 = True
    ctx.skip(st, Section.INTERFACES)


def i_zone(ctx: Ctx, st: Stmt, view: View) -> None:
    """VRP AR routers: ``zone NAME`` inside an interface puts it in a firewall zone."""
    itf = _iface(view)
    if len(st.words) == 2:
        itf.zone = None if st.neg else st.words[1]
        itf.sources.append(ctx.ok(st, Section.INTERFACES))
        if not st.neg:
            zone = get_zone(ctx, st.words[1], ctx.src(st))
            if itf.name not in zone.interfaces:
                zone.interfaces.append(itf.name)


def i_nat(ctx: Ctx, st: Stmt, view: View) -> None:
    """``nat outbound ACL [address-group G] [no-pat]`` / ``nat server ...`` / ``nat static``."""
    itf = _iface(view)
    w = st.lw
    if len(w) < 2:
        return
    if st.neg:
        ctx.ok(st, Section.NAT)
        return
    if w[1] == "outbound":
        nat = SourceNat(ctx.src(st), interface=itf.name)
        i = 2
        if i < len(w) and w[i].isdigit():
            nat.acl = ctx.acl_key(st.words[i])
            i += 1
        elif i + 1 < len(w) and w[i] == "acl":
            nat.acl = ctx.acl_key(st.words[i + 1])
            i += 2
        nat.easy_ip = True
        while i < len(w):
            if w[i] == "address-group" and i + 1 < len(w):
                nat.pool = st.words[i + 1]
                nat.easy_ip = False
                i += 2
            elif w[i] == "interface" and i + 1 < len(w):
                found = ctx.interface_at(st.words, i + 1)
                if found is None:
                    return
                i = found[1]
            elif w[i] in ("no-pat", "reversible", "track", "port-preserved", "rule", "description"):
                i = len(w) if w[i] in ("track", "rule", "description") else i + 1
            elif w[i] == "vpn-instance" and i + 1 < len(w):
                i += 2
            else:
                return
        ctx.dev.nat.source_rules.append(nat)
        itf.sources.append(ctx.ok(st, Section.NAT))
    elif w[1] == "server":
        rule = parse_nat_server(ctx, st, 2)
        if rule is None:
            return
        rule.interface = itf.name
        ctx.dev.nat.static_rules.append(rule)
        itf.sources.append(ctx.ok(st, Section.NAT))
    elif w[1] == "static" and len(w) >= 6 and w[2] == "global" and "inside" in w:
        # VRP AR: `nat static global 203.0.113.5 inside 10.1.1.2` on the outside interface.
        rule = parse_nat_server(ctx, st, 2)
        if rule is None:
            return
        rule.interface = itf.name
        ctx.dev.nat.static_rules.append(rule)
        itf.sources.append(ctx.ok(st, Section.NAT))
    elif w[1] == "static" and w[2:] == ["enable"]:
        ctx.facts.setdefault("nat-static-enable:" + itf.name, ctx.src(st))
        itf.sources.append(ctx.ok(st, Section.NAT))
    elif w[1] in ("alg", "enable", "hairpin", "mapping-mode", "address-group"):
        ctx.skip(st, Section.NAT)


def parse_nat_server(ctx: Ctx, st: Stmt, i: int) -> StaticNat | None:
    """``[NAME] [zone Z] [protocol P] global A|current-interface [P [P2]] [vpn-instance V]
    inside B [P [P2]] [vpn-instance V] [no-reverse] [unr-route] [description D]``."""
    w = st.lw
    words = st.words
    protocol: str | None = None
    zone: str | None = None
    global_ip: IPv4Address | None = None
    inside_ip: IPv4Address | None = None
    gport: int | None = None
    iport: int | None = None
    vrf = DEFAULT_VRF
    state = ""
    seen_global = False
    n = len(w)
    if i < n and w[i] not in ("protocol", "zone", "global", "inside"):
        i += 1  # USG rule name
    while i < n:
        t = w[i]
        if t == "protocol" and i + 1 < n:
            protocol = protocol_name(w[i + 1]) or w[i + 1]
            if protocol == "ip":
                protocol = None
            i += 2
        elif t == "zone" and i + 1 < n:
            zone = words[i + 1]
            i += 2
        elif t == "global":
            state = "global"
            seen_global = True
            i += 1
        elif t == "inside":
            state = "inside"
            i += 1
        elif t in ("current-interface", "interface"):
            i += 1 if t == "current-interface" else 2
        elif t == "vpn-instance" and i + 1 < n:
            if state == "inside":
                vrf = vrf_key(words[i + 1])
            i += 2
        elif t in ("no-reverse", "unr-route", "reversible", "disable-arp", "host-route"):
            i += 1
        elif t in ("description", "track", "acl", "rule"):
            break
        elif state and ip4(t) is not None:
            if state == "global":
                global_ip = ip4(t)
            elif inside_ip is None:
                inside_ip = ip4(t)
            i += 1
        elif state and port_number(t) is not None:
            if state == "global" and gport is None:
                gport = port_number(t)
            elif state == "inside" and iport is None:
                iport = port_number(t)
            else:
                # A port range (`global A 3000 4000`): the model holds one port, and keeping
                # the first would hide a risky port inside the range; unrecognized, visibly.
                return None
            i += 1
        else:
            return None
    if inside_ip is None or not seen_global:
        return None
    return StaticNat(
        ctx.src(st),
        global_ip,
        inside_ip,
        protocol=protocol,
        global_port=gport,
        inside_port=iport,
        zone=zone,
        vrf=vrf,
    )


def i_recognized_flag(ctx: Ctx, st: Stmt, view: View) -> None:
    _iface(view).sources.append(ctx.ok(st, Section.INTERFACES))


# Interface sub-statements both vendors print that the model does not need.
IFACE_UNSUPPORTED: dict[str, Entry] = unsupported(
    Section.INTERFACES,
    """port_trunk port_hybrid port-isolate port-security port-mirroring port_media port_mode
    port_priority port_crc-statistics port_vlan-stacking port_link-aggregation port-group
    stp lldp loopback-detect negotiation speed duplex mtu jumboframe eth-trunk mode lacp
    max load-balance least trust qos traffic-policy traffic-limit traffic-redirect
    traffic-statistic mac-limit mac-address dhcp arp ip_source ip_netstream ip_verify
    ip_urpf ip_mtu ip_forward-broadcast ip_redirects ip_icmp ip_fast-forwarding
    ip_unreachables ip_dhcp ip_helper-address ip_relay ip_igmp ip_pim
    ip_rpf-route-static ip_tcp tcp ospf isis rip pim igmp vrrp bfd mpls ldp device
    storm-control broadcast-suppression multicast-suppression unicast-suppression voice-vlan
    dot1x mac-authen authentication-profile poe flow-control ntdp ndp ndp_enable alias
    service-manage gateway detect-group netstream sflow statistic statistics carrier set
    dot1q qinq vlan-type arp-proxy link-protocol ppp dialer dialer-group dialer-number mru
    bandwidth urpf profile wlan combo undo_negotiation local-proxy-arp
    description_ipv6 l2protocol-tunnel enable snmp-agent snmp trap-threshold
    shutdown_ipv6 multicast l2 vlan vlan-mapping ethernet-oam cfd lacp_priority
    portswitch_mode virtual-cable-test flow-interval jumboframe_enable link-delay
    priority default pvid smart-link monitor-link loopback port-isolate_enable
    eee energy-efficient-ethernet transceiver optical-module port-auto-power-down
    gvrp mvrp garp bpdu bpdu-tunnel mirroring-group qos_apply qos_trust dldp
    link-aggregation port_access_vlan_ipv6 timer holdtime keepalive fec
    ipsec ike tunnel-protocol source destination nhrp gre keep-alive encapsulation
    undo_stp flow-wred mpls-te te counter access-user vlan-isolate isolate-user-vlan
    dhcp-snooping ip-subnet-vlan protocol-vlan mac-vlan radio channel power service-template
    mode_lte apn-profile sim-switch modem profile_create pin dhcp-alloc rsvp pppoe-server
    carrier-delay ip_address_unnumbered ip_ip-prefix firewall attack-defend anti-attack
    ddos qinq_termination car lldp_enable web-auth portal nac mac-authentication
    user-bind arp-snooping ip_binding_ipv6""",
)


def i_policy_route(ctx: Ctx, st: Stmt, view: View) -> None:
    """``ip policy-based-route NAME`` (VRP / Comware): policy-based routing sends traffic past
    the routing table, and the model does not follow it: unrecognized under routes, so the path
    checks of the unit say unknown (citing this line) instead of trusting the routing table."""
    if st.neg:
        ctx.skip(st, Section.ROUTES)
    else:
        ctx.bad(st, Section.ROUTES)


def interface_table(extra: Mapping[str, Entry] | None = None) -> dict[str, Entry]:
    table: dict[str, Entry] = dict(IFACE_UNSUPPORTED)
    table.update(
        {
            "description": (Section.INTERFACES, i_description),
            "shutdown": (Section.INTERFACES, i_shutdown),
            "ip address": (Section.INTERFACES, i_ip_address),
            "ip policy-based-route": (Section.ROUTES, i_policy_route),
            "ip binding": (Section.INTERFACES, i_binding),
            "ipv6": (Section.INTERFACES, i_ipv6),
            "pppoe-client": (Section.INTERFACES, i_pppoe_client),
            "port link-type": (Section.INTERFACES, i_switchport),
            "port default": (Section.INTERFACES, i_switchport),
            "port access": (Section.INTERFACES, i_switchport),
            "port link-mode": (Section.INTERFACES, i_switchport),
            "portswitch": (Section.INTERFACES, i_portswitch),
            "nat": (Section.NAT, i_nat),
            "zone": (Section.FIREWALL, i_zone),
        }
    )
    if extra:
        table.update(extra)
    return table


# --------------------------------------------------------------------------- VRFs


class VrfView(View):
    section = Section.VRFS

    def __init__(self, vrf: Vrf) -> None:
        self.vrf = vrf

    def table(self, ctx: Ctx) -> Table:
        return VRF_TABLE


def h_vpn_instance(ctx: Ctx, st: Stmt, view: View) -> View | None:
    if len(st.words) < 3:
        return None
    name = vrf_key(st.words[2])
    if st.neg:
        ctx.dev.vrfs.pop(name, None)
        ctx.ok(st, Section.VRFS)
        return None
    vrf = ctx.dev.vrfs.get(name)
    if vrf is None:
        vrf = Vrf(name, ctx.src(st))
        ctx.dev.vrfs[name] = vrf
    ctx.ok(st, Section.VRFS)
    return VrfView(vrf)


def v_rd(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, VrfView)
    if len(st.words) == 2:
        view.vrf.rd = None if st.neg else st.words[1]
        ctx.ok(st, Section.VRFS)


class VrfFamilyView(View):
    section = Section.VRFS

    def __init__(self, vrf: Vrf) -> None:
        self.vrf = vrf

    def table(self, ctx: Ctx) -> Table:
        return VRF_FAMILY_TABLE


def v_family(ctx: Ctx, st: Stmt, view: View) -> View | None:
    assert isinstance(view, VrfView)
    if st.lw[:1] == ["ipv6-family"] or st.lw[:2] == ["address-family", "ipv6"]:
        ctx.skip(st, Section.VRFS)
        return SwallowView(LineStatus.UNSUPPORTED, Section.VRFS)
    ctx.ok(st, Section.VRFS)
    return VrfFamilyView(view.vrf)


def vf_rd(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, VrfFamilyView)
    if len(st.words) == 2:
        view.vrf.rd = None if st.neg else st.words[1]
        ctx.ok(st, Section.VRFS)


_VRF_UNSUPPORTED = unsupported(
    Section.VRFS,
    """vpn-target description apply-label tnl-policy import export import-route-policy
    export-route-policy route-distinguisher_auto vpn-id routing-table prefix limit
    arp-entry vpn-instance-capability mpls apply label""",
)
VRF_TABLE: dict[str, Entry] = {
    **_VRF_UNSUPPORTED,
    "route-distinguisher": (Section.VRFS, v_rd),
    "ipv4-family": (Section.VRFS, v_family),
    "ipv6-family": (Section.VRFS, v_family),
    "address-family": (Section.VRFS, v_family),
}
VRF_FAMILY_TABLE: dict[str, Entry] = {
    **_VRF_UNSUPPORTED,
    "route-distinguisher": (Section.VRFS, vf_rd),
}


# --------------------------------------------------------------------------- static routes


def h_route_static(ctx: Ctx, st: Stmt, view: View) -> None:
    """``ip route-static [vpn-instance V] P M|LEN [vpn-instance V2|public] {NH | IF [NH]}
    [preference N] [tag T] [description D] [track ...] [permanent] [bfd ...]``."""
    w = st.lw
    words = st.words
    n = len(w)
    i = 2
    if n > 2 and w[2] in ("default-preference", "bfd", "frr", "track", "selection-rule"):
        ctx.skip(st, Section.ROUTES)
        return
    vrf = DEFAULT_VRF
    if i + 1 < n and w[i] == "vpn-instance":
        vrf = vrf_key(words[i + 1])
        i += 2
    if i + 1 >= n:
        return
    net = network(w[i], w[i + 1])
    if net is None:
        return
    i += 2
    route = StaticRoute(net, ctx.src(st), vrf=vrf)
    while i < n:
        t = w[i]
        if t == "vpn-instance" and i + 1 < n and route.next_hop is None:
            route.next_hop_vrf = vrf_key(words[i + 1])
            i += 2
        elif t == "public":
            route.next_hop_vrf = DEFAULT_VRF
            i += 1
        elif t == "preference" and i + 1 < n:
            route.preference = to_int(w[i + 1], 0, 255)
            i += 2
        elif t == "description":
            route.description = rest_after(st.text, i + 1 + (1 if st.neg else 0)) or None
            break
        elif t in ("tag", "track", "name", "weight", "cost") and i + 1 < n:
            i += 2 if t != "track" else n
        elif t in (
            "permanent",
            "inherit-cost",
            "no-advertise",
            "no-install",
            "bfd",
            "recursive-lookup",
        ):
            i = n if t == "bfd" else i + 1
        elif ip4(t) is not None and route.next_hop is None:
            route.next_hop = ip4(t)
            i += 1
        elif route.interface is None and route.next_hop is None:
            found = ctx.interface_at(words, i)
            if found is None:
                return
            route.interface = found[0]
            if ctx.dialect.names.kind(found[0]) is InterfaceKind.NULL:
                route.null = True
            i = found[1]
        else:
            return
    if route.next_hop is None and route.interface is None:
        return
    if st.neg:
        ctx.dev.static_routes = [
            r for r in ctx.dev.static_routes if (r.vrf, r.prefix, r.next_hop, r.interface)
            != (route.vrf, route.prefix, route.next_hop, route.interface)
        ]  # fmt: skip
    else:
        ctx.dev.static_routes.append(route)
    ctx.ok(st, Section.ROUTES)


# --------------------------------------------------------------------------- ACLs


class AclView(View):
    section = Section.ACLS

    def __init__(self, acl: Acl) -> None:
        self.acl = acl

    def table(self, ctx: Ctx) -> Table:
        return ACL_TABLE


def _acl_kind_of_number(number: int) -> AclKind:
    if 2000 <= number <= 2999:
        return AclKind.BASIC
    if 3000 <= number <= 3999:
        return AclKind.ADVANCED
    if 4000 <= number <= 4999:
        return AclKind.LAYER2
    return AclKind.OTHER


_ACL_KIND_WORDS = {
    "basic": AclKind.BASIC,
    "advance": AclKind.ADVANCED,
    "advanced": AclKind.ADVANCED,
    "link": AclKind.LAYER2,
    "mac": AclKind.LAYER2,
    "user": AclKind.OTHER,
}


def h_acl(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """``acl [number] N [name X] [match-order auto|config]`` / ``acl name X [basic|advance|N]``
    (VRP) / ``acl basic|advanced [name] X`` (Comware 7) / ``acl ipv6 ...`` (IPv6, unsupported)."""
    w = st.lw
    words = st.words
    n = len(w)
    if n < 2:
        return None
    if w[1] == "ipv6" or (n > 2 and w[1] in ("basic", "advanced", "mac") and w[2] == "ipv6"):
        ctx.skip(st, Section.ACLS)
        return SwallowView(LineStatus.UNSUPPORTED, Section.ACLS)
    i = 1
    number: str | None = None
    name: str | None = None
    kind: AclKind | None = None
    match_order = "config"
    if w[i] in ("ip", "ipv4"):
        i += 1
    if i < n and w[i] == "number" and i + 1 < n:
        number = w[i + 1]
        i += 2
    elif i < n and w[i] in ("basic", "advanced", "mac", "user", "wlan") and i + 1 < n:
        kind = _ACL_KIND_WORDS.get(w[i], AclKind.OTHER)
        if w[i + 1] == "name" and i + 2 < n:
            name = words[i + 2]
            i += 3
        else:
            number = w[i + 1]
            i += 2
    elif i < n and w[i] == "name" and i + 1 < n:
        name = words[i + 1]
        i += 2
        if i < n and (w[i] in _ACL_KIND_WORDS or w[i].isdigit()):
            if w[i].isdigit():
                number = w[i]
            else:
                kind = _ACL_KIND_WORDS[w[i]]
            i += 1
    elif i < n and w[i].isdigit():
        number = w[i]
        i += 1
    while i < n:
        if w[i] == "name" and i + 1 < n:
            name = words[i + 1]
            i += 2
        elif w[i] == "match-order" and i + 1 < n:
            match_order = "auto" if w[i + 1] == "auto" else "config"
            i += 2
        elif w[i] in _ACL_KIND_WORDS:
            kind = _ACL_KIND_WORDS[w[i]]
            i += 1
        else:
            return None
    if number is not None:
        num = to_int(number, 0, 99999)
        if num is None:
            return None
        kind = kind or _acl_kind_of_number(num)
        key = number
    elif name is not None:
        key = name
    else:
        return None
    if name is not None and number is not None:
        ctx.acl_alias[name] = number
    if st.neg:
        ctx.dev.acls.pop(key, None)
        ctx.ok(st, Section.ACLS)
        return None
    acl = ctx.dev.acls.get(key)
    if acl is None:
        acl = Acl(
            key, kind or AclKind.ADVANCED, ctx.src(st), default_action=ctx.dialect.acl_default
        )
        ctx.dev.acls[key] = acl
    acl.match_order = match_order
    ctx.ok(st, Section.ACLS)
    return AclView(acl)


def _rule_seq(rule: AclRule) -> int:
    return rule.sequence or 0


def _rule_at(rules: list[AclRule], seq: int) -> int:
    """Where the rule numbered ``seq`` is or would go in ``rules``.

    ``a_rule`` keeps every ACL's rules sorted by sequence, one rule per sequence, so a rule is
    found (and inserted) by bisection: ACLs of a few hundred rules made re-filtering and
    re-sorting the whole list on every line quadratic (issue 9).
    """
    return bisect.bisect_left(rules, seq, key=_rule_seq)


def a_rule(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, AclView)
    acl = view.acl
    rules = acl.rules  # sorted by sequence, unique sequences (only this handler writes them)
    w = st.lw
    seq: int | None = None
    i = 1
    if i < len(w) and w[i].isdigit():
        seq = int(w[i])
        i += 1
    if st.neg:
        if seq is not None and i == len(w):
            at = _rule_at(rules, seq)
            if at < len(rules) and rules[at].sequence == seq:
                del rules[at]
            ctx.ok(st, Section.ACLS)
        return
    if i < len(w) and w[i] in ("remark", "comment", "description"):
        text = rest_after(st.text, i + 1)
        if seq is not None:
            at = _rule_at(rules, seq)
            if at < len(rules) and rules[at].sequence == seq:
                rules[at].remark = text
        ctx.ok(st, Section.ACLS)
        return
    rule = parse_acl_rule(ctx, st, i, seq, acl.kind)
    if rule is None:
        return
    if seq is None:
        # Unnumbered rules get the next multiple of the step (5) after the highest number; the
        # first is 5 on VRP, 0 on Comware.
        seq = (_rule_seq(rules[-1]) // 5 + 1) * 5 if rules else 0 if _step_zero(ctx) else 5
        rule.sequence = seq
    if not rules or _rule_seq(rules[-1]) < seq:
        rules.append(rule)  # the usual case: rules come in increasing order
        ctx.ok(st, Section.ACLS)
        return
    at = _rule_at(rules, seq)
    if rules[at].sequence == seq:
        rules[at] = rule  # a rule with the same number replaces the old one
    else:
        rules.insert(at, rule)
    ctx.ok(st, Section.ACLS)


def _step_zero(ctx: Ctx) -> bool:
    """Comware numbers an unnumbered first rule 0, VRP 5."""
    return ctx.dialect.platform is Platform.HP_COMWARE


_RULE_FLAGS = keywords(
    """logging counting fragment none-first-fragment established first-fragment
    ttl-expired syn-flag counter statistics"""
)
_RULE_OPTS = keywords(
    """vpn-instance time-range dscp precedence tos icmp-type tcp-flag ttl packet-length
    vni igmp-type source-mac destination-mac fragment-type route-source-address tcp-flags
    application app-group"""
)


@functools.lru_cache(maxsize=16384)
def _address_words(addr: str, wc: str | None) -> tuple[AddressMatch, int] | None:
    """``A W`` or ``A`` (a host: ``wc`` is None or no wildcard) → the match and the number
    of words it takes. Cached: rules of a city repeat their addresses (issue 9)."""
    a = ip4(addr)
    if a is None:
        return None
    if wc is not None:
        mask = wildcard(wc)
        if mask is not None:
            return AddressMatch(a, mask), 2
    return AddressMatch(a, HOST_WILDCARD), 1


def _address(ctx: Ctx, w: list[str], words: list[str], i: int) -> tuple[AddressMatch, int] | None:
    """``any`` / ``A W`` / ``A`` (host) / ``object-group X`` / ``address-set X`` at w[i]."""
    if i >= len(w):
        return None
    if w[i] == "any":
        return ANY_ADDRESS, i + 1
    if w[i] in ("object-group", "address-set", "ip-group") and i + 1 < len(w):
        return AddressMatch(object_group=words[i + 1]), i + 2
    got = _address_words(w[i], w[i + 1] if i + 1 < len(w) else None)
    return None if got is None else (got[0], i + got[1])


def parse_acl_rule(ctx: Ctx, st: Stmt, i: int, seq: int | None, kind: AclKind) -> AclRule | None:
    w = st.lw
    words = st.words
    n = len(w)
    if i >= n or w[i] not in ("permit", "deny"):
        return None
    # (src/dst given: the default factories would build two matches to throw away)
    rule = AclRule(ACTIONS[w[i]], ctx.src(st), sequence=seq, src=ANY_ADDRESS, dst=ANY_ADDRESS)
    i += 1
    if i < n and kind is not AclKind.BASIC:
        proto = protocol_name(w[i])
        if proto is not None:
            rule.protocol = proto
            i += 1
    while i < n:
        t = w[i]
        if t == "source" and i + 1 < n:
            got = _address(ctx, w, words, i + 1)
            if got is None:
                return None
            rule.src, i = got
        elif t == "destination" and i + 1 < n:
            got = _address(ctx, w, words, i + 1)
            if got is None:
                return None
            rule.dst, i = got
        elif t in ("source-port", "destination-port") and i + 1 < n:
            if w[i + 1] == "object-group":
                i += 3
                continue
            port = parse_port(w, i + 1)
            if port is None:
                return None
            (rule.src_ports if t == "source-port" else rule.dst_ports).append(port[0])
            i = port[1]
        elif t == "established":
            rule.established = True
            i += 1
        elif t in _RULE_FLAGS:
            i += 1
        elif t in _RULE_OPTS and i + 1 < n:
            i += 2
            if t == "icmp-type":
                # `icmp-type echo` or `icmp-type 8 0` (type and code)
                while i < n and w[i].isdigit():
                    i += 1
            elif t == "tcp-flag":
                while i < n and w[i] in ("ack", "fin", "psh", "rst", "syn", "urg", "established",
                                         "mask", "match-any", "match-all"):  # fmt: skip
                    i += 1
        else:
            return None
    return rule


def a_description(ctx: Ctx, st: Stmt, view: View) -> None:
    ctx.ok(st, Section.ACLS)


def a_step(ctx: Ctx, st: Stmt, view: View) -> None:
    ctx.skip(st, Section.ACLS)


ACL_TABLE: dict[str, Entry] = {
    "rule": (Section.ACLS, a_rule),
    "description": (Section.ACLS, a_description),
    "step": (Section.ACLS, a_step),
}


# --------------------------------------------------------------------------- firewall objects


def get_zone(ctx: Ctx, name: str, source: Source) -> Zone:
    fw = ctx.firewall()
    for existing in fw.zones.values():
        if existing.name.casefold() == name.casefold():
            return existing
    zone = Zone(name, source)
    fw.zones[name] = zone
    return zone


class AddressSetView(View):
    section = Section.FIREWALL

    def __init__(self, aset: AddressSet) -> None:
        self.aset = aset

    def table(self, ctx: Ctx) -> Table:
        return ADDRESS_SET_TABLE


def address_set(ctx: Ctx, st: Stmt, name: str) -> View:
    fw = ctx.firewall()
    aset = fw.address_sets.get(name)
    if aset is None:
        aset = AddressSet(name, ctx.src(st))
        fw.address_sets[name] = aset
    ctx.ok(st, Section.FIREWALL)
    return AddressSetView(aset)


def h_ip_address_set(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """USG ``ip address-set NAME type object|group``."""
    if len(st.words) < 3:
        return None
    if st.neg:
        ctx.firewall().address_sets.pop(st.words[2], None)
        ctx.ok(st, Section.FIREWALL)
        return None
    return address_set(ctx, st, st.words[2])


def parse_address_member(w: list[str], i: int) -> list[AddressMatch] | None:
    """``A mask M`` / ``A M`` / ``A 0`` / ``range A B`` / ``A`` (USG and H3C object members)."""
    n = len(w)
    if i >= n:
        return None
    if w[i] == "range" and i + 2 < n:
        a, b = ip4(w[i + 1]), ip4(w[i + 2])
        return range_matches(a, b) if a is not None and b is not None else None
    if w[i] == "subnet" and i + 2 < n:
        net = network(w[i + 1], w[i + 2])
        return [AddressMatch.from_network(net)] if net is not None else None
    if w[i] == "host" and i + 1 < n:
        j = i + 2 if w[i + 1] == "address" else i + 1
        a = ip4(w[j]) if j < n else None
        return [AddressMatch(a, IPv4Address(0))] if a is not None else None
    addr = ip4(w[i])
    if addr is None:
        return None
    if i + 1 >= n:
        return [AddressMatch(addr, IPv4Address(0))]
    if w[i + 1] == "mask" and i + 2 < n:
        net = network(w[i], w[i + 2])
        return [AddressMatch.from_network(net)] if net is not None else None
    if w[i + 1] == "wildcard" and i + 2 < n:
        wc = ip4(w[i + 2])
        return [AddressMatch(addr, wc)] if wc is not None else None
    if w[i + 1] == "0":
        return [AddressMatch(addr, IPv4Address(0))]
    net = network(w[i], w[i + 1])
    if net is not None:
        return [AddressMatch.from_network(net)]
    wc = ip4(w[i + 1])
    return [AddressMatch(addr, wc)] if wc is not None else None


def as_address(ctx: Ctx, w: list[str], words: list[str], i: int) -> list[AddressMatch] | None:
    """A policy address: ``any``, ``address-set X`` / a set name, or a member form."""
    if i >= len(w):
        return None
    if w[i] == "any":
        return [AddressMatch()]
    if w[i] in ("address-set", "object-group") and i + 1 < len(w):
        return [AddressMatch(object_group=words[i + 1])]
    got = parse_address_member(w, i)
    if got is not None:
        return got
    if len(w) == i + 1:
        return [AddressMatch(object_group=words[i])]
    return None


def s_address(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, AddressSetView)
    w = st.lw
    i = 1
    if i < len(w) and w[i].isdigit() and i + 1 < len(w):
        i += 1  # member id
    if st.neg:
        ctx.ok(st, Section.FIREWALL)
        return
    members = parse_address_member(w, i)
    if members is None:
        if i < len(w) and w[i] == "address-set" and i + 1 < len(w):
            members = [AddressMatch(object_group=st.words[i + 1])]
        else:
            return
    view.aset.members.extend(members)
    ctx.ok(st, Section.FIREWALL)


ADDRESS_SET_TABLE: dict[str, Entry] = {
    "address": (Section.FIREWALL, s_address),
    "description": (Section.FIREWALL, None),
}


# --------------------------------------------------------------------------- management


def _flag(value: bool, src: Source) -> Flag:
    return Flag(value, src, explicit=True)


def h_telnet(ctx: Ctx, st: Stmt, view: View) -> None:
    """``telnet server enable`` / ``undo telnet server enable`` (VRP5, Comware) /
    ``telnet server disable`` (VRP8) / ``telnet server acl N`` (Comware 7)."""
    w = st.lw
    m = ctx.dev.mgmt
    if w == ["telnet", "server", "enable"]:
        m.telnet_server = _flag(not st.neg, ctx.ok(st, Section.SERVICES))
    elif w == ["telnet", "server", "disable"]:
        m.telnet_server = _flag(st.neg, ctx.ok(st, Section.SERVICES))
    elif w[:3] == ["telnet", "server", "acl"] and len(w) == 4:
        src = ctx.ok(st, Section.SERVICES)
        ctx.telnet_acl = None if st.neg else (ctx.acl_key(st.words[3]), src)
    elif (
        (len(w) >= 2 and w[1] in ("ipv6", "server-source", "client-source", "client"))
        or (w[:2] == ["telnet", "server"] and len(w) >= 3 and w[2] in ("port", "dscp", "source"))
        or w[:2] == ["telnet", "server-source"]
    ):
        ctx.skip(st, Section.SERVICES)


def h_stelnet(ctx: Ctx, st: Stmt, view: View) -> None:
    """VRP ``stelnet server enable`` (SSH server); ``stelnet ipv4|ipv6 server enable``."""
    w = " ".join(st.lw)
    if w in ("stelnet server enable", "stelnet ipv4 server enable"):
        ctx.dev.mgmt.ssh_server = _flag(not st.neg, ctx.ok(st, Section.SERVICES))
    elif w == "stelnet server disable":
        ctx.dev.mgmt.ssh_server = _flag(st.neg, ctx.ok(st, Section.SERVICES))
    elif w.startswith("stelnet ipv6"):
        ctx.skip(st, Section.SERVICES)


def h_ssh(ctx: Ctx, st: Stmt, view: View) -> None:
    w = st.lw
    m = ctx.dev.mgmt
    line = " ".join(w)
    if line in ("ssh server enable", "ssh server ipv4 enable"):
        m.ssh_server = _flag(not st.neg, ctx.ok(st, Section.SERVICES))
    elif line == "ssh server disable":
        m.ssh_server = _flag(st.neg, ctx.ok(st, Section.SERVICES))
    elif line in ("ssh server compatible-ssh1x enable", "ssh server compatible-ssh1x"):
        src = ctx.ok(st, Section.SERVICES)
        m.ssh_versions = [2] if st.neg else [1, 2]
        m.ssh_versions_source = src
    elif w[:3] == ["ssh", "server", "acl"] and len(w) == 4:
        src = ctx.ok(st, Section.SERVICES)
        m.ssh_acl = None if st.neg else ctx.acl_key(st.words[3])
        ctx.ssh_acl_source = src
    elif w[:2] == ["ssh", "version"] and len(w) == 3 and w[2] in ("1", "2", "1.99"):
        src = ctx.ok(st, Section.SERVICES)
        m.ssh_versions = {"1": [1], "2": [2], "1.99": [1, 2]}[w[2]]
        m.ssh_versions_source = src
    elif len(w) >= 2:
        ctx.skip(st, Section.SERVICES)


def h_http(ctx: Ctx, st: Stmt, view: View) -> None:
    """VRP ``http server enable`` / ``http secure-server enable`` / ``http acl N``."""
    w = st.lw
    m = ctx.dev.mgmt
    if w == ["http", "server", "enable"]:
        m.http_server = _flag(not st.neg, ctx.ok(st, Section.SERVICES))
    elif w == ["http", "secure-server", "enable"]:
        m.https_server = _flag(not st.neg, ctx.ok(st, Section.SERVICES))
    elif w == ["http", "server", "disable"]:
        m.http_server = _flag(st.neg, ctx.ok(st, Section.SERVICES))
    elif w == ["http", "secure-server", "disable"]:
        m.https_server = _flag(st.neg, ctx.ok(st, Section.SERVICES))
    elif w[:2] == ["http", "acl"] and len(w) == 3:
        ctx.ok(st, Section.SERVICES)
        m.http_acl = None if st.neg else ctx.acl_key(st.words[2])
    elif w[:3] in (["http", "server", "acl"], ["http", "secure-server", "acl"]) and len(w) == 4:
        ctx.ok(st, Section.SERVICES)
        m.http_acl = None if st.neg else ctx.acl_key(st.words[3])
    elif len(w) >= 2:
        ctx.skip(st, Section.SERVICES)


def h_ftp(ctx: Ctx, st: Stmt, view: View) -> None:
    w = st.lw
    if w in (["ftp", "server", "enable"], ["ftp", "ipv4", "server", "enable"]):
        ctx.dev.mgmt.ftp_server = _flag(not st.neg, ctx.ok(st, Section.SERVICES))
    elif w == ["ftp", "server", "disable"]:
        ctx.dev.mgmt.ftp_server = _flag(st.neg, ctx.ok(st, Section.SERVICES))
    elif len(w) >= 2:
        ctx.skip(st, Section.SERVICES)


# ---- user interfaces / lines


class LineView(View):
    section = Section.LINES

    def __init__(self, lines: list[MgmtLine]) -> None:
        self.lines = lines

    def table(self, ctx: Ctx) -> Table:
        return ctx.dialect.line


def h_user_interface(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """``user-interface [con|vty|aux|maint] A [B]`` (VRP, Comware 5) / ``line vty 0 63`` and
    ``line class vty`` (Comware 7)."""
    w = st.lw
    if len(w) < 2:
        return None
    src = ctx.src(st)
    if w[1] == "class" and len(w) == 3:
        kind = ctx.dialect.line_kinds.get(w[2])
        if kind is None:
            return None
        ctx.ok(st, Section.LINES)
        # Comware 7 `line class`: settings for every line of the kind, merged at the end.
        line = ctx.line_classes.get(kind)
        if line is None:
            line = MgmtLine(kind, 0, 0, src)
            ctx.line_classes[kind] = line
        return LineView([line])
    if w[1] == "maximum-vty":
        count = to_int(w[2]) if len(w) == 3 and not st.neg else None
        if count is None:
            ctx.skip(st, Section.LINES)
        else:
            ctx.ok(st, Section.LINES)
            ctx.max_vty = (count, src)
        return None
    if w[1] in ctx.dialect.line_kinds and len(w) in (3, 4):
        kind = ctx.dialect.line_kinds[w[1]]
        first = to_int(w[2])
        last = to_int(w[3]) if len(w) == 4 else first
    elif len(w) in (2, 3) and w[1].isdigit():
        # `user-interface 0 4` (absolute numbers): console is 0 on VRP; treat as vty range.
        return None
    else:
        return None
    if first is None or last is None:
        return None
    if st.neg:
        ctx.skip(st, Section.LINES)
        return None
    ctx.ok(st, Section.LINES)
    return LineView([_line(ctx, kind, first, last, src)])


def _line(ctx: Ctx, kind: LineKind, first: int, last: int, src: Source) -> MgmtLine:
    for ln in ctx.dev.mgmt.lines:
        if ln.kind is kind and ln.first == first and ln.last == last:
            return ln
    ln = MgmtLine(kind, first, last, src)
    ctx.dev.mgmt.lines.append(ln)
    return ln


_AUTH_MODES = {
    "aaa": AuthMode.AAA,
    "scheme": AuthMode.AAA,
    "password": AuthMode.PASSWORD,
    "none": AuthMode.NONE,
}


def l_auth(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, LineView)
    w = st.lw
    if len(w) < 2 and not st.neg:
        return
    mode = AuthMode.UNKNOWN if st.neg else _AUTH_MODES.get(w[1])
    if mode is None:
        return
    src = ctx.ok(st, Section.LINES)
    for ln in view.lines:
        ln.auth = mode
        ln.auth_source = None if st.neg else src


def l_set_auth(ctx: Ctx, st: Stmt, view: View) -> None:
    """``set authentication password cipher|simple|hash X``."""
    assert isinstance(view, LineView)
    w = st.lw
    if w[:3] != ["set", "authentication", "password"]:
        return
    storage = storage_of(w[3]) if len(w) >= 5 else SecretStorage.UNKNOWN
    ctx.ok(st, Section.LINES)
    for ln in view.lines:
        ln.password_storage = None if st.neg else storage


def l_protocol(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, LineView)
    w = st.lw
    if len(w) >= 2 and w[1] == "inbound":
        protos = [p for p in w[2:] if p in ("ssh", "telnet", "all", "http", "https", "none")]
        if len(protos) != len(w) - 2:
            return
        src = ctx.ok(st, Section.LINES)
        for ln in view.lines:
            ln.protocols = None if st.neg else protos
            ln.protocols_source = None if st.neg else src
    elif len(w) >= 2 and w[1] == "outbound":
        ctx.skip(st, Section.LINES)


def l_acl(ctx: Ctx, st: Stmt, view: View) -> None:
    """``acl [ipv6] N|name X inbound|outbound``."""
    assert isinstance(view, LineView)
    w = st.lw
    if len(w) >= 2 and w[1] == "ipv6":
        ctx.skip(st, Section.LINES)
        return
    if len(w) == 3 and w[2] in ("inbound", "outbound"):
        name = st.words[1]
    elif len(w) == 4 and w[1] == "name" and w[3] in ("inbound", "outbound"):
        name = st.words[2]
    else:
        return
    src = ctx.ok(st, Section.LINES)
    if w[-1] == "inbound":
        for ln in view.lines:
            ln.acl_in = None if st.neg else ctx.acl_key(name)
            ln.acl_source = None if st.neg else src


def l_idle(ctx: Ctx, st: Stmt, view: View) -> None:
    """``idle-timeout MINUTES [SECONDS]``; 0 0 = never."""
    assert isinstance(view, LineView)
    w = st.lw
    if st.neg:
        src = ctx.ok(st, Section.LINES)
        for ln in view.lines:
            ln.idle_timeout_seconds = IntSetting(None, src)
        return
    if len(w) not in (2, 3):
        return
    minutes = to_int(w[1], 0, 35791)
    seconds = to_int(w[2], 0, 59) if len(w) == 3 else 0
    if minutes is None or seconds is None:
        return
    src = ctx.ok(st, Section.LINES)
    for ln in view.lines:
        ln.idle_timeout_seconds = IntSetting(minutes * 60 + seconds, src, explicit=True)


def l_privilege(ctx: Ctx, st: Stmt, view: View) -> None:
    """``user privilege level N``."""
    assert isinstance(view, LineView)
    w = st.lw
    if w[:3] == ["user", "privilege", "level"] and len(w) == 4:
        level = to_int(w[3], 0, 15)
        ctx.ok(st, Section.LINES)
        for ln in view.lines:
            ln.privilege = None if st.neg else level
    elif w[:1] == ["user-role"]:
        ctx.ok(st, Section.LINES)
        for ln in view.lines:
            if len(w) == 2 and not st.neg:
                ln.privilege = _ROLE_PRIVILEGE.get(w[1], ln.privilege)


_ROLE_PRIVILEGE = {"network-admin": 15, "level-15": 15, "network-operator": 1, "level-0": 0}

LINE_UNSUPPORTED = unsupported(
    Section.LINES,
    """history-command screen-length screen-width shell speed databits parity stopbits
    flow-control terminal escape-key activation-key lock-key auto-execute command
    user_privilege_sort send modem authorization accounting redirect sendmode
    display lock reauthentication""",
)


def line_table(extra: Mapping[str, Entry] | None = None) -> dict[str, Entry]:
    table: dict[str, Entry] = dict(LINE_UNSUPPORTED)
    table.update(
        {
            "authentication-mode": (Section.LINES, l_auth),
            "set authentication": (Section.LINES, l_set_auth),
            "protocol": (Section.LINES, l_protocol),
            "acl": (Section.LINES, l_acl),
            "idle-timeout": (Section.LINES, l_idle),
            "user privilege": (Section.LINES, l_privilege),
            "user-role": (Section.LINES, l_privilege),
        }
    )
    if extra:
        table.update(extra)
    return table


# ---- AAA and local users


class AaaView(View):
    section = Section.USERS

    def table(self, ctx: Ctx) -> Table:
        return ctx.dialect.aaa


def h_aaa(ctx: Ctx, st: Stmt, view: View) -> View | None:
    if len(st.words) != 1 or st.neg:
        return None
    ctx.ok(st, Section.USERS)
    return AaaView()


def user(ctx: Ctx, name: str, src: Source) -> LocalUser:
    for u in ctx.dev.mgmt.users:
        if u.name == name:
            return u
    u = LocalUser(name, src)
    ctx.dev.mgmt.users.append(u)
    return u


def aaa_local_user(ctx: Ctx, st: Stmt, view: View) -> None:
    """VRP ``local-user U password irreversible-cipher|cipher|simple X`` / ``privilege level N``
    / ``level N`` (VRP8) / ``service-type ...`` / ``state``, ``ftp-directory``, ``access-limit``."""
    w = st.lw
    words = st.words
    if len(w) < 3:
        if st.neg and len(w) == 2:
            ctx.dev.mgmt.users = [u for u in ctx.dev.mgmt.users if u.name != words[1]]
            ctx.ok(st, Section.USERS)
        return
    name = words[1]
    src = ctx.src(st)
    if w[2] == "password":
        u = user(ctx, name, src)
        if st.neg:
            u.password_storage = None
        elif len(w) >= 5:
            u.password_storage = storage_of(w[3])
        elif len(w) == 4:
            u.password_storage = SecretStorage.UNKNOWN
        else:
            return
        ctx.ok(st, Section.USERS)
    elif w[2] == "privilege" and len(w) == 5 and w[3] == "level":
        user(ctx, name, src).privilege = None if st.neg else to_int(w[4], 0, 15)
        ctx.ok(st, Section.USERS)
    elif w[2] == "level" and len(w) == 4:
        user(ctx, name, src).privilege = None if st.neg else to_int(w[3], 0, 15)
        ctx.ok(st, Section.USERS)
    elif w[2] == "service-type":
        u = user(ctx, name, src)
        u.service_types = [] if st.neg else _service_types(w[3:])
        ctx.ok(st, Section.USERS)
    elif w[2] == "state" and "fail-times" in w:
        # VRP8: `local-user U state block fail-times N interval M` locks U after N failures.
        user(ctx, name, src)
        attempts = to_int(w[w.index("fail-times") + 1]) if w[-1] != "fail-times" else None
        minutes = to_int(w[w.index("interval") + 1]) if "interval" in w[:-1] else None
        if attempts is None:
            return
        ctx.lockouts.append((attempts, minutes, src))
        ctx.ok(st, Section.PASSWORD_POLICY)
    elif w[2] in (
        "state", "ftp-directory", "access-limit", "idle-cut", "user-group", "expire-date",
        "time-range", "vlan", "callback-number", "device-type", "password-force-change",
        "user-type", "rights", "authorization-cmd", "ip-address", "qos-profile",
    ):  # fmt: skip
        user(ctx, name, src)
        ctx.skip(st, Section.USERS)


def _service_types(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        w = "ssh" if word == "stelnet" else word
        if w not in out:
            out.append(w)
    return out


class PasswordPolicyView(View):
    section = Section.PASSWORD_POLICY

    def table(self, ctx: Ctx) -> Table:
        return PASSWORD_POLICY_TABLE


def aaa_password_policy(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """VRP ``local-aaa-user password policy administrator|access-user``."""
    w = st.lw
    if w[:3] != ["local-aaa-user", "password", "policy"] or len(w) != 4:
        aaa_wrong_password(ctx, st, view)
        return None
    src = ctx.ok(st, Section.PASSWORD_POLICY)
    if w[3] != "administrator":
        return SwallowView(LineStatus.UNSUPPORTED, Section.PASSWORD_POLICY)
    pol = ctx.dev.mgmt.password_policy
    if st.neg:
        ctx.password_policy_block = None
        pol.max_age_days = IntSetting(0, src, explicit=True, note=_NO_POLICY_NOTE)
        return None
    ctx.password_policy_block = src
    return PasswordPolicyView()


_NO_POLICY_NOTE = "the administrator password policy is disabled: passwords never expire"


def aaa_wrong_password(ctx: Ctx, st: Stmt, view: View) -> None:
    """``local-aaa-user wrong-password retry-interval I retry-time N block-time M``."""
    w = st.lw
    if w[:2] != ["local-aaa-user", "wrong-password"]:
        if w[:2] == ["local-aaa-user", "user-name"] or w[:2] == ["local-aaa-user", "change-pwd"]:
            ctx.skip(st, Section.PASSWORD_POLICY)
        return
    pol = ctx.dev.mgmt.password_policy
    src = ctx.src(st)
    if st.neg:
        pol.lockout_attempts = IntSetting(0, src, explicit=True, note="account lockout disabled")
        pol.lockout_minutes = IntSetting(None, src)
        ctx.ok(st, Section.PASSWORD_POLICY)
        return
    opts = dict(zip(w[2::2], w[3::2], strict=False))
    attempts = to_int(opts.get("retry-time", ""))
    block = to_int(opts.get("block-time", ""))
    if attempts is None:
        return
    pol.lockout_attempts = IntSetting(attempts, src, explicit=True)
    pol.lockout_minutes = IntSetting(block, src, explicit=block is not None)
    ctx.ok(st, Section.PASSWORD_POLICY)


def pp_expire(ctx: Ctx, st: Stmt, view: View) -> None:
    w = st.lw
    pol = ctx.dev.mgmt.password_policy
    if w[:2] == ["password", "expire"]:
        if st.neg:
            src = ctx.ok(st, Section.PASSWORD_POLICY)
            pol.max_age_days = IntSetting(90, src, explicit=False, note=_DEFAULT_EXPIRE_NOTE)
        elif len(w) == 3 and w[2].isdigit():
            src = ctx.ok(st, Section.PASSWORD_POLICY)
            pol.max_age_days = IntSetting(int(w[2]), src, explicit=True)
        else:
            return
        ctx.password_expire_seen = True
    elif w[:2] in (["password", "history"], ["password", "alert"]):
        ctx.skip(st, Section.PASSWORD_POLICY)


_DEFAULT_EXPIRE_NOTE = "VRP default with the administrator password policy enabled: 90 days"

PASSWORD_POLICY_TABLE: dict[str, Entry] = {
    "password": (Section.PASSWORD_POLICY, pp_expire),
}


def aaa_user_password(ctx: Ctx, st: Stmt, view: View) -> None:
    """``user-password min-len N`` / ``user-password complexity-check`` (VRP8, AAA view)."""
    w = st.lw
    pol = ctx.dev.mgmt.password_policy
    if w[1:2] == ["min-len"] and len(w) == 3:
        value = to_int(w[2], 0, 128)
        if value is None:
            return
        src = ctx.ok(st, Section.PASSWORD_POLICY)
        pol.min_length = IntSetting(None, src) if st.neg else IntSetting(value, src, explicit=True)
    elif w[1:] == ["complexity-check"]:
        pol.complexity = Flag(not st.neg, ctx.ok(st, Section.PASSWORD_POLICY), explicit=True)
    elif len(w) >= 2:
        ctx.skip(st, Section.PASSWORD_POLICY)


def aaa_lock_authentication(ctx: Ctx, st: Stmt, view: View) -> None:
    """USG ``lock-authentication failed-count N`` / ``lock-authentication timeout M``."""
    w = st.lw
    pol = ctx.dev.mgmt.password_policy
    if len(w) == 3 and w[1] in ("failed-count", "timeout"):
        value = to_int(w[2])
        if value is None:
            return
        src = ctx.ok(st, Section.PASSWORD_POLICY)
        if w[1] == "failed-count":
            pol.lockout_attempts = (
                IntSetting(None, src) if st.neg else IntSetting(value, src, explicit=True)
            )
        else:
            pol.lockout_minutes = (
                IntSetting(None, src) if st.neg else IntSetting(value, src, explicit=True)
            )
    elif w[1:] == ["enable"]:
        src = ctx.ok(st, Section.PASSWORD_POLICY)
        if st.neg:
            pol.lockout_attempts = IntSetting(0, src, explicit=True, note="lockout disabled")
    elif len(w) >= 2:
        ctx.skip(st, Section.PASSWORD_POLICY)


def aaa_manager_user(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """USG ``manager-user NAME`` view (``password cipher X``, ``service-type``, ``level``)."""
    if len(st.words) != 2:
        return None
    if st.neg:
        ctx.dev.mgmt.users = [u for u in ctx.dev.mgmt.users if u.name != st.words[1]]
        ctx.ok(st, Section.USERS)
        return None
    u = user(ctx, st.words[1], ctx.ok(st, Section.USERS))
    return UserView(u, cipher_is_hash=True)


class UserView(View):
    """A local-user view: USG ``manager-user``, Comware ``local-user U [class manage]``."""

    section = Section.USERS

    def __init__(self, u: LocalUser, *, cipher_is_hash: bool = False) -> None:
        self.user = u
        # USG6000 `manager-user` passwords written `password cipher %@%@...` are stored with a
        # one-way algorithm (the `cipher` keyword there is not reversible encryption).
        self.cipher_is_hash = cipher_is_hash

    def table(self, ctx: Ctx) -> Table:
        return USER_TABLE


def u_password(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, UserView)
    w = st.lw
    if st.neg:
        view.user.password_storage = None
    elif len(w) >= 3:
        storage = storage_of(w[1])
        if view.cipher_is_hash and storage is SecretStorage.REVERSIBLE:
            storage = SecretStorage.HASH
        view.user.password_storage = storage
    elif len(w) == 2:
        view.user.password_storage = SecretStorage.UNKNOWN
    else:
        return
    ctx.ok(st, Section.USERS)


def u_service(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, UserView)
    u = view.user
    add = _service_types(st.lw[1:])
    if st.neg:
        u.service_types = [s for s in u.service_types if s not in add]
    else:
        u.service_types += [s for s in add if s not in u.service_types]
    ctx.ok(st, Section.USERS)


def u_level(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, UserView)
    w = st.lw
    if len(w) == 2:
        view.user.privilege = None if st.neg else to_int(w[1], 0, 15)
        ctx.ok(st, Section.USERS)


def u_authorization(ctx: Ctx, st: Stmt, view: View) -> None:
    """Comware ``authorization-attribute user-role R`` (v7) / ``level N`` (v5)."""
    assert isinstance(view, UserView)
    w = st.lw
    if len(w) == 3 and w[1] == "user-role":
        role = w[2]
        if not st.neg:
            priv = _ROLE_PRIVILEGE.get(role)
            if priv is not None and (view.user.privilege or -1) < priv:
                view.user.privilege = priv
        ctx.ok(st, Section.USERS)
    elif len(w) == 3 and w[1] == "level":
        view.user.privilege = None if st.neg else to_int(w[2], 0, 15)
        ctx.ok(st, Section.USERS)
    else:
        ctx.skip(st, Section.USERS)


USER_TABLE: dict[str, Entry] = {
    **unsupported(
        Section.USERS,
        """state description group access-limit ftp-directory work-directory
        bind-attribute user-group expiration-date validity-datetime identity-group
        password-control interface-type authentication-type role web-menu
        password-force-change undo_password-control manager-user ssh
        authentication-scheme authorization-scheme accounting-scheme""",
    ),
    "password": (Section.USERS, u_password),
    "service-type": (Section.USERS, u_service),
    "level": (Section.USERS, u_level),
    "authorization-attribute": (Section.USERS, u_authorization),
}

AAA_UNSUPPORTED = unsupported(
    Section.USERS,
    """authentication-scheme authorization-scheme accounting-scheme domain recording-scheme
    service-scheme radius-server hwtacacs-server local-aaa-user_user-name
    local-aaa-user_change-pwd bind role administrator access-user remote-aaa-user
    user-password ssh-user-login lock-authentication abnormal-offline-record
    user-group task-group task undo_local-user_policy local-user_policy
    local-aaa-server authentication-mode user-security-policy""",
)


def aaa_table(extra: Mapping[str, Entry] | None = None) -> dict[str, Entry]:
    table: dict[str, Entry] = dict(AAA_UNSUPPORTED)
    table.update(
        {
            "local-user": (Section.USERS, aaa_local_user),
            "local-aaa-user": (Section.PASSWORD_POLICY, aaa_password_policy),
            "manager-user": (Section.USERS, aaa_manager_user),
            "user-password": (Section.PASSWORD_POLICY, aaa_user_password),
            "lock-authentication": (Section.PASSWORD_POLICY, aaa_lock_authentication),
        }
    )
    if extra:
        table.update(extra)
    return table


# ---- SNMP


def h_snmp(ctx: Ctx, st: Stmt, view: View) -> None:
    w = st.lw
    words = st.words
    s = ctx.dev.mgmt.snmp
    n = len(w)
    if n == 1:
        s.enabled = _flag(not st.neg, ctx.ok(st, Section.SNMP))
        return
    sub = w[1]
    if sub == "community":
        _snmp_community(ctx, st)
    elif sub == "sys-info" and n >= 3 and w[2] == "version":
        vers = _snmp_versions(w[3:])
        if vers is None:
            return
        src = ctx.ok(st, Section.SNMP)
        if st.neg:
            s.versions = [v for v in s.versions if v not in vers]
        else:
            s.versions = sorted(set(s.versions) | set(vers), key=_VERSION_ORDER.index)
        s.versions_source = src
    elif sub == "sys-info":
        ctx.skip(st, Section.SNMP)
    elif sub == "usm-user":
        _snmp_usm_user(ctx, st)
    elif sub == "group" and n >= 4:
        ctx.ok(st, Section.SNMP)
        acl = _opt(w, words, "acl")
        ctx.snmp_groups[words[3]] = None if st.neg else (ctx.acl_key(acl) if acl else None)
    elif sub == "target-host":
        addr = _after(w, "address")
        if addr is not None and addr + 1 < n and w[addr] == "udp-domain":
            ip = ip4(w[addr + 1])
            if ip is not None:
                src = ctx.ok(st, Section.SNMP)
                if not st.neg:
                    s.trap_hosts.append((ip, src))
                return
        if "ipv6" in w[:4] or "udp-domain" not in w:
            ctx.skip(st, Section.SNMP)
    elif sub == "acl" and n == 3:
        ctx.ok(st, Section.SNMP)
        s.acl = None if st.neg else ctx.acl_key(words[2])
    elif sub in (
        "local-engineid", "mib-view", "trap", "packet", "protocol", "target-host",
        "notification-log", "source", "udp-port", "port", "log", "ifmib", "context",
        "community-name", "calculate-complexity", "inform", "extend", "password",
        "usm-user-name", "notify-filter-profile", "mib", "statistic", "agent",
        "listen-interface", "session", "server", "vacm", "timer",
    ):  # fmt: skip
        ctx.skip(st, Section.SNMP)


_VERSION_ORDER = ["v1", "v2c", "v3"]


def _snmp_versions(words: list[str]) -> list[str] | None:
    out: list[str] = []
    for w in words:
        if w == "all":
            out += _VERSION_ORDER
        elif w in ("v1", "v2c", "v3"):
            out.append(w)
        elif w == "disable":
            continue
        else:
            return None
    return out


def _after(w: list[str], key: str) -> int | None:
    try:
        return w.index(key) + 1
    except ValueError:
        return None


def _opt(w: list[str], words: list[str], key: str) -> str | None:
    i = _after(w, key)
    return words[i] if i is not None and i < len(w) else None


def _snmp_community(ctx: Ctx, st: Stmt) -> None:
    """``snmp-agent community read|write [cipher|simple] X [mib-view V] [acl N|name]``."""
    w = st.lw
    words = st.words
    s = ctx.dev.mgmt.snmp
    if len(w) >= 3 and w[2] in ("complexity-check", "weak", "length"):
        ctx.skip(st, Section.SNMP)
        return
    i = 2
    access: str | None = None
    if i < len(w) and w[i] in ("read", "write"):
        access = "ro" if w[i] == "read" else "rw"
        i += 1
    if i < len(w) and w[i] in ("cipher", "simple"):
        i += 1
    if i >= len(w):
        return
    value = words[i]
    i += 1
    acl: str | None = None
    while i < len(w):
        if w[i] == "acl" and i + 1 < len(w):
            j = i + 1
            if w[j] in ("name", "ipv6"):
                j += 1
            if j >= len(w):
                return
            acl = ctx.acl_key(words[j])
            i = j + 1
        elif w[i] == "mib-view" and i + 1 < len(w):
            i += 2
        elif w[i] == "user-role" and i + 1 < len(w):
            if access is None:
                access = "rw" if w[i + 1] == "network-admin" else "ro"
            i += 2
        elif w[i] in ("read", "write") and access is None:
            access = "ro" if w[i] == "read" else "rw"
            i += 1
        elif w[i] == "alias" and i + 1 < len(w):
            i += 2
        else:
            return
    src = ctx.ok(st, Section.SNMP)
    if st.neg:
        return
    version = "v1v2c" if "v1" in s.versions else "v2c"
    s.communities.append(
        SnmpCommunity(access or "ro", src, is_well_known(value), acl=acl, version=version)
    )


def _snmp_usm_user(ctx: Ctx, st: Stmt) -> None:
    """``snmp-agent usm-user v3 U [G] [authentication-mode A [cipher] K] [privacy-mode P K]
    [acl N]``, also VRP's one-setting-per-line form (``snmp-agent usm-user v3 U group G``)."""
    w = st.lw
    words = st.words
    s = ctx.dev.mgmt.snmp
    if len(w) < 4 or w[2] != "v3":
        if len(w) >= 3 and w[2] in ("v1", "v2c"):
            ctx.skip(st, Section.SNMP)
        return
    name = words[3]
    src = ctx.ok(st, Section.SNMP)
    if st.neg and len(w) == 4:
        s.users = [u for u in s.users if u.name != name]
        return
    u = next((x for x in s.users if x.name == name), None)
    if u is None:
        u = SnmpUser(name, src)
        s.users.append(u)
    i = 4
    if i < len(w) and w[i] == "group" and i + 1 < len(w):
        u.group = words[i + 1]
        i += 2
    elif i < len(w) and w[i] not in (
        "authentication-mode", "privacy-mode", "cipher", "simple", "acl", "remote", "local",
        "user-role",
    ):  # fmt: skip
        u.group = words[i]
        i += 1
    if "authentication-mode" in w:
        u.auth = not st.neg
    if "privacy-mode" in w:
        u.priv = not st.neg
    acl = _opt(w, words, "acl")
    if acl is not None and acl.lower() not in ("ipv6", "name"):
        u.acl = ctx.acl_key(acl)
    elif acl is not None:
        named = _after(w, acl.lower())
        if named is not None and named < len(w):
            u.acl = ctx.acl_key(words[named])


# ---- syslog, NTP


def h_info_center(ctx: Ctx, st: Stmt, view: View) -> None:
    """``info-center loghost [vpn-instance V] A [...]``; ``undo info-center enable``."""
    w = st.lw
    if len(w) >= 3 and w[1] == "loghost":
        i = 2
        if w[i] == "vpn-instance" and i + 2 < len(w):
            i += 2
        if w[i] in ("ipv6", "source", "domain"):
            ctx.skip(st, Section.LOGGING)
            return
        ip = ip4(w[i])
        if ip is None:
            return
        src = ctx.ok(st, Section.LOGGING)
        hosts = ctx.dev.mgmt.syslog_hosts
        if st.neg:
            ctx.dev.mgmt.syslog_hosts = [h for h in hosts if h[0] != ip]
        elif all(h[0] != ip for h in hosts):
            hosts.append((ip, src))
    elif w == ["info-center", "enable"]:
        src = ctx.ok(st, Section.LOGGING)
        ctx.info_center_off = src if st.neg else None
    elif len(w) >= 2:
        ctx.skip(st, Section.LOGGING)


def h_ntp(ctx: Ctx, st: Stmt, view: View) -> None:
    """``ntp-service unicast-server A`` (VRP5, Comware) / ``ntp unicast-server A`` (VRP8) /
    ``ntp-service enable`` (Comware 7)."""
    w = st.lw
    if len(w) >= 3 and w[1] in ("unicast-server", "unicast-peer"):
        i = 2
        if w[i] in ("ipv6", "domain-name", "domain"):
            ctx.skip(st, Section.NTP)
            return
        if w[i] == "vpn-instance" and i + 2 < len(w):
            i += 2
        ip = ip4(w[i])
        if ip is None:
            return
        src = ctx.ok(st, Section.NTP)
        servers = ctx.dev.mgmt.ntp_servers
        if st.neg:
            ctx.dev.mgmt.ntp_servers = [s for s in servers if s[0] != ip]
        elif all(s[0] != ip for s in servers):
            servers.append((ip, src))
    elif w[1:] == ["enable"]:
        ctx.ntp_enabled = _flag(not st.neg, ctx.ok(st, Section.NTP))
    elif len(w) >= 2:
        ctx.skip(st, Section.NTP)


def h_super(ctx: Ctx, st: Stmt, view: View) -> None:
    """``super password [level N|role R] cipher|simple|hash|irreversible-cipher X`` (VRP and
    Comware: the password to raise the privilege level, the ``enable secret`` of the family)."""
    w = st.lw
    if len(w) < 2 or w[1] != "password":
        if len(w) >= 2 and w[1] in ("authentication-mode", "default"):
            ctx.skip(st, Section.USERS)
        return
    i = 2
    if i + 1 < len(w) and w[i] in ("level", "role"):
        i += 2
    m = ctx.dev.mgmt
    src = ctx.ok(st, Section.USERS)
    if st.neg:
        m.enable_secret = None
        m.enable_source = src
        return
    m.enable_secret = storage_of(w[i]) if i + 1 < len(w) else SecretStorage.UNKNOWN
    m.enable_source = src


_VRP_RELEASE = re.compile(r"V(\d{3})R(\d{3})", re.IGNORECASE)


def vrp_release(version: str | None) -> tuple[int, int] | None:
    """``V200R010C00SPC600`` → (200, 10)."""
    if version is None:
        return None
    m = _VRP_RELEASE.search(version)
    return (int(m.group(1)), int(m.group(2))) if m else None


def huawei_top_table() -> dict[str, Entry]:
    """Top-level statements of Huawei VRP5, USG and VRP8."""
    table = base_top_table()
    table.update(
        {
            "aaa": (Section.USERS, h_aaa),
            "stelnet": (Section.SERVICES, h_stelnet),
            "http": (Section.SERVICES, h_http),
            "super": (Section.USERS, h_super),
        }
    )
    return table


# --------------------------------------------------------------------------- top-level table

# Global statements of both vendors that the model does not need (their blocks too).
TOP_UNSUPPORTED: dict[str, Entry] = {
    **unsupported(
        Section.OTHER,
        """vlan vlan_batch stp lldp clock dns dhcp ospf ospfv3 bgp isis rip ripng mpls
        mpls_ldp pim igmp igmp-snooping multicast multicast-vlan cluster ntdp ndp
        drop-profile dcb diffserv qos traffic traffic-classifier traffic-behavior
        traffic-policy time-range route-policy ip_ip-prefix ip_community-filter
        ip_as-path-filter ip_extcommunity-filter ipv6 ip_ipv6 bfd vrrp arp mac-address
        port-group interface-group set_save-configuration cpu-defend cpu-usage dldp
        loopback-detect rrpp smart-link monitor-link erps sep mstp l2tp l2tp-group
        ike ipsec pki rsa dsa ecc public-key local-engineid device board drop
        anti-attack undo_http_server_enable_ipv6 sflow netstream ip_netstream
        ip_dhcp ip_http_ipv6 ip_pool ip-pool ip_source ip_unreachables
        ip_ttl-expires ip_icmp ip_redirects ip_fast-forwarding ip_host ip_load-sharing
        ip_urpf ip_vpn-instance-ipv6 dhcpv6 cwmp wlan capwap ssid-profile
        security-profile vap-profile regulatory-domain-profile ap-group radio-2g-profile
        radio-5g-profile ap ap-id ap-auth-mode acl_ipv6 ip_prefix-list mac-vlan
        voice-vlan dot1x mac-authen authentication-profile portal free-rule
        web-auth-server user-isolate-profile radius-server hwtacacs-server
        hwtacacs-template radius-attribute tacacs-server domain_default
        sysname_ipv6 ip_ipv6-prefix license lacp mad irf irf-port switch-mode
        system-working-mode xbar password-recovery lpu-type scheduler job
        undo_copyright-info copyright-info undo_info-center_enable task
        storm-control port-isolate nqa track bfd-session efm cfd oam
        ethernet-oam ip_route-static_bfd evpn bridge-domain nve vxlan vsi l2vpn
        ptp ip_forward-broadcast ip_verify nat_alg nat_dns-map pppoe-server
        undo_stp cfm rmon sampler flow-export ip_flow-export ipv6_pathmtu
        telemetry grpc netconf ssl sftp scp bootrom assistant alarm
        monitor_session observe-port port-mirroring mirroring-group mirror
        smart-upgrade autoconfig auto-config remote-access connect transceiver
        set alias sysname_ip poe led slot power fan temperature-limit
        undo_dhcp ip-link service-template user-profile qos-profile
        web-auth portal-access-profile mac-access-profile dot1x-access-profile
        authentication-profile_name ip_dns dns-server dns_resolve undo_dns
        system resource hostname-change hrp firewall_defend firewall_detect
        firewall_session firewall_statistic firewall_blacklist firewall_mac-binding
        firewall_ids firewall_dataplane firewall_packet-filter_basic-protocol
        update isp api sa location ips av url-filter profile file-block data-filter
        mail-filter app-proxy content-filter pki_entity pki_realm certificate
        slb ddos anti-ddos defend web-manager_security_version agile-controller
        ip_service-set_obsolete user-manage aaa-authen-bypass portal-server
        sandbox cloud-sandbox engine undo_update undo_ips undo_av undo_sa
        undo_location undo_api undo_dns undo_firewall_detect ip_df-check
        isp_name policy-based-route ip_policy-based-route service-set
        sysname_description ftp_client ftp_client-source tftp-server tftp
        tftp_client-source ssh_client stelnet_client sftp_client scp_client
        snmp-agent_trap mac-address_aging-time mac-address_static arp_static
        lldp_enable ip_dhcp_snooping dhcp_snooping igmp_snooping
        load-balance load-sharing link-aggregation ecmp switchover ha
        vlan-mapping qinq gvrp mvrp garp bpdu bpdu-tunnel l2protocol-tunnel
        clock_timezone clock_daylight-saving-time clock_protocol
        vpn-instance ip_vpn-instance_ipv6 fan-monitor stack virtual-access
        dialer-rule dialer_rule dialer-group dialer acl_number_ipv6
        ip_address-set_exclude engine_configuration mpls_lsr-id lsr-id router
        router_id ntp-service_refclock-master ntp_refclock-master
        info-center_source temperature shutdown-interval error-down
        anti-virus tsm terminal-security endpoint web-manager_timeout banner
        l2tp ipsec_sha2 undo_telnet_ipv6""",
    ),
}


def base_top_table() -> dict[str, Entry]:
    """Statements both vendors print at top level, with their handlers."""
    table: dict[str, Entry] = dict(TOP_UNSUPPORTED)
    table.update(
        {
            "sysname": (Section.SYSTEM, h_sysname),
            "header": (Section.SYSTEM, h_header),
            "interface": (Section.INTERFACES, h_interface),
            "ip vpn-instance": (Section.VRFS, h_vpn_instance),
            "ip route-static": (Section.ROUTES, h_route_static),
            "acl": (Section.ACLS, h_acl),
            "telnet": (Section.SERVICES, h_telnet),
            "ssh": (Section.SERVICES, h_ssh),
            "ftp": (Section.SERVICES, h_ftp),
            "snmp-agent": (Section.SNMP, h_snmp),
            "info-center": (Section.LOGGING, h_info_center),
            "user-interface": (Section.LINES, h_user_interface),
            "super": (Section.USERS, h_super),
        }
    )
    return table


# --------------------------------------------------------------------------- finalize


def _open_vty_lines(ctx: Ctx) -> None:
    """VRP ``user-interface maximum-vty N`` opens vty 0..N-1; those no ``user-interface vty``
    block configures take logins with the defaults (no ACL): model them as lines of their own,
    cited by the ``maximum-vty`` line, so the management checks see them."""
    if ctx.max_vty is None:
        return
    count, src = ctx.max_vty
    covered: set[int] = set()
    for ln in ctx.dev.mgmt.lines:
        if ln.kind is LineKind.VTY:
            covered.update(range(ln.first, ln.last + 1))
    missing = [n for n in range(count) if n not in covered]
    runs: list[list[int]] = []
    for n in missing:
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    for first, last in runs:
        ctx.dev.mgmt.lines.append(MgmtLine(LineKind.VTY, first, last, src))


def _merge_line_classes(ctx: Ctx) -> None:
    """Comware 7: a ``line class`` setting applies to lines of its kind that do not set it."""
    m = ctx.dev.mgmt
    for kind, cls in ctx.line_classes.items():
        lines = [ln for ln in m.lines if ln.kind is kind]
        if not lines:
            cls.last = 63 if kind is LineKind.VTY else 0
            m.lines.append(cls)
            continue
        for ln in lines:
            if ln.auth_source is None and ln.auth is AuthMode.UNKNOWN:
                ln.auth, ln.auth_source = cls.auth, cls.auth_source
            if ln.protocols is None:
                ln.protocols, ln.protocols_source = cls.protocols, cls.protocols_source
            if ln.acl_in is None:
                ln.acl_in, ln.acl_source = cls.acl_in, cls.acl_source
            if ln.idle_timeout_seconds.source is None:
                ln.idle_timeout_seconds = cls.idle_timeout_seconds
            if ln.password_storage is None:
                ln.password_storage = cls.password_storage
            if ln.privilege is None:
                ln.privilege = cls.privilege


def apply_user_lockouts(ctx: Ctx) -> None:
    """Per-user lockouts (VRP8 ``state block fail-times``) stand for the device's lockout when
    no global one is written: the weakest (most attempts) of them."""
    pol = ctx.dev.mgmt.password_policy
    if not ctx.lockouts or pol.lockout_attempts.source is not None:
        return
    attempts, minutes, src = max(ctx.lockouts, key=lambda x: x[0])
    pol.lockout_attempts = IntSetting(attempts, src, explicit=True)
    pol.lockout_minutes = IntSetting(minutes, src, explicit=minutes is not None)


def finalize_common(ctx: Ctx) -> None:
    """Cross-references both vendors resolve once the whole file is read."""
    dev = ctx.dev
    m = dev.mgmt
    # SNMP v3 users inherit their group's ACL; communities carry the version set.
    for u in m.snmp.users:
        if u.acl is None and u.group is not None:
            u.acl = ctx.snmp_groups.get(u.group)
    if m.snmp.enabled.value is None and (m.snmp.communities or m.snmp.users or m.snmp.versions):
        src = m.snmp.versions_source or (
            m.snmp.communities[0].source if m.snmp.communities else m.snmp.users[0].source
            if m.snmp.users else None
        )  # fmt: skip
        m.snmp.enabled = Flag(True, src, explicit=True, note="SNMP agent configured")
    if m.snmp.enabled.value is None:
        m.snmp.enabled = Flag(False, explicit=False, note="no snmp-agent configuration")
    if ctx.info_center_off is not None and m.syslog_hosts:
        dev.coverage.notes.append(
            "`undo info-center enable`: the configured log hosts receive nothing"
        )
        m.syslog_hosts = []
    # Zones: members written in zone blocks → Interface.zone, and the reverse.
    fw = ctx.fw
    if fw is not None:
        for zone in fw.zones.values():
            for name in zone.interfaces:
                itf = dev.interfaces.get(name)
                if itf is not None and itf.zone is None:
                    itf.zone = zone.name
    # vty lines without their own ACL: the server ACLs of the protocols they accept.
    for ln in m.lines:
        if ln.kind is not LineKind.VTY or ln.acl_in is not None:
            continue
        acls: set[str | None] = set()
        sources: list[Source] = []
        protos = set(ln.protocols or ["ssh", "telnet"])
        if "all" in protos:
            protos = {"ssh", "telnet"}
        if "telnet" in protos and m.telnet_server.value is not False:
            acls.add(ctx.telnet_acl[0] if ctx.telnet_acl else None)
            if ctx.telnet_acl:
                sources.append(ctx.telnet_acl[1])
        if "ssh" in protos and m.ssh_server.value is not False:
            acls.add(m.ssh_acl)
            if ctx.ssh_acl_source is not None:
                sources.append(ctx.ssh_acl_source)
        if len(acls) == 1:
            (only,) = acls
            if only is not None:
                ln.acl_in = only
                ln.acl_source = sources[0] if sources else None


def default_flag(flag: Flag, value: bool | None, note: str) -> Flag:
    """The flag itself when the config set it, else the platform default with its note."""
    if flag.source is not None or flag.explicit:
        return flag
    return Flag(value, explicit=False, note=note)


def default_int(setting: IntSetting, value: int | None, note: str) -> IntSetting:
    if setting.source is not None or setting.explicit:
        return setting
    return IntSetting(value, explicit=False, note=note)


def apply_line_defaults(
    ctx: Ctx,
    *,
    idle_seconds: int | None,
    idle_note: str,
    auth: Mapping[LineKind, tuple[AuthMode, str]],
) -> None:
    """Idle timeout and authentication of lines that do not set them (platform defaults)."""
    for ln in ctx.dev.mgmt.lines:
        ln.idle_timeout_seconds = default_int(ln.idle_timeout_seconds, idle_seconds, idle_note)
        if ln.auth is AuthMode.UNKNOWN and ln.auth_source is None and ln.kind in auth:
            ln.auth = auth[ln.kind][0]


def iter_rules(fw: Firewall | None) -> Iterable[SecurityRule]:
    return fw.rules if fw is not None else ()


def service_from_words(w: list[str], i: int) -> tuple[ServiceMatch, int] | None:
    """``protocol tcp|udp|icmp|N [source-port A [to B]] [destination-port A [to B]|eq P]``."""
    if i >= len(w):
        return None
    proto = protocol_name(w[i])
    if proto is None:
        return None
    svc = ServiceMatch(proto)
    i += 1
    while i < len(w):
        if w[i] in ("source-port", "destination-port") and i + 1 < len(w):
            j = i + 1
            if w[j] in _PORT_OPS or w[j] == "range":
                got = parse_port(w, j)
                if got is None:
                    return None
                port, j = got
            else:
                low = port_number(w[j])
                if low is None:
                    return None
                high = low
                j += 1
                if j + 1 < len(w) and w[j] == "to":
                    high = port_number(w[j + 1]) or low
                    j += 2
                port = (
                    PortMatch(PortOp.EQ, low, low)
                    if low == high
                    else PortMatch(PortOp.RANGE, low, high)
                )
            if w[i] == "destination-port" and not (port.op is PortOp.RANGE and port.low == 0
                                                   and port.high == 65535):  # fmt: skip
                svc.dst_ports.append(port)
            i = j
        elif w[i] in ("icmp-type", "icmp-code") and i + 1 < len(w):
            i += 2
        else:
            return None
    return svc, i


# Predefined services of USG security policies and Comware object groups.
PREDEFINED_SERVICES: Mapping[str, tuple[str, tuple[int, ...]]] = {
    "http": ("tcp", (80,)), "https": ("tcp", (443,)), "ftp": ("tcp", (21,)),
    "ssh": ("tcp", (22,)), "telnet": ("tcp", (23,)), "smtp": ("tcp", (25,)),
    "pop3": ("tcp", (110,)), "imap": ("tcp", (143,)), "dns": ("udp", (53,)),
    "ntp": ("udp", (123,)), "snmp": ("udp", (161,)), "snmptrap": ("udp", (162,)),
    "tftp": ("udp", (69,)), "syslog": ("udp", (514,)), "rdp": ("tcp", (3389,)),
    "sqlserver": ("tcp", (1433,)), "mysql": ("tcp", (3306,)), "ldap": ("tcp", (389,)),
    "icmp": ("icmp", ()), "ping": ("icmp", ()), "smb": ("tcp", (445,)),
    "netbios": ("tcp", (139,)), "bgp": ("tcp", (179,)), "radius": ("udp", (1812,)),
    "h323": ("tcp", (1720,)), "sip": ("udp", (5060,)), "ike": ("udp", (500,)),
    "l2tp": ("udp", (1701,)), "any": ("ip", ()), "ip": ("ip", ()), "tcp": ("tcp", ()),
    "udp": ("udp", ()), "oracle": ("tcp", (1521,)), "dhcp-relay": ("udp", (67,)),
}  # fmt: skip


def predefined_service(name: str) -> list[ServiceMatch] | None:
    entry = PREDEFINED_SERVICES.get(name.lower())
    if entry is None:
        return None
    proto, ports = entry
    return [ServiceMatch(proto, [PortMatch(PortOp.EQ, p, p) for p in ports])]


def nat_pool(ctx: Ctx, name: str, src: Source) -> NatPool:
    pool = ctx.dev.nat.pools.get(name)
    if pool is None:
        pool = NatPool(name, src)
        ctx.dev.nat.pools[name] = pool
    return pool


def set_pool_range(pool: NatPool, start: str, end: str | None) -> bool:
    a = ip4(start)
    b = ip4(end) if end is not None else a
    if a is None or b is None:
        return False
    if pool.start is None or int(a) < int(pool.start):
        pool.start = a
    if pool.end is None or int(b) > int(pool.end):
        pool.end = b
    return True


__all__ = [
    "COMWARE_INTERFACE_NAMES",
    "HASHBLOCK_SECRETS",
    "HUAWEI_INTERFACE_NAMES",
    "REDACTED",
    "REDACTED_WELL_KNOWN",
    "AclView",
    "Ctx",
    "Dialect",
    "HashParser",
    "InterfaceNames",
    "InterfaceType",
    "InterfaceView",
    "Stmt",
    "SwallowView",
    "View",
]
