"""Fuzzing every loader and every writer (issue 13, item 7).

Loaders: any bytes or text -- random, or a bundled example file with bytes flipped, cut or
spliced -- give a result or an :class:`~jichitai_cloud.errors.JichitaiCloudError` (usually an
``InputError``), never another exception (no ``KeyError``, ``RecursionError``, ``MemoryError``,
``UnicodeError`` …).

Writers: a file system that fails part way (``os.replace``, ``os.link``, ``os.fsync`` or the write
itself raising ``OSError``) leaves the old file exactly as it was and no temporary file behind,
and the error is an :class:`~jichitai_cloud.errors.OutputError`.

The number of examples follows the hypothesis profile (``tests/conftest.py``): ``default`` and
``ci`` keep the run short; ``HYPOTHESIS_PROFILE=fuzz`` (or ``long``) runs thousands per loader.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jichitai_cloud import Consortium, JichitaiCloudError, examples, io, report
from jichitai_cloud.errors import OutputError, ValidationError
from jichitai_cloud.model import Procurement

_FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)


@functools.cache
def _example(name: str) -> bytes:
    """A bundled example file's bytes, or one derived from it: ``*.json`` from the TOML of the same
    name, ``toyama_members.csv`` / ``toyama_members.xlsx`` the toyama council's member list."""
    if name == "toyama_members.csv":
        return io.save_members(examples.toyama().members, None).encode("utf-8")
    if name == "toyama_members.xlsx":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "members.xlsx"
            io.write_member_template(path, council=examples.toyama())
            return path.read_bytes()
    if name.endswith(".json"):
        data = tomllib.loads(examples.data_path(name.removesuffix(".json") + ".toml").read_text(encoding="utf-8"))
        return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
    return examples.data_path(name).read_bytes()


def _mutations(seed: bytes) -> st.SearchStrategy[bytes]:
    """``seed`` with bytes replaced, a slice cut out, a slice duplicated, or random bytes spliced in."""

    @st.composite
    def mutate(draw: st.DrawFn) -> bytes:
        data = bytearray(seed)
        for _ in range(draw(st.integers(1, 4))):
            if not data:
                break
            i = draw(st.integers(0, len(data) - 1))
            j = draw(st.integers(i, min(len(data), i + 64)))
            how = draw(st.sampled_from(["flip", "cut", "dup", "splice"]))
            if how == "flip":
                data[i] = draw(st.integers(0, 255))
            elif how == "cut":
                del data[i:j]
            elif how == "dup":
                data[i:i] = data[i:j] * draw(st.integers(1, 3))
            else:
                data[i:i] = draw(st.binary(max_size=16) | st.sampled_from(
                    [b"\x00", b"\x1b[2J", b'"', b"[[", b"]]", b"{", b"=", b",", b"\n", b"\xef\xbb\xbf",
                     b"-1", b"1e999", b"99999999999999999999", b"nan", b"../", b"/dev/zero"]))
        return bytes(data)

    return mutate()


def _documents(seed: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=512), st.text(max_size=256).map(lambda s: s.encode("utf-8")),
                     _mutations(seed))


def _accepts_or_refuses(call: Callable[[], Any]) -> None:
    with contextlib.suppress(JichitaiCloudError):
        call()


def _load_selection_beside_census(path: Path) -> Any:
    census = "toyama_municipalities_census_2005.csv"  # the file the selection example names
    if not (path.parent / census).exists():
        (path.parent / census).write_bytes(examples.data_path(census).read_bytes())
    return io.load_selection(path)


