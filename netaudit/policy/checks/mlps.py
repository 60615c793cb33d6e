"""MLPS level-3 checks (GB/T 22239-2019, network and security devices; SPEC §6 MLPS pack).

Input: one parsed device (``Scope.device``), the unit and the rule's parameters. Output: one
``Outcome`` per device: ``fail`` with the config lines that decide it, ``pass`` with the lines
that prove it, or ``unknown`` when the deciding setting is not visible (``Flag.value`` None,
with the parser's note on the platform default) or the deciding section of the config holds
lines the parser did not recognize. A definite violation wins over an unknown elsewhere; an
unknown always wins over a pass. Checks read the model only and never branch on platform:
platform defaults (VRP5 vs VRP8, IOS versions) are the parsers' business, stated in notes.
None reads the network analysis (``reads_network=False``: a big audit runs them while the
analysis is built in another process).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network

from netaudit.model import (
    Acl,
    Action,
    AddressMatch,
    AuthMode,
    Device,
    Firewall,
    Flag,
    Interface,
    InterfaceKind,
    IntSetting,
    LineKind,
    MgmtLine,
    SecretStorage,
    Section,
    SecurityRule,
    Snmp,
    Source,
    StaticNat,
)
from netaudit.network.filters import any_address_matches, expand_address_sets
from netaudit.policy.registry import Outcome, Param, ParamType, Scope, SubjectKind, register
from netaudit.policy.results import ConfigEvidence, Evidence, NoteEvidence

_MAX_UNRECOGNIZED_SHOWN = 3


# --------------------------------------------------------------------------- verdict helper


@dataclass(slots=True)
class _Verdict:
    """Collects violations, unknowns and proofs for one device, then decides.

    A violation is *weak* when it rests on something absent or on an assumed platform default
    (no ACL line, no loghost, a default timeout): an unrecognized line in the section could be
    the very line that is missing, so an unknown outranks a weak violation. A violation read
    from an explicit config line is *strong* and outranks any unknown.
    """

    device: Device
    fails: list[str] = field(default_factory=list)
    weak_fails: list[str] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)
    fail_evidence: list[Evidence] = field(default_factory=list)
    weak_evidence: list[Evidence] = field(default_factory=list)
    unknown_evidence: list[Evidence] = field(default_factory=list)
    pass_evidence: list[Evidence] = field(default_factory=list)

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        device: Device,
        fails: list[str] | None = None,
        weak_fails: list[str] | None = None,
        unknowns: list[str] | None = None,
        fail_evidence: list[Evidence] | None = None,
        weak_evidence: list[Evidence] | None = None,
        unknown_evidence: list[Evidence] | None = None,
        pass_evidence: list[Evidence] | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.device = device
        self.fails = [] if fails is None else fails
        self.weak_fails = [] if weak_fails is None else weak_fails
        self.unknowns = [] if unknowns is None else unknowns
        self.fail_evidence = [] if fail_evidence is None else fail_evidence
        self.weak_evidence = [] if weak_evidence is None else weak_evidence
        self.unknown_evidence = [] if unknown_evidence is None else unknown_evidence
        self.pass_evidence = [] if pass_evidence is None else pass_evidence

    def ev(self, source: Source) -> ConfigEvidence:
        return ConfigEvidence.of(self.device.name, source)

    def fail(
        self,
        message: str,
        *sources: Source | None,
        note: str | None = None,
        weak: bool = False,
    ) -> None:
        (self.weak_fails if weak else self.fails).append(message)
        evidence = self.weak_evidence if weak else self.fail_evidence
        evidence.extend(self.ev(s) for s in sources if s is not None)
        if note:
            evidence.append(NoteEvidence(note))

    def unknown(self, message: str, *sources: Source | None, note: str | None = None) -> None:
        self.unknowns.append(message)
        self.unknown_evidence.extend(self.ev(s) for s in sources if s is not None)
        if note:
            self.unknown_evidence.append(NoteEvidence(note))

    def proof(self, *sources: Source | None, note: str | None = None) -> None:
        self.pass_evidence.extend(self.ev(s) for s in sources if s is not None)
        if note:
            self.pass_evidence.append(NoteEvidence(note))

    def coverage(self, *sections: Section) -> None:
        """Unknown when a deciding section holds unrecognized lines or the file is truncated."""
        cov = self.device.coverage
        if cov.truncated:
            self.unknown("the config file is truncated; settings after the cut are not visible")
        wanted = set(sections)
        bad = [(s, src) for s, src in cov.unrecognized_lines if s in wanted]
        if bad:
            names = ", ".join(sorted({s.value for s, _ in bad}))
            self.unknown(
                f"{len(bad)} unrecognized config line(s) in the section(s) this rule reads "
                f"({names})",
                *(src for _, src in bad[:_MAX_UNRECOGNIZED_SHOWN]),
            )

    def outcome(self, pass_message: str) -> Outcome:
        if self.fails:
            message = "; ".join(self.fails + self.weak_fails)
            if self.unknowns:
                message += " (also not verifiable: " + "; ".join(self.unknowns) + ")"
            return Outcome.failed(message, *_dedup(self.fail_evidence + self.weak_evidence))
        if self.unknowns:
            message = "cannot verify: " + "; ".join(self.unknowns)
            if self.weak_fails:
                message += " (as far as visible: " + "; ".join(self.weak_fails) + ")"
            return Outcome.unknown(message, *_dedup(self.unknown_evidence + self.weak_evidence))
        if self.weak_fails:
            return Outcome.failed("; ".join(self.weak_fails), *_dedup(self.weak_evidence))
        return Outcome.passed(pass_message, *_dedup(self.pass_evidence))


def _dedup(items: Iterable[Evidence]) -> list[Evidence]:
    seen: set[Evidence] = set()
    out: list[Evidence] = []
    for e in items:
        if e not in seen:
            seen.add(e)
            out.append(e)
    return out


def _not_visible(what: str, setting: Flag | IntSetting) -> str:
    return setting.note or f"{what} is not visible in the config"


def _default_note(setting: Flag | IntSetting) -> str | None:
    """The parser's note when the value is an assumed platform default."""
    return setting.note if not setting.explicit else None


