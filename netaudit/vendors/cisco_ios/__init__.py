"""Cisco IOS / IOS-XE (``cisco_ios``): the platform's ``PARSER`` and ``extract``; parse stage.

Input: ``CleanText`` of a ``show running-config`` (saved file or collected output). Output: a
``Device`` (``PARSER.parse``) or the vendor-shaped statement tree (``extract``). The syntax is
the shared ``!``-block family (``netaudit.vendors.bangblock``); this package adds IOS's facts:
interface names, secret patterns, the zone-based firewall, ``ftp-server``, and the defaults
that hold on every IOS release (vty ``login``, exec-timeout 10 minutes, FTP server off).
"""

from __future__ import annotations

from netaudit.model import AuthMode, Flag, IntSetting, LineKind, PasswordPolicy, Platform, Section
from netaudit.model.serialize import Json
from netaudit.vendors.bangblock import BangParser, Ctx, Dialect, Node, ok, skip
from netaudit.vendors.cisco_ios import facts, zbf
from netaudit.vendors.cisco_ios.redaction import SECRETS
from netaudit.vendors.textio import CleanText


def _ftp_server(ctx: Ctx, node: Node, neg: bool, words: list[str]) -> None:
    if len(words) == 2 and words[1].lower() == "enable":
        ctx.dev.mgmt.ftp_server = Flag(not neg, ctx.src(node), explicit=True)
        ok(node)
    else:
        skip(node)


def _finalize(ctx: Ctx) -> None:
    zbf.finalize(ctx)
    m = ctx.dev.mgmt
    for attr in ("http_server", "https_server"):
        flag: Flag = getattr(m, attr)
        if flag.value is None and flag.source is None:
            setattr(m, attr, Flag(None, note=facts.HTTP_NOTE))
    if m.ftp_server.source is None:
        m.ftp_server = Flag(False, explicit=False, note=facts.FTP_NOTE)
    if m.ssh_server.value is None:
        m.ssh_server = Flag(None, note=facts.SSH_NOTE)
    if m.password_encryption_service.source is None:
        m.password_encryption_service = Flag(
            False, explicit=False, note=facts.PASSWORD_ENCRYPTION_NOTE
        )
    _password_defaults(m.password_policy)
    # IOS has no global telnet switch: telnet is whatever the vty lines accept.
    vty = [ln for ln in m.lines if ln.kind is LineKind.VTY]
    telnet = [ln for ln in vty if ln.protocols is not None and
              ({"telnet", "all"} & set(ln.protocols))]  # fmt: skip
    if not vty:
        m.telnet_server = Flag(None, note="no vty lines in the config")
    elif telnet:
        m.telnet_server = Flag(True, telnet[0].protocols_source, explicit=True)
    elif any(ln.protocols is None for ln in vty):
        m.telnet_server = Flag(None, note=facts.VTY_TRANSPORT_NOTE)
    else:
        m.telnet_server = Flag(False, vty[0].protocols_source, explicit=True,
                               note="no vty line accepts telnet")  # fmt: skip


def _password_defaults(pol: PasswordPolicy) -> None:
    """IOS enforces no password policy and no login lockout unless configured: without
    `security passwords min-length`, an `aaa common-criteria policy` or `aaa local
    authentication attempts max-fail` / `login block-for`, these are known to be off."""
    for name, note in (
        ("min_length", facts.NO_MIN_LENGTH_NOTE),
        ("max_age_days", facts.NO_AGING_NOTE),
        ("lockout_attempts", facts.NO_LOCKOUT_NOTE),
    ):
        current: IntSetting = getattr(pol, name)
        if current.value is None and current.source is None:
            setattr(pol, name, IntSetting(0, explicit=False, note=note))
    if pol.complexity.value is None and pol.complexity.source is None:
        pol.complexity = Flag(False, explicit=False, note=facts.NO_COMPLEXITY_NOTE)


DIALECT = Dialect(
    platform=Platform.CISCO_IOS,
    names=facts.INTERFACE_NAMES,
    secrets=SECRETS,
    top={
        "zone": (Section.FIREWALL, zbf.h_zone),
        "zone-pair": (Section.FIREWALL, zbf.h_zone_pair),
        "class-map": (Section.FIREWALL, zbf.h_class_map),
        "policy-map": (Section.FIREWALL, zbf.h_policy_map),
        "ftp-server": (Section.SERVICES, _ftp_server),
    },
    unsupported_top={"parameter-map": Section.FIREWALL},
    finalize=_finalize,
    # IOS: vty lines default to `login` (a line password; no password set = no access);
    # console and aux lines default to no login at all.
    vty_default_auth=AuthMode.PASSWORD,
    console_default_auth=AuthMode.NONE,
    default_exec_timeout=facts.EXEC_TIMEOUT_DEFAULT_SECONDS,
    exec_timeout_note=facts.EXEC_TIMEOUT_NOTE,
    ip_ssh_enables_server=True,
)

PARSER = BangParser(DIALECT)


def extract(text: CleanText) -> Json:
    """The vendor-shaped stage (statement tree with coverage verdicts) for golden tests."""
    return PARSER.extract(text)


__all__ = ["DIALECT", "PARSER", "extract"]
