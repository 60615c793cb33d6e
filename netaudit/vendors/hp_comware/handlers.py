"""H3C Comware 5/7 statements (``hp_comware``): parse stage, statement handlers.

Input: statements dispatched by the shared ``#``-block engine (``netaudit.vendors.hashblock``).
Output: the Comware-only parts of the ``Device``: the version line, ``local-user`` views,
``line`` / ``line class`` (v7), ``ip http|https`` servers, ``password-control``, interface
``packet-filter``, security zones (v7 ``security-zone`` / v5 ``zone name``), ``zone-pair
security`` with ``packet-filter`` or ``object-policy apply``, v5 SecPath ``interzone`` policies
(rules and the ``by-priority`` default), ``object-policy ip``,
``security-policy ip`` (v7 newer releases), ``object-group`` address and service sets, and
NAT address groups (v7 view / v5 one line) and ``nat static``.
"""

from __future__ import annotations

from netaudit.model import (
    DEFAULT_VRF,
    Action,
    AddressMatch,
    Flag,
    IntSetting,
    LineStatus,
    Section,
    SecurityRule,
    ServiceMatch,
    StaticNat,
    vrf_key,
)
from netaudit.vendors.hashblock import (
    AddressSetView,
    Ctx,
    Entry,
    InterfaceView,
    RuleView,
    Stmt,
    SwallowView,
    Table,
    UserView,
    View,
    address_set,
    get_zone,
    ip4,
    keywords,
    nat_pool,
    parse_address_member,
    parse_port,
    predefined_service,
    protocol_name,
    rest_after,
    set_pool_range,
    to_int,
    unsupported,
    user,
)

FW = Section.FIREWALL
PP = Section.PASSWORD_POLICY


def seen_v7(ctx: Ctx, st: Stmt) -> None:
    ctx.facts.setdefault("comware7", ctx.src(st))


def seen_v5(ctx: Ctx, st: Stmt) -> None:
    ctx.facts.setdefault("comware5", ctx.src(st))


# --------------------------------------------------------------------------- system


def h_version(ctx: Ctx, st: Stmt, view: View) -> None:
    """`` version 7.1.064, Release 0427P22`` (the first statement Comware prints)."""
    if st.neg or len(st.words) < 2:
        return
    ctx.dev.os_version = rest_after(st.text, 1)
    major = st.words[1].split(".")[0]
    if major.isdigit():
        ctx.comware_major = int(major)
    ctx.ok(st, Section.SYSTEM)


