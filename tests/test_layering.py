"""The house rule, enforced: what may import what (docs/architecture.md).

Every import statement of every module under ``src/jichitai_cloud`` -- at module level and inside
functions -- is read with :mod:`ast` and resolved to the module it names.  A failure names the file,
the line and the import.  Three rules:

* layers: topics never import the edges, kernels import only numpy, scipy, errors and _numeric,
  the low layers import only what is below them;
* no cycles: the modules of the package, linked by every import outside ``if TYPE_CHECKING:``
  (a function-level import counts: it hides a cycle, it does not remove it), form no cycle;
* public faces: nobody imports another package's private module (``jichitai_cloud.X._y`` from
  outside the top-level package ``X``, ``testing`` included), and a private name (``_helper``) is
  imported only from a private module of its own package, never from a public module such as
  ``cli/allocate.py``.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "jichitai_cloud"
PKG = "jichitai_cloud"

TOPICS = ("allocation", "games", "evaluation", "customization", "operations", "schedule", "selection", "migration",
          "renewal", "billing")
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


# -- cycles and public faces ----------------------------------------------------------------------
PENDING: dict[str, set[str]] = {}
"""Breaches fixed on other branches (not yet merged): remove the entries once merged."""

PENDING_CYCLES: set[frozenset[str]] = set()
"""Import cycles still being removed, each as the set of its modules: remove an entry once it is gone."""


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _statements(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except those under ``if TYPE_CHECKING:``."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
            continue
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _modules(root: Path) -> dict[str, Path]:
    """``{module name: file}`` for every module of the package under ``root``."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _edges(path: Path, name: str, known: dict[str, Path]) -> list[tuple[int, str, tuple[str, ...]]]:
    """``(line, module imported, names imported from it)`` for every import of the package's own
    modules in ``path``, outside ``if TYPE_CHECKING:``; ``from p import m`` names the module ``p.m``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: list[tuple[int, str, tuple[str, ...]]] = []
    for node in _statements(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, ()) for a in node.names if a.name in known]
            continue
        if node.level:
            base = package.split(".")
            base = base[: len(base) - (node.level - 1)]
            mod = ".".join(base + ([node.module] if node.module else []))
        else:
            mod = node.module or ""
        if mod.split(".")[0] != PKG:
            continue
        names = tuple(a.name for a in node.names)
        submodules = [f"{mod}.{n}" for n in names if f"{mod}.{n}" in known]
        out += [(node.lineno, m, ()) for m in submodules]
        rest = tuple(n for n in names if f"{mod}.{n}" not in known)
        if (rest or not submodules) and mod in known:
            out.append((node.lineno, mod, rest))
    return out


def _graph(root: Path) -> tuple[dict[str, Path], dict[str, dict[str, int]]]:
    """The modules and ``{module: {module it imports: line}}``."""
    known = _modules(root)
    graph: dict[str, dict[str, int]] = {m: {} for m in known}
    for name, path in known.items():
        for line, target, _ in _edges(path, name, known):
            if target != name:
                graph[name].setdefault(target, line)
    return known, graph


def _components(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _cycle(component: list[str], graph: dict[str, dict[str, int]], known: dict[str, Path], root: Path) -> str:
    """One cycle through the component, each step with its file and line: ``a (a.py:3) -> b …``."""
    members = set(component)
    start = component[0]
    previous: dict[str, str] = {}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node]):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                path.reverse()
                steps = [f"{a} ({known[a].relative_to(root)}:{graph[a][b]})"
                         for a, b in zip(path, [*path[1:], start], strict=True)]
                return " -> ".join([*steps, start])
            if child in members and child not in previous:
                previous[child] = node
                queue.append(child)
    return " <-> ".join(component)  # pragma: no cover - a component always holds a cycle


def _cycles(root: Path, allowed: set[frozenset[str]] = frozenset()) -> list[str]:  # type: ignore[assignment]
    known, graph = _graph(root)
    return [_cycle(c, graph, known, root) for c in _components(graph) if frozenset(c) not in allowed]


def test_no_import_cycles() -> None:
    _known, graph = _graph(SRC)
    present = {frozenset(c) for c in _components(graph)}
    assert not PENDING_CYCLES - present, f"PENDING_CYCLES lists cycles that are gone: {PENDING_CYCLES - present}"
    cycles = _cycles(SRC, PENDING_CYCLES)
    assert not cycles, ("import cycles between modules (function-level imports included; move the shared part "
                        "to a module both import):\n" + "\n".join(cycles))


def _private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__")


def _face_breaches(root: Path) -> dict[str, set[str]]:
    """``{file: {what it imports against the public-face rule}}``.

    * another top-level package's private module: ``jichitai_cloud.X._y`` (or deeper) imported from
      outside ``X``, where ``X`` is a public top-level package (``io``, ``allocation``, ``model``,
      ``testing`` …).  The private top-level packages (``_numeric``, ``_display``) are the shared
      internals that every layer addresses module by module (``_numeric._dask``), so they are not
      public faces;
    * a private name (``_helper``) imported from a public module (one with no private part in its
      name, such as ``cli/allocate.py``: reported as ``jichitai_cloud.cli.allocate._*``) or from
      another top-level package: what modules share privately lives in a private module.
    """
    known = _modules(root)
    out: dict[str, set[str]] = {}
    for name, path in known.items():
        rel = str(path.relative_to(root))
        here = name.split(".")[1:]
        for line, target, names in _edges(path, name, known):
            own = target.split(".")[1:]
            inside = bool(own) and bool(here) and own[0] == here[0]
            if own and not inside and not _private(own[0]) and any(_private(p) for p in own[1:]):
                out.setdefault(rel, set()).add(f"{target}  (line {line})")
            hidden = [n for n in names if _private(n)]
            if hidden and target != name:
                public_module = not any(_private(p) for p in own)
                if public_module or not inside:
                    out.setdefault(rel, set()).add(f"{target}._*  (line {line}: {', '.join(hidden)})")
    return out


def _strip_lines(found: dict[str, set[str]]) -> dict[str, set[str]]:
    return {f: {x.split("  (")[0] for x in v} for f, v in found.items()}


def test_no_private_module_of_another_package() -> None:
    found = _face_breaches(SRC)
    plain = _strip_lines(found)
    new = {f: sorted(x for x in v if x.split("  (")[0] not in PENDING.get(f, set())) for f, v in found.items()}
    new = {f: v for f, v in new.items() if v}
    assert not new, ("imports of another package's private module or of a private name (use the public "
                     "face, e.g. jichitai_cloud.io.write_atomic):\n"
                     + "\n".join(f"{f}: {x}" for f, v in sorted(new.items()) for x in v))
    stale = {f: sorted(v - plain.get(f, set())) for f, v in PENDING.items()}
    stale = {f: v for f, v in stale.items() if v}
    assert not stale, f"PENDING lists breaches that are gone; remove them: {stale}"


def _fake_package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / PKG
    for rel, text in {"__init__.py": "", **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            (root / parent / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    return root


def test_a_cycle_through_a_function_level_import_is_found_and_named(tmp_path: Path) -> None:
    root = _fake_package(tmp_path, {
        "io/_members.py": "from ._xlsx import read\n",
        "io/_xlsx.py": "import os\n\ndef read():\n    from ._members import x\n",
        "io/_read.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .files import decode\n",
        "io/files.py": "from ._read import read_bytes\n",
    })
    (cycle,) = _cycles(root)
    assert cycle == ("jichitai_cloud.io._members (io/_members.py:1) -> jichitai_cloud.io._xlsx (io/_xlsx.py:4) "
                     "-> jichitai_cloud.io._members")


def test_a_longer_cycle_and_from_package_import_module(tmp_path: Path) -> None:
    root = _fake_package(tmp_path, {
        "a/__init__.py": "from . import _b\n",
        "a/_b.py": "from ..c import d\n",
        "c/d.py": "def f():\n    import jichitai_cloud.a\n",
    })
    (cycle,) = _cycles(root)
    assert cycle.count("->") == 3 and "c/d.py:2" in cycle and "a/__init__.py:1" in cycle


def test_private_modules_and_names_of_other_packages_are_found(tmp_path: Path) -> None:
    root = _fake_package(tmp_path, {
        "operations/_scopes.py": "from ..model._records import ALL\nfrom ..model import Outage\n",
        "testing/_allocation.py": "def f():\n    from ..allocation._kernels_base import Rounding\n",
        "cli/report.py": "from .allocate import _rate, total\nfrom ._common import _write\n",
        "cli/allocate.py": "from ..io import write_atomic\nfrom .._numeric._dask import x\n",
        "cli/_common.py": "from ..allocation import _scenarios\n",
        "model/_council.py": "from ._records import _strip\nfrom .._display._table import Column\n",
        "model/_records.py": "",
        "allocation/_kernels_base.py": "",
        "allocation/_scenarios.py": "",
    })
    found = _strip_lines(_face_breaches(root))
    assert found == {
        "operations/_scopes.py": {"jichitai_cloud.model._records"},
        "testing/_allocation.py": {"jichitai_cloud.allocation._kernels_base"},
        "cli/report.py": {"jichitai_cloud.cli.allocate._*"},
        "cli/_common.py": {"jichitai_cloud.allocation._scenarios"},
    }
