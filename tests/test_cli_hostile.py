"""The command line under hostile arguments and a failing file system (issue 13, items 1, 5 and 6).

Every subcommand is run through ``main([...])``: bad numbers are usage errors (exit 2), work above
the documented limits is refused up front (exit 1) unless ``--no-limit``, unwritable outputs end in
exit 1; always one line on standard error, never a traceback, and never a file replaced without
``--force`` or left half-written.  The first tests reproduce the failures the issue found on main.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from jichitai_cloud import cli, examples
from jichitai_cloud.allocation import ratio_sweep
from jichitai_cloud.cli import _common
from jichitai_cloud.cli import allocate as cli_allocate
from jichitai_cloud.errors import OutputError, ValidationError
from jichitai_cloud.evaluation import evaluate

_DATA = examples.data_path("toyama.toml").parent

COMMANDS: dict[str, list[str]] = {
    "example": ["example", "toyama"],
    "members": ["members", "--example", "toyama"],
    "allocate": ["allocate", "--example", "toyama"],
    "fairness": ["fairness", "--example", "toyama"],
    "evaluate": ["evaluate", "--example", "toyama", "--samples", "200"],
    "customization": ["customization", "--example", "toyama"],
    "monthly": ["monthly", "--month", "H27.10", "--example", "toyama"],
    "schedule": ["schedule", "--example", "toyama"],
    "report": ["report", "--example", "toyama"],
    "template": ["template", "--example", "toyama"],
    "renewal": ["renewal", "--example", "toyama"],
    "select": ["select", "--example", "toyama"],
    "bill": ["bill", str(_DATA / "toyama.toml"), str(_DATA / "toyama_billing_focus_illustrative.csv"),
             "--rules", str(_DATA / "toyama_billing_rules.toml")],
    "migration": ["migration", str(_DATA / "toyama_migration" / "受給者.csv"),
                  str(_DATA / "toyama_migration" / "B_受給者.csv"), "--member", "B"],
}
"""A working invocation of every subcommand that prints or writes a result."""

NOT_RESULTS = {"validate"}
"""Subcommands that print a verdict, not a result (no ``--output``)."""


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # usage errors found while reading the arguments
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


# -- the failures the issue found on main ---------------------------------------------------------------


def test_issue_seed_minus_one_was_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["evaluate", "--example", "toyama", "--seed", "-1"], capsys)
    assert code == 2 and "--seed" in one_line(err) and "from 0" in err


def test_issue_unit_10_20_was_an_overflow(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["allocate", "--example", "toyama", "--unit", str(10**20)], capsys)
    assert code == 2 and "--unit" in one_line(err) and "[yen]" in err


def test_issue_sweep_10_7_ran_for_minutes(capsys: pytest.CaptureFixture[str]) -> None:
    start = time.monotonic()
    code, _, err = run(["allocate", "--example", "toyama", "--sweep", str(10**7)], capsys)
    line = one_line(err)
    assert code == 1 and "above the limit of 10,000" in line and "GB of memory" in line and "--no-limit" in line
    assert time.monotonic() - start < 60  # refused up front (a loose bound, not a benchmark)


def test_issue_samples_10_9_ran_for_minutes(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["evaluate", "--example", "toyama", "--samples", str(10**9)], capsys)
    line = one_line(err)
    assert code == 1 and "above the limit of 1,000,000" in line and "MB of memory" in line and "--no-limit" in line


def test_issue_output_to_missing_folder_was_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([*COMMANDS["allocate"], "--output", str(tmp_path / "no" / "x.csv")], capsys)
    assert code == 1 and "does not exist" in one_line(err)


def test_issue_existing_file_was_overwritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "monthly.xlsx"
    target.write_bytes(b"old")
    code, _, err = run([*COMMANDS["monthly"], "--xlsx", str(target)], capsys)
    assert code == 1 and "exists" in one_line(err) and "--force" in err
    assert target.read_bytes() == b"old"


def test_issue_failed_write_destroyed_the_old_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.json"
    target.write_bytes(b"old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    code, _, err = run([*COMMANDS["allocate"], "--output", str(target), "--force"], capsys)
    assert code == 1 and "No space left on device" in one_line(err) and "unchanged" in err
    assert listing(tmp_path) == {"a.json": b"old"}


# -- writing: every subcommand, every format ----------------------------------------------------------------


def test_every_result_subcommand_takes_output_and_force() -> None:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sub.choices is not None
    for name, p in sub.choices.items():
        if name in NOT_RESULTS:
            continue
        options = {o for a in p._actions for o in a.option_strings}
        assert {"--output", "--force", "--format"} <= options, name
        assert p.get_default("output_formats"), name


def test_every_result_subcommand_is_run_by_the_hostile_tests() -> None:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sub.choices is not None
    assert set(sub.choices) - NOT_RESULTS == set(COMMANDS)


def _formats(command: str) -> tuple[str, ...]:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sub.choices is not None
    formats: tuple[str, ...] = sub.choices[command].get_default("output_formats")
    return formats


_EXT = {"table": ".txt", "json": ".json", "csv": ".csv", "markdown": ".md", "html": ".html", "xlsx": ".xlsx"}


def _a_format(command: str) -> str:
    """A format the command writes: JSON where it can, else its last (html for report, xlsx for template)."""
    formats = _formats(command)
    return "json" if "json" in formats else formats[-1]


def _check_written(fmt: str, data: bytes) -> None:
    """``data`` is a whole file of ``fmt``."""
    if fmt == "json":
        json.loads(data)
    elif fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf")  # for Excel
    elif fmt == "xlsx":
        import zipfile
        from io import BytesIO

        assert data.startswith(b"PK") and zipfile.ZipFile(BytesIO(data)).testzip() is None
    elif fmt == "html":
        assert b"<html" in data and data.rstrip().endswith(b"</html>")


@pytest.mark.parametrize("command", COMMANDS)
def test_output_by_extension_in_every_format(command: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in _formats(command):
        target = tmp_path / f"out{_EXT[fmt]}"
        code, out, err = run([*COMMANDS[command], "--output", str(target)], capsys)
        assert code == 0, (fmt, err)
        # report and template say more on the same line (the sheets written, what to fill in)
        assert out.startswith(f"wrote {target}") and out.count("\n") == 1 and target.stat().st_size > 0
        data = target.read_bytes()
        _check_written(fmt, data)
        # the printed form and the written form agree for text
        if fmt in ("table", "json", "markdown"):
            code, printed, _ = run([*COMMANDS[command], "--format", fmt], capsys)
            assert code == 0 and printed.encode("utf-8") == data
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"out{_EXT[f]}" for f in _formats(command))


@pytest.mark.parametrize("command", COMMANDS)
def test_format_overrides_extension(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "result.dat"
    fmt = _a_format(command)
    code, _, err = run([*COMMANDS[command], "--output", str(target), "--format", fmt], capsys)
    assert code == 0, err
    _check_written(fmt, target.read_bytes())
    code, _, err = run([*COMMANDS[command], "--output", str(tmp_path / "x.pdf")], capsys)
    assert code == 2 and "cannot tell the format" in one_line(err)
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_existing_file_needs_force(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fmt = _a_format(command)
    target = tmp_path / f"out{_EXT[fmt]}"
    target.write_bytes(b"old")
    code, _, err = run([*COMMANDS[command], "--output", str(target)], capsys)
    assert code == 1 and "exists" in one_line(err) and target.read_bytes() == b"old"
    code, _, err = run([*COMMANDS[command], "--output", str(target), "--force"], capsys)
    assert code == 0 and target.read_bytes() != b"old"
    _check_written(fmt, target.read_bytes())
    assert listing(tmp_path).keys() == {target.name}


@pytest.mark.parametrize("command", COMMANDS)
def test_targets_that_are_not_regular_files(command: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    fmt = _a_format(command)
    ext = _EXT[fmt]
    folder = tmp_path / f"folder{ext}"
    folder.mkdir()
    code, _, err = run([*COMMANDS[command], "--output", str(folder), "--force"], capsys)
    assert code == 1 and "folder" in one_line(err) and folder.is_dir()
    fifo = tmp_path / f"fifo{ext}"
    os.mkfifo(fifo)  # opening it would block: it must be refused before
    code, _, err = run([*COMMANDS[command], "--output", str(fifo), "--force"], capsys)
    assert code == 1 and "not a regular file" in one_line(err) and stat.S_ISFIFO(os.stat(fifo).st_mode)
    code, _, err = run([*COMMANDS[command], "--output", os.devnull,
                        "--format", fmt, "--force"], capsys)
    assert code == 1 and "not a regular file" in one_line(err)
    code, _, err = run([*COMMANDS[command], "--output", str(tmp_path / "missing" / f"x{ext}")], capsys)
    assert code == 1 and "does not exist" in one_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fifo.name, folder.name])


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("failure", ["fsync", "rename", "mkstemp"])
def test_failing_file_system_keeps_the_old_file(command: str, failure: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    fmt = "xlsx" if "xlsx" in _formats(command) else "csv"
    target = tmp_path / f"out.{fmt}"
    target.write_bytes(b"old")

    def boom(*a: Any, **k: Any) -> Any:
        raise OSError(errno.EIO if failure != "mkstemp" else errno.EACCES,
                      os.strerror(errno.EIO if failure != "mkstemp" else errno.EACCES))

    if failure == "fsync":
        monkeypatch.setattr(os, "fsync", boom)
    elif failure == "rename":
        monkeypatch.setattr(os, "replace", boom)
    else:
        monkeypatch.setattr(tempfile, "mkstemp", boom)
    code, _, err = run([*COMMANDS[command], "--output", str(target), "--force"], capsys)
    line = one_line(err)
    assert code == 1 and str(target) in line
    assert listing(tmp_path) == {target.name: b"old"}  # the old file as it was, no temporary file


def test_write_failing_part_way_leaves_no_half_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from jichitai_cloud.io import _write

    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    real_open = open

    class Half:
        def __init__(self, fh: Any) -> None:
            self.fh = fh

        def __enter__(self) -> Half:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def write(self, data: bytes) -> int:
            self.fh.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def half_open(path: Any, mode: str = "r", *a: Any, **k: Any) -> Any:
        fh = real_open(path, mode, *a, **k)
        return Half(fh) if mode == "wb" else fh

    monkeypatch.setattr(_write, "open", half_open, raising=False)
    code, _, err = run([*COMMANDS["allocate"], "--output", str(target), "--force"], capsys)
    assert code == 1 and "No space left" in one_line(err)
    assert listing(tmp_path) == {"out.txt": b"old"}


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root writes anywhere")
def test_read_only_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, _, err = run([*COMMANDS["allocate"], "--output", str(folder / "x.csv")], capsys)
        assert code == 1 and "ermission" in one_line(err)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_alias_flags_also_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "ev.xlsx"
    code, out, err = run([*COMMANDS["evaluate"], "--excel", str(sheet)], capsys)
    assert code == 0 and sheet.read_bytes().startswith(b"PK") and err == f"wrote {sheet}\n"
    assert "1位" in out or "rank" in out.lower()
    code, _, err = run([*COMMANDS["evaluate"], "--excel", str(sheet)], capsys)
    assert code == 1 and "exists" in one_line(err)
    code, _, err = run([*COMMANDS["evaluate"], "--excel", str(sheet), "--output", str(sheet)], capsys)
    assert code == 2 and "twice" in one_line(err)


def test_xlsx_needs_an_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([*COMMANDS["allocate"], "--format", "xlsx"], capsys)
    assert code == 2 and "needs --output" in one_line(err) and out == ""


# -- arguments --------------------------------------------------------------------------------------------

HOSTILE: list[tuple[list[str], int, str]] = [
    (["evaluate", "--example", "toyama", "--seed", str(2**64)], 2, "--seed"),
    (["evaluate", "--example", "toyama", "--seed", "abc"], 2, "--seed"),
    (["evaluate", "--example", "toyama", "--seed", "1.5"], 2, "--seed"),
    (["evaluate", "--example", "toyama", "--samples", "-5"], 2, "--samples"),
    (["evaluate", "--example", "toyama", "--samples", str(10**30)], 2, "--samples"),
    (["evaluate", "--example", "toyama", "--samples", "9" * 5000], 2, "--samples"),
    (["evaluate", "--example", "toyama", "--concentration", "nan"], 2, "--concentration"),
    (["evaluate", "--example", "toyama", "--concentration", "-1"], 2, "--concentration"),
    (["evaluate", "--example", "toyama", "--concentration", "inf"], 2, "--concentration"),
    (["evaluate", "--example", "nowhere"], 1, "nowhere"),
    (["allocate", "--example", "toyama", "--unit", "0"], 2, "--unit"),
    (["allocate", "--example", "toyama", "--unit", "-5"], 2, "--unit"),
    (["allocate", "--example", "toyama", "--total", str(10**20)], 2, "--total"),
    (["allocate", "--example", "toyama", "--total", "-1"], 2, "--total"),
    (["allocate", "--example", "toyama", "--total", "1e9"], 2, "--total"),
    (["allocate", "--example", "toyama", "--sweep", "0"], 2, "--sweep"),
    (["allocate", "--example", "toyama", "--sweep", "-3"], 2, "--sweep"),
    (["allocate", "--example", "toyama", "--sweep", str(10**13)], 2, "--sweep"),
    (["allocate", "--example", "toyama", "--min-reduction", "2"], 2, "--min-reduction"),
    (["allocate", "--example", "toyama", "--ratio", "nonsense"], 1, "--ratio"),
    (["allocate", "--example", "toyama", "--bogus"], 2, "--bogus"),
    (["monthly", "--month", "H27.10", "--example", "toyama", "--history", "-1"], 2, "--history"),
    (["monthly", "--month", "H27.10", "--example", "toyama", "--history", str(10**8)], 2, "--history"),
    (["monthly", "--month", "nonsense", "--example", "toyama"], 1, "nonsense"),
    (["customization", "--example", "toyama", "--show", "everything"], 1, "--show"),
    (["fairness", "--example", "toyama", "--ratio", "x:y"], 1, "x:y"),
    (["members", "--example", "toyama", "--format", "pdf"], 2, "--format"),
    (["example", "nowhere"], 2, "nowhere"),
    (["renewal", "--example", "toyama", "--samples", "-5"], 2, "--samples"),
    (["renewal", "--example", "toyama", "--samples", str(10**30)], 2, "--samples"),
    (["renewal", "--example", "toyama", "--seed", "abc"], 2, "--seed"),
    (["renewal", "--example", "toyama", "--horizon", "0"], 2, "--horizon"),
    (["renewal", "--example", "toyama", "--horizon", "5000"], 2, "--horizon"),
    (["renewal", "--example", "toyama", "--discount-rate", "nan"], 2, "--discount-rate"),
    (["renewal", "--example", "toyama", "--discount-rate", "-2"], 2, "--discount-rate"),
    (["renewal", "--example", "nowhere"], 1, "nowhere"),
    (["renewal", "--example", "toyama", "--options", "/nonexistent/options.toml"], 1, "options.toml"),
    (["nonsense"], 2, "nonsense"),
]


@pytest.mark.parametrize(("argv", "code", "named"), HOSTILE, ids=[" ".join(a[0][:1] + a[0][-2:])[:40]
                                                                      for a in HOSTILE])
def test_hostile_arguments(argv: list[str], code: int, named: str, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    got, out, err = run([*argv, "--output", str(target), "--force"] if code == 1 else argv, capsys)
    assert got == code and named in one_line(err) and out == ""
    assert target.read_bytes() == b"old" and listing(tmp_path).keys() == {"out.json"}


def test_no_limit_lifts_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([*COMMANDS["allocate"], "--sweep", "10001"], capsys)
    assert code == 1 and "above the limit" in one_line(err)
    code, _, err = run([*COMMANDS["allocate"], "--sweep", "10001", "--no-limit", "-o", str(tmp_path / "s.csv")],
                       capsys)
    assert code == 0 and err == ""
    assert len((tmp_path / "s.csv").read_text(encoding="utf-8-sig").splitlines()) == 10003


def test_progress_on_request(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def slow(*a: Any, **k: Any) -> Any:
        time.sleep(0.3)
        return ratio_sweep(*a, **k)

    monkeypatch.setattr(cli_allocate, "ratio_sweep", slow)
    monkeypatch.setattr(_common, "_PROGRESS_AFTER", 0.0)
    code, _, err = run([*COMMANDS["allocate"], "--sweep", "10", "--progress", "--format", "csv"], capsys)
    assert code == 0 and "allocate --sweep 10:" in err and err.rstrip().endswith("done")
    code, _, err = run([*COMMANDS["allocate"], "--sweep", "10", "--format", "csv"], capsys)
    assert code == 0 and err == ""  # not a terminal, not asked for


def test_library_limits() -> None:
    council = examples.toyama()
    with pytest.raises(ValidationError, match=r"steps 10,000,000 is above the limit of 10,000 .* limit=False"):
        ratio_sweep(council, 1_000_000, steps=10**7)
    assert len(ratio_sweep(council, 1_000_000, steps=10_001, limit=False).ratios) == 10_002
    result = evaluate(examples.toyama_evaluation())
    with pytest.raises(ValidationError, match=r"samples 1,000,000,000 is above the limit of 1,000,000"):
        result.robustness(samples=10**9)
    with pytest.raises(ValidationError, match="seed must be an integer from 0"):
        result.robustness(samples=10, seed=-1)


# -- one line, exit status, --debug ----------------------------------------------------------------------


def test_debug_shows_the_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "no" / "x.csv")
    with pytest.raises(OutputError):
        cli.main(["--debug", *COMMANDS["allocate"], "--output", missing])
    with pytest.raises(OutputError):
        cli.main([*COMMANDS["allocate"], "--output", missing, "--debug"])
    assert cli.main([*COMMANDS["allocate"], "--output", missing]) == 1


@pytest.mark.parametrize(("exc", "code", "text"), [
    (KeyboardInterrupt(), 130, "interrupted"),
    (MemoryError(), 1, "out of memory"),
    (RecursionError("maximum recursion depth exceeded"), 1, "nested too deeply"),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), 1, "cannot decode text as utf-8"),
    (FileNotFoundError(errno.ENOENT, "No such file or directory", "council.toml"), 1,
     "council.toml: No such file or directory"),
    (ValueError("a stray error"), 1, "--debug"),
    (OverflowError("Python int too large to convert to C long"), 1, "--debug"),
])
def test_errors_become_one_line(exc: BaseException, code: int, text: str, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    def fail(*a: Any, **k: Any) -> Any:
        raise exc

    monkeypatch.setattr(cli_allocate, "allocate", fail)
    got, out, err = run(COMMANDS["allocate"], capsys)
    assert got == code and text in one_line(err) and out == ""
    with pytest.raises(type(exc)):
        cli.main(["--debug", *COMMANDS["allocate"]])


def test_bad_input_files_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    code, _, err = run(["allocate", str(deep), "--total", "100"], capsys)
    assert code == 1 and one_line(err)
    code, _, err = run(["allocate", str(tmp_path / "missing.toml"), "--total", "100"], capsys)
    assert code == 1 and "missing.toml" in one_line(err)
    council = tmp_path / "c.toml"
    text = examples.data_path("toyama.toml").read_text(encoding="utf-8")
    council.write_text(re.sub(r"population = \d+", "population = -5", text, count=1), encoding="utf-8")
    code, _, err = run(["allocate", str(council), "--total", "100"], capsys)
    assert code == 1 and "population" in one_line(err) and "c.toml" in err


_BAD_FILES: dict[str, bytes | None] = {
    "garbage.toml": b"name = = \x00\n[[",
    "twice.json": b'{"name": "a", "name": "b"}',
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "cp.toml": b"name = \"\x82\xa0\x82\n",
    "random.xlsx": bytes(range(256)) * 4,
    "zip.xlsx": b"PK\x03\x04" + b"\x00" * 200,
    "header.csv": "団体コード,市町村名,人口,現行経費\n".encode(),
    "hostile.csv": "code,name,population,current_cost\nA,\x1b[2J町,-5,10000000000000000000\n".encode(),
    "folder.toml": None,  # a folder
    "missing.json": b"",  # not created
    "fifo.csv": b"",  # a FIFO: reading it would block
}


def _bad_file(folder: Path, name: str) -> Path:
    path = folder / name
    if name.startswith("folder"):
        path.mkdir()
    elif name.startswith("fifo"):
        os.mkfifo(path)
    elif not name.startswith("missing"):
        data = _BAD_FILES[name]
        assert data is not None
        path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", _BAD_FILES)
@pytest.mark.parametrize("argv", [["schedule", "{}"], ["report", "{}"], ["report", "--example", "toyama",
                                                                          "--procurement", "{}"],
                                  ["renewal", "--example", "toyama", "--options", "{}"]],
                         ids=["schedule", "report", "report-procurement", "renewal-options"])
def test_new_subcommands_with_a_bad_file_say_one_line_and_replace_nothing(
        argv: list[str], name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    bad = _bad_file(inputs, name)
    out = tmp_path / "out"
    out.mkdir()
    fmt = _a_format(argv[0])
    target = out / f"result{_EXT[fmt]}"
    target.write_bytes(b"old")
    code, stdout, err = run([*(a.format(bad) for a in argv), "--output", str(target), "--force"], capsys)
    assert "Traceback" not in err
    first, *problems = err.strip().splitlines()  # one line, or the file's line and one per problem
    assert code == 1 and bad.name in first and stdout == ""
    assert all(p.startswith("  - ") for p in problems) and (not problems or "problems found" in first)
    assert listing(out) == {target.name: b"old"}  # not replaced, no temporary file


@pytest.mark.parametrize("command", ["schedule", "report", "template"])
@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root writes anywhere")
def test_new_subcommands_into_a_read_only_folder(command: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "old.xlsx").write_bytes(b"old")
    folder.chmod(0o555)
    try:
        for target in (folder / f"new{_EXT[_a_format(command)]}", folder / "old.xlsx"):
            fmt = ["--format", "xlsx"] if target.suffix == ".xlsx" and "xlsx" in _formats(command) else []
            if target.name == "old.xlsx" and not fmt:
                continue
            code, _, err = run([*COMMANDS[command], "--output", str(target), "--force", *fmt], capsys)
            assert code == 1 and "ermission" in one_line(err)
        assert listing(folder) == {"old.xlsx": b"old"}
    finally:
        folder.chmod(0o755)


# -- the library's writers: never over a file unless asked, never half a file ---------------------------


def _writers(tmp_path: Path) -> dict[str, Any]:
    import jichitai_cloud as jc
    from jichitai_cloud import io, report
    from jichitai_cloud.report.workbook import write_xlsx

    council = examples.toyama()
    result = jc.allocate(council, 1_390_000_000, jc.AllocationRule())
    return {
        "c.toml": lambda p, **k: io.save(council, p, **k),
        "c.json": lambda p, **k: io.save(council, p, **k),
        "m.csv": lambda p, **k: io.save_members(council.members, p, **k),
        "t.csv": lambda p, **k: io.write_csv(p, ["a"], [[1]], **k),
        "r.xlsx": lambda p, **k: report.to_excel(result, p, **k),
        "r.csv": lambda p, **k: report.to_csv(result, p, **k),
        "r.html": lambda p, **k: report.to_html(result, p, **k),
        "w.xlsx": lambda p, **k: write_xlsx(p, {"a:b/c": (("x",), [[1]]), "a:b?c": (("y",), [[2]])}, **k),
    }


@pytest.mark.parametrize("name", ["c.toml", "c.json", "m.csv", "t.csv", "r.xlsx", "r.csv", "r.html", "w.xlsx"])
def test_library_writers(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write = _writers(tmp_path)[name]
    target = tmp_path / name
    target.write_bytes(b"old")
    with pytest.raises(OutputError, match="exists"):
        write(target)
    assert target.read_bytes() == b"old"

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as m:
        m.setattr(os, "fsync", full)
        with pytest.raises(OutputError, match="No space left"):
            write(target, overwrite=True)
    assert listing(tmp_path) == {name: b"old"}
    write(target, overwrite=True)
    assert target.read_bytes() != b"old" and listing(tmp_path).keys() == {name}
    folder = tmp_path / f"folder{target.suffix}"
    folder.mkdir()
    with pytest.raises(OutputError, match="folder"):
        write(folder, overwrite=True)


def test_a_subcommand_that_ignores_output_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    def prints(args: Any) -> int:
        sys.stdout.write("result\n")
        return 0

    main_module = sys.modules["jichitai_cloud.cli.main"]
    parser_func = main_module.build_parser  # the handler is bound when the parser is built

    def build() -> Any:
        parser = parser_func()
        sub = next(a for a in parser._actions if a.dest == "command")
        assert sub.choices is not None
        sub.choices["allocate"].set_defaults(func=prints)
        return parser

    monkeypatch.setattr(main_module, "build_parser", build)
    code, _, err = run([*COMMANDS["allocate"], "--output", str(tmp_path / "x.txt")], capsys)
    assert code == 2 and "not written" in one_line(err)


# -- issue 19: spreadsheets as they really are, duplicates, located messages ------------------------------

_HEAD = ["団体コード (code)", "市町村名 (name)", "人口 (population)", "現行経費 (current_cost)"]


def _member_book(path: Path, sheets: list[tuple[str, str, list[list[Any]]]]) -> Path:
    """A workbook of ``(name, state, rows)`` sheets (state: visible, hidden, veryHidden)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, state, rows in sheets:
        ws = wb.create_sheet(name)
        ws.sheet_state = state
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def _rows(n: int, start: int = 0) -> list[list[Any]]:
    return [_HEAD] + [[f"A{i}", f"町{i}", 1000 + i, 10**6 + i] for i in range(start, start + n)]


