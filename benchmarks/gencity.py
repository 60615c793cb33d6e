"""Generate a synthetic city of N units × M devices for the scale benchmarks (and their tests).

Stage: test data. Input: a size (``--units N --per-unit M``, or ``--devices D``), a seed and a
proportion of planted violations. Output: an inventory folder (``city.yaml``, ``units/*.yaml``,
``configs/*.cfg``) that ``netaudit validate`` accepts, plus ``planted.json`` (which unit and
device got which violation), written byte-for-byte the same for the same arguments.

The configurations are printed by the renderers of the sample city's generator
(``inventories/xian/generate.py``: VRP5, USG, VRP8, Comware 7 and 5, IOS-XE, RGOS — loaded here
as a private module instance, never modified on disk), fed with bigger devices: 48-port access
switches, business VLANs, office ACLs with tens of rules applied on the office gateways,
router ACLs with hundreds of rules, provincial static routes, NAT and the full management
plane — 300 to 1,500 lines per device. All five platforms appear in any city of 5 units or more
(unit ``i`` takes profile ``i mod 7``). Each unit draws its content from its own RNG seeded by
(seed, unit index), so a unit is the same in a city of 100 units and in one of 1,000.

Planted violations (``--violations P``, default 0.1): each unit with probability P gets one plan
fault (three ISP lines, an undeclared ISP line, an intranet router with its own ISP line, the
extranet uplink shut down, an isolated private network, a default-permit firewall, RDP
published to the internet), and each device with probability P gets one to three MLPS faults
(telnet, SSH 1, HTTP, default SNMP communities, no syslog, no NTP, clear-text or type 7
passwords, no password policy, no lockout, vty without ACL, no idle timeout, console without
authentication) — only the faults its configuration style can print.

Address plan (unit i = 1..2048; the municipal platform is unit 0):
  intranet   10.64.0.0/10 → 10.64.0.0 + (i-1)·1024 /22 (intranet LAN: its first /24)
  extranet   10.128.0.0/9 → 10.128.0.0 + (i-1)·4096 /20 = 16 /24s: offices 0-7, servers 8,
             links 15 (core–extranet router, core–firewalls)
  management 10.32.0.0/11 → /24 per unit; private networks 10.16.0.0/12 → /24 per unit
  platforms  intranet 10.0.0.0/16 (links 10.0.128.0/17), extranet 172.16.0.0/16 (links
             172.16.128.0/17); municipal management 10.1.0.0/24
  internet   ISP /30s from 203.0.113.0/24 and 198.51.100.64/26+ first, then from 198.18.0.0/15
             (RFC 2544, the benchmarking range): a big city needs thousands of them. Nothing
             here sends a packet; probe targets stay 198.51.100.7.

    .venv/bin/python benchmarks/gencity.py OUT --devices 10000 [--per-unit 10] [--seed 1]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
XIAN_GENERATOR = ROOT / "inventories" / "xian" / "generate.py"

MAX_UNITS = 2048
MIN_PER_UNIT = 5
MAX_PER_UNIT = 48

INTRA_PLATFORM = IPv4Network("10.0.0.0/16")
EXTRA_PLATFORM = IPv4Network("172.16.0.0/16")
MUNICIPAL_MGMT = IPv4Network("10.1.0.0/24")
PROVINCIAL_INTRA = IPv4Network("10.224.0.0/12")  # routed to the intranet platform
PROVINCIAL_EXTRA = IPv4Network("172.24.0.0/13")  # routed to the extranet platform
MGMT_SPACE = IPv4Network("10.32.0.0/11")
HIGH_RISK_PORTS = (135, 137, 138, 139, 445, 1433, 3306, 3389, 5900, 23)
SERVICE_PORTS = (80, 443, 8080, 8443, 53, 123, 389, 636, 25, 110, 143, 993, 3000, 9000)


def _load_renderers() -> ModuleType:
    """A private instance of the sample city's generator (its renderers and neutral model)."""
    spec = importlib.util.spec_from_file_location("_gencity_xian", XIAN_GENERATOR)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {XIAN_GENERATOR}")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(mod)
    return mod


xg: Any = _load_renderers()
# Syslog and NTP servers of the synthetic city (the renderers read these module globals).
xg.SYSLOG = MUNICIPAL_MGMT.network_address + 20
xg.NTP = MUNICIPAL_MGMT.network_address + 10


# --------------------------------------------------------------------------- interface ACLs


def _acl_apply_line(style: str, acl: str) -> str:
    if style in ("vrp5", "usg"):
        return f" traffic-filter inbound acl {acl}"
    if style == "vrp8":
        return f" traffic-filter acl {acl} inbound"
    if style in ("cw7", "cw5"):
        return f" packet-filter {acl} inbound"
    return f" ip access-group {acl} in"  # ios, rgos


