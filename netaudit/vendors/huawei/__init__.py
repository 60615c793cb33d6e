"""Huawei VRP5 switches/routers and USG firewalls (``huawei``): ``PARSER`` and ``extract``.

Input: ``CleanText`` of a ``display current-configuration`` (saved file or collected output).
Output: a ``Device`` (``PARSER.parse``) or the statement tree the parser saw, each line with its
coverage bucket (``extract``), for golden tests. The syntax is the shared ``#``-block family
(``netaudit.vendors.hashblock``); this package adds VRP5/USG facts as data (``facts``,
``redaction``), the USG/AR firewall and NAT statements (``firewall``) and the VRP5 defaults.
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
    aaa_table,
    apply_line_defaults,
    default_flag,
    default_int,
    h_ntp,
    huawei_top_table,
    i_traffic_filter,
    interface_table,
    line_table,
    vrp_release,
)
from netaudit.vendors.huawei import facts, firewall
from netaudit.vendors.huawei.redaction import SECRETS
from netaudit.vendors.textio import CleanText


def _top() -> dict[str, Entry]:
    table = huawei_top_table()
    table.update(firewall.TOP)
    table["ntp-service"] = (Section.NTP, h_ntp)
    return table


def finalize(ctx: Ctx) -> None:
    """VRP5/USG defaults for what the config does not write (see ``facts``)."""
    dev = ctx.dev
    m = dev.mgmt
    release = vrp_release(dev.os_version)
    usg = release is not None and release[0] >= 500
    modern = release is not None and release >= facts.MODERN_RELEASE
    firewall.resolve_interzones(ctx)
    fw = ctx.fw
    if fw is not None:
        for zone in fw.zones.values():
            # USG/AR built-in zones have fixed priorities the config does not print.
            if zone.priority is None:
                zone.priority = facts.STANDARD_ZONE_PRIORITY.get(zone.name.lower())
    if fw is not None and (fw.zones or fw.rules or "security-policy" in ctx.facts):
        dev.is_firewall = "security-policy" in ctx.facts or any(
            z.interfaces for z in fw.zones.values()
        )
        if fw.default_action is None:
            if "security-policy" in ctx.facts or usg:
                fw.default_action = Flag(False, explicit=False, note=facts.USG_DEFAULT_DENY_NOTE)
            elif any(
                r.name.startswith(("interzone", "default")) and r.acl is None for r in fw.rules
            ):
                fw.default_action = Flag(False, explicit=False, note=facts.OLD_USG_DEFAULT_NOTE)
            else:
                fw.default_action = Flag(None, note=facts.AR_ZONE_NOTE)
        usg = usg or (dev.is_firewall and "security-policy" in ctx.facts)
    m.telnet_server = default_flag(
        m.telnet_server, False if usg else None, facts.TELNET_USG_NOTE if usg else facts.TELNET_NOTE
    )
    m.ssh_server = default_flag(m.ssh_server, False, facts.SSH_NOTE)
    m.http_server = default_flag(
        m.http_server, False if usg else None, facts.HTTP_USG_NOTE if usg else facts.HTTP_NOTE
    )
    m.https_server = default_flag(
        m.https_server, True if usg else None, facts.HTTPS_USG_NOTE if usg else facts.HTTPS_NOTE
    )
    m.ftp_server = default_flag(m.ftp_server, False, facts.FTP_NOTE)
    auth = {LineKind.VTY: (AuthMode.PASSWORD, facts.VTY_AUTH_NOTE)}
    if modern or usg:
        auth[LineKind.CONSOLE] = (AuthMode.AAA, facts.CONSOLE_AUTH_NOTE)
    apply_line_defaults(ctx, idle_seconds=facts.IDLE_SECONDS, idle_note=facts.IDLE_NOTE, auth=auth)
    pol = m.password_policy
    if modern or usg:
        pol.min_length = default_int(pol.min_length, facts.MIN_LENGTH, facts.MIN_LENGTH_NOTE)
        pol.complexity = default_flag(pol.complexity, True, facts.MIN_LENGTH_NOTE)
        pol.lockout_attempts = default_int(
            pol.lockout_attempts, facts.LOCKOUT_ATTEMPTS, facts.LOCKOUT_NOTE
        )
        pol.lockout_minutes = default_int(
            pol.lockout_minutes, facts.LOCKOUT_MINUTES, facts.LOCKOUT_NOTE
        )
    else:
        pol.min_length = default_int(pol.min_length, None, facts.OLD_RELEASE_NOTE)
        pol.complexity = default_flag(pol.complexity, None, facts.OLD_RELEASE_NOTE)
        pol.lockout_attempts = default_int(pol.lockout_attempts, None, facts.OLD_RELEASE_NOTE)
    if pol.max_age_days.source is None and not pol.max_age_days.explicit:
        if ctx.password_policy_block is not None:
            pol.max_age_days = IntSetting(
                90, ctx.password_policy_block, explicit=False,
                note="VRP default with the administrator password policy enabled: 90 days",
            )  # fmt: skip
        else:
            pol.max_age_days = IntSetting(0, explicit=False, note=facts.NO_POLICY_NOTE)


DIALECT = Dialect(
    platform=Platform.HUAWEI,
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