# -- loaders of files: (name, extension, seed file, call) -----------------------------------------
LOADERS: list[tuple[str, str, str, Callable[[Path], Any]]] = [
    ("load-toml", ".toml", "toyama.toml", lambda p: io.load(p)),
    ("load-json", ".json", "toyama.json", lambda p: io.load(p)),
    ("load-csv", ".csv", "toyama_members.csv", lambda p: io.load(p)),
    ("load_members", ".csv", "toyama_members.csv", lambda p: io.load_members(p)),
    ("load_register-csv", ".csv", "toyama_customization.toml", lambda p: io.load_register(p)),
    ("load_register-toml", ".toml", "toyama_customization.toml", lambda p: io.load_register(p)),
    ("load_operations", ".toml", "toyama_operations.toml", lambda p: io.load_operations(p)),
    ("load_operations-csv", ".csv", "toyama_operations_outages.csv",
     lambda p: io.load_operations(examples.data_path("toyama_operations.toml"), p)),
    ("load_cost_model-toml", ".toml", "toyama_games.toml", lambda p: io.load_cost_model(p)),
    ("load_cost_model-json", ".json", "toyama_games.json", lambda p: io.load_cost_model(p)),
    ("load_quote_table", ".csv", "toyama_games.toml", lambda p: io.load_quote_table(p)),
    ("load_procurement", ".toml", "toyama_evaluation.toml", lambda p: io.load_procurement(p)),
    ("load_plan", ".toml", "toyama_allocation.toml", lambda p: io.load_plan(p)),
    ("load_schedule-toml", ".toml", "toyama_schedule.toml", lambda p: io.load_schedule(p)),
    ("load_schedule-json", ".json", "toyama_schedule.json", lambda p: io.load_schedule(p, name="core")),
    ("load_schedules-toml", ".toml", "toyama_schedule.toml", lambda p: io.load_schedules(p)),
    ("load_schedules-json", ".json", "toyama_schedule.json", lambda p: io.load_schedules(p)),
    ("load_council-csv", ".csv", "toyama_members.csv", lambda p: io.load_council(p)),
    ("load_council-toml", ".toml", "toyama.toml", lambda p: io.load_council(p)),
    ("load_council-json", ".json", "toyama.json", lambda p: io.load_council(p)),
    ("load_council-xlsx", ".xlsx", "toyama_members.xlsx", lambda p: io.load_council(p)),
    ("read_member_list-csv", ".csv", "toyama_members.csv", lambda p: io.read_member_list(p)),
    ("read_member_list-xlsx", ".xlsx", "toyama_members.xlsx", lambda p: io.read_member_list(p)),
    ("read_member_workbook", ".xlsx", "toyama_members.xlsx", lambda p: io.read_member_workbook(p)),
    ("load_selection", ".toml", "toyama_selection.toml", lambda p: _load_selection_beside_census(p)),
]


@pytest.mark.parametrize(("name", "ext", "seed", "call"), LOADERS, ids=[x[0] for x in LOADERS])
def test_loaders_give_a_result_or_an_input_error(tmp_path: Path, name: str, ext: str, seed: str,
                                                 call: Callable[[Path], Any]) -> None:
    if ext == ".xlsx":
        pytest.importorskip("openpyxl")
    seed_bytes = _example(seed)
    path = tmp_path / f"fuzz{ext}"

    @_FUZZ
    @given(_documents(seed_bytes))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        _accepts_or_refuses(lambda: call(path))

    run()


_SEEDS_THAT_DO_NOT_LOAD = {"load_register-csv", "load_quote_table", "load_operations"}
"""Seeds of another format (a TOML file fuzzed as CSV) or naming files beside them."""


@pytest.mark.parametrize(("name", "ext", "seed", "call"), LOADERS, ids=[x[0] for x in LOADERS])
def test_the_seeds_load(tmp_path: Path, name: str, ext: str, seed: str, call: Callable[[Path], Any]) -> None:
    """The mutations start from a valid file, so they reach past the parser into the checks."""
    if name in _SEEDS_THAT_DO_NOT_LOAD:
        pytest.skip("a seed of another format")
    if ext == ".xlsx":
        pytest.importorskip("openpyxl")
    path = tmp_path / f"seed{ext}"
    path.write_bytes(_example(seed))
    assert call(path) is not None


@_FUZZ
@given(st.text(max_size=400) | _mutations(_example("toyama.toml")).map(lambda b: b.decode("utf-8", "replace")),
       st.sampled_from(["toml", "json"]),
       st.sampled_from([Consortium, Procurement]))