def _line_name(line: MgmtLine) -> str:
    span = str(line.first) if line.first == line.last else f"{line.first}-{line.last}"
    return f"{line.kind.value} {span}"


def _login_lines(device: Device) -> list[MgmtLine]:
    return [ln for ln in device.mgmt.lines if ln.kind in (LineKind.VTY, LineKind.CONSOLE)]


# --------------------------------------------------------------------------- 8.1.4.1 a


@register("mlps.auth_login", subject=SubjectKind.DEVICE, reads_network=False)
def auth_login(scope: Scope) -> Outcome:
    """Every vty, console and aux line requires authentication."""
    device = scope.require_device()
    v = _Verdict(device)
    v.coverage(Section.LINES, Section.USERS)
    lines = device.mgmt.lines
    if not any(ln.kind is LineKind.VTY for ln in lines) or not any(
        ln.kind is LineKind.CONSOLE for ln in lines
    ):
        missing = [
            k.value
            for k in (LineKind.VTY, LineKind.CONSOLE)
            if not any(ln.kind is k for ln in lines)
        ]
        v.unknown(
            f"no {' / '.join(missing)} line configuration in the config; its authentication "
            "is the platform default"
        )
    for ln in lines:
        where = ln.auth_source or ln.source
        if ln.auth is AuthMode.NONE:
            v.fail(
                f"{_line_name(ln)} logs in without authentication",
                ln.source,
                ln.auth_source,
                weak=ln.auth_source is None,
            )
        elif ln.auth is AuthMode.UNKNOWN:
            v.unknown(f"authentication of {_line_name(ln)} is not visible", ln.source)
        else:
            v.proof(where)
    return v.outcome("every management line requires authentication")


@register(
    "mlps.password_policy",
    subject=SubjectKind.DEVICE,
    reads_network=False,
    params=(
        Param("min_length", ParamType.INT, 8, "minimum password length"),
        Param("max_age_days", ParamType.INT, 90, "longest allowed password lifetime"),
        Param("require_complexity", ParamType.BOOL, True, "character-class complexity"),
    ),
)
def password_policy(scope: Scope) -> Outcome:
    """A password policy enforces length, complexity and aging."""
    device = scope.require_device()
    min_length = scope.params.get_int("min_length")
    max_age = scope.params.get_int("max_age_days")
    v = _Verdict(device)
    v.coverage(Section.PASSWORD_POLICY)
    pol = device.mgmt.password_policy

    length = pol.min_length
    if length.value is None:
        v.unknown(_not_visible("the minimum password length", length), length.source)
    elif length.value < min_length:
        got = "none" if length.value == 0 else str(length.value)
        v.fail(
            f"minimum password length is {got}, at least {min_length} required",
            length.source,
            note=_default_note(length),
            weak=not length.explicit,
        )
    else:
        v.proof(length.source, note=_default_note(length))

    if scope.params.get_bool("require_complexity"):
        cx = pol.complexity
        if cx.value is None:
            v.unknown(_not_visible("password complexity checking", cx), cx.source)
        elif not cx.value:
            v.fail(
                "password complexity is not enforced",
                cx.source,
                note=_default_note(cx),
                weak=not cx.explicit,
            )
        else:
            v.proof(cx.source, note=_default_note(cx))

    age = pol.max_age_days
    if age.value is None:
        v.unknown(_not_visible("password aging", age), age.source)
    elif age.value == 0 or age.value > max_age:
        got = "never expire" if age.value == 0 else f"expire after {age.value} days"
        v.fail(
            f"passwords {got}, at most {max_age} days allowed",
            age.source,
            note=_default_note(age),
            weak=not age.explicit,
        )
    else:
        v.proof(age.source, note=_default_note(age))
    return v.outcome(f"password policy: length ≥ {min_length}, complexity, aging ≤ {max_age} days")


# --------------------------------------------------------------------------- 8.1.4.1 b


@register(
    "mlps.lockout",
    subject=SubjectKind.DEVICE,
    reads_network=False,
    params=(Param("max_attempts", ParamType.INT, 5, "failed logins before lockout, at most"),),
)
def lockout(scope: Scope) -> Outcome:
    """Logins lock after a bounded number of failures."""
    device = scope.require_device()
    limit = scope.params.get_int("max_attempts")
    v = _Verdict(device)
    v.coverage(Section.PASSWORD_POLICY, Section.USERS)
    attempts = device.mgmt.password_policy.lockout_attempts
    if attempts.value is None:
        v.unknown(_not_visible("login lockout", attempts), attempts.source)
    elif attempts.value == 0:
        v.fail(
            "no lockout after failed logins",
            attempts.source,
            note=_default_note(attempts),
            weak=not attempts.explicit,
        )
    elif attempts.value > limit:
        v.fail(
            f"lockout only after {attempts.value} failed logins, at most {limit} allowed",
            attempts.source,
            note=_default_note(attempts),
            weak=not attempts.explicit,
        )
    else:
        v.proof(attempts.source, note=_default_note(attempts))
    return v.outcome(f"logins lock after at most {limit} failures")


