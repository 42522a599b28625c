"""The package's public face and import hygiene."""

from __future__ import annotations

import subprocess
import sys

import jichitai_cloud as jc


def test_import_does_not_pull_optional_dependencies() -> None:
    code = ("import sys, jichitai_cloud, jichitai_cloud.io, jichitai_cloud.examples; "
            "jichitai_cloud.examples.toyama(); "
            "bad = [m for m in ('pandas', 'matplotlib', 'openpyxl', 'scipy', 'hypothesis') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_all_is_complete_and_unique() -> None:
    # the order of __all__ is ruff's (RUF022), checked by `ruff check`
    assert len(set(jc.__all__)) == len(jc.__all__)
    for name in jc.__all__:
        assert hasattr(jc, name), name


def test_every_error_derives_from_the_root() -> None:
    from jichitai_cloud import errors

    for name in errors.__all__:
        obj = getattr(errors, name)
        if isinstance(obj, type) and issubclass(obj, BaseException):
            assert issubclass(obj, jc.JichitaiCloudError), name


def test_py_typed_shipped() -> None:
    from importlib import resources

    assert resources.files("jichitai_cloud").joinpath("py.typed").is_file()


def test_display_escapes_html() -> None:
    from jichitai_cloud._display import Column, DataTable, render_html, render_text

    name = Column("name", "市町村名", "Municipality", "name")
    html = render_html(DataTable(key="t", title="a&b", title_en="a&b", columns=(name,), rows=[("<script>",)]))
    assert "<script>" not in html and "&lt;script&gt;" in html and "a&amp;b" in html
    table = DataTable(key="t", title="", title_en="", columns=(Column("a", "a", "a"), Column("b", "b", "b", "count")),
                      rows=[("x", 1_000)])
    assert render_text(table).splitlines()[-1] == "x  1,000"


def test_council_shows_itself() -> None:
    import pytest

    c = jc.examples.toyama()
    html = c._repr_html_()
    assert "<table" in html and "920,000,000" in html and "H27.07" in html
    pd = pytest.importorskip("pandas")
    df = c.to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert df.loc["A", "current_cost"] == 920_000_000
    assert list(df.index) == ["A", "B", "C", "D", "E", "F"]


def test_cell_formatting() -> None:
    from fractions import Fraction

    from jichitai_cloud._display import Column, shown_text

    def shown(value: object, kind: str, decimals: int | None = None, lang: str = "ja") -> str:
        return shown_text(value, Column("x", "x", "x", kind, decimals=decimals), lang)  # type: ignore[arg-type]

    assert shown(2515.28, "points") == "2,515.28"  # separators, the declared places
    assert shown(3000.0, "points", 0) == "3,000"
    assert shown(99.55, "points") == "99.55"
    assert shown(0.38, "ratio", 2) == "0.38"
    assert shown(1_390_000_000, "yen") == "1,390,000,000"
    assert shown(1 - 0.7, "percent") == "30.0%" and shown(Fraction(2, 3), "percent") == "66.7%"
    assert shown(None, "yen") == ""
    assert shown(True, "flag", lang="en") == "yes" and shown(False, "flag", lang="en") == "no"


def test_the_public_surface_is_small_and_every_name_resolves() -> None:
    import importlib

    import jichitai_cloud

    assert len(jichitai_cloud.__all__) <= 45
    for topic in ("allocation", "games", "evaluation", "customization", "operations"):
        module = importlib.import_module(f"jichitai_cloud.{topic}")
        assert len(module.__all__) <= 30, (topic, len(module.__all__))
        for name in module.__all__:
            assert hasattr(module, name), f"jichitai_cloud.{topic}.{name}"
    for name in jichitai_cloud.__all__:
        assert hasattr(jichitai_cloud, name), name


_TOPICS = ("allocation", "games", "evaluation", "customization", "operations")


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def test_import_is_light_and_topics_load_on_first_use() -> None:
    import json

    loaded = json.loads(_run(
        "import json, sys, jichitai_cloud; "
        "before = sorted(m for m in sys.modules if m.startswith('jichitai_cloud.')); "
        "jichitai_cloud.Consortium; council = sorted(m for m in sys.modules if m.startswith('jichitai_cloud.')); "
        "jichitai_cloud.fairness_report; after = sorted(m for m in sys.modules if m.startswith('jichitai_cloud.')); "
        "print(json.dumps([before, council, after]))"))
    before, council, after = loaded
    for topic in _TOPICS:
        assert f"jichitai_cloud.{topic}" not in before, topic
        assert f"jichitai_cloud.{topic}" not in council, topic
    assert "jichitai_cloud.io" not in before and "jichitai_cloud.examples" not in before
    assert "jichitai_cloud.games" in after
    assert "jichitai_cloud.evaluation" not in after


def test_the_cli_parser_does_not_import_every_topic() -> None:
    out = _run("import sys; from jichitai_cloud.cli import build_parser; build_parser(); "
               "print(' '.join(m for m in sys.modules if m.startswith('jichitai_cloud.')))").split()
    # `allocate` takes its option choices from the allocation topic; the others load when they run
    for topic in ("games", "evaluation", "customization", "operations"):
        assert f"jichitai_cloud.{topic}" not in out, topic


def test_every_root_name_imports_by_from_and_the_lazy_table_agrees() -> None:
    import jichitai_cloud

    names = ", ".join(n for n in jichitai_cloud.__all__)
    _run(f"from jichitai_cloud import {names}")
    lazy = set(jichitai_cloud._LAZY)
    assert lazy <= set(jichitai_cloud.__all__)
    assert set(jichitai_cloud.__all__) - lazy == {"__version__"}
    assert set(dir(jichitai_cloud)) >= set(jichitai_cloud.__all__) | {"io", "examples", "calendar", "games"}
    for sub in ("io", "examples"):
        module = getattr(jichitai_cloud, sub)
        assert set(module._LAZY) <= set(module.__all__)
        assert set(dir(module)) >= set(module.__all__)
    import pytest

    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        jichitai_cloud.nonexistent  # noqa: B018


def test_import_time_ratio_is_reported(capsys: object) -> None:
    """``import jichitai_cloud`` against ``import numpy, attrs, cattrs``: reported, never asserted."""
    def best(code: str) -> float:
        return min(float(_run(
            f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)")) for _ in range(3))

    base = best("import numpy, attrs, cattrs")
    ours = best("import jichitai_cloud")
    council = best("import jichitai_cloud; jichitai_cloud.examples.toyama()")
    print(f"import numpy, attrs, cattrs: {base * 1e3:.0f} ms; import jichitai_cloud: {ours * 1e3:.0f} ms "
          f"({ours / base:.2f}x); with examples.toyama(): {council * 1e3:.0f} ms ({council / base:.2f}x)")


def test_subpackages_are_attributes_of_the_root() -> None:
    """``jc.report.to_excel`` after a bare ``import jichitai_cloud as jc``, in a fresh process; a namespace
    listed but not in this build is an AttributeError (``hasattr`` says False), never an ImportError."""
    code = (
        "import importlib.util, jichitai_cloud as jc\n"
        "assert callable(jc.report.to_excel) and callable(jc.report.to_html) and callable(jc.report.council_report)\n"
        "assert callable(jc.schedule.plan_migration)\n"
        "for name in sorted(jc._SUBPACKAGES):\n"
        "    present = importlib.util.find_spec('jichitai_cloud.' + name) is not None\n"
        "    assert hasattr(jc, name) == present, name\n"
        "    assert name in dir(jc)\n"
        "assert not hasattr(jc, 'no_such_namespace')\n"
    )
    _run(code)
