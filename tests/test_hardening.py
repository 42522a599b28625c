"""Issue 13, items 2-4: the hostile inputs the issue lists, each reproduced, each now refused clearly.

Reading (files named inside files stay in their folder, size, depth and row limits, duplicate JSON
keys, control characters), plausibility and range (yen, populations, percentages, at least one
member, warnings that are not errors) and operations data (unknown members and systems, impossible
values, the monthly headline counting like its lines).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from jichitai_cloud import Consortium, InputError, examples, io
from jichitai_cloud.cli.main import main
from jichitai_cloud.io import _read
from jichitai_cloud.model import Observation, Outage, SLAMetric
from jichitai_cloud.operations import OperationsData

MEMBER = 'code = "A"\nname = "A町"\npopulation = 1000\ncurrent_cost = 100\n'
COUNCIL = f'name = "c"\nperiod_start = "2015-04"\n[[members]]\n{MEMBER}'


# -- an operations bundle in a folder of its own --------------------------------------------------
@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A copy of the bundled operations example in ``tmp_path/ops``; returns its TOML file."""
    folder = tmp_path / "ops"
    folder.mkdir()
    for name in ("toyama_operations.toml", "toyama_operations_observations.csv", "toyama_operations_outages.csv",
                 "toyama_operations_work.csv"):
        shutil.copy(examples.data_path(name), folder / name)
    return folder / "toyama_operations.toml"


def _with_files(toml: Path, files: list[str]) -> Path:
    text = toml.read_text(encoding="utf-8")
    start = text.index("files = [")
    end = text.index("]", start) + 1
    toml.write_text(text[:start] + "files = " + json.dumps(files, ensure_ascii=False) + text[end:], encoding="utf-8")
    return toml


