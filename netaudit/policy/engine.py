"""The rule engine: run every rule of the loaded packs over the audit context.

Input: rule packs (``pack.py``) and an ``AuditContext`` (inventory, parsed devices, devices
that failed, network analysis, probe observations). Output: ``list[Result]`` in a deterministic
order (pack order, rule order, unit order of the inventory, device order of the unit, then the
check's own subject order). Device rules never see a missing device: the engine answers
``unknown`` with the collection or parse failure's reason. A check that raises yields
``error`` for that rule and subject, naming only the exception type and where it was raised,
and the run goes on. Nothing defaults to pass.

Checks are registered with ``@register`` (re-exported here) exactly like plugins are.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path

from netaudit.inventory import Unit
from netaudit.model import Platform
from netaudit.policy.context import AuditContext
from netaudit.policy.pack import Rule, RulePack
from netaudit.policy.registry import Outcome, Scope, SubjectKind, register
from netaudit.policy.results import NoteEvidence, Result, Status

log = logging.getLogger(__name__)


def run_rules(packs: Sequence[RulePack], ctx: AuditContext) -> list[Result]:
    """Run every rule of ``packs`` over ``ctx``; one result per rule and subject."""
    results: list[Result] = []
    for pack in packs:
        for rule in pack.rules:
            results.extend(run_rule(rule, ctx))
    return results


def run_rule(rule: Rule, ctx: AuditContext) -> Iterator[Result]:
    texts = _RuleTexts(rule)
    for unit in ctx.units():
        if not rule.applies(unit):
            continue
        if rule.subject is SubjectKind.DEVICE:
            for spec in unit.devices:
                problem = ctx.device_problem(spec.name)
                if problem is not None:
                    outcome = Outcome.unknown(
                        f"device not audited: {problem.reason}",
                        NoteEvidence(f"device status: {problem.status}"),
                        subject=spec.name,
                        device=spec.name,
                    )
                    yield _result(
                        texts,
                        ctx,
                        unit,
                        outcome,
                        default_subject=spec.name,
                        default_device=spec.name,
                    )
                    continue
                scope = Scope(ctx, unit, rule.params, rule.id, ctx.devices[spec.name])
                for outcome in _call(rule, scope, expect_some=True):
                    yield _result(
                        texts,
                        ctx,
                        unit,
                        outcome,
                        default_subject=spec.name,
                        default_device=spec.name,
                    )
        else:
            scope = Scope(ctx, unit, rule.params, rule.id)
            for outcome in _call(rule, scope, expect_some=False):
                yield _result(
                    texts, ctx, unit, outcome, default_subject=unit.id, default_device=None
                )


def _call(rule: Rule, scope: Scope, *, expect_some: bool) -> list[Outcome]:
    """Call the check; turn an exception or a malformed answer into one ``error`` outcome."""
    try:
        answer = rule.check.fn(scope)
        outcomes = [answer] if isinstance(answer, Outcome) else list(answer)
        for o in outcomes:
            if not isinstance(o, Outcome) or not isinstance(o.status, Status):
                raise TypeError(f"check returned {type(o).__name__}, not an Outcome")
    except Exception as exc:
        where = _raised_at(exc)
        log.warning(
            "rule %s: check %s raised %s%s", rule.id, rule.check.name, type(exc).__name__, where
        )
        return [
            Outcome(
                Status.ERROR,
                f"internal error in check '{rule.check.name}': {type(exc).__name__}{where}; "
                "the rule could not be evaluated for this subject",
            )
        ]
    if expect_some and not outcomes:
        return [Outcome(Status.ERROR, f"check '{rule.check.name}' returned no result")]
    return outcomes


def _raised_at(exc: BaseException) -> str:
    """`` (at module.py:LINE)`` of the innermost frame: a location, never values."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    return f" (at {Path(last.filename).name}:{last.lineno})"


class _RuleTexts:
    """What every result of one rule repeats, worked out once per rule rather than per result
    (70,000 results at 5,000 devices): the deadline's text, the remediation per platform."""

    __slots__ = ("deadline", "remediations", "rule")

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.deadline = rule.deadline.isoformat() if rule.deadline is not None else None
        self.remediations: dict[Platform | None, tuple[str, str]] = {}

    def remediation(self, platform: Platform | None) -> tuple[str, str]:
        """(zh, en) of the rule's remediation for ``platform``."""
        texts = self.remediations.get(platform)
        if texts is None:
            localized = self.rule.remediation.for_platform(platform)
            texts = self.remediations[platform] = (localized.zh, localized.en)
        return texts


def _result(
    texts: _RuleTexts,
    ctx: AuditContext,
    unit: Unit,
    outcome: Outcome,
    *,
    default_subject: str,
    default_device: str | None,
) -> Result:
    rule = texts.rule
    device = outcome.device if outcome.device is not None else default_device
    remediation_zh, remediation_en = texts.remediation(_platform(ctx, unit, device))
    evidence = outcome.evidence
    model = ctx.devices.get(device) if device is not None else None
    if outcome.status is Status.FAIL and not evidence and model is not None:
        # A failure by absence (no syslog host, no NTP server): the evidence is that the whole
        # config was read and no line sets it; say which file and how much of it was read.
        cov = model.coverage
        evidence = (
            NoteEvidence(
                f"{model.file}: no line configures this ({cov.total} lines read, "
                f"{cov.unrecognized} unrecognized)"
            ),
        )
    return Result(
        rule=rule.id,
        status=outcome.status,
        severity=rule.severity,
        unit=unit.id,
        subject=outcome.subject if outcome.subject is not None else default_subject,
        device=device,
        message=outcome.message,
        clause=rule.clause,
        responsible=rule.responsible_for(unit),
        deadline=texts.deadline,
        title_zh=rule.title.zh,
        title_en=rule.title.en,
        remediation_zh=remediation_zh,
        remediation_en=remediation_en,
        evidence=evidence,
        pack=rule.pack,
    )


def _platform(ctx: AuditContext, unit: Unit, device: str | None) -> Platform | None:
    if device is None:
        return None
    model = ctx.devices.get(device)
    if model is not None:
        return model.platform
    # The unit's own devices first; the tuple of the whole city's specs was built for every
    # result of a device that was not parsed (quadratic when many devices fail).
    for spec in unit.devices:
        if spec.name == device:
            return spec.platform
    for _, spec in ctx.inventory.device_specs():
        if spec.name == device:
            return spec.platform
    return None


__all__ = ["register", "run_rule", "run_rules"]
