"""Huawei VRP8 (``huawei_vrpv8``: CloudEngine, NetEngine): ``PARSER`` and ``extract``.

Input: ``CleanText`` of a ``display current-configuration``. Output: a ``Device``
(``PARSER.parse``) or the statement tree with each line's bucket (``extract``). The syntax is
the shared ``#``-block family (``netaudit.vendors.hashblock``); this package adds VRP8's facts
as data (``facts``, ``redaction``): ``ntp unicast-server``, ``telnet server disable``,
``local-aaa-server`` password rules, and the VRP8 defaults.
"""

from __future__ import annotations

from netaudit.model import AuthMode, Flag, IntSetting, LineKind, Platform, Section
from netaudit.model.serialize import Json
from netaudit.vendors.hashblock import (
    HUAWEI_INTERFACE_NAMES,
    Ctx,
    Dialect,
    Entry,
    HashParser,
    Stmt,
    Table,
    View,
    aaa_table,
    apply_line_defaults,
    default_flag,
    default_int,
    h_ntp,
    huawei_top_table,
    i_traffic_filter,
    interface_table,
    line_table,
    to_int,
    unsupported,
)
from netaudit.vendors.huawei_vrpv8 import facts
from netaudit.vendors.huawei_vrpv8.redaction import SECRETS
from netaudit.vendors.textio import CleanText

PP = Section.PASSWORD_POLICY


class LocalAaaServerView(View):
    """``local-aaa-server``: VRP8 local-user password rules."""

    section = PP

    def table(self, ctx: Ctx) -> Table:
        return LOCAL_AAA_SERVER_TABLE


def _local_aaa_server(ctx: Ctx, st: Stmt, view: View) -> View | None:
    if len(st.words) != 1 or st.neg:
        return None
    ctx.ok(st, PP)
    return LocalAaaServerView()


def _user_password(ctx: Ctx, st: Stmt, view: View) -> None:
    """``user-password min-len N`` / ``user-password complexity-check``."""
    w = st.lw
    pol = ctx.dev.mgmt.password_policy
    if w[1:2] == ["min-len"] and len(w) == 3:
        value = to_int(w[2], 0, 128)
        if value is None:
            return
        src = ctx.ok(st, PP)
        pol.min_length = IntSetting(None if st.neg else value, src, explicit=not st.neg)
    elif w[1:] == ["complexity-check"]:
        pol.complexity = Flag(not st.neg, ctx.ok(st, PP), explicit=True)
    elif len(w) >= 2:
        ctx.skip(st, PP)


def _user_security_policy(ctx: Ctx, st: Stmt, view: View) -> None:
    """``user-security-policy enable`` / ``undo user-security-policy enable``."""
    if st.lw == ["user-security-policy", "enable"]:
        src = ctx.ok(st, PP)
        pol = ctx.dev.mgmt.password_policy
        on = not st.neg
        if pol.min_length.source is None:
            pol.min_length = IntSetting(facts.MIN_LENGTH if on else 0, src, explicit=True)
        if pol.complexity.source is None:
            pol.complexity = Flag(on, src, explicit=True)


LOCAL_AAA_SERVER_TABLE: dict[str, Entry] = {
    "user-password": (PP, _user_password),
    "user-security-policy": (PP, _user_security_policy),
    **unsupported(Section.USERS, "user user-group user-block"),
}


def _top() -> dict[str, Entry]:
    table = huawei_top_table()
    table["ntp"] = (Section.NTP, h_ntp)
    table["local-aaa-server"] = (PP, _local_aaa_server)
    table["user-security-policy"] = (PP, _user_security_policy)
    return table


def finalize(ctx: Ctx) -> None:
    """VRP8 defaults for what the config does not write (see ``facts``)."""
    m = ctx.dev.mgmt
    m.telnet_server = default_flag(m.telnet_server, None, facts.TELNET_NOTE)
    m.ssh_server = default_flag(m.ssh_server, False, facts.SSH_NOTE)
    m.http_server = default_flag(m.http_server, None, facts.HTTP_NOTE)
    m.https_server = default_flag(m.https_server, None, facts.HTTPS_NOTE)
    m.ftp_server = default_flag(m.ftp_server, False, facts.FTP_NOTE)
    apply_line_defaults(
        ctx,
        idle_seconds=facts.IDLE_SECONDS,
        idle_note=facts.IDLE_NOTE,
        auth={LineKind.VTY: (AuthMode.PASSWORD, facts.VTY_AUTH_NOTE)},
    )
    pol = m.password_policy
    pol.min_length = default_int(pol.min_length, facts.MIN_LENGTH, facts.SECURITY_POLICY_NOTE)
    pol.complexity = default_flag(pol.complexity, True, facts.SECURITY_POLICY_NOTE)
    if pol.max_age_days.source is None and not pol.max_age_days.explicit:
        if ctx.password_policy_block is not None:
            pol.max_age_days = IntSetting(
                90, ctx.password_policy_block, explicit=False,
                note="VRP default with the administrator password policy enabled: 90 days",
            )  # fmt: skip
        else:
            pol.max_age_days = IntSetting(None, note=facts.AGING_NOTE)
    pol.lockout_attempts = default_int(pol.lockout_attempts, None, facts.LOCKOUT_NOTE)


DIALECT = Dialect(
    platform=Platform.HUAWEI_VRPV8,
    names=HUAWEI_INTERFACE_NAMES,
    secrets=SECRETS,
    top=_top(),
    interface=interface_table({"traffic-filter": (Section.INTERFACES, i_traffic_filter)}),
    aaa=aaa_table(),
    line=line_table(),
    finalize=finalize,
    line_kinds=facts.LINE_KINDS,
)

PARSER = HashParser(DIALECT)


def extract(text: CleanText) -> Json:
    """The vendor-shaped stage: the statement tree with each line's bucket and section."""
    return PARSER.extract(text)


__all__ = ["DIALECT", "PARSER", "extract"]