@register(
    "mlps.idle_timeout",
    subject=SubjectKind.DEVICE,
    reads_network=False,
    params=(Param("max_seconds", ParamType.INT, 600, "longest allowed idle timeout"),),
)
def idle_timeout(scope: Scope) -> Outcome:
    """Every vty and console line times out when idle."""
    device = scope.require_device()
    limit = scope.params.get_int("max_seconds")
    v = _Verdict(device)
    v.coverage(Section.LINES)
    lines = _login_lines(device)
    if not lines:
        v.unknown("no vty / console line configuration in the config")
    for ln in lines:
        t = ln.idle_timeout_seconds
        name = _line_name(ln)
        if t.value is None:
            v.unknown(f"{name}: {_not_visible('the idle timeout', t)}", ln.source, t.source)
        elif t.value == 0:
            v.fail(
                f"{name} never times out",
                ln.source,
                t.source,
                note=_default_note(t),
                weak=not t.explicit,
            )
        elif t.value > limit:
            v.fail(
                f"{name} times out after {t.value} s, at most {limit} s allowed",
                ln.source,
                t.source,
                note=_default_note(t),
                weak=not t.explicit,
            )
        else:
            v.proof(t.source or ln.source, note=_default_note(t))
    return v.outcome(f"every management line times out within {limit} s")


# --------------------------------------------------------------------------- 8.1.4.1 c


def _accepts(line: MgmtLine, protocol: str) -> bool | None:
    """Whether ``line`` accepts ``protocol`` inbound; None when it is the platform default."""
    if line.protocols is None:
        return None
    names = {p.lower() for p in line.protocols}
    return protocol in names or "all" in names


@register("mlps.secure_protocols", subject=SubjectKind.DEVICE, reads_network=False)
def secure_protocols(scope: Scope) -> Outcome:
    """No telnet or HTTP management; SSH version 2 only."""
    device = scope.require_device()
    m = device.mgmt
    v = _Verdict(device)
    v.coverage(Section.SERVICES, Section.LINES)
    vty = [ln for ln in m.lines if ln.kind is LineKind.VTY]

    telnet = m.telnet_server
    if telnet.value is True:
        closed = bool(vty) and all(_accepts(ln, "telnet") is False for ln in vty)
        if closed:
            v.proof(
                telnet.source,
                *(ln.protocols_source for ln in vty),
                note="telnet server is on but no vty line accepts telnet",
            )
        else:
            open_lines = [ln for ln in vty if _accepts(ln, "telnet") is not False]
            v.fail(
                "telnet management is enabled",
                telnet.source,
                *(ln.protocols_source or ln.source for ln in open_lines),
                note=_default_note(telnet),
                weak=not telnet.explicit,
            )
    elif telnet.value is None:
        explicit = [ln for ln in vty if _accepts(ln, "telnet") is True]
        if explicit:
            v.fail(
                "vty lines accept telnet",
                *(ln.protocols_source or ln.source for ln in explicit),
                note=telnet.note,
            )
        else:
            v.unknown(_not_visible("whether the telnet server is enabled", telnet))
    else:
        v.proof(telnet.source, note=_default_note(telnet))

    http = m.http_server
    if http.value is True:
        v.fail(
            "HTTP (clear-text web) management is enabled",
            http.source,
            note=_default_note(http),
            weak=not http.explicit,
        )
    elif http.value is None:
        v.unknown(_not_visible("whether the HTTP server is enabled", http))
    else:
        v.proof(http.source, note=_default_note(http))

    ssh = m.ssh_server
    if ssh.value is not False:
        if m.ssh_versions is None:
            # The server may be on (value None: not visible): its versions are then unknown.
            if ssh.value is True:
                v.unknown(
                    "the accepted SSH versions are not visible (platform default)",
                    ssh.source,
                )
            else:
                v.unknown(
                    "whether the SSH server is enabled and which SSH versions it accepts are "
                    f"not visible ({_not_visible('the SSH server state', ssh)})"
                )
        elif 1 in m.ssh_versions:
            v.fail("SSH version 1 is accepted", m.ssh_versions_source, ssh.source)
        else:
            v.proof(m.ssh_versions_source)
    return v.outcome("management uses SSH v2 / HTTPS only; telnet and HTTP are off")


# --------------------------------------------------------------------------- 8.1.4.4 c


def _wildcard_network(match: AddressMatch) -> IPv4Network | None:
    """The network an address and wildcard match, or None for a non-contiguous wildcard.

    Read as a wildcard, always: ``IPv4Network("a/0.0.0.0")`` would take a host's wildcard
    for a netmask (0.0.0.0/0), and ``255.255.255.0`` for a /24."""
    w = int(match.wildcard)
    if w & (w + 1):
        return None  # ones not all at the right
    return IPv4Network((int(match.address) & ~w & 0xFFFFFFFF, 32 - w.bit_length()))


def _match_within(match: AddressMatch, net: IPv4Network) -> bool:
    """Whether every address ``match`` matches lies in ``net``, for any wildcard: a
    non-contiguous one (``10.255.0.10 0.0.255.0``) too. Its ones must all fall in ``net``'s host
    part and its fixed bits under ``net``'s prefix must be ``net``'s; address bits under the
    wildcard's ones (ignored by the match) are in the host part and so never compared."""
    contiguous = _wildcard_network(match)
    if contiguous is not None:
        return contiguous.subnet_of(net)
    mask = int(net.netmask)
    if int(match.wildcard) & mask:
        return False
    return int(match.address) & mask == int(net.network_address)


