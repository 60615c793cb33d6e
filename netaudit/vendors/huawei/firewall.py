"""Huawei USG and AR firewall statements (``huawei`` platform): parse stage, statement handlers.

Input: statements dispatched by the shared ``#``-block engine (``netaudit.vendors.hashblock``).
Output: the firewall and NAT parts of the ``Device``: zones (``firewall zone``), USG6000
``security-policy`` rules and default action, older USG ``policy interzone`` and
``firewall packet-filter default``, AR ``firewall interzone`` packet filters, address and service
sets, ``nat-policy`` (and old ``nat-policy interzone``), ``nat address-group`` in its USG
(view) and AR (one line) forms, and top-level ``nat server`` / ``nat static``.
"""

from __future__ import annotations

from netaudit.model import (
    Action,
    AddressMatch,
    Flag,
    LineStatus,
    Section,
    SecurityRule,
    ServiceMatch,
    SourceNat,
)
from netaudit.vendors.hashblock import (
    Ctx,
    Entry,
    RuleView,
    Stmt,
    SwallowView,
    Table,
    View,
    address_set,
    as_address,
    get_zone,
    ip4,
    keywords,
    nat_pool,
    parse_address_member,
    parse_nat_server,
    predefined_service,
    service_from_words,
    set_pool_range,
    to_int,
    unsupported,
    wildcard,
)

FW = Section.FIREWALL


# --------------------------------------------------------------------------- zones


class ZoneView(View):
    section = FW

    def __init__(self, name: str) -> None:
        self.name = name

    def table(self, ctx: Ctx) -> Table:
        return ZONE_TABLE


