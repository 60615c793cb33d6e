"""Generate the shipped sample city ``inventories/xian`` (fictional addresses, real place names).

Stage: test data. Input: nothing but this file (stdlib + PyYAML). Output: ``city.yaml``,
``units/<unit>.yaml``, ``configs/<device>.cfg`` and ``EXPECTED.md`` beside this script, written
byte-for-byte the same on every run (``python inventories/xian/generate.py [OUT_DIR]``).

How it is built: every device is first described vendor-neutrally (``Spec``: ports, VLANs,
static routes, NAT, firewall policy, management settings and planted faults); one renderer per
configuration style then prints what that platform's ``display current-configuration`` /
``show running-config`` looks like (VRP5, USG, VRP8, Comware 7, Comware 5, IOS/IOS-XE, RGOS).
Planted violations record the results an audit must report (``expect``); EXPECTED.md is written
from that list so the table and the configs cannot drift apart.

Address plan (unit index i; municipal = 0, districts 1-13, development zones 14-20,
departments 21-29):
  intranet   10.(20+i).0.0/16      intranet LAN 10.(20+i).0.0/24 on the unit's intranet router
  extranet   172.(17+(i-1)//8).((i-1)%8*32).0/19 = B/19: office B+10.., servers B+20, links B+31
  management 10.255.i.0/24         (core Vlanif99 .1, access .11/.12, loopbacks .3/.4/.5/.6)
  private    10.200.i.0/24
  platform   unit <-> municipal intranet core 10.0.128.4i/30, extranet core 172.16.128.4i/30
  internet   /30s from 203.0.113.0/24 then 198.51.100.32/27+ (never TEST-NET-1)
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent

INTRA_PLATFORM = IPv4Network("10.0.0.0/16")
EXTRA_PLATFORM = IPv4Network("172.16.0.0/16")
SYSLOG = IPv4Address("10.255.0.20")
NTP = IPv4Address("10.255.0.10")
REFLECTOR = IPv4Address("198.51.100.7")


def net(text: str) -> IPv4Network:
    return IPv4Network(text)


def ifc(addr: IPv4Address | str, plen: int) -> IPv4Interface:
    return IPv4Interface(f"{addr}/{plen}")


def wildcard(n: IPv4Network) -> str:
    return str(n.hostmask)


def fake(seed: str, alphabet: str, n: int) -> str:
    """Deterministic filler that looks like a hash / cipher text (never a real secret)."""
    out: list[str] = []
    counter = 0
    while len(out) < n:
        digest = hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        out.extend(alphabet[b % len(alphabet)] for b in digest)
        counter += 1
    return "".join(out[:n])


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./"
HWCIPHER = B64 + "!#&()*+,-:;<=>?@[]^_`{|}~"
HEX = "0123456789ABCDEF"


# --------------------------------------------------------------------------- the neutral model


@dataclass
class Port:
    name: str
    desc: str = ""
    ip: IPv4Interface | None = None
    access_vlan: int | None = None
    trunk_vlans: list[int] | None = None
    shutdown: bool = False
    zone: str | None = None  # firewall zone: trust / untrust / dmz
    nat_out: bool = False  # source NAT (easy-ip / overload) of the office subnets out of here
    nat_inside: bool = False  # IOS/RGOS `ip nat inside`

    @property
    def routed(self) -> bool:
        return self.ip is not None


@dataclass
class Route:
    prefix: IPv4Network
    next_hop: IPv4Address
    preference: int | None = None
    desc: str = ""


@dataclass
class NatServer:
    name: str
    global_ip: IPv4Address
    global_port: int
    inside_ip: IPv4Address
    inside_port: int


@dataclass
class Spec:
    name: str
    platform: str  # netmiko device_type
    style: str  # vrp5 | usg | vrp8 | cw7 | cw5 | ios | rgos
    role: str  # core | access | router | firewall
    model: str
    host: IPv4Address
    mgmt_net: IPv4Network  # the unit's management network (vty/SNMP ACL source)
    vlans: list[tuple[int, str]] = field(default_factory=list)
    ports: list[Port] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    nat_sources: list[IPv4Network] = field(default_factory=list)  # subnets NATed outbound
    nat_servers: list[NatServer] = field(default_factory=list)
    fw_permit_sources: list[IPv4Network] = field(default_factory=list)
    fw_default_permit: bool = False
    faults: set[str] = field(default_factory=set)
    encoding: str = "utf-8"
    capture: bool = False  # saved from a terminal: prompt, echo, pager leftovers

    @property
    def is_firewall(self) -> bool:
        return self.role == "firewall"


# Faults a renderer understands (each maps to one or more MLPS results, see Unit builders):
#   telnet, ssh1, http, snmp-public, no-syslog, no-ntp, cleartext, type7, no-pwpolicy,
#   no-lockout, vty-no-acl, idle0, console-none, default-permit (firewall)


def mgmt_vlan_port(spec: Spec, vlan: int, addr: IPv4Address) -> Port:
    return Port(vlanif(spec.style, vlan), "management", ifc(addr, 24))


def vlanif(style: str, vlan: int) -> str:
    return {
        "vrp5": f"Vlanif{vlan}",
        "usg": f"Vlanif{vlan}",
        "vrp8": f"Vlanif{vlan}",
        "cw7": f"Vlan-interface{vlan}",
        "cw5": f"Vlan-interface{vlan}",
        "ios": f"Vlan{vlan}",
        "rgos": f"VLAN {vlan}",
    }[style]


def loopback(style: str) -> str:
    return {"ios": "Loopback0", "rgos": "Loopback 0"}.get(style, "LoopBack0")


def phys(style: str, role: str, n: int) -> str:
    """The n-th physical port (1-based) of a device of this style and role."""
    if style == "vrp5":
        return f"GigabitEthernet0/0/{n - 1}" if role in ("router",) else f"GigabitEthernet0/0/{n}"
    if style == "usg":
        return f"GigabitEthernet1/0/{n - 1}"
    if style == "vrp8":
        return f"GE1/0/{n}" if role != "router" else f"GigabitEthernet0/1/{n - 1}"
    if style in ("cw7", "cw5"):
        return f"GigabitEthernet1/0/{n}" if role != "router" else f"GigabitEthernet0/{n - 1}"
    if style == "ios":
        return (
            f"GigabitEthernet1/0/{n}"
            if role in ("core", "access")
            else f"GigabitEthernet0/0/{n - 1}"
        )
    if style == "rgos":
        return (
            f"GigabitEthernet 0/{n}" if role in ("core", "access") else f"GigabitEthernet 0/{n - 1}"
        )
    raise ValueError(style)


def pw_hash(style: str, seed: str) -> str:
    if style in ("vrp5", "usg"):
        return "$1a$" + fake(seed, HWCIPHER, 20) + "$" + fake(seed + "b", HWCIPHER, 44) + "$"
    if style == "vrp8":
        return "$1c$" + fake(seed, HWCIPHER, 10) + "$" + fake(seed + "b", HWCIPHER, 44) + "$"
    if style == "cw7":
        return "$h$6$" + fake(seed, B64, 16) + "$" + fake(seed + "b", B64, 86) + "=="
    if style == "ios":
        return "$9$" + fake(seed, B64, 14) + "$" + fake(seed + "b", B64, 43)
    if style == "rgos":
        return "$1$" + fake(seed, B64, 8) + "$" + fake(seed + "b", B64, 22)
    raise ValueError(style)


def hw_cipher(seed: str) -> str:
    return "%^%#" + fake(seed, HWCIPHER, 40) + "%^%#"


def h3c_cipher(seed: str) -> str:
    return "$c$3$" + fake(seed, B64, 40) + "=="


def mask(n: IPv4Network) -> str:
    return str(n.netmask)


# --------------------------------------------------------------------------- Huawei family


def hw_block(lines: list[str], body: list[str]) -> None:
    lines.append("#")
    lines.extend(body)


def hw_acls(spec: Spec, lead: str) -> list[str]:
    """Basic ACL 2000: the unit's management network only (vty, SSH, SNMP)."""
    m = spec.mgmt_net
    return [
        f"{lead}acl number 2000",
        f"{lead} description management-hosts",
        f"{lead} rule 5 permit source {m.network_address} {wildcard(m)}",
        f"{lead} rule 100 deny",
    ]


def hw_nat_acl(spec: Spec, lead: str) -> list[str]:
    out = [f"{lead}acl number 3000", f"{lead} description office-nat"]
    for k, n in enumerate(spec.nat_sources):
        out.append(f"{lead} rule {5 * (k + 1)} permit ip source {n.network_address} {wildcard(n)}")
    return out


def hw_port(spec: Spec, p: Port, lead: str, v8: bool) -> list[str]:
    out = [f"{lead}interface {p.name}"]
    if p.desc:
        out.append(f"{lead} description {p.desc}")
    if p.access_vlan is not None:
        if not v8:
            out.append(f"{lead} port link-type access")
        out.append(f"{lead} port default vlan {p.access_vlan}")
    if p.trunk_vlans is not None:
        out.append(f"{lead} port link-type trunk")
        vl = " ".join(str(v) for v in p.trunk_vlans)
        out.append(f"{lead} port trunk allow-pass vlan {vl}")
    if p.ip is not None:
        if v8 and p.name.startswith("GE"):
            out.append(f"{lead} undo portswitch")
        out.append(f"{lead} ip address {p.ip.ip} {p.ip.netmask}")
    if p.nat_out and spec.style != "usg":
        out.append(f"{lead} nat outbound 3000")
    if spec.style == "usg" and p.ip is not None and not p.name.startswith("LoopBack"):
        if p.zone == "untrust":
            out.append(f"{lead} undo service-manage enable")
        else:
            out.append(f"{lead} service-manage ssh permit")
            out.append(f"{lead} service-manage snmp permit")
    if p.shutdown:
        out.append(f"{lead} shutdown")
    return out


def hw_routes(spec: Spec, lead: str, v8: bool) -> list[str]:
    out = []
    for r in spec.routes:
        line = f"{lead}ip route-static {r.prefix.network_address} {mask(r.prefix)} {r.next_hop}"
        if r.preference is not None:
            line += f" preference {r.preference}"
        if r.desc:
            line += f" description {r.desc}"
        out.append(line)
    return out


