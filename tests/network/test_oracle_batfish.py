"""Path-tracing fidelity against Batfish's example network (issue 10; the oracle's README).

The oracle lives beside the repository (``../shared/oracles/batfish-example``) and is never
copied into it: each test run writes a temporary inventory (one unit, the 13 routers, their
saved `show ip route` as ``routing_table:``) and drives ``netaudit trace --json`` on it, exactly
as a user would. The JSON is converted into the oracle's path format (hops of node / in / out,
lower-case disposition) and compared as a set with ``expected-traces.json``:

- ``derived-from-captured-rib`` flows (15): lab configs + the real routers' captured RIBs;
- ``batfish-ref`` flows (3): Batfish's configs + Batfish's RIB rendered as `show ip route`. Hosts
  are not modelled: the host hop is dropped and a path that ends in host1 ends
  ``delivered_to_subnet`` at as2dept1; the flow from host2 enters as2dept1 GigabitEthernet3/0.

The run prints "N/18 oracle flows reproduced" (tests/network/conftest.py). Skips with the reason
when the oracle folder is absent; fails instead when ``NETAUDIT_REQUIRE_ORACLES=1``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from netaudit.cli import main as cli
from netaudit.vendors.base import parse_bytes

from . import oracle_helpers
from .conftest import ORACLE_RESULTS
from .oracle_helpers import (
    LAB_SECRET_VALUES,
    Inputs,
    OracleFlow,
    build_inventory,
    flow_id,
    flow_params,
    oracle_paths,
    render,
    require_oracle,
)

Run = Callable[..., tuple[int, str, str]]
FLOWS = flow_params()


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Inputs], Path]:
    """The example network as an inventory folder, built once per input set."""
    built: dict[Inputs, Path] = {}

    def get(inputs: Inputs) -> Path:
        if inputs not in built:
            built[inputs] = build_inventory(tmp_path_factory.mktemp(inputs.value), inputs)
        return built[inputs]

    return get


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run the netaudit CLI in-process: (exit code, stdout, stderr)."""

    def go(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = cli.run(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return go


def _require(flow: OracleFlow | None) -> OracleFlow:
    require_oracle()
    assert flow is not None
    return flow


def _leaked(text: str) -> list[str]:
    """Secret values of the lab configs found in ``text``."""
    found = [s for s in LAB_SECRET_VALUES if s in text]
    # `password 0 cisco` / `secret cisco` in any spacing, and "password": "cisco" in JSON.
    found += re.findall(r"(?i)(?:password|secret)\s+(?:[057]\s+)?cisco\b", text)
    found += re.findall(r'(?i)"[^"]*(?:password|secret|hash)[^"]*"\s*:\s*"cisco"', text)
    return found


@pytest.mark.parametrize("flow", FLOWS, ids=flow_id)
def test_oracle_flow_through_trace_cli(
    flow: OracleFlow | None, inventory: Callable[[Inputs], Path], run: Run
) -> None:
    """`netaudit trace INVENTORY --start ... --json` gives exactly the oracle's path set."""
    case = _require(flow)
    code, out, err = run("trace", str(inventory(case.inputs)), *case.cli_args(), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["start"] == {
        "node": case.start_node,
        "interface": case.start_interface,
        "kind": "originate" if case.start_interface is None else "enter",
    }
    got = oracle_paths(data)
    ORACLE_RESULTS[case.id] = got == case.expected
    assert got == case.expected, (
        f"\nnetaudit:\n{render(got)}\noracle ({case.source}):\n{render(case.expected)}"
    )
    assert not _leaked(out + err)


@pytest.mark.parametrize("flow", FLOWS, ids=flow_id)
def test_oracle_src_alone_is_traced_or_called_ambiguous(
    flow: OracleFlow | None, inventory: Callable[[Inputs], Path], run: Run
) -> None:
    """Without --start: a source on a subnet several devices share is refused with every
    candidate listed (exit 2); a source with one candidate starts there and gives the same
    paths."""
    case = _require(flow)
    args = case.cli_args()[:-2]  # drop --start
    code, out, err = run("trace", str(inventory(case.inputs)), *args, "--json")
    if len(case.candidates) > 1:
        assert code == 2
        assert f"--src {case.src} is ambiguous" in err
        for node, interface in case.candidates:
            start = node if interface is None else f"{node}:{interface}"
            assert f"--start {start} " in err
        assert out == ""
    else:
        assert code == 0, err
        assert [(case.start_node, case.start_interface)] == list(case.candidates)
        assert oracle_paths(json.loads(out)) == case.expected


def test_generated_inventory_is_valid(inventory: Callable[[Inputs], Path], run: Run) -> None:
    require_oracle()
    for inputs in Inputs:
        code, out, err = run("validate", str(inventory(inputs)))
        assert code == 0, err
        assert "valid (1 units, 13 devices)" in out


def test_start_originate_and_enter_through_the_cli(
    inventory: Callable[[Inputs], Path], run: Run
) -> None:
    """`--start DEVICE` originates there (no inbound ACL, no `in`); `--start DEVICE:IF` enters
    that interface and its inbound ACL applies."""
    require_oracle()
    inv = str(inventory(Inputs.CAPTURED))
    base = ("--src", "1.1.1.1", "--dst", "2.128.1.101", "--proto", "udp", "--json")
    # as1border1 sends it: as2border1's OUTSIDE_TO_INSIDE denies host2 on the way in.
    code, out, err = run("trace", inv, *base, "--start", "as1border1")
    assert code == 0, err
    data = json.loads(out)
    assert data["start"]["kind"] == "originate"
    assert oracle_paths(data) == {
        (
            (
                ("as1border1", None, "GigabitEthernet1/0"),
                ("as2border1", "GigabitEthernet0/0", None),
            ),
            "denied_in",
        )
    }
    denied = data["paths"][0]["hops"][-1]["rules"][-1]
    assert denied["verdict"] == "deny"
    assert denied["source"]["text"] == "deny   ip any host 2.128.1.101"
    # Entering as2border1 Gi0/0 directly gives the same verdict at the first hop...
    code, out, _ = run("trace", inv, *base, "--start", "as2border1:GigabitEthernet0/0")
    assert code == 0
    assert oracle_paths(json.loads(out)) == {
        ((("as2border1", "GigabitEthernet0/0", None),), "denied_in")
    }
    # ...while originating at as2border1 skips that inbound ACL (abbreviated interface names
    # are accepted too).
    code, out, _ = run("trace", inv, *base, "--start", "as2border1")
    assert code == 0
    assert {p[1] for p in oracle_paths(json.loads(out))} == {"delivered_to_subnet"}
    code, out, _ = run("trace", inv, *base, "--start", "as2border1:gi0/0")
    assert json.loads(out)["start"]["interface"] == "GigabitEthernet0/0"


def test_bad_start_is_a_usage_error(inventory: Callable[[Inputs], Path], run: Run) -> None:
    require_oracle()
    inv = str(inventory(Inputs.CAPTURED))
    flow = ("--src", "1.0.2.3", "--dst", "2.128.0.101")
    code, _, err = run("trace", inv, *flow, "--start", "as9core9")
    assert code == 2 and "no device 'as9core9'" in err
    code, _, err = run("trace", inv, *flow, "--start", "as1core1:GigabitEthernet9/0")
    assert code == 2
    assert "as1core1 has no interface 'GigabitEthernet9/0'" in err
    assert "GigabitEthernet0/0" in err  # lists what exists


def test_duplicated_address_is_ambiguous_as_a_source_and_traced_as_a_destination(
    inventory: Callable[[Inputs], Path], run: Run
) -> None:
    """2.1.1.2/32 is Loopback0 on both as2border2 and as2dept1 (Batfish flags it)."""
    require_oracle()
    inv = str(inventory(Inputs.CAPTURED))
    code, _, err = run("trace", inv, "--src", "2.1.1.2", "--dst", "1.0.1.1")
    assert code == 2
    assert "--start as2border2    (as2border2 sends it)" in err
    assert "--start as2dept1    (as2dept1 sends it)" in err
    to_dup = ("--src", "2.1.2.1", "--dst", "2.1.1.2", "--json")
    # as2dept1 owns it itself; as2core1's captured RIB routes it to as2border2.
    code, out, _ = run("trace", inv, *to_dup, "--start", "as2dept1")
    assert oracle_paths(json.loads(out)) == {((("as2dept1", None, None),), "accepted")}
    code, out, _ = run("trace", inv, *to_dup, "--start", "as2core1")
    assert oracle_paths(json.loads(out)) == {
        (
            (
                ("as2core1", None, "GigabitEthernet1/0"),
                ("as2border2", "GigabitEthernet2/0", None),
            ),
            "accepted",
        )
    }


def test_text_output_names_routes_and_rules_with_their_lines(
    inventory: Callable[[Inputs], Path], run: Run
) -> None:
    require_oracle()
    inv = str(inventory(Inputs.CAPTURED))
    code, out, err = run(
        "trace", inv, "--src", "2.128.0.101", "--dst", "1.0.1.1", "--proto", "tcp",
        "--sport", "49152", "--dport", "23", "--start", "as2dept1:GigabitEthernet2/0",
    )  # fmt: skip
    assert code == 0, err
    assert out.count(": denied_in") == 2
    assert "[configs/as2core1.cfg:137: deny   tcp any any eq telnet]" in out
    assert "state/as2dept1.routes:" in out  # the RIB line that decided the first hop
    assert not _leaked(out + err)


def test_lab_credentials_never_reach_any_output(
    inventory: Callable[[Inputs], Path], run: Run, tmp_path: Path
) -> None:
    """The lab configs carry public demo credentials (`username cisco ... password 0 cisco`,
    a type-5 hash for `demo`): parse, trace and audit output must not show them."""
    require_oracle()
    inv = inventory(Inputs.CAPTURED)
    configs = sorted((inv / "configs").glob("*.cfg"))
    assert len(configs) == 13
    assert all(_leaked(c.read_text()) for c in configs)  # the check can see them
    outputs: dict[str, str] = {}
    for cfg in configs:
        code, out, err = run("parse", str(cfg), "--platform", "cisco_ios", "--json")
        assert code == 0, err
        assert '"password_storage": "plain"' in out  # the user is there, the value is not
        outputs[f"parse {cfg.name}"] = out + err
    for extra in ((), ("--json",)):
        code, out, err = run(
            "trace", str(inv), "--src", "1.0.1.3", "--dst", "3.0.1.1",
            "--start", "as2border1:GigabitEthernet0/0", *extra,
        )  # fmt: skip
        assert code == 0, err
        outputs[f"trace {extra}"] = out + err
    report = tmp_path / "reports"
    code, out, err = run("audit", str(inv), "--no-store", "--out", str(report), "--json", "-q")
    assert code in (0, 1), err  # 1: the lab has failing rules; never 2/3/70
    assert "MLPS-STORED-SECRETS" in out
    outputs["audit stdout"] = out + err
    files = sorted(p for p in report.rglob("*") if p.is_file())
    assert {p.name for p in files} >= {"findings.json", "findings.csv", "junit.xml", "index.html"}
    for path in files:
        outputs[f"audit {path.name}"] = path.read_text(encoding="utf-8-sig", errors="replace")
    leaks = {name: _leaked(text) for name, text in outputs.items() if _leaked(text)}
    assert leaks == {}


def test_an_absent_oracle_skips_or_fails_when_required(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A checkout without ../shared skips with the reason; CI (NETAUDIT_REQUIRE_ORACLES=1)
    fails instead, so the oracle can never be silently lost."""
    monkeypatch.setattr(oracle_helpers, "ORACLE", tmp_path / "batfish-example")
    monkeypatch.delenv("NETAUDIT_REQUIRE_ORACLES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="batfish-example is absent"):
        oracle_helpers.require_oracle()
    monkeypatch.setenv("NETAUDIT_REQUIRE_ORACLES", "1")
    with pytest.raises(pytest.fail.Exception, match="NETAUDIT_REQUIRE_ORACLES=1"):
        oracle_helpers.require_oracle()


@pytest.mark.parametrize("inputs", list(Inputs), ids=str)
def test_every_line_of_the_oracle_configs_is_understood(inputs: Inputs) -> None:
    """Real IOS configs: each line is recognized or consciously unsupported, none unrecognized
    (`ip bgp-community new-format` was, on 10 of the 13 routers)."""
    oracle = require_oracle()
    configs = sorted((oracle / inputs.folders[0]).glob("*.cfg"))
    assert len(configs) == 13
    unrecognized = {
        f"{cfg.name}:{src.line}: {src.text}"
        for cfg in configs
        for _section, src in parse_bytes(
            cfg.read_bytes(), "cisco_ios", cfg.name
        ).coverage.unrecognized_lines
    }
    assert unrecognized == set()
