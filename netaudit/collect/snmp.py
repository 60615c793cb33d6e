"""SNMP collection of one device (v2c, or v3 authPriv), and its cross-check against the config.

Stage: live collection. Input: address, port, ``SnmpCredentials``, timeout and retries. Output:
``SnmpFacts`` — sysDescr, sysName, interfaces (ifTable + ifXTable: name, alias, admin and oper
state) with their addresses (ipAddrTable), and the route table (ipCidrRouteTable, else
inetCidrRouteTable) as ``RibRoute``s; or a ``CollectError`` with a status (``timeout`` — which is
also what a wrong v2c community looks like —, ``auth_failed`` for SNMPv3 users or keys the agent
rejects, ``bad_output``). ``cross_check`` compares the facts with the parsed config and returns
``CrossCheckNote``s (an interface up in SNMP but `shutdown` in the config, and so on).

This is the only module that imports pysnmp (7.1, asyncio API, numeric OIDs: pysnmp ships no
IF-MIB or IP-FORWARD-MIB; see NOTES-integration.md). Its error indications are translated here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from pysnmp.hlapi.v3arch.asyncio import (
    USM_AUTH_HMAC96_MD5,
    USM_AUTH_HMAC96_SHA,
    USM_AUTH_HMAC128_SHA224,
    USM_AUTH_HMAC192_SHA256,
    USM_AUTH_HMAC256_SHA384,
    USM_AUTH_HMAC384_SHA512,
    USM_PRIV_CBC56_DES,
    USM_PRIV_CFB128_AES,
    USM_PRIV_CFB192_AES,
    USM_PRIV_CFB256_AES,
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    bulk_walk_cmd,
    get_cmd,
)
from pysnmp.proto import errind

from netaudit.collect.credentials import SnmpCredentials
from netaudit.collect.result import (
    CollectStatus,
    CrossCheckNote,
    NoteKind,
    SnmpFacts,
    SnmpInterface,
)
from netaudit.errors import CollectError
from netaudit.model import Device, RibNextHop, RibRoute

SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
IF_ENTRY = "1.3.6.1.2.1.2.2.1"
IFX_ENTRY = "1.3.6.1.2.1.31.1.1.1"
IPADDR_ENTRY = "1.3.6.1.2.1.4.20.1"
CIDR_ENTRY = "1.3.6.1.2.1.4.24.4.1"
INET_CIDR_ENTRY = "1.3.6.1.2.1.4.24.7.1"

AUTH = {
    "MD5": USM_AUTH_HMAC96_MD5,
    "SHA": USM_AUTH_HMAC96_SHA,
    "SHA1": USM_AUTH_HMAC96_SHA,
    "SHA-224": USM_AUTH_HMAC128_SHA224,
    "SHA-256": USM_AUTH_HMAC192_SHA256,
    "SHA256": USM_AUTH_HMAC192_SHA256,
    "SHA-384": USM_AUTH_HMAC256_SHA384,
    "SHA-512": USM_AUTH_HMAC384_SHA512,
}
PRIV = {
    "DES": USM_PRIV_CBC56_DES,
    "AES": USM_PRIV_CFB128_AES,
    "AES128": USM_PRIV_CFB128_AES,
    "AES-128": USM_PRIV_CFB128_AES,
    "AES-192": USM_PRIV_CFB192_AES,
    "AES-256": USM_PRIV_CFB256_AES,
}
# ipCidrRouteProto / inetCidrRouteProto values (IANAipRouteProtocol) → RIB protocol names.
ROUTE_PROTO = {2: "connected", 3: "static", 8: "rip", 9: "isis", 13: "ospf", 14: "bgp"}
REJECT = 2  # ipCidrRouteType reject: a null route

Oid = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SnmpTarget:
    name: str
    host: str
    port: int = 161

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def _oid(text: str) -> Oid:
    return tuple(int(p) for p in text.split("."))


def _auth_data(creds: SnmpCredentials) -> CommunityData | UsmUserData:
    if creds.version == "v2c":
        return CommunityData(creds.community or "", mpModel=1)
    auth = AUTH.get(creds.auth_protocol.upper())
    priv = PRIV.get(creds.priv_protocol.upper())
    if auth is None or priv is None:
        raise CollectError(
            f"credential profile {creds.profile!r}: unsupported SNMPv3 protocols "
            f"{creds.auth_protocol}/{creds.priv_protocol} (auth: {', '.join(AUTH)}; "
            f"priv: {', '.join(PRIV)})",
            CollectStatus.NO_CREDENTIALS,
        )
    return UsmUserData(
        creds.user or "",
        authKey=creds.auth_key,
        privKey=creds.priv_key,
        authProtocol=auth,
        privProtocol=priv,
    )


def _error(indication: object, target: SnmpTarget, creds: SnmpCredentials) -> CollectError:
    where = f"{target.name} (snmp {target.where})"
    if isinstance(indication, errind.RequestTimedOut):
        hint = " (a wrong v2c community gets no answer either)" if creds.version == "v2c" else ""
        return CollectError(f"{where}: no SNMP answer{hint}", CollectStatus.TIMEOUT)
    auth_errors = (
        errind.UnknownUserName,
        errind.WrongDigest,
        errind.DecryptionError,
        errind.AuthenticationError,
        errind.AuthenticationFailure,
        errind.UnknownSecurityName,
        errind.UnknownCommunityName,
    )
    if isinstance(indication, auth_errors):
        return CollectError(
            f"{where}: SNMP access refused ({indication}; credential profile {creds.profile!r})",
            CollectStatus.AUTH_FAILED,
        )
    return CollectError(f"{where}: SNMP error: {indication}", CollectStatus.BAD_OUTPUT)


class _Session:
    def __init__(
        self,
        engine: SnmpEngine,
        auth: CommunityData | UsmUserData,
        transport: UdpTransportTarget,
        target: SnmpTarget,
        creds: SnmpCredentials,
    ) -> None:
        self.engine = engine
        self.auth = auth
        self.transport = transport
        self.target = target
        self.creds = creds

    async def get(self, *oids: str) -> list[object | None]:
        ind, status, _, binds = await get_cmd(
            self.engine,
            self.auth,
            self.transport,
            ContextData(),
            *(ObjectType(ObjectIdentity(o)) for o in oids),
            lookupMib=False,
        )
        if ind:
            raise _error(ind, self.target, self.creds)
        if status:
            return [None] * len(oids)
        out: list[object | None] = []
        for _, value in binds:
            out.append(None if _is_exception(value) else value)
        return out

    async def walk(self, base: str) -> dict[Oid, object]:
        prefix = _oid(base)
        out: dict[Oid, object] = {}
        async for ind, status, _, binds in bulk_walk_cmd(
            self.engine,
            self.auth,
            self.transport,
            ContextData(),
            0,
            40,
            ObjectType(ObjectIdentity(base)),
            lexicographicMode=False,
            lookupMib=False,
        ):
            if ind:
                raise _error(ind, self.target, self.creds)
            if status:
                break
            for name, value in binds:
                oid = tuple(name)
                if oid[: len(prefix)] != prefix or _is_exception(value):
                    continue
                out[oid[len(prefix) :]] = value
        return out


def _is_exception(value: object) -> bool:
    return type(value).__name__ in ("NoSuchObject", "NoSuchInstance", "EndOfMibView", "Null")


def _text(value: object | None) -> str | None:
    if value is None:
        return None
    octets = value.asOctets() if hasattr(value, "asOctets") else str(value).encode()
    return bytes(octets).decode("utf-8", errors="replace").rstrip("\x00")


def _ip(value: object) -> IPv4Address:
    octets = value.asOctets() if hasattr(value, "asOctets") else b""
    return IPv4Address(bytes(octets))


def _int(value: object) -> int:
    return int(str(value))  # pysnmp Integer/Gauge/TimeTicks print as their number


def _columns(table: dict[Oid, object]) -> dict[int, dict[Oid, object]]:
    """{column: {index: value}} from a walked table entry."""
    out: dict[int, dict[Oid, object]] = {}
    for oid, value in table.items():
        if len(oid) >= 2:
            out.setdefault(oid[0], {})[oid[1:]] = value
    return out


def _interfaces(
    if_table: dict[Oid, object], ifx_table: dict[Oid, object], ip_table: dict[Oid, object]
) -> list[SnmpInterface]:
    ift, ifx, ipt = _columns(if_table), _columns(ifx_table), _columns(ip_table)
    addrs: dict[int, list[IPv4Interface]] = {}
    for index, ifindex in ipt.get(2, {}).items():
        if len(index) != 4:
            continue
        mask = ipt.get(3, {}).get(index)
        ip = IPv4Address(bytes(index))
        net = f"{ip}/{_ip(mask)}" if mask is not None else f"{ip}/32"
        try:
            addrs.setdefault(_int(ifindex), []).append(IPv4Interface(net))
        except ValueError:
            continue
    indexes = sorted({i[0] for i in ift.get(2, {})} | {i[0] for i in ifx.get(1, {})})
    out = []
    for i in indexes:
        descr = _text(ift.get(2, {}).get((i,)))
        name = _text(ifx.get(1, {}).get((i,))) or descr or f"ifIndex{i}"
        admin = ift.get(7, {}).get((i,))
        oper = ift.get(8, {}).get((i,))
        out.append(
            SnmpInterface(
                index=i,
                name=name,
                descr=descr,
                alias=_text(ifx.get(18, {}).get((i,))) or None,
                admin_up=None if admin is None else _int(admin) == 1,
                oper_up=None if oper is None else _int(oper) == 1,
                addresses=tuple(addrs.get(i, ())),
            )
        )
    return out


def _add_route(
    routes: dict[IPv4Network, RibRoute],
    prefix: IPv4Network,
    protocol: str,
    *,
    next_hop: IPv4Address,
    interface: str | None,
    null: bool,
) -> None:
    hop = RibNextHop(None if next_hop == IPv4Address(0) else next_hop, interface)
    route = routes.get(prefix)
    if route is None:
        routes[prefix] = RibRoute(prefix=prefix, protocol=protocol, next_hops=[hop], null=null)
    elif hop not in route.next_hops:
        route.next_hops.append(hop)


def _cidr_routes(table: dict[Oid, object], names: dict[int, str]) -> list[RibRoute]:
    cols = _columns(table)
    routes: dict[IPv4Network, RibRoute] = {}
    for index, proto in cols.get(7, {}).items():
        if len(index) != 13:
            continue
        dest, mask, nh = IPv4Address(bytes(index[:4])), IPv4Address(bytes(index[4:8])), index[9:]
        try:
            prefix = IPv4Network(f"{dest}/{mask}")
        except ValueError:
            continue
        ifindex = cols.get(5, {}).get(index)
        kind = cols.get(6, {}).get(index)
        _add_route(
            routes,
            prefix,
            ROUTE_PROTO.get(_int(proto), f"proto{_int(proto)}"),
            next_hop=IPv4Address(bytes(nh)),
            interface=names.get(_int(ifindex)) if ifindex is not None else None,
            null=kind is not None and _int(kind) == REJECT,
        )
    return list(routes.values())


def _inet_cidr_routes(table: dict[Oid, object], names: dict[int, str]) -> list[RibRoute]:
    cols = _columns(table)
    routes: dict[IPv4Network, RibRoute] = {}
    for index, proto in cols.get(9, {}).items():
        # destType.destLen.dest.pfxLen.policyLen.policy.nhType.nhLen.nh (IPv4 only)
        if len(index) < 4 or index[0] != 1 or index[1] != 4:
            continue
        dest = IPv4Address(bytes(index[2:6]))
        pfx = index[6]
        plen = index[7]
        rest = index[8 + plen :]
        if len(rest) < 2 or rest[0] != 1 or rest[1] != 4:
            continue
        try:
            prefix = IPv4Network(f"{dest}/{pfx}")
        except ValueError:
            continue
        ifindex = cols.get(7, {}).get(index)
        kind = cols.get(8, {}).get(index)
        _add_route(
            routes,
            prefix,
            ROUTE_PROTO.get(_int(proto), f"proto{_int(proto)}"),
            next_hop=IPv4Address(bytes(rest[2:6])),
            interface=names.get(_int(ifindex)) if ifindex is not None else None,
            null=kind is not None and _int(kind) == REJECT,
        )
    return list(routes.values())


async def collect_snmp_async(
    target: SnmpTarget, creds: SnmpCredentials, timeout: float = 2.0, retries: int = 1
) -> SnmpFacts:
    engine = SnmpEngine()
    try:
        transport = await UdpTransportTarget.create(
            (target.host, target.port), timeout=timeout, retries=retries
        )
        session = _Session(engine, _auth_data(creds), transport, target, creds)
        descr, name = await session.get(SYS_DESCR, SYS_NAME)
        if_table, ifx_table, ip_table, cidr = await asyncio.gather(
            session.walk(IF_ENTRY),
            session.walk(IFX_ENTRY),
            session.walk(IPADDR_ENTRY),
            session.walk(CIDR_ENTRY),
        )
        interfaces = _interfaces(if_table, ifx_table, ip_table)
        names = {i.index: i.name for i in interfaces}
        routes = _cidr_routes(cidr, names)
        if not routes:
            routes = _inet_cidr_routes(await session.walk(INET_CIDR_ENTRY), names)
    finally:
        engine.close_dispatcher()
    return SnmpFacts(
        sys_descr=_text(descr),
        sys_name=_text(name),
        interfaces=tuple(interfaces),
        routes=tuple(routes),
    )


def collect_snmp(
    target: SnmpTarget, creds: SnmpCredentials, timeout: float = 2.0, retries: int = 1
) -> SnmpFacts:
    """Collect one device's SNMP facts (blocking; runs its own event loop in this thread)."""
    return asyncio.run(collect_snmp_async(target, creds, timeout, retries))


