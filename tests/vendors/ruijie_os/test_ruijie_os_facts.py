"""Focused facts of the Ruijie RGOS parser (beside the golden cases)."""

from __future__ import annotations

from ipaddress import IPv4Address

from netaudit.model import AuthMode, SecretStorage
from netaudit.model.serialize import to_data
from netaudit.vendors.base import parse_bytes
from netaudit.vendors.ruijie_os import PARSER
from netaudit.vendors.ruijie_os.facts import INTERFACE_NAMES


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_bytes(text.encode(), "ruijie_os", "rg.cfg")


def test_spaced_interface_names_are_canonical() -> None:
    assert INTERFACE_NAMES.canonical("GigabitEthernet 0/1") == "GigabitEthernet0/1"
    assert INTERFACE_NAMES.canonical("AggregatePort 1") == "AggregatePort1"
    assert INTERFACE_NAMES.canonical("VLAN 10") == "VLAN10"
    assert INTERFACE_NAMES.canonical("TenGigabitEthernet 0/49") == "TenGigabitEthernet0/49"
    assert INTERFACE_NAMES.canonical("Gi0/1.10") == "GigabitEthernet0/1.10"


def test_routes_and_nat_name_spaced_interfaces() -> None:
    dev = parse(
        "ip route 0.0.0.0 0.0.0.0 GigabitEthernet 0/1 203.0.113.5 10\n"
        "ip nat inside source list 1 interface GigabitEthernet 0/1 overload\nend\n"
    )
    (route,) = dev.static_routes
    assert (route.interface, route.next_hop, route.preference) == (
        "GigabitEthernet0/1",
        IPv4Address("203.0.113.5"),
        10,
    )
    (nat,) = dev.nat.source_rules
    assert (nat.interface, nat.acl, nat.easy_ip) == ("GigabitEthernet0/1", "1", True)


def test_service_defaults_and_switches() -> None:
    m = parse("hostname RG\nend\n").mgmt
    assert m.telnet_server.value is True and not m.telnet_server.explicit
    assert m.ssh_server.value is False and not m.ssh_server.explicit
    assert m.http_server.value is None
    m2 = parse(
        "enable service ssh-server\nno enable service telnet-server\n"
        "no enable service web-server\nend\n"
    ).mgmt
    assert (m2.ssh_server.value, m2.telnet_server.value) == (True, False)
    assert (m2.http_server.value, m2.https_server.value) == (False, False)


def test_password_policy_and_lockout() -> None:
    pol = parse(
        "password policy min-size 8\npassword policy strong\npassword policy life-cycle 90\n"
        "aaa local authentication attempts 5\naaa local authentication lockout-time 2\nend\n"
    ).mgmt.password_policy
    assert (pol.min_length.value, pol.complexity.value, pol.max_age_days.value) == (8, True, 90)
    assert (pol.lockout_attempts.value, pol.lockout_minutes.value) == (5, 120)


def test_users_and_webmaster() -> None:
    m = parse(
        "username admin privilege 15 password 7 0a1b2c\n"
        "webmaster level 0 username web password webpw\n"
        "line vty 0 4\n login local\nend\n"
    ).mgmt
    assert [(u.name, u.password_storage, u.service_types) for u in m.users] == [
        ("admin", SecretStorage.TYPE7, []),
        ("web", SecretStorage.PLAIN, ["http"]),
    ]
    assert m.lines[0].auth is AuthMode.AAA
    assert "webpw" not in str(to_data(parse("webmaster level 0 username web password webpw\n")))


def test_logging_server_and_sntp() -> None:
    m = parse("logging server 10.9.0.6\nsntp server 10.9.0.7\nend\n").mgmt
    assert [str(a) for a, _ in m.syslog_hosts] == ["10.9.0.6"]
    assert [str(a) for a, _ in m.ntp_servers] == ["10.9.0.7"]


def test_encrypted_community_keeps_its_type_and_acl() -> None:
    text = "snmp-server community 7 094F471A1A0A ro MGMT\nend\n"
    assert "094F471A1A0A" not in PARSER.redact(text)
    (c,) = parse(text).mgmt.snmp.communities
    assert (c.access, c.acl, c.well_known) == ("ro", "MGMT", False)
