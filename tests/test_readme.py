"""The README's notebook example runs as written (apart from reading the user's own file)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_notebook_example_runs() -> None:
    if not README.is_file():  # pragma: no cover - running from an installed sdist without the README
        pytest.skip("README.md not found")
    pytest.importorskip("pandas")
    text = README.read_text(encoding="utf-8")
    section = text.split("## In a notebook", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    lines = [line for line in code.group(1).splitlines() if "council.toml" not in line]
    namespace: dict[str, object] = {}
    exec(compile("\n".join(lines), "README.md", "exec"), namespace)
    alloc = namespace["alloc"]
    assert sum(m.share for m in alloc.members) == 1_390_000_000  # type: ignore[attr-defined]


def test_quick_start_commands_are_the_ci_commands() -> None:
    text = README.read_text(encoding="utf-8")
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    test_command = 'python -m pip install ".[test]" && python -m pytest'
    assert test_command in text
    assert f"( {test_command} )" in ci
    assert "python -m pip install . && jichitai-cloud allocate --example toyama" in text
