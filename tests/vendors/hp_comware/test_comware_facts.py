"""Focused facts of the H3C Comware 5/7 parser that an auditor relies on."""

from __future__ import annotations

import pytest

from netaudit.model import Action, AuthMode, Device, InterfaceKind, LineKind, SecretStorage
from netaudit.model.serialize import to_data
from netaudit.vendors.base import parse_bytes
from netaudit.vendors.hashblock import COMWARE_INTERFACE_NAMES
from netaudit.vendors.hp_comware import PARSER


def parse(text: str) -> Device:
    return parse_bytes(text.encode(), "hp_comware", "h3c.cfg")


V7 = "#\n version 7.1.064, Release 0427P22\n#\n"
V5 = "#\n version 5.20, Release 2208P01\n#\n"


@pytest.mark.parametrize(
    ("raw", "canonical", "kind"),
    [
        ("GE1/0/1", "GigabitEthernet1/0/1", InterfaceKind.ETHERNET),
        ("XGE1/0/49", "Ten-GigabitEthernet1/0/49", InterfaceKind.ETHERNET),
        ("Vlan-int10", "Vlan-interface10", InterfaceKind.VLAN),
        ("BAGG1", "Bridge-Aggregation1", InterfaceKind.AGGREGATE),
        ("M-GE0/0/0", "M-GigabitEthernet0/0/0", InterfaceKind.MANAGEMENT),
        ("Cellular0/0", "Cellular0/0", InterfaceKind.CELLULAR),
        ("GigabitEthernet1/0/1.100", "GigabitEthernet1/0/1.100", InterfaceKind.SUBINTERFACE),
    ],
)
def test_interface_names(raw: str, canonical: str, kind: InterfaceKind) -> None:
    assert COMWARE_INTERFACE_NAMES.canonical(raw) == canonical
    assert COMWARE_INTERFACE_NAMES.kind(canonical) is kind


def test_v7_defaults_differ_from_v5() -> None:
    v7 = parse(V7 + "line vty 0 63\n#\nreturn\n")
    v5 = parse(V5 + "user-interface vty 0 4\n#\nreturn\n")
    assert v7.mgmt.telnet_server.value is False and not v7.mgmt.telnet_server.explicit
    assert v5.mgmt.telnet_server.value is None and v5.mgmt.telnet_server.note
    assert v5.mgmt.http_server.value is True and not v5.mgmt.http_server.explicit
    assert v7.mgmt.lines[0].auth is AuthMode.PASSWORD


def test_console_without_authentication_mode_needs_none() -> None:
    dev = parse(V7 + "line aux 0\n user-role network-admin\n#\nreturn\n")
    (line,) = dev.mgmt.lines
    assert line.kind is LineKind.CONSOLE and line.auth is AuthMode.NONE


def test_line_class_settings_apply_to_lines_without_them() -> None:
    dev = parse(
        V7 + "line class vty\n idle-timeout 5 0\n#\nline vty 0 63\n authentication-mode scheme"
        "\n#\nreturn\n"
    )
    (vty,) = dev.mgmt.lines
    assert vty.idle_timeout_seconds.value == 300 and vty.idle_timeout_seconds.explicit


def test_telnet_and_ssh_server_acls_restrict_v7_vty() -> None:
    dev = parse(
        V7 + " telnet server enable\n telnet server acl 2000\n ssh server enable\n"
        " ssh server acl 2000\n#\nline vty 0 63\n authentication-mode scheme\n#\nreturn\n"
    )
    assert dev.mgmt.lines[0].acl_in == "2000"


def test_password_control_without_enable_is_no_policy() -> None:
    dev = parse(V7 + "return\n")
    pol = dev.mgmt.password_policy
    assert (pol.min_length.value, pol.max_age_days.value, pol.lockout_attempts.value) == (0, 0, 0)
    assert not pol.min_length.explicit


def test_login_attempt_unlock_means_no_lockout() -> None:
    dev = parse(
        V7 + " password-control enable\n password-control login-attempt 3 exceed unlock\n"
        "#\nreturn\n"
    )
    assert dev.mgmt.password_policy.lockout_attempts.value == 0


def test_packet_filter_default_deny_changes_acl_defaults() -> None:
    text = "#\nacl basic 2000\n rule 0 permit source 10.1.1.0 0.0.0.255\n#\n"
    assert parse(V7 + text + "return\n").acls["2000"].default_action is Action.PERMIT
    dev = parse(V7 + " packet-filter default deny\n" + text + "return\n")
    assert dev.acls["2000"].default_action is Action.DENY


def test_object_policy_rules_get_the_zone_pair() -> None:
    dev = parse(
        V7 + "object-policy ip T-U\n rule 0 pass source-ip office\n rule 5 drop\n#\n"
        "security-zone name Trust\n#\nzone-pair security source Trust destination Untrust\n"
        " object-policy apply ip T-U\n#\nreturn\n"
    )
    assert dev.firewall is not None
    first, second = dev.firewall.rules
    assert (first.source_zones, first.destination_zones, first.action) == (
        ["Trust"],
        ["Untrust"],
        Action.PERMIT,
    )
    assert first.source_addresses[0].object_group == "office"
    assert second.action is Action.DENY
    assert dev.firewall.default_action is not None
    assert dev.firewall.default_action.value is False


def test_secrets_storage_and_redaction() -> None:
    text = (
        V7 + "local-user a class manage\n password hash $h$6$CanaryH$\n#\n"
        "local-user b\n password simple CanaryPlain\n#\n"
        " snmp-agent community read simple public\n"
        " snmp-agent usm-user v3 u g cipher authentication-mode sha CanaryA privacy-mode aes128"
        " CanaryP\n#\nreturn\n"
    )
    dev = parse(text)
    assert [u.password_storage for u in dev.mgmt.users] == [
        SecretStorage.HASH,
        SecretStorage.PLAIN,
    ]
    assert dev.mgmt.snmp.communities[0].well_known
    user = dev.mgmt.snmp.users[0]
    assert user.auth and user.priv
    assert "Canary" not in str(to_data(dev))
    assert "Canary" not in PARSER.redact(text)
