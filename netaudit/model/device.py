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

    def __init__(self, file: str, line: int, text: str) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.file = file
        self.line = line
        self.text = text


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

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        total: int = 0,
        recognized: int = 0,
        unsupported: int = 0,
        unrecognized: int = 0,
        unrecognized_lines: list[tuple[Section, Source]] | None = None,
        truncated: bool = False,
        notes: list[str] | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.total = total
        self.recognized = recognized
        self.unsupported = unsupported
        self.unrecognized = unrecognized
        self.unrecognized_lines = [] if unrecognized_lines is None else unrecognized_lines
        self.truncated = truncated
        self.notes = [] if notes is None else notes

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

    def __init__(
        self,
        value: bool | None,
        source: Source | None = None,
        explicit: bool = False,
        note: str | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.value = value
        self.source = source
        self.explicit = explicit
        self.note = note


@dataclass(slots=True)
class IntSetting:
    value: int | None
    source: Source | None = None
    explicit: bool = False
    note: str | None = None

    def __init__(
        self,
        value: int | None,
        source: Source | None = None,
        explicit: bool = False,
        note: str | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.value = value
        self.source = source
        self.explicit = explicit
        self.note = note


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

    def __init__(self, address: IPv4Interface, secondary: bool, source: Source) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.address = address
        self.secondary = secondary
        self.source = source


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

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        name: str,
        kind: InterfaceKind,
        source: Source,
        description: str | None = None,
        addresses: list[InterfaceAddress] | None = None,
        vrf: str = DEFAULT_VRF,
        shutdown: bool = False,
        zone: str | None = None,
        acl_in: str | None = None,
        acl_out: str | None = None,
        nat_inside: bool = False,
        nat_outside: bool = False,
        pppoe_client: bool = False,
        dhcp_client: bool = False,
        dialer: bool = False,
        switchport: bool = False,
        access_vlan: int | None = None,
        ipv6: bool = False,
        sources: list[Source] | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.name = name
        self.kind = kind
        self.source = source
        self.description = description
        self.addresses = [] if addresses is None else addresses
        self.vrf = vrf
        self.shutdown = shutdown
        self.zone = zone
        self.acl_in = acl_in
        self.acl_out = acl_out
        self.nat_inside = nat_inside
        self.nat_outside = nat_outside
        self.pppoe_client = pppoe_client
        self.dhcp_client = dhcp_client
        self.dialer = dialer
        self.switchport = switchport
        self.access_vlan = access_vlan
        self.ipv6 = ipv6
        self.sources = [] if sources is None else sources

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

    def __init__(self, name: str, source: Source, rd: str | None = None) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.name = name
        self.source = source
        self.rd = rd


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

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        prefix: IPv4Network,
        source: Source,
        vrf: str = DEFAULT_VRF,
        next_hop: IPv4Address | None = None,
        interface: str | None = None,
        preference: int | None = None,
        null: bool = False,
        next_hop_vrf: str | None = None,
        description: str | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.prefix = prefix
        self.source = source
        self.vrf = vrf
        self.next_hop = next_hop
        self.interface = interface
        self.preference = preference
        self.null = null
        self.next_hop_vrf = next_hop_vrf
        self.description = description


@dataclass(slots=True)
class RibNextHop:
    next_hop: IPv4Address | None
    interface: str | None  # canonical; None for recursive next hops (`via IP` only)
    vrf: str | None = None  # the next hop's VRF when not the route's (IOS `via IP (VRF)`)

    def __init__(
        self, next_hop: IPv4Address | None, interface: str | None, vrf: str | None = None
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.next_hop = next_hop
        self.interface = interface
        self.vrf = vrf


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

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        prefix: IPv4Network,
        protocol: str,
        next_hops: list[RibNextHop],
        vrf: str = DEFAULT_VRF,
        preference: int | None = None,
        metric: int | None = None,
        null: bool = False,
        source: Source | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.prefix = prefix
        self.protocol = protocol
        self.next_hops = next_hops
        self.vrf = vrf
        self.preference = preference
        self.metric = metric
        self.null = null
        self.source = source


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

    def __init__(
        self,
        address: IPv4Address = _ZERO,
        wildcard: IPv4Address = _ALL_ONES,
        object_group: str | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "address", address)
        object.__setattr__(self, "wildcard", wildcard)
        object.__setattr__(self, "object_group", object_group)

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

    def __init__(self, op: PortOp, low: int, high: int) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "op", op)
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

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

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        action: Action,
        source: Source,
        sequence: int | None = None,
        protocol: str = "ip",
        src: AddressMatch | None = None,
        dst: AddressMatch | None = None,
        src_ports: list[PortMatch] | None = None,
        dst_ports: list[PortMatch] | None = None,
        established: bool = False,
        remark: str | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.action = action
        self.source = source
        self.sequence = sequence
        self.protocol = protocol
        self.src = AddressMatch() if src is None else src
        self.dst = AddressMatch() if dst is None else dst
        self.src_ports = [] if src_ports is None else src_ports
        self.dst_ports = [] if dst_ports is None else dst_ports
        self.established = established
        self.remark = remark


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

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        name: str,
        kind: AclKind,
        source: Source,
        rules: list[AclRule] | None = None,
        default_action: Action = Action.DENY,
        match_order: str = "config",
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.name = name
        self.kind = kind
        self.source = source
        self.rules = [] if rules is None else rules
        self.default_action = default_action
        self.match_order = match_order


# --------------------------------------------------------------------------- firewall


@dataclass(slots=True)
class Zone:
    name: str
    source: Source
    priority: int | None = None
    interfaces: list[str] = field(default_factory=list)

    def __init__(
        self,
        name: str,
        source: Source,
        priority: int | None = None,
        interfaces: list[str] | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.name = name
        self.source = source
        self.priority = priority
        self.interfaces = [] if interfaces is None else interfaces


@dataclass(slots=True)
class AddressSet:
    """A named address object/set (USG `ip address-set`, H3C `object-group ip address`)."""

    name: str
    source: Source
    members: list[AddressMatch] = field(default_factory=list)

    def __init__(
        self, name: str, source: Source, members: list[AddressMatch] | None = None
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.name = name
        self.source = source
        self.members = [] if members is None else members


@dataclass(slots=True)
class ServiceMatch:
    protocol: str  # tcp / udp / icmp / ip
    dst_ports: list[PortMatch] = field(default_factory=list)

    def __init__(self, protocol: str, dst_ports: list[PortMatch] | None = None) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.protocol = protocol
        self.dst_ports = [] if dst_ports is None else dst_ports


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

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        name: str,
        action: Action,
        source: Source,
        source_zones: list[str] | None = None,
        destination_zones: list[str] | None = None,
        source_addresses: list[AddressMatch] | None = None,
        destination_addresses: list[AddressMatch] | None = None,
        services: list[ServiceMatch] | None = None,
        acl: str | None = None,
        enabled: bool = True,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.name = name
        self.action = action
        self.source = source
        self.source_zones = [] if source_zones is None else source_zones
        self.destination_zones = [] if destination_zones is None else destination_zones
        self.source_addresses = [] if source_addresses is None else source_addresses
        self.destination_addresses = [] if destination_addresses is None else destination_addresses
        self.services = [] if services is None else services
        self.acl = acl
        self.enabled = enabled


@dataclass(slots=True)
class Firewall:
    zones: dict[str, Zone] = field(default_factory=dict)
    rules: list[SecurityRule] = field(default_factory=list)
    address_sets: dict[str, AddressSet] = field(default_factory=dict)
    default_action: Flag | None = None  # value True = permit; None when not a firewall
    service_sets: dict[str, list[ServiceMatch]] = field(default_factory=dict)

    def __init__(
        self,
        zones: dict[str, Zone] | None = None,
        rules: list[SecurityRule] | None = None,
        address_sets: dict[str, AddressSet] | None = None,
        default_action: Flag | None = None,
        service_sets: dict[str, list[ServiceMatch]] | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.zones = {} if zones is None else zones
        self.rules = [] if rules is None else rules
        self.address_sets = {} if address_sets is None else address_sets
        self.default_action = default_action
        self.service_sets = {} if service_sets is None else service_sets


# --------------------------------------------------------------------------- NAT


@dataclass(slots=True)
class NatPool:
    name: str
    source: Source
    start: IPv4Address | None = None
    end: IPv4Address | None = None

    def __init__(
        self,
        name: str,
        source: Source,
        start: IPv4Address | None = None,
        end: IPv4Address | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.name = name
        self.source = source
        self.start = start
        self.end = end


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

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        source: Source,
        interface: str | None = None,
        acl: str | None = None,
        pool: str | None = None,
        easy_ip: bool = False,
        source_zones: list[str] | None = None,
        destination_zones: list[str] | None = None,
        source_addresses: list[AddressMatch] | None = None,
        no_nat: bool = False,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.source = source
        self.interface = interface
        self.acl = acl
        self.pool = pool
        self.easy_ip = easy_ip
        self.source_zones = [] if source_zones is None else source_zones
        self.destination_zones = [] if destination_zones is None else destination_zones
        self.source_addresses = [] if source_addresses is None else source_addresses
        self.no_nat = no_nat


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

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        source: Source,
        global_ip: IPv4Address | None,
        inside_ip: IPv4Address,
        protocol: str | None = None,
        global_port: int | None = None,
        inside_port: int | None = None,
        interface: str | None = None,
        zone: str | None = None,
        vrf: str = DEFAULT_VRF,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.source = source
        self.global_ip = global_ip
        self.inside_ip = inside_ip
        self.protocol = protocol
        self.global_port = global_port
        self.inside_port = inside_port
        self.interface = interface
        self.zone = zone
        self.vrf = vrf


@dataclass(slots=True)
class Nat:
    pools: dict[str, NatPool] = field(default_factory=dict)
    source_rules: list[SourceNat] = field(default_factory=list)
    static_rules: list[StaticNat] = field(default_factory=list)

    def __init__(
        self,
        pools: dict[str, NatPool] | None = None,
        source_rules: list[SourceNat] | None = None,
        static_rules: list[StaticNat] | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.pools = {} if pools is None else pools
        self.source_rules = [] if source_rules is None else source_rules
        self.static_rules = [] if static_rules is None else static_rules


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

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        kind: LineKind,
        first: int,
        last: int,
        source: Source,
        auth: AuthMode = AuthMode.UNKNOWN,
        auth_source: Source | None = None,
        protocols: list[str] | None = None,
        protocols_source: Source | None = None,
        acl_in: str | None = None,
        acl_source: Source | None = None,
        idle_timeout_seconds: IntSetting | None = None,
        password_storage: SecretStorage | None = None,
        privilege: int | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.kind = kind
        self.first = first
        self.last = last
        self.source = source
        self.auth = auth
        self.auth_source = auth_source
        self.protocols = protocols
        self.protocols_source = protocols_source
        self.acl_in = acl_in
        self.acl_source = acl_source
        self.idle_timeout_seconds = (
            IntSetting(None) if idle_timeout_seconds is None else idle_timeout_seconds
        )
        self.password_storage = password_storage
        self.privilege = privilege


@dataclass(slots=True)
class LocalUser:
    name: str
    source: Source
    password_storage: SecretStorage | None = None  # None = no password set
    privilege: int | None = None
    service_types: list[str] = field(default_factory=list)  # telnet, ssh, terminal, http, ftp...

    def __init__(
        self,
        name: str,
        source: Source,
        password_storage: SecretStorage | None = None,
        privilege: int | None = None,
        service_types: list[str] | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.name = name
        self.source = source
        self.password_storage = password_storage
        self.privilege = privilege
        self.service_types = [] if service_types is None else service_types


@dataclass(slots=True)
class PasswordPolicy:
    min_length: IntSetting = field(default_factory=lambda: IntSetting(None))
    complexity: Flag = field(default_factory=lambda: Flag(None))
    max_age_days: IntSetting = field(default_factory=lambda: IntSetting(None))
    lockout_attempts: IntSetting = field(default_factory=lambda: IntSetting(None))
    lockout_minutes: IntSetting = field(default_factory=lambda: IntSetting(None))

    def __init__(
        self,
        min_length: IntSetting | None = None,
        complexity: Flag | None = None,
        max_age_days: IntSetting | None = None,
        lockout_attempts: IntSetting | None = None,
        lockout_minutes: IntSetting | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.min_length = IntSetting(None) if min_length is None else min_length
        self.complexity = Flag(None) if complexity is None else complexity
        self.max_age_days = IntSetting(None) if max_age_days is None else max_age_days
        self.lockout_attempts = IntSetting(None) if lockout_attempts is None else lockout_attempts
        self.lockout_minutes = IntSetting(None) if lockout_minutes is None else lockout_minutes


@dataclass(slots=True)
class SnmpCommunity:
    access: str  # "ro" | "rw"
    source: Source
    well_known: bool  # the value was a default such as public/private (value itself redacted)
    acl: str | None = None
    version: str = "v2c"  # v1 / v2c / v1v2c (communities serve v1 and v2c)

    def __init__(
        self,
        access: str,
        source: Source,
        well_known: bool,
        acl: str | None = None,
        version: str = "v2c",
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.access = access
        self.source = source
        self.well_known = well_known
        self.acl = acl
        self.version = version


@dataclass(slots=True)
class SnmpUser:
    name: str
    source: Source
    auth: bool = False
    priv: bool = False
    acl: str | None = None
    group: str | None = None

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        name: str,
        source: Source,
        auth: bool = False,
        priv: bool = False,
        acl: str | None = None,
        group: str | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.name = name
        self.source = source
        self.auth = auth
        self.priv = priv
        self.acl = acl
        self.group = group


@dataclass(slots=True)
class Snmp:
    enabled: Flag = field(default_factory=lambda: Flag(None))
    versions: list[str] = field(default_factory=list)  # v1, v2c, v3 as configured
    versions_source: Source | None = None
    communities: list[SnmpCommunity] = field(default_factory=list)
    users: list[SnmpUser] = field(default_factory=list)
    trap_hosts: list[tuple[IPv4Address, Source]] = field(default_factory=list)
    acl: str | None = None  # agent-wide ACL

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        enabled: Flag | None = None,
        versions: list[str] | None = None,
        versions_source: Source | None = None,
        communities: list[SnmpCommunity] | None = None,
        users: list[SnmpUser] | None = None,
        trap_hosts: list[tuple[IPv4Address, Source]] | None = None,
        acl: str | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.enabled = Flag(None) if enabled is None else enabled
        self.versions = [] if versions is None else versions
        self.versions_source = versions_source
        self.communities = [] if communities is None else communities
        self.users = [] if users is None else users
        self.trap_hosts = [] if trap_hosts is None else trap_hosts
        self.acl = acl


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

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        telnet_server: Flag | None = None,
        ssh_server: Flag | None = None,
        ssh_versions: list[int] | None = None,
        ssh_versions_source: Source | None = None,
        ssh_acl: str | None = None,
        http_server: Flag | None = None,
        https_server: Flag | None = None,
        http_acl: str | None = None,
        ftp_server: Flag | None = None,
        lines: list[MgmtLine] | None = None,
        users: list[LocalUser] | None = None,
        enable_secret: SecretStorage | None = None,
        enable_source: Source | None = None,
        password_encryption_service: Flag | None = None,
        password_policy: PasswordPolicy | None = None,
        snmp: Snmp | None = None,
        syslog_hosts: list[tuple[IPv4Address, Source]] | None = None,
        ntp_servers: list[tuple[IPv4Address, Source]] | None = None,
        banner: str | None = None,
        banner_source: Source | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.telnet_server = Flag(None) if telnet_server is None else telnet_server
        self.ssh_server = Flag(None) if ssh_server is None else ssh_server
        self.ssh_versions = ssh_versions
        self.ssh_versions_source = ssh_versions_source
        self.ssh_acl = ssh_acl
        self.http_server = Flag(None) if http_server is None else http_server
        self.https_server = Flag(None) if https_server is None else https_server
        self.http_acl = http_acl
        self.ftp_server = Flag(None) if ftp_server is None else ftp_server
        self.lines = [] if lines is None else lines
        self.users = [] if users is None else users
        self.enable_secret = enable_secret
        self.enable_source = enable_source
        self.password_encryption_service = (
            Flag(None) if password_encryption_service is None else password_encryption_service
        )
        self.password_policy = PasswordPolicy() if password_policy is None else password_policy
        self.snmp = Snmp() if snmp is None else snmp
        self.syslog_hosts = [] if syslog_hosts is None else syslog_hosts
        self.ntp_servers = [] if ntp_servers is None else ntp_servers
        self.banner = banner
        self.banner_source = banner_source


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

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        name: str,
        platform: Platform,
        file: str,
        hostname: str | None = None,
        os_version: str | None = None,
        interfaces: dict[str, Interface] | None = None,
        vrfs: dict[str, Vrf] | None = None,
        static_routes: list[StaticRoute] | None = None,
        rib: list[RibRoute] | None = None,
        acls: dict[str, Acl] | None = None,
        firewall: Firewall | None = None,
        nat: Nat | None = None,
        mgmt: Management | None = None,
        coverage: Coverage | None = None,
        is_firewall: bool = False,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.name = name
        self.platform = platform
        self.file = file
        self.hostname = hostname
        self.os_version = os_version
        self.interfaces = {} if interfaces is None else interfaces
        self.vrfs = {} if vrfs is None else vrfs
        self.static_routes = [] if static_routes is None else static_routes
        self.rib = rib
        self.acls = {} if acls is None else acls
        self.firewall = firewall
        self.nat = Nat() if nat is None else nat
        self.mgmt = Management() if mgmt is None else mgmt
        self.coverage = Coverage() if coverage is None else coverage
        self.is_firewall = is_firewall


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
