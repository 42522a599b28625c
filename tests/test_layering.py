"""The house rule, enforced: what may import what (docs/architecture.md).

Every import statement of every module under ``src/jichitai_cloud`` -- at module level and inside
functions -- is read with :mod:`ast` and resolved to the module it names.  A failure names the file,
the line and the import.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "jichitai_cloud"
PKG = "jichitai_cloud"

TOPICS = ("allocation", "games", "evaluation", "customization", "operations", "schedule", "selection")
"""Topic packages: the capabilities."""

SHARED = ("errors", "calendar", "model", "_validators", "_display", "_numeric", "_frozenmap", "_version")
"""What a topic may import besides other topics' public faces."""

EDGES = ("io", "examples", "report", "cli", "testing")
"""Outer layers a topic never imports."""

KERNEL_ALLOWED_THIRD_PARTY = ("numpy", "scipy")
KERNEL_ALLOWED_OWN = ("errors", "_numeric")
LOW_LAYERS = {
    # module (first component under the package) -> what it may import from the package
    "errors": (),
    "_numeric": ("errors",),
    "calendar": ("errors",),
    "_frozenmap": ("errors",),
    "_version": (),
    "_lazy": (),
    "_validators": ("errors", "calendar", "_numeric"),
    "_display": ("errors",),
    "model": ("errors", "calendar", "_validators", "_numeric", "_frozenmap", "_display"),
}

