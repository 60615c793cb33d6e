"""``--platform auto``: detection of all five platforms, and a clear error when unsure."""

from __future__ import annotations

import pytest

from netaudit.errors import PlatformDetectError
from netaudit.model import Platform
from netaudit.vendors.detect import detect_platform

VRP5 = """\
!Software Version V200R010C00SPC600
#
 sysname yanta-core
#
 vlan batch 10 20
#
interface Vlanif10
 ip address 172.21.10.1 255.255.255.0
#
 ntp-service unicast-server 10.0.0.1
#
 stelnet server enable
#
return
"""
USG = """\
2024-06-09 09:30:12.417 +08:00
#
 sysname yanta-fw1
#
firewall zone trust
 set priority 85
#
security-policy
 rule name a
  action permit
#
return
"""
VRP8 = """\
!Software Version V800R011C00SPC607B607
#
 sysname pe1
#
 telnet server disable
#
 ntp unicast-server 10.0.0.1
#
interface 10GE1/0/1
 undo portswitch
#
return
"""
COMWARE7 = """\
#
 version 7.1.064, Release 0427P22
#
 sysname core
#
interface Vlan-interface10
 ip address 172.21.10.1 255.255.255.0
#
line vty 0 63
 authentication-mode scheme
#
return
"""
COMWARE5 = """\
#
 sysname acc
#
interface Vlan-interface1
 ip address 172.21.10.2 255.255.255.0
#
user-interface vty 0 4
 authentication-mode scheme
#
local-user admin
 password simple x
#
return
"""
IOS = """\
Building configuration...
!
version 15.2
service timestamps debug datetime msec
!
hostname r1
!
interface GigabitEthernet0/1
 ip address 10.1.1.1 255.255.255.0
!
line vty 0 4
 transport input ssh
!
end
"""
RUIJIE = """\
!
version RGOS 10.4(3b12)
!
hostname sw1
!
interface GigabitEthernet 0/1
 no switchport
 ip address 10.1.1.1 255.255.255.0
!
enable service ssh-server
!
line vty 0 4
 login local
!
end
"""


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        (VRP5, Platform.HUAWEI),
        (USG, Platform.HUAWEI),
        (VRP8, Platform.HUAWEI_VRPV8),
        (COMWARE7, Platform.HP_COMWARE),
        (COMWARE5, Platform.HP_COMWARE),
        (IOS, Platform.CISCO_IOS),
        (RUIJIE, Platform.RUIJIE_OS),
    ],
    ids=["vrp5", "usg", "vrp8", "comware7", "comware5", "ios", "ruijie"],
)
def test_detects_the_platform(text: str, platform: Platform) -> None:
    assert detect_platform(text) is platform


@pytest.mark.parametrize(
    "text",
    ["hello world\nthis is not a config\n", "#\n sysname x\n#\nreturn\n"],
    ids=["prose", "bare_hash_block"],
)
def test_unclear_text_is_a_clear_error(text: str) -> None:
    with pytest.raises(PlatformDetectError, match="--platform"):
        detect_platform(text)


def test_only_the_head_of_a_huge_text_is_read() -> None:
    text = COMWARE7 + "#\n" * 3_000_000
    assert detect_platform(text) is Platform.HP_COMWARE
