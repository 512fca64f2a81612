"""The package's layers (docs/architecture.md): no import cycles, not even through an
import inside a function, and each layer imports only what lies beneath it."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mechgraph"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _type_checking_only(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING" or \
        isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING"


def imports_of(name: str) -> set[str]:
    """The mechgraph modules ``name`` imports when it runs: at the top, inside functions
    and classes, but not under ``if TYPE_CHECKING:`` (never executed)."""
    path = MODULES[name]
    is_package = path.name == "__init__.py"
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking_only(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names if a.name.split(".")[0] == "mechgraph")
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - child.level + 1]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                if target.split(".")[0] != "mechgraph":
                    continue
                for alias in child.names:
                    found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    found.discard(name)
    return {m for m in found if m in MODULES}


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    graph.add_edges_from((name, target) for name in MODULES for target in imports_of(name))
    return graph


GRAPH = import_graph()


def layer(module: str) -> str:
    """The folder a module belongs to (a top-level module, and the package itself, are their own)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "mechgraph"


#: the modules beneath every layer: errors, atomic writes, lazy exports, the version
FOUNDATION = {"errors", "atomic", "collector", "exports", "version"}


def test_the_import_graph_is_read_from_every_module():
    assert len(MODULES) > 100
    assert ("mechgraph.graph", "mechgraph.store.cache") in GRAPH.edges  # an import inside a method counts
    assert ("mechgraph.cli.output", "mechgraph.cypher") in GRAPH.edges  # ... and one under `if`, not TYPE_CHECKING


def test_no_import_cycles_even_through_imports_inside_functions():
    cycles = [sorted(c) for c in nx.strongly_connected_components(GRAPH) if len(c) > 1]
    assert cycles == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


#: what each layer may import besides itself and the foundation
ALLOWED = {
    "model": set(),
    "curation": {"model"},
    "reasoning": {"model", "store"},
    "store": {"model", "curation", "reasoning", "io"},
}
#: what each layer must never import
FORBIDDEN = {
    "reasoning": {"io", "backends", "html", "cli", "serve", "figures", "diff", "graph", "mechgraph"},
    "cypher": {"cli", "serve", "html", "figures", "graph", "mechgraph"},
    "io": {"cli", "serve", "html", "figures"},
    "backends": {"cli", "serve", "html", "figures"},
    "html": {"cli", "serve"},
}


@pytest.mark.parametrize("lower", sorted(ALLOWED))
def test_a_lower_layer_imports_only_what_lies_beneath_it(lower):
    wrong = sorted((a, b) for a, b in GRAPH.edges
                   if layer(a) == lower and layer(b) not in ALLOWED[lower] | {lower} | FOUNDATION)
    assert wrong == []


@pytest.mark.parametrize("lower", sorted(FORBIDDEN))
def test_no_layer_reaches_up(lower):
    wrong = sorted((a, b) for a, b in GRAPH.edges if layer(a) == lower and layer(b) in FORBIDDEN[lower])
    assert wrong == []


def public(module: str) -> bool:
    """A module of the library's public API: the package, a folder's ``__init__`` (its
    ``EXPORTS``), ``mechgraph.graph`` or the foundation (what the reference documents)."""
    parts = module.split(".")
    return len(parts) <= 2 and (module in ("mechgraph", "mechgraph.graph") or layer(module) in FOUNDATION
                                or MODULES[module].name == "__init__.py")


def test_the_command_line_uses_only_the_public_api():
    wrong = sorted((a, b) for a, b in GRAPH.edges
                   if layer(a) == "cli" and layer(b) != "cli" and not public(b))
    assert wrong == []