def hw_snmp(spec: Spec, lead: str) -> list[str]:
    s = spec.name
    return [
        f"{lead}snmp-agent",
        f"{lead}snmp-agent local-engineid 800007DB03{fake(s, HEX, 12)}",
        f"{lead}snmp-agent sys-info version v3",
        f"{lead}snmp-agent group v3 nms-group privacy read-view iso-view acl 2000",
        f"{lead}snmp-agent mib-view included iso-view iso",
        f"{lead}snmp-agent usm-user v3 nmsuser",
        f"{lead}snmp-agent usm-user v3 nmsuser group nms-group",
        f"{lead}snmp-agent usm-user v3 nmsuser authentication-mode sha cipher {hw_cipher(s + 'a')}",
        f"{lead}snmp-agent usm-user v3 nmsuser privacy-mode aes128 cipher {hw_cipher(s + 'p')}",
        f"{lead}snmp-agent usm-user v3 nmsuser acl 2000",
    ]


def hw_user_interfaces(spec: Spec, v8: bool) -> list[str]:
    f = spec.faults
    idle = "idle-timeout 0 0" if "idle0" in f else "idle-timeout 5 0"
    proto = "protocol inbound all" if "telnet" in f else "protocol inbound ssh"
    out = ["user-interface con 0", " authentication-mode aaa", f" {idle}"]
    out += ["user-interface vty 0 4"]
    if "vty-no-acl" not in f:
        out.append(" acl 2000 inbound")
    out += [" authentication-mode aaa", f" {idle}", f" {proto}"]
    if v8:
        out += ["user-interface vty 16 20", " acl 2000 inbound", " authentication-mode aaa"]
        out += [f" {idle}", f" {proto}"]
    return out


def render_vrp5(spec: Spec) -> str:
    """Huawei VRP5 (S-series switches V200R0xx, AR routers): `display current-configuration`."""
    f = spec.faults
    L: list[str] = ["!Software Version V200R019C10SPC500", "#", f"sysname {spec.name}"]
    if spec.vlans:
        hw_block(L, ["vlan batch " + " ".join(str(v) for v, _ in spec.vlans)])
    hw_block(L, ["telnet server enable" if "telnet" in f else "undo telnet server enable"])
    hw_block(
        L,
        [
            "undo http server enable",
            "undo http secure-server enable",
            "undo ftp server enable",
        ],
    )
    hw_block(L, ["clock timezone Beijing add 08:00:00"])
    for v, name in spec.vlans:
        hw_block(L, [f"vlan {v}", f" description {name}"])
    hw_block(L, hw_acls(spec, ""))
    if spec.nat_sources:
        hw_block(L, hw_nat_acl(spec, ""))
    aaa = [
        "aaa",
        " authentication-scheme default",
        " authorization-scheme default",
        " accounting-scheme default",
    ]
    if "no-pwpolicy" not in f:
        aaa += [
            " local-aaa-user password policy administrator",
            "  password history record number 5",
            "  password expire 90",
            " user-password min-len 8",
            " user-password complexity-check",
        ]
    if "no-lockout" not in f:
        aaa.append(" local-aaa-user wrong-password retry-interval 5 retry-time 5 block-time 15")
    aaa += [" domain default", " domain default_admin"]
    if "cleartext" in f:
        aaa.append(
            " local-user netadmin password cipher "
            + "%@%@"
            + fake(spec.name, HWCIPHER, 40)
            + "%@%@"
        )
    else:
        aaa.append(
            f" local-user netadmin password irreversible-cipher {pw_hash('vrp5', spec.name)}"
        )
    aaa += [
        " local-user netadmin privilege level 15",
        " local-user netadmin service-type ssh terminal",
    ]
    hw_block(L, aaa)
    for p in spec.ports:
        hw_block(L, hw_port(spec, p, "", v8=False))
    hw_block(L, ["interface NULL0"])
    if "no-syslog" not in f:
        hw_block(L, [f"info-center loghost {SYSLOG}"])
    hw_block(L, hw_snmp(spec, ""))
    ssh = ["stelnet server enable"]
    ssh.append(
        "ssh server compatible-ssh1x enable"
        if "ssh1" in f
        else "undo ssh server compatible-ssh1x enable"
    )
    ssh += ["ssh user netadmin", "ssh user netadmin authentication-type password"]
    ssh += ["ssh user netadmin service-type stelnet"]
    if "vty-no-acl" not in f:
        ssh.append("ssh server acl 2000")
    hw_block(L, ssh)
    if spec.routes:
        hw_block(L, hw_routes(spec, "", v8=False))
    hw_block(L, hw_user_interfaces(spec, v8=False))
    if "no-ntp" not in f:
        hw_block(L, [f"ntp-service unicast-server {NTP}"])
    L += ["#", "return"]
    return "\n".join(L) + "\n"


def render_vrp8(spec: Spec) -> str:
    """Huawei VRP8 (CloudEngine switches, NetEngine routers): `display current-configuration`."""
    f = spec.faults
    L: list[str] = [
        "!Software Version V200R021C10SPC600",
        "!Last configuration was updated at 2024-05-20 10:12:31+08:00 by netadmin",
        "!Last configuration was saved at 2024-05-20 10:13:02+08:00",
        "#",
        f"sysname {spec.name}",
        "#",
        "clock timezone Beijing add 08:00:00",
    ]
    if spec.vlans:
        hw_block(L, ["vlan batch " + " ".join(str(v) for v, _ in spec.vlans)])
    if "no-ntp" in f:
        hw_block(L, ["ntp server disable", "ntp ipv6 server disable"])
    else:
        hw_block(L, ["ntp server disable", "ntp ipv6 server disable", f"ntp unicast-server {NTP}"])
    hw_block(L, ["telnet server disable", "telnet ipv6 server disable"])
    hw_block(
        L, ["undo http server enable", "undo http secure-server enable", "undo ftp server enable"]
    )
    hw_block(L, ["diffserv domain default"])
    for v, name in spec.vlans:
        hw_block(L, [f"vlan {v}", f" description {name}"])
    hw_block(L, hw_acls(spec, ""))
    aaa = [
        "aaa",
        " local-user netadmin password irreversible-cipher " + pw_hash("vrp8", spec.name),
        " local-user netadmin service-type ssh terminal",
        " local-user netadmin level 3",
        " local-user netadmin state block fail-times 5 interval 15",
        " local-aaa-user password policy administrator",
        "  password history record number 5",
        "  password expire 90",
        " user-password min-len 8",
        " user-password complexity-check",
        " #",
        " authentication-scheme default",
        " #",
        " authorization-scheme default",
        " #",
        " accounting-scheme default",
        " #",
        " domain default",
        " #",
        " domain default_admin",
    ]
    hw_block(L, aaa)
    for p in spec.ports:
        hw_block(L, hw_port(spec, p, "", v8=True))
    hw_block(L, ["interface NULL0"])
    if spec.routes:
        hw_block(L, hw_routes(spec, "", v8=True))
    hw_block(L, hw_snmp(spec, ""))
    hw_block(
        L,
        [
            "stelnet server enable",
            "undo ssh server compatible-ssh1x enable",
            "ssh server acl 2000",
            "ssh user netadmin",
            "ssh user netadmin authentication-type password",
            "ssh user netadmin service-type stelnet",
            "ssh authorization-type default aaa",
        ],
    )
    if "no-syslog" not in f:
        hw_block(L, [f"info-center loghost {SYSLOG}"])
    hw_block(L, hw_user_interfaces(spec, v8=True))
    L += ["#", "return"]
    return "\n".join(L) + "\n"


def render_usg(spec: Spec) -> str:
    """Huawei USG6000 (V500) firewall: top-level lines carry a leading space, as USG prints them."""
    f = spec.faults
    name = spec.name
    L: list[str] = [f"{_date_line(name)}", "#"]
    for ns in spec.nat_servers:
        L.append(
            f" nat server {ns.name} protocol tcp global {ns.global_ip} {ns.global_port}"
            f" inside {ns.inside_ip} {ns.inside_port} no-reverse"
        )
    if spec.nat_servers:
        L.append("#")
    L += [f" sysname {name}", "#", " undo telnet server enable", "#"]
    L += [" undo web-manager enable", " undo web-manager security enable", "#"]
    L += [" undo ftp server enable", "#", " clock timezone Beijing add 08:00:00", "#"]
    L += hw_acls(spec, "")
    L.append("#")
    for p in spec.ports:
        L += hw_port(spec, p, "", v8=False)
        L.append("#")
    L += ["interface NULL0", "#"]
    zones: dict[str, tuple[int, list[str]]] = {
        "local": (100, []),
        "trust": (85, []),
        "untrust": (5, []),
        "dmz": (50, []),
    }
    for p in spec.ports:
        if p.zone:
            zones[p.zone][1].append(p.name)
    for z, (prio, members) in zones.items():
        L += [f"firewall zone {z}", f" set priority {prio}"]
        L += [f" add interface {m}" for m in members]
        L.append("#")
    aaa = [
        "aaa",
        " authentication-scheme default",
        " authentication-scheme admin_local",
        " #",
        " authorization-scheme default",
        " #",
        " accounting-scheme default",
        " #",
        " domain default",
        " #",
        " manager-user netadmin",
        "  password cipher %@%@" + fake(name, HWCIPHER, 56) + "%@%@",
        "  service-type terminal ssh",
        "  level 15",
        "  ssh authentication-type password",
        "  ssh service-type stelnet",
        "  authentication-scheme admin_local",
        " #",
        " lock-authentication failed-count 5",
        " lock-authentication timeout 15",
    ]
    L += [*aaa, "#"]
    L += [*hw_routes(spec, " ", v8=False), "#"]
    L += [*hw_snmp(spec, " "), "#"]
    L += [
        " stelnet server enable",
        " undo ssh server compatible-ssh1x enable",
        " ssh server acl 2000",
        "#",
    ]
    if "no-syslog" not in f:
        L += [f" info-center loghost {SYSLOG}", "#"]
    if "no-ntp" not in f:
        L += [f" ntp-service unicast-server {NTP}", "#"]
    L += ["user-interface con 0", " authentication-mode aaa", " idle-timeout 5 0"]
    L += ["user-interface vty 0 4", " acl 2000 inbound", " authentication-mode aaa"]
    L += [" idle-timeout 5 0", " protocol inbound ssh", "#"]
    for k, n in enumerate(spec.fw_permit_sources):
        L += [
            f"ip address-set office{k + 1} type object",
            f" address 0 {n.network_address} mask {n.prefixlen}",
            "#",
        ]
    for ns in spec.nat_servers:
        L += [f"ip service-set {ns.name} type object"]
        L += [
            f" service 0 protocol tcp source-port 0 to 65535 destination-port {ns.inside_port}",
            "#",
        ]
    L += ["security-policy"]
    L.append(" default action permit" if spec.fw_default_permit else " default action deny")
    L += [" rule name office-to-internet", "  source-zone trust", "  destination-zone untrust"]
    L += [f"  source-address address-set office{k + 1}" for k in range(len(spec.fw_permit_sources))]
    L += ["  action permit"]
    for ns in spec.nat_servers:
        L += [
            f" rule name publish-{ns.name}",
            "  source-zone untrust",
            "  destination-zone trust",
            f"  destination-address {ns.inside_ip} mask 255.255.255.255",
            f"  service {ns.name}",
            "  action permit",
        ]
    L += ["#", "nat-policy"]
    for p in spec.ports:
        if p.nat_out:
            L += [
                f" rule name snat-{p.name.replace('/', '-')}",
                "  source-zone trust",
                f"  egress-interface {p.name}",
            ]
            L += [
                f"  source-address address-set office{k + 1}"
                for k in range(len(spec.fw_permit_sources))
            ]
            L += ["  action source-nat easy-ip"]
    L += ["#", "return"]
    return "\n".join(L) + "\n"


