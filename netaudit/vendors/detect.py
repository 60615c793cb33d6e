"""``--platform auto``: tell a configuration's platform from its text (parse stage, before parsing).

Input: the decoded text of one configuration file. Output: the ``Platform`` whose syntax it is,
or ``PlatformDetectError`` with the evidence for the candidates when the text does not say.

The decision is two steps, each a weighted vote of syntax markers (data below): first the
family (``#``-blocks and ``return`` of Huawei/H3C vs ``!``-blocks and ``end`` of IOS/RGOS), then
the platform within it: VRP5/USG vs VRP8 vs Comware; IOS vs RGOS. Only the first ``SCAN_LIMIT``
characters are read, so a 50 MB file costs no more than a 2 MB one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from netaudit.errors import PlatformDetectError
from netaudit.model import Platform

SCAN_LIMIT = 2_000_000


@dataclass(frozen=True, slots=True)
class Marker:
    regex: re.Pattern[str]
    weight: int
    what: str

    def __init__(self, regex: re.Pattern[str], weight: int, what: str) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "regex", regex)
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "what", what)


def _m(pattern: str, weight: int, what: str) -> Marker:
    return Marker(re.compile(pattern, re.MULTILINE | re.IGNORECASE), weight, what)


# Family markers.
HASH_FAMILY: Sequence[Marker] = (
    _m(r"^\s*#\s*$", 1, "`#` block separators"),
    _m(r"^\s*sysname\s+\S", 4, "`sysname`"),
    _m(r"^return\s*$", 3, "`return` at the end"),
    _m(r"^\s*undo\s+\S", 2, "`undo` statements"),
    _m(r"^\s*(?:display|dis)\s+current-configuration", 2, "`display current-configuration`"),
    _m(r"^\s*(?:info-center|snmp-agent|ntp-service|user-interface)\b", 3, "VRP/Comware keywords"),
)
BANG_FAMILY: Sequence[Marker] = (
    _m(r"^!\s*$", 1, "`!` separators"),
    _m(r"^hostname\s+\S", 4, "`hostname`"),
    _m(r"^end\s*$", 3, "`end` at the end"),
    _m(r"^\s*no\s+\S", 1, "`no` statements"),
    _m(r"^line\s+(?:vty|con)\s+\d", 2, "`line vty` / `line con`"),
    _m(r"^(?:logging|snmp-server|ip route)\s", 3, "IOS/RGOS keywords"),
    _m(r"^\s*(?:show|sh)\s+run", 2, "`show running-config`"),
)

# Within the `#` family.
HUAWEI_COMMON: Sequence[Marker] = (
    _m(r"\bVlanif\d", 3, "`Vlanif` interfaces"),
    _m(r"\bEth-Trunk\d", 3, "`Eth-Trunk` interfaces"),
    _m(r"\bXGigabitEthernet\d", 3, "`XGigabitEthernet` interfaces"),
    _m(r"\bMEth\d", 3, "`MEth` interfaces"),
    _m(r"^\s*stelnet\s+server", 3, "`stelnet server`"),
    _m(r"^aaa\s*$", 3, "`aaa` view"),
    _m(r"^\s*authentication-scheme\s", 2, "`authentication-scheme`"),
    _m(r"^\s*traffic-filter\s", 3, "`traffic-filter`"),
    _m(r"^!Software Version\s+V", 3, "`!Software Version` header"),
    _m(
        r"^\s*local-user\s+\S+\s+(?:password|service-type|privilege|level)\b",
        2,
        "`local-user U password` (AAA view)",
    ),
    _m(r"^\s*vlan batch\s", 3, "`vlan batch`"),
    _m(r"^security-policy\s*$", 3, "USG `security-policy`"),
    _m(r"^firewall zone\s", 3, "USG `firewall zone`"),
    _m(r"^\s*manager-user\s", 3, "USG `manager-user`"),
    _m(r"^\s*web-manager\s", 3, "USG `web-manager`"),
    _m(r"^\s*(?:undo\s+)?http\s+(?:server|secure-server)\s", 2, "VRP `http server`"),
)
VRP8: Sequence[Marker] = (
    _m(r"^!Software Version\s+V8\d\dR", 8, "`!Software Version V8xx`"),
    _m(
        r"^\s*ntp\s+(?:unicast-server|server\s+disable|source-interface)",
        5,
        "`ntp unicast-server` (VRP8)",
    ),
    _m(r"^\s*(?:undo\s+)?telnet\s+server\s+disable", 5, "`telnet server disable` (VRP8)"),
    _m(r"\b(?:10|25|40|100|400)GE\d", 4, "`10GE`/`40GE` interfaces (CloudEngine)"),
    _m(r"^\s*device\s+board\s", 4, "`device board` (CloudEngine)"),
    _m(r"^\s*(?:dcb\s|drop-profile\s)", 3, "`dcb` / `drop-profile` (CloudEngine)"),
    _m(r"^\s*local-user\s+\S+\s+level\s+\d", 3, "`local-user U level N` (VRP8)"),
    _m(r"^\s*local-user\s+\S+\s+state\s+block\s+fail-times", 3, "`state block fail-times`"),
    _m(r"^\s*user-password\s+(?:min-len|complexity-check)", 3, "`user-password` (VRP8)"),
    _m(r"^\[~", 3, "`[~NAME]` prompt (two-stage commit)"),
    _m(r"\bVbdif\d|^bridge-domain\s|^evpn\b", 3, "EVPN / bridge domains"),
)
VRP5: Sequence[Marker] = (
    _m(r"^\s*ntp-service\s+unicast-server", 4, "`ntp-service unicast-server` (VRP5)"),
    _m(r"^\s*(?:undo\s+)?telnet\s+server\s+enable", 2, "`telnet server enable`"),
    _m(r"^\s*local-user\s+\S+\s+privilege\s+level", 3, "`local-user U privilege level` (VRP5)"),
    _m(r"^\s*drop\s+illegal-mac|^\s*ntdp\s+enable|^\s*cluster\s+enable", 3, "VRP5 switch globals"),
    _m(r"^!Software Version\s+V[1-6]\d\dR", 1, "`!Software Version V1xx-V6xx`"),
    _m(r"^security-policy\s*$|^firewall zone\s|^\s*manager-user\s", 5, "USG firewall syntax"),
    _m(r"^\s*local-aaa-user\s+wrong-password", 2, "`local-aaa-user wrong-password`"),
)
COMWARE: Sequence[Marker] = (
    _m(r"^\s*version\s+[57]\.\d+", 8, "Comware `version 5.x/7.x` line"),
    _m(r"\bVlan-interface\d", 4, "`Vlan-interface` interfaces"),
    _m(r"\bBridge-Aggregation\d|\bRoute-Aggregation\d", 4, "`Bridge-Aggregation` interfaces"),
    _m(
        r"\bTen-GigabitEthernet\d|\bM-GigabitEthernet\d|\bFortyGigE\d", 4, "Comware interface names"
    ),
    _m(r"^local-user\s+\S+(?:\s+class\s+\S+)?\s*$", 3, "`local-user U [class manage]` view"),
    _m(r"^line\s+(?:vty|class|aux|con)\b", 3, "`line vty` (Comware 7)"),
    _m(
        r"^\s*(?:user-role|authorization-attribute)\s", 3, "`user-role` / `authorization-attribute`"
    ),
    _m(r"^\s*(?:undo\s+)?ip\s+https?\s+enable", 3, "`ip http enable`"),
    _m(r"^\s*password-control\s", 3, "`password-control`"),
    _m(
        r"^security-zone\s+name|^zone-pair\s+security|^object-policy\s+ip",
        4,
        "security zones / zone pairs",
    ),
    _m(
        r"^\s*packet-filter\s+(?:name\s+\S+|\d+)\s+(?:inbound|outbound)",
        3,
        "`packet-filter N inbound`",
    ),
    _m(r"^domain\s+system|^\s*domain\s+default\s+enable", 3, "`domain system`"),
    _m(r"^\s*irf\s", 3, "`irf`"),
)

# Within the `!` family.
IOS: Sequence[Marker] = (
    _m(r"^version\s+\d+\.\d+\s*$", 4, "IOS `version 15.x`"),
    _m(r"^service\s+(?:timestamps|password-encryption|pad)", 3, "`service timestamps`"),
    _m(r"^boot-(?:start|end)-marker", 4, "`boot-start-marker`"),
    _m(r"^Building configuration|^Current configuration\s*:", 3, "`Building configuration`"),
    _m(r"^\s*transport\s+input\s", 2, "`transport input`"),
    _m(
        r"^interface\s+(?:GigabitEthernet|FastEthernet|TenGigabitEthernet|Ethernet)\d",
        3,
        "interface names without a space",
    ),
    _m(r"^ip\s+cef\b|^license udi", 2, "`ip cef`"),
)
RUIJIE: Sequence[Marker] = (
    _m(
        r"^interface\s+(?:GigabitEthernet|FastEthernet|TenGigabitEthernet)\s+\d",
        5,
        "interface names with a space (RGOS)",
    ),
    _m(r"\bAggregatePort\s*\d", 5, "`AggregatePort` interfaces"),
    _m(r"^enable\s+service\s+(?:ssh-server|web-server|telnet-server)", 5, "`enable service`"),
    _m(r"^\s*webmaster\s", 4, "`webmaster`"),
    _m(r"^\s*(?:nfpp|cwmp|sysmac|install\s+\d)\b", 3, "RGOS globals"),
    _m(r"Ruijie|RGOS", 4, "Ruijie / RGOS name"),
)


def _score(text: str, markers: Sequence[Marker]) -> tuple[int, list[str]]:
    total = 0
    found: list[str] = []
    for mk in markers:
        if mk.regex.search(text):
            total += mk.weight
            found.append(mk.what)
    return total, found


def detect_platform(text: str) -> Platform:
    """The platform whose syntax ``text`` is written in; ``PlatformDetectError`` if unclear."""
    head = text[:SCAN_LIMIT]
    hash_score, hash_found = _score(head, HASH_FAMILY)
    bang_score, bang_found = _score(head, BANG_FAMILY)
    if max(hash_score, bang_score) < 4 or abs(hash_score - bang_score) < 2:
        raise PlatformDetectError(
            "cannot tell the platform from the text: "
            + _evidence({"Huawei/H3C (#-blocks)": hash_found, "IOS/RGOS (!-blocks)": bang_found})
            + "; pass --platform huawei | huawei_vrpv8 | hp_comware | cisco_ios | ruijie_os"
        )
    if hash_score > bang_score:
        return _pick(
            head,
            {
                Platform.HUAWEI: (*HUAWEI_COMMON, *VRP5),
                Platform.HUAWEI_VRPV8: (*HUAWEI_COMMON, *VRP8),
                Platform.HP_COMWARE: COMWARE,
            },
        )
    return _pick(head, {Platform.CISCO_IOS: IOS, Platform.RUIJIE_OS: RUIJIE})


def _pick(text: str, candidates: dict[Platform, Sequence[Marker]]) -> Platform:
    scores = {p: _score(text, markers) for p, markers in candidates.items()}
    ranked = sorted(scores.items(), key=lambda kv: kv[1][0], reverse=True)
    (best, (best_score, _)), (_, (second_score, _)) = ranked[0], ranked[1]
    if best_score >= 3 and best_score - second_score >= 2:
        return best
    raise PlatformDetectError(
        "cannot tell the platform from the text: "
        + _evidence({p.value: found for p, (_, found) in scores.items()})
        + "; pass --platform "
        + " | ".join(p.value for p in candidates)
    )


def _evidence(found: dict[str, list[str]]) -> str:
    parts = [f"{name}: {', '.join(f) if f else 'no markers'}" for name, f in found.items()]
    return "; ".join(parts)


__all__ = ["SCAN_LIMIT", "detect_platform"]
