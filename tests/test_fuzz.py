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
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jichitai_cloud import Consortium, JichitaiCloudError, examples, io, report
from jichitai_cloud.errors import OutputError
from jichitai_cloud.model import Procurement

_FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)


def _example(name: str) -> bytes:
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


# -- loaders of files: (name, extension, seed file, call) -----------------------------------------
LOADERS: list[tuple[str, str, str, Callable[[Path], Any]]] = [
    ("load-toml", ".toml", "toyama.toml", lambda p: io.load(p)),
    ("load-json", ".json", "toyama.toml", lambda p: io.load(p)),
    ("load-csv", ".csv", "toyama.toml", lambda p: io.load(p)),
    ("load_members", ".csv", "toyama.toml", lambda p: io.load_members(p)),
    ("load_register-csv", ".csv", "toyama_customization.toml", lambda p: io.load_register(p)),
    ("load_register-toml", ".toml", "toyama_customization.toml", lambda p: io.load_register(p)),
    ("load_operations", ".toml", "toyama_operations.toml", lambda p: io.load_operations(p)),
    ("load_operations-csv", ".csv", "toyama_operations_outages.csv",
     lambda p: io.load_operations(examples.data_path("toyama_operations.toml"), p)),
    ("load_cost_model-toml", ".toml", "toyama_games.toml", lambda p: io.load_cost_model(p)),
    ("load_cost_model-json", ".json", "toyama_games.toml", lambda p: io.load_cost_model(p)),
    ("load_quote_table", ".csv", "toyama_games.toml", lambda p: io.load_quote_table(p)),
    ("load_procurement", ".toml", "toyama_evaluation.toml", lambda p: io.load_procurement(p)),
    ("load_plan", ".toml", "toyama_allocation.toml", lambda p: io.load_plan(p)),
]


@pytest.mark.parametrize(("name", "ext", "seed", "call"), LOADERS, ids=[x[0] for x in LOADERS])
def test_loaders_give_a_result_or_an_input_error(tmp_path: Path, name: str, ext: str, seed: str,
                                                 call: Callable[[Path], Any]) -> None:
    seed_bytes = _example(seed)
    path = tmp_path / f"fuzz{ext}"

    @_FUZZ
    @given(_documents(seed_bytes))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        _accepts_or_refuses(lambda: call(path))

    run()


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
    ]
    return out


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
