"""H3C Comware 5 and 7 (``hp_comware``): the platform's ``PARSER`` and ``extract``.

Input: ``CleanText`` of a ``display current-configuration``. Output: a ``Device``
(``PARSER.parse``) or the statement tree with each line's bucket (``extract``). The syntax is
the shared ``#``-block family (``netaudit.vendors.hashblock``); this package adds Comware's
facts as data (``facts``, ``redaction``), its own statements (``handlers``: local-user views,
``line``, ``password-control``, security zones, zone pairs, object policies and groups, NAT
groups) and the defaults of each major version.
"""

from __future__ import annotations

from netaudit.model import Action, AuthMode, Flag, IntSetting, LineKind, Platform, Section
from netaudit.model.serialize import Json
from netaudit.vendors.hashblock import (
    COMWARE_INTERFACE_NAMES,
    Ctx,
    Dialect,
    Entry,
    HashParser,
    aaa_table,
    apply_line_defaults,
    base_top_table,
    default_flag,
    default_int,
    h_ntp,
    h_user_interface,
    interface_table,
    line_table,
    unsupported,
)
from netaudit.vendors.hp_comware import facts, handlers
from netaudit.vendors.hp_comware.redaction import SECRETS
from netaudit.vendors.textio import CleanText


def _top() -> dict[str, Entry]:
    table = base_top_table()
    table.update(
        unsupported(
            Section.USERS,
            """domain radius hwtacacs user-group role public-key ssh_user
            local-user-import local-user-export""",
        )
    )
    table.update(unsupported(Section.OTHER, "irf irf-port undo_copyright-info"))
    table.update(
        {
            "version": (Section.SYSTEM, handlers.h_version),
            "local-user": (Section.USERS, handlers.h_local_user),
            "line": (Section.LINES, h_user_interface),
            "ip http": (Section.SERVICES, handlers.h_ip),
            "ip https": (Section.SERVICES, handlers.h_ip),
            "password-control": (Section.PASSWORD_POLICY, handlers.h_password_control),
            "packet-filter": (Section.ACLS, handlers.h_packet_filter),
            "firewall": (Section.FIREWALL, handlers.h_firewall),
            "security-zone": (Section.FIREWALL, handlers.h_security_zone),
            "zone": (Section.FIREWALL, handlers.h_zone),
            "zone-pair": (Section.FIREWALL, handlers.h_zone_pair),
            "interzone": (Section.FIREWALL, handlers.h_interzone),
            "object-policy": (Section.FIREWALL, handlers.h_object_policy),
            "security-policy": (Section.FIREWALL, handlers.h_security_policy),
            "object-group": (Section.FIREWALL, handlers.h_object_group),
            "nat": (Section.NAT, handlers.h_nat),
            "ntp-service": (Section.NTP, h_ntp),
        }
    )
    return table


def _major(ctx: Ctx) -> int | None:
    if ctx.comware_major in (5, 7):
        return ctx.comware_major
    if "comware7" in ctx.facts or LineKind.VTY in ctx.line_classes:
        return 7
    if "comware5" in ctx.facts:
        return 5
    return None