KNOWN: dict[str, int] = {}
"""Violations still being removed, by file (relative to the package): empty, and it stays so."""


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """``(line, absolute module name)`` for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if node.module is None:
                # ``from . import x`` / ``from .. import x``: each name may be a module
                out += [(node.lineno, f"{mod}.{a.name}") for a in node.names]
            else:
                out.append((node.lineno, mod))
    return out


def _own(mod: str) -> list[str] | None:
    parts = mod.split(".")
    return parts[1:] if parts[0] == PKG else None


def _violations(path: Path) -> list[str]:
    rel = path.relative_to(SRC)
    layer = rel.parts[0].removesuffix(".py")
    here = _module_name(path)
    problems: list[str] = []
    is_kernel = layer in TOPICS and len(rel.parts) > 2 and rel.parts[1] == "_kernels"  # under <topic>/_kernels/
    for line, mod in _imports(path):
        own = _own(mod)
        where = f"{rel}:{line}: imports {mod}"
        if is_kernel:
            top = mod.split(".")[0]
            if own is None:
                if top in KERNEL_ALLOWED_THIRD_PARTY or top in sys.stdlib_module_names or top == "__future__":
                    continue
                problems.append(f"{where} (a kernel imports only numpy, scipy and the standard library)")
                continue
            if not own:
                continue
            if own[0] == layer and len(own) > 1 and own[1] == "_kernels":  # the package's own modules
                continue
            if own[0] not in KERNEL_ALLOWED_OWN:
                problems.append(f"{where} (a kernel imports only errors and _numeric of the package)")
            continue
        if own is None or not own:
            continue
        if layer in LOW_LAYERS:
            if own[0] != layer and own[0] not in LOW_LAYERS[layer]:
                problems.append(f"{where} ({layer} may import only {', '.join(LOW_LAYERS[layer]) or 'nothing'})")
            continue
        if layer in TOPICS:
            if own[0] == layer:
                continue
            if own[0] in EDGES:
                problems.append(f"{where} (a topic never imports io, examples, report, cli or testing)")
            elif own[0] in TOPICS:
                if len(own) > 1 and own[1].startswith("_") and not here.startswith(f"{PKG}.{own[0]}"):
                    problems.append(f"{where} (use the public face jichitai_cloud.{own[0]}, not a private module)")
            elif own[0] not in SHARED:
                problems.append(f"{where} (a topic imports only {', '.join(SHARED)} and other topics)")
    return problems


def _files() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_the_rule_holds() -> None:
    found: dict[str, list[str]] = {}
    for path in _files():
        v = _violations(path)
        if v:
            found[str(path.relative_to(SRC))] = v
    new = {f: v for f, v in found.items() if len(v) > KNOWN.get(f, 0)}
    assert not new, "imports that break the house rule:\n" + "\n".join(x for v in new.values() for x in v)
    stale = {f for f in KNOWN if len(found.get(f, ())) < KNOWN[f]}
    assert not stale, f"KNOWN lists fixed files; lower or remove their entries: {sorted(stale)}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from ..io import load\n", "imports jichitai_cloud.io"),
        ("def f():\n    from .. import examples\n", "imports jichitai_cloud.examples"),
        ("import jichitai_cloud.report.plots\n", "imports jichitai_cloud.report.plots"),
        ("from ..evaluation._domain import x\n", "not a private module"),
    ],
)
def test_the_checker_finds_what_it_should(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str,
                                          expected: str) -> None:
    fake = tmp_path / PKG
    (fake / "allocation").mkdir(parents=True)
    target = fake / "allocation" / "_domain.py"
    target.write_text(source, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "SRC", fake)
    problems = _violations(target)
    assert problems and expected in problems[0]
    assert "allocation/_domain.py:" in problems[0]


def test_a_kernel_may_not_import_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / PKG
    (fake / "games" / "_kernels").mkdir(parents=True)
    target = fake / "games" / "_kernels" / "_core.py"
    target.write_text("import numpy as np\nfrom ...model import Municipality\nimport pandas\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "SRC", fake)
    problems = _violations(target)
    assert len([p for p in problems if "jichitai_cloud.model" in p]) >= 1
    assert any("pandas" in p for p in problems)


def test_a_kernel_may_not_import_its_topic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / PKG
    (fake / "schedule" / "_kernels").mkdir(parents=True)
    target = fake / "schedule" / "_kernels" / "_timing.py"
    target.write_text("from .. import _plan\nfrom ... import schedule\nfrom . import _base\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "SRC", fake)
    problems = _violations(target)
    assert any("jichitai_cloud.schedule._plan" in p for p in problems)
    assert any(p.endswith("imports jichitai_cloud.schedule (a kernel imports only errors and _numeric of the package)")
               for p in problems)
    assert not any("_kernels._base" in p for p in problems)


def test_every_topic_has_the_same_shape() -> None:
    """Each topic keeps its kernels in one ``_kernels/`` package, and only there."""
    for topic in TOPICS:
        package = SRC / topic / "_kernels"
        assert (package / "__init__.py").is_file(), f"{topic}/_kernels/ is not a package"
        strays = sorted(p.name for p in (SRC / topic).glob("_kernels*.py"))
        assert not strays, f"{topic}: kernel modules outside {topic}/_kernels/: {strays}"


def test_one_dask_dispatch() -> None:
    """Only ``_numeric/_dask.py`` imports dask: every topic maps its kernels over dask blocks through it."""
    found = [f"{path.relative_to(SRC)}:{line}" for path in _files() if path != SRC / "_numeric" / "_dask.py"
             for line, mod in _imports(path) if mod == "dask" or mod.startswith("dask.")]
    assert not found, f"dask imported outside _numeric/_dask.py: {found}"


def _doc_edits(tree: ast.AST) -> list[int]:
    """Lines that assign to a ``__doc__`` (``f.__doc__ = ...``, ``+=``, ``setattr(f, "__doc__", ...)``)."""
    lines = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
            if isinstance(node, ast.AugAssign | ast.AnnAssign) else []
        assigned = any(isinstance(t, ast.Attribute) and t.attr == "__doc__" for t in targets)
        set_by_name = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr" \
            and len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and node.args[1].value == "__doc__"
        if assigned or set_by_name:
            lines.append(node.lineno)
    return lines


def test_docstrings_are_written_out() -> None:
    """No module edits a docstring at import time (``f.__doc__ = ...``): every docstring is in the source."""
    found = [f"{path.relative_to(SRC)}:{line}" for path in _files()
             for line in _doc_edits(ast.parse(path.read_text(encoding="utf-8")))]
    assert not found, f"docstrings edited at import time: {found}"
    assert _doc_edits(ast.parse("f.__doc__ = g.__doc__\nf.__doc__ += 'x'\nsetattr(f, '__doc__', 'x')\n")) == [1, 2, 3]
