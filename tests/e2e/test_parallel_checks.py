"""A big audit builds the network analysis and runs the rules that read it in a forked process
while this one runs the rules that read one device at a time (``PARALLEL_CHECKS_DEVICES``,
issue 9). The sample city is below the threshold, so these tests ask for it: the run must be
the one the serial audit gives, and errors on either side must read as they would."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pytest

from netaudit.inventory import Inventory, load_inventory
from netaudit.pipeline import audit as pipeline_audit
from netaudit.pipeline.audit import run_audit
from netaudit.pipeline.run import AuditRun, DeviceRecord
from netaudit.policy.results import Result, Status
from tests._processes import children

XIAN = Path(__file__).parents[2] / "inventories" / "xian"


@pytest.fixture(scope="module")
def xian() -> Inventory:
    return load_inventory(XIAN)


def _same_run(a: AuditRun, b: AuditRun) -> None:
    assert [r.to_data() for r in a.results] == [r.to_data() for r in b.results]
    assert a.exits == b.exits
    assert a.devices == b.devices
    assert a.notes == b.notes
    assert a.status is b.status


def test_the_forked_analysis_gives_the_serial_run(
    xian: Inventory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Which process ran the network side: written to a file (the child's memory is gone).
    # (Not `policy_context.analyse`: compiled, the context calls it without a lookup.)
    where = tmp_path / "analysed-in"
    real_side = pipeline_audit._network_side

    def network_side(*args: object) -> object:
        with where.open("a", encoding="ascii") as fh:
            fh.write(f"{os.getpid()}\n")
        return real_side(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline_audit, "_network_side", network_side)
    seen: list[tuple[tuple[DeviceRecord, ...], tuple[Result, ...]]] = []

    def meanwhile(devices: tuple[DeviceRecord, ...], first: tuple[Result, ...]) -> None:
        seen.append((devices, first))

    serial = run_audit(xian, parallel=False, meanwhile=meanwhile)
    assert not where.exists()  # built here, in the audit's own context
    forked = run_audit(xian, parallel=True, meanwhile=meanwhile)
    (pid,) = where.read_text(encoding="ascii").split()
    assert int(pid) != os.getpid()
    assert children() == []  # reaped
    _same_run(serial, forked)
    assert len(forked.results) == 2560
    assert sum(r.status is Status.FAIL for r in forked.results) == 43
    assert len(forked.exits) > 0
    # Both ways, the caller got the run's device records once, before the run was made;
    # forked, also the results of the MLPS pack (its rules come first and read no network),
    # which lead the run's results.
    (serial_devices, none), (forked_devices, first) = seen
    assert serial_devices == serial.devices and forked_devices == forked.devices
    assert none == ()
    assert len(first) > 2000 and {r.pack for r in first} == {"mlps-l3-network"}
    assert first == forked.results[: len(first)]
    assert forked.results[len(first)].pack != "mlps-l3-network"

    # One unit: only its results and exits, the same both ways.
    unit = xian.units[3].id
    one_serial = run_audit(xian, unit_ids=[unit], parallel=False)
    one_forked = run_audit(xian, unit_ids=[unit], parallel=True)
    _same_run(one_serial, one_forked)
    assert {r.unit for r in one_forked.results} == {unit}


def test_a_bug_on_the_network_side_is_an_internal_error(
    xian: Inventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise TypeError("a bug in the exit records")

    monkeypatch.setattr(pipeline_audit, "exit_records", broken)
    with pytest.raises(RuntimeError) as raised:
        run_audit(xian, parallel=True)
    text = str(raised.value)
    assert text.startswith("in the network analysis:")
    assert "TypeError: a bug in the exit records" in text  # the child's traceback
    assert children() == []


def test_an_error_here_stops_the_network_side(xian: Inventory) -> None:
    def store_down(devices: tuple[DeviceRecord, ...], first: tuple[Result, ...]) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        run_audit(xian, parallel=True, meanwhile=store_down)
    assert children() == []  # killed and reaped, not left running


def test_a_user_error_on_the_network_side_reads_as_usual() -> None:
    from netaudit.errors import NetauditError  # noqa: PLC0415
    from netaudit.pipeline.beside import fork_call  # noqa: PLC0415

    def refuse() -> int:
        raise NetauditError("unit yanta: no such thing")

    child = fork_call(refuse, "the network analysis")
    assert child is not None
    with pytest.raises(NetauditError, match=r"^unit yanta: no such thing$"):
        child.result()
    answer = fork_call(lambda: {"answer": [42]}, "a job")
    assert answer is not None and answer.result() == {"answer": [42]}


def test_the_store_holds_the_run_written_early_and_late(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI writes device records while the parse goes on, the rest of them and the MLPS
    results while the network side works, the rest after: the stored run is the serial one,
    in the same order (also with --unit: only that unit's devices)."""
    from netaudit.cli import main as cli_main  # noqa: PLC0415
    from netaudit.pipeline import devices as pipeline_devices  # noqa: PLC0415
    from netaudit.store import open_store  # noqa: PLC0415
    from netaudit.store.store import RunWriter  # noqa: PLC0415

    writes: list[int] = []
    real_add = RunWriter.add_devices

    def add_devices(self: RunWriter, records: Iterable[DeviceRecord]) -> None:
        records = list(records)
        writes.append(len(records))
        real_add(self, records)

    monkeypatch.setattr(RunWriter, "add_devices", add_devices)

    def audit(name: str, *options: str) -> AuditRun:
        db = f"sqlite:///{tmp_path / name}.db"
        out = str(tmp_path / name)
        code = cli_main.run(["audit", str(XIAN), "--db", db, "--out", out, "-q", *options])
        assert code in (0, 1), capsys.readouterr().err  # (1: failures at or above high)
        with open_store(db) as store:
            return store.load_run("latest")

    serial = audit("serial", "--workers", "1")
    assert writes == [171]
    monkeypatch.setattr(pipeline_audit, "PARALLEL_CHECKS_DEVICES", 0)
    forked = audit("forked")
    assert len(forked.results) == 2560
    _same_run(serial, forked)
    assert (tmp_path / "forked" / "findings.json").read_bytes().count(b'"rule":') == 2560
    # Records streamed to the store in batches while the parse goes on.
    monkeypatch.setattr(pipeline_devices, "_STREAM_BATCH", 8)
    writes.clear()
    streamed = audit("streamed")
    assert len(writes) > 5 and sum(writes) == 171
    _same_run(serial, streamed)
    writes.clear()
    one = audit("one", "--unit", "baqiao")
    assert 0 < sum(writes) == len(one.devices) < 20
    assert {d.unit for d in one.devices} == {"baqiao"}
    monkeypatch.setattr(pipeline_devices, "_STREAM_BATCH", 10_000)
    _same_run(audit("one-serial", "--unit", "baqiao", "--workers", "1"), one)


