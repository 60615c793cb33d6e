"""Cisco IOS / IOS-XE facts as data: prompts, collection commands, interface names, defaults.

Input: nothing (constants). Output: what the collector sends to an IOS device and how the
parser names its interfaces (``Gi0/1`` → ``GigabitEthernet0/1``, ``Po1`` → ``Port-channel1``).
"""

from __future__ import annotations

import re

from netaudit.model import InterfaceKind
from netaudit.vendors.bangblock import COMMON_INTERFACE_TYPES, InterfaceNames, InterfaceType

# `NAME>` in user mode, `NAME#` in privileged mode, `NAME(config...)#` in configuration mode.
PROMPT = re.compile(r"^[A-Za-z0-9][\w.\-]{0,63}(?:\([\w.\-]+\))?[>#]\s*$")
PAGING_COMMAND = "terminal length 0"
WIDTH_COMMAND = "terminal width 511"
CONFIG_COMMAND = "show running-config"
VERSION_COMMAND = "show version"
ROUTING_TABLE_COMMANDS = ("show ip route", "show ip route vrf *")
LOGOUT_COMMAND = "exit"

INTERFACE_NAMES = InterfaceNames(
    (
        *COMMON_INTERFACE_TYPES,
        InterfaceType("Port-channel", InterfaceKind.AGGREGATE, ("po", "port", "portchannel")),
        InterfaceType("Vlan", InterfaceKind.VLAN, ("vl", "vlan")),
        InterfaceType("TwoGigabitEthernet", InterfaceKind.ETHERNET, ("tw", "two")),
        InterfaceType("FiveGigabitEthernet", InterfaceKind.ETHERNET, ("fi", "five")),
        InterfaceType("TwentyFiveGigE", InterfaceKind.ETHERNET, ("twe", "twentyfive")),
        InterfaceType("HundredGigE", InterfaceKind.ETHERNET, ("hu", "hundred")),
        InterfaceType("AppGigabitEthernet", InterfaceKind.ETHERNET, ("ap",)),
        InterfaceType("BDI", InterfaceKind.VLAN, ("bd",)),
        InterfaceType("BVI", InterfaceKind.VLAN, ("bv",)),
        InterfaceType("Multilink", InterfaceKind.OTHER, ("mu",)),
        InterfaceType("Virtual-PPP", InterfaceKind.DIALER, ("vp",)),
        InterfaceType("NVI", InterfaceKind.OTHER, ("nv",)),
        InterfaceType("Async", InterfaceKind.OTHER, ("as",)),
        InterfaceType("Embedded-Service-Engine", InterfaceKind.OTHER, ("em",)),
        InterfaceType("Wlan-GigabitEthernet", InterfaceKind.ETHERNET, ("wl",)),
    )
)

# Defaults that hold on every IOS / IOS-XE release (Cisco command references).
EXEC_TIMEOUT_DEFAULT_SECONDS = 600
EXEC_TIMEOUT_NOTE = "IOS default: exec-timeout 10 minutes"
HTTP_NOTE = "`ip http server` is not written; its default differs by IOS image"
FTP_NOTE = "IOS default: the FTP server is off (`ftp-server enable` not present)"
SSH_NOTE = "IOS serves SSH once an RSA key pair exists; keys are not in the config"
PASSWORD_ENCRYPTION_NOTE = "IOS default: no service password-encryption"
VTY_TRANSPORT_NOTE = (
    "vty lines without `transport input`: the IOS default (all, telnet, ssh or none) depends "
    "on the release"
)

# Password policy defaults (IOS / IOS-XE): nothing is enforced unless configured.
NO_MIN_LENGTH_NOTE = (
    "IOS default: no minimum password length (no `security passwords min-length` and no "
    "`aaa common-criteria policy`)"
)
NO_AGING_NOTE = "IOS default: passwords never expire (no common-criteria `lifetime`)"
NO_COMPLEXITY_NOTE = "IOS default: no complexity check (no common-criteria character classes)"
NO_LOCKOUT_NOTE = (
    "IOS default: no lockout (no `aaa local authentication attempts max-fail` and no "
    "`login block-for`)"
)
