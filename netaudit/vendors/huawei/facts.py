"""Facts about Huawei VRP5 switches/routers and USG firewalls (``huawei``), as data.

Input: nothing (constants). Output: the commands a live collection sends, the prompt shapes,
the statements that open a view, the user-interface kinds, and the platform defaults (with the
note each default carries into the model) that ``netaudit.vendors.huawei`` applies when a
configuration does not write a setting. Where a default changed between releases the value is
decided from the ``!Software Version`` header when it is printed, else left unknown.
"""

from __future__ import annotations

import re

from netaudit.model import LineKind

# Collection (netmiko device_type "huawei").
PROMPT = re.compile(r"^(?:<[^<>\s]{1,64}>|\[~?\*?[^\[\]\s]{1,64}\])\s*$")
PAGING_COMMAND = "screen-length 0 temporary"
CONFIG_COMMAND = "display current-configuration"
VERSION_COMMAND = "display version"
ROUTING_TABLE_COMMAND = "display ip routing-table"
VRF_ROUTING_TABLE_COMMAND = "display ip routing-table vpn-instance {vrf}"
END_MARKER = "return"

# Statements that open a view (their sub-statements are indented below them).
BLOCK_HEADERS = (
    "interface", "aaa", "acl", "user-interface", "ip vpn-instance", "firewall zone",
    "firewall interzone", "security-policy", "nat-policy", "policy interzone",
    "nat-policy interzone", "ip address-set", "ip service-set", "nat address-group",
    "ospf", "bgp", "rip", "isis", "vlan", "stp region-configuration", "dhcp server group",
    "ip pool", "time-range", "traffic classifier", "traffic behavior", "traffic policy",
    "wlan", "capwap", "hwtacacs-server template", "radius-server template",
)  # fmt: skip

LINE_KINDS = {"con": LineKind.CONSOLE, "console": LineKind.CONSOLE, "vty": LineKind.VTY,
              "aux": LineKind.AUX, "tty": LineKind.AUX}  # fmt: skip

# Built-in security zones of USG and AR firewalls and their fixed priorities.
STANDARD_ZONE_PRIORITY = {"local": 100, "trust": 85, "dmz": 50, "untrust": 5}

# Releases from which the defaults below hold (VRP V200R010 and the USG6000 V500/V600 line).
MODERN_RELEASE = (200, 10)

TELNET_NOTE = (
    "VRP5 default: the telnet server state depends on the release and model (enabled on "
    "V100R/early V200R, disabled on later ones); the config does not write it"
)
TELNET_USG_NOTE = "USG6000 (V500/V600) default: telnet server disabled"
SSH_NOTE = "VRP default: STelnet (SSH) server disabled"
HTTP_NOTE = (
    "VRP5 default: the HTTP server state depends on the release; the config does not write it"
)
HTTP_USG_NOTE = "USG6000 default: HTTP web management disabled (web-manager enable not set)"
HTTPS_NOTE = (
    "VRP5 default: the HTTPS server state depends on the release; the config does not write it"
)
HTTPS_USG_NOTE = "USG6000 default: HTTPS web management (web-manager security) enabled"
FTP_NOTE = "VRP default: FTP server disabled"
IDLE_SECONDS = 600
IDLE_NOTE = "VRP default: idle-timeout 10 minutes"
VTY_AUTH_NOTE = "VRP default: a vty without authentication-mode accepts no login (password)"
CONSOLE_AUTH_NOTE = "VRP V200R010+ default: console authentication-mode aaa"
MIN_LENGTH = 8
MIN_LENGTH_NOTE = (
    "VRP V200R010+ built-in local-user password check: at least 8 characters, two character types"
)
OLD_RELEASE_NOTE = (
    "the release is not printed or older than V200R010: the built-in password length and "
    "lockout defaults are not known"
)
NO_POLICY_NOTE = (
    "VRP default: the administrator password policy (local-aaa-user password policy "
    "administrator) is disabled, passwords never expire"
)
LOCKOUT_ATTEMPTS = 3
LOCKOUT_MINUTES = 5
LOCKOUT_NOTE = (
    "VRP V200R010+ default: local-aaa-user wrong-password retry-time 3 block-time 5 (lockout "
    "after 3 wrong passwords in 5 minutes)"
)
USG_DEFAULT_DENY_NOTE = "USG6000 default: the default security policy denies (default action deny)"
OLD_USG_DEFAULT_NOTE = "USG default: firewall packet-filter default deny between zones"
AR_ZONE_NOTE = (
    "AR firewall interzone: traffic without a matching packet-filter follows the release's "
    "interzone default, which the config does not write"
)