# --------------------------------------------------------------------------- cross-check


def _key(name: str) -> str:
    return name.replace(" ", "").lower()


def _match(name: str, interfaces: Iterable[SnmpInterface]) -> SnmpInterface | None:
    key = _key(name)
    for i in interfaces:
        if _key(i.name) == key or (i.descr is not None and _key(i.descr) == key):
            return i
    return None


def cross_check(facts: SnmpFacts, device: Device) -> list[CrossCheckNote]:
    """What the agent reports against what the config says; each difference is a note."""
    notes: list[CrossCheckNote] = []
    if (
        facts.sys_name
        and device.hostname
        and _key(facts.sys_name).split(".")[0] != _key(device.hostname)
    ):
        notes.append(
            CrossCheckNote(
                NoteKind.NAME_MISMATCH,
                f"sysName is {facts.sys_name!r} but the config's hostname is {device.hostname!r}",
            )
        )
    have_addresses = any(i.addresses for i in facts.interfaces)
    for name, iface in device.interfaces.items():
        snmp = _match(name, facts.interfaces)
        if snmp is None:
            notes.append(
                CrossCheckNote(
                    NoteKind.MISSING_IN_SNMP,
                    f"{name} is configured but the SNMP agent does not list it",
                    name,
                )
            )
            continue
        if snmp.admin_up is True and iface.shutdown:
            notes.append(
                CrossCheckNote(
                    NoteKind.UP_BUT_SHUT,
                    f"{name} is administratively up in SNMP but `shutdown` in the config "
                    f"(line {iface.source.line}): the running state differs from the config",
                    name,
                )
            )
        elif snmp.admin_up is False and not iface.shutdown:
            notes.append(
                CrossCheckNote(
                    NoteKind.DOWN_BUT_ENABLED,
                    f"{name} is administratively down in SNMP but not shut in the config",
                    name,
                )
            )
        if have_addresses:
            configured = {a.address for a in iface.addresses}
            reported = set(snmp.addresses)
            if configured != reported:
                conf = ", ".join(sorted(a.with_prefixlen for a in configured)) or "none"
                seen = ", ".join(sorted(a.with_prefixlen for a in reported)) or "none"
                notes.append(
                    CrossCheckNote(
                        NoteKind.ADDRESS_MISMATCH,
                        f"{name}: addresses in SNMP ({seen}) differ from the config ({conf})",
                        name,
                    )
                )
    return notes
