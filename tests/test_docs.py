"""Every Python block of the guides runs as written (docs/**/*.md, README.md).

The blocks of one page run in order, in one namespace, in a fresh empty folder, in a subprocess
with a time limit of two minutes a page.  A block fenced as ```` ```python no-run ```` (one that
needs a real cluster) is not run; ```` ```pycon ```` and console blocks are not Python to run.
"""

from __future__ import annotations

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
FENCE = re.compile(r"^```python[ \t]*(?P<opts>[^\n]*)\n(?P<code>.*?)^```[ \t]*$", re.S | re.M)
TIME_LIMIT = 120  # seconds a page


def blocks(page: Path) -> list[str]:
    """The runnable Python blocks of a page, in order."""
    text = page.read_text(encoding="utf-8")
    return [m["code"] for m in FENCE.finditer(text) if "no-run" not in m["opts"].split()]


def _script(page: Path) -> str:
    parts = [
        "import matplotlib\nmatplotlib.use('Agg')\n" if _has_matplotlib() else "",
        *(f"# --- block {i + 1}\n{textwrap.dedent(code)}\n" for i, code in enumerate(blocks(page))),
    ]
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


@pytest.mark.parametrize("page", [p for p in PAGES if blocks(p)], ids=lambda p: str(p.relative_to(ROOT)))
def test_the_page_runs_as_written(page: Path, tmp_path: Path) -> None:
    script = tmp_path / "page.py"
    script.write_text(_script(page), encoding="utf-8")
    run = tmp_path / "run"
    run.mkdir()
    done = subprocess.run(
        [sys.executable, str(script)], cwd=run, env=_env(), capture_output=True, text=True, timeout=TIME_LIMIT,
    )
    assert done.returncode == 0, f"{page.relative_to(ROOT)}:\n{done.stderr[-3000:]}"


def test_the_fence_reader() -> None:
    page = "x\n```python\na = 1\n```\n```python no-run\nb = 2\n```\n```pycon\n>>> 1\n```\n"
    tmp = Path(os.environ.get("TMPDIR", "/tmp")) / "jc-docs-fence-test.md"
    tmp.write_text(page, encoding="utf-8")
    try:
        assert blocks(tmp) == ["a = 1\n"]
    finally:
        tmp.unlink()
