"""Ruijie RGOS (``ruijie_os``): the platform's ``PARSER`` and ``extract``; parse stage.

Input: ``CleanText`` of a ``show running-config``. Output: a ``Device`` (``PARSER.parse``) or
the vendor-shaped statement tree (``extract``). RGOS shares IOS's ``!``-block syntax
(``netaudit.vendors.bangblock``); this package adds what RGOS writes differently:
``enable service ssh-server|telnet-server|web-server|snmp-agent``, ``ftp-server enable``,
``password policy ...``, ``webmaster`` users, ``sntp server``, ``logging server`` (shared),
spaced interface names, and RGOS defaults (telnet on, SSH off).
"""

from __future__ import annotations

from netaudit.model import Flag, IntSetting, LocalUser, Platform, Section
from netaudit.model.serialize import Json
from netaudit.vendors.bangblock import (
    BangParser,
    Ctx,
    Dialect,
    Node,
    add_host,
    h_enable,
    keywords,
    ok,
    secret_value,
    set_flag,
    skip,
    storage_of,
    to_int,
)
from netaudit.vendors.ruijie_os import facts
from netaudit.vendors.ruijie_os.redaction import SECRETS
from netaudit.vendors.textio import CleanText


def _enable(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    """``enable service X`` (RGOS services) or ``enable secret|password`` (shared)."""
    if len(words) < 3 or words[1].lower() != "service":
        h_enable(ctx, node, neg, words)
        return
    node.section = Section.SERVICES
    what = words[2].lower()
    rest = [w.lower() for w in words[3:]]
    if what == "ssh-server" and not rest:
        set_flag(ctx, node, "ssh_server", not neg)
    elif what == "telnet-server" and not rest:
        set_flag(ctx, node, "telnet_server", not neg)
    elif what == "web-server" and len(rest) <= 1:
        which = rest[0] if rest else "all"
        if which in ("http", "all"):
            set_flag(ctx, node, "http_server", not neg)
        if which in ("https", "all"):
            set_flag(ctx, node, "https_server", not neg)
    elif what == "snmp-agent" and not rest:
        ctx.dev.mgmt.snmp.enabled = Flag(not neg, ctx.src(node), explicit=True)
        ok(node, Section.SNMP)
    else:
        skip(node)


def _ftp_server(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    if len(words) == 2 and words[1].lower() == "enable":
        set_flag(ctx, node, "ftp_server", not neg)
    else:
        skip(node)


def _password(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    """``password policy min-size N | strong | life-cycle DAYS | no-repeat-times N ...``."""
    if len(words) < 3 or words[1].lower() != "policy":
        return
    pol = ctx.dev.mgmt.password_policy
    src = ctx.src(node)
    what = words[2].lower()
    value = to_int(words[3]) if len(words) == 4 else None
    if what == "min-size" and (value is not None or neg):
        pol.min_length = IntSetting(0 if neg else value, src, explicit=True)
        ok(node)
    elif what == "strong" and len(words) == 3:
        pol.complexity = Flag(
            not neg,
            src,
            explicit=True,
            note="RGOS strong check: not the user name, not letters or digits only",
        )
        ok(node)
    elif what == "life-cycle" and (value is not None or neg):
        pol.max_age_days = IntSetting(0 if neg else value, src, explicit=True)
        ok(node)
    elif what in ("no-repeat-times", "forced-password-modify", "printable-character-check"):
        skip(node)


def _webmaster(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    """``webmaster level N username U password [0|7] X``: a web-management user."""
    low = [w.lower() for w in words]
    if len(words) < 5 or low[1] != "level" or low[3] != "username":
        return
    level = to_int(words[2], 0, 15)
    user = LocalUser(words[4], ctx.src(node), privilege=level, service_types=["http"])
    if len(words) > 5:
        if low[5] != "password":
            return
        got = secret_value(words, 6)
        if got is None:
            return
        user.password_storage = storage_of("password", got[0])
    if not neg:
        ctx.dev.mgmt.users.append(user)
    ok(node)


def _sntp(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    if len(words) == 3 and words[1].lower() == "server":
        add_host(ctx.dev.mgmt.ntp_servers, ctx, node, words[2], neg)
    elif len(words) >= 2 and words[1].lower() in ("enable", "interval"):
        skip(node)


def _finalize(ctx: Ctx) -> None:
    m = ctx.dev.mgmt
    if m.telnet_server.source is None:
        m.telnet_server = Flag(True, explicit=False, note=facts.TELNET_NOTE)
    if m.ssh_server.source is None:
        m.ssh_server = Flag(False, explicit=False, note=facts.SSH_NOTE)
    for attr in ("http_server", "https_server"):
        flag: Flag = getattr(m, attr)
        if flag.source is None:
            setattr(m, attr, Flag(None, note=facts.WEB_NOTE))
    if m.ftp_server.source is None:
        m.ftp_server = Flag(False, explicit=False, note=facts.FTP_NOTE)
    if m.password_encryption_service.source is None:
        m.password_encryption_service = Flag(
            False, explicit=False, note=facts.PASSWORD_ENCRYPTION_NOTE
        )


DIALECT = Dialect(
    platform=Platform.RUIJIE_OS,
    names=facts.INTERFACE_NAMES,
    secrets=SECRETS,
    top={
        "enable": (Section.USERS, _enable),
        "ftp-server": (Section.SERVICES, _ftp_server),
        "password": (Section.PASSWORD_POLICY, _password),
        "webmaster": (Section.USERS, _webmaster),
        "sntp": (Section.NTP, _sntp),
    },
    unsupported_top=dict.fromkeys(
        keywords(
            """install nfpp cwmp zam gvrp web-auth mac-address-table rldp link-state stack
            power-supply fan time-range port-group wlan ap-config ac-controller anti-arp arp
            queue dhcp http sn ssh-server switch-mode efmp cpu-protect smartlink reup
            virtual-ac ip6 ipv6 self-defense"""
        ),
        Section.OTHER,
    )
    # `expert access-list` (MAC + IP ACLs) are understood but not modelled; an interface's
    # `expert access-group` stays unrecognized (Section.ACLS) so filtering rules say unknown.
    | {"expert": Section.ACLS},
    unsupported_interface=keywords(
        "nfpp rldp medium-type port-group dhcp gvrp loopback-detection efmp"
    ),
    finalize=_finalize,
    default_exec_timeout=facts.EXEC_TIMEOUT_DEFAULT_SECONDS,
    exec_timeout_note=facts.EXEC_TIMEOUT_NOTE,
)

PARSER = BangParser(DIALECT)


def extract(text: CleanText) -> Json:
    """The vendor-shaped stage (statement tree with coverage verdicts) for golden tests."""
    return PARSER.extract(text)


__all__ = ["DIALECT", "PARSER", "extract"]