def _firewall(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """``firewall zone [name] Z [id N]`` / ``firewall packet-filter default ...`` /
    ``firewall interzone Z1 Z2`` (AR)."""
    w = st.lw
    words = st.words
    if len(w) < 2:
        return None
    if w[1] == "zone" and len(w) >= 3:
        i = 3 if w[2] == "name" else 2
        if i >= len(w):
            return None
        name = words[i]
        if st.neg:
            fw = ctx.firewall()
            fw.zones.pop(name, None)
            ctx.ok(st, FW)
            return None
        zone = get_zone(ctx, name, ctx.ok(st, FW))
        ctx.facts.setdefault("firewall", zone.source)
        return ZoneView(zone.name)
    if w[1] == "packet-filter" and len(w) >= 4 and w[2] == "default":
        _packet_filter_default(ctx, st)
        return None
    if w[1] == "interzone" and len(w) == 4:
        src = ctx.ok(st, FW)
        ctx.facts.setdefault("firewall", src)
        return InterzoneView(words[2], words[3], ar=True)
    if w[1] in _FIREWALL_UNSUPPORTED:
        ctx.skip(st, FW)
        return SwallowView(LineStatus.UNSUPPORTED, FW)
    return None


_FIREWALL_UNSUPPORTED = keywords(
    """defend detect session statistic blacklist mac-binding ids dataplane ip-fragment-cache
    packet-filter-basic-protocol interzone-packet-filter enable fragment-reassemble
    ipv6 url-filter log alg stateful hrp ip-carnumber server-map logging-stream
    statistics traffic-statistic tcp-mss"""
)


def _packet_filter_default(ctx: Ctx, st: Stmt) -> None:
    """Old USG: ``firewall packet-filter default permit|deny all|interzone Z1 Z2 [direction D]``."""
    w = st.lw
    words = st.words
    action = w[3] if len(w) > 3 else ""
    if action not in ("permit", "deny") or len(w) < 5:
        return
    src = ctx.ok(st, FW)
    fw = ctx.firewall()
    ctx.facts.setdefault("firewall", src)
    permit = action == "permit"
    if st.neg:
        permit = False
    if w[4] == "all":
        fw.default_action = Flag(permit, src, explicit=True)
        return
    if w[4] == "interzone" and len(w) >= 7:
        z1, z2 = words[5], words[6]
        direction = w[8] if len(w) >= 9 and w[7] == "direction" else None
        rule = SecurityRule(
            f"default {z1} {z2}" + (f" {direction}" if direction else ""),
            Action.PERMIT if permit else Action.DENY,
            src,
        )
        fw.rules.append(rule)
        ctx.interzone.append((rule, z1, z2, direction))


def z_priority(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, ZoneView)
    w = st.lw
    n = 2 if w[:2] == ["set", "priority"] else 1
    if len(w) != n + 1:
        return
    value = to_int(w[n], 0, 100)
    if value is None:
        return
    ctx.ok(st, FW)
    zone = ctx.firewall().zones.get(view.name)
    if zone is not None:
        zone.priority = None if st.neg else value


def z_add_interface(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, ZoneView)
    found = ctx.interface_at(st.words, 2)
    if found is None or found[1] != len(st.words):
        return
    zone = ctx.firewall().zones.get(view.name)
    if zone is None:
        return
    ctx.ok(st, FW)
    name = found[0]
    if st.neg:
        zone.interfaces = [i for i in zone.interfaces if i != name]
    elif name not in zone.interfaces:
        zone.interfaces.append(name)


ZONE_TABLE: dict[str, Entry] = {
    "set priority": (FW, z_priority),
    "priority": (FW, z_priority),
    "add interface": (FW, z_add_interface),
    "description": (FW, None),
    "detect": (FW, None),
    "statistic": (FW, None),
}


# --------------------------------------------------------------------------- USG6000 policy


class SecurityPolicyView(View):
    section = FW

    def table(self, ctx: Ctx) -> Table:
        return SECURITY_POLICY_TABLE


def _security_policy(ctx: Ctx, st: Stmt, view: View) -> View | None:
    if len(st.words) != 1 or st.neg:
        return None
    src = ctx.ok(st, FW)
    ctx.facts.setdefault("security-policy", src)
    ctx.firewall()
    return SecurityPolicyView()


def sp_rule(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """``rule name X`` (USG6000); ``rule move ...`` is an operation, not config."""
    w = st.lw
    if len(w) < 3 or w[1] != "name":
        return None
    name = st.words[2] if len(w) == 3 else " ".join(st.words[2:])
    fw = ctx.firewall()
    if st.neg:
        fw.rules = [r for r in fw.rules if r.name != name]
        ctx.ok(st, FW)
        return None
    rule = next((r for r in fw.rules if r.name == name), None)
    if rule is None:
        # USG6000: a rule without `action` does not match traffic as permit.
        rule = SecurityRule(name, Action.DENY, ctx.ok(st, FW))
        fw.rules.append(rule)
    else:
        ctx.ok(st, FW)
    return RuleView(rule, SECURITY_RULE_TABLE)


def sp_default(ctx: Ctx, st: Stmt, view: View) -> None:
    """``default action permit|deny``; ``default packet-filter intrazone enable`` etc."""
    w = st.lw
    if len(w) == 3 and w[1] == "action" and w[2] in ("permit", "deny"):
        src = ctx.ok(st, FW)
        permit = w[2] == "permit" and not st.neg
        ctx.firewall().default_action = Flag(permit, src, explicit=True)
    elif len(w) >= 2 and w[1] in ("packet-filter", "policy", "session", "log"):
        ctx.skip(st, FW)


def _zone_list(ctx: Ctx, st: Stmt, current: list[str]) -> bool:
    names = st.words[1:]
    if not names:
        return False
    if st.neg:
        current[:] = [z for z in current if z not in names]
    else:
        current += [z for z in names if z not in current]
    return True


def r_source_zone(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, RuleView)
    if _zone_list(ctx, st, view.rule.source_zones):
        ctx.ok(st, FW)


def r_destination_zone(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, RuleView)
    if _zone_list(ctx, st, view.rule.destination_zones):
        ctx.ok(st, FW)


def _policy_address(ctx: Ctx, st: Stmt, current: list[AddressMatch]) -> bool:
    got = as_address(ctx, st.lw, st.words, 1)
    if got is None:
        return False
    if st.neg:
        current[:] = [a for a in current if a not in got]
    else:
        current += [a for a in got if not a.is_any]
    return True


def r_source_address(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, RuleView)
    if _policy_address(ctx, st, view.rule.source_addresses):
        ctx.ok(st, FW)


def r_destination_address(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, RuleView)
    if _policy_address(ctx, st, view.rule.destination_addresses):
        ctx.ok(st, FW)


def parse_services(ctx: Ctx, st: Stmt) -> list[ServiceMatch] | None:
    """``service NAME...`` (predefined or ``ip service-set``) / ``service protocol P ...``."""
    w = st.lw
    if len(w) < 2:
        return None
    if w[1] == "protocol":
        got = service_from_words(w, 2)
        return [got[0]] if got is not None and got[1] == len(w) else None
    out: list[ServiceMatch] = []
    fw = ctx.firewall()
    for name in st.words[1:]:
        if name in fw.service_sets:
            out += fw.service_sets[name]
            continue
        pre = predefined_service(name)
        if pre is None:
            return None
        out += pre
    return out


def r_service(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, RuleView)
    services = parse_services(ctx, st)
    if services is None:
        return
    rule = view.rule
    if st.neg:
        rule.services = [s for s in rule.services if s not in services]
    elif any(s.protocol == "ip" for s in services):
        rule.services = []
    else:
        rule.services += services
    ctx.ok(st, FW)


def r_action(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, RuleView)
    w = st.lw
    if len(w) == 2 and w[1] in ("permit", "deny"):
        view.rule.action = Action(w[1])
        ctx.ok(st, FW)


def r_disable(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, RuleView)
    if len(st.words) == 1:
        view.rule.enabled = st.lw[0] == "enable" if not st.neg else st.lw[0] != "enable"
        ctx.ok(st, FW)


SECURITY_POLICY_TABLE: dict[str, Entry] = {
    "rule": (FW, sp_rule),
    "default": (FW, sp_default),
    **unsupported(FW, "description group"),
}
SECURITY_RULE_TABLE: dict[str, Entry] = {
    "source-zone": (FW, r_source_zone),
    "destination-zone": (FW, r_destination_zone),
    "source-address": (FW, r_source_address),
    "destination-address": (FW, r_destination_address),
    "service": (FW, r_service),
    "action": (FW, r_action),
    "disable": (FW, r_disable),
    "enable": (FW, r_disable),
    **unsupported(
        FW,
        """description profile policy session time-range application user user-group
        long-link parent-group category source-address-exclude destination-address-exclude
        access-authentication schedule tag traffic-intelligence response-profile""",
    ),
}


# --------------------------------------------------------------------------- sets


def _ip(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """USG ``ip address-set NAME type object|group`` / ``ip service-set NAME type object``."""
    w = st.lw
    if len(w) < 3:
        return None
    if w[1] == "address-set":
        if st.neg:
            ctx.firewall().address_sets.pop(st.words[2], None)
            ctx.ok(st, FW)
            return None
        return address_set(ctx, st, st.words[2])
    if w[1] == "service-set":
        name = st.words[2]
        fw = ctx.firewall()
        if st.neg:
            fw.service_sets.pop(name, None)
            ctx.ok(st, FW)
            return None
        fw.service_sets.setdefault(name, [])
        ctx.ok(st, FW)
        return ServiceSetView(name)
    return None


class ServiceSetView(View):
    section = FW

    def __init__(self, name: str) -> None:
        self.name = name

    def table(self, ctx: Ctx) -> Table:
        return SERVICE_SET_TABLE


def ss_service(ctx: Ctx, st: Stmt, view: View) -> None:
    """``service [N] protocol tcp [source-port A to B] destination-port C [to D]``."""
    assert isinstance(view, ServiceSetView)
    w = st.lw
    i = 1
    if i < len(w) and w[i].isdigit():
        i += 1
    if i < len(w) and w[i] == "protocol":
        got = service_from_words(w, i + 1)
        if got is None or got[1] != len(w):
            return
        if not st.neg:
            ctx.firewall().service_sets[view.name].append(got[0])
        ctx.ok(st, FW)
    elif i < len(w) and w[i] == "service-set" and i + 1 < len(w):
        fw = ctx.firewall()
        fw.service_sets[view.name] += fw.service_sets.get(st.words[i + 1], [])
        ctx.ok(st, FW)


SERVICE_SET_TABLE: dict[str, Entry] = {
    "service": (FW, ss_service),
    "description": (FW, None),
}


# --------------------------------------------------------------------------- old USG interzone


class InterzoneView(View):
    """``policy interzone Z1 Z2 inbound|outbound`` (USG V100/V300) or AR ``firewall interzone``."""

    section = FW

    def __init__(self, z1: str, z2: str, direction: str | None = None, ar: bool = False) -> None:
        self.z1, self.z2, self.direction, self.ar = z1, z2, direction, ar

    def table(self, ctx: Ctx) -> Table:
        return AR_INTERZONE_TABLE if self.ar else INTERZONE_TABLE


def _policy(ctx: Ctx, st: Stmt, view: View) -> View | None:
    w = st.lw
    if len(w) == 5 and w[1] == "interzone" and w[4] in ("inbound", "outbound"):
        src = ctx.ok(st, FW)
        ctx.facts.setdefault("firewall", src)
        ctx.firewall()
        return InterzoneView(st.words[2], st.words[3], w[4])
    return None


def iz_policy(ctx: Ctx, st: Stmt, view: View) -> View | None:
    assert isinstance(view, InterzoneView)
    w = st.lw
    if len(w) != 2 or not w[1].isdigit():
        return None
    name = f"interzone {view.z1} {view.z2} {view.direction} policy {w[1]}"
    fw = ctx.firewall()
    if st.neg:
        fw.rules = [r for r in fw.rules if r.name != name]
        ctx.ok(st, FW)
        return None
    rule = SecurityRule(name, Action.DENY, ctx.ok(st, FW))
    fw.rules.append(rule)
    ctx.interzone.append((rule, view.z1, view.z2, view.direction))
    return RuleView(rule, INTERZONE_RULE_TABLE)


def izr_action(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, RuleView)
    if len(st.lw) == 2 and st.lw[1] in ("permit", "deny"):
        view.rule.action = Action(st.lw[1])
        ctx.ok(st, FW)


def _old_address(ctx: Ctx, st: Stmt, i: int) -> list[AddressMatch] | None:
    """``A W`` (wildcard) / ``A 0`` / ``address-set X`` / ``range A B`` / ``any``."""
    w = st.lw
    if i < len(w) and ip4(w[i]) is not None and i + 1 < len(w):
        a = ip4(w[i])
        wc = wildcard(w[i + 1])
        if a is not None and wc is not None and i + 2 == len(w):
            return [AddressMatch(a, wc)]
    return as_address(ctx, w, st.words, i)


def izr_policy(ctx: Ctx, st: Stmt, view: View) -> None:
    """``policy source|destination ...`` / ``policy service service-set X``."""
    assert isinstance(view, RuleView)
    w = st.lw
    rule = view.rule
    if len(w) < 3:
        return
    if w[1] in ("source", "destination"):
        got = _old_address(ctx, st, 2)
        if got is None:
            return
        target = rule.source_addresses if w[1] == "source" else rule.destination_addresses
        if not st.neg:
            target += [a for a in got if not a.is_any]
        ctx.ok(st, FW)
    elif w[1] == "service" and len(w) >= 4 and w[2] == "service-set":
        fake = Stmt(st.line, st.text, st.indent, st.neg, ["service", *st.words[3:]],
                    ["service", *w[3:]])  # fmt: skip
        services = parse_services(ctx, fake)
        if services is None:
            return
        if not st.neg:
            rule.services += [s for s in services if s.protocol != "ip"]
        ctx.ok(st, FW)
    elif w[1] in ("logging", "time-range", "alarm"):
        ctx.skip(st, FW)


INTERZONE_TABLE: dict[str, Entry] = {
    "policy": (FW, iz_policy),
    "description": (FW, None),
}
INTERZONE_RULE_TABLE: dict[str, Entry] = {
    "action": (FW, izr_action),
    "policy": (FW, izr_policy),
    **unsupported(FW, "description session profile"),
}


def arz_firewall(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, InterzoneView)
    if st.lw == ["firewall", "enable"]:
        ctx.ok(st, FW)
        if not st.neg:
            ctx.facts.setdefault(f"interzone-enabled:{view.z1}:{view.z2}", ctx.src(st))


def arz_packet_filter(ctx: Ctx, st: Stmt, view: View) -> None:
    """AR: ``packet-filter 3000 inbound|outbound`` inside ``firewall interzone Z1 Z2``."""
    assert isinstance(view, InterzoneView)
    w = st.lw
    if len(w) != 3 or w[2] not in ("inbound", "outbound"):
        return
    src = ctx.ok(st, FW)
    if st.neg:
        return
    rule = SecurityRule(
        f"interzone {view.z1} {view.z2} {w[2]} packet-filter {w[1]}",
        Action.PERMIT,
        src,
        acl=ctx.acl_key(st.words[1]),
    )
    ctx.firewall().rules.append(rule)
    ctx.interzone.append((rule, view.z1, view.z2, w[2]))


AR_INTERZONE_TABLE: dict[str, Entry] = {
    "firewall": (FW, arz_firewall),
    "packet-filter": (FW, arz_packet_filter),
    **unsupported(FW, "detect statistic session asp description"),
}


def resolve_interzones(ctx: Ctx) -> None:
    """Interzone directions → source/destination zones: outbound leaves the higher-priority
    zone for the lower one (USG and AR), inbound the reverse; no direction = both."""
    for rule, z1, z2, direction in ctx.interzone:
        if direction is None:
            rule.source_zones, rule.destination_zones = [z1, z2], [z1, z2]
            continue
        p1 = _priority(ctx, z1)
        p2 = _priority(ctx, z2)
        high, low = (z1, z2) if (p1 or 0) >= (p2 or 0) else (z2, z1)
        if direction == "outbound":
            rule.source_zones, rule.destination_zones = [high], [low]
        else:
            rule.source_zones, rule.destination_zones = [low], [high]


def _priority(ctx: Ctx, name: str) -> int | None:
    fw = ctx.fw
    if fw is None:
        return None
    for zone in fw.zones.values():
        if zone.name.casefold() == name.casefold():
            return zone.priority
    return {"local": 100, "trust": 85, "dmz": 50, "untrust": 5}.get(name.lower())


# --------------------------------------------------------------------------- NAT


class NatPolicyView(View):
    section = Section.NAT

    def table(self, ctx: Ctx) -> Table:
        return NAT_POLICY_TABLE


class NatRuleView(View):
    section = Section.NAT

    def __init__(self, nat: SourceNat, old: bool = False) -> None:
        self.nat = nat
        self.has_action = False
        self.old = old

    def table(self, ctx: Ctx) -> Table:
        return OLD_NAT_RULE_TABLE if self.old else NAT_RULE_TABLE

    def close(self, ctx: Ctx) -> None:
        if self.has_action:
            ctx.dev.nat.source_rules.append(self.nat)


def _nat_policy(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """USG6000 ``nat-policy``; old USG ``nat-policy interzone Z1 Z2 outbound``."""
    w = st.lw
    if len(w) == 1 and not st.neg:
        ctx.ok(st, Section.NAT)
        return NatPolicyView()
    if len(w) == 5 and w[1] == "interzone":
        ctx.ok(st, Section.NAT)
        return OldNatPolicyView(st.words[2], st.words[3], w[4])
    return None


def np_rule(ctx: Ctx, st: Stmt, view: View) -> View | None:
    w = st.lw
    if len(w) < 3 or w[1] != "name":
        return None
    src = ctx.ok(st, Section.NAT)
    if st.neg:
        return None
    return NatRuleView(SourceNat(src))


def nr_zone(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, NatRuleView)
    target = view.nat.source_zones if st.lw[0] == "source-zone" else view.nat.destination_zones
    if _zone_list(ctx, st, target):
        ctx.ok(st, Section.NAT)


def nr_source_address(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, NatRuleView)
    if _policy_address(ctx, st, view.nat.source_addresses):
        ctx.ok(st, Section.NAT)


def nr_egress(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, NatRuleView)
    found = ctx.interface_at(st.words, 1)
    if found is not None:
        view.nat.interface = found[0]
        ctx.ok(st, Section.NAT)


def nr_action(ctx: Ctx, st: Stmt, view: View) -> None:
    """``action source-nat easy-ip|address-group G`` / ``action no-nat`` /
    ``action nat address-group G`` (V100R) / ``action source-nat`` (old interzone form)."""
    assert isinstance(view, NatRuleView)
    w = st.lw
    nat = view.nat
    if w[1:] == ["no-nat"] or w[1:] == ["no-nat", "source"]:
        nat.no_nat = True
    elif w[1:3] in (["source-nat", "easy-ip"], ["nat", "easy-ip"]):
        nat.easy_ip = True
    elif len(w) == 4 and w[1] in ("source-nat", "nat") and w[2] == "address-group":
        nat.pool = st.words[3]
    elif w[1:] == ["source-nat"] and view.old:
        pass
    elif len(w) >= 2 and w[1] in ("destination-nat", "nat-server"):
        ctx.skip(st, Section.NAT)
        return
    else:
        return
    view.has_action = True
    ctx.ok(st, Section.NAT)


NAT_POLICY_TABLE: dict[str, Entry] = {
    "rule": (Section.NAT, np_rule),
    **unsupported(Section.NAT, "description"),
}
NAT_RULE_TABLE: dict[str, Entry] = {
    "source-zone": (Section.NAT, nr_zone),
    "destination-zone": (Section.NAT, nr_zone),
    "source-address": (Section.NAT, nr_source_address),
    "egress-interface": (Section.NAT, nr_egress),
    "action": (Section.NAT, nr_action),
    **unsupported(
        Section.NAT,
        """description destination-address service disable enable time-range
        source-address-exclude destination-address-exclude""",
    ),
}


class OldNatPolicyView(View):
    section = Section.NAT

    def __init__(self, z1: str, z2: str, direction: str) -> None:
        self.z1, self.z2, self.direction = z1, z2, direction

    def table(self, ctx: Ctx) -> Table:
        return OLD_NAT_POLICY_TABLE


def onp_policy(ctx: Ctx, st: Stmt, view: View) -> View | None:
    assert isinstance(view, OldNatPolicyView)
    if len(st.lw) != 2 or not st.lw[1].isdigit():
        return None
    src = ctx.ok(st, Section.NAT)
    nat = SourceNat(src)
    high, low = view.z1, view.z2
    if (_priority(ctx, view.z1) or 0) < (_priority(ctx, view.z2) or 0):
        high, low = low, high
    if view.direction == "outbound":
        nat.source_zones, nat.destination_zones = [high], [low]
    else:
        nat.source_zones, nat.destination_zones = [low], [high]
    return NatRuleView(nat, old=True)


def onr_policy(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, NatRuleView)
    w = st.lw
    if len(w) >= 3 and w[1] == "source":
        got = _old_address(ctx, st, 2)
        if got is not None:
            view.nat.source_addresses += [a for a in got if not a.is_any]
            ctx.ok(st, Section.NAT)
    elif len(w) >= 3 and w[1] in ("destination", "service"):
        ctx.skip(st, Section.NAT)


def onr_address_group(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, NatRuleView)
    w = st.lw
    if len(w) in (2, 3):
        view.nat.pool = st.words[1]
        view.has_action = True
        ctx.ok(st, Section.NAT)


def onr_easy_ip(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, NatRuleView)
    found = ctx.interface_at(st.words, 1)
    if found is not None:
        view.nat.interface = found[0]
        view.nat.easy_ip = True
        view.has_action = True
        ctx.ok(st, Section.NAT)


OLD_NAT_POLICY_TABLE: dict[str, Entry] = {
    "policy": (Section.NAT, onp_policy),
    **unsupported(Section.NAT, "description"),
}
OLD_NAT_RULE_TABLE: dict[str, Entry] = {
    "action": (Section.NAT, nr_action),
    "policy": (Section.NAT, onr_policy),
    "address-group": (Section.NAT, onr_address_group),
    "easy-ip": (Section.NAT, onr_easy_ip),
    **unsupported(Section.NAT, "description"),
}


class AddressGroupView(View):
    """USG ``nat address-group NAME [N]``: members print at the header's own indent."""

    section = Section.NAT
    flat = True

    def __init__(self, name: str) -> None:
        self.name = name

    def table(self, ctx: Ctx) -> Table:
        return ADDRESS_GROUP_TABLE


def ag_section(ctx: Ctx, st: Stmt, view: View) -> None:
    """``section [N] A [B]``."""
    assert isinstance(view, AddressGroupView)
    w = st.lw
    args = w[1:]
    if args and args[0].isdigit() and len(args) >= 2 and ip4(args[0]) is None:
        args = args[1:]
    if not args or len(args) > 2:
        return
    pool = nat_pool(ctx, view.name, ctx.src(st))
    if set_pool_range(pool, args[0], args[1] if len(args) == 2 else None):
        ctx.ok(st, Section.NAT)


ADDRESS_GROUP_TABLE: dict[str, Entry] = {
    "section": (Section.NAT, ag_section),
    **unsupported(Section.NAT, "mode route description smart-nopat vrrp nat-mode"),
}


def _nat(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """``nat address-group G [N]`` (USG view) or ``nat address-group N A B`` (AR);
    ``nat server ...``; ``nat static global A inside B``; ``nat alg ...``."""
    w = st.lw
    words = st.words
    if len(w) < 2:
        return None
    if w[1] == "address-group" and len(w) >= 3:
        name = words[2]
        src = ctx.src(st)
        if st.neg:
            ctx.dev.nat.pools.pop(name, None)
            ctx.ok(st, Section.NAT)
            return None
        rest = w[3:]
        if len(rest) >= 2 and ip4(rest[0]) is not None:
            # AR: nat address-group 1 203.0.113.10 203.0.113.20
            pool = nat_pool(ctx, name, src)
            if not set_pool_range(pool, rest[0], rest[1]):
                return None
            ctx.ok(st, Section.NAT)
            return None
        if len(rest) > 1 or (rest and not rest[0].isdigit()):
            return None
        nat_pool(ctx, name, src)
        ctx.ok(st, Section.NAT)
        return AddressGroupView(name)
    if w[1] in ("server", "static") and "inside" in w:
        rule = parse_nat_server(ctx, st, 2)
        if rule is None:
            return None
        ctx.ok(st, Section.NAT)
        if not st.neg:
            ctx.dev.nat.static_rules.append(rule)
        return None
    if w[1] in ("alg", "dns-map", "session", "mapping-mode", "port-range", "ftp-alg"):
        ctx.skip(st, Section.NAT)
        return SwallowView(LineStatus.UNSUPPORTED, Section.NAT)
    return None


# --------------------------------------------------------------------------- web manager


def _web_manager(ctx: Ctx, st: Stmt, view: View) -> None:
    """USG ``web-manager enable`` (HTTP) / ``web-manager security enable`` (HTTPS)."""
    w = st.lw
    m = ctx.dev.mgmt
    if w == ["web-manager", "enable"]:
        m.http_server = Flag(not st.neg, ctx.ok(st, Section.SERVICES), explicit=True)
    elif w == ["web-manager", "security", "enable"]:
        m.https_server = Flag(not st.neg, ctx.ok(st, Section.SERVICES), explicit=True)
    elif len(w) >= 2:
        ctx.skip(st, Section.SERVICES)


TOP: dict[str, Entry] = {
    "firewall": (FW, _firewall),
    "security-policy": (FW, _security_policy),
    "ip address-set": (FW, _ip),
    "ip service-set": (FW, _ip),
    "policy interzone": (FW, _policy),
    "nat-policy": (Section.NAT, _nat_policy),
    "nat": (Section.NAT, _nat),
    "web-manager": (Section.SERVICES, _web_manager),
}

__all__ = ["TOP", "parse_address_member", "resolve_interzones"]
