"""IOS zone-based policy firewall (ZBF) → firewall zones and security rules: parse stage.

Input: the statement nodes of ``zone security``, ``class-map type inspect``,
``policy-map type inspect`` and ``zone-pair security`` (collected while the file is read) and
the interfaces' ``zone-member security``. Output: ``Device.firewall`` — one ``SecurityRule``
per (zone pair, class [, ACL entry]) in policy order, then the pair's ``class-default``; the
default between zones is deny (IOS drops traffic between zones without a zone-pair policy).
Non-inspect ``class-map``/``policy-map`` (QoS) are understood but not modelled.
"""

from __future__ import annotations

from netaudit.model import (
    Action,
    AddressMatch,
    Firewall,
    Flag,
    PortMatch,
    PortOp,
    Section,
    SecurityRule,
    ServiceMatch,
    Zone,
)
from netaudit.vendors.bangblock import Ctx, Node, ok, skip

# `match protocol NAME` → the service it inspects (IOS NBAR/inspect protocol names).
_PROTOCOLS: dict[str, list[tuple[str, int | None]]] = {
    "tcp": [("tcp", None)],
    "udp": [("udp", None)],
    "icmp": [("icmp", None)],
    "http": [("tcp", 80)],
    "https": [("tcp", 443)],
    "ssh": [("tcp", 22)],
    "telnet": [("tcp", 23)],
    "ftp": [("tcp", 21)],
    "smtp": [("tcp", 25)],
    "pop3": [("tcp", 110)],
    "imap": [("tcp", 143)],
    "dns": [("udp", 53), ("tcp", 53)],
    "ntp": [("udp", 123)],
    "snmp": [("udp", 161)],
    "tftp": [("udp", 69)],
    "bootps": [("udp", 67)],
    "isakmp": [("udp", 500)],
    "h323": [("tcp", 1720)],
    "sip": [("udp", 5060), ("tcp", 5060)],
    "ms-sql": [("tcp", 1433)],
    "mysql": [("tcp", 3306)],
    "ms-wbt": [("tcp", 3389)],
    "microsoft-ds": [("tcp", 445)],
    "ldap": [("tcp", 389)],
    "syslog": [("udp", 514)],
    "pptp": [("tcp", 1723)],
    "gre": [("gre", None)],
}

_MAX_DEPTH = 8  # nested `match class-map` chains


def _kind(words: list[str]) -> bool:
    return len(words) >= 3 and words[1].lower() == "type" and words[2].lower() == "inspect"