def _acl_problem(
    device: Device, name: str, management: Sequence[IPv4Network]
) -> tuple[str | None, Source | None, str | None]:
    """Why ACL ``name`` does not restrict management access (None when it does), the line to
    cite, and why that cannot be told (an address set the config does not define)."""
    acl = device.acls.get(name)
    if acl is None:
        return f"ACL {name} is applied but not defined (an undefined ACL permits all)", None, None
    if not acl.rules:
        return f"ACL {name} has no rules (an empty ACL permits all)", acl.source, None
    undecided: str | None = None
    for rule in acl.rules:
        if rule.action is not Action.PERMIT:
            continue
        sources = [rule.src]
        if rule.src.object_group is not None:
            members = expand_address_sets([rule.src], device.firewall)
            if members is None:
                undecided = undecided or (
                    f"ACL {name} permits address set {rule.src.object_group}, which the config "
                    "does not define"
                )
                continue
            sources = members
        for src in sources:
            if src.is_any:
                return f"ACL {name} permits any source", rule.source, None
            if not management:
                undecided = undecided or (
                    "the unit declares no management networks: cannot tell whether ACL "
                    f"{name} admits only management addresses"
                )
                continue
            if not any(_match_within(src, m) for m in management):
                return (
                    f"ACL {name} permits {src.address}/{src.wildcard}, outside the "
                    "unit's management networks",
                    rule.source,
                    None,
                )
    if undecided is not None:
        return None, acl.source, undecided
    if not any(r.action is Action.PERMIT for r in acl.rules) and acl.default_action is (
        Action.PERMIT
    ):
        return f"ACL {name} has no permit rule and permits by default", acl.source, None
    return None, acl.source, None


@register("mlps.mgmt_acl", subject=SubjectKind.DEVICE, reads_network=False)
def mgmt_acl(scope: Scope) -> Outcome:
    """Remote management (vty, SSH, SNMP, web) only from management addresses."""
    device = scope.require_device()
    m = device.mgmt
    mgmt_nets = scope.unit.networks.management
    v = _Verdict(device)
    v.coverage(Section.LINES, Section.SERVICES, Section.SNMP, Section.ACLS)

    def check_acl(what: str, name: str, *where: Source | None, maybe_off: str = "") -> None:
        """``maybe_off``: why the service ``what`` may be off (its state is not visible); a
        problem of its ACL is then unknown, not a violation."""
        problem, src, undecided = _acl_problem(device, name, mgmt_nets)
        if undecided is not None:
            v.unknown(f"{what}: {undecided}", *where, src)
        elif problem is None:
            v.proof(*where, src)
        elif maybe_off:
            v.unknown(f"{maybe_off}; if it is on, {problem}", *where, src)
        else:
            # An undefined or empty ACL may sit in, or have its rules in, an unrecognized
            # block: weak.
            acl = device.acls.get(name)
            v.fail(f"{what}: {problem}", *where, src, weak=acl is None or not acl.rules)

    # vty lines: reachable by telnet unless the telnet server is off, by SSH unless it is off.
    remote_off = m.telnet_server.value is False and m.ssh_server.value is False
    vty = [ln for ln in m.lines if ln.kind is LineKind.VTY]
    if not remote_off:
        if not vty:
            v.unknown("no vty line configuration in the config")
        for ln in vty:
            if ln.acl_in is not None:
                check_acl(_line_name(ln), ln.acl_in, ln.acl_source)
            elif m.ssh_acl is not None and m.telnet_server.value is False:
                check_acl("SSH server", m.ssh_acl)
            else:
                v.fail(f"{_line_name(ln)} accepts logins from any address", ln.source, weak=True)
    else:
        v.proof(m.telnet_server.source, m.ssh_server.source)

    # SNMP: every community / v3 user restricted by its own or the agent-wide ACL.
    snmp = m.snmp
    if snmp.enabled.value is not False:
        # With only SNMPv3 running, a leftover community accepts no request.
        communities = snmp.communities
        if communities and _v1v2_off(snmp):
            v.proof(snmp.versions_source)
            communities = []
        for c in communities:
            acl = c.acl or snmp.acl
            if acl is None:
                v.fail(
                    f"SNMP {c.access} community accepts requests from any address",
                    c.source,
                    weak=True,
                )
            else:
                check_acl("SNMP community", acl, c.source)
        for u in snmp.users:
            acl = u.acl or snmp.acl
            if acl is None:
                v.fail(
                    f"SNMPv3 user {u.name} accepts requests from any address", u.source, weak=True
                )
            else:
                check_acl(f"SNMPv3 user {u.name}", acl, u.source)

    # Web management.
    web_on = [f for f in (m.http_server, m.https_server) if f.value is True]
    web_unknown = [f for f in (m.http_server, m.https_server) if f.value is None]
    if web_on:
        if m.http_acl is None:
            v.fail(
                "web management accepts connections from any address",
                *(f.source for f in web_on),
                weak=True,
            )
        else:
            check_acl("web management", m.http_acl, *(f.source for f in web_on))
    elif web_unknown:
        notes = dict.fromkeys(f.note for f in web_unknown if f.note)
        state = "whether web management is enabled is not visible" + "".join(
            f" ({note})" for note in notes
        )
        if m.http_acl is None:
            v.unknown(state)
        else:
            check_acl("web management", m.http_acl, maybe_off=state)
    return v.outcome("remote management is restricted to management addresses")


