"""Cisco IOS secret patterns (data for ``base.Redactor``).

Input: nothing (constants). Output: ``SECRETS``, the patterns whose ``secret`` group is
replaced by ``<redacted>`` (or ``<redacted:well-known>`` for default SNMP communities) while
the keyword and the type digit stay, e.g. ``username a secret 9 <redacted>``.
"""

from __future__ import annotations

from netaudit.vendors.bangblock import COMMON_SECRETS
from netaudit.vendors.base import SecretPattern, secret

SECRETS: tuple[SecretPattern, ...] = (
    *COMMON_SECRETS,
    # IOS-XE wireless `wpa-psk ascii 0 X`; `tacacs server` / `aaa group server` `server-private`.
    secret(r"\bwpa-psk\s+(?:ascii|hex)\s+(?:[0-9]\s+)?(?P<secret>\S+)"),
    secret(r"\bserver-private\s+\S+.*?\skey\s+(?:[07]\s+)?(?P<secret>\S+)"),
)
