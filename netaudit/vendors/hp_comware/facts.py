"""Facts about H3C Comware 5 and 7 (``hp_comware``), as data.

Input: nothing (constants). Output: the commands a live collection sends, prompt shapes, the
statements that open a view, the user-line kinds (on Comware the AUX line is the console port of
switches), and the defaults of each major version with the note each carries into the model.
The major version comes from the ` version 7.1.x, Release ...` line when printed, else from
syntax only one version uses (``line vty`` / ``class manage`` / ``user-role``: 7;
``user-interface`` / ``authorization-attribute level``: 5).
"""

from __future__ import annotations

import re

from netaudit.model import LineKind

PROMPT = re.compile(r"^(?:<[^<>\s]{1,64}>|\[[^\[\]\s]{1,64}\])\s*$")
PAGING_COMMAND = "screen-length disable"
CONFIG_COMMAND = "display current-configuration"
VERSION_COMMAND = "display version"
ROUTING_TABLE_COMMAND = "display ip routing-table"
VRF_ROUTING_TABLE_COMMAND = "display ip routing-table vpn-instance {vrf}"
END_MARKER = "return"

BLOCK_HEADERS = (
    "interface", "acl", "user-interface", "line", "line class", "local-user", "domain",
    "ip vpn-instance", "security-zone name", "zone-pair security", "object-policy ip",
    "object-group ip address", "object-group service", "security-policy ip",
    "nat address-group", "radius scheme", "hwtacacs scheme", "ospf", "bgp", "vlan",
    "dhcp server ip-pool", "user-group", "role name", "zone name", "interzone",
)  # fmt: skip

LINE_KINDS = {"aux": LineKind.CONSOLE, "con": LineKind.CONSOLE, "console": LineKind.CONSOLE,
              "vty": LineKind.VTY, "tty": LineKind.AUX, "usb": LineKind.CONSOLE}  # fmt: skip

TELNET_V7_NOTE = "Comware 7 default: telnet server disabled"
TELNET_V5_NOTE = (
    "Comware 5 default: the telnet server state depends on the release; the config does not "
    "write it"
)
SSH_NOTE = "Comware default: SSH server disabled"
HTTP_V5_NOTE = "Comware 5 default: HTTP (web management) enabled"
HTTPS_V5_NOTE = "Comware 5 default: HTTPS disabled"
HTTP_V7_NOTE = (
    "Comware 7: the HTTP service default depends on the device; the config does not write it"
)
HTTPS_V7_NOTE = (
    "Comware 7: the HTTPS service default depends on the device; the config does not write it"
)
UNKNOWN_MAJOR_NOTE = "the Comware major version is not visible; its defaults are not known"
FTP_NOTE = "Comware default: FTP server disabled"
NTP_V7_NOTE = "Comware 7: `ntp-service enable` is not set, so the configured NTP servers are unused"
IDLE_SECONDS = 600
IDLE_NOTE = "Comware default: idle-timeout 10 minutes"
VTY_AUTH_NOTE = "Comware default: VTY lines use password authentication"
CONSOLE_AUTH_NOTE = "Comware default: console/AUX lines need no authentication"
SSH2_ONLY_NOTE = "Comware 7 default: SSH1 clients are not accepted"

# password-control (disabled by default; these hold once `password-control enable` is set).
PC_LENGTH = 10
PC_AGING = 90
PC_ATTEMPTS = 3
PC_LOCK_MINUTES = 1
PC_OFF_NOTE = "Comware default: password control is disabled (no length, complexity or aging rules)"
PC_LENGTH_NOTE = "Comware password-control default: minimum length 10"
PC_COMPOSITION_NOTE = "Comware password-control default: one character type (no complexity)"
PC_AGING_NOTE = "Comware password-control default: passwords expire after 90 days"
PC_ATTEMPT_NOTE = "Comware password-control default: 3 login attempts, then 1 minute lock"
PC_LOCKOUT_OFF_NOTE = "Comware default: no login lockout (password control disabled)"
FW_DEFAULT_NOTE = (
    "Comware 7 default: traffic between security zones that no zone-pair policy permits is dropped"
)
FW_V5_DEFAULT_NOTE = (
    "Comware 5 SecPath: what happens to traffic between zones that no interzone rule (or "
    "`interzone policy default by-priority` default) decides is not known"
)