# --------------------------------------------------------------------------- 8.1.4.8


_WEAK_STORAGE = {
    SecretStorage.PLAIN: "in clear text",
    SecretStorage.REVERSIBLE: "with reversible encryption",
    SecretStorage.TYPE7: "as type 7 (reversible)",
}


@register("mlps.stored_secrets", subject=SubjectKind.DEVICE, reads_network=False)
def stored_secrets(scope: Scope) -> Outcome:
    """Passwords and keys are stored as irreversible hashes."""
    device = scope.require_device()
    m = device.mgmt
    v = _Verdict(device)
    v.coverage(Section.USERS, Section.LINES)
    stored: list[tuple[str, SecretStorage | None, Source | None]] = [
        (f"password of local user {u.name}", u.password_storage, u.source) for u in m.users
    ]
    stored += [(f"{_line_name(ln)} password", ln.password_storage, ln.source) for ln in m.lines]
    stored.append(("enable / super password", m.enable_secret, m.enable_source))
    for what, storage, src in stored:
        if storage is None:
            continue
        if storage in _WEAK_STORAGE:
            v.fail(f"{what} is stored {_WEAK_STORAGE[storage]}", src)
        elif storage is SecretStorage.UNKNOWN:
            v.unknown(f"how the {what} is stored is not recognized", src)
        else:
            v.proof(src)
    return v.outcome("every stored password is an irreversible hash")


# --------------------------------------------------------------------------- 8.1.4.3


@register("mlps.syslog", subject=SubjectKind.DEVICE, reads_network=False)
def syslog(scope: Scope) -> Outcome:
    """Logs are sent to at least one remote syslog host."""
    device = scope.require_device()
    v = _Verdict(device)
    hosts = device.mgmt.syslog_hosts
    if hosts:
        v.proof(*(src for _, src in hosts))
        return v.outcome(f"logs go to {', '.join(str(ip) for ip, _ in hosts)}")
    v.coverage(Section.LOGGING)
    v.fail("no remote syslog host is configured", weak=True)
    return v.outcome("")


@register("mlps.ntp", subject=SubjectKind.DEVICE, reads_network=False)
def ntp(scope: Scope) -> Outcome:
    """The clock is synchronized from an NTP server."""
    device = scope.require_device()
    v = _Verdict(device)
    servers = device.mgmt.ntp_servers
    if servers:
        v.proof(*(src for _, src in servers))
        return v.outcome(f"time from NTP {', '.join(str(ip) for ip, _ in servers)}")
    v.coverage(Section.NTP)
    v.fail("no NTP server is configured", weak=True)
    return v.outcome("")


# --------------------------------------------------------------------------- 8.1.4.4 b


def _v1v2_off(s: Snmp) -> bool:
    """Whether the agent's versions are known and exclude v1 and v2c (communities unused)."""
    return bool(s.versions) and not any(ver in ("v1", "v2c") for ver in s.versions)


@register("mlps.snmp", subject=SubjectKind.DEVICE, reads_network=False)
def snmp(scope: Scope) -> Outcome:
    """No SNMP v1/v2c default community and no write community."""
    device = scope.require_device()
    s = device.mgmt.snmp
    v = _Verdict(device)
    v.coverage(Section.SNMP)
    if s.enabled.value is False:
        v.proof(s.enabled.source, note=_default_note(s.enabled))
        return v.outcome("the SNMP agent is disabled")
    if _v1v2_off(s):
        v.proof(s.versions_source)
        return v.outcome("SNMP v1/v2c are disabled (communities are not accepted)")
    for c in s.communities:
        if c.well_known:
            v.fail(f"SNMP {c.access} community is a default value (public/private)", c.source)
        if c.access.lower() in ("rw", "write", "read-write"):
            v.fail("an SNMP write community is configured", c.source)
        if not c.well_known and c.access.lower() in ("ro", "read"):
            v.proof(c.source)
    return v.outcome(
        "no default or write SNMP community"
        if s.communities
        else "no SNMP v1/v2c community is configured"
    )


@register("mlps.services_minimal", subject=SubjectKind.DEVICE, reads_network=False)
def services_minimal(scope: Scope) -> Outcome:
    """No FTP or HTTP server."""
    device = scope.require_device()
    m = device.mgmt
    v = _Verdict(device)
    v.coverage(Section.SERVICES)
    for what, flag in (("FTP server", m.ftp_server), ("HTTP server", m.http_server)):
        if flag.value is True:
            v.fail(
                f"{what} is enabled", flag.source, note=_default_note(flag), weak=not flag.explicit
            )
        elif flag.value is None:
            v.unknown(f"{what}: {_not_visible('its state', flag)}")
        else:
            v.proof(flag.source, note=_default_note(flag))
    return v.outcome("FTP and HTTP servers are disabled")


# --------------------------------------------------------------------------- 8.1.3.2 boundary


_INTERNET_ZONE_NAMES = frozenset({"untrust", "internet", "outside"})
_DIAL_KINDS = frozenset({InterfaceKind.DIALER, InterfaceKind.CELLULAR})
_NEVER_FACING = frozenset({InterfaceKind.LOOPBACK, InterfaceKind.NULL})


def _internal(space: Sequence[IPv4Network], ip: IPv4Address) -> bool:
    return any(ip in net for net in space)


def _int_space(space: Sequence[IPv4Network]) -> list[tuple[int, int]]:
    """The internal space as (network, netmask) ints: ``ip in net`` is slow in a hot loop."""
    return [(int(net.network_address), int(net.netmask)) for net in space]


