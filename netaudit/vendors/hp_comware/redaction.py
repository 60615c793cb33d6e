"""Secret patterns of H3C Comware 5/7 configurations (``hp_comware``), as data.

Input: nothing (constants). Output: ``SECRETS``: the shared ``#``-block patterns (values after
``cipher``/``simple``/``hash``, ``$c$3$...`` / ``$h$6$...`` encodings, SNMP communities with the
well-known marker, usm-user keys) plus the Comware forms below (RADIUS/HWTACACS ``key``,
``preshared-key``, IKE keychain keys).
"""

from __future__ import annotations

from netaudit.vendors.base import SecretPattern, secret
from netaudit.vendors.hashblock import HASHBLOCK_SECRETS

SECRETS: tuple[SecretPattern, ...] = (
    *HASHBLOCK_SECRETS,
    secret(
        r"^\s*key\s+(?:authentication|accounting|authorization)\s+(?:(?:cipher|simple)\s+)?"
        r"(?P<secret>(?!cipher\b|simple\b)\S+)"
    ),
    secret(
        r"\bpreshared-key\s+(?:pass-phrase|raw-key)\s+(?:(?:cipher|simple)\s+)?"
        r"(?P<secret>(?!cipher\b|simple\b)\S+)"
    ),
    secret(r"\bkey\s+(?:cipher|simple)\s+(?P<secret>\S+)"),
)