def test_hidden_sheet_is_never_read_unless_named(tmp_path: Path) -> None:
    from jichitai_cloud import io

    path = _member_book(tmp_path / "m.xlsx", [("old", "veryHidden", _rows(5, 100)), ("参加団体 (members)", "visible",
                                                                                     _rows(3))])
    members, _ = io.read_member_list(path, sheet=None)
    assert [m.code for m in members] == ["A0", "A1", "A2"]
    members, _ = io.read_member_list(path, sheet="old")
    assert [m.code for m in members] == [f"A{i}" for i in range(100, 105)]
    assert len(io.load_council(path, sheet="old", period_start="2015-04").members) == 5
    assert len(io.read_table(path).rows) == 3  # the first visible sheet


def test_two_visible_member_sheets_are_an_error_naming_both(tmp_path: Path) -> None:
    from jichitai_cloud import io
    from jichitai_cloud.errors import InputError

    path = _member_book(tmp_path / "m.xlsx", [("2015", "visible", _rows(3)), ("2016", "visible", _rows(4))])
    with pytest.raises(InputError, match=r"two visible sheets hold a member list, '2015' and '2016'"):
        io.read_member_list(path)


def _rezip(path: Path, edit: Any) -> None:
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    for name in parts:
        if name.startswith("xl/worksheets/sheet"):
            parts[name] = edit(parts[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_dimension_tag_is_never_trusted(tmp_path: Path) -> None:
    from jichitai_cloud import io

    path = _member_book(tmp_path / "m.xlsx", [("参加団体 (members)", "visible", _rows(8))])
    _rezip(path, lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B7"', xml))
    with __import__("zipfile").ZipFile(path) as z:
        assert b'<dimension ref="A1:B7"' in z.read("xl/worksheets/sheet1.xml")
    members, _ = io.read_member_list(path)
    assert len(members) == 8 and members[-1].current_cost == 10**6 + 7  # all 9 rows, all 4 columns


def test_total_row_and_missing_column_are_one_line_each(tmp_path: Path) -> None:
    from jichitai_cloud import io
    from jichitai_cloud.errors import InputError

    rows = [*_rows(6), ["合計", "", 7000, 6_000_000]]
    path = _member_book(tmp_path / "m.xlsx", [("参加団体 (members)", "visible", rows)])
    with pytest.raises(InputError) as info:
        io.read_member_list(path)
    assert [str(p) for p in info.value.problems] == ["row 8: looks like a total row (合計); remove it: only one row "
                                                     "per record"]
    path = _member_book(tmp_path / "n.xlsx", [("参加団体 (members)", "visible", [r[:3] for r in _rows(6)])])
    with pytest.raises(InputError) as info:
        io.read_member_list(path)
    assert [str(p) for p in info.value.problems] == ["row 1: missing column '現行経費 (current_cost)': every row needs it"]


def test_full_width_numbers_read_alike_in_csv_and_xlsx(tmp_path: Path) -> None:
    from jichitai_cloud import io

    csv_path = tmp_path / "m.csv"
    csv_path.write_text("code,name,population,current_cost\nA,甲,\"４１３，９３８\",\"５４０，０００，０００\"\n",
                        encoding="utf-8")
    xlsx = _member_book(tmp_path / "m.xlsx", [("members", "visible", [_HEAD, ["A", "甲", "４１３，９３８",
                                                                            "５４０，０００，０００"]])])
    for path in (csv_path, xlsx):
        (m,), _ = io.read_member_list(path)
        assert (m.population, m.current_cost) == (413938, 540_000_000)


def test_superscript_digits_are_located_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_path = tmp_path / "m.csv"
    csv_path.write_text("code,name,population,current_cost,cloud_start\nA,甲,1²,5,2015-04\n", encoding="utf-8")
    code, _, err = run(["validate", str(csv_path)], capsys)
    assert code == 1 and "row 2, column 'population'" in err and "U+00B2" in err and "report it" not in err
    council = _member_book(tmp_path / "c.xlsx", [("参加団体 (members)", "visible", _rows(2)),
                                                 ("協議会 (council)", "visible", [["項目 (item)", "値 (value)"],
                                                                                ["評価期間月数", "6²"]])])
    code, _, err = run(["validate", str(council)], capsys)
    assert code == 1 and "row 2, column B (period_months)" in err and "report it" not in err


def test_superscript_and_duplicates_in_a_populations_csv(tmp_path: Path) -> None:
    from jichitai_cloud import io
    from jichitai_cloud.errors import InputError

    toml = ('name = "t"\npopulations = "pop.csv"\n[cost_model]\nfit = "current_costs"\n'
            '[[candidates]]\ncode = "162019"\nname = "富山市"\ncurrent_cost = 900000000\n'
            '[[candidates]]\ncode = "162027"\nname = "高岡市"\ncurrent_cost = 500000000\n')
    (tmp_path / "s.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "pop.csv").write_text("code,population\n162019,41²\n162027,170000\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 2, column 'population': must be an integer.*U\+00B2"):
        io.load_selection(tmp_path / "s.toml")
    (tmp_path / "pop.csv").write_text("code,population\n162019,413938\n162027,170000\n16201,99\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"rows 2 and 4, column 'code': duplicate code '16201'"):
        io.load_selection(tmp_path / "s.toml")


def test_duplicate_quoted_groups_name_both_rows() -> None:
    from jichitai_cloud import io
    from jichitai_cloud.errors import InputError

    with pytest.raises(InputError, match=r"rows 2 and 4, column 'members': duplicate group 'A B'"):
        io.load_quote_table(text="members,cost\nA B,100\nA,60\nB+A,90\nB,50\n")


def test_huge_capacity_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["schedule", "--example", "toyama", "--capacity", "9" * 25], capsys)
    assert code == 2 and "1 to 100,000" in err and "report it" not in err


def test_top_help_and_refusal_agree(capsys: pytest.CaptureFixture[str]) -> None:
    from jichitai_cloud.cli import select as cli_select

    assert cli_select.MAX_TOP == 20
    code, _, err = run(["select", "--example", "toyama", "--top", "21"], capsys)
    assert code == 2 and "1 to 20" in err


def test_dangling_symlink_output_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "nowhere" / "x.csv")
    for extra in ([], ["--force"]):
        code, _, err = run(["members", "--example", "toyama", "--output", str(link), *extra], capsys)
        assert code == 1 and "symbolic link" in err and "does not exist" in err
    assert link.is_symlink() and not link.exists()


def test_losing_writer_in_a_race_says_the_file_exists(tmp_path: Path) -> None:
    from jichitai_cloud import io

    target = tmp_path / "r.csv"

    def write(tmp: Path) -> None:
        tmp.write_bytes(b"loser")
        target.write_bytes(b"winner")  # the other writer finishes first

    with pytest.raises(OutputError, match="the file exists"):
        io.write_atomic_with(target, write)
    assert target.read_bytes() == b"winner"


def test_efbig_leaves_no_zipfile_noise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import subprocess

    script = (
        "import errno, os, builtins\n"
        "from jichitai_cloud import examples, report\n"
        "from jichitai_cloud.io import _write\n"
        "real = os.write\n"
        "def big(*a, **k):\n"
        "    raise OSError(errno.EFBIG, 'File too large')\n"
        "class F:\n"
        "    def __init__(self, *a, **k): pass\n"
        "    def __enter__(self): return self\n"
        "    def __exit__(self, *a): return False\n"
        "    def write(self, data): raise OSError(errno.EFBIG, 'File too large')\n"
        "orig_open = builtins.open\n"
        "def fake_open(p, mode='r', *a, **k):\n"
        "    if 'w' in mode and str(p).endswith('.xlsx'): return F()\n"
        "    return orig_open(p, mode, *a, **k)\n"
        "_write.open = fake_open\n"
        "try:\n"
        f"    report.to_excel(examples.toyama(), {str(tmp_path / 'r.xlsx')!r})\n"
        "except Exception as e:\n"
        "    print(type(e).__name__, e)\n"
    )
    gc.collect()
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert "OutputError" in out.stdout and "File too large" in out.stdout
    assert "Exception ignored" not in out.stderr and "ZipFile" not in out.stderr
    assert not list(tmp_path.iterdir())


def test_consortium_takes_a_generator_of_members() -> None:
    import attrs

    council = examples.toyama()
    assert attrs.evolve(council, members=(m for m in council.members)).members == council.members