def _internet_interfaces(device: Device, space: Sequence[IPv4Network]) -> dict[str, str]:
    """Interfaces facing the internet, with why: a public address, dial-up, a DHCP address
    the device NATs out of (an ISP hands it out), or the way to a default route's non-internal
    next hop."""
    out: dict[str, str] = {}
    ints = _int_space(space)
    nat_names = {r.interface for r in device.nat.source_rules if not r.no_nat} | {
        r.interface for r in device.nat.static_rules
    }

    def internal(ip: IPv4Address) -> bool:
        value = int(ip)
        return any(value & mask == net for net, mask in ints)

    for iface in device.interfaces.values():
        if iface.shutdown or iface.kind in _NEVER_FACING:
            continue
        # Most interfaces have no address (switch ports, 500 on a core switch): no scan. An
        # IPv4Interface is its own address as an int (``.ip`` would build one more object).
        public = [a for a in iface.addresses if not internal(a.address)] if iface.addresses else []
        if public:
            out[iface.name] = f"public address {public[0].address}"
        elif iface.dialer or iface.pppoe_client or iface.kind in _DIAL_KINDS:
            out[iface.name] = "dial-up / PPPoE"
        elif iface.dhcp_client and (iface.nat_outside or iface.name in nat_names):
            out[iface.name] = "DHCP address with outbound NAT"
    for route in device.static_routes:
        if route.prefix.prefixlen != 0 or route.null:
            continue
        hop = route.next_hop
        if hop is not None and internal(hop):
            continue
        name = route.interface or (_iface_toward(device, hop) if hop is not None else None)
        out_iface = device.interfaces.get(name) if name is not None else None
        if name is not None and out_iface is not None and not out_iface.shutdown:
            out.setdefault(name, f"default route to {hop}")
    return out


def _iface_toward(device: Device, hop: IPv4Address) -> str | None:
    for iface in device.interfaces.values():
        if any(hop in a.address.network for a in iface.addresses):
            return iface.name
    return None


def _boundary(device: Device, facing: dict[str, str]) -> tuple[bool, str]:
    """Whether the boundary rules apply to ``device``, and why (or why not); ``facing``: its
    ``_internet_interfaces``."""
    if device.is_firewall or device.firewall is not None:
        return True, "the device is a firewall"
    nat = device.nat
    if facing and (nat.source_rules or nat.static_rules):
        name, why = sorted(facing.items())[0]
        return True, f"the device does NAT and {name} faces the internet ({why})"
    if facing:
        name, why = sorted(facing.items())[0]
        return True, f"{name} faces the internet ({why})"
    return False, "the device is not a firewall and has no interface toward the internet"


def _internet_zones(device: Device, fw: Firewall, facing: dict[str, str]) -> set[str]:
    """The firewall zones toward the internet: holding an internet-facing interface, or
    named so (untrust, internet, outside)."""
    zones = {
        z.name
        for z in fw.zones.values()
        if any(i in facing for i in z.interfaces) or z.name.lower() in _INTERNET_ZONE_NAMES
    }
    zones |= {i.zone for i in device.interfaces.values() if i.name in facing and i.zone is not None}
    return zones


def _match_any(device: Device, match: AddressMatch) -> bool | None:
    """Whether ``match`` matches every address (an address set: one of its members does);
    None for a set the config does not define."""
    members = expand_address_sets([match], device.firewall)
    return None if members is None else any(m.is_any for m in members)


def _any_address(device: Device, matches: Sequence[AddressMatch]) -> bool | None:
    """Whether a rule's address list (a union; empty = any) matches every address."""
    if not matches:
        return True
    found = [_match_any(device, m) for m in matches]
    if True in found:
        return True
    return None if None in found else False


def _is_any_any(device: Device, rule: SecurityRule) -> bool | None:
    """Any source, any destination, any service, no ACL; None when an address set the rule
    names is not defined (and the rest is any to any)."""
    services_any = not rule.services or any(
        s.protocol in ("ip", "any") and not s.dst_ports for s in rule.services
    )
    if not services_any or rule.acl is not None:
        return False
    src = _any_address(device, rule.source_addresses)
    dst = _any_address(device, rule.destination_addresses)
    if src is False or dst is False:
        return False
    return None if src is None or dst is None else True


def _acl_permits_any_any(device: Device, acl: Acl) -> Source | None:
    for rule in acl.rules:
        any_any = (
            _match_any(device, rule.src) is True
            and _match_any(device, rule.dst) is True
            and rule.protocol in ("ip", "any")
        )
        if any_any and not (rule.src_ports or rule.dst_ports):
            return rule.source if rule.action is Action.PERMIT else None
    return None


def _acl_default_denies(device: Device, acl: Acl) -> bool:
    if not acl.rules:
        return False  # an empty ACL permits all, like an undefined one
    if _acl_permits_any_any(device, acl) is not None:
        return False
    if acl.default_action is Action.DENY:
        return True
    return any(
        r.action is Action.DENY and r.src.is_any and r.dst.is_any and r.protocol in ("ip", "any")
        for r in acl.rules
    )