def h_zone(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    if len(words) == 3 and words[1].lower() == "security" and not neg:
        ctx.deferred.setdefault("zone", {})[words[2]] = node
        ok(node)
        for child in node.children:
            child.section = Section.FIREWALL
            if child.text.split()[0].lower() == "description":
                ok(child)
    elif len(words) >= 2 and words[1].lower() == "security" and neg:
        ok(node)


def h_zone_pair(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    low = [w.lower() for w in words]
    if len(words) != 7 or low[1] != "security" or low[3] != "source" or low[5] != "destination":
        return
    if neg:
        ok(node)
        return
    ctx.deferred.setdefault("zone-pair", {})[words[2]] = node
    ok(node)
    for child in node.children:
        child.section = Section.FIREWALL
        cw = child.text.split()
        if (cw and cw[0].lower() == "description") or (
            len(cw) == 4 and cw[0].lower() == "service-policy" and _kind(cw)
        ):
            ok(child)


def h_class_map(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    if not _kind(words):
        skip(node, Section.OTHER)  # QoS class-map
        return
    node.section = Section.FIREWALL
    rest = words[3:]
    if rest and rest[0].lower() in ("match-any", "match-all"):
        rest = rest[1:]
    if len(rest) != 1:
        return
    if neg:
        ok(node)
        return
    ctx.deferred.setdefault("class-map", {})[rest[0]] = node
    ok(node)
    for child in node.children:
        child.section = Section.FIREWALL
        cw = child.text.split()
        low = [w.lower() for w in cw]
        if (
            low[:1] == ["description"]
            or (low[:2] == ["match", "protocol"] and len(cw) == 3 and low[2] in _PROTOCOLS)
            or (low[:2] == ["match", "access-group"] and len(cw) in (3, 4))
            or (low[:2] == ["match", "class-map"] and len(cw) == 3)
            or (low[:2] == ["match", "any"] and len(cw) == 2)
        ):
            ok(child)


def h_policy_map(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    if not _kind(words):
        skip(node, Section.OTHER)  # QoS policy-map
        return
    node.section = Section.FIREWALL
    if len(words) != 4:
        return
    if neg:
        ok(node)
        return
    ctx.deferred.setdefault("policy-map", {})[words[3]] = node
    ok(node)
    for cls in node.children:
        cls.section = Section.FIREWALL
        cw = cls.text.split()
        low = [w.lower() for w in cw]
        if low == ["class", "class-default"] or (
            len(cw) == 4 and low[:3] == ["class", "type", "inspect"]
        ):
            ok(cls)
        else:
            continue
        for action in cls.children:
            action.section = Section.FIREWALL
            aw = action.text.split()
            if aw and aw[0].lower() in ("inspect", "pass", "drop"):
                ok(action)
            elif aw and aw[0].lower() in ("police", "urlfilter", "service-policy"):
                skip(action)


def _class_action(cls: Node) -> Action:
    for action in cls.children:
        word = action.text.split()[0].lower()
        if word in ("inspect", "pass"):
            return Action.PERMIT
        if word == "drop":
            return Action.DENY
    return Action.DENY  # a class without an action drops (IOS default)


def _services(names: list[str]) -> list[ServiceMatch]:
    out: list[ServiceMatch] = []
    for name in names:
        for proto, port in _PROTOCOLS.get(name, []):
            ports = [PortMatch(PortOp.EQ, port, port)] if port is not None else []
            out.append(ServiceMatch(proto, ports))
    return out


# One way a class can match: (source, destination, services; [] = any service).
Term = tuple[AddressMatch, AddressMatch, list[ServiceMatch]]
_ANY = AddressMatch()


def _covers(a: AddressMatch, b: AddressMatch) -> bool:
    """True when every address ``b`` matches is matched by ``a``."""
    if a.is_any:
        return True
    if a.object_group is not None or b.object_group is not None:
        return a == b
    wa, wb = int(a.wildcard), int(b.wildcard)
    return (wa | wb) == wa and a.contains(b.address)


def _meet_address(a: AddressMatch, b: AddressMatch) -> AddressMatch | None:
    if _covers(a, b):
        return b
    if _covers(b, a):
        return a
    if a.object_group is not None or b.object_group is not None:
        return b  # cannot compare an object group: keep the narrower-looking side
    return None  # disjoint


def _meet_services(a: list[ServiceMatch], b: list[ServiceMatch]) -> list[ServiceMatch] | None:
    if not a:
        return b
    if not b:
        return a
    out: list[ServiceMatch] = []
    for x in a:
        for y in b:
            if x.protocol != y.protocol:
                continue
            if not x.dst_ports:
                out.append(y)
            elif not y.dst_ports:
                out.append(x)
            else:
                common = [p for p in x.dst_ports if p in y.dst_ports]
                if common:
                    out.append(ServiceMatch(x.protocol, common))
    return out or None


def _meet(left: list[Term], right: list[Term]) -> list[Term]:
    out: list[Term] = []
    for ls, ld, lv in left:
        for rs, rd, rv in right:
            src, dst, svc = _meet_address(ls, rs), _meet_address(ld, rd), _meet_services(lv, rv)
            if src is not None and dst is not None and svc is not None:
                out.append((src, dst, svc))
    return out


def _class_terms(ctx: Ctx, cmap: Node, depth: int = 0) -> list[Term]:
    """An inspect class-map as alternatives: match-any is their union, match-all their meet."""
    words = cmap.text.split()
    match_all = not (len(words) > 3 and words[3].lower() == "match-any")
    groups: list[list[Term]] = []
    maps = ctx.deferred.get("class-map", {})
    for child in cmap.children:
        cw = child.text.split()
        low = [w.lower() for w in cw]
        if low[:2] == ["match", "protocol"] and len(cw) == 3:
            groups.append([(_ANY, _ANY, [svc]) for svc in _services([low[2]])])
        elif low[:2] == ["match", "access-group"]:
            acl = ctx.dev.acls.get(cw[-1])
            terms: list[Term] = []
            for entry in acl.rules if acl is not None else []:
                if entry.action is not Action.PERMIT:
                    continue
                svc = (
                    []
                    if entry.protocol == "ip"
                    else [ServiceMatch(entry.protocol, list(entry.dst_ports))]
                )
                terms.append((entry.src, entry.dst, svc))
            groups.append(terms)
        elif low[:2] == ["match", "class-map"] and len(cw) == 3:
            nested = maps.get(cw[2])
            if nested is not None and depth < _MAX_DEPTH:
                groups.append(_class_terms(ctx, nested, depth + 1))
            else:
                groups.append([])
        elif low[:2] == ["match", "any"]:
            groups.append([(_ANY, _ANY, [])])
    if not groups:
        return []
    if not match_all:
        return [t for g in groups for t in g]
    result = groups[0]
    for g in groups[1:]:
        result = _meet(result, g)
    return result


def _class_rules(ctx: Ctx, cmap: Node, base: SecurityRule) -> list[SecurityRule]:
    rules: list[SecurityRule] = []
    terms = _class_terms(ctx, cmap)
    for n, (src, dst, svc) in enumerate(terms, start=1):
        rule = SecurityRule(
            base.name if len(terms) == 1 else f"{base.name}#{n}",
            base.action,
            base.source,
            source_zones=list(base.source_zones),
            destination_zones=list(base.destination_zones),
            source_addresses=[] if src.is_any else [src],
            destination_addresses=[] if dst.is_any else [dst],
            services=list(svc),
        )
        rules.append(rule)
    return rules


def finalize(ctx: Ctx) -> None:
    zones = ctx.deferred.get("zone", {})
    pairs = ctx.deferred.get("zone-pair", {})
    members = {i.zone for i in ctx.dev.interfaces.values() if i.zone}
    if not zones and not pairs and not members:
        return
    fw = Firewall()
    for name, node in zones.items():
        fw.zones[name] = Zone(name, ctx.src(node))
    for itf in ctx.dev.interfaces.values():
        if itf.zone is not None:
            zone = fw.zones.setdefault(itf.zone, Zone(itf.zone, itf.source))
            zone.interfaces.append(itf.name)
    cmaps = ctx.deferred.get("class-map", {})
    pmaps = ctx.deferred.get("policy-map", {})
    for pair_name, pair in pairs.items():
        words = pair.text.split()
        src_zone, dst_zone = words[4], words[6]
        policy = None
        for child in pair.children:
            cw = child.text.split()
            if len(cw) == 4 and cw[0].lower() == "service-policy":
                policy = pmaps.get(cw[3])
        if policy is None:
            continue
        for cls in policy.children:
            cw = cls.text.split()
            if cls.status.value != "recognized" or len(cw) < 2:
                continue
            class_name = cw[-1]
            base = SecurityRule(
                f"{pair_name}/{class_name}",
                _class_action(cls),
                ctx.src(cls),
                source_zones=[src_zone],
                destination_zones=[dst_zone],
            )
            if class_name == "class-default":
                fw.rules.append(base)
            elif class_name in cmaps:
                fw.rules.extend(_class_rules(ctx, cmaps[class_name], base))
    first = next(iter(zones.values()), None)
    fw.default_action = Flag(
        False,
        ctx.src(first) if first is not None else None,
        explicit=False,
        note="IOS zone-based firewall: traffic between zones without a zone-pair policy is "
        "dropped; traffic inside one zone passes",
    )
    ctx.dev.firewall = fw
    ctx.dev.is_firewall = True
