"""Ruijie RGOS secret patterns (data for ``base.Redactor``).

Input: nothing (constants). Output: ``SECRETS``. RGOS writes secrets as IOS does
(``enable secret 5 X``, ``username U password 7 X``, ``snmp-server community X ro``), plus
``webmaster level N username U password [0|7] X`` and ``snmp-server community 7 X``; the
shared patterns cover them (the password pattern takes the rest of the line).
"""

from __future__ import annotations

from netaudit.vendors.bangblock import COMMON_SECRETS
from netaudit.vendors.base import SecretPattern, secret

SECRETS: tuple[SecretPattern, ...] = (
    *COMMON_SECRETS,
    # `ip ssh peer A public-key ...` carries public keys only; RGOS VPDN / L2TP tunnel secrets:
    secret(r"\bl2tp\s+tunnel\s+authentication\s+password\s+(?:[07]\s+)?(?P<secret>\S+)"),
)
