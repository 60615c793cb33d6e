"""Ruijie RGOS facts as data: prompts, collection commands, interface names, defaults.

Input: nothing (constants). Output: what the collector sends to an RGOS device and how the
parser names its interfaces. RGOS prints a space between type and number
(``interface GigabitEthernet 0/1``, ``AggregatePort 1``, ``VLAN 10``); the model drops it
(``GigabitEthernet0/1``, ``AggregatePort1``, ``VLAN10``) like every other platform.
"""

from __future__ import annotations

import re

from netaudit.model import InterfaceKind
from netaudit.vendors.bangblock import COMMON_INTERFACE_TYPES, InterfaceNames, InterfaceType

# `NAME>` / `NAME#` / `NAME(config-if-GigabitEthernet 0/1)#`.
PROMPT = re.compile(r"^[A-Za-z0-9][\w.\-]{0,63}(?:\([^)]*\))?[>#]\s*$")
ENABLE_COMMAND = "enable"  # RGOS needs privileged mode before `terminal width`
PAGING_COMMAND = "terminal length 0"
WIDTH_COMMAND = "terminal width 256"
CONFIG_COMMAND = "show running-config"
VERSION_COMMAND = "show version"
ROUTING_TABLE_COMMANDS = ("show ip route",)
LOGOUT_COMMAND = "exit"

INTERFACE_NAMES = InterfaceNames(
    (
        *COMMON_INTERFACE_TYPES,
        InterfaceType("AggregatePort", InterfaceKind.AGGREGATE, ("ag", "agg", "aggregate")),
        InterfaceType("VLAN", InterfaceKind.VLAN, ("vl", "vlan", "svi")),
        InterfaceType("Mgmt", InterfaceKind.MANAGEMENT, ("mg", "mgmt")),
        InterfaceType("TFGigabitEthernet", InterfaceKind.ETHERNET, ("tf",)),
        InterfaceType("Virtual-ppp", InterfaceKind.DIALER, ("virtual-p",)),
        InterfaceType("Multilink", InterfaceKind.OTHER, ("mu",)),
        InterfaceType("Async", InterfaceKind.OTHER, ("as",)),
    )
)

EXEC_TIMEOUT_DEFAULT_SECONDS = 600
EXEC_TIMEOUT_NOTE = "RGOS default: exec-timeout 10 minutes"
TELNET_NOTE = (
    "RGOS default: the Telnet server is enabled (`no enable service telnet-server` absent)"
)
SSH_NOTE = "RGOS default: the SSH server is disabled (`enable service ssh-server` absent)"
WEB_NOTE = "`enable service web-server` is not written; the RGOS default differs by model/release"
FTP_NOTE = "RGOS default: the FTP server is off (`ftp-server enable` absent)"
PASSWORD_ENCRYPTION_NOTE = "RGOS default: no service password-encryption"
LOCKOUT_HOURS_NOTE = "RGOS `aaa local authentication lockout-time` is in hours"
