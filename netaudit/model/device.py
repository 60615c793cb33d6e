"""The normalized device model: what every vendor parser produces (SPEC §5).

Input: nothing (this module only defines types). Output: the types the vendor parsers fill
and every later stage (network, policy, store, report) reads. Conventions (STYLE.md):

- addresses are ``ipaddress`` objects; interface names are canonical (``GigabitEthernet0/0/1``);
- ``None`` means unknown / not visible in the config; an empty list means known-none;
- every fact carries a ``Source`` (file, line, redacted text) for evidence;
- a setting whose value depends on a platform default is a ``Flag``/``Setting`` whose
  ``explicit`` is False and whose ``note`` says which default was assumed (or why it is unknown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from netaudit.model.platform import Platform

DEFAULT_VRF = "default"
# The model's name for a VRF a config itself names ``default``: Huawei VRP/USG and H3C Comware
# accept `ip vpn-instance default` (VRP reserves only `_public_`), and that instance is not the
# global table. VRF names are one word on every platform, so no config can name a VRF this.
CONFIGURED_DEFAULT_VRF = "default (configured)"
_ZERO = IPv4Address(0)
_ALL_ONES = IPv4Address(0xFFFFFFFF)


def vrf_key(name: str) -> str:
    """The model's name for the VRF a config calls ``name`` (see ``CONFIGURED_DEFAULT_VRF``);
    parsers pass every VRF name they read through this, never for the global table itself."""
    return CONFIGURED_DEFAULT_VRF if name == DEFAULT_VRF else name


# Never changed once built, but not frozen: one is built for nearly every line of every
# config (and again when a parsed model is unpickled), and a frozen dataclass's __init__
# costs three times as much (issue 9). Hashable by value, as a frozen one is.
@dataclass(slots=True, unsafe_hash=True)
class Source:
    """Where a fact came from: file, 1-based line number, and the (redacted) line text."""

    file: str
    line: int
    text: str


# --------------------------------------------------------------------------- coverage


class LineStatus(StrEnum):
    RECOGNIZED = "recognized"  # parsed into the model
    UNSUPPORTED = "unsupported"  # understood, deliberately not modelled (e.g. `clock timezone`)
    UNRECOGNIZED = "unrecognized"  # the parser does not know this line


class Section(StrEnum):
    """Model sections; an unrecognized line is attributed to one so rules can say `unknown`."""

    SYSTEM = "system"  # hostname, version, banner
    INTERFACES = "interfaces"
    VRFS = "vrfs"
    ROUTES = "routes"
    ACLS = "acls"
    FIREWALL = "firewall"  # zones, security policies, interzone policies
    NAT = "nat"
    SERVICES = "services"  # telnet/ssh/http/https/ftp servers
    LINES = "lines"  # vty / console / aux / user-interface
    USERS = "users"  # local users, AAA
    PASSWORD_POLICY = "password_policy"  # password policy and lockout
    SNMP = "snmp"
    LOGGING = "logging"  # syslog hosts
    NTP = "ntp"
    OTHER = "other"


@dataclass(slots=True)
class Coverage:
    """Every config line lands in exactly one bucket."""

    total: int = 0
    recognized: int = 0
    unsupported: int = 0
    unrecognized: int = 0
    unrecognized_lines: list[tuple[Section, Source]] = field(default_factory=list)
    truncated: bool = False  # the file ended inside a block / without its end marker
    notes: list[str] = field(default_factory=list)  # decoding, cleaning, truncation remarks

    def sections_with_unrecognized(self) -> set[Section]:
        return {section for section, _ in self.unrecognized_lines}

    def is_complete_for(self, *sections: Section) -> bool:
        """True when none of ``sections`` holds an unrecognized line and the file is whole."""
        bad = self.sections_with_unrecognized()
        return not self.truncated and not any(s in bad for s in sections)


# --------------------------------------------------------------------------- settings


@dataclass(slots=True)
class Flag:
    """A boolean setting: value (None = unknown), the line that set it, and why if implicit."""

    value: bool | None
    source: Source | None = None
    explicit: bool = False
    note: str | None = None  # e.g. "VRP5 default: telnet server enabled"


@dataclass(slots=True)
class IntSetting:
    value: int | None
    source: Source | None = None
    explicit: bool = False
    note: str | None = None


# --------------------------------------------------------------------------- interfaces


class InterfaceKind(StrEnum):
    ETHERNET = "ethernet"
    VLAN = "vlan"  # Vlanif / Vlan-interface / interface Vlan
    LOOPBACK = "loopback"
    AGGREGATE = "aggregate"  # Eth-Trunk / Bridge-Aggregation / Port-channel / AggregatePort
    SUBINTERFACE = "subinterface"
    DIALER = "dialer"
    CELLULAR = "cellular"
    TUNNEL = "tunnel"
    NULL = "null"
    MANAGEMENT = "management"  # MEth / M-GigabitEthernet / mgmt
    VIRTUAL_TEMPLATE = "virtual_template"
    OTHER = "other"


@dataclass(slots=True)
class InterfaceAddress:
    address: IPv4Interface
    secondary: bool
    source: Source


@dataclass(slots=True)
class Interface:
    name: str  # canonical, e.g. GigabitEthernet0/0/1, Vlanif10, Vlan-interface10
    kind: InterfaceKind
    source: Source  # the `interface X` line
    description: str | None = None
    addresses: list[InterfaceAddress] = field(default_factory=list)
    vrf: str = DEFAULT_VRF
    shutdown: bool = False
    zone: str | None = None  # firewall zone this interface belongs to
    acl_in: str | None = None  # ACL name/number applied inbound (traffic-filter / ip access-group)
    acl_out: str | None = None
    nat_inside: bool = False  # IOS/RGOS `ip nat inside`
    nat_outside: bool = False  # IOS/RGOS `ip nat outside`
    pppoe_client: bool = False
    dhcp_client: bool = False  # `ip address dhcp` / `ip address dhcp-alloc`
    dialer: bool = False  # dialer / cellular / PPPoE: dial-up internet access
    switchport: bool = False  # L2 port (no routing)
    access_vlan: int | None = None
    ipv6: bool = False  # has IPv6 configuration (modelled only as presence for now)
    sources: list[Source] = field(default_factory=list)  # every line inside the block

    @property
    def primary(self) -> InterfaceAddress | None:
        for a in self.addresses:
            if not a.secondary:
                return a
        return self.addresses[0] if self.addresses else None


@dataclass(slots=True)
class Vrf:
    name: str
    source: Source
    rd: str | None = None


# --------------------------------------------------------------------------- routes


@dataclass(slots=True)
class StaticRoute:
    prefix: IPv4Network
    source: Source
    vrf: str = DEFAULT_VRF
    next_hop: IPv4Address | None = None
    interface: str | None = None  # canonical out-interface name
    preference: int | None = None  # admin distance / preference; None = platform default
    null: bool = False  # NULL0 / Null0 route
    next_hop_vrf: str | None = None  # route leaking: next hop looked up in another VRF
    description: str | None = None


@dataclass(slots=True)
class RibNextHop:
    next_hop: IPv4Address | None
    interface: str | None  # canonical; None for recursive next hops (`via IP` only)
    vrf: str | None = None  # the next hop's VRF when not the route's (IOS `via IP (VRF)`)


@dataclass(slots=True)
class RibRoute:
    """One entry of a collected routing table (`display ip routing-table` / `show ip route`)."""

    prefix: IPv4Network
    protocol: str  # connected, local, static, ospf, bgp, rip, isis, direct, ...
    next_hops: list[RibNextHop]
    vrf: str = DEFAULT_VRF
    preference: int | None = None
    metric: int | None = None
    null: bool = False
    source: Source | None = None


# --------------------------------------------------------------------------- ACLs


class Action(StrEnum):
    PERMIT = "permit"
    DENY = "deny"


@dataclass(frozen=True, slots=True)
class AddressMatch:
    """An address with a wildcard (inverse) mask; any = 0.0.0.0 / 255.255.255.255.

    ``object_group`` is set when the rule names an address set/object group instead; the
    parser resolves it into ``resolved`` when it knows the group's members.
    """

    address: IPv4Address = _ZERO
    wildcard: IPv4Address = _ALL_ONES
    object_group: str | None = None

    @property
    def is_any(self) -> bool:
        return self.object_group is None and int(self.wildcard) == 0xFFFFFFFF

    def contains(self, ip: IPv4Address) -> bool:
        w = int(self.wildcard)
        return (int(ip) & ~w & 0xFFFFFFFF) == (int(self.address) & ~w & 0xFFFFFFFF)

    @classmethod
    def from_network(cls, net: IPv4Network) -> AddressMatch:
        return cls(net.network_address, net.hostmask)


class PortOp(StrEnum):
    EQ = "eq"
    NEQ = "neq"
    LT = "lt"
    GT = "gt"
    RANGE = "range"


@dataclass(frozen=True, slots=True)
class PortMatch:
    op: PortOp
    low: int
    high: int  # == low except for RANGE

    def matches(self, port: int) -> bool:
        match self.op:
            case PortOp.EQ:
                return port == self.low
            case PortOp.NEQ:
                return port != self.low
            case PortOp.LT:
                return port < self.low
            case PortOp.GT:
                return port > self.low
            case PortOp.RANGE:
                return self.low <= port <= self.high


@dataclass(slots=True)
class AclRule:
    action: Action
    source: Source
    sequence: int | None = None  # rule id / sequence number
    protocol: str = "ip"  # "ip" (any), "tcp", "udp", "icmp", "gre", or a number as text
    src: AddressMatch = field(default_factory=AddressMatch)
    dst: AddressMatch = field(default_factory=AddressMatch)
    src_ports: list[PortMatch] = field(default_factory=list)  # empty = any
    dst_ports: list[PortMatch] = field(default_factory=list)
    established: bool = False
    remark: str | None = None


class AclKind(StrEnum):
    BASIC = "basic"  # Huawei/H3C 2000-2999, IOS standard
    ADVANCED = "advanced"  # Huawei/H3C 3000-3999, IOS extended
    LAYER2 = "layer2"
    OTHER = "other"


@dataclass(slots=True)
class Acl:
    name: str  # number as text or the name
    kind: AclKind
    source: Source
    rules: list[AclRule] = field(default_factory=list)
    # What happens when no rule matches, for this platform's use of the ACL as an interface
    # packet filter: IOS/RGOS implicit deny; Huawei traffic-filter / H3C packet-filter permit.
    default_action: Action = Action.DENY
    match_order: str = "config"  # "config" or "auto" (Huawei/H3C `match-order auto`)


# --------------------------------------------------------------------------- firewall


@dataclass(slots=True)
class Zone:
    name: str
    source: Source
    priority: int | None = None
    interfaces: list[str] = field(default_factory=list)


@dataclass(slots=True)
class AddressSet:
    """A named address object/set (USG `ip address-set`, H3C `object-group ip address`)."""

    name: str
    source: Source
    members: list[AddressMatch] = field(default_factory=list)


@dataclass(slots=True)
class ServiceMatch:
    protocol: str  # tcp / udp / icmp / ip
    dst_ports: list[PortMatch] = field(default_factory=list)


@dataclass(slots=True)
class SecurityRule:
    """One security-policy / interzone / object-policy rule, normalized."""

    name: str
    action: Action
    source: Source
    source_zones: list[str] = field(default_factory=list)  # empty = any
    destination_zones: list[str] = field(default_factory=list)
    source_addresses: list[AddressMatch] = field(default_factory=list)  # empty = any
    destination_addresses: list[AddressMatch] = field(default_factory=list)
    services: list[ServiceMatch] = field(default_factory=list)  # empty = any
    acl: str | None = None  # H3C zone-pair packet-filter / old USG interzone ACL
    enabled: bool = True


@dataclass(slots=True)
class Firewall:
    zones: dict[str, Zone] = field(default_factory=dict)
    rules: list[SecurityRule] = field(default_factory=list)
    address_sets: dict[str, AddressSet] = field(default_factory=dict)
    default_action: Flag | None = None  # value True = permit; None when not a firewall
    service_sets: dict[str, list[ServiceMatch]] = field(default_factory=dict)


# --------------------------------------------------------------------------- NAT


@dataclass(slots=True)
class NatPool:
    name: str
    source: Source
    start: IPv4Address | None = None
    end: IPv4Address | None = None


@dataclass(slots=True)
class SourceNat:
    """Source NAT: Huawei `nat outbound`, easy-ip, `nat-policy`; IOS `ip nat inside source`."""

    source: Source
    interface: str | None = None  # egress interface (outbound NAT / overload interface)
    acl: str | None = None  # ACL selecting inside traffic
    pool: str | None = None  # address group / pool name
    easy_ip: bool = False  # translate to the interface address
    source_zones: list[str] = field(default_factory=list)
    destination_zones: list[str] = field(default_factory=list)
    source_addresses: list[AddressMatch] = field(default_factory=list)
    no_nat: bool = False  # `action no-nat` (nat-policy exemption)


@dataclass(slots=True)
class StaticNat:
    """Server / static NAT: `nat server`, `nat static`, `ip nat inside source static`."""

    source: Source
    global_ip: IPv4Address | None
    inside_ip: IPv4Address
    protocol: str | None = None  # tcp / udp / None = all
    global_port: int | None = None
    inside_port: int | None = None
    interface: str | None = None
    zone: str | None = None
    vrf: str = DEFAULT_VRF


@dataclass(slots=True)
class Nat:
    pools: dict[str, NatPool] = field(default_factory=dict)
    source_rules: list[SourceNat] = field(default_factory=list)
    static_rules: list[StaticNat] = field(default_factory=list)


# --------------------------------------------------------------------------- management


class SecretStorage(StrEnum):
    PLAIN = "plain"  # clear text in the config
    REVERSIBLE = "reversible"  # VRP `cipher`, H3C `cipher`, other reversible encodings
    TYPE7 = "type7"  # IOS/RGOS type 7 (reversible)
    HASH = "hash"  # irreversible-cipher, hash, secret 5/8/9, `password 5`
    UNKNOWN = "unknown"


class AuthMode(StrEnum):
    NONE = "none"
    PASSWORD = "password"
    AAA = "aaa"  # aaa / scheme / login local / login authentication
    UNKNOWN = "unknown"


class LineKind(StrEnum):
    VTY = "vty"
    CONSOLE = "console"
    AUX = "aux"


@dataclass(slots=True)
class MgmtLine:
    kind: LineKind
    first: int
    last: int
    source: Source
    auth: AuthMode = AuthMode.UNKNOWN
    auth_source: Source | None = None
    protocols: list[str] | None = None  # inbound protocols: telnet, ssh, all; None = default
    protocols_source: Source | None = None
    acl_in: str | None = None
    acl_source: Source | None = None
    idle_timeout_seconds: IntSetting = field(default_factory=lambda: IntSetting(None))
    password_storage: SecretStorage | None = None
    privilege: int | None = None


@dataclass(slots=True)
class LocalUser:
    name: str
    source: Source
    password_storage: SecretStorage | None = None  # None = no password set
    privilege: int | None = None
    service_types: list[str] = field(default_factory=list)  # telnet, ssh, terminal, http, ftp...


@dataclass(slots=True)
class PasswordPolicy:
    min_length: IntSetting = field(default_factory=lambda: IntSetting(None))
    complexity: Flag = field(default_factory=lambda: Flag(None))
    max_age_days: IntSetting = field(default_factory=lambda: IntSetting(None))
    lockout_attempts: IntSetting = field(default_factory=lambda: IntSetting(None))
    lockout_minutes: IntSetting = field(default_factory=lambda: IntSetting(None))


@dataclass(slots=True)
class SnmpCommunity:
    access: str  # "ro" | "rw"
    source: Source
    well_known: bool  # the value was a default such as public/private (value itself redacted)
    acl: str | None = None
    version: str = "v2c"  # v1 / v2c / v1v2c (communities serve v1 and v2c)


@dataclass(slots=True)
class SnmpUser:
    name: str
    source: Source
    auth: bool = False
    priv: bool = False
    acl: str | None = None
    group: str | None = None


@dataclass(slots=True)
class Snmp:
    enabled: Flag = field(default_factory=lambda: Flag(None))
    versions: list[str] = field(default_factory=list)  # v1, v2c, v3 as configured
    versions_source: Source | None = None
    communities: list[SnmpCommunity] = field(default_factory=list)
    users: list[SnmpUser] = field(default_factory=list)
    trap_hosts: list[tuple[IPv4Address, Source]] = field(default_factory=list)
    acl: str | None = None  # agent-wide ACL


@dataclass(slots=True)
class Management:
    telnet_server: Flag = field(default_factory=lambda: Flag(None))
    ssh_server: Flag = field(default_factory=lambda: Flag(None))
    ssh_versions: list[int] | None = None  # [2] or [1, 2]; None = default/not visible
    ssh_versions_source: Source | None = None
    ssh_acl: str | None = None
    http_server: Flag = field(default_factory=lambda: Flag(None))
    https_server: Flag = field(default_factory=lambda: Flag(None))
    http_acl: str | None = None
    ftp_server: Flag = field(default_factory=lambda: Flag(None))
    lines: list[MgmtLine] = field(default_factory=list)
    users: list[LocalUser] = field(default_factory=list)
    enable_secret: SecretStorage | None = None  # IOS/RGOS enable password/secret, super password
    enable_source: Source | None = None
    password_encryption_service: Flag = field(default_factory=lambda: Flag(None))
    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    snmp: Snmp = field(default_factory=Snmp)
    syslog_hosts: list[tuple[IPv4Address, Source]] = field(default_factory=list)
    ntp_servers: list[tuple[IPv4Address, Source]] = field(default_factory=list)
    banner: str | None = None
    banner_source: Source | None = None


# --------------------------------------------------------------------------- device


@dataclass(slots=True)
class Device:
    """One parsed device. ``name`` is the inventory name (or the hostname when parsed alone)."""

    name: str
    platform: Platform
    file: str
    hostname: str | None = None
    os_version: str | None = None
    interfaces: dict[str, Interface] = field(default_factory=dict)
    vrfs: dict[str, Vrf] = field(default_factory=dict)
    static_routes: list[StaticRoute] = field(default_factory=list)
    rib: list[RibRoute] | None = None  # a collected/saved routing table, when there is one
    acls: dict[str, Acl] = field(default_factory=dict)
    firewall: Firewall | None = None  # None: the device has no firewall function configured
    nat: Nat = field(default_factory=Nat)
    mgmt: Management = field(default_factory=Management)
    coverage: Coverage = field(default_factory=Coverage)
    is_firewall: bool = False  # USG / SecPath / zone-based firewall detected from the config


__all__ = [
    "CONFIGURED_DEFAULT_VRF",
    "DEFAULT_VRF",
    "Acl",
    "AclKind",
    "AclRule",
    "Action",
    "AddressMatch",
    "AddressSet",
    "AuthMode",
    "Coverage",
    "Device",
    "Firewall",
    "Flag",
    "IntSetting",
    "Interface",
    "InterfaceAddress",
    "InterfaceKind",
    "LineKind",
    "LineStatus",
    "LocalUser",
    "Management",
    "MgmtLine",
    "Nat",
    "NatPool",
    "PasswordPolicy",
    "Platform",
    "PortMatch",
    "PortOp",
    "RibNextHop",
    "RibRoute",
    "SecretStorage",
    "Section",
    "SecurityRule",
    "ServiceMatch",
    "Snmp",
    "SnmpCommunity",
    "SnmpUser",
    "Source",
    "SourceNat",
    "StaticNat",
    "StaticRoute",
    "Vrf",
    "Zone",
    "vrf_key",
]