def finalize(ctx: Ctx) -> None:
    """Comware defaults for what the config does not write (see ``facts``)."""
    dev = ctx.dev
    m = dev.mgmt
    major = _major(ctx)
    if "packet-filter-default-deny" in ctx.facts:
        for acl in dev.acls.values():
            acl.default_action = Action.DENY
    handlers.finalize_policies(ctx)
    handlers.interzone_defaults(ctx)
    fw = ctx.fw
    if fw is not None and (fw.zones or fw.rules):
        dev.is_firewall = (
            "zone-pair" in ctx.facts
            or "interzone" in ctx.facts
            or any(z.interfaces for z in fw.zones.values())
        )
        if fw.default_action is None:
            if major == 7 or "zone-pair" in ctx.facts:
                fw.default_action = Flag(False, explicit=False, note=facts.FW_DEFAULT_NOTE)
            elif major == 5 or "interzone" in ctx.facts:
                fw.default_action = Flag(None, note=facts.FW_V5_DEFAULT_NOTE)
            else:
                fw.default_action = Flag(None, note=facts.UNKNOWN_MAJOR_NOTE)
    v7, v5 = major == 7, major == 5
    m.telnet_server = default_flag(
        m.telnet_server,
        False if v7 else None,
        facts.TELNET_V7_NOTE if v7 else facts.TELNET_V5_NOTE if v5 else facts.UNKNOWN_MAJOR_NOTE,
    )
    m.ssh_server = default_flag(m.ssh_server, False, facts.SSH_NOTE)
    if v7 and m.ssh_versions is None and m.ssh_server.value:
        m.ssh_versions = [2]
    if v5:
        m.http_server = default_flag(m.http_server, True, facts.HTTP_V5_NOTE)
        m.https_server = default_flag(m.https_server, False, facts.HTTPS_V5_NOTE)
    else:
        m.http_server = default_flag(
            m.http_server, None, facts.HTTP_V7_NOTE if v7 else facts.UNKNOWN_MAJOR_NOTE
        )
        m.https_server = default_flag(
            m.https_server, None, facts.HTTPS_V7_NOTE if v7 else facts.UNKNOWN_MAJOR_NOTE
        )
    m.ftp_server = default_flag(m.ftp_server, False, facts.FTP_NOTE)
    if v7 and m.ntp_servers and (ctx.ntp_enabled is None or ctx.ntp_enabled.value is False):
        dev.coverage.notes.append(facts.NTP_V7_NOTE)
        m.ntp_servers = []
    apply_line_defaults(
        ctx,
        idle_seconds=facts.IDLE_SECONDS,
        idle_note=facts.IDLE_NOTE,
        auth={
            LineKind.VTY: (AuthMode.PASSWORD, facts.VTY_AUTH_NOTE),
            LineKind.CONSOLE: (AuthMode.NONE, facts.CONSOLE_AUTH_NOTE),
        },
    )
    _password_control(ctx)


def _password_control(ctx: Ctx) -> None:
    pol = ctx.dev.mgmt.password_policy
    enabled = "password-control" in ctx.facts and "password-control-off" not in ctx.facts
    src = ctx.facts.get("password-control")
    if not enabled:
        off = src if "password-control-off" in ctx.facts else None
        for name in ("min_length", "max_age_days", "lockout_attempts"):
            current: IntSetting = getattr(pol, name)
            if current.source is None:
                setattr(pol, name, IntSetting(0, off, explicit=off is not None,
                                              note=facts.PC_OFF_NOTE))  # fmt: skip
        if pol.complexity.source is None:
            pol.complexity = Flag(False, off, explicit=off is not None, note=facts.PC_OFF_NOTE)
        return
    if "password-control-length-off" in ctx.facts:
        pol.min_length = IntSetting(0, ctx.facts["password-control-length-off"], explicit=True)
    if "password-control-aging-off" in ctx.facts:
        pol.max_age_days = IntSetting(0, ctx.facts["password-control-aging-off"], explicit=True)
    if "password-control-composition-off" in ctx.facts:
        off = ctx.facts["password-control-composition-off"]
        pol.complexity = Flag(False, off, explicit=True)
    pol.min_length = default_int(pol.min_length, facts.PC_LENGTH, facts.PC_LENGTH_NOTE)
    pol.complexity = default_flag(pol.complexity, False, facts.PC_COMPOSITION_NOTE)
    pol.max_age_days = default_int(pol.max_age_days, facts.PC_AGING, facts.PC_AGING_NOTE)
    if pol.lockout_attempts.source is None:
        pol.lockout_attempts = IntSetting(facts.PC_ATTEMPTS, note=facts.PC_ATTEMPT_NOTE)
        pol.lockout_minutes = IntSetting(facts.PC_LOCK_MINUTES, note=facts.PC_ATTEMPT_NOTE)


DIALECT = Dialect(
    platform=Platform.HP_COMWARE,
    names=COMWARE_INTERFACE_NAMES,
    secrets=SECRETS,
    top=_top(),
    interface=interface_table(
        {
            "packet-filter": (Section.INTERFACES, handlers.i_packet_filter),
            "firewall packet-filter": (Section.INTERFACES, handlers.i_packet_filter),
        }
    ),
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