def test_loads_gives_a_result_or_an_input_error(text: str, fmt: str, cls: type) -> None:
    _accepts_or_refuses(lambda: io.loads(text, cls, format=fmt))


@_FUZZ
@given(st.text(max_size=400) | _mutations(io.save_members(examples.toyama().members, None).encode())
       .map(lambda b: b.decode("utf-8", "replace")))
def test_csv_text_readers_give_a_result_or_an_input_error(text: str) -> None:
    _accepts_or_refuses(lambda: io.load_members(text=text))
    _accepts_or_refuses(lambda: io.read_observations(text=text))
    _accepts_or_refuses(lambda: io.read_outages(text=text))
    _accepts_or_refuses(lambda: io.read_work(text=text))
    _accepts_or_refuses(lambda: io.read_requests_csv(text=text))
    _accepts_or_refuses(lambda: io.load_quote_table(text=text))


_HOSTILE_CELLS: list[Any] = [
    "=cmd|' /C calc'!A0", "=1+1", "+1", "-5", "@SUM(A1)", "'=x", "=HYPERLINK(\"http://x\")",
    10**20, -10**20, 2**63, -1, -94684, 0, 1.5, -0.0, float("inf"), float("nan"), 1e308, True,
    "", " ", "\t", "\r\n", "\x7f", "\x85", "\x9b2J", "\u202e", "\u2028", "\ufeff", "H27.07", "H99.99", "2015-13",
    "x" * 32_767, "名" * 10_000, "A", "162116", "1,000", "1e3", "１２３",
]


def _hostile_value() -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(_HOSTILE_CELLS), st.integers(-2**70, 2**70),
                     st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40), st.none())


@_FUZZ
@given(rows=st.lists(st.lists(_hostile_value(), min_size=7, max_size=9), min_size=1, max_size=4),
       council=st.lists(st.tuples(st.sampled_from(["協議会名", "評価期間開始 (period_start)", "評価期間月数", "=x",
                                                   "unknown"]), _hostile_value()), max_size=4))
def test_a_workbook_with_hostile_cells_gives_a_result_or_an_input_error(rows: list[list[Any]],
                                                                       council: list[tuple[str, Any]]) -> None:
    """A valid workbook whose cells hold formulas, control characters, huge numbers, negative
    populations or huge strings: members or an InputError naming the cell, nothing else."""
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.utils.exceptions import IllegalCharacterError

    from jichitai_cloud.io._xlsx import COUNCIL_SHEET, MEMBERS_SHEET

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = MEMBERS_SHEET
    ws.append([c.heading for c in io.MEMBER_COLUMNS])
    wc = wb.create_sheet(COUNCIL_SHEET)
    wc.append(["項目 (item)", "値 (value)"])
    try:
        for row in rows:
            ws.append(row)  # a text beginning with "=" is stored as a formula with no cached value
        for item, value in council:
            wc.append([item, value])
    except IllegalCharacterError:  # openpyxl cannot store C0 controls; XML 1.0 cannot hold them at all
        pass
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hostile.xlsx"
        wb.save(path)
        members: tuple[Any, ...] = ()
        message = ""
        try:
            members, _ = io.read_member_workbook(path)
            io.load_council(path, period_start="H27.04")
        except JichitaiCloudError as exc:
            message = str(exc)
    assert (message == "") != (str(path) in message)  # accepted, or refused naming the file
    for m in members:  # what is accepted is plausible
        assert 0 <= m.population <= 130_000_000 and 0 <= m.current_cost < 10**15
        assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in m.name + m.code)


