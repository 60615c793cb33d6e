"""Focused facts of the Huawei VRP8 parser: where VRP8 differs from VRP5."""

from __future__ import annotations

from ipaddress import IPv4Address

from netaudit.model import Device
from netaudit.vendors.base import parse_bytes


def parse(text: str, platform: str = "huawei_vrpv8") -> Device:
    return parse_bytes(text.encode(), platform, "ce.cfg")


def test_telnet_server_disable_is_explicit_off() -> None:
    dev = parse("#\n telnet server disable\n#\nreturn\n")
    assert dev.mgmt.telnet_server.value is False and dev.mgmt.telnet_server.explicit
    dev = parse("#\n undo telnet server disable\n#\nreturn\n")
    assert dev.mgmt.telnet_server.value is True


def test_ntp_unicast_server_is_an_ntp_source() -> None:
    dev = parse("#\n ntp unicast-server 10.255.0.10\n#\nreturn\n")
    assert [ip for ip, _ in dev.mgmt.ntp_servers] == [IPv4Address("10.255.0.10")]


def test_indented_separator_keeps_the_aaa_view_open() -> None:
    dev = parse(
        "#\naaa\n local-user a password irreversible-cipher $1c$x$\n #\n authentication-scheme"
        " default\n #\n local-user a level 3\n user-password min-len 10\n#\nreturn\n"
    )
    assert dev.coverage.unrecognized == 0
    assert dev.mgmt.users[0].privilege == 3
    assert dev.mgmt.password_policy.min_length.value == 10


def test_per_user_lockout_stands_for_the_device() -> None:
    dev = parse("#\naaa\n local-user a state block fail-times 5 interval 15\n#\nreturn\n")
    pol = dev.mgmt.password_policy
    assert (pol.lockout_attempts.value, pol.lockout_minutes.value) == (5, 15)


def test_ce_traffic_filter_order() -> None:
    dev = parse("#\ninterface Vlanif10\n traffic-filter acl 3000 inbound\n#\nreturn\n")
    assert dev.interfaces["Vlanif10"].acl_in == "3000"


def test_vrp5_parser_does_not_take_vrp8_ntp() -> None:
    dev = parse("#\n ntp unicast-server 10.255.0.10\n#\nreturn\n", "huawei")
    assert dev.mgmt.ntp_servers == []
    assert dev.coverage.unrecognized == 1