@register("mlps.boundary_default_deny", subject=SubjectKind.DEVICE, reads_network=False)
def boundary_default_deny(scope: Scope) -> Outcome:
    """Boundary devices deny by default and have no any-to-any permit toward the internet."""
    device = scope.require_device()
    space = scope.ctx.inventory.city.internal_space
    facing = _internet_interfaces(device, space)
    applies, why = _boundary(device, facing)
    if not applies:
        return Outcome.not_applicable(why)
    v = _Verdict(device)
    v.coverage(Section.FIREWALL, Section.INTERFACES, Section.ACLS, Section.ROUTES)
    fw = device.firewall
    if fw is not None:
        default = fw.default_action
        if default is None or default.value is None:
            v.unknown(
                default.note
                if default is not None and default.note
                else "the firewall's default action is not visible",
                default.source if default is not None else None,
            )
        elif default.value:
            v.fail(
                "the firewall's default action is permit",
                default.source,
                note=_default_note(default),
                weak=not default.explicit,
            )
        else:
            v.proof(default.source, note=_default_note(default))
        internet_zones = _internet_zones(device, fw, facing)
        for rule in fw.rules:
            if not rule.enabled or rule.action is not Action.PERMIT:
                continue
            toward = not rule.destination_zones or bool(
                set(rule.destination_zones) & internet_zones
            )
            from_internet = bool(set(rule.source_zones) & internet_zones)
            # No source zone = any zone, the internet's included.
            inbound = from_internet or not rule.source_zones
            any_any = _is_any_any(device, rule) if toward or inbound else False
            outbound = toward and not from_internet
            direction = "toward the internet" if outbound else "from the internet"
            if any_any:
                v.fail(f"rule {rule.name} permits any to any {direction}", rule.source)
            elif any_any is None:
                v.unknown(
                    f"rule {rule.name} {direction} names an address set the config does not "
                    "define (it may permit any to any)",
                    rule.source,
                )
            if rule.acl is not None and (toward or inbound):
                acl = device.acls.get(rule.acl)
                if acl is None:
                    v.unknown(f"rule {rule.name} uses ACL {rule.acl}, which is not defined")
                else:
                    src = _acl_permits_any_any(device, acl)
                    if src is not None:
                        v.fail(
                            f"rule {rule.name} (ACL {rule.acl}) permits any to any",
                            rule.source,
                            src,
                        )
        return v.outcome("the firewall denies by default; no any-to-any permit to the internet")
    # A router at the boundary without a firewall function: its inbound filter must deny.
    for name in sorted(facing):
        iface: Interface = device.interfaces[name]
        if iface.acl_in is None:
            v.fail(
                f"{name} faces the internet ({facing[name]}) with no inbound filter and the "
                "device has no firewall policy",
                iface.source,
                weak=True,
            )
            continue
        acl = device.acls.get(iface.acl_in)
        if acl is None:
            v.fail(
                f"{name}: inbound ACL {iface.acl_in} is not defined (permits all)",
                iface.source,
                weak=True,
            )
        elif not acl.rules:
            v.fail(
                f"{name}: inbound ACL {iface.acl_in} has no rules (an empty ACL permits all)",
                iface.source,
                acl.source,
                weak=True,
            )
        elif not _acl_default_denies(device, acl):
            permit = _acl_permits_any_any(device, acl)
            v.fail(
                f"{name}: inbound ACL {iface.acl_in} does not deny by default",
                iface.source,
                permit or acl.source,
            )
        else:
            v.proof(iface.source, acl.source)
    return v.outcome("internet-facing interfaces filter inbound traffic with default deny")


def _exposed_ports(nat: StaticNat, risky: set[int]) -> list[int]:
    return sorted({p for p in (nat.global_port, nat.inside_port) if p is not None and p in risky})


def _nat_faces_internet(
    nat: StaticNat, device: Device, space: Sequence[IPv4Network], facing: dict[str, str]
) -> bool | None:
    if nat.global_ip is not None:
        return not _internal(space, nat.global_ip)
    if nat.interface is None:
        return None
    if nat.interface in facing:
        return True
    return False if nat.interface in device.interfaces else None


_PORT_PROTOCOLS = frozenset({"tcp", "udp", "ip", "any"})


def _host_zone(device: Device, fw: Firewall, ip: IPv4Address) -> str | None:
    """The zone of the interface whose subnet holds ``ip``; None when not connected/zoned."""
    for iface in device.interfaces.values():
        if any(ip in a.address.network for a in iface.addresses):
            if iface.zone is not None:
                return iface.zone
            for z in fw.zones.values():
                if iface.name in z.interfaces:
                    return z.name
    return None


def _serves_port(rule: SecurityRule, port: int) -> bool:
    """Whether the rule's services (empty = any) let TCP/UDP ``port`` through."""
    return not rule.services or any(
        s.protocol.lower() in _PORT_PROTOCOLS
        and (not s.dst_ports or any(pm.matches(port) for pm in s.dst_ports))
        for s in rule.services
    )


@dataclass(slots=True)
class _PortDecision:
    """What the firewall policy does with internet traffic to one port of a 1:1 NAT's host:
    ``exposed`` True (let through), False (denied), None (cannot tell); ``by``: the rule that
    decides (None: the default action); ``why``: for None, the reason."""

    exposed: bool | None
    by: SecurityRule | None = None
    why: str = ""

    def __init__(self, exposed: bool | None, by: SecurityRule | None = None, why: str = "") -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.exposed = exposed
        self.by = by
        self.why = why


