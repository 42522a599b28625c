"""Every Python block of the guides, and the tutorial notebook, runs as written.

The blocks of one page (``docs/**/*.md``, ``docs/ja/`` included) run in order, in one namespace, in a
fresh empty folder, in a subprocess with a time limit of two minutes a page.  A block fenced as
```` ```python no-run ```` (one that needs a real cluster) is not run; ```` ```pycon ```` and console
blocks are not Python to run; a page without a runnable block is not collected.  The README's
notebook block is run by ``tests/test_readme.py``.

``docs/tutorial.ipynb`` is read with the standard library (no Jupyter needed): its code cells run in
order, in one namespace, in a fresh empty folder, with the same time limit; the value of a cell's last
expression is rendered as Jupyter would show it (``_repr_html_`` when it has one), so a result that
cannot draw itself fails the test too.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import jichitai_cloud

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").rglob("*.md"))
NOTEBOOK = ROOT / "docs" / "tutorial.ipynb"
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?:python|py)(?![\w-])[ \t]*(?P<opts>[^\n]*)\n(?P<code>.*?)^(?P=indent)```[ \t]*$",
    re.S | re.M,
)
TIME_LIMIT = 120  # seconds a page (or the notebook)


def blocks(page: Path) -> list[str]:
    """The runnable Python blocks of a page, in order."""
    text = page.read_text(encoding="utf-8")
    return [textwrap.dedent(m["code"]) for m in FENCE.finditer(text) if "no-run" not in m["opts"].split()]


def _prelude() -> str:
    return "import matplotlib\nmatplotlib.use('Agg')\n" if _has_matplotlib() else ""


def _script(page: Path) -> str:
    parts = [_prelude(), *(f"# --- block {i + 1}\n{code}\n" for i, code in enumerate(blocks(page)))]
    return "".join(parts)


def _has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _env() -> dict[str, str]:
    """The environment of a page's subprocess: it imports the same package as this test run.

    A relative ``PYTHONPATH=src`` would resolve against the page's empty folder, and the subprocess
    would silently import some other installed copy of the library.
    """
    package_root = str(Path(jichitai_cloud.__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "MPLBACKEND": "Agg",
            "PYTHONWARNINGS": "ignore::DeprecationWarning"}


def run_script(source: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run ``source`` as a script in a fresh empty folder under ``folder``, within the time limit."""
    script = folder / "page.py"
    script.write_text(source, encoding="utf-8")
    run = folder / "run"
    run.mkdir()
    return subprocess.run(
        [sys.executable, str(script)], cwd=run, env=_env(), capture_output=True, text=True, timeout=TIME_LIMIT,
    )


@pytest.mark.parametrize("page", [p for p in PAGES if blocks(p)], ids=lambda p: str(p.relative_to(ROOT)))
def test_the_page_runs_as_written(page: Path, tmp_path: Path) -> None:
    done = run_script(_script(page), tmp_path)
    assert done.returncode == 0, f"{page.relative_to(ROOT)}:\n{done.stderr[-3000:]}"


def test_the_fence_reader(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "x\n```python\na = 1\n```\n```python no-run\nb = 2\n```\n```pycon\n>>> 1\n```\n"
        "1. a step\n\n   ```py\n   c = 3\n   ```\n```python-repl\n>>> 4\n```\n",
        encoding="utf-8",
    )
    assert blocks(page) == ["a = 1\n", "c = 3\n"]


def test_a_page_without_runnable_blocks_is_not_collected(tmp_path: Path) -> None:
    page = tmp_path / "cluster.md"
    page.write_text("```python no-run\nclient = Client('tcp://scheduler:8786')\n```\n```console\nls\n```\n",
                    encoding="utf-8")
    assert blocks(page) == []
    documented = [p for p in PAGES if not blocks(p)]
    assert ROOT / "docs" / "index.md" in documented           # a page of prose and tables only


def test_a_broken_page_fails(tmp_path: Path) -> None:
    page = tmp_path / "broken.md"
    page.write_text("```python\nimport jichitai_cloud as jc\n```\n\n```python\njc.allocate(council, 1)\n```\n",
                    encoding="utf-8")
    done = run_script(_script(page), tmp_path)
    assert done.returncode != 0
    assert "NameError: name 'council' is not defined" in done.stderr


# --- the tutorial notebook -------------------------------------------------------------------------

_NOTEBOOK_RUNNER = '''
import ast
import json

def show(value):
    """What Jupyter shows for a cell's last expression: its HTML if it has some, else its repr."""
    if value is None:
        return
    html = getattr(value, "_repr_html_", None)
    text = html() if callable(html) else repr(value)
    assert isinstance(text, str), f"{type(value).__name__} does not render as text"

cells = json.loads(CELLS)
namespace = {"__name__": "__main__"}
for number, source in cells:
    name = f"tutorial.ipynb [code cell {number}]"
    tree = ast.parse(source, filename=name)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, name, "exec"), namespace)
    if last is not None:
        show(eval(compile(ast.Expression(last.value), name, "eval"), namespace))
'''


def notebook_code_cells(path: Path) -> list[tuple[int, str]]:
    """The code cells of a notebook (nbformat 4), numbered from 1, as source text."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb.get("nbformat") == 4, f"{path.name}: nbformat {nb.get('nbformat')!r}, expected 4"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    return [(i + 1, "".join(c["source"]) if isinstance(c["source"], list) else c["source"]) for i, c in enumerate(code)]


def notebook_script(path: Path) -> str:
    cells = notebook_code_cells(path)
    return f"{_prelude()}CELLS = {json.dumps(cells, ensure_ascii=False)!r}\n{_NOTEBOOK_RUNNER}"


def test_the_tutorial_notebook_runs_from_an_empty_folder(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    pytest.importorskip("pandas")
    done = run_script(notebook_script(NOTEBOOK), tmp_path)
    assert done.returncode == 0, f"docs/tutorial.ipynb:\n{done.stderr[-3000:]}"
    written = {p.name for p in (tmp_path / "run").iterdir()}
    assert {"council.xlsx", "council.html", "members.xlsx", "my-council.xlsx"} <= written


def test_the_tutorial_notebook_is_stored_without_outputs() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert not any(line.lstrip().startswith(("%", "!")) for _, src in notebook_code_cells(NOTEBOOK)
                   for line in src.splitlines()), "IPython magics do not run outside Jupyter"


def test_a_failing_notebook_cell_fails_the_run(tmp_path: Path) -> None:
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# x"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": ["x = 1\n", "x"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": "1 / (x - 1)"},
    ]}
    path = tmp_path / "broken.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    done = run_script(notebook_script(path), tmp_path)
    assert done.returncode != 0
    assert "tutorial.ipynb [code cell 2]" in done.stderr and "ZeroDivisionError" in done.stderr


def test_every_page_is_in_the_nav_and_the_index() -> None:
    pages = {str(p.relative_to(ROOT / "docs")) for p in [*PAGES, NOTEBOOK]} - {"index.md"}
    nav = set(re.findall(r":\s*(\S+\.(?:md|ipynb))\s*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M))
    index = set(re.findall(r"\]\(([^)]+\.(?:md|ipynb))\)", (ROOT / "docs" / "index.md").read_text(encoding="utf-8")))
    assert pages - nav == set(), "pages missing from mkdocs.yml's nav"
    assert pages - index == set(), "pages missing from the Pages table of docs/index.md"
    assert nav - pages - {"index.md"} == set(), "mkdocs.yml's nav names pages that do not exist"
