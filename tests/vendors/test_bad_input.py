"""Bad input for every platform: a clear ``ConfigError`` or a model with honest coverage.

Binary, empty, wrong-platform, huge (50 MB), a 1 MB line, invalid UTF-8: never a crash, never
a hang (a generous alarm turns a hang into a failure; no timing is asserted).
"""

from __future__ import annotations

import pytest

from netaudit.errors import ConfigError
from netaudit.model import Platform
from netaudit.vendors.base import parse_bytes
from tests.vendors._platforms import hang_guard, platform_params

BANG = {Platform.CISCO_IOS, Platform.RUIJIE_OS}

IOS_CONFIG = b"""hostname R1
interface GigabitEthernet0/1
 ip address 10.1.1.1 255.255.255.0
 ip access-group 101 in
access-list 101 permit tcp any any eq 22
ip route 0.0.0.0 0.0.0.0 203.0.113.1
line vty 0 4
 transport input ssh
end
"""
VRP_CONFIG = b"""sysname HW
#
interface GigabitEthernet0/0/1
 ip address 10.1.1.1 255.255.255.0
 traffic-filter inbound acl 3000
#
acl number 3000
 rule 5 permit tcp destination-port eq 22
#
ip route-static 0.0.0.0 0.0.0.0 203.0.113.1
#
user-interface vty 0 4
 protocol inbound ssh
#
return
"""


def _own(platform: Platform) -> bytes:
    return IOS_CONFIG if platform in BANG else VRP_CONFIG


def _other(platform: Platform) -> bytes:
    return VRP_CONFIG if platform in BANG else IOS_CONFIG


@pytest.mark.parametrize("platform", platform_params())
@pytest.mark.parametrize(
    "data",
    [
        pytest.param(bytes(range(256)) * 64, id="binary"),
        pytest.param(b"\x7fELF\x02\x01\x01" + b"\x00" * 4096, id="elf"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\n \n\t\n", id="blank"),
    ],
)
def test_unreadable_input_is_a_clear_config_error(platform: Platform, data: bytes) -> None:
    with pytest.raises(ConfigError) as err:
        parse_bytes(data, platform, "bad.cfg")
    assert "bad.cfg" in str(err.value)


@pytest.mark.parametrize("platform", platform_params())
def test_wrong_platform_config_has_honest_coverage(platform: Platform) -> None:
    try:
        device = parse_bytes(_other(platform), platform, "wrong.cfg")
    except ConfigError:
        return
    cov = device.coverage
    assert cov.unrecognized > 0 or cov.truncated, "another vendor's config cannot look complete"
    assert not device.interfaces or cov.unrecognized > 0


@pytest.mark.parametrize("platform", platform_params())
def test_one_megabyte_line(platform: Platform) -> None:
    long_desc = b" description " + b"x" * 1_000_000 + b"\n"
    long_word = b"y" * 1_000_000 + b"\n"
    own = _own(platform)
    head, _, tail = own.partition(b"\n")
    data = head + b"\n" + long_word + tail.replace(b" ip address", long_desc + b" ip address", 1)
    with hang_guard(120):
        device = parse_bytes(data, platform, "long.cfg")
    assert device.coverage.total == data.count(b"\n")
    assert any(src.line == 2 for _, src in device.coverage.unrecognized_lines)


@pytest.mark.parametrize("platform", platform_params())
def test_invalid_utf8_is_decoded_with_a_note(platform: Platform) -> None:
    own = _own(platform)
    data = own.replace(
        b"10.1.1.1 255.255.255.0", b"10.1.1.1 255.255.255.0\n description \xff\xfe\xc3(", 1
    )
    with hang_guard(60):
        device = parse_bytes(data, platform, "utf8.cfg")
    assert device.coverage.total == data.count(b"\n")
    assert any("decoded" in n or "replaced" in n for n in device.coverage.notes)


@pytest.mark.parametrize("platform", platform_params())
@pytest.mark.parametrize("digit", ["²", "５", "٣"], ids=["superscript", "fullwidth", "arabic"])
def test_numbers_in_other_digits_never_crash_the_parser(platform: Platform, digit: str) -> None:
    # `str.isdigit()` is true for "²" but `int("²")` raises: such a token (a mistyped rule
    # number, say) makes its line unrecognized, never an exception for the whole device.
    for real in "0125":
        text = _own(platform).decode().replace(real, digit)
        device = parse_bytes(text.encode(), platform, "digits.cfg")
        assert device.coverage.total == text.count("\n")
    rule = (
        b"rule \xc2\xb2 permit ip" if platform not in BANG else b"access-list \xc2\xb2 permit any"
    )
    head, sep, tail = _own(platform).partition(b"\n")
    device = parse_bytes(head + sep + rule + b"\n" + tail, platform, "digits.cfg")
    assert any(src.line == 2 for _, src in device.coverage.unrecognized_lines)


ADDRESS = b" ip address 10.%d.%d.1 255.255.255.0\n"


@pytest.mark.slow
@pytest.mark.parametrize("platform", platform_params())
def test_fifty_megabyte_config(platform: Platform) -> None:
    if platform in BANG:
        block = b"interface GigabitEthernet1/%d\n description uplink %d\n" + ADDRESS + b"!\n"
        tail = b"end\n"
    else:
        block = b"interface GigabitEthernet1/0/%d\n description uplink %d\n" + ADDRESS + b"#\n"
        tail = b"return\n"
    parts: list[bytes] = []
    size = 0
    i = 0
    while size < 50_000_000:
        chunk = block % (i, i, (i >> 8) & 255, i & 255)
        parts.append(chunk)
        size += len(chunk)
        i += 1
    data = b"".join(parts) + tail
    with hang_guard(600):
        device = parse_bytes(data, platform, "huge.cfg")
    cov = device.coverage
    assert cov.total == data.count(b"\n")
    assert cov.recognized + cov.unsupported + cov.unrecognized == cov.total
