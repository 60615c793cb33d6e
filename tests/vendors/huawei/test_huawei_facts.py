"""Focused facts of the Huawei VRP5/USG parser that an auditor relies on (beside the goldens)."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface

import pytest

from netaudit.model import (
    Action,
    AuthMode,
    Device,
    InterfaceKind,
    LineKind,
    SecretStorage,
    Section,
)
from netaudit.model.serialize import to_data
from netaudit.vendors.base import REDACTED, REDACTED_WELL_KNOWN, parse_bytes
from netaudit.vendors.hashblock import HUAWEI_INTERFACE_NAMES
from netaudit.vendors.huawei import PARSER


def parse(text: str) -> Device:
    return parse_bytes(text.encode(), "huawei", "r1.cfg")


@pytest.mark.parametrize(
    ("raw", "canonical", "kind"),
    [
        ("GE0/0/1", "GigabitEthernet0/0/1", InterfaceKind.ETHERNET),
        ("XGE0/0/1", "XGigabitEthernet0/0/1", InterfaceKind.ETHERNET),
        ("GigabitEthernet0/0/1.100", "GigabitEthernet0/0/1.100", InterfaceKind.SUBINTERFACE),
        ("Vlanif10", "Vlanif10", InterfaceKind.VLAN),
        ("Eth-Trunk1", "Eth-Trunk1", InterfaceKind.AGGREGATE),
        ("LoopBack0", "LoopBack0", InterfaceKind.LOOPBACK),
        ("NULL0", "NULL0", InterfaceKind.NULL),
        ("Dialer1", "Dialer1", InterfaceKind.DIALER),
        ("Cellular0/0/0", "Cellular0/0/0", InterfaceKind.CELLULAR),
        ("MEth0/0/1", "MEth0/0/1", InterfaceKind.MANAGEMENT),
        ("10GE1/0/1", "10GE1/0/1", InterfaceKind.ETHERNET),
    ],
)
def test_interface_names_are_canonical(raw: str, canonical: str, kind: InterfaceKind) -> None:
    assert HUAWEI_INTERFACE_NAMES.canonical(raw) == canonical
    assert HUAWEI_INTERFACE_NAMES.kind(canonical) is kind


def test_abbreviated_names_in_statements_resolve_to_the_interface() -> None:
    dev = parse(
        "#\n sysname r1\n#\ninterface GigabitEthernet0/0/1\n ip address 10.1.1.1 24\n#\n"
        "firewall zone trust\n add interface GE0/0/1\n#\n"
        " ip route-static 0.0.0.0 0 GE0/0/1 10.1.1.254\n#\nreturn\n"
    )
    assert dev.interfaces["GigabitEthernet0/0/1"].zone == "trust"
    assert dev.static_routes[0].interface == "GigabitEthernet0/0/1"
    assert dev.interfaces["GigabitEthernet0/0/1"].addresses[0].address == IPv4Interface(
        "10.1.1.1/24"
    )


def test_usg_default_action_and_any_rule() -> None:
    dev = parse(
        "!Software Version V500R005C10SPC300\n#\n sysname fw\n#\nsecurity-policy\n"
        " default action permit\n rule name a\n  source-zone trust\n  destination-zone untrust\n"
        "  action permit\n#\nreturn\n"
    )
    assert dev.is_firewall
    assert dev.firewall is not None
    default = dev.firewall.default_action
    assert default is not None and default.value is True and default.explicit
    assert default.source is not None and default.source.line == 6
    rule = dev.firewall.rules[0]
    assert (rule.action, rule.source_zones, rule.destination_zones) == (
        Action.PERMIT,
        ["trust"],
        ["untrust"],
    )


def test_usg_without_default_line_denies_by_default_with_a_note() -> None:
    dev = parse("#\nsecurity-policy\n rule name a\n  action permit\n#\nreturn\n")
    assert dev.firewall is not None and dev.firewall.default_action is not None
    assert dev.firewall.default_action.value is False
    assert not dev.firewall.default_action.explicit
    assert "default action deny" in (dev.firewall.default_action.note or "")


def test_nat_server_exposes_rdp_port() -> None:
    dev = parse(
        "#\n nat server rdp protocol tcp global 203.0.113.3 3389 inside 172.21.10.9 3389\n"
        "#\nreturn\n"
    )
    (nat,) = dev.nat.static_rules
    assert nat.global_ip == IPv4Address("203.0.113.3")
    assert (nat.protocol, nat.global_port, nat.inside_port) == ("tcp", 3389, 3389)


def test_password_storage_types_and_no_secret_in_the_model() -> None:
    text = (
        "#\naaa\n local-user a password irreversible-cipher $1a$CanaryHash$\n"
        " local-user b password cipher %^%#CanaryCipher%^%#\n"
        " local-user c password simple CanaryPlain\n#\n"
        "user-interface vty 0 4\n authentication-mode password\n"
        " set authentication password cipher CanaryVty\n#\n"
        " snmp-agent community read public\n snmp-agent community write CanaryCommunity\n#\n"
        "return\n"
    )
    dev = parse(text)
    storage = {u.name: u.password_storage for u in dev.mgmt.users}
    assert storage == {
        "a": SecretStorage.HASH,
        "b": SecretStorage.REVERSIBLE,
        "c": SecretStorage.PLAIN,
    }
    assert dev.mgmt.lines[0].password_storage is SecretStorage.REVERSIBLE
    ro, rw = dev.mgmt.snmp.communities
    assert (ro.access, ro.well_known, rw.access, rw.well_known) == ("ro", True, "rw", False)
    assert "Canary" not in str(to_data(dev))
    redacted = PARSER.redact(text)
    assert "Canary" not in redacted
    assert f"community read {REDACTED_WELL_KNOWN}" in redacted
    assert f"password irreversible-cipher {REDACTED}" in redacted


def test_redacted_config_parses_to_the_same_model() -> None:
    text = (
        "#\naaa\n local-user a password cipher %^%#x%^%#\n#\n snmp-agent community read private"
        "\n snmp-agent usm-user v3 u g authentication-mode sha cipher k privacy-mode aes128 "
        "cipher p\n#\nreturn\n"
    )
    assert to_data(parse(text)) == to_data(parse(PARSER.redact(text)))


def test_lockout_wrong_password_line_is_not_redacted() -> None:
    line = " local-aaa-user wrong-password retry-interval 5 retry-time 3 block-time 5"
    assert PARSER.redact(line) == line


def test_vrp5_defaults_follow_the_release() -> None:
    modern = parse("!Software Version V200R010C00SPC600\n#\nuser-interface con 0\n#\nreturn\n")
    old = parse("!Software Version V200R003C00\n#\nuser-interface con 0\n#\nreturn\n")
    assert modern.mgmt.password_policy.lockout_attempts.value == 3
    assert not modern.mgmt.password_policy.lockout_attempts.explicit
    assert modern.mgmt.lines[0].auth is AuthMode.AAA
    assert old.mgmt.password_policy.lockout_attempts.value is None
    assert old.mgmt.lines[0].auth is AuthMode.UNKNOWN
    assert old.mgmt.telnet_server.value is None and old.mgmt.telnet_server.note


def test_vty_lines_and_idle_timeout() -> None:
    dev = parse(
        "#\nuser-interface vty 0 4\n acl 2000 inbound\n authentication-mode aaa\n"
        " protocol inbound ssh\n idle-timeout 0 0\nuser-interface vty 5 9\n#\nreturn\n"
    )
    first, second = dev.mgmt.lines
    assert (first.kind, first.first, first.last) == (LineKind.VTY, 0, 4)
    assert (first.acl_in, first.protocols, first.idle_timeout_seconds.value) == ("2000", ["ssh"], 0)
    assert second.idle_timeout_seconds.value == 600 and not second.idle_timeout_seconds.explicit


def test_unknown_snmp_line_is_attributed_to_snmp() -> None:
    dev = parse("#\n snmp-agent frobnicate\n#\nreturn\n")
    assert [(s, src.line) for s, src in dev.coverage.unrecognized_lines] == [(Section.SNMP, 2)]


def test_every_line_lands_in_one_bucket() -> None:
    text = "#\n sysname r1\n#\ninterface Vlanif1\n foo bar\n#\n vlan batch 10\n#\nreturn\n"
    cov = parse(text).coverage
    assert cov.total == text.count("\n")
    assert cov.recognized + cov.unsupported + cov.unrecognized == cov.total
    assert cov.unrecognized == 1


def test_truncated_file_is_flagged() -> None:
    dev = parse("#\n sysname r1\n#\ninterface Vlanif1\n ip address 10.1.1.1 24\n")
    assert dev.coverage.truncated
    assert dev.interfaces["Vlanif1"].addresses


def test_unclosed_banner_is_truncated_and_swallows_no_config() -> None:
    dev = parse('#\n header login information "Hello\nstill banner\n')
    assert dev.coverage.truncated
    assert any("banner" in n for n in dev.coverage.notes)