def h_local_user(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """``local-user U [class manage|network]``; network-class users are access users."""
    w = st.lw
    if len(w) < 2:
        return None
    name = st.words[1]
    rest = w[2:]
    if rest == ["class", "network"]:
        ctx.skip(st, Section.USERS)
        return SwallowView(LineStatus.UNSUPPORTED, Section.USERS)
    if rest not in ([], ["class", "manage"]):
        return None
    if rest:
        seen_v7(ctx, st)
    if st.neg:
        ctx.dev.mgmt.users = [u for u in ctx.dev.mgmt.users if u.name != name]
        ctx.ok(st, Section.USERS)
        return None
    u = user(ctx, name, ctx.ok(st, Section.USERS))
    return UserView(u)


def h_ip(ctx: Ctx, st: Stmt, view: View) -> None:
    """``ip http enable`` / ``ip https enable`` / ``ip http acl N`` (Comware 5 and 7)."""
    w = st.lw
    m = ctx.dev.mgmt
    if w == ["ip", "http", "enable"]:
        m.http_server = Flag(not st.neg, ctx.ok(st, Section.SERVICES), explicit=True)
    elif w == ["ip", "https", "enable"]:
        m.https_server = Flag(not st.neg, ctx.ok(st, Section.SERVICES), explicit=True)
    elif len(w) >= 4 and w[1] in ("http", "https") and w[2] == "acl":
        name = st.words[4] if w[3] in ("name", "advanced", "basic") and len(w) > 4 else st.words[3]
        if w[3] == "ipv6":
            ctx.skip(st, Section.SERVICES)
            return
        ctx.ok(st, Section.SERVICES)
        m.http_acl = None if st.neg else ctx.acl_key(name)
    elif len(w) >= 2 and w[1] in ("http", "https"):
        ctx.skip(st, Section.SERVICES)


# --------------------------------------------------------------------------- password-control


def h_password_control(ctx: Ctx, st: Stmt, view: View) -> None:
    """``password-control enable | length N | composition type-number N [type-length M] |
    aging N | login-attempt N [exceed lock|unlock|lock-time T] | {aging|length|composition|
    history} enable | history N | ...`` (Comware global password policy)."""
    w = st.lw
    pol = ctx.dev.mgmt.password_policy
    if len(w) < 2:
        return
    sub = w[1]
    src = ctx.src(st)
    if w[1:] == ["enable"]:
        ctx.facts["password-control"] = src
        if st.neg:
            ctx.facts["password-control-off"] = src
        ctx.ok(st, PP)
    elif sub == "length" and len(w) == 3 and w[2] != "enable":
        value = to_int(w[2], 0, 128)
        if value is None:
            return
        pol.min_length = IntSetting(None, src) if st.neg else IntSetting(value, src, explicit=True)
        ctx.ok(st, PP)
    elif sub == "composition" and len(w) >= 4 and w[2] == "type-number":
        value = to_int(w[3], 1, 4)
        if value is None:
            return
        pol.complexity = Flag(value >= 2 and not st.neg, src, explicit=True)
        ctx.ok(st, PP)
    elif sub == "aging" and len(w) == 3 and w[2] != "enable":
        value = to_int(w[2], 0, 365)
        if value is None:
            return
        pol.max_age_days = (
            IntSetting(None, src) if st.neg else IntSetting(value, src, explicit=True)
        )
        ctx.ok(st, PP)
    elif sub in ("aging", "length", "composition") and w[2:] == ["enable"]:
        ctx.facts[f"password-control-{sub}-{'off' if st.neg else 'on'}"] = src
        ctx.ok(st, PP)
    elif sub == "login-attempt" and len(w) >= 3:
        attempts = to_int(w[2], 1, 100)
        if attempts is None:
            return
        minutes: int | None = None
        if w[3:4] == ["exceed"] and len(w) >= 5:
            if w[4] == "unlock":
                attempts = 0
            elif w[4] == "lock-time" and len(w) == 6:
                minutes = to_int(w[5])
        if st.neg:
            ctx.ok(st, PP)
            return
        pol.lockout_attempts = IntSetting(attempts, src, explicit=True)
        pol.lockout_minutes = IntSetting(minutes, src, explicit=minutes is not None)
        ctx.ok(st, PP)
    elif sub in (
        "history", "alert-before-expire", "expired-user-login", "authentication-timeout",
        "login", "password", "super", "complexity", "update-interval", "change-password",
    ):  # fmt: skip
        ctx.skip(st, PP)


# --------------------------------------------------------------------------- interface extras


def i_packet_filter(ctx: Ctx, st: Stmt, view: View) -> None:
    """``packet-filter [name] N inbound|outbound`` (v7; v5 writes ``firewall packet-filter``)."""
    assert isinstance(view, InterfaceView)
    itf = view.itf
    w = st.lw
    words = st.words
    if w[:1] == ["firewall"]:
        w, words = w[1:], words[1:]
        seen_v5(ctx, st)
    if "ipv6" in w or "mac" in w or len(w) < 3:
        if "ipv6" in w:
            itf.ipv6 = True
        ctx.skip(st, Section.INTERFACES)
        return
    direction = w[-1]
    if direction not in ("inbound", "outbound"):
        return
    middle = words[1:-1]
    if len(middle) == 2 and middle[0].lower() in ("name", "ip"):
        name = middle[1]
    elif len(middle) == 1:
        name = middle[0]
    else:
        ctx.skip(st, Section.INTERFACES)
        return
    key = None if st.neg else ctx.acl_key(name)
    if direction == "inbound":
        itf.acl_in = key
    else:
        itf.acl_out = key
    itf.sources.append(ctx.ok(st, Section.INTERFACES))


def h_packet_filter(ctx: Ctx, st: Stmt, view: View) -> None:
    """Global ``packet-filter default deny`` (v7): ACLs on interfaces deny what no rule permits."""
    w = st.lw
    if w[1:] == ["default", "deny"]:
        ctx.ok(st, Section.ACLS)
        ctx.facts["packet-filter-default-deny"] = ctx.src(st)
        if st.neg:
            ctx.facts.pop("packet-filter-default-deny", None)
    elif len(w) >= 2:
        ctx.skip(st, Section.ACLS)


def h_firewall(ctx: Ctx, st: Stmt, view: View) -> None:
    """Comware 5 ``firewall enable`` / ``firewall default deny|permit`` (interface filters)."""
    w = st.lw
    seen_v5(ctx, st)
    if w == ["firewall", "default", "deny"]:
        ctx.ok(st, Section.ACLS)
        ctx.facts["packet-filter-default-deny"] = ctx.src(st)
    elif w == ["firewall", "default", "permit"]:
        ctx.ok(st, Section.ACLS)
        ctx.facts.pop("packet-filter-default-deny", None)
    elif w[1:] == ["enable"]:
        ctx.ok(st, Section.ACLS)
    elif len(w) >= 2:
        ctx.skip(st, FW)


# --------------------------------------------------------------------------- security zones


class ZoneView(View):
    section = FW

    def __init__(self, name: str) -> None:
        self.name = name

    def table(self, ctx: Ctx) -> Table:
        return ZONE_TABLE


def h_security_zone(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """``security-zone name Z`` (v7); ``security-zone intra-zone default permit``."""
    w = st.lw
    if len(w) == 3 and w[1] == "name":
        seen_v7(ctx, st)
        if st.neg:
            ctx.firewall().zones.pop(st.words[2], None)
            ctx.ok(st, FW)
            return None
        zone = get_zone(ctx, st.words[2], ctx.ok(st, FW))
        return ZoneView(zone.name)
    if len(w) >= 2 and w[1] in ("intra-zone", "default"):
        ctx.skip(st, FW)
    return None


def h_zone(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """Comware 5 SecPath ``zone name Z [id N]`` with `` priority N`` and ``import interface``."""
    w = st.lw
    if len(w) >= 3 and w[1] == "name":
        seen_v5(ctx, st)
        zone = get_zone(ctx, st.words[2], ctx.ok(st, FW))
        return ZoneView(zone.name)
    return None


def z_import(ctx: Ctx, st: Stmt, view: View) -> None:
    """``import interface X [vlan ...]``."""
    assert isinstance(view, ZoneView)
    found = ctx.interface_at(st.words, 2)
    if found is None:
        return
    zone = ctx.firewall().zones.get(view.name)
    if zone is None:
        return
    name, i = found
    if i < len(st.words) and st.lw[i] != "vlan":
        return
    ctx.ok(st, FW)
    if st.neg:
        zone.interfaces = [x for x in zone.interfaces if x != name]
    elif name not in zone.interfaces:
        zone.interfaces.append(name)


def z_priority(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, ZoneView)
    if len(st.lw) == 2:
        value = to_int(st.lw[1], 0, 100)
        zone = ctx.firewall().zones.get(view.name)
        if value is not None and zone is not None:
            zone.priority = None if st.neg else value
            ctx.ok(st, FW)


ZONE_TABLE: dict[str, Entry] = {
    "import interface": (FW, z_import),
    "import": (FW, z_import),
    "priority": (FW, z_priority),
    **unsupported(FW, "description"),
}


class ZonePairView(View):
    section = FW

    def __init__(self, source: str, destination: str) -> None:
        self.source_zone = source
        self.destination_zone = destination

    def table(self, ctx: Ctx) -> Table:
        return ZONE_PAIR_TABLE


def h_zone_pair(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """``zone-pair security source Z1 destination Z2``."""
    w = st.lw
    if len(w) == 6 and w[1] == "security" and w[2] == "source" and w[4] == "destination":
        seen_v7(ctx, st)
        ctx.ok(st, FW)
        ctx.firewall()
        ctx.facts.setdefault("zone-pair", ctx.src(st))
        return ZonePairView(st.words[3], st.words[5])
    return None


def zp_packet_filter(ctx: Ctx, st: Stmt, view: View) -> None:
    """``packet-filter [name] N``: the zone pair's ACL (permit rules pass)."""
    assert isinstance(view, ZonePairView)
    w = st.lw
    if "ipv6" in w:
        ctx.skip(st, FW)
        return
    name = st.words[2] if len(w) == 3 and w[1] == "name" else st.words[1] if len(w) == 2 else None
    if name is None:
        return
    src = ctx.ok(st, FW)
    if st.neg:
        return
    ctx.firewall().rules.append(
        SecurityRule(
            f"{view.source_zone}->{view.destination_zone} packet-filter {name}",
            Action.PERMIT,
            src,
            source_zones=[view.source_zone],
            destination_zones=[view.destination_zone],
            acl=ctx.acl_key(name),
        )
    )


def zp_object_policy(ctx: Ctx, st: Stmt, view: View) -> None:
    """``object-policy apply ip NAME``: the named object policy's rules for this pair."""
    assert isinstance(view, ZonePairView)
    w = st.lw
    if len(w) == 4 and w[1] == "apply" and w[2] == "ip":
        src = ctx.ok(st, FW)
        if not st.neg:
            ctx.object_policy_uses.append(
                (st.words[3], view.source_zone, view.destination_zone, src)
            )
    elif "ipv6" in w:
        ctx.skip(st, FW)


ZONE_PAIR_TABLE: dict[str, Entry] = {
    "packet-filter": (FW, zp_packet_filter),
    "object-policy": (FW, zp_object_policy),
    **unsupported(FW, "aspf description attack-defense"),
}


# --------------------------------------------------------------------------- v5 interzone policy
#
# Comware 5 SecPath firewalls (F1000/F5000/U200 V5) write interzone policies as blocks the web
# interface generates (tests/vendors/hp_comware/firewall/secpath_v5_interzone):
#
#    interzone policy default by-priority
#    interzone source Trust destination Untrust
#     rule 0 permit
#      source-ip office_net
#      destination-ip any_address
#      service http
#     rule 1 deny
#
# Rules of one zone pair match in order; a rule without conditions matches everything. What no
# rule decides falls to the default: with `by-priority`, traffic from a higher-priority zone to
# a lower one passes and the reverse is dropped (zones of equal or unknown priority: unknown).


class InterzoneView(View):
    section = FW

    def __init__(self, source: str, destination: str) -> None:
        self.source_zone = source
        self.destination_zone = destination

    def table(self, ctx: Ctx) -> Table:
        return INTERZONE_TABLE


def h_interzone(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """``interzone policy default by-priority`` / ``interzone source Z1 destination Z2``."""
    w = st.lw
    if w[1:] == ["policy", "default", "by-priority"]:
        seen_v5(ctx, st)
        src = ctx.ok(st, FW)
        ctx.firewall()
        if st.neg:
            ctx.facts.pop("interzone-by-priority", None)
        else:
            ctx.facts["interzone-by-priority"] = src
        return None
    if len(w) == 5 and w[1] == "source" and w[3] == "destination":
        seen_v5(ctx, st)
        ctx.facts.setdefault("interzone", ctx.ok(st, FW))
        ctx.firewall()
        return InterzoneView(st.words[2], st.words[4])
    return None


def iz_rule(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """``rule N permit|deny`` (``undo rule N``): its conditions are the lines below it."""
    assert isinstance(view, InterzoneView)
    w = st.lw
    if len(w) < 2 or not w[1].isdigit():
        return None
    name = f"{view.source_zone}->{view.destination_zone} rule {w[1]}"
    fw = ctx.firewall()
    if st.neg and len(w) == 2:
        fw.rules = [r for r in fw.rules if r.name != name]
        ctx.ok(st, FW)
        return None
    if len(w) != 3 or w[2] not in ("permit", "deny") or st.neg:
        return None
    rule = SecurityRule(
        name,
        Action(w[2]),
        ctx.ok(st, FW),
        source_zones=[view.source_zone],
        destination_zones=[view.destination_zone],
    )
    fw.rules = [r for r in fw.rules if r.name != name]
    fw.rules.append(rule)
    return RuleView(rule, INTERZONE_RULE_TABLE)


def _interzone_address(name: str) -> list[AddressMatch]:
    """An address resource; ``any_address`` is SecPath's predefined any."""
    return [] if name.lower() in ("any", "any_address") else [AddressMatch(object_group=name)]


def izr_address(ctx: Ctx, st: Stmt, view: View) -> None:
    """``source-ip NAME`` / ``destination-ip NAME`` (one line per address resource)."""
    assert isinstance(view, RuleView)
    if len(st.words) != 2 or st.neg:
        return
    rule = view.rule
    target = rule.source_addresses if st.lw[0] == "source-ip" else rule.destination_addresses
    target += _interzone_address(st.words[1])
    ctx.ok(st, FW)


def izr_service(ctx: Ctx, st: Stmt, view: View) -> None:
    """``service NAME``: a service object group or a predefined service (``any``: all)."""
    assert isinstance(view, RuleView)
    if len(st.words) != 2 or st.neg:
        return
    svc = _service_ref(ctx, st.words[1])
    if svc is None:
        return
    if svc:
        view.rule.services += svc
    ctx.ok(st, FW)


INTERZONE_TABLE: dict[str, Entry] = {
    "rule": (FW, iz_rule),
    **unsupported(FW, "description"),
}
INTERZONE_RULE_TABLE: dict[str, Entry] = {
    "source-ip": (FW, izr_address),
    "destination-ip": (FW, izr_address),
    "service": (FW, izr_service),
    **unsupported(FW, "description logging time-range"),
}


def interzone_defaults(ctx: Ctx) -> None:
    """``interzone policy default by-priority``: after every configured rule, one default rule
    per ordered pair of zones whose priorities differ (higher → lower permit, else deny)."""
    src = ctx.facts.get("interzone-by-priority")
    fw = ctx.fw
    if src is None or fw is None:
        return
    zones = sorted(fw.zones.values(), key=lambda z: z.name)
    for a in zones:
        for b in zones:
            if a is b or a.priority is None or b.priority is None or a.priority == b.priority:
                continue
            action = Action.PERMIT if a.priority > b.priority else Action.DENY
            fw.rules.append(
                SecurityRule(
                    f"{a.name}->{b.name} default by-priority",
                    action,
                    src,
                    source_zones=[a.name],
                    destination_zones=[b.name],
                )
            )


# --------------------------------------------------------------------------- object policy


class ObjectPolicyView(View):
    section = FW

    def __init__(self, name: str) -> None:
        self.name = name

    def table(self, ctx: Ctx) -> Table:
        return OBJECT_POLICY_TABLE


def h_object_policy(ctx: Ctx, st: Stmt, view: View) -> View | None:
    w = st.lw
    if len(w) == 3 and w[1] == "ip":
        seen_v7(ctx, st)
        ctx.ok(st, FW)
        rules = ctx.object_policies.setdefault(st.words[2], [])
        if st.neg:
            rules.clear()
            return None
        return ObjectPolicyView(st.words[2])
    if len(w) >= 2 and w[1] in ("ipv6", "accelerate"):
        ctx.skip(st, FW)
        return SwallowView(LineStatus.UNSUPPORTED, FW)
    return None


def _object_address(ctx: Ctx, name: str) -> list[AddressMatch]:
    return [] if name.lower() == "any" else [AddressMatch(object_group=name)]


def op_rule(ctx: Ctx, st: Stmt, view: View) -> None:
    """``rule [N] pass|drop|inspect P [source-ip X|any] [destination-ip X|any] [service X|any]
    [application A] [vrf V] [time-range T] [logging] [counting] [track ...] [disable]``."""
    assert isinstance(view, ObjectPolicyView)
    w = st.lw
    words = st.words
    i = 1
    seq = None
    if i < len(w) and w[i].isdigit():
        seq = w[i]
        i += 1
    rules = ctx.object_policies[view.name]
    if st.neg:
        ctx.ok(st, FW)
        return
    if i < len(w) and w[i] in ("append", "insert", "move", "comment"):
        ctx.skip(st, FW)
        return
    if i >= len(w) or w[i] not in ("pass", "drop", "inspect"):
        return
    action = Action.DENY if w[i] == "drop" else Action.PERMIT
    i += 1
    if w[i - 1] == "inspect":
        i += 1  # app profile name
    rule = SecurityRule(f"{view.name} rule {seq if seq is not None else len(rules)}", action,
                        ctx.src(st))  # fmt: skip
    while i < len(w):
        t = w[i]
        if t in ("source-ip", "destination-ip", "service") and i + 1 < len(w):
            name = words[i + 1]
            if t == "source-ip":
                rule.source_addresses += _object_address(ctx, name)
            elif t == "destination-ip":
                rule.destination_addresses += _object_address(ctx, name)
            else:
                svc = _service_ref(ctx, name)
                if svc is None:
                    return
                rule.services += svc
            i += 2
        elif t in ("application", "app-group", "vrf", "time-range", "track", "user", "user-group",
                   "source-zone", "destination-zone"):  # fmt: skip
            i += 2 if t != "track" else len(w)
        elif t in ("logging", "counting", "session"):
            i += 1
        elif t == "disable":
            rule.enabled = False
            i += 1
        else:
            return
    rules.append(rule)
    ctx.ok(st, FW)


def _service_ref(ctx: Ctx, name: str) -> list[ServiceMatch] | None:
    """A service object-group name (resolved at the end) or a predefined service."""
    if name.lower() == "any":
        return []
    sets = ctx.firewall().service_sets
    pre = predefined_service(name)
    if pre is not None and name not in sets:
        return pre
    return sets.get(name)


OBJECT_POLICY_TABLE: dict[str, Entry] = {
    "rule": (FW, op_rule),
    **unsupported(FW, "description accelerate"),
}


# --------------------------------------------------------------------------- security-policy ip


class SecurityPolicyView(View):
    section = FW

    def table(self, ctx: Ctx) -> Table:
        return SECURITY_POLICY_TABLE


def h_security_policy(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """``security-policy ip`` (Comware 7 E8xxx+); ``security-policy ipv6`` is not modelled."""
    w = st.lw
    if w == ["security-policy", "ip"]:
        seen_v7(ctx, st)
        ctx.ok(st, FW)
        ctx.firewall()
        ctx.facts.setdefault("zone-pair", ctx.src(st))
        return SecurityPolicyView()
    if len(w) >= 2 and w[1] in ("ipv6", "config-logging", "disable", "switch-from"):
        ctx.skip(st, FW)
        return SwallowView(LineStatus.UNSUPPORTED, FW)
    return None


def sp_rule(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """``rule [N] name X``."""
    w = st.lw
    i = 1
    if i < len(w) and w[i].isdigit():
        i += 1
    if i + 1 >= len(w) or w[i] != "name":
        if len(w) == 2 and w[1].isdigit():
            name = w[1]
        else:
            return None
    else:
        name = st.words[i + 1]
    fw = ctx.firewall()
    if st.neg:
        fw.rules = [r for r in fw.rules if r.name != name]
        ctx.ok(st, FW)
        return None
    rule = next((r for r in fw.rules if r.name == name), None)
    if rule is None:
        # Comware: a rule's action is drop until `action pass` is configured.
        rule = SecurityRule(name, Action.DENY, ctx.ok(st, FW))
        fw.rules.append(rule)
    else:
        ctx.ok(st, FW)
    return RuleView(rule, SECURITY_RULE_TABLE)


def r_action(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, RuleView)
    w = st.lw
    if len(w) == 2 and w[1] in ("pass", "drop"):
        view.rule.action = Action.PERMIT if w[1] == "pass" and not st.neg else Action.DENY
        ctx.ok(st, FW)


def r_zone(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, RuleView)
    if len(st.words) != 2:
        return
    target = view.rule.source_zones if st.lw[0] == "source-zone" else view.rule.destination_zones
    name = st.words[1]
    if st.neg:
        target[:] = [z for z in target if z != name]
    elif name not in target:
        target.append(name)
    ctx.ok(st, FW)


def r_address(ctx: Ctx, st: Stmt, view: View) -> None:
    """``source-ip X`` (object group) / ``source-ip-host A`` / ``-subnet A M`` / ``-range A B``
    and the ``destination-ip`` forms."""
    assert isinstance(view, RuleView)
    w = st.lw
    head = w[0]
    source = head.startswith("source")
    target = view.rule.source_addresses if source else view.rule.destination_addresses
    kind = head.split("-ip", 1)[1] if "-ip" in head else ""
    got: list[AddressMatch] | None
    if kind == "" and len(w) == 2:
        got = _object_address(ctx, st.words[1])
    elif kind == "-host" and len(w) == 2:
        got = parse_address_member(w, 1)
    elif kind == "-subnet" and len(w) == 3:
        got = parse_address_member(["subnet", *w[1:]], 0)
    elif kind == "-range" and len(w) == 3:
        got = parse_address_member(["range", *w[1:]], 0)
    else:
        return
    if got is None:
        return
    if not st.neg:
        target += got
    ctx.ok(st, FW)


def r_service(ctx: Ctx, st: Stmt, view: View) -> None:
    """``service X`` (object group or predefined) / ``service-port tcp destination eq 80``."""
    assert isinstance(view, RuleView)
    w = st.lw
    if w[0] == "service" and len(w) == 2:
        svc = _service_ref(ctx, st.words[1])
    elif w[0] == "service-port" and len(w) >= 2:
        got = _service_member(w, 1)
        svc = [got] if got is not None else None
    else:
        return
    if svc is None:
        return
    if not st.neg:
        if st.words[1].lower() == "any":
            view.rule.services = []
        else:
            view.rule.services += svc
    ctx.ok(st, FW)


def r_disable(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, RuleView)
    if len(st.words) == 1:
        view.rule.enabled = st.neg
        ctx.ok(st, FW)


SECURITY_POLICY_TABLE: dict[str, Entry] = {
    "rule": (FW, sp_rule),
    **unsupported(FW, "description accelerate"),
}
SECURITY_RULE_TABLE: dict[str, Entry] = {
    "action": (FW, r_action),
    "source-zone": (FW, r_zone),
    "destination-zone": (FW, r_zone),
    "source-ip": (FW, r_address),
    "source-ip-host": (FW, r_address),
    "source-ip-subnet": (FW, r_address),
    "source-ip-range": (FW, r_address),
    "destination-ip": (FW, r_address),
    "destination-ip-host": (FW, r_address),
    "destination-ip-subnet": (FW, r_address),
    "destination-ip-range": (FW, r_address),
    "service": (FW, r_service),
    "service-port": (FW, r_service),
    "disable": (FW, r_disable),
    **unsupported(
        FW,
        """description logging counting session application app-group time-range vrf user
        user-group track parent-group profile""",
    ),
}


# --------------------------------------------------------------------------- object groups


def h_object_group(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """``object-group ip address NAME`` / ``object-group service NAME``."""
    w = st.lw
    if len(w) == 4 and w[1] == "ip" and w[2] == "address":
        if st.neg:
            ctx.firewall().address_sets.pop(st.words[3], None)
            ctx.ok(st, FW)
            return None
        got = address_set(ctx, st, st.words[3])
        assert isinstance(got, AddressSetView)
        return ObjectAddressView(got.aset)
    if len(w) == 3 and w[1] == "service":
        ctx.ok(st, FW)
        members = ctx.firewall().service_sets.setdefault(st.words[2], [])
        if st.neg:
            members.clear()
            return None
        return ServiceGroupView(st.words[2])
    if len(w) >= 2 and w[1] in ("ipv6", "port", "user"):
        ctx.skip(st, FW)
        return SwallowView(LineStatus.UNSUPPORTED, FW)
    return None


class ObjectAddressView(AddressSetView):
    """``object-group ip address NAME``: members are ``[N] network ...``."""

    def table(self, ctx: Ctx) -> Table:
        return OBJECT_ADDRESS_TABLE


def og_network(ctx: Ctx, st: Stmt, view: View) -> None:
    """``[N] network subnet A M`` / ``host address A`` / ``range A B`` / ``group-object X``."""
    assert isinstance(view, AddressSetView)
    w = st.lw
    i = 1 if w[0].isdigit() else 0
    if i >= len(w) or w[i] != "network":
        if i < len(w) and w[i] in ("description", "security-zone"):
            ctx.skip(st, FW)
        return
    i += 1
    if i + 1 < len(w) and w[i] == "group-object":
        if not st.neg:
            view.aset.members.append(AddressMatch(object_group=st.words[i + 1]))
        ctx.ok(st, FW)
        return
    got = parse_address_member(w, i)
    if got is None:
        return
    if not st.neg:
        view.aset.members += got
    ctx.ok(st, FW)


class ServiceGroupView(View):
    section = FW

    def __init__(self, name: str) -> None:
        self.name = name

    def table(self, ctx: Ctx) -> Table:
        return SERVICE_GROUP_TABLE


def _service_member(w: list[str], i: int) -> ServiceMatch | None:
    """``tcp [source OP P] [destination OP P]`` / ``icmp`` / ``N``."""
    if i >= len(w):
        return None
    proto = protocol_name(w[i])
    if proto is None:
        return None
    svc = ServiceMatch(proto)
    i += 1
    while i < len(w):
        if w[i] in ("source", "destination") and i + 1 < len(w):
            got = parse_port(w, i + 1)
            if got is None:
                return None
            if w[i] == "destination":
                svc.dst_ports.append(got[0])
            i = got[1]
        elif w[i] in ("icmp-type", "icmp-code"):
            i = len(w)
        else:
            return None
    return svc


def sg_service(ctx: Ctx, st: Stmt, view: View) -> None:
    """``[N] service tcp destination eq 80`` / ``[N] service group-object X``."""
    assert isinstance(view, ServiceGroupView)
    w = st.lw
    i = 1 if w[0].isdigit() else 0
    if i >= len(w) or w[i] != "service":
        if i < len(w) and w[i] == "description":
            ctx.skip(st, FW)
        return
    members = ctx.firewall().service_sets[view.name]
    if i + 2 < len(w) + 1 and w[i + 1 : i + 2] == ["group-object"] and i + 2 < len(w):
        if not st.neg:
            members += ctx.firewall().service_sets.get(st.words[i + 2], [])
        ctx.ok(st, FW)
        return
    svc = _service_member(w, i + 1)
    if svc is None:
        return
    if not st.neg:
        members.append(svc)
    ctx.ok(st, FW)


class _AnyKey(dict[str, Entry]):
    """Object-group members start with their id (``0 network ...``): any first word."""

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry

    def get(self, key: str, default: Entry | None = None) -> Entry | None:  # type: ignore[override]
        return self.entry


SERVICE_GROUP_TABLE = _AnyKey((FW, sg_service))
OBJECT_ADDRESS_TABLE = _AnyKey((FW, og_network))


def finalize_policies(ctx: Ctx) -> None:
    """Object policies applied to zone pairs become rules with the pair's zones."""
    if not ctx.object_policy_uses:
        return
    fw = ctx.firewall()
    for name, src_zone, dst_zone, source in ctx.object_policy_uses:
        rules = ctx.object_policies.get(name)
        if rules is None:
            # An undefined object policy: nothing passes (Comware drops what no rule passes).
            ctx.dev.coverage.notes.append(
                f"zone pair {src_zone}->{dst_zone} applies object policy {name}, which is not "
                f"defined (line {source.line})"
            )
            continue
        for rule in rules:
            fw.rules.append(
                SecurityRule(
                    f"{src_zone}->{dst_zone} {rule.name}",
                    rule.action,
                    rule.source,
                    source_zones=[src_zone],
                    destination_zones=[dst_zone],
                    source_addresses=list(rule.source_addresses),
                    destination_addresses=list(rule.destination_addresses),
                    services=list(rule.services),
                    enabled=rule.enabled,
                )
            )


# --------------------------------------------------------------------------- NAT


class NatGroupView(View):
    section = Section.NAT

    def __init__(self, name: str) -> None:
        self.name = name

    def table(self, ctx: Ctx) -> Table:
        return NAT_GROUP_TABLE


def h_nat(ctx: Ctx, st: Stmt, view: View) -> View | None:
    """``nat address-group N [name X]`` (v7 view) / ``nat address-group N A B`` (v5) /
    ``nat static outbound LOCAL [vpn-instance V] GLOBAL`` / ``nat static LOCAL GLOBAL`` (v5)."""
    w = st.lw
    words = st.words
    if len(w) >= 3 and w[1] == "address-group":
        name = words[2]
        src = ctx.src(st)
        rest = w[3:]
        if st.neg:
            ctx.dev.nat.pools.pop(name, None)
            ctx.ok(st, Section.NAT)
            return None
        if len(rest) == 2 and ip4(rest[0]) is not None:
            if not set_pool_range(nat_pool(ctx, name, src), rest[0], rest[1]):
                return None
            ctx.ok(st, Section.NAT)
            return None
        if rest and not (len(rest) == 2 and rest[0] == "name"):
            return None
        nat_pool(ctx, name, src)
        ctx.ok(st, Section.NAT)
        return NatGroupView(name)
    if len(w) >= 4 and w[1] == "static":
        i = 3 if w[2] == "outbound" else 2
        if i < len(w) and w[i] in ("net-to-net", "object-group"):
            ctx.skip(st, Section.NAT)
            return None
        addrs = [ip4(x) for x in w[i:] if ip4(x) is not None]
        extra = [x for x in w[i:] if ip4(x) is None]
        if len(addrs) != 2 or any(x not in ("vpn-instance", "acl", "reversible", "counting")
                                  for x in extra[::2]):  # fmt: skip
            return None
        local, glob = addrs
        assert local is not None
        # `LOCAL vpn-instance V GLOBAL`: the inside host lives in VRF V.
        vrf = DEFAULT_VRF
        if w[i + 1 : i + 2] == ["vpn-instance"] and ip4(w[i + 2]) is None:
            vrf = vrf_key(st.words[i + 2])
        ctx.ok(st, Section.NAT)
        if not st.neg:
            ctx.dev.nat.static_rules.append(StaticNat(ctx.src(st), glob, local, vrf=vrf))
        return None
    if len(w) >= 2 and w[1] in _NAT_UNSUPPORTED:
        ctx.skip(st, Section.NAT)
        return SwallowView(LineStatus.UNSUPPORTED, Section.NAT)
    return None


_NAT_UNSUPPORTED = keywords(
    "alg log hairpin mapping-behavior link-switch dns-map policy global-policy port-block-group"
)


def ng_address(ctx: Ctx, st: Stmt, view: View) -> None:
    assert isinstance(view, NatGroupView)
    w = st.lw
    if len(w) == 3 and set_pool_range(nat_pool(ctx, view.name, ctx.src(st)), w[1], w[2]):
        ctx.ok(st, Section.NAT)


NAT_GROUP_TABLE: dict[str, Entry] = {
    "address": (Section.NAT, ng_address),
    **unsupported(Section.NAT, "port-range port-block exclude-address"),
}


__all__ = ["OBJECT_ADDRESS_TABLE", "SERVICE_GROUP_TABLE", "finalize_policies"]
