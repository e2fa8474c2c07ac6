"""The package's imports point one way: no cycles, and nothing upward from ``law`` or ``register``.

Every import in ``lib/debiteuren`` is read with ``ast``: module-level and inside functions alike
(a lazy import still ties two modules together), ``if TYPE_CHECKING:`` blocks excepted (they never
run). Importing ``a.b.c`` also runs the packages ``a.b`` above it, so an edge to a module is an
edge to each package it sits in that the importer is not itself part of: that is how
``law.rates -> register.problems`` runs ``register/__init__.py`` and everything it imports.

Layers (docs/development.md, "Layers"): ``law`` may import only ``money``, ``dutch``, ``errors``
and itself; ``register`` only those, ``law`` and itself. What is known not to hold yet is in
``ALLOWED``, one reason each (the cycle check leaves those edges out); an entry that no longer
occurs fails the test, so the list shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parent.parent / "lib"
ROOT = "debiteuren"
BOTTOM = {f"{ROOT}.money", f"{ROOT}.dutch", f"{ROOT}.errors"}

# (importer, imported) -> why it is still there.
ALLOWED = {
    (f"{ROOT}.law.rates", f"{ROOT}.register.problems"): (
        "the Rentetabel check reports the register's InputProblem and raises RegisterInvalid; imported "
        "in the two functions that need them, until the problem record lives in errors.py (issue 18, point 1)"
    ),
    (f"{ROOT}.law.rates", f"{ROOT}.register"): "the package run by the import above",
}


def module_files() -> dict[str, Path]:
    modules = {}
    for path in (LIB / ROOT).rglob("*.py"):
        parts = path.relative_to(LIB).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _imports(tree: ast.AST):
    """Every Import / ImportFrom node, at any depth, outside ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _packages_of(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def import_graph(modules: dict[str, Path] | None = None) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (with the packages that import runs)."""
    modules = modules if modules is not None else module_files()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        own = set(_packages_of(name)) | {name}
        targets = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(base + ([node.module] if node.module else []))
                else:
                    base = node.module or ""
                wanted = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in wanted:
                if target.split(".")[0] != ROOT:
                    continue
                while target not in modules:  # an attribute of a module: the module
                    target = target.rpartition(".")[0]
                for module in (*_packages_of(target), target):
                    if module not in own and module != ROOT:
                        targets.add(module)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def upward_imports(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    law, register = f"{ROOT}.law", f"{ROOT}.register"

    def inside(name: str, package: str) -> bool:
        return name == package or name.startswith(package + ".")

    upward = set()
    for importer, targets in graph.items():
        for target in targets:
            if inside(importer, law) and not (inside(target, law) or target in BOTTOM):
                upward.add((importer, target))
            if inside(importer, register) and not (inside(target, register) or inside(target, law) or target in BOTTOM):
                upward.add((importer, target))
    return upward


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def without_allowed(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    return {m: {t for t in targets if (m, t) not in ALLOWED} for m, targets in graph.items()}


def test_the_package_has_no_import_cycle(graph):
    # An allowed upward import closes a cycle through the package it runs (law.rates -> register ->
    # model -> law.rates, lazily); every other cycle fails.
    assert cycles(without_allowed(graph)) == []


def test_law_and_register_import_nothing_above_them_but_the_known_exceptions(graph):
    upward = upward_imports(graph)
    assert upward - set(ALLOWED) == set(), "an upward import; move the concept down or list it in ALLOWED"
    assert set(ALLOWED) - upward == set(), "an allowed exception no longer occurs: remove it from ALLOWED"
    assert all(reason.strip() for reason in ALLOWED.values())


def test_the_walk_finds_a_cycle_through_a_lazy_import_and_through_a_package(tmp_path):
    # The write path's old cycle, as it was: writeback imported the writers inside write_back.
    files = {
        "debiteuren/__init__.py": "",
        "debiteuren/law/__init__.py": "",
        "debiteuren/law/rates.py": "from ..register.problems import InputProblem\n",
        "debiteuren/register/__init__.py": "from .model import Register\n",
        "debiteuren/register/model.py": "from ..law.rates import RateOverride\n",
        "debiteuren/register/problems.py": "",
        "debiteuren/register/writeback.py": "def write_back():\n    from . import xlsx_patch\n",
        "debiteuren/register/xlsx_patch.py": "from .writeback import ActionCells\n",
    }
    modules = {}
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        parts = Path(relative).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    found = cycles(import_graph(modules))
    assert ["debiteuren.register.writeback", "debiteuren.register.xlsx_patch"] in found
    assert ["debiteuren.law.rates", "debiteuren.register", "debiteuren.register.model"] in found
    assert ("debiteuren.law.rates", "debiteuren.register.problems") in upward_imports(import_graph(modules))


def test_the_command_line_takes_the_lock_without_loading_the_xml_patcher():
    import subprocess
    import sys

    code = (
        "import sys; import debiteuren.register.write.file_safety, debiteuren.register.write.messages; "
        "print(sorted(m for m in sys.modules if m == 'lxml' or m.startswith('debiteuren.register.write.xlsx')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(LIB), "PATH": ""},
    ).stdout
    assert out.strip() == "[]"
