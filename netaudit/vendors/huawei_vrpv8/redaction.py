"""Secret patterns of Huawei VRP8 configurations (``huawei_vrpv8``), as data.

Input: nothing (constants). Output: ``SECRETS``: the shared ``#``-block patterns (``cipher`` /
``irreversible-cipher`` values, ``%^%#...%^%#`` and ``$1c$...`` encodings, SNMP communities
with the well-known marker, usm-user keys) plus VRP8's own forms below.
"""

from __future__ import annotations

from netaudit.vendors.base import SecretPattern, secret
from netaudit.vendors.hashblock import HASHBLOCK_SECRETS

SECRETS: tuple[SecretPattern, ...] = (
    *HASHBLOCK_SECRETS,
    # `user-password` / `authentication-key` values written without a storage keyword.
    secret(r"\bauthentication-key\s+(?P<secret>(?!cipher\b|simple\b|md5\b|sha\S*\b)\S+)"),
    secret(r"\bkeychain\s+\S+\s+key-id\s+\d+\s+(?P<secret>(?!cipher\b)\S+)"),
)