def _date_line(seed: str) -> str:
    day = 1 + int(fake(seed, "0123456789", 2)) % 28
    return f"2024-06-{day:02d} 09:30:12.417 +08:00"


# --------------------------------------------------------------------------- H3C Comware


def cw_port(spec: Spec, p: Port, v7: bool) -> list[str]:
    out = [f"interface {p.name}"]
    if (
        p.name.startswith(("GigabitEthernet", "Ten-GigabitEthernet"))
        and p.ip is not None
        and spec.role not in {"router", "firewall"}
    ):
        out.append(" port link-mode route")
    if p.desc:
        out.append(f" description {p.desc}")
    if p.access_vlan is not None:
        if not v7:
            out.append(" port link-type access")
        out.append(f" port access vlan {p.access_vlan}")
    if p.trunk_vlans is not None:
        out.append(" port link-type trunk")
        out.append(" undo port trunk permit vlan 1")
        out.append(" port trunk permit vlan " + " ".join(str(v) for v in p.trunk_vlans))
    if p.ip is not None:
        out.append(f" ip address {p.ip.ip} {p.ip.netmask}")
    if p.nat_out:
        out.append(" nat outbound 3001")
    for ns in spec.nat_servers:
        if p.nat_out and p.ip is not None and ns.global_ip in p.ip.network:
            out.append(
                f" nat server protocol tcp global {ns.global_ip} {ns.global_port}"
                f" inside {ns.inside_ip} {ns.inside_port}"
            )
    if p.shutdown:
        out.append(" shutdown")
    return out


def render_cw7(spec: Spec) -> str:
    """H3C Comware 7 (S-series switches, MSR routers, SecPath F-series firewalls)."""
    f = spec.faults
    m = spec.mgmt_net
    L: list[str] = ["#", " version 7.1.064, Release 6555P01", "#", f" sysname {spec.name}", "#"]
    L += [" clock timezone Beijing add 08:00:00", "#"]
    if "no-ntp" not in f:
        L += [" ntp-service enable", f" ntp-service unicast-server {NTP}", "#"]
    L += [" undo telnet server enable", "#"]
    L += [" password-control enable", " password-control length 10"]
    L += [" password-control composition type-number 3 type-length 1", " password-control aging 90"]
    L += [" password-control login-attempt 5 exceed lock-time 15", "#"]
    for v, name in spec.vlans:
        L += [f"vlan {v}", f" name {name}", "#"]
    if spec.is_firewall:
        L += ["security-zone name Local", "#"]
        for z, zname in (("trust", "Trust"), ("untrust", "Untrust"), ("dmz", "DMZ")):
            L.append(f"security-zone name {zname}")
            L += [f" import interface {p.name}" for p in spec.ports if p.zone == z]
            L.append("#")
    for p in spec.ports:
        L += [*cw_port(spec, p, v7=True), "#"]
    L += [" scheduler logfile size 16", "#"]
    routes = []
    for r in spec.routes:
        line = f" ip route-static {r.prefix.network_address} {r.prefix.prefixlen} {r.next_hop}"
        if r.preference is not None:
            line += f" preference {r.preference}"
        if r.desc:
            line += f" description {r.desc}"
        routes.append(line)
    if routes:
        L += [*routes, "#"]
    if "no-syslog" not in f:
        L += [f" info-center loghost {SYSLOG}", "#"]
    L += [" snmp-agent", f" snmp-agent local-engineid 800063A280{fake(spec.name, HEX, 12)}"]
    L += [" snmp-agent sys-info version v3", " snmp-agent group v3 nms-group privacy acl 2000"]
    L += [
        f" snmp-agent usm-user v3 nmsuser nms-group cipher authentication-mode sha"
        f" {h3c_cipher(spec.name + 'a')} privacy-mode aes128 {h3c_cipher(spec.name + 'p')}"
        " acl 2000",
        "#",
    ]
    L += [
        " ssh server enable",
        " undo ssh server compatible-ssh1x enable",
        " ssh server acl 2000",
        "#",
    ]
    L += ["acl basic 2000", " description management-hosts"]
    L += [
        f" rule 5 permit source {m.network_address} {wildcard(m)}",
        " rule 100 deny source any",
        "#",
    ]
    if spec.nat_sources:
        L += ["acl advanced 3001", " description office-nat"]
        for k, n in enumerate(spec.nat_sources):
            L.append(f" rule {5 * (k + 1)} permit ip source {n.network_address} {wildcard(n)}")
        L.append("#")
    if spec.is_firewall:
        L += ["security-policy ip", " rule 0 name office-to-internet", "  action pass"]
        L += ["  source-zone Trust", "  destination-zone Untrust"]
        L += [f"  source-ip-subnet {n.network_address} {n.netmask}" for n in spec.fw_permit_sources]
        L += [" rule 100 name deny-all", "  action drop", "#"]
    con_auth = "none" if "console-none" in f else "scheme"
    L += ["line class console", " user-role network-admin", "#"]
    L += ["line class vty", " user-role network-operator", "#"]
    L += [
        "line con 0",
        f" authentication-mode {con_auth}",
        " user-role network-admin",
        " idle-timeout 5 0",
        "#",
    ]
    L += ["line vty 0 63", " authentication-mode scheme", " user-role network-admin"]
    L += [" protocol inbound ssh", " idle-timeout 5 0", "#"]
    L += ["domain system", "#", " domain default enable system", "#"]
    L += ["role name level-0", " description Predefined level-0 role", "#"]
    L += ["user-group system", "#"]
    L += ["local-user netadmin class manage", f" password hash {pw_hash('cw7', spec.name)}"]
    L += [" service-type ssh terminal", " authorization-attribute user-role network-admin", "#"]
    L += [" undo ip http enable", " undo ip https enable", "#", " undo ftp server enable", "#"]
    L += ["return"]
    return "\n".join(L) + "\n"


def render_cw5(spec: Spec) -> str:
    """H3C Comware 5 (S5120-EI class switches, V5.20): `user-interface`, `acl number`."""
    f = spec.faults
    m = spec.mgmt_net
    L: list[str] = ["#", " version 5.20.99, Release 2221P22", "#", f" sysname {spec.name}", "#"]
    L += [" clock timezone Beijing add 08:00:00", "#", " undo telnet server enable", "#"]
    L += [" undo ip http enable", "#", " undo ftp server enable", "#"]
    if "no-pwpolicy" not in f:
        L += [" password-control enable", " password-control length 10"]
        L += [
            " password-control composition type-number 3 type-length 1",
            " password-control aging 90",
            "#",
        ]
    if "no-lockout" not in f:
        L += [" password-control login-attempt 5 exceed lock-time 15", "#"]
    L += [" domain default enable system", "#"]
    L += ["acl number 2000", " description management-hosts"]
    L += [f" rule 5 permit source {m.network_address} {wildcard(m)}", " rule 100 deny", "#"]
    for v, name in spec.vlans:
        L += [f"vlan {v}", f" name {name}", "#"]
    L += [
        "domain system",
        " access-limit disable",
        " state active",
        " idle-cut disable",
        " self-service-url disable",
        "#",
    ]
    L.append("local-user netadmin")
    if "cleartext" in f:
        L.append(" password simple " + fake(spec.name, "abcdefghjkmnpqrstuvwxyz23456789", 10))
    else:
        L.append(" password cipher " + fake(spec.name, B64, 24))
    L += [" authorization-attribute level 3", " service-type ssh terminal", "#"]
    for p in spec.ports:
        L += [*cw_port(spec, p, v7=False), "#"]
    for r in spec.routes:
        L.append(f" ip route-static {r.prefix.network_address} {mask(r.prefix)} {r.next_hop}")
    L.append("#")
    if "no-syslog" not in f:
        L += [f" info-center loghost {SYSLOG}", "#"]
    L += [" snmp-agent", f" snmp-agent local-engineid 800063A203{fake(spec.name, HEX, 12)}"]
    L += [" snmp-agent sys-info version v3", " snmp-agent group v3 nms-group privacy acl 2000"]
    L += [
        f" snmp-agent usm-user v3 nmsuser nms-group cipher authentication-mode sha"
        f" {fake(spec.name + 'a', B64, 24)} privacy-mode aes128 {fake(spec.name + 'p', B64, 24)}"
        " acl 2000",
        "#",
    ]
    if "no-ntp" not in f:
        L += [f" ntp-service unicast-server {NTP}", "#"]
    L += [" ssh server enable", " undo ssh server compatible-ssh1x enable", "#"]
    L += ["user-interface aux 0", " authentication-mode scheme", " idle-timeout 5 0"]
    L += ["user-interface vty 0 4", " acl 2000 inbound", " authentication-mode scheme"]
    L += [" protocol inbound ssh", " idle-timeout 5 0", "#", "return"]
    return "\n".join(L) + "\n"


