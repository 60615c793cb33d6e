"""Focused facts of the Cisco IOS parser that an auditor relies on (beside the golden cases)."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface

import pytest

from netaudit.model import (
    Action,
    AuthMode,
    InterfaceKind,
    LineKind,
    SecretStorage,
    Section,
)
from netaudit.model.serialize import to_data
from netaudit.vendors.base import REDACTED, parse_bytes
from netaudit.vendors.cisco_ios import PARSER
from netaudit.vendors.cisco_ios.facts import INTERFACE_NAMES


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_bytes(text.encode(), "cisco_ios", "r1.cfg")


@pytest.mark.parametrize(
    ("raw", "canonical", "kind"),
    [
        ("Gi0/1", "GigabitEthernet0/1", InterfaceKind.ETHERNET),
        ("gi0/0/1", "GigabitEthernet0/0/1", InterfaceKind.ETHERNET),
        ("Te1/0/1", "TenGigabitEthernet1/0/1", InterfaceKind.ETHERNET),
        ("Fa0/24", "FastEthernet0/24", InterfaceKind.ETHERNET),
        ("Po1", "Port-channel1", InterfaceKind.AGGREGATE),
        ("Vlan10", "Vlan10", InterfaceKind.VLAN),
        ("Lo0", "Loopback0", InterfaceKind.LOOPBACK),
        ("Null0", "Null0", InterfaceKind.NULL),
        ("Di1", "Dialer1", InterfaceKind.DIALER),
        ("Cellular0/1/0", "Cellular0/1/0", InterfaceKind.CELLULAR),
        ("Gi0/0.100", "GigabitEthernet0/0.100", InterfaceKind.SUBINTERFACE),
        ("Tu0", "Tunnel0", InterfaceKind.TUNNEL),
    ],
)
def test_interface_names_are_canonical(raw: str, canonical: str, kind: InterfaceKind) -> None:
    assert INTERFACE_NAMES.canonical(raw) == canonical
    assert INTERFACE_NAMES.kind(canonical) is kind


def test_primary_and_secondary_addresses() -> None:
    dev = parse(
        "interface Gi0/1\n ip address 10.0.1.1 255.255.255.0 secondary\n"
        " ip address 10.0.0.1 255.255.255.0\nend\n"
    )
    itf = dev.interfaces["GigabitEthernet0/1"]
    assert itf.primary is not None
    assert itf.primary.address == IPv4Interface("10.0.0.1/24")
    assert [a.secondary for a in itf.addresses] == [False, True]


def test_every_line_lands_in_exactly_one_bucket() -> None:
    text = "hostname R1\n!\ninterface Gi0/0\n ip address 10.0.0.1 255.255.255.0\n wibble\nend\n"
    cov = parse(text).coverage
    assert cov.total == 6
    assert cov.recognized + cov.unsupported + cov.unrecognized == cov.total
    assert [(s, src.line) for s, src in cov.unrecognized_lines] == [(Section.INTERFACES, 5)]


def test_secret_storage_types_and_no_secret_in_model() -> None:
    dev = parse(
        "enable password 0 EnablePlain\nusername a secret 9 $9$hash\n"
        "username b password 7 0822455D0A16\nusername c password ClearPw\nend\n"
    )
    m = dev.mgmt
    assert m.enable_secret is SecretStorage.PLAIN
    storage = {u.name: u.password_storage for u in m.users}
    assert storage == {"a": SecretStorage.HASH, "b": SecretStorage.TYPE7, "c": SecretStorage.PLAIN}
    dumped = str(to_data(dev))
    for value in ("EnablePlain", "$9$hash", "0822455D0A16", "ClearPw"):
        assert value not in dumped
    assert f"secret 9 {REDACTED}" in dumped


def test_redacted_config_parses_to_the_same_model() -> None:
    text = (
        "hostname R1\nenable secret 5 $1$abc$xyz\nsnmp-server community public RO 5\n"
        "snmp-server community Hidden1 RW\nusername u privilege 15 password 7 0822455D0A16\n"
        "line vty 0 4\n password 7 1234ABCD\n login\nend\n"
    )
    redacted = PARSER.redact(text)
    assert "Hidden1" not in redacted and "$1$abc$xyz" not in redacted
    assert to_data(parse(text)) == to_data(parse(redacted))


def test_well_known_community_is_flagged_without_its_value() -> None:
    dev = parse("snmp-server community public RO\nsnmp-server community n0tPublic RW 10\nend\n")
    comms = dev.mgmt.snmp.communities
    assert [(c.access, c.well_known, c.acl) for c in comms] == [
        ("ro", True, None),
        ("rw", False, "10"),
    ]
    assert dev.mgmt.snmp.enabled.value is True
    assert {"v1", "v2c"} <= set(dev.mgmt.snmp.versions)


def test_line_defaults_are_ios_defaults() -> None:
    dev = parse("line con 0\nline vty 0 4\n password 7 0822455D0A16\nend\n")
    con, vty = dev.mgmt.lines
    assert con.kind is LineKind.CONSOLE and con.auth is AuthMode.NONE
    assert vty.auth is AuthMode.PASSWORD and vty.auth_source is None
    assert vty.password_storage is SecretStorage.TYPE7
    assert vty.idle_timeout_seconds.value == 600 and not vty.idle_timeout_seconds.explicit
    # no `transport input`: the default differs by release, so telnet is unknown, not off
    assert dev.mgmt.telnet_server.value is None


def test_telnet_follows_vty_transport() -> None:
    ssh_only = parse(
        "line vty 0 4\n transport input ssh\nline vty 5 15\n transport input none\nend\n"
    )
    assert ssh_only.mgmt.telnet_server.value is False
    telnet = parse("line vty 0 4\n transport input telnet ssh\nend\n")
    assert telnet.mgmt.telnet_server.value is True


def test_exec_timeout_zero_means_never() -> None:
    dev = parse("line vty 0 4\n exec-timeout 0 0\nline con 0\n no exec-timeout\nend\n")
    assert [ln.idle_timeout_seconds.value for ln in dev.mgmt.lines] == [0, 0]


def test_http_default_is_unknown_and_ftp_default_off() -> None:
    m = parse("hostname R1\nend\n").mgmt
    assert m.http_server.value is None and m.http_server.note
    assert m.ftp_server.value is False and not m.ftp_server.explicit
    m2 = parse("no ip http server\nip http secure-server\nip ssh version 2\nend\n").mgmt
    assert m2.http_server.value is False and m2.https_server.value is True
    assert m2.ssh_versions == [2] and m2.ssh_server.value is True


def test_acl_ports_by_name_and_implicit_deny() -> None:
    dev = parse(
        "ip access-list extended WEB\n 10 permit tcp any host 203.0.113.5 eq www telnet\n"
        " 20 permit udp any any range bootps bootpc\nend\n"
    )
    acl = dev.acls["WEB"]
    assert acl.default_action is Action.DENY
    first, second = acl.rules
    assert [p.low for p in first.dst_ports] == [80, 23]
    assert first.dst.address == IPv4Address("203.0.113.5") and int(first.dst.wildcard) == 0
    assert (second.dst_ports[0].low, second.dst_ports[0].high) == (67, 68)


def test_zone_based_firewall_defaults_to_deny() -> None:
    dev = parse(
        "zone security IN\nzone security OUT\ninterface Gi0/0\n zone-member security OUT\n"
        "class-map type inspect match-any C\n match protocol https\n"
        "policy-map type inspect P\n class type inspect C\n  inspect\n class class-default\n"
        "  drop\nzone-pair security ZP source IN destination OUT\n"
        " service-policy type inspect P\nend\n"
    )
    fw = dev.firewall
    assert fw is not None and dev.is_firewall
    assert fw.default_action is not None and fw.default_action.value is False
    got = [(r.action, r.services[0].dst_ports[0].low if r.services else None) for r in fw.rules]
    assert got == [
        (Action.PERMIT, 443),
        (Action.DENY, None),
    ]
    assert fw.zones["OUT"].interfaces == ["GigabitEthernet0/0"]


def test_truncated_file_is_flagged() -> None:
    dev = parse("hostname R1\ninterface Gi0/0\n ip address 10.0.0.1 255.255.255.0\n")
    assert dev.coverage.truncated
    assert not dev.coverage.is_complete_for(Section.INTERFACES)


def test_password_policy_and_lockout() -> None:
    pol = parse(
        "security passwords min-length 9\naaa common-criteria policy P\n min-length 12\n"
        " upper-case 1\n lower-case 1\n numeric-count 1\n lifetime day 60\n"
        "aaa local authentication attempts max-fail 4\nlogin block-for 300 attempts 3 within 60\n"
        "end\n"
    ).mgmt.password_policy
    assert pol.min_length.value == 12
    assert pol.complexity.value is True
    assert pol.max_age_days.value == 60
    assert pol.lockout_attempts.value == 3  # the later `login block-for` line
    assert pol.lockout_minutes.value == 5
