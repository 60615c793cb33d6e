"""Facts about Huawei VRP8 devices (CloudEngine switches, NetEngine routers; ``huawei_vrpv8``).

Input: nothing (constants). Output: the commands a live collection sends, prompt shapes, the
statements that open a view, user-interface kinds and the VRP8 defaults (each with the note it
carries into the model). VRP8 differs from VRP5 in syntax (``telnet server disable``,
``ntp unicast-server``, ``local-user U level N``, two-stage commit prompts ``[~NAME]``) and in
defaults, which is why it is its own platform.
"""

from __future__ import annotations

import re

from netaudit.model import LineKind

PROMPT = re.compile(r"^(?:<[^<>\s]{1,64}>|\[[~*]?[^\[\]\s]{1,64}\])\s*$")
PAGING_COMMAND = "screen-length 0 temporary"
CONFIG_COMMAND = "display current-configuration"
VERSION_COMMAND = "display version"
ROUTING_TABLE_COMMAND = "display ip routing-table"
VRF_ROUTING_TABLE_COMMAND = "display ip routing-table vpn-instance {vrf}"
END_MARKER = "return"

BLOCK_HEADERS = (
    "interface", "aaa", "acl", "acl name", "user-interface", "ip vpn-instance", "ospf", "bgp",
    "isis", "vlan", "bridge-domain", "evpn", "traffic classifier", "traffic behavior",
    "traffic policy", "route-policy", "ip ip-prefix", "local-aaa-server",
)  # fmt: skip

LINE_KINDS = {"con": LineKind.CONSOLE, "console": LineKind.CONSOLE, "vty": LineKind.VTY,
              "aux": LineKind.AUX, "maint": LineKind.CONSOLE}  # fmt: skip

TELNET_NOTE = (
    "VRP8 default: the telnet server state depends on the product and release (CloudEngine: "
    "disabled; NetEngine V8: enabled); the config does not write it"
)
SSH_NOTE = "VRP8 default: STelnet (SSH) server disabled"
HTTP_NOTE = (
    "VRP8 default: the HTTP server state depends on the product; the config does not write it"
)
HTTPS_NOTE = (
    "VRP8 default: the HTTPS server state depends on the product; the config does not write it"
)
FTP_NOTE = "VRP8 default: FTP server disabled"
IDLE_SECONDS = 600
IDLE_NOTE = "VRP8 default: idle-timeout 10 minutes"
VTY_AUTH_NOTE = "VRP8 default: a vty without authentication-mode accepts no login (password)"
MIN_LENGTH = 8
SECURITY_POLICY_NOTE = (
    "VRP8 default: the user security policy is enabled: local-user passwords need at least 8 "
    "characters of upper-case, lower-case, digit and special characters"
)
AGING_NOTE = "VRP8: password aging is not written in the config; the release default is not known"
LOCKOUT_NOTE = "VRP8: login lockout is not written in the config; the release default is not known"
