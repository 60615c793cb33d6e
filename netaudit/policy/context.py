"""The audit context: everything the policy checks may read, as one typed value.

Input: the loaded inventory, the parsed devices, the devices that could not be collected or
parsed (with a status code and a reason), the network analysis when one was built, and probe
observations when probes ran. Output: ``AuditContext`` (read-only for checks) plus the small
observation types probes report. Checks never see a half-parsed device: a device listed in
``failures`` or missing from ``devices`` yields ``unknown`` with the reason, never ``pass``.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address
from pathlib import Path

from netaudit.inventory import Inventory, Unit
from netaudit.model import Device
from netaudit.policy.analysis import NetworkAnalysis, analyse

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeviceFailure:
    """Why a device has no model: ``status`` is a stable code, ``reason`` a sentence."""

    status: str  # e.g. "parse_error", "no_config", "timeout", "auth_failed"
    reason: str

    def __init__(self, status: str, reason: str) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "reason", reason)


@dataclass(frozen=True, slots=True)
class ForwardingHost:
    """A host on a probe's LAN that forwarded a probe packet toward an internet target."""

    address: IPv4Address
    mac: str | None = None
    observed_source: IPv4Address | None = None  # source address the reflector saw

    def __init__(
        self,
        address: IPv4Address,
        mac: str | None = None,
        observed_source: IPv4Address | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "address", address)
        object.__setattr__(self, "mac", mac)
        object.__setattr__(self, "observed_source", observed_source)


@dataclass(frozen=True, slots=True)
class ProbeObservation:
    """One probe run: egress sources seen by reflectors and the rogue-gateway sweep.

    ``observed_sources`` are the addresses reflectors saw for packets sent through the LAN's
    normal default route (the public side of the exit that carried them). ``forwarders`` is
    None when the sweep did not run; an empty tuple means it ran and no host forwarded.
    """

    probe: str
    unit: str
    observed_sources: tuple[IPv4Address, ...] = ()
    forwarders: tuple[ForwardingHost, ...] | None = None
    error: str | None = None  # the probe ran but could not complete (reason)

    def __init__(
        self,
        probe: str,
        unit: str,
        observed_sources: tuple[IPv4Address, ...] = (),
        forwarders: tuple[ForwardingHost, ...] | None = None,
        error: str | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "probe", probe)
        object.__setattr__(self, "unit", unit)
        object.__setattr__(self, "observed_sources", observed_sources)
        object.__setattr__(self, "forwarders", forwarders)
        object.__setattr__(self, "error", error)


@dataclass(frozen=True, slots=True)
class AuditContext:
    """What checks read. ``devices``: parsed models by inventory name; ``failures``: devices
    that could not be collected or parsed; ``unit_of``: device name → unit id; ``network``:
    the network analysis (exits, path tracing) when built; ``probes``: None when no probe ran.
    ``selected_units``: restrict the run to these unit ids (``--unit``); None = all.
    ``network_error``: why the network analysis could not be built (plan checks say so)."""

    inventory: Inventory
    devices: Mapping[str, Device]
    failures: Mapping[str, DeviceFailure] = field(default_factory=dict)
    unit_of: Mapping[str, str] = field(default_factory=dict)
    network: NetworkAnalysis | None = None
    probes: Sequence[ProbeObservation] | None = None
    selected_units: frozenset[str] | None = None
    network_error: str | None = None
    _declared: dict[str, str] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        inventory: Inventory,
        devices: Mapping[str, Device],
        failures: Mapping[str, DeviceFailure] | None = None,
        unit_of: Mapping[str, str] | None = None,
        network: NetworkAnalysis | None = None,
        probes: Sequence[ProbeObservation] | None = None,
        selected_units: frozenset[str] | None = None,
        network_error: str | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "inventory", inventory)
        object.__setattr__(self, "devices", devices)
        object.__setattr__(self, "failures", {} if failures is None else failures)
        object.__setattr__(self, "unit_of", {} if unit_of is None else unit_of)
        object.__setattr__(self, "network", network)
        object.__setattr__(self, "probes", probes)
        object.__setattr__(self, "selected_units", selected_units)
        object.__setattr__(self, "network_error", network_error)
        object.__setattr__(self, "_declared", {})

    @classmethod
    def build(
        cls,
        inventory: Inventory,
        devices: Mapping[str, Device],
        failures: Mapping[str, DeviceFailure] | None = None,
        *,
        network: NetworkAnalysis | None = None,
        probes: Sequence[ProbeObservation] | None = None,
        selected_units: frozenset[str] | None = None,
        analyse_network: bool = True,
    ) -> AuditContext:
        """A context whose ``unit_of`` is derived from the inventory and whose network
        analysis is built here unless given (or ``analyse_network`` is False)."""
        failures = dict(failures or {})
        unit_of = {d.name: u.id for u, d in inventory.device_specs()}
        error = None
        if network is None and analyse_network:
            unparsed = [d.name for _, d in inventory.device_specs() if d.name not in devices]
            try:
                network = analyse(inventory, devices, unparsed)
            except Exception as exc:  # a bug in the analysis must not stop the MLPS checks
                frames = traceback.extract_tb(exc.__traceback__)
                where = (
                    f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
                )
                error = f"the network analysis failed: {type(exc).__name__}{where}"
                log.warning("%s", error)
        return cls(
            inventory,
            devices,
            failures,
            unit_of,
            network,
            probes,
            selected_units,
            error,
        )

    def units(self) -> list[Unit]:
        """The units this run covers, in inventory order."""
        if self.selected_units is None:
            return list(self.inventory.units)
        return [u for u in self.inventory.units if u.id in self.selected_units]

    def device_problem(self, name: str) -> DeviceFailure | None:
        """Why device ``name`` has no model, or None when it has one."""
        if name in self.devices:
            return None
        failure = self.failures.get(name)
        if failure is not None:
            return failure
        return DeviceFailure(
            "not_collected",
            f"device {name} was not collected (no config file and no live collection)",
        )

    def declared_exits(self) -> dict[str, str]:
        """``device:interface`` of every declared exit → the declaring unit id, city-wide
        (the first unit wins); computed once (exit checks ask per unit)."""
        if not self._declared:
            for unit in self.inventory.units:
                for ex in unit.exits:
                    self._declared.setdefault(f"{ex.device}:{ex.interface}", unit.id)
        return self._declared

    def probes_of(self, unit_id: str) -> list[ProbeObservation] | None:
        """Observations of the unit's probes; None when no probe ran anywhere."""
        if self.probes is None:
            return None
        return [p for p in self.probes if p.unit == unit_id]


__all__ = ["AuditContext", "DeviceFailure", "ForwardingHost", "ProbeObservation"]