# --------------------------------------------------------------------------- Cisco IOS / IOS-XE


def ios_port(spec: Spec, p: Port) -> list[str]:
    out = [f"interface {p.name}"]
    if p.desc:
        out.append(f" description {p.desc}")
    if p.access_vlan is not None:
        out += [f" switchport access vlan {p.access_vlan}", " switchport mode access"]
    if p.trunk_vlans is not None:
        vl = ",".join(str(v) for v in p.trunk_vlans)
        out += [f" switchport trunk allowed vlan {vl}", " switchport mode trunk"]
    if p.ip is not None:
        out.append(f" ip address {p.ip.ip} {p.ip.netmask}")
    elif p.access_vlan is None and p.trunk_vlans is None and not p.name.startswith("Vlan"):
        out.append(" no ip address")
    if p.nat_inside:
        out.append(" ip nat inside")
    if p.nat_out:
        out.append(" ip nat outside")
    if spec.is_firewall and p.zone:
        out.append(f" zone-member security {'INSIDE' if p.zone == 'trust' else 'OUTSIDE'}")
    if p.ip is not None and not p.name.startswith("Loopback"):
        out.append(" no ip redirects")
        out.append(" no ip proxy-arp")
    if p.shutdown:
        out.append(" shutdown")
    elif p.ip is not None and p.name.startswith("GigabitEthernet0/0/"):
        out.append(" negotiation auto")
    return out


def render_ios(spec: Spec) -> str:
    """Cisco IOS-XE (Catalyst 9300 switches, ISR 4000 routers / zone-based firewalls)."""
    f = spec.faults
    m = spec.mgmt_net
    body: list[str] = [
        "!",
        "! Last configuration change at 10:21:07 CST Mon May 20 2024 by netadmin",
        "!",
    ]
    body += [
        "version 17.6",
        "service timestamps debug datetime msec",
        "service timestamps log datetime msec",
    ]
    body += ["service password-encryption"]
    body += ["!", f"hostname {spec.name}", "!", "boot-start-marker", "boot-end-marker", "!"]
    body += [f"enable secret 9 {pw_hash('ios', spec.name + 'en')}", "!"]
    body += ["aaa new-model", "!", "aaa authentication login LOCAL-AUTH local"]
    body += ["aaa authorization exec LOCAL-AUTH local"]
    if "no-lockout" not in f:
        body += ["aaa local authentication attempts max-fail 5"]
    body += ["!", "aaa session-id common", "clock timezone CST 8 0", "!"]
    if "no-pwpolicy" not in f:
        body += [
            "aaa common-criteria policy PW-POLICY",
            " min-length 8",
            " max-length 64",
            " upper-case 1",
            " lower-case 1",
            " numeric-count 1",
            " special-case 1",
            " lifetime days 90",
            "!",
            "security passwords min-length 8",
            "!",
        ]
    body += ["no ip domain lookup", "ip domain name egov.xa", "!"]
    for v, name in spec.vlans:
        body += [f"vlan {v}", f" name {name}", "!"]
    if "type7" in f:
        body += [f"username netadmin privilege 15 password 7 {fake(spec.name, HEX, 22)}", "!"]
    elif "no-pwpolicy" in f:
        body += [f"username netadmin privilege 15 secret 9 {pw_hash('ios', spec.name)}", "!"]
    else:
        body += [
            "username netadmin privilege 15 common-criteria-policy PW-POLICY secret 9 "
            + pw_hash("ios", spec.name),
            "!",
        ]
    if spec.is_firewall:
        body += [
            "class-map type inspect match-any OFFICE-TO-INTERNET",
            " match access-group name OFFICE-NETS",
            "!",
        ]
        body += [
            "policy-map type inspect INSIDE-TO-OUTSIDE",
            " class type inspect OFFICE-TO-INTERNET",
        ]
        body += ["  inspect", " class class-default", "  drop log", "!"]
        body += ["zone security INSIDE", "zone security OUTSIDE"]
        body += ["zone-pair security IN-TO-OUT source INSIDE destination OUTSIDE"]
        body += [" service-policy type inspect INSIDE-TO-OUTSIDE", "!"]
    for p in spec.ports:
        body += [*ios_port(spec, p), "!"]
    body += ["no ip http server" if "http" not in f else "ip http server"]
    body += ["no ip http secure-server", "ip forward-protocol nd"]
    if spec.nat_sources:
        out = next(p for p in spec.ports if p.nat_out)
        body.append(f"ip nat inside source list NAT-OFFICE interface {out.name} overload")
    for r in spec.routes:
        line = f"ip route {r.prefix.network_address} {mask(r.prefix)} {r.next_hop}"
        if r.preference is not None:
            line += f" {r.preference}"
        if r.desc:
            line += f" name {r.desc}"
        body.append(line)
    if "ssh1" in f:
        body += ["ip ssh version 1"]
    else:
        body += ["ip ssh version 2"]
    body += ["ip ssh time-out 60", "ip ssh authentication-retries 3", "!"]
    if spec.nat_sources:
        body.append("ip access-list standard NAT-OFFICE")
        body += [f" permit {n.network_address} {wildcard(n)}" for n in spec.nat_sources]
    if spec.is_firewall:
        body.append("ip access-list extended OFFICE-NETS")
        body += [
            f" permit ip {n.network_address} {wildcard(n)} any" for n in spec.fw_permit_sources
        ]
    body += [
        "!",
        f"access-list 99 permit {m.network_address} {wildcard(m)}",
        "access-list 99 deny   any log",
        "!",
    ]
    if "no-syslog" not in f:
        body += ["logging trap informational", f"logging host {SYSLOG}", "!"]
    if "snmp-public" in f:
        body += ["snmp-server community public RO 99", "snmp-server community private RW 99"]
        body += ["snmp-server group NMS v3 priv access 99", "!"]
    elif "no-snmp" in f:
        body += ["no snmp-server", "!"]
    else:
        body += [
            "snmp-server view ALL iso included",
            "snmp-server group NMS v3 priv read ALL access 99",
            "!",
        ]
    body += [
        "control-plane",
        "!",
        "banner motd ^C",
        "Authorized access only. 授权访问。",
        "^C",
        "!",
    ]
    con_idle = "exec-timeout 0 0" if "idle0" in f else "exec-timeout 5 0"
    body += [
        "line con 0",
        f" {con_idle}",
        " logging synchronous",
        " login authentication LOCAL-AUTH",
    ]
    body += [" stopbits 1", "line vty 0 4"]
    if "vty-no-acl" not in f:
        body.append(" access-class 99 in")
    body += [f" {con_idle}", " login authentication LOCAL-AUTH"]
    body.append(" transport input telnet ssh" if "telnet" in f else " transport input ssh")
    body += [
        "line vty 5 15",
        " access-class 99 in" if "vty-no-acl" not in f else " no exec",
        f" {con_idle}",
    ]
    body += [" login authentication LOCAL-AUTH", " transport input none", "!"]
    if "no-ntp" not in f:
        body += [f"ntp server {NTP}", "!"]
    body += ["!", "end"]
    size = len("\n".join(body)) + 1
    head = ["Building configuration...", "", f"Current configuration : {size} bytes"]
    return "\n".join(head + body) + "\n"


# --------------------------------------------------------------------------- Ruijie RGOS


def rg_port(spec: Spec, p: Port) -> list[str]:
    out = [f"interface {p.name}"]
    if p.access_vlan is not None:
        out.append(f" switchport access vlan {p.access_vlan}")
    if p.trunk_vlans is not None:
        out.append(" switchport mode trunk")
    if (
        p.ip is not None
        and p.name.startswith("GigabitEthernet")
        and spec.role in ("core", "access")
    ):
        out.append(" no switchport")
    if p.desc:
        out.append(f" description {p.desc}")
    if p.ip is not None:
        out.append(f" ip address {p.ip.ip} {p.ip.netmask}")
    if p.nat_inside:
        out.append(" ip nat inside")
    if p.nat_out:
        out.append(" ip nat outside")
    if p.shutdown:
        out.append(" shutdown")
    return out


def render_rgos(spec: Spec) -> str:
    """Ruijie RGOS 11.x (S-series switches, RSR routers): `show running-config`."""
    f = spec.faults
    m = spec.mgmt_net
    body: list[str] = [
        "",
        "!",
        "version RGOS 10.4(3b17)p2 Release(185214)",
        f"hostname {spec.name}",
        "!",
    ]
    for v, name in spec.vlans:
        body += [f"vlan {v}", f" name {name}", "!"]
    body += [f"username netadmin privilege 15 secret 5 {pw_hash('rgos', spec.name)}", "!"]
    body += [f"enable secret 5 {pw_hash('rgos', spec.name + 'en')}", "!"]
    body += ["service password-encryption", "!"]
    body += ["aaa new-model", "!", "aaa authentication login LOCAL-AUTH local"]
    if "no-lockout" not in f:
        body += ["aaa local authentication attempts 5", "aaa local authentication lockout-time 15"]
    body += ["!"]
    if "no-pwpolicy" not in f:
        body += [
            "password policy min-size 8",
            "password policy strong",
            "password policy life-cycle 90",
            "!",
        ]
    body += ["no service pad", "!"]
    body += [
        "ip access-list standard 99",
        f" 10 permit {m.network_address} {wildcard(m)}",
        " 20 deny any",
        "!",
    ]
    if spec.nat_sources:
        body.append("ip access-list standard NAT-OFFICE")
        body += [
            f" {10 * (k + 1)} permit {n.network_address} {wildcard(n)}"
            for k, n in enumerate(spec.nat_sources)
        ]
        body.append("!")
    for p in spec.ports:
        body += [*rg_port(spec, p), "!"]
    if "no-syslog" not in f:
        body += [f"logging server {SYSLOG}", "!"]
    body += [
        "snmp-server view ALL 1 include",
        "snmp-server user nmsuser nms-group v3 encrypted"
        f" auth sha {fake(spec.name + 'a', HEX, 40)} priv aes128 {fake(spec.name + 'p', HEX, 32)}",
    ]
    body += ["snmp-server group nms-group v3 priv read ALL access 99", "!"]
    body += [
        "no enable service telnet-server",
        "no enable service web-server",
        "enable service ssh-server",
    ]
    body += ["ip ssh version 2", "!"]
    for r in spec.routes:
        line = f"ip route {r.prefix.network_address} {mask(r.prefix)} {r.next_hop}"
        if r.preference is not None:
            line += f" {r.preference}"
        body.append(line)
    body.append("!")
    if "no-ntp" not in f:
        body += [f"ntp server {NTP}", "!"]
    idle = "exec-timeout 0 0" if "idle0" in f else "exec-timeout 5 0"
    body += ["line con 0", f" {idle}", " login authentication LOCAL-AUTH"]
    body += ["line vty 0 4"]
    if "vty-no-acl" not in f:
        body.append(" access-class 99 in")
    body += [f" {idle}", " login authentication LOCAL-AUTH", " transport input ssh", "!", "end"]
    size = len("\n".join(body)) + 1
    head = ["Building configuration...", f"Current configuration : {size} bytes"]
    return "\n".join(head + body) + "\n"