def _with_acl(render_port: Callable[..., list[str]]) -> Callable[..., list[str]]:
    """Wrap a port renderer: a port carrying ``acl_in`` also prints its inbound filter."""

    def port(spec: Any, p: Any, *args: Any, **kwargs: Any) -> list[str]:
        out = render_port(spec, p, *args, **kwargs)
        acl = getattr(p, "acl_in", None)
        if acl is not None:
            out.append(_acl_apply_line(spec.style, acl))
        return out

    return port


xg.hw_port = _with_acl(xg.hw_port)
xg.cw_port = _with_acl(xg.cw_port)
xg.ios_port = _with_acl(xg.ios_port)
xg.rg_port = _with_acl(xg.rg_port)


@dataclass(frozen=True, slots=True)
class Rule:
    """One ACL rule, vendor-neutral; ``None`` addresses mean any."""

    action: str  # permit | deny
    protocol: str  # ip | tcp | udp
    src: IPv4Network | None = None
    dst: IPv4Network | None = None
    port: int | None = None


def _hw_addr(kw: str, n: IPv4Network | None) -> str:
    if n is None:
        return ""
    return f" {kw} {n.network_address} {'0' if n.prefixlen == 32 else n.hostmask}"


def _ios_addr(n: IPv4Network | None) -> str:
    if n is None:
        return "any"
    if n.prefixlen == 32:
        return f"host {n.network_address}"
    return f"{n.network_address} {n.hostmask}"


def render_acl(style: str, name: str, desc: str, rules: list[Rule]) -> list[str]:
    """An advanced ACL block in the style's syntax (numbered on VRP/Comware, named on IOS/RGOS)."""
    if style in ("vrp5", "vrp8", "usg", "cw7", "cw5"):
        head = f"acl advanced {name}" if style == "cw7" else f"acl number {name}"
        out = [head, f" description {desc}"]
        for k, r in enumerate(rules, start=1):
            line = f" rule {5 * k} {r.action} {r.protocol}"
            line += _hw_addr("source", r.src) + _hw_addr("destination", r.dst)
            if r.port is not None:
                line += f" destination-port eq {r.port}"
            out.append(line)
        return out
    out = [f"ip access-list extended {name}"]
    for k, r in enumerate(rules, start=1):
        seq = f" {10 * k}" if style == "rgos" else ""
        line = f"{seq} {r.action} {r.protocol} {_ios_addr(r.src)} {_ios_addr(r.dst)}"
        if r.port is not None:
            line += f" eq {r.port}"
        out.append(line)
    return out


def acl_name(style: str, number: int, name: str) -> str:
    return str(number) if style in ("vrp5", "vrp8", "usg", "cw7", "cw5") else name


def filter_rules(
    rng: random.Random, count: int, inside: list[IPv4Network], servers: IPv4Network
) -> list[Rule]:
    """``count`` rules of a typical inbound filter, ending in permit ip any: high-risk ports
    denied, published services permitted, office-to-management denied (plan paths — office,
    intranet and private networks toward the platforms and the internet — stay permitted)."""
    rules: list[Rule] = []
    while len(rules) < count - 2:
        pick = rng.random()
        proto = rng.choice(("tcp", "tcp", "udp"))
        if pick < 0.4:
            rules.append(Rule("deny", proto, None, None, rng.choice(HIGH_RISK_PORTS)))
        elif pick < 0.8:
            host = IPv4Network((int(servers.network_address) + rng.randint(2, 250), 32))
            src = rng.choice(inside) if inside else None
            rules.append(Rule("permit", proto, src, host, rng.choice(SERVICE_PORTS)))
        else:
            block = IPv4Network((int(MGMT_SPACE.network_address) + rng.randrange(8192) * 256, 24))
            rules.append(Rule("deny", "ip", rng.choice(inside) if inside else None, block))
    rules.append(Rule("deny", "ip", None, MGMT_SPACE))
    rules.append(Rule("permit", "ip"))
    return rules


# --------------------------------------------------------------------------- extra blocks


def _insert_blocks(text: str, style: str, blocks: list[list[str]]) -> str:
    """Insert top-level blocks before the final ``return`` / ``end`` of a rendered config (and
    fix the IOS/RGOS ``Current configuration : N bytes`` header)."""
    if not blocks:
        return text
    lines = text.rstrip("\n").split("\n")
    sep = "!" if style in ("ios", "rgos") else "#"
    extra: list[str] = []
    for block in blocks:
        extra += [*block, sep]
    lines[-1:-1] = extra
    if style in ("ios", "rgos"):
        at = next(k for k, ln in enumerate(lines) if ln.startswith("Current configuration"))
        body = "\n".join(lines[at + 1 :]) + "\n"
        lines[at] = f"Current configuration : {len(body)} bytes"
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- planting

