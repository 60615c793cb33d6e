"""Secret patterns of Huawei VRP5 and USG configurations (``huawei``), as data.

Input: nothing (constants). Output: ``SECRETS``, the ``SecretPattern`` list the platform's
``Redactor`` applies to every line before anything is parsed or stored: the shared ``#``-block
patterns (``cipher``/``simple``/``irreversible-cipher`` values, SNMP communities with the
well-known marker, usm-user keys, ``%^%#...%^%#`` / ``%$%$...%$%$`` / ``$1a$...`` encodings) plus
the USG/AR forms below.
"""

from __future__ import annotations

from netaudit.vendors.base import SecretPattern, secret
from netaudit.vendors.hashblock import HASHBLOCK_SECRETS

SECRETS: tuple[SecretPattern, ...] = (
    *HASHBLOCK_SECRETS,
    # WLAN: `security wpa2 psk pass-phrase X aes`, `wep-key ...`.
    secret(r"\bwep-key\s+\d+\s+(?:wep\d+\s+)?(?:pass-phrase\s+)?(?P<secret>\S+)"),
    # USG/AR L2TP and IPsec peers written without a storage keyword.
    secret(r"\btunnel\s+password\s+(?P<secret>(?!cipher\b|simple\b)\S+)"),
    secret(r"\bauthentication-key\s+(?P<secret>(?!cipher\b|simple\b|md5\b|sha\S*\b)\S+)"),
)