RENDERERS: dict[str, Callable[[Spec], str]] = {
    "vrp5": render_vrp5,
    "vrp8": render_vrp8,
    "usg": render_usg,
    "cw7": render_cw7,
    "cw5": render_cw5,
    "ios": render_ios,
    "rgos": render_rgos,
}

PLATFORM_OF = {
    "vrp5": "huawei",
    "usg": "huawei",
    "vrp8": "huawei_vrpv8",
    "cw7": "hp_comware",
    "cw5": "hp_comware",
    "ios": "cisco_ios",
    "rgos": "ruijie_os",
}


def capture(spec: Spec, text: str) -> str:
    """A terminal capture: prompt + echoed command, VRP pager leftovers, a trailing prompt.

    VRP prints ``  ---- More ----`` and, after the space key, erases it with ESC[42D, 42
    blanks, ESC[42D; the next line of the configuration then continues on the same line.
    """
    lines = text.rstrip("\n").split("\n")
    erase = "  ---- More ----\x1b[42D" + " " * 42 + "\x1b[42D"
    out = [f"<{spec.name}>display current-configuration"]
    for k, line in enumerate(lines):
        out.append(erase + line if k and k % 42 == 0 else line)
    out.append(f"<{spec.name}>")
    return "\r\n".join(out) + "\r\n"


# --------------------------------------------------------------------------- the city


@dataclass(frozen=True)
class UnitDef:
    id: str
    name: str
    kind: str  # municipal | district | county | devzone | department
    responsible: str
    profile: str  # platform mix, see PROFILES
    campus: str | None = None
    isps: tuple[str, ...] = ("中国电信",)
    overrides: tuple[tuple[str, str], ...] = ()  # (role key, style)
    zh: bool = False  # Chinese interface descriptions


# role key -> (style, model); role keys: core, acc, intra, ext, fw
PROFILES: dict[str, dict[str, tuple[str, str]]] = {
    "hw": {
        "core": ("vrp5", "S7706"),
        "acc": ("vrp5", "S5720-52X-SI"),
        "intra": ("vrp5", "AR2220"),
        "ext": ("vrp5", "AR2220"),
        "fw": ("cw7", "SecPath F1000-AK"),
    },
    "h3c": {
        "core": ("cw7", "S7506E"),
        "acc": ("cw7", "S5130-52S-EI"),
        "intra": ("cw7", "MSR3620"),
        "ext": ("cw7", "MSR3620"),
        "fw": ("cw7", "SecPath F1000-AK"),
    },
    "v8": {
        "core": ("vrp8", "CE6857-48S6CQ-EI"),
        "acc": ("vrp8", "CE5855-48T4S2Q-EI"),
        "intra": ("vrp8", "NE20E-S2F"),
        "ext": ("vrp8", "NE20E-S2F"),
        "fw": ("ios", "ISR4351"),
    },
    "cisco": {
        "core": ("ios", "C9300-48T"),
        "acc": ("ios", "C9200-48T"),
        "intra": ("ios", "ISR4331"),
        "ext": ("ios", "ISR4331"),
        "fw": ("ios", "ISR4351"),
    },
    "rj": {
        "core": ("rgos", "S6000C-48GT4XS-E"),
        "acc": ("rgos", "S2910-24GT4XS-E"),
        "intra": ("rgos", "RSR20-X"),
        "ext": ("rgos", "RSR20-X"),
        "fw": ("cw7", "SecPath F1000-AK"),
    },
    "mix": {
        "core": ("vrp5", "S7706"),
        "acc": ("rgos", "S2910-24GT4XS-E"),
        "intra": ("vrp8", "NE20E-S2F"),
        "ext": ("ios", "ISR4331"),
        "fw": ("cw7", "SecPath F1000-AK"),
    },
    "usg": {
        "core": ("vrp5", "S7706"),
        "acc": ("vrp5", "S5720-52X-SI"),
        "intra": ("vrp5", "AR2220"),
        "ext": ("vrp5", "AR2220"),
        "fw": ("usg", "USG6550"),
    },
}

MUNICIPAL = UnitDef(
    "municipal", "市级电子政务平台", "municipal", "西安市大数据局（市电子政务办）", "v8"
)

UNITS: list[UnitDef] = [
    UnitDef("xincheng", "新城区", "district", "新城区人民政府", "hw", overrides=(("core", "ios"),)),
    UnitDef("lianhu", "莲湖区", "district", "莲湖区人民政府", "h3c"),
    UnitDef("beilin", "碑林区", "district", "碑林区人民政府", "hw", zh=True),
    UnitDef(
        "yanta",
        "雁塔区",
        "district",
        "雁塔区人民政府",
        "hw",
        isps=("中国电信", "中国联通"),
        zh=True,
    ),
    UnitDef("baqiao", "灞桥区", "district", "灞桥区人民政府", "v8"),
    UnitDef(
        "weiyang", "未央区", "district", "未央区人民政府", "cisco", isps=("中国电信", "中国联通")
    ),
    UnitDef("yanliang", "阎良区", "district", "阎良区人民政府", "hw"),
    UnitDef(
        "lintong", "临潼区", "district", "临潼区人民政府", "cisco", isps=("中国电信", "中国移动")
    ),
    UnitDef(
        "changan",
        "长安区",
        "district",
        "长安区人民政府",
        "h3c",
        isps=("中国电信", "中国联通", "中国移动"),
    ),
    UnitDef(
        "gaoling", "高陵区", "district", "高陵区人民政府", "usg", isps=("中国电信", "中国联通")
    ),
    UnitDef("huyi", "鄠邑区", "district", "鄠邑区人民政府", "h3c", overrides=(("acc", "cw5"),)),
    UnitDef("lantian", "蓝田县", "county", "蓝田县人民政府", "mix"),
    UnitDef("zhouzhi", "周至县", "county", "周至县人民政府", "rj"),
    UnitDef("gaoxin", "高新区", "devzone", "西安高新区管委会", "hw", isps=("中国电信", "中国联通")),
    UnitDef("jingkai", "经开区", "devzone", "西安经开区管委会", "h3c"),
    UnitDef("qujiang", "曲江新区", "devzone", "曲江新区管委会", "v8"),
    UnitDef("chanba", "浐灞生态区", "devzone", "浐灞生态区管委会", "rj"),
    UnitDef("gangwu", "国际港务区", "devzone", "西安国际港务区管委会", "cisco"),
    UnitDef("hangtian", "航天基地", "devzone", "西安航天基地管委会", "mix"),
    UnitDef("hangkong", "航空基地", "devzone", "西安航空基地管委会", "v8"),
    UnitDef(
        "fagai", "市发展和改革委员会", "department", "西安市发展和改革委员会", "hw", campus="inside"
    ),
    UnitDef("caizheng", "市财政局", "department", "西安市财政局", "h3c", campus="inside"),
    UnitDef(
        "renshe",
        "市人力资源和社会保障局",
        "department",
        "西安市人力资源和社会保障局",
        "cisco",
        campus="outside",
    ),
    UnitDef(
        "zhujian",
        "市住房和城乡建设局",
        "department",
        "西安市住房和城乡建设局",
        "hw",
        campus="outside",
    ),
    UnitDef(
        "weijian", "市卫生健康委员会", "department", "西安市卫生健康委员会", "rj", campus="outside"
    ),
    UnitDef("jiaoyu", "市教育局", "department", "西安市教育局", "v8", campus="inside"),
    UnitDef("jiaotong", "市交通运输局", "department", "西安市交通运输局", "mix", campus="outside"),
    UnitDef(
        "shichang",
        "市市场监督管理局",
        "department",
        "西安市市场监督管理局",
        "h3c",
        campus="outside",
    ),
    UnitDef(
        "ziran",
        "市自然资源和规划局",
        "department",
        "西安市自然资源和规划局",
        "cisco",
        campus="inside",
    ),
]

# Private business networks (业务专网): unit -> (name, integrated into the extranet?)
PRIVATE = {
    "yanta": ("社保专网", True),
    "lianhu": ("城管专网", False),
    "gaoxin": ("不动产登记专网", True),
    "renshe": ("社保专网", True),
}


@dataclass
class Expect:
    rule: str
    unit: str
    subject: str
    device: str | None
    why: str


@dataclass
class Built:
    unit: UnitDef
    index: int
    networks: dict[str, object]
    devices: list[Spec]
    exits: list[dict[str, object]]
    probes: list[dict[str, object]]


class PublicPool:
    """Hands out internet /30s: ours .1, the ISP's .2 (never TEST-NET-1, the machine's own LAN)."""

    def __init__(self) -> None:
        blocks = [
            net("203.0.113.0/24"),
            net("198.51.100.32/27"),
            net("198.51.100.64/26"),
            net("198.51.100.128/25"),
        ]
        self._subnets = [s for b in blocks for s in b.subnets(new_prefix=30)]

    def take(self) -> IPv4Network:
        return self._subnets.pop(0)


def extranet_of(i: int) -> IPv4Network:
    return net(f"172.{17 + (i - 1) // 8}.{(i - 1) % 8 * 32}.0/19")


def sub24(base: IPv4Network, k: int) -> IPv4Network:
    return IPv4Network((int(base.network_address) + k * 256, 24))


def at(n: IPv4Network, k: int) -> IPv4Address:
    return n.network_address + k


EXPECTED: list[Expect] = []


def expect(rule: str, unit: str, subject: str, device: str | None, why: str) -> None:
    EXPECTED.append(Expect(rule, unit, subject, device, why))