# MLPS faults each configuration style prints and an audit reports (see the renderers in
# inventories/xian). Left out: VRP5, RGOS and Comware 5 (with password-control) without lockout
# lines and RGOS without a password policy (the release defaults apply and pass), VRP8 vty
# without ACL (`ssh server acl` still restricts SSH).
STYLE_FAULTS: dict[str, tuple[str, ...]] = {
    "vrp5": (
        "telnet",
        "ssh1",
        "no-syslog",
        "no-ntp",
        "cleartext",
        "no-pwpolicy",
        "vty-no-acl",
        "idle0",
    ),
    "vrp8": ("no-syslog", "no-ntp", "idle0"),
    "usg": ("no-syslog", "no-ntp"),
    "cw7": ("no-syslog", "no-ntp", "console-none"),
    "cw5": ("no-syslog", "no-ntp", "cleartext", "no-pwpolicy"),
    "ios": (
        "telnet",
        "ssh1",
        "http",
        "snmp-public",
        "no-syslog",
        "no-ntp",
        "type7",
        "no-pwpolicy",
        "no-lockout",
        "vty-no-acl",
        "idle0",
    ),
    "rgos": ("no-syslog", "no-ntp", "vty-no-acl", "idle0"),
}

UNIT_FAULTS = (
    "three-isps",  # PLAN-EXIT-COUNT (districts, counties, development zones)
    "undeclared-isp",  # PLAN-EXIT-DECLARED
    "intra-internet",  # PLAN-INTRA-ISOLATION, PLAN-EXIT-DECLARED, PLAN-EXIT-FIREWALL
    "extranet-down",  # PLAN-EXTRA-UPLINK
    "privnet-isolated",  # PLAN-PRIVNET-INTEGRATED
    "fw-default-permit",  # MLPS-BOUNDARY-DEFAULT-DENY, PLAN-EXIT-FIREWALL (USG firewalls)
    "exposed-rdp",  # MLPS-BOUNDARY-EXPOSED-SERVICES (USG / Comware firewalls)
)

KINDS = (
    ("district", "区", "人民政府"),
    ("district", "区", "人民政府"),
    ("county", "县", "人民政府"),
    ("devzone", "开发区", "管委会"),
    ("department", "局", ""),
)
PROFILE_ORDER = ("hw", "h3c", "v8", "cisco", "rj", "mix", "usg")
ISPS = ("中国电信", "中国联通", "中国移动")


class PublicPool:
    """ISP /30s: ours .1, the ISP's .2. Documentation ranges first (never 192.0.2.0/24, never
    the probe reflector's 198.51.100.0/26), then the benchmarking range 198.18.0.0/15."""

    def __init__(self) -> None:
        self._blocks = [
            IPv4Network("203.0.113.0/24"),
            IPv4Network("198.51.100.64/26"),
            IPv4Network("198.51.100.128/25"),
            IPv4Network("198.18.0.0/15"),
        ]
        self._iter = (s for b in self._blocks for s in b.subnets(new_prefix=30))

    def take(self) -> IPv4Network:
        try:
            return next(self._iter)
        except StopIteration:
            raise ValueError("the city needs more ISP lines than the address plan holds") from None


# --------------------------------------------------------------------------- one unit


def _block(base: IPv4Network, index: int, prefixlen: int) -> IPv4Network:
    size = 1 << (32 - prefixlen)
    return IPv4Network((int(base.network_address) + index * size, prefixlen))


def intranet_of(i: int) -> IPv4Network:
    return _block(IPv4Network("10.64.0.0/10"), i - 1, 22)


def extranet_of(i: int) -> IPv4Network:
    return _block(IPv4Network("10.128.0.0/9"), i - 1, 20)


def mgmt_of(i: int) -> IPv4Network:
    return _block(MGMT_SPACE, i - 1, 24)


def private_of(i: int) -> IPv4Network:
    return _block(IPv4Network("10.16.0.0/12"), i - 1, 24)


def p_intra(i: int) -> IPv4Network:
    return _block(IPv4Network("10.0.128.0/17"), i - 1, 30)


def p_extra(i: int) -> IPv4Network:
    return _block(IPv4Network("172.16.128.0/17"), i - 1, 30)


def at(n: IPv4Network, k: int) -> IPv4Address:
    return n.network_address + k


def ifc(addr: IPv4Address, plen: int) -> Any:
    return xg.ifc(addr, plen)