def _policy_decides(
    device: Device, fw: Firewall, nat: StaticNat, port: int, zones: set[str]
) -> _PortDecision:
    """Walk the rules in order, as the firewall does (first match), for traffic from the
    internet to ``port`` of the 1:1 NAT's inside host; the default action when none decides."""
    host = nat.inside_ip
    host_zone = _host_zone(device, fw, host)
    for rule in fw.rules:
        if not rule.enabled:
            continue
        if rule.source_zones and not set(rule.source_zones) & zones:
            continue  # not from the internet
        if (
            host_zone is not None
            and rule.destination_zones
            and (host_zone not in rule.destination_zones)
        ):
            continue
        if not _serves_port(rule, port):
            continue
        dst = any_address_matches(rule.destination_addresses, host, fw)
        if dst is False:
            continue
        if dst is None:
            return _PortDecision(
                None,
                rule,
                f"rule {rule.name} names an address set the config does not define (it may "
                f"hold {host})",
            )
        if rule.action is Action.PERMIT:
            return _PortDecision(True, rule)
        if _any_address(device, rule.source_addresses) is True and rule.acl is None:
            return _PortDecision(False, rule)
        # A deny for some sources only: others fall through to the next rules.
    default = fw.default_action
    if default is None or default.value is None:
        return _PortDecision(
            None,
            None,
            default.note
            if default is not None and default.note
            else "the firewall's default action is not visible",
        )
    return _PortDecision(default.value)


def _one_to_one_policy(
    v: _Verdict, device: Device, nat: StaticNat, risky: set[int], facing: dict[str, str]
) -> None:
    """Judge a 1:1 NAT on a firewall by what its policy does with each risky port."""
    fw = device.firewall
    host = nat.inside_ip
    if fw is None:
        v.unknown(
            f"one-to-one static NAT of {host}: the device is a firewall but its security "
            "policy is not visible",
            nat.source,
        )
        return
    v.coverage(Section.FIREWALL)
    zones = _internet_zones(device, fw, facing) | ({nat.zone} if nat.zone else set())
    default = fw.default_action
    default_src = default.source if default is not None else None
    # Ports decided alike (same verdict, same rule, same reason) are reported together.
    groups: dict[tuple[bool | None, str, str], tuple[_PortDecision, list[int]]] = {}
    v.proof(nat.source)
    for port in sorted(risky):
        d = _policy_decides(device, fw, nat, port, zones)
        if d.exposed is False:
            v.proof(d.by.source if d.by is not None else default_src)
            continue
        key = (d.exposed, d.by.name if d.by is not None else "", d.why)
        groups.setdefault(key, (d, []))[1].append(port)
    for d, ports in groups.values():
        txt = ", ".join(str(p) for p in ports)
        if d.exposed is None:
            v.unknown(
                f"one-to-one static NAT of {host}, risky ports ({txt}): {d.why}",
                nat.source,
                d.by.source if d.by is not None else default_src,
            )
        elif d.by is not None:
            v.fail(
                f"one-to-one static NAT of {host} and rule {d.by.name} let risky ports ({txt}) "
                "through",
                nat.source,
                d.by.source,
            )
        else:
            explicit = default is not None and default.explicit
            v.fail(
                f"one-to-one static NAT of {host}: no rule decides risky ports ({txt}) and "
                "the firewall's default action is permit",
                nat.source,
                default_src,
                note=_default_note(default) if default is not None else None,
                weak=not explicit,
            )


@register(
    "mlps.exposed_services",
    subject=SubjectKind.DEVICE,
    reads_network=False,
    params=(
        Param(
            "risky_ports",
            ParamType.INT_LIST,
            [22, 23, 445, 1433, 3306, 3389],
            "ports that must never be published to the internet",
        ),
    ),
)
def exposed_services(scope: Scope) -> Outcome:
    """No server/static NAT publishes a high-risk port to the internet."""
    device = scope.require_device()
    space = scope.ctx.inventory.city.internal_space
    risky = set(scope.params.get_int_list("risky_ports"))
    facing = _internet_interfaces(device, space)
    applies, why = _boundary(device, facing)
    if not applies:
        return Outcome.not_applicable(why)
    v = _Verdict(device)
    v.coverage(Section.NAT, Section.INTERFACES)
    ports_txt = ", ".join(str(p) for p in sorted(risky))
    for nat in device.nat.static_rules:
        public = _nat_faces_internet(nat, device, space, facing)
        if public is False:
            continue
        target = f"{nat.inside_ip}" + (f":{nat.inside_port}" if nat.inside_port else "")
        ports = _exposed_ports(nat, risky)
        if ports:
            if public is None:
                v.unknown(
                    f"static NAT of {target} (port {ports[0]}) on interface {nat.interface}: "
                    "whether it faces the internet is not visible",
                    nat.source,
                )
            else:
                v.fail(f"static NAT publishes {target} on risky port {ports[0]}", nat.source)
        elif nat.global_port is None and nat.inside_port is None and public is not None:
            # 1:1 NAT: every port of the inside host is reachable unless a policy filters it.
            if not device.is_firewall and device.firewall is None:
                v.fail(
                    f"one-to-one static NAT publishes every port of {nat.inside_ip} "
                    f"(including {ports_txt}) with no firewall policy",
                    nat.source,
                )
            else:
                _one_to_one_policy(v, device, nat, risky, facing)
        elif public is None and nat.global_port is None:
            v.unknown(
                f"static NAT of {target} on interface {nat.interface}: whether it faces the "
                "internet is not visible",
                nat.source,
            )
        else:
            v.proof(nat.source)
    if not device.nat.static_rules:
        return v.outcome("no server/static NAT is configured")
    return v.outcome(f"no static NAT publishes a risky port ({ports_txt})")


__all__ = [
    "auth_login",
    "boundary_default_deny",
    "exposed_services",
    "idle_timeout",
    "lockout",
    "mgmt_acl",
    "ntp",
    "password_policy",
    "secure_protocols",
    "services_minimal",
    "snmp",
    "stored_secrets",
    "syslog",
]