def build_unit(
    u: UnitDef, i: int, pool: PublicPool, platform_routes: dict[str, list[Route]]
) -> Built:
    prof = dict(PROFILES[u.profile])
    for role, style in u.overrides:
        model = {"ios": "C9300-48T", "cw5": "S5120-52C-EI", "vrp5": "S7706"}[style]
        prof[role] = (style, model)
    ext = extranet_of(i)
    intra = net(f"10.{20 + i}.0.0/16")
    mgmt = net(f"10.255.{i}.0/24")
    len(u.isps)
    offices = [sub24(ext, 10), sub24(ext, 11)] + (
        [sub24(ext, 12)] if u.kind != "department" else []
    )
    servers = sub24(ext, 20)
    links = sub24(ext, 31)
    l_ext = IPv4Network((int(links.network_address), 30))
    l_fw1 = IPv4Network((int(links.network_address) + 4, 30))
    l_fw2 = IPv4Network((int(links.network_address) + 8, 30))
    l_priv = IPv4Network((int(links.network_address) + 12, 30))
    p_intra = net(f"10.0.128.{4 * i}/30")
    p_extra = net(f"172.16.128.{4 * i}/30")
    private = PRIVATE.get(u.id)
    priv_net = net(f"10.200.{i}.0/24") if private else None
    two_fw = u.id == "gaoling"
    d = u.zh

    def desc(en: str, zh: str) -> str:
        return zh if d else en

    def spec(key: str, suffix: str, role: str, host: IPv4Address) -> Spec:
        style, model = prof[key]
        return Spec(f"{u.id}-{suffix}", PLATFORM_OF[style], style, role, model, host, mgmt)

    devices: list[Spec] = []
    exits: list[dict[str, object]] = []
    probes: list[dict[str, object]] = []
    rogue = u.id == "weiyang"

    # ---- core switch
    core = spec("core", "core", "core", at(mgmt, 1))
    cs = core.style
    office_vlans = [(10 + k, f"office-{chr(97 + k)}") for k in range(len(offices))]
    core.vlans = [
        *office_vlans,
        (20, "servers"),
        (99, "management"),
        (100, "to-extranet-router"),
        (101, "to-firewall-1"),
    ]
    if two_fw:
        core.vlans.append((102, "to-firewall-2"))
    if private and private[1]:
        core.vlans.append((30, "private-net"))
    core.vlans.sort()
    n_acc = 1 if u.kind == "department" else 2
    trunk = [v for v, _ in office_vlans] + [99]
    for a in range(n_acc):
        core.ports.append(
            Port(
                phys(cs, "core", a + 1),
                desc(f"to-{u.id}-acc{a + 1}", f"至接入交换机{a + 1}"),
                trunk_vlans=trunk,
            )
        )
    core.ports.append(
        Port(phys(cs, "core", 21), desc("to-extranet-router", "至外网路由器"), access_vlan=100)
    )
    core.ports.append(
        Port(phys(cs, "core", 22), desc("to-firewall-1", "至出口防火墙1"), access_vlan=101)
    )
    if two_fw:
        core.ports.append(Port(phys(cs, "core", 23), "to-firewall-2", access_vlan=102))
    core.ports.append(Port(phys(cs, "core", 24), desc("server-farm", "服务器区"), access_vlan=20))
    for k, o in enumerate(offices):
        if rogue and k == 2:
            continue  # weiyang: VLAN 12 is switched only; its gateway is the rogue router
        core.ports.append(
            Port(
                vlanif(cs, 10 + k),
                desc(f"office-{chr(97 + k)}", f"办公网{chr(65 + k)}区"),
                ifc(at(o, 1), 24),
            )
        )
    core.ports.append(Port(vlanif(cs, 20), desc("servers", "服务器区"), ifc(at(servers, 1), 24)))
    if private and private[1] and priv_net is not None:
        core.ports.append(
            Port(vlanif(cs, 30), desc(private[0], private[0]), ifc(at(priv_net, 1), 24))
        )
    core.ports.append(Port(vlanif(cs, 99), desc("management", "网管"), ifc(at(mgmt, 1), 24)))
    core.ports.append(
        Port(vlanif(cs, 100), desc("to-extranet-router", "至外网路由器"), ifc(at(l_ext, 1), 30))
    )
    core.ports.append(
        Port(vlanif(cs, 101), desc("to-firewall-1", "至出口防火墙1"), ifc(at(l_fw1, 1), 30))
    )
    if two_fw:
        core.ports.append(Port(vlanif(cs, 102), "to-firewall-2", ifc(at(l_fw2, 1), 30)))
    core.routes = [Route(net("0.0.0.0/0"), at(l_fw1, 2), desc="internet")]
    if two_fw:
        core.routes.append(Route(net("0.0.0.0/0"), at(l_fw2, 2), 70, "internet-backup"))
    core.routes.append(Route(EXTRA_PLATFORM, at(l_ext, 2), desc="extranet-platform"))
    if d:
        core.encoding = "gbk" if u.id == "yanta" else "utf-8"
    core.capture = u.id == "gaoxin"
    devices.append(core)

    # ---- access switches
    for a in range(n_acc):
        acc = spec("acc", f"acc{a + 1}", "access", at(mgmt, 11 + a))
        st = acc.style
        acc.vlans = [*list(office_vlans), (99, "management")]
        for k, (v, _) in enumerate(office_vlans):
            acc.ports.append(
                Port(
                    phys(st, "access", k + 1),
                    desc(f"office-{chr(97 + k)}", f"办公终端{chr(65 + k)}"),
                    access_vlan=v,
                )
            )
        acc.ports.append(
            Port(phys(st, "access", 24), desc("uplink-to-core", "上联核心"), trunk_vlans=trunk)
        )
        acc.ports.append(Port(vlanif(st, 99), "management", ifc(at(mgmt, 11 + a), 24)))
        acc.routes = [Route(net("0.0.0.0/0"), at(mgmt, 1), desc="management-gateway")]
        devices.append(acc)

    # ---- intranet router (电子政务内网): uplink to the municipal intranet platform only
    ir = spec("intra", "intra", "router", at(mgmt, 3))
    st = ir.style
    ir.ports = [
        Port(loopback(st), "management", ifc(at(mgmt, 3), 32)),
        Port(
            phys(st, "router", 1),
            desc("to-municipal-intranet-platform", "至市级电子政务内网平台"),
            ifc(at(p_intra, 2), 30),
        ),
        Port(
            phys(st, "router", 2), desc("intranet-terminals", "内网终端汇聚"), ifc(at(intra, 1), 24)
        ),
    ]
    ir.routes = [Route(INTRA_PLATFORM, at(p_intra, 1), desc="intranet-platform")]
    platform_routes["intra"].append(Route(intra, at(p_intra, 2), desc=f"{u.id}-intranet"))
    devices.append(ir)

    # ---- extranet router (电子政务外网): uplink to the municipal extranet platform
    er = spec("ext", "ext", "router", at(mgmt, 4))
    st = er.style
    er.ports = [
        Port(loopback(st), "management", ifc(at(mgmt, 4), 32)),
        Port(
            phys(st, "router", 1),
            desc("to-municipal-extranet-platform", "至市级电子政务外网平台"),
            ifc(at(p_extra, 2), 30),
        ),
        Port(phys(st, "router", 2), desc("to-core", "至核心交换机"), ifc(at(l_ext, 2), 30)),
    ]
    er.routes = [
        Route(EXTRA_PLATFORM, at(p_extra, 1), desc="extranet-platform"),
        Route(ext, at(l_ext, 1), desc=f"{u.id}-extranet"),
    ]
    platform_routes["extra"].append(Route(ext, at(p_extra, 2), desc=f"{u.id}-extranet"))
    if private and private[1] and priv_net is not None:
        er.routes.append(Route(priv_net, at(l_ext, 1), desc="private-net"))
        platform_routes["extra"].append(Route(priv_net, at(p_extra, 2), desc=f"{u.id}-private"))
    devices.append(er)

    # ---- firewall(s) at the internet exit(s)
    fw_links = [l_fw1] + ([l_fw2] if two_fw else [])
    isp_idx = 0
    for f_no, link in enumerate(fw_links, start=1):
        fw = spec("fw", f"fw{f_no}", "firewall", at(mgmt, 4 + f_no))
        st = fw.style
        fw.ports.append(Port(loopback(st), "management", ifc(at(mgmt, 4 + f_no), 32)))
        fw.ports.append(
            Port(
                phys(st, "firewall", 1),
                desc("to-core", "至核心交换机"),
                ifc(at(link, 2), 30),
                zone="trust",
                nat_inside=True,
            )
        )
        my_isps = u.isps[isp_idx : isp_idx + 1] if two_fw else u.isps
        for k, isp in enumerate(my_isps):
            sub = pool.take()
            port = phys(st, "firewall", 2 + k)
            fw.ports.append(
                Port(port, f"ISP-{isp}", ifc(at(sub, 1), 30), zone="untrust", nat_out=True)
            )
            fw.routes.append(
                Route(
                    net("0.0.0.0/0"),
                    at(sub, 2),
                    None if k == 0 else 60 + 10 * k,
                    "internet" if k == 0 else "internet-backup",
                )
            )
            isp_no = isp_idx + k + 1
            if not (u.id == "lintong" and k == 1):
                exits.append(
                    {
                        "id": f"{u.id}-isp{isp_no}",
                        "device": fw.name,
                        "interface": port,
                        "isp": isp,
                        "public_ips": [str(at(sub, 1))],
                    }
                )
        isp_idx += len(my_isps)
        fw.routes.append(Route(ext, at(link, 1), desc=f"{u.id}-extranet"))
        fw.nat_sources = [o for o in offices if not (rogue and o == offices[2])]
        fw.fw_permit_sources = list(fw.nat_sources)
        devices.append(fw)

    # ---- private business network
    if private and priv_net is not None and not private[1]:
        pr = Spec(f"{u.id}-priv", "ruijie_os", "rgos", "router", "RSR20-X", at(mgmt, 7), mgmt)
        pr.ports = [
            Port(loopback("rgos"), "management", ifc(at(mgmt, 7), 32)),
            Port(phys("rgos", "router", 1), private[0], ifc(at(priv_net, 1), 24)),
            Port(
                phys("rgos", "router", 2),
                "carrier-line-to-provincial-cg-network",
                ifc(at(l_priv, 1), 30),
            ),
        ]
        pr.routes = [Route(net("10.210.0.0/16"), at(l_priv, 2))]
        devices.append(pr)

    networks: dict[str, object] = {
        "intranet": [str(intra)],
        "extranet": [str(ext)],
        "office": [str(o) for o in offices],
        "management": [str(mgmt)],
    }
    if private and priv_net is not None:
        networks["private"] = [{"name": private[0], "prefixes": [str(priv_net)]}]
    if u.id in ("yanta", "gaoxin"):
        probes.append(
            {"id": f"{u.id}-office-1", "network": "office", "address": str(at(offices[0], 250))}
        )
    return Built(u, i, networks, devices, exits, probes)


