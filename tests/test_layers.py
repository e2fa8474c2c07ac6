"""The package's imports point one way: the layers of docs/development.md ("Layers"), no cycles.

Every import in ``lib/debiteuren`` is read with ``ast``: module-level and inside functions alike
(a lazy import still ties two modules together), ``if TYPE_CHECKING:`` blocks excepted (they never
run). Importing ``a.b.c`` also runs the packages ``a.b`` above it, so an edge to a module is an
edge to each package it sits in that the importer is not itself part of: that is how an import of
``register.problems`` runs ``register/__init__.py`` and everything it imports.

The layer map is read from the developer notes, so the page and the test cannot drift apart: each
module sits in exactly one layer and imports only its own layer and the ones below. What is known
not to hold yet would be in ``ALLOWED``, one reason each (the cycle check leaves those edges out);
an entry that no longer occurs fails the test, so the list shrinks.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LIB = REPO / "lib"
ROOT = "debiteuren"
NOTES = REPO / "docs" / "development.md"

# (importer, imported) -> why it is still there. Empty: every import points down.
ALLOWED: dict[tuple[str, str], str] = {}


def layer_map(text: str | None = None) -> list[tuple[str, tuple[str, ...]]]:
    """The "Layers" block of the developer notes, bottom first: (layer, its members).

    A member ``x/`` is the package ``debiteuren.x`` with everything in it; ``x.py`` the one module.
    """
    text = NOTES.read_text(encoding="utf-8") if text is None else text
    section = text.split("\n## Layers\n", 1)[1]
    block = section.split("```", 2)[1]
    layers = []
    for line in block.splitlines():
        if line.strip():
            name, _, members = line.strip().partition(" ")
            layers.append((name, tuple(re.findall(r"[\w/]+/|\w+\.py", members))))
    return layers[::-1]


def member_modules(member: str, modules) -> set[str]:
    if member.endswith("/"):
        package = f"{ROOT}.{member.rstrip('/').replace('/', '.')}"
        return {m for m in modules if m == package or m.startswith(package + ".")}
    name = f"{ROOT}.{member.removesuffix('.py').replace('/', '.')}"
    return {name} if name in modules else set()


def layer_levels(modules, layers=None) -> dict[str, list[int]]:
    """Module -> the levels (0 = bottom) of every layer that claims it."""
    layers = layer_map() if layers is None else layers
    levels: dict[str, list[int]] = {m: [] for m in modules if m != ROOT}
    for level, (_name, members) in enumerate(layers):
        for member in members:
            for module in member_modules(member, modules):
                levels[module].append(level)
    return levels


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


def upward_imports(graph: dict[str, set[str]], levels: dict[str, list[int]]) -> set[tuple[str, str]]:
    """Every edge to a module of a higher layer than the importer's own."""
    return {
        (importer, target)
        for importer, targets in graph.items()
        if importer in levels
        for target in targets
        if target in levels and levels[target][0] > levels[importer][0]
    }


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def without_allowed(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    return {m: {t for t in targets if (m, t) not in ALLOWED} for m, targets in graph.items()}


def test_the_package_has_no_import_cycle(graph):
    # An allowed upward import closes a cycle through the package it runs (law.rates -> register ->
    # model -> law.rates, lazily); every other cycle fails.
    assert cycles(without_allowed(graph)) == []


def test_every_module_sits_in_exactly_one_layer_of_the_notes(graph):
    levels = layer_levels(graph)
    assert {m: ls for m, ls in levels.items() if len(ls) != 1} == {}, "place the module in the Layers block"
    layers = layer_map()
    unused = [member for _name, members in layers for member in members if not member_modules(member, graph)]
    assert unused == [], "the Layers block names what no longer exists"
    names = [name for name, _members in layers]
    # The order the notes promise: law at the bottom's top, the front ends over everything.
    assert names.index("law") < names.index("register") < names.index("analysis") < names.index("orchestration")
    assert names[-2:] == ["cli", "app"]


def test_no_module_imports_a_layer_above_its_own(graph):
    upward = upward_imports(graph, layer_levels(graph))
    assert upward - set(ALLOWED) == set(), "an upward import; move the concept down or list it in ALLOWED"
    assert set(ALLOWED) - upward == set(), "an allowed exception no longer occurs: remove it from ALLOWED"
    assert all(reason.strip() for reason in ALLOWED.values())


def test_the_library_imports_neither_the_command_line_nor_the_app_and_they_not_each_other(graph):
    front = (f"{ROOT}.cli", f"{ROOT}.app")
    library = [m for m in graph if not m.startswith(front)]
    assert {(m, t) for m in library for t in graph[m] if t.startswith(front)} == set()
    # The two front ends side by side: neither imports the other (what both show is the library's).
    assert {(m, t) for m in graph if m.startswith(front[0]) for t in graph[m] if t.startswith(front[1])} == set()
    assert {(m, t) for m in graph if m.startswith(front[1]) for t in graph[m] if t.startswith(front[0])} == set()


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
    layers = layer_map("# Notes\n\n## Layers\n\n```\nregister   register/\nlaw        law/, money.py\n```\n")
    assert layers == [("law", ("law/", "money.py")), ("register", ("register/",))]
    upward = upward_imports(import_graph(modules), layer_levels(modules, layers))
    assert upward == {
        ("debiteuren.law.rates", "debiteuren.register.problems"),
        ("debiteuren.law.rates", "debiteuren.register"),
    }


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