@pytest.mark.parametrize("depth", [10, 65, 1_000, 200_000])
@pytest.mark.parametrize("opener", ["[", "{\"a\":"])
def test_any_nesting_depth_is_refused_cleanly(depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    _accepts_or_refuses(lambda: io.loads('{"x": ' + opener * depth + "1" + closer * depth + "}", Consortium,
                                         format="json"))
    _accepts_or_refuses(lambda: io.loads("x = " + "[" * depth + "1" + "]" * depth, Consortium))


# -- writers --------------------------------------------------------------------------------------
def _writers() -> list[tuple[str, str, Callable[[Path, bool], Any]]]:
    council = examples.toyama()
    alloc = examples.toyama_operations().compliance()
    out: list[tuple[str, str, Callable[[Path, bool], Any]]] = [
        ("save-toml", ".toml", lambda p, ow: io.save(council, p, overwrite=ow)),
        ("save-json", ".json", lambda p, ow: io.save(council, p, overwrite=ow)),
        ("save-csv", ".csv", lambda p, ow: io.save(council, p, overwrite=ow)),
        ("write_csv", ".csv", lambda p, ow: io.write_csv(p, ["a", "b"], [[1, "=x"]], overwrite=ow)),
        ("to_csv", ".csv", lambda p, ow: report.to_csv(alloc, p, overwrite=ow)),
        ("to_html", ".html", lambda p, ow: report.to_html(alloc, p, overwrite=ow)),
        ("to_excel", ".xlsx", lambda p, ow: report.to_excel(alloc, p, overwrite=ow)),
        ("write_member_template", ".xlsx", lambda p, ow: io.write_member_template(p, council=council, overwrite=ow)),
        ("council_report.to_excel", ".xlsx", lambda p, ow: _council_report().to_excel(p, overwrite=ow)),
        ("council_report.to_html", ".html", lambda p, ow: _council_report().to_html(p, overwrite=ow)),
        ("to_html-council_report", ".html", lambda p, ow: report.to_html(_council_report(), p, overwrite=ow)),
    ]
    return out


@functools.cache
def _council_report() -> Any:
    import jichitai_cloud as jc

    council = examples.toyama()
    return report.council_report(council, allocation=jc.allocate(council, 1_390_000_000, jc.AllocationRule()))


FAILURES = ["replace", "link", "fsync", "write", "mkstemp"]


def _break(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    def fail(*_a: Any, **_k: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    if where in ("replace", "link", "fsync"):
        monkeypatch.setattr(os, where, fail)
    elif where == "mkstemp":
        import tempfile

        monkeypatch.setattr(tempfile, "mkstemp", fail)
    else:  # the bytes half written, then the disk is full
        import builtins

        real_open = builtins.open

        class Half:
            def __init__(self, fh: Any) -> None:
                self._fh = fh

            def write(self, data: Any) -> int:
                self._fh.write(data[: len(data) // 2])
                raise OSError(errno.ENOSPC, "No space left on device")

            def __getattr__(self, name: str) -> Any:
                return getattr(self._fh, name)

            def __enter__(self) -> Half:
                return self

            def __exit__(self, *exc: Any) -> None:
                self._fh.close()

        def half_open(file: Any, mode: str = "r", *a: Any, **k: Any) -> Any:
            fh = real_open(file, mode, *a, **k)
            return Half(fh) if "w" in mode and Path(str(file)).name.startswith(".") else fh

        monkeypatch.setattr(builtins, "open", half_open)


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize(("name", "ext", "write"), _writers(), ids=[w[0] for w in _writers()])
def test_a_failing_file_system_leaves_the_old_file_and_no_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, ext: str, write: Callable[[Path, bool], Any],
        failure: str) -> None:
    if ext == ".xlsx":
        pytest.importorskip("openpyxl")
    if failure == "write" and ext == ".xlsx":
        pytest.skip("openpyxl writes through zipfile, not open(); the other failures cover it")
    target = tmp_path / f"out{ext}"
    old = b"the old file\n"
    for overwrite in (True, False):
        target.write_bytes(old)
        if not overwrite:
            target.unlink()  # a new file: nothing may be left behind either
        with monkeypatch.context() as m:
            _break(m, failure)
            try:
                write(target, overwrite)
            except OutputError as exc:
                message = str(exc)
            else:  # a failure on a path the writer does not take (e.g. link when replacing)
                assert failure in ("replace", "link")
                assert target.exists()
                target.unlink()
                continue
        assert str(target) in message
        if overwrite:
            assert target.read_bytes() == old
        else:
            assert not target.exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == ([target.name] if overwrite else [])


@pytest.mark.parametrize(("name", "ext", "write"), _writers(), ids=[w[0] for w in _writers()])
def test_writers_refuse_to_replace_without_being_asked(tmp_path: Path, name: str, ext: str,
                                                       write: Callable[[Path, bool], Any]) -> None:
    if ext == ".xlsx":
        pytest.importorskip("openpyxl")
    target = tmp_path / f"out{ext}"
    target.write_bytes(b"old")
    with pytest.raises(OutputError, match="exists"):
        write(target, False)
    assert target.read_bytes() == b"old"
    write(target, True)
    assert target.read_bytes() != b"old"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


# -- issue 19, item 3: every yen passes one gate ----------------------------------------------------

_HUGE = [np.uint64(2**64 - 1), np.int64(-1), np.uint64(10**15), 10**15, 2**63, 1.0, True, "5"]


def _yen_constructors() -> list[tuple[str, Callable[[Any], Any]]]:
    from jichitai_cloud import AllocationRule, CostItem
    from jichitai_cloud.allocation import AllocationPlan
    from jichitai_cloud.model import MigrationTerms, Municipality

    return [
        ("CostItem.total", lambda x: CostItem("x", total=x, rule=AllocationRule())),
        ("CostItem.shares", lambda x: CostItem("x", shares={"A": x})),
        ("AllocationPlan.total_fee", lambda x: AllocationPlan(total_fee=x)),
        ("AllocationPlan.penalties", lambda x: AllocationPlan(total_fee=1, penalties={"A": x})),
        ("Municipality.current_cost", lambda x: Municipality(code="A", name="A", population=1, current_cost=x)),
        ("Municipality.penalty", lambda x: Municipality(code="A", name="A", population=1, current_cost=1,
                                                        penalty=x)),
        ("MigrationTerms.cloud_monthly", lambda x: MigrationTerms(code="A", current_system_end="2016-03",
                                                                  current_monthly=1, cloud_monthly=x)),
    ]


@pytest.mark.parametrize("value", _HUGE, ids=repr)
def test_every_yen_field_refuses_out_of_range_and_wrapped_values(value: Any) -> None:
    for name, make in _yen_constructors():
        with pytest.raises(ValidationError) as info:
            make(value)
        msg = str(info.value)
        assert "[yen]" in msg, (name, msg)
        assert "-1" not in msg or value == np.int64(-1), (name, msg)  # no wrapped int64 shown


@pytest.mark.parametrize("value", [np.int64(5), np.uint64(5), np.int32(5), np.uint8(5), 5])
def test_every_yen_field_takes_numpy_integers_in_range_as_python_ints(value: Any) -> None:
    from jichitai_cloud import CostItem

    item = CostItem("x", shares={"A": value})
    assert type(item.shares["A"]) is int and item.amount() == 5
    for _name, make in _yen_constructors():
        make(value)  # accepted


def test_uint64_max_is_shown_as_itself_not_wrapped() -> None:
    from jichitai_cloud import CostItem

    with pytest.raises(ValidationError, match="18446744073709551615"):
        CostItem("x", shares={"A": np.uint64(2**64 - 1)})


def test_members_whose_current_costs_would_overflow_int64_are_refused_before_summing() -> None:
    from jichitai_cloud import Consortium, allocate
    from jichitai_cloud.model import Municipality

    members = tuple(Municipality(code=f"M{i}", name=f"M{i}", population=1, current_cost=10**15 - 1)
                    for i in range(4700))
    with pytest.raises(ValidationError, match="add up to"):
        allocate(Consortium(name="c", members=members, period_start="2016-04"), 10**9)


def test_schedule_overflow_guard_counts_horizon_months() -> None:
    from jichitai_cloud.schedule._kernels import timing_costs

    h0 = 12 * 2030  # absolute month numbers near 24,000 do not count
    costs = timing_costs([h0 + 59], [10**14], [10**14], [10**14], np.arange(h0, h0 + 60), horizon=(h0, h0 + 59))
    assert int(costs.max()) == 10**14 * 120