def device(built: list[Built], name: str) -> Spec:
    for b in built:
        for s in b.devices:
            if s.name == name:
                return s
    raise KeyError(name)


def unit_of(built: list[Built], uid: str) -> Built:
    return next(b for b in built if b.unit.id == uid)


def port_named(s: Spec, name: str) -> Port:
    return next(p for p in s.ports if p.name == name)


def plant(built: list[Built], pool: PublicPool) -> None:
    """Plant the violations; every result they must produce is recorded with ``expect``."""
    # changan: three sanctioned ISP lines on one firewall, all declared -> too many exits.
    expect(
        "PLAN-EXIT-COUNT",
        "changan",
        "changan",
        None,
        "3 declared exits (电信, 联通, 移动) on changan-fw1; at most 2 allowed",
    )

    # lintong: a second ISP line on the firewall that the unit file does not declare.
    fw = device(built, "lintong-fw1")
    expect(
        "PLAN-EXIT-DECLARED",
        "lintong",
        f"lintong-fw1:{fw.ports[3].name}",
        "lintong-fw1",
        "backup ISP line (中国移动) with a public address is not in the unit's exits",
    )

    # weiyang: office VLAN 12 has its own gateway, a small router with its own ISP line.
    b = unit_of(built, "weiyang")
    office_c = IPv4Network(b.networks["office"][2])  # type: ignore[index]
    sub = pool.take()
    r = Spec(
        "weiyang-rogue",
        "cisco_ios",
        "ios",
        "router",
        "ISR1111-4P",
        at(office_c, 1),
        net(f"10.255.{b.index}.0/24"),
    )
    r.faults = {
        "type7",
        "no-pwpolicy",
        "no-lockout",
        "telnet",
        "vty-no-acl",
        "no-syslog",
        "no-ntp",
        "no-snmp",
    }
    r.ports = [
        Port("GigabitEthernet0/0/0", "LAN", ifc(at(office_c, 1), 24), nat_inside=True),
        Port("GigabitEthernet0/0/1", "WAN-broadband", ifc(at(sub, 1), 30), nat_out=True),
    ]
    r.routes = [Route(net("0.0.0.0/0"), at(sub, 2))]
    r.nat_sources = [office_c]
    acc2 = device(built, "weiyang-acc2")
    acc2.ports.insert(3, Port(phys(acc2.style, "access", 20), "office-c-gateway", access_vlan=12))
    b.devices.append(r)
    b.probes.append(
        {"id": "weiyang-office-c", "network": "office", "address": str(at(office_c, 250))}
    )
    ex = "weiyang-rogue:GigabitEthernet0/0/1"
    expect(
        "PLAN-EXIT-COUNT",
        "weiyang",
        "weiyang",
        None,
        "2 declared exits on weiyang-fw1 plus the rogue broadband line on weiyang-rogue = 3",
    )
    expect(
        "PLAN-EXIT-DECLARED", "weiyang", ex, "weiyang-rogue", "rogue broadband line is not declared"
    )
    expect(
        "PLAN-EXIT-FIREWALL",
        "weiyang",
        ex,
        "weiyang-rogue",
        "the rogue exit is a plain router, not a firewall with default deny",
    )
    expect(
        "PLAN-OFFICE-NO-PRIVATE-INTERNET",
        "weiyang",
        str(office_c),
        "weiyang-rogue",
        "office VLAN 12's gateway is weiyang-rogue; its default route leaves via its own ISP line",
    )
    expect(
        "PLAN-EXTRA-UPLINK",
        "weiyang",
        "weiyang",
        "weiyang-rogue",
        "office VLAN 12 is routed only by weiyang-rogue, which has no route to the extranet "
        "platform",
    )
    for rule, why in (
        ("MLPS-MGMT-SECURE-PROTOCOLS", "vty accepts telnet (transport input telnet ssh)"),
        ("MLPS-MGMT-ACL", "vty lines have no access-class"),
        ("MLPS-STORED-SECRETS", "local user password stored as type 7"),
        ("MLPS-AUDIT-SYSLOG", "no logging host"),
        ("MLPS-AUDIT-NTP", "no ntp server"),
        ("MLPS-AUTH-PASSWORD-POLICY", "no password policy (common-criteria / min-length)"),
        ("MLPS-AUTH-LOCKOUT", "no aaa local authentication attempts max-fail"),
        (
            "MLPS-BOUNDARY-DEFAULT-DENY",
            "internet-facing GigabitEthernet0/0/1 with NAT and no inbound filter",
        ),
    ):
        expect(rule, "weiyang", "weiyang-rogue", "weiyang-rogue", why)

    # yanliang: the intranet router got its own ISP line and a default route to it.
    b = unit_of(built, "yanliang")
    ir = device(built, "yanliang-intra")
    sub = pool.take()
    intra_lan = IPv4Network(b.networks["intranet"][0]).subnets(new_prefix=24).__next__()  # type: ignore[index]
    ir.ports.append(Port("GigabitEthernet0/0/2", "ISP-line", ifc(at(sub, 1), 30), nat_out=True))
    ir.routes.append(Route(net("0.0.0.0/0"), at(sub, 2), desc="internet"))
    ir.nat_sources = [intra_lan]
    ex = "yanliang-intra:GigabitEthernet0/0/2"
    expect(
        "PLAN-INTRA-ISOLATION",
        "yanliang",
        "yanliang",
        "yanliang-intra",
        "intranet router has a default route to an ISP next hop: intranet reaches the internet",
    )
    expect(
        "PLAN-EXIT-DECLARED",
        "yanliang",
        ex,
        "yanliang-intra",
        "ISP line on the intranet router is not declared",
    )
    expect(
        "PLAN-EXIT-FIREWALL",
        "yanliang",
        ex,
        "yanliang-intra",
        "exit on a router, not a default-deny firewall",
    )
    expect(
        "MLPS-BOUNDARY-DEFAULT-DENY",
        "yanliang",
        "yanliang-intra",
        "yanliang-intra",
        "GigabitEthernet0/0/2 faces the internet (NAT outbound) with no inbound filter",
    )

    # zhujian (campus: outside): the extranet uplink was never brought up.
    er = device(built, "zhujian-ext")
    er.ports[1].shutdown = True
    er.ports[1].desc = "to-municipal-extranet-platform-pending"
    er.routes = [rt for rt in er.routes if rt.prefix != EXTRA_PLATFORM]
    expect(
        "PLAN-EXTRA-UPLINK",
        "zhujian",
        "zhujian",
        "zhujian-ext",
        "uplink to the extranet platform is shut down and has no route to 172.16.0.0/16",
    )
    device(built, "zhujian-core").faults.add("ssh1")
    expect(
        "MLPS-MGMT-SECURE-PROTOCOLS",
        "zhujian",
        "zhujian-core",
        "zhujian-core",
        "ssh server compatible-ssh1x enable: SSH version 1 accepted",
    )

    # lianhu: the 城管专网 router has no path to either platform.
    expect(
        "PLAN-PRIVNET-INTEGRATED",
        "lianhu",
        f"10.200.{unit_of(built, 'lianhu').index}.0/24",
        "lianhu-priv",
        "城管专网 router only routes to the carrier's provincial network",
    )

    # xincheng: telnet on an access switch, default SNMP communities on the core.
    device(built, "xincheng-acc1").faults.add("telnet")
    expect(
        "MLPS-MGMT-SECURE-PROTOCOLS",
        "xincheng",
        "xincheng-acc1",
        "xincheng-acc1",
        "telnet server enable; vty protocol inbound all",
    )
    device(built, "xincheng-core").faults.add("snmp-public")
    expect(
        "MLPS-SNMP",
        "xincheng",
        "xincheng-core",
        "xincheng-core",
        "snmp-server community public RO / private RW (default and write communities)",
    )

    # huyi: old Comware 5 access switches with clear-text passwords and no password control.
    for name in ("huyi-acc1", "huyi-acc2"):
        device(built, name).faults |= {"cleartext", "no-pwpolicy", "no-lockout"}
        expect("MLPS-STORED-SECRETS", "huyi", name, name, "local-user password simple (clear text)")
        expect("MLPS-AUTH-PASSWORD-POLICY", "huyi", name, name, "no password-control")
        expect("MLPS-AUTH-LOCKOUT", "huyi", name, name, "no password-control login-attempt")
    device(built, "huyi-core").faults.add("no-syslog")
    expect("MLPS-AUDIT-SYSLOG", "huyi", "huyi-core", "huyi-core", "no info-center loghost")

    # gaoling: two USG firewalls; one permits by default, the other publishes RDP.
    fw1 = device(built, "gaoling-fw1")
    fw1.fw_default_permit = True
    expect(
        "MLPS-BOUNDARY-DEFAULT-DENY",
        "gaoling",
        "gaoling-fw1",
        "gaoling-fw1",
        "security-policy default action permit",
    )
    expect(
        "PLAN-EXIT-FIREWALL",
        "gaoling",
        f"gaoling-fw1:{fw1.ports[2].name}",
        "gaoling-fw1",
        "the exit's firewall permits by default",
    )
    fw2 = device(built, "gaoling-fw2")
    b = unit_of(built, "gaoling")
    servers = sub24(extranet_of(b.index), 20)
    gip = fw2.ports[2].ip
    assert gip is not None
    fw2.nat_servers = [NatServer("oa-rdp", gip.ip, 3389, at(servers, 10), 3389)]
    expect(
        "MLPS-BOUNDARY-EXPOSED-SERVICES",
        "gaoling",
        "gaoling-fw2",
        "gaoling-fw2",
        "nat server publishes TCP 3389 (RDP) of 172.x.20.10 to the internet",
    )
    for name in ("gaoling-fw1", "gaoling-fw2"):
        expect(
            "MLPS-AUTH-PASSWORD-POLICY",
            "gaoling",
            name,
            name,
            "USG: no administrator password length/complexity/aging policy in the config",
        )

    # lantian: management hygiene problems spread over several devices.
    device(built, "lantian-core").faults |= {"vty-no-acl", "idle0"}
    expect("MLPS-MGMT-ACL", "lantian", "lantian-core", "lantian-core", "vty 0 4 has no acl inbound")
    expect(
        "MLPS-AUTH-IDLE-TIMEOUT",
        "lantian",
        "lantian-core",
        "lantian-core",
        "idle-timeout 0 0 (never)",
    )
    device(built, "lantian-ext").faults.add("http")
    expect("MLPS-SERVICES-MINIMAL", "lantian", "lantian-ext", "lantian-ext", "ip http server")
    expect(
        "MLPS-MGMT-SECURE-PROTOCOLS",
        "lantian",
        "lantian-ext",
        "lantian-ext",
        "ip http server (clear-text web)",
    )
    expect(
        "MLPS-MGMT-ACL",
        "lantian",
        "lantian-ext",
        "lantian-ext",
        "ip http server without ip http access-class",
    )
    device(built, "lantian-fw1").faults.add("console-none")
    expect(
        "MLPS-AUTH-LOGIN",
        "lantian",
        "lantian-fw1",
        "lantian-fw1",
        "line con 0 authentication-mode none",
    )
    device(built, "lantian-acc2").faults.add("no-ntp")
    expect("MLPS-AUDIT-NTP", "lantian", "lantian-acc2", "lantian-acc2", "no ntp server")