def test_an_audit_that_cannot_start_stops_its_parse_workers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The parse workers start before the store is opened and the rule packs are loaded; a
    bad parameter in city.yaml still reads as a user error, and no worker is left running."""
    import shutil  # noqa: PLC0415

    from netaudit.cli import main as cli_main  # noqa: PLC0415

    city = tmp_path / "xian"
    shutil.copytree(XIAN, city)
    text = (city / "city.yaml").read_text(encoding="utf-8")
    (city / "city.yaml").write_text(
        text.replace("PLAN-EXIT-COUNT: {max: 2}", "PLAN-EXIT-COUNT: {max: two}"), encoding="utf-8"
    )
    code = cli_main.run(["audit", str(city), "--no-store", "--out", str(tmp_path / "o"), "-q"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "city.yaml" in err and "PLAN-EXIT-COUNT" in err and "Traceback" not in err
    assert children() == []


def test_a_device_that_cannot_be_read_is_unknown_on_both_sides(tmp_path: Path) -> None:
    """A config that is binary garbage: every rule about that device is ``unknown`` with the
    reason, the same whether the network side runs forked or not (never a pass)."""
    import shutil  # noqa: PLC0415

    city = tmp_path / "xian"
    shutil.copytree(XIAN, city)
    (city / "configs" / "baqiao-core.cfg").write_bytes(b"\x00\x01\x02" * 400)
    inv = load_inventory(city)
    serial = run_audit(inv, parallel=False)
    forked = run_audit(inv, parallel=True)
    _same_run(serial, forked)
    about = [r for r in forked.results if r.device == "baqiao-core"]
    assert len(about) >= 13  # every MLPS rule at least
    assert {r.status for r in about} == {Status.UNKNOWN}
    assert all("not audited" in r.message for r in about if r.pack == "mlps-l3-network")
    assert forked.incomplete