def _append(csv: Path, line: str) -> None:
    with open(csv, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


# -- item 2: reading --------------------------------------------------------------------------------
@pytest.mark.parametrize("entry", ["/etc/hostname", "../outside.csv", "sub/../../outside.csv", "/dev/zero"])
def test_listed_files_stay_in_the_folder_and_are_never_echoed(bundle: Path, entry: str) -> None:
    (bundle.parent.parent / "outside.csv").write_text("SECRET-LINE,start,end\n", encoding="utf-8")
    _with_files(bundle, [entry])
    with pytest.raises(InputError) as info:
        io.load_operations(bundle)
    message = str(info.value)
    assert "files[0]" in message and repr(entry) in message
    assert "SECRET" not in message
    if os.path.exists("/etc/hostname"):
        assert Path("/etc/hostname").read_text(errors="replace").strip() not in message.replace(entry, "")


def test_a_symbolic_link_out_of_the_folder_is_refused(bundle: Path) -> None:
    outside = bundle.parent.parent / "outside.csv"
    outside.write_text("start,end\n", encoding="utf-8")
    (bundle.parent / "link.csv").symlink_to(outside)
    _with_files(bundle, ["link.csv"])
    with pytest.raises(InputError, match=r"files\[0\]: 'link.csv' lies outside this file's folder"):
        io.load_operations(bundle)


def test_a_link_or_subfolder_inside_the_folder_is_fine(bundle: Path) -> None:
    sub = bundle.parent / "tables"
    sub.mkdir()
    shutil.move(bundle.parent / "toyama_operations_work.csv", sub / "work.csv")
    (bundle.parent / "obs.csv").symlink_to(bundle.parent / "toyama_operations_observations.csv")
    _with_files(bundle, ["obs.csv", "toyama_operations_outages.csv", "tables/work.csv"])
    assert io.load_operations(bundle) == examples.toyama_operations()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_devices_fifos_and_folders_are_refused_unread(tmp_path: Path) -> None:
    fifo = tmp_path / "council.toml"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        io.load(fifo)  # would block forever if opened for reading
    folder = tmp_path / "x.csv"
    folder.mkdir()
    with pytest.raises(InputError, match="it is a folder"):
        io.load_members(folder)
    if os.path.exists("/dev/zero"):
        with pytest.raises(InputError, match="not a regular file"):
            _read.read_bytes("/dev/zero")


def test_file_size_limit_is_configurable(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text(COUNCIL, encoding="utf-8")
    assert len(io.load(p).members) == 1
    with pytest.raises(InputError, match=r"larger than the limit of 10 bytes .* max_bytes="):
        io.load(p, max_bytes=10)
    m = tmp_path / "m.csv"
    m.write_text("code,name,population,current_cost\nA,a,1,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="larger than the limit"):
        io.load_members(m, max_bytes=5)
    assert _read.MAX_FILE_BYTES == 100 * 2**20


def test_deep_nesting_is_a_clear_error_never_a_recursion_error(tmp_path: Path) -> None:
    deep_json = "[" * 100_000 + "]" * 100_000
    deep_toml = "x = " + "[" * 100_000 + "]" * 100_000
    for text, fmt in ((deep_json, "json"), (deep_toml, "toml")):
        with pytest.raises(InputError, match="nest"):
            io.loads(text, Consortium, format=fmt)
    mid = "x = " + "[" * 80 + "]" * 80  # parsed fine, refused by the depth walk
    with pytest.raises(InputError, match=f"nest more than {_read.MAX_DEPTH} deep"):
        io.loads(mid, Consortium)
    p = tmp_path / "ops.json"
    p.write_text(deep_json, encoding="utf-8")
    with pytest.raises(InputError, match="nest"):
        io.load_operations(p)


def test_row_limit(tmp_path: Path) -> None:
    text = "code,name,population,current_cost\n" + "".join(f"M{i},m,1,1\n" for i in range(5))
    with pytest.raises(InputError, match="more than 3 rows"):
        io.read_csv(text=text, max_rows=3)
    assert len(io.read_csv(text=text, max_rows=5).rows) == 5


def test_json_duplicate_keys_are_an_error() -> None:
    doc = '{"name": "c", "name": "d", "period_start": "2015-04", "members": []}'
    with pytest.raises(InputError, match="the key 'name' is given twice"):
        io.loads(doc, Consortium, format="json")


@pytest.mark.parametrize("name", ["A\x00町", "\x1b[2J\x1b[31mA町", "A町\u202e", "A\n町"])
def test_names_with_control_characters_are_refused(name: str) -> None:
    with pytest.raises(InputError, match="must not hold control characters"):
        io.loads(COUNCIL.replace('"A町"', json.dumps(name)), Consortium)
    with pytest.raises(InputError, match="must not hold control characters"):
        io.load_members(text=f'code,name,population,current_cost\nA,"{name}",1,1\n')


def test_a_free_text_note_may_hold_tabs_and_line_breaks() -> None:
    o = Observation(metric="m", month="2015-04", value=1.0, note="line 1\n\tline 2")
    assert o.note.count("\n") == 1
    with pytest.raises(ValueError, match="control characters"):
        Observation(metric="m", month="2015-04", value=1.0, note="bell \x07")


# -- item 3: plausibility and range -----------------------------------------------------------------
@pytest.mark.parametrize(("field", "value"), [("population", 2**63), ("population", 130_000_001),
                                              ("current_cost", 10**20), ("current_cost", 10**15),
                                              ("population", -1)])
def test_implausible_numbers_are_refused(field: str, value: int) -> None:
    with pytest.raises(InputError, match=field):
        io.loads(COUNCIL.replace(f"{field} = ", f"{field} = {value}\n# ", 1), Consortium)


def test_the_largest_plausible_numbers_are_accepted() -> None:
    text = COUNCIL.replace("population = 1000", "population = 130000000").replace(
        "current_cost = 100", f"current_cost = {10**15 - 1}")
    (m,) = io.loads(text, Consortium).members
    assert (m.population, m.current_cost) == (130_000_000, 10**15 - 1)


def test_a_header_only_member_list_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no member rows; a council has at least one member"):
        io.load_members(text="code,name,population,current_cost\n")
    p = tmp_path / "m.csv"
    p.write_text("code,name,population,current_cost\n", encoding="utf-8")
    assert main(["validate", str(p)]) == 1


def test_percent_targets_and_time_targets_are_in_range() -> None:
    with pytest.raises(ValueError, match=r"within 0..100 \[%\]"):
        SLAMetric(id="b", name="b", unit="%", target=250.0, kind="backup_completion")
    with pytest.raises(ValueError, match=">= 0"):
        SLAMetric(id="r", name="r", unit="seconds", target=-1.0, kind="response_time", direction="lower")


def test_findings_warn_of_a_late_cloud_start_and_a_member_paying_nothing(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    text = COUNCIL.replace("current_cost = 100", 'current_cost = 0\ncloud_start = "2030-04"')
    council = io.loads(text, Consortium)
    got = {f.where for f in council.findings()}
    assert {"members[0].current_cost", "members[0].cloud_start"} <= got
    p = tmp_path / "c.toml"
    p.write_text(text, encoding="utf-8")
    assert main(["validate", str(p)]) == 0
    assert "注意: members[0].current_cost: " in capsys.readouterr().out
    assert main(["validate", str(p), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "warning: members[0].current_cost: A: current cost is 0 yen" in out
    assert "warning: members[0].cloud_start: A: cloud start 2030-04 is outside the evaluation period" in out


# -- item 4: operations data ------------------------------------------------------------------------
def test_an_outage_naming_an_unknown_member_is_an_error_not_dropped(bundle: Path) -> None:
    _append(bundle.parent / "toyama_operations_outages.csv", "2015-05-19 10:12,2015-05-19 10:47,false,vendor,X,,,typo")
    with pytest.raises(InputError) as info:
        io.load_operations(bundle)
    (problem,) = info.value.problems
    n_rows = len((bundle.parent / "toyama_operations_outages.csv").read_text(encoding="utf-8").splitlines())
    assert problem.where.endswith(f"toyama_operations_outages.csv: row {n_rows}")
    assert "member 'X' is not one of the members monitored" in problem.message


def test_unknown_systems_and_impossible_values_list_every_row(bundle: Path) -> None:
    text = bundle.read_text(encoding="utf-8").replace('members = ["A", "B", "C", "D", "E", "F"]',
                                                      'members = ["A", "B", "C", "D", "E", "F"]\nsystems = ["住民税"]', 1)
    bundle.write_text(text, encoding="utf-8")
    obs = bundle.parent / "toyama_operations_observations.csv"
    obs.write_text("metric,month,member,system,value,note\nresponse,2015-04,C,,-2.4,\n"
                   "backup,2015-04,,,250,\nresponse,2015-05,C,税務,2.0,\n", encoding="utf-8")
    out = bundle.parent / "toyama_operations_outages.csv"
    out.write_text("start,end,member,system\n2015-04-11 08:00,2015-04-11 09:00,,住基情報\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        io.load_operations(bundle)
    got = [(p.where.rsplit(os.sep, 1)[-1], p.message.split(":")[0] if ":" in p.message else p.message)
           for p in info.value.problems]
    wheres = [w for w, _ in got]
    assert wheres == ["toyama_operations_observations.csv: row 2", "toyama_operations_observations.csv: row 3",
                      "toyama_operations_observations.csv: row 4", "toyama_operations_outages.csv: row 2"]
    text_ = str(info.value)
    assert "value -2.4 must be >= 0" in text_ and "value 250 must be within 0..100 [%]" in text_
    assert "system '税務' is not one of the systems monitored" in text_
    assert "system '住基情報' is not one of the systems monitored" in text_


def test_operations_data_built_in_code_refuses_the_same() -> None:
    ops = examples.toyama_operations()
    with pytest.raises(ValueError, match=r"outages\[0\]: member 'X'"):
        OperationsData(council="c", start="2015-04", months=12, members=("A",),
                       outages=(Outage(start="2015-04-01 09:00", end="2015-04-01 10:00", member="X"),))
    with pytest.raises(ValueError, match=r"observations\[0\]: .*must be within 0..100"):
        OperationsData(council="c", start="2015-04", months=12, metrics=ops.metrics,
                       observations=(Observation(metric="backup", month="2015-04", value=250.0),))


def test_monthly_headline_counts_the_lines_the_way_the_table_judges_them() -> None:
    ops = examples.toyama_operations()
    for month in ("2015-05", "2015-10", "2016-03"):
        report = ops.monthly_report(month)
        window_results = [r.window_met for r in report.slm]
        assert report.items_measured == sum(w is not None for w in window_results)
        assert report.items_met == sum(w is True for w in window_results)
        text = report.to_markdown()
        slm = text.split("## 2 サービスレベルモニタリング状況")[1].split("## 3 翌月以降")[0]
        slm = [line for line in slm.splitlines() if line.startswith("|")]
        col = [c.strip() for c in slm[0].split("|")].index("期間判定 (window_met)")
        shown = [[c.strip() for c in line.split("|")][col] for line in slm[2:]]
        assert f"SLM: {sum('○' in s for s in shown)} / {sum(('○' in s) or ('×' in s) for s in shown)} 達成" in text
    october = ops.monthly_report("2015-10")  # the case: "SLM: 20 / 20 達成" above six × 未達 lines
    assert sum(r.window_met is False for r in october.slm) == 6
    assert (october.items_met, october.items_measured) == (14, 20)
    assert "SLM: 14 / 20 達成" in october.to_text()
    march = ops.monthly_report("2016-03")
    assert (march.items_met, march.items_measured) == (18, 20)  # was "20 / 20" above two × lines


# -- the loaders that landed beside the bounded reader: the same limits and messages ---------------
def _member_files(tmp_path: Path) -> dict[str, Path]:
    """The toyama council as a member CSV, a member workbook, a council TOML and a schedule TOML."""
    council = examples.toyama()
    files = {"csv": tmp_path / "m.csv", "toml": tmp_path / "c.toml", "schedule": tmp_path / "s.toml"}
    io.save_members(council.members, files["csv"])
    io.save(council, files["toml"])
    shutil.copy(examples.data_path("toyama_schedule.toml"), files["schedule"])
    if _has_openpyxl():
        files["xlsx"] = tmp_path / "m.xlsx"
        io.write_member_template(files["xlsx"], council=council)
    return files


def _has_openpyxl() -> bool:
    import importlib.util

    return importlib.util.find_spec("openpyxl") is not None


_NEW_LOADERS = {
    "load_schedule": ("schedule", lambda p, **k: io.load_schedule(p, **k)),
    "load_schedules": ("schedule", lambda p, **k: io.load_schedules(p, **k)),
    "load_council-csv": ("csv", lambda p, **k: io.load_council(p, **k)),
    "load_council-toml": ("toml", lambda p, **k: io.load_council(p, **k)),
    "load_council-xlsx": ("xlsx", lambda p, **k: io.load_council(p, **k)),
    "read_member_list-csv": ("csv", lambda p, **k: io.read_member_list(p, **k)),
    "read_member_list-xlsx": ("xlsx", lambda p, **k: io.read_member_list(p, **k)),
    "read_member_workbook": ("xlsx", lambda p, **k: io.read_member_workbook(p, **k)),
}


@pytest.mark.parametrize("name", _NEW_LOADERS)
def test_every_new_loader_keeps_the_size_limit_and_refuses_what_is_not_a_file(name: str, tmp_path: Path) -> None:
    kind, load = _NEW_LOADERS[name]
    if kind == "xlsx" and not _has_openpyxl():
        pytest.skip("needs openpyxl")
    path = _member_files(tmp_path)[kind]
    assert load(path) is not None
    with pytest.raises(InputError, match=r"larger than the limit of 100 bytes .* max_bytes=") as info:
        load(path, max_bytes=100)
    assert str(path) in str(info.value)
    folder = tmp_path / f"folder{path.suffix}"
    folder.mkdir()
    with pytest.raises(InputError, match="it is a folder, not a file"):
        load(folder)
    with pytest.raises(InputError, match="cannot read file: No such file"):
        load(tmp_path / f"missing{path.suffix}")
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / f"fifo{path.suffix}"
        os.mkfifo(fifo)  # reading it would block: refused before a byte is read
        with pytest.raises(InputError, match="not a regular file"):
            load(fifo)


@pytest.mark.parametrize("name", ["load_schedule", "load_schedules"])
def test_schedule_files_keep_the_depth_limit_and_refuse_duplicate_json_keys(name: str, tmp_path: Path) -> None:
    load = _NEW_LOADERS[name][1]
    deep = tmp_path / "deep.json"
    deep.write_text('{"name": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    with pytest.raises(InputError, match="nest"):
        load(deep)
    twice = tmp_path / "twice.json"
    twice.write_text('{"name": "a", "name": "b"}', encoding="utf-8")
    with pytest.raises(InputError, match="'name' is given twice"):
        load(twice)


def test_the_xlsx_reader_reads_through_the_bounded_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl never opens the path itself: it gets the bytes read_bytes returned."""
    openpyxl = pytest.importorskip("openpyxl")
    path = _member_files(tmp_path)["xlsx"]
    opened: list[object] = []
    real = openpyxl.load_workbook

    def spy(source: object, *a: object, **k: object) -> object:
        opened.append(source)
        return real(source, *a, **k)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    members, _ = io.read_member_workbook(path)
    assert len(members) == len(examples.toyama().members)
    (source,) = opened
    assert not isinstance(source, str | os.PathLike)
    for garbage in (b"", b"PK\x03\x04 not a zip", b"\x00" * 100, "団体コード,市町村名\n".encode()):
        path.write_bytes(garbage)
        with pytest.raises(InputError, match="not an Excel workbook"):
            io.read_member_workbook(path)


# -- files written: the permissions a plain open() gives, or the replaced file's ----------------------
@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_a_new_file_gets_the_mode_open_would_give(umask: int, tmp_path: Path) -> None:
    from jichitai_cloud.io._write import write_atomic

    old = os.umask(umask)
    try:
        plain = tmp_path / "plain.txt"
        with open(plain, "w") as fh:
            fh.write("x")
        written = write_atomic(tmp_path / "atomic.txt", b"x")
        io.save(examples.toyama(), tmp_path / "c.toml")
        if _has_openpyxl():
            io.write_member_template(tmp_path / "t.xlsx")
    finally:
        os.umask(old)
    expected = 0o666 & ~umask
    assert (plain.stat().st_mode & 0o777) == expected
    for p in tmp_path.iterdir():
        assert (p.stat().st_mode & 0o777) == expected, p.name
    assert written.read_bytes() == b"x"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664, 0o600, 0o444])
def test_replacing_a_file_keeps_its_mode(mode: int, tmp_path: Path) -> None:
    from jichitai_cloud import report
    from jichitai_cloud.io._write import write_atomic

    targets = {"a.txt": lambda p: write_atomic(p, b"new", overwrite=True),
               "c.json": lambda p: io.save(examples.toyama(), p, overwrite=True),
               "r.html": lambda p: report.to_html(examples.toyama_operations().compliance(), p, overwrite=True)}
    if _has_openpyxl():
        targets["t.xlsx"] = lambda p: io.write_member_template(p, overwrite=True)
    for name, write in targets.items():
        target = tmp_path / name
        target.write_bytes(b"old")
        target.chmod(mode)
        write(target)
        assert target.read_bytes() != b"old"
        assert (target.stat().st_mode & 0o7777) == mode, name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(targets)


# -- work records are checked against the definitions like outages and observations ----------------
def test_work_rows_naming_an_unknown_member_or_system_are_errors_listing_the_rows(bundle: Path) -> None:
    work = bundle.parent / "toyama_operations_work.csv"
    work.write_text("month,category,count,member,system,note\n2015-04,問合せ対応,3,A,,\n2015-04,問合せ対応,4,X,,\n"
                    "2015-05,障害対応,1,,住基情報,\n2015-05,障害対応,1,Y,,\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        io.load_operations(bundle)
    got = [(p.where.rsplit(os.sep, 1)[-1], p.message) for p in info.value.problems]
    assert [w for w, _ in got] == ["toyama_operations_work.csv: row 3", "toyama_operations_work.csv: row 5"]
    assert "member 'X' is not one of the members monitored" in got[0][1]
    assert "member 'Y' is not one of the members monitored" in got[1][1]
    text = bundle.read_text(encoding="utf-8").replace('members = ["A", "B", "C", "D", "E", "F"]',
                                                      'members = ["A", "B", "C", "D", "E", "F"]\nsystems = ["住民税"]', 1)
    bundle.write_text(text, encoding="utf-8")
    (bundle.parent / "toyama_operations_observations.csv").write_text("metric,month,value\n", encoding="utf-8")
    (bundle.parent / "toyama_operations_outages.csv").write_text("start,end\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        io.load_operations(bundle)
    assert [p.where.rsplit(os.sep, 1)[-1] for p in info.value.problems] == [
        "toyama_operations_work.csv: row 3", "toyama_operations_work.csv: row 4", "toyama_operations_work.csv: row 5"]
    assert "system '住基情報' is not one of the systems monitored" in str(info.value)


def test_work_records_built_in_code_are_checked_too() -> None:
    from jichitai_cloud.model import WorkRecord

    with pytest.raises(ValueError, match=r"work\[1\]: member 'X'"):
        OperationsData(council="c", start="2015-04", months=12, members=("A",),
                       work=(WorkRecord(month="2015-04", category="inquiry", count=1, member="A"),
                             WorkRecord(month="2015-04", category="inquiry", count=1, member="X")))
    ok = OperationsData(council="c", start="2015-04", months=12, members=("A",),
                        work=(WorkRecord(month="2015-04", category="inquiry", count=1),))
    assert len(ok.work) == 1