def build_municipal(pool: PublicPool, platform_routes: dict[str, list[Route]]) -> Built:
    mgmt = net("10.255.0.0/24")
    ic = Spec("xa-intra-core", "huawei_vrpv8", "vrp8", "core", "CE12804", at(mgmt, 1), mgmt)
    ec = Spec("xa-extra-core", "huawei_vrpv8", "vrp8", "core", "CE12804", at(mgmt, 2), mgmt)
    fw = Spec("xa-fw1", "hp_comware", "cw7", "firewall", "SecPath F5000-AK", at(mgmt, 3), mgmt)
    svc_i, svc_e = net("10.0.0.0/24"), net("172.16.0.0/24")
    fw_link = net("172.16.255.0/30")
    for s, svc, name in (
        (ic, svc_i, "intranet-platform-services"),
        (ec, svc_e, "extranet-platform-services"),
    ):
        s.vlans = [(100, name)]
        s.ports = [
            Port("LoopBack0", "management", ifc(s.host, 32)),
            Port("GE1/0/48", name, access_vlan=100),
            Port("Vlanif100", name, ifc(at(svc, 1), 24)),
        ]
    for idx, (u, r) in enumerate(zip(UNITS, platform_routes["intra"], strict=True), start=1):
        ic.ports.append(Port(f"GE1/0/{idx}", f"to-{u.id}-intra", ifc(r.next_hop - 1, 30)))
    ic.routes = list(platform_routes["intra"])
    uplinks: dict[IPv4Address, str] = {}
    for r in platform_routes["extra"]:
        uplinks.setdefault(r.next_hop, r.desc.split("-")[0])
    for idx, (hop, uid) in enumerate(uplinks.items(), start=1):
        ec.ports.append(Port(f"GE1/0/{idx}", f"to-{uid}-ext", ifc(hop - 1, 30)))
    ec.ports.append(Port("GE1/0/47", "to-xa-fw1", ifc(at(fw_link, 1), 30)))
    ec.routes = [
        Route(net("0.0.0.0/0"), at(fw_link, 2), desc="internet"),
        *list(platform_routes["extra"]),
    ]
    sub = pool.take()
    fw.ports = [
        Port("LoopBack0", "management", ifc(fw.host, 32)),
        Port("GigabitEthernet1/0/1", "to-xa-extra-core", ifc(at(fw_link, 2), 30), zone="trust"),
        Port(
            "GigabitEthernet1/0/2",
            "ISP-中国电信",
            ifc(at(sub, 1), 30),
            zone="untrust",
            nat_out=True,
        ),
    ]
    fw.routes = [
        Route(net("0.0.0.0/0"), at(sub, 2), desc="internet"),
        Route(EXTRA_PLATFORM, at(fw_link, 1), desc="extranet-platform"),
    ]
    fw.nat_sources = [svc_e]
    fw.fw_permit_sources = [svc_e]
    exits: list[dict[str, object]] = [
        {
            "id": "municipal-isp1",
            "device": "xa-fw1",
            "interface": "GigabitEthernet1/0/2",
            "isp": "中国电信",
            "public_ips": [str(at(sub, 1))],
        }
    ]
    networks: dict[str, object] = {"management": [str(mgmt)]}
    return Built(MUNICIPAL, 0, networks, [ic, ec, fw], exits, [])


# --------------------------------------------------------------------------- writing


def render(spec: Spec) -> bytes:
    text = RENDERERS[spec.style](spec)
    if spec.capture:
        text = capture(spec, text)
    return text.encode(spec.encoding)


def unit_yaml(b: Built) -> dict[str, object]:
    u = b.unit
    data: dict[str, object] = {
        "id": u.id,
        "name": u.name,
        "kind": u.kind,
        "responsible": u.responsible,
    }
    if u.campus:
        data["campus"] = u.campus
    data["networks"] = b.networks
    if b.exits:
        data["exits"] = b.exits
    devs = []
    for s in b.devices:
        devs.append(
            {
                "name": s.name,
                "platform": s.platform,
                "role": s.role,
                "host": str(s.host),
                "transports": ["ssh", "snmp"] if "no-snmp" not in s.faults else ["ssh"],
                "credentials": "default",
                **(
                    {"snmp": {"version": "v3", "credentials": "snmp-v3"}}
                    if "no-snmp" not in s.faults
                    else {}
                ),
                "config": f"configs/{s.name}.cfg",
            }
        )
    data["devices"] = devs
    if b.probes:
        data["probes"] = b.probes
    return data


CITY: dict[str, object] = {
    "id": "xian",
    "name": "西安市",
    "internal_space": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
    "platforms": {"intranet": [str(INTRA_PLATFORM)], "extranet": [str(EXTRA_PLATFORM)]},
    "probe": {"reflectors": [str(REFLECTOR)], "targets": [str(REFLECTOR)]},
    "credentials": {
        "default": {"username": {"env": "NETAUDIT_USER"}, "password": {"env": "NETAUDIT_PASSWORD"}},
        "snmp-v3": {
            "user": {"env": "NETAUDIT_SNMP_USER"},
            "auth_key": {"env": "NETAUDIT_SNMP_AUTH"},
            "priv_key": {"env": "NETAUDIT_SNMP_PRIV"},
        },
    },
    "parameters": {"PLAN-EXIT-COUNT": {"max": 2}},
}


def dump(data: object) -> str:
    return yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100
    )


EXPECTED_HEAD = """# inventories/xian — expected audit results

Generated by `generate.py` (do not edit by hand). Every **failing** result an offline audit of this
inventory must report, and nothing else fails: later tests compare an audit's failing results with
this table in both directions. Subjects follow SPEC §8: a unit id; an exit as `device:interface`;
an office subnet or private network as its prefix; a device name for MLPS rules.

Units without a row here are clean: {clean}.

Notes:
- Probe-based rules (PLAN-OFFICE-ROGUE-GATEWAY, PLAN-PROBE-CONSISTENT) are `not_applicable` in an
  offline audit (no probe observations), so they never fail here; the probes declared in yanta,
  gaoxin and weiyang (`weiyang-office-c` sits on the rogue router's LAN) are for live runs.
- Departments inside the admin-centre campus (fagai, caizheng, jiaoyu, ziran) are
  `not_applicable` for PLAN-EXTRA-UPLINK; PLAN-EXIT-COUNT applies to districts, counties and
  development zones only.
- USG `manager-user ... password cipher` is one-way (scrypt) on USG6000 V500, so it is not a
  stored-secret failure. SNMPv3 keys are not part of the stored-secrets rule.
- Exits found but sanctioned and on default-deny firewalls (all `exits:` entries except the ones
  listed) pass PLAN-EXIT-DECLARED and PLAN-EXIT-FIREWALL.

| rule | unit | subject | device | why |
|---|---|---|---|---|
"""


def expected_md(clean: list[str]) -> str:
    rows = [
        f"| {e.rule} | {e.unit} | `{e.subject}` | {e.device or '—'} | {e.why} |" for e in EXPECTED
    ]
    block = ["```yaml", "# machine-readable: every failing result (rule, unit, subject)"]
    for e in EXPECTED:
        block.append(f'- {{rule: {e.rule}, unit: {e.unit}, subject: "{e.subject}"}}')
    block.append("```")
    return (
        EXPECTED_HEAD.format(clean=", ".join(clean))
        + "\n".join(rows)
        + "\n\n## Machine-readable\n\n"
        + "\n".join(block)
        + "\n"
    )


def generate(out: Path) -> None:
    EXPECTED.clear()
    pool = PublicPool()
    platform_routes: dict[str, list[Route]] = {"intra": [], "extra": []}
    built = [build_unit(u, i, pool, platform_routes) for i, u in enumerate(UNITS, start=1)]
    plant(built, pool)
    built.insert(0, build_municipal(pool, platform_routes))
    (out / "units").mkdir(parents=True, exist_ok=True)
    (out / "configs").mkdir(parents=True, exist_ok=True)
    for old in list((out / "units").glob("*.yaml")) + list((out / "configs").glob("*.cfg")):
        old.unlink()
    (out / "city.yaml").write_text(dump(CITY), encoding="utf-8")
    for b in built:
        (out / "units" / f"{b.unit.id}.yaml").write_text(dump(unit_yaml(b)), encoding="utf-8")
        for s in b.devices:
            (out / "configs" / f"{s.name}.cfg").write_bytes(render(s))
    failing = {e.unit for e in EXPECTED}
    clean = [b.unit.id for b in built if b.unit.id not in failing]
    (out / "EXPECTED.md").write_text(expected_md(clean), encoding="utf-8")


if __name__ == "__main__":
    generate(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
