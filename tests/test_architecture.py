"""The package's import graph: no cycles, and imports run downward through the layers.

Read with ``ast`` from the source (every ``import``, including the ones inside
functions), so the rule holds for lazy imports too. docs/decisions/0006-layers.md
explains the layers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: Layer of each part of the package, lowest first; a module may import only its own layer or lower ones.
LAYERS: dict[str, int] = {
    "exokg.errors": 0, "exokg.vocab": 0, "exokg._version": 0,
    "exokg.resources": 1, "exokg.progress": 1, "exokg.io": 1, "exokg.prefixes": 1,
    "exokg.query": 2, "exokg.mappings": 2,
    "exokg.pipeline": 3,
    "exokg.exports": 4, "exokg.curation": 4, "exokg.remote": 4, "exokg.mine": 4, "exokg.synthetic": 4,
    "exokg.api": 5, "exokg.cli": 6, "exokg.serve": 6, "exokg.__main__": 7, "exokg": 6,
}  # fmt: skip


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, package: str, modules: set[str]) -> Iterator[str]:
    """Every module of ``package`` that ``path`` imports.

    ``from a.b import c`` imports the module ``a.b.c`` when there is one, else the names of ``a.b``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.split(".")[0] == package)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == package:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                yield submodule if submodule in modules else node.module


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module → the package's modules it imports."""
    modules = {module_name(path, root): path for path in sorted((root / package).rglob("*.py"))}
    return {
        name: {target for target in imports_of(path, package, set(modules)) if target in modules and target != name}
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)) is not None:
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)) is not None:
            return cycle
    return None


def layer_of(module: str, layers: dict[str, int]) -> int:
    """The layer of the longest prefix of ``module`` listed in ``layers``."""
    if module in layers:
        return layers[module]
    parts = module.split(".")
    for end in range(len(parts) - 1, 1, -1):
        key = ".".join(parts[:end])
        if key in layers:
            return layers[key]
    raise KeyError(f"{module} is in no layer: add it to LAYERS")


def upward_imports(graph: dict[str, set[str]], layers: dict[str, int]) -> list[str]:
    """``a -> b`` for every import of a higher layer by a lower one."""
    return sorted(
        f"{source} (layer {layer_of(source, layers)}) -> {target} (layer {layer_of(target, layers)})"
        for source, targets in graph.items()
        for target in targets
        if layer_of(target, layers) > layer_of(source, layers)
    )


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph(SRC, "exokg")
    assert len(graph) > 40, "the walk found the package's modules"
    assert find_cycle(graph) is None


def test_imports_run_downward_through_the_layers() -> None:
    assert upward_imports(import_graph(SRC, "exokg"), LAYERS) == []


def test_every_module_has_a_layer() -> None:
    for module in import_graph(SRC, "exokg"):
        layer_of(module, LAYERS)


def test_no_module_is_longer_than_400_lines() -> None:
    long = {str(p.relative_to(SRC)): n for p in SRC.rglob("*.py") if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}


def test_no_two_modules_define_the_same_constant() -> None:
    """A module-level UPPER_CASE name bound to a literal string or number lives in one module only."""
    seen: dict[object, str] = {}
    clashes = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
            if isinstance(node, ast.AnnAssign):
                target = node.target
            value = getattr(node, "value", None)
            if not (isinstance(target, ast.Name) and target.id.isupper() and isinstance(value, ast.Constant)):
                continue
            if not isinstance(value.value, str) or len(value.value) < 8:
                continue  # short strings and numbers (a column name, a limit) may recur by coincidence
            where = f"{path.relative_to(SRC)}:{target.id}"
            if value.value in seen:
                clashes.append(f"{where} repeats {seen[value.value]}")
            seen.setdefault(value.value, where)
    assert clashes == []


# ---- the checks can fail ----


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_a_cycle_is_found(tmp_path: Path) -> None:
    root = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "from pkg.b import thing\n",
        "b.py": "def f():\n    import pkg.c\n",  # a lazy import still counts
        "c.py": "from pkg import a\n",
    })  # fmt: skip
    assert find_cycle(import_graph(root, "pkg")) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]


def test_an_upward_import_is_found(tmp_path: Path) -> None:
    root = _package(tmp_path, {"__init__.py": "", "low.py": "from pkg.high import x\n", "high.py": "x = 1\n"})
    assert upward_imports(import_graph(root, "pkg"), {"pkg.low": 0, "pkg.high": 1, "pkg": 2}) == [
        "pkg.low (layer 0) -> pkg.high (layer 1)"
    ]


def test_a_module_outside_the_layers_is_named() -> None:
    with pytest.raises(KeyError, match=r"exokg\.newthing"):
        layer_of("exokg.newthing.x", LAYERS)