@dataclass
class UnitPlan:
    index: int
    uid: str
    kind: str
    name: str
    responsible: str
    campus: str | None
    profile: str
    isps: list[str]
    fault: str | None
    zh: bool
    devices: list[Any] = field(default_factory=list)  # xian ``Spec``s
    extras: dict[str, list[list[str]]] = field(default_factory=dict)  # device → blocks
    exits: list[dict[str, object]] = field(default_factory=list)
    networks: dict[str, object] = field(default_factory=dict)
    device_faults: dict[str, list[str]] = field(default_factory=dict)


def _applies(fault: str, kind: str, campus: str | None, per_unit: int) -> bool:
    """Whether the unit's rules can see the fault (the exit count is checked for districts,
    counties and zones only; the extranet uplink of campus departments is not applicable; an
    isolated private network needs a device slot of its own)."""
    if fault == "three-isps":
        return kind != "department"
    if fault == "extranet-down":
        return not (kind == "department" and campus == "inside")
    if fault == "privnet-isolated":
        return per_unit >= 6
    return True


def plan_unit(  # the unit's devices, its unit file data and its platform routes
    i: int, per_unit: int, seed: int, violations: float, pool: PublicPool
) -> tuple[UnitPlan, list[Any], list[Any]]:
    rng = random.Random(f"gencity:{seed}:{i}")
    kind, suffix, resp = KINDS[rng.randrange(len(KINDS))]
    profile = PROFILE_ORDER[i % len(PROFILE_ORDER)]
    prefix = {"district": "qu", "county": "xian", "devzone": "kfq", "department": "ju"}[kind]
    uid = f"{prefix}{i:04d}"
    name = f"第{i}{suffix}" if kind != "department" else f"市第{i}{suffix}"
    responsible = f"{name}{resp}" if resp else f"西安市第{i}{suffix}"
    campus = rng.choice(("inside", "outside")) if kind == "department" else None
    n_isps = 1 if kind == "department" else rng.choice((1, 2, 2))
    fault = None
    if rng.random() < violations:
        fault = rng.choice([f for f in UNIT_FAULTS if _applies(f, kind, campus, per_unit)])
        if fault in ("three-isps", "undeclared-isp"):
            n_isps = 3 if fault == "three-isps" else 2
    isps = list(ISPS[:n_isps])
    u = UnitPlan(i, uid, kind, name, responsible, campus, profile, isps, fault, rng.random() < 0.2)
    prof = dict(xg.PROFILES[profile])
    if profile == "h3c" and rng.random() < 0.3:
        prof["acc"] = ("cw5", "S5120-52C-EI")
    if (fault == "fw-default-permit" and prof["fw"][0] != "usg") or (
        fault == "exposed-rdp" and prof["fw"][0] not in ("usg", "cw7")
    ):
        prof["fw"] = ("usg", "USG6550")  # the firewalls whose renderer prints the fault

    ext, intra, mgmt = extranet_of(i), intranet_of(i), mgmt_of(i)
    isolated_priv = fault == "privnet-isolated" and per_unit >= 6
    priv_kind = "isolated" if isolated_priv else ("integrated" if rng.random() < 0.25 else None)
    n_acc = per_unit - 4 - (1 if isolated_priv else 0)
    n_office = min(8, max(2, n_acc))
    offices = [_block(ext, k, 24) for k in range(n_office)]
    servers, links = _block(ext, 8, 24), _block(ext, 15, 24)
    l_ext, l_fw = _block(links, 0, 30), _block(links, 1, 30)
    priv_net = private_of(i) if priv_kind else None

    def desc(en: str, zh: str) -> str:
        return zh if u.zh else en

    def spec(key: str, dev_suffix: str, role: str, host: IPv4Address) -> Any:
        style, model = prof[key]
        return xg.Spec(f"{uid}-{dev_suffix}", xg.PLATFORM_OF[style], style, role, model, host, mgmt)

    # ---- core switch: office gateways (with the office filter), servers, uplinks
    core = spec("core", "core", "core", at(mgmt, 1))
    cs = core.style
    office_vlans = [(10 + k, f"office-{k + 1}") for k in range(n_office)]
    biz = sorted(rng.sample(range(200, 400), rng.randint(30, 60)))
    core.vlans = [*office_vlans, (20, "servers"), (99, "management"), (100, "to-extranet-router")]
    core.vlans += [(101, "to-firewall")] + [(v, f"biz-{v}") for v in biz]
    if priv_kind == "integrated":
        core.vlans.append((30, "private-net"))
    core.vlans.sort()
    trunk = [v for v, _ in office_vlans] + [99]
    for a in range(n_acc):
        core.ports.append(
            xg.Port(
                xg.phys(cs, "core", a + 1),
                desc(f"to-{uid}-acc{a + 1}", f"至接入交换机{a + 1}"),
                trunk_vlans=trunk,
            )
        )
    base = n_acc + 1
    for s in range(6):
        core.ports.append(
            xg.Port(
                xg.phys(cs, "core", base + s), desc(f"server-{s + 1}", "服务器"), access_vlan=20
            )
        )
    core.ports.append(
        xg.Port(
            xg.phys(cs, "core", base + 6),
            desc("to-extranet-router", "至外网路由器"),
            access_vlan=100,
        )
    )
    core.ports.append(
        xg.Port(xg.phys(cs, "core", base + 7), desc("to-firewall", "至出口防火墙"), access_vlan=101)
    )
    office_acl = acl_name(cs, 3100, "OFFICE-IN")
    for k, o in enumerate(offices):
        port = xg.Port(
            xg.vlanif(cs, 10 + k), desc(f"office-{k + 1}", f"办公网{k + 1}"), ifc(at(o, 1), 24)
        )
        port.acl_in = office_acl
        core.ports.append(port)
    core.ports.append(
        xg.Port(xg.vlanif(cs, 20), desc("servers", "服务器区"), ifc(at(servers, 1), 24))
    )
    if priv_kind == "integrated" and priv_net is not None:
        core.ports.append(xg.Port(xg.vlanif(cs, 30), "private-net", ifc(at(priv_net, 1), 24)))
    core.ports.append(xg.Port(xg.vlanif(cs, 99), desc("management", "网管"), ifc(at(mgmt, 1), 24)))
    core.ports.append(xg.Port(xg.vlanif(cs, 100), "to-extranet-router", ifc(at(l_ext, 1), 30)))
    core.ports.append(xg.Port(xg.vlanif(cs, 101), "to-firewall", ifc(at(l_fw, 1), 30)))
    core.routes = [
        xg.Route(IPv4Network("0.0.0.0/0"), at(l_fw, 2), desc="internet"),
        xg.Route(EXTRA_PLATFORM, at(l_ext, 2), desc="extranet-platform"),
    ]
    u.extras[core.name] = [
        render_acl(
            cs,
            office_acl,
            "office-inbound",
            filter_rules(rng, rng.randint(40, 120), offices, servers),
        )
    ]
    if u.zh and rng.random() < 0.1:
        core.encoding = "gbk"
    core.capture = cs in ("vrp5", "vrp8") and rng.random() < 0.03
    u.devices.append(core)

    # ---- access switches: 48 office ports each, two uplinks
    for a in range(n_acc):
        acc = spec("acc", f"acc{a + 1}", "access", at(mgmt, 11 + a))
        st = acc.style
        acc.vlans = [*office_vlans, (99, "management")]
        for p in range(1, 49):
            v, _ = office_vlans[(p - 1) * n_office // 48]
            port = xg.Port(
                xg.phys(st, "access", p),
                desc(f"office-{a + 1}-{p:02d}", f"办公终端{a + 1}-{p:02d}"),
                access_vlan=v,
            )
            port.shutdown = rng.random() < 0.08
            acc.ports.append(port)
        for up in (49, 50):
            acc.ports.append(
                xg.Port(
                    xg.phys(st, "access", up), desc("uplink-to-core", "上联核心"), trunk_vlans=trunk
                )
            )
        for spare in (51, 52):
            acc.ports.append(xg.Port(xg.phys(st, "access", spare), "spare-uplink", shutdown=True))
        acc.ports.append(xg.Port(xg.vlanif(st, 99), "management", ifc(at(mgmt, 11 + a), 24)))
        acc.routes = [xg.Route(IPv4Network("0.0.0.0/0"), at(mgmt, 1), desc="management-gateway")]
        u.devices.append(acc)

    # ---- intranet router
    ir = spec("intra", "intra", "router", at(mgmt, 3))
    st = ir.style
    pi = p_intra(i)
    lan = xg.Port(
        xg.phys(st, "router", 2), desc("intranet-terminals", "内网终端汇聚"), ifc(at(intra, 1), 24)
    )
    lan.acl_in = acl_name(st, 3200, "INTRA-IN")
    ir.ports = [
        xg.Port(xg.loopback(st), "management", ifc(at(mgmt, 3), 32)),
        xg.Port(
            xg.phys(st, "router", 1),
            desc("to-municipal-intranet", "至市级内网平台"),
            ifc(at(pi, 2), 30),
        ),
        lan,
    ]
    ir.routes = [xg.Route(INTRA_PLATFORM, at(pi, 1), desc="intranet-platform")]
    ir.routes += _provincial(rng, PROVINCIAL_INTRA, at(pi, 1), "province-intranet")
    u.extras[ir.name] = [
        render_acl(
            st,
            lan.acl_in,
            "intranet-inbound",
            filter_rules(rng, rng.randint(150, 400), [_block(intra, 0, 24)], servers),
        )
    ]
    intra_routes = [xg.Route(intra, at(pi, 2), desc=f"{uid}-intranet")]
    if fault == "intra-internet":
        sub = pool.take()
        port = xg.phys(st, "router", 3)
        ir.ports.append(xg.Port(port, "ISP-line", ifc(at(sub, 1), 30), nat_out=True))
        ir.routes.append(xg.Route(IPv4Network("0.0.0.0/0"), at(sub, 2), desc="internet"))
        ir.nat_sources = [_block(intra, 0, 24)]
    u.devices.append(ir)

    # ---- extranet router
    er = spec("ext", "ext", "router", at(mgmt, 4))
    st = er.style
    pe = p_extra(i)
    down = xg.Port(xg.phys(st, "router", 2), desc("to-core", "至核心交换机"), ifc(at(l_ext, 2), 30))
    down.acl_in = acl_name(st, 3300, "EXTRA-IN")
    up = xg.Port(
        xg.phys(st, "router", 1),
        desc("to-municipal-extranet", "至市级外网平台"),
        ifc(at(pe, 2), 30),
    )
    er.ports = [xg.Port(xg.loopback(st), "management", ifc(at(mgmt, 4), 32)), up, down]
    er.routes = [
        xg.Route(EXTRA_PLATFORM, at(pe, 1), desc="extranet-platform"),
        xg.Route(ext, at(l_ext, 1), desc=f"{uid}-extranet"),
    ]
    er.routes += _provincial(rng, PROVINCIAL_EXTRA, at(pe, 1), "province-extranet")
    extra_routes = [xg.Route(ext, at(pe, 2), desc=f"{uid}-extranet")]
    if priv_kind == "integrated" and priv_net is not None:
        er.routes.append(xg.Route(priv_net, at(l_ext, 1), desc="private-net"))
        extra_routes.append(xg.Route(priv_net, at(pe, 2), desc=f"{uid}-private"))
    if fault == "extranet-down":
        up.shutdown = True
        er.routes = [r for r in er.routes if r.prefix != EXTRA_PLATFORM]
    u.extras[er.name] = [
        render_acl(
            st,
            down.acl_in,
            "extranet-inbound",
            filter_rules(rng, rng.randint(150, 400), offices, servers),
        )
    ]
    u.devices.append(er)

    # ---- firewall at the internet exits
    fw = spec("fw", "fw1", "firewall", at(mgmt, 5))
    st = fw.style
    inside = xg.Port(
        xg.phys(st, "firewall", 1),
        desc("to-core", "至核心交换机"),
        ifc(at(l_fw, 2), 30),
        zone="trust",
        nat_inside=True,
    )
    fw_acl = acl_name(st, 3400, "INSIDE-IN")
    if st != "usg":
        inside.acl_in = fw_acl
    fw.ports = [xg.Port(xg.loopback(st), "management", ifc(at(mgmt, 5), 32)), inside]
    for k, isp in enumerate(isps):
        sub = pool.take()
        port = xg.phys(st, "firewall", 2 + k)
        fw.ports.append(
            xg.Port(port, f"ISP-{isp}", ifc(at(sub, 1), 30), zone="untrust", nat_out=True)
        )
        fw.routes.append(
            xg.Route(
                IPv4Network("0.0.0.0/0"),
                at(sub, 2),
                None if k == 0 else 60 + 10 * k,
                "internet" if k == 0 else "internet-backup",
            )
        )
        if not (fault == "undeclared-isp" and k == len(isps) - 1):
            u.exits.append(
                {
                    "id": f"{uid}-isp{k + 1}",
                    "device": fw.name,
                    "interface": port,
                    "isp": isp,
                    "public_ips": [str(at(sub, 1))],
                }
            )
    fw.routes.append(xg.Route(ext, at(l_fw, 1), desc=f"{uid}-extranet"))
    fw.nat_sources = list(offices)
    fw.fw_permit_sources = list(offices)
    if fault == "fw-default-permit" and st == "usg":
        fw.fw_default_permit = True
    if fault == "exposed-rdp":
        gip = fw.ports[2].ip
        fw.nat_servers = [xg.NatServer("oa-rdp", gip.ip, 3389, at(servers, 10), 3389)]
    u.extras[fw.name] = [
        render_acl(
            st, fw_acl, "inside-inbound", filter_rules(rng, rng.randint(120, 300), offices, servers)
        )
    ]
    u.devices.append(fw)

    # ---- an isolated private business network (a carrier line to the province only)
    if isolated_priv and priv_net is not None:
        pr = xg.Spec(f"{uid}-priv", "ruijie_os", "rgos", "router", "RSR20-X", at(mgmt, 7), mgmt)
        carrier = _block(links, 3, 30)
        pr.ports = [
            xg.Port(xg.loopback("rgos"), "management", ifc(at(mgmt, 7), 32)),
            xg.Port(xg.phys("rgos", "router", 1), "private-net", ifc(at(priv_net, 1), 24)),
            xg.Port(xg.phys("rgos", "router", 2), "carrier-line", ifc(at(carrier, 1), 30)),
        ]
        pr.routes = [xg.Route(IPv4Network("10.210.0.0/16"), at(carrier, 2))]
        pr.routes += _provincial(rng, PROVINCIAL_EXTRA, at(carrier, 2), "")
        u.extras[pr.name] = [
            render_acl(
                "rgos",
                "PRIV-IN",
                "private-inbound",
                filter_rules(rng, rng.randint(150, 300), [priv_net], servers),
            )
        ]
        u.devices.append(pr)

    # ---- MLPS faults on a proportion of devices
    for s in u.devices:
        if rng.random() < violations:
            choices = STYLE_FAULTS[s.style]
            picked = sorted(rng.sample(choices, min(len(choices), rng.randint(1, 3))))
            s.faults |= set(picked)
            u.device_faults[s.name] = picked

    u.networks = {
        "intranet": [str(intra)],
        "extranet": [str(ext)],
        "office": [str(o) for o in offices],
        "management": [str(mgmt)],
    }
    if priv_net is not None:
        u.networks["private"] = [{"name": "业务专网", "prefixes": [str(priv_net)]}]
    return u, intra_routes, extra_routes


def _provincial(rng: random.Random, space: IPv4Network, hop: IPv4Address, desc: str) -> list[Any]:
    count = rng.randint(40, 150)
    blocks = sorted(rng.sample(range(space.num_addresses // 256), count))
    return [xg.Route(_block(space, b, 24), hop, desc=desc) for b in blocks]


# --------------------------------------------------------------------------- the municipal platform


def plan_municipal(
    n_units: int, intra_routes: list[Any], extra_routes: list[Any], pool: PublicPool
) -> UnitPlan:
    """Intranet core, extranet core (one routed port per unit each) and the platform firewall."""
    mgmt = MUNICIPAL_MGMT
    u = UnitPlan(
        0,
        "municipal",
        "municipal",
        "市级电子政务平台",
        "西安市大数据局（市电子政务办）",
        None,
        "v8",
        ["中国电信"],
        None,
        False,
    )
    ic = xg.Spec("xa-intra-core", "huawei_vrpv8", "vrp8", "core", "CE12804", at(mgmt, 1), mgmt)
    ec = xg.Spec("xa-extra-core", "huawei_vrpv8", "vrp8", "core", "CE12804", at(mgmt, 2), mgmt)
    fw = xg.Spec("xa-fw1", "hp_comware", "cw7", "firewall", "SecPath F5000-AK", at(mgmt, 3), mgmt)
    svc_i, svc_e = IPv4Network("10.0.0.0/24"), IPv4Network("172.16.0.0/24")
    fw_link = IPv4Network("172.16.255.0/30")
    for s, svc, name in ((ic, svc_i, "intranet-services"), (ec, svc_e, "extranet-services")):
        s.vlans = [(100, name)]
        s.ports = [
            xg.Port("LoopBack0", "management", ifc(s.host, 32)),
            xg.Port("GE9/0/2", name, access_vlan=100),
            xg.Port("Vlanif100", name, ifc(at(svc, 1), 24)),
        ]
    for i in range(1, n_units + 1):
        ic.ports.append(xg.Port(_slot(i), f"to-unit-{i}-intra", ifc(at(p_intra(i), 1), 30)))
        ec.ports.append(xg.Port(_slot(i), f"to-unit-{i}-ext", ifc(at(p_extra(i), 1), 30)))
    ic.routes = list(intra_routes)
    ec.routes = [xg.Route(IPv4Network("0.0.0.0/0"), at(fw_link, 2), desc="internet"), *extra_routes]
    ec.ports.append(xg.Port("GE9/0/1", "to-xa-fw1", ifc(at(fw_link, 1), 30)))
    sub = pool.take()
    fw.ports = [
        xg.Port("LoopBack0", "management", ifc(fw.host, 32)),
        xg.Port("GigabitEthernet1/0/1", "to-xa-extra-core", ifc(at(fw_link, 2), 30), zone="trust"),
        xg.Port(
            "GigabitEthernet1/0/2",
            "ISP-中国电信",
            ifc(at(sub, 1), 30),
            zone="untrust",
            nat_out=True,
        ),
    ]
    fw.routes = [
        xg.Route(IPv4Network("0.0.0.0/0"), at(sub, 2), desc="internet"),
        xg.Route(EXTRA_PLATFORM, at(fw_link, 1), desc="extranet-platform"),
    ]
    fw.nat_sources = [svc_e]
    fw.fw_permit_sources = [svc_e]
    u.devices = [ic, ec, fw]
    u.exits = [
        {
            "id": "municipal-isp1",
            "device": "xa-fw1",
            "interface": "GigabitEthernet1/0/2",
            "isp": "中国电信",
            "public_ips": [str(at(sub, 1))],
        }
    ]
    u.networks = {"management": [str(mgmt)]}
    return u


def _slot(i: int) -> str:
    """Unit i's port on a municipal core: 8 line cards of 48 ports per chassis slot group."""
    card, port = divmod(i - 1, 48)
    return f"GE{1 + card // 8}/{card % 8}/{port + 1}" if card else f"GE1/0/{port + 1}"


# --------------------------------------------------------------------------- writing


def render_device(spec: Any, blocks: list[list[str]]) -> bytes:
    text = _insert_blocks(xg.RENDERERS[spec.style](spec), spec.style, blocks)
    if spec.capture:
        text = xg.capture(spec, text)
    return str(text).encode(spec.encoding)


def unit_data(u: UnitPlan) -> dict[str, object]:
    unit_def = xg.UnitDef(u.uid, u.name, u.kind, u.responsible, u.profile, campus=u.campus)
    built = xg.Built(unit_def, u.index, u.networks, u.devices, u.exits, [])
    data: dict[str, object] = xg.unit_yaml(built)
    return data


def city_data() -> dict[str, object]:
    data = dict(xg.CITY)
    data["id"] = "gencity"
    data["name"] = "合成城市"
    data["platforms"] = {"intranet": [str(INTRA_PLATFORM)], "extranet": [str(EXTRA_PLATFORM)]}
    return data


@dataclass(frozen=True, slots=True)
class CitySize:
    units: int
    per_unit: int

    @property
    def devices(self) -> int:
        return self.units * self.per_unit + 3

    @classmethod
    def for_devices(cls, devices: int, per_unit: int) -> CitySize:
        """The city of ``units × per_unit + 3`` devices closest to ``devices`` from above."""
        units = max(1, -(-(devices - 3) // per_unit))
        return cls(units, per_unit)


def plan_city(size: CitySize, seed: int, violations: float) -> Iterator[UnitPlan]:
    """Every unit, municipal platform last (it routes to every unit)."""
    if not 1 <= size.units <= MAX_UNITS:
        raise ValueError(f"--units must be 1..{MAX_UNITS} (the address plan's size)")
    if not MIN_PER_UNIT <= size.per_unit <= MAX_PER_UNIT:
        raise ValueError(f"--per-unit must be {MIN_PER_UNIT}..{MAX_PER_UNIT}")
    pool = PublicPool()
    intra: list[Any] = []
    extra: list[Any] = []
    for i in range(1, size.units + 1):
        u, ir, er = plan_unit(i, size.per_unit, seed, violations, pool)
        intra += ir
        extra += er
        yield u
    yield plan_municipal(size.units, intra, extra, pool)


def generate(out: Path, size: CitySize, seed: int = 1, violations: float = 0.1) -> int:
    """Write the city into ``out`` (its ``units/`` and ``configs/`` are replaced); return the
    number of devices written."""
    for sub in ("units", "configs"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
        (out / sub).mkdir(parents=True)
    (out / "city.yaml").write_text(xg.dump(city_data()), encoding="utf-8")
    planted: dict[str, dict[str, object]] = {"units": {}, "devices": {}}
    count = 0
    for u in plan_city(size, seed, violations):
        (out / "units" / f"{u.uid}.yaml").write_text(xg.dump(unit_data(u)), encoding="utf-8")
        for s in u.devices:
            (out / "configs" / f"{s.name}.cfg").write_bytes(
                render_device(s, u.extras.get(s.name, []))
            )
            count += 1
        if u.fault:
            planted["units"][u.uid] = u.fault
        planted["devices"].update(u.device_faults)
    (out / "planted.json").write_text(
        json.dumps(planted, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("out", type=Path, help="inventory folder to write (created)")
    ap.add_argument("--devices", type=int, help="about this many devices (sets --units)")
    ap.add_argument("--units", type=int, default=10)
    ap.add_argument("--per-unit", type=int, default=10, help="devices per unit (5..48)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--violations", type=float, default=0.1, help="proportion planted (0..1)")
    args = ap.parse_args(argv)
    size = (
        CitySize.for_devices(args.devices, args.per_unit)
        if args.devices
        else CitySize(args.units, args.per_unit)
    )
    try:
        n = generate(args.out, size, args.seed, args.violations)
    except ValueError as exc:
        print(f"gencity: {exc}", file=sys.stderr)
        return 2
    print(f"{args.out}: {size.units} units, {n} devices (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
