"""Load a CX2 export with `ndex2`, the Cytoscape/NDEx team's Python library, and report.

Usage: $MECHGRAPH_NDEX2_PYTHON tests/ndex2_check.py FILE.cx2, with a python that has `ndex2`
installed (scripts/test.sh sets one up under ~/.cache/mechgraph/ndex2-venv: ndex2 brings
pandas, numpy and networkx of its own). Prints a JSON report and exits 1 when something is wrong:

- ``CX2Network.create_from_raw_cx2`` reads the file (it converts each value to its declared
  type and raises on one that cannot be);
- every value has exactly its declared type (ndex2 would silently turn a list into its text);
- ``to_cx2()`` gives back the document as read (nothing dropped, nothing added);
- ``CX2NetworkXFactory`` turns it into a networkx MultiDiGraph with every node and edge, and
  no edge points at a node that is not there.

Imports happen inside main() so that collecting this file (pytest --doctest-modules) does
not need ndex2.
"""

from __future__ import annotations

import json
import sys

PYTHON_TYPES = {"string": str, "double": float, "long": int, "integer": int, "boolean": bool}


def type_errors(declared: dict, elements: dict, aspect: str) -> list[str]:
    """Values whose Python type is not their declared CX2 type, as messages."""
    errors = []
    for element_id, element in elements.items():
        for name, value in element.get("v", {}).items():
            kind = declared.get(name, {}).get("d")
            if kind is None:
                errors.append(f"{aspect} {element_id}: {name} is not declared")
            elif kind.startswith("list_of_"):
                inner = PYTHON_TYPES[kind.removeprefix("list_of_")]
                if not isinstance(value, list) or any(type(v) is not inner for v in value):
                    errors.append(f"{aspect} {element_id}: {name} is not a {kind}: {value!r:.80}")
            elif type(value) is not PYTHON_TYPES[kind]:
                errors.append(f"{aspect} {element_id}: {name} is not a {kind}: {value!r:.80}")
    return errors


def main(path: str) -> int:
    from importlib.metadata import version

    from ndex2.cx2 import CX2Network, CX2NetworkXFactory

    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    network = CX2Network()
    network.create_from_raw_cx2(path)
    declared = network.get_attribute_declarations()
    nodes, edges = network.get_nodes(), network.get_edges()
    errors = type_errors(declared.get("nodes", {}), nodes, "node") + \
        type_errors(declared.get("edges", {}), edges, "edge")
    round_trip = json.loads(json.dumps(network.to_cx2())) == raw
    if not round_trip:
        errors.append("to_cx2() does not give back the document as read")
    dangling = sum(1 for e in edges.values() if e["s"] not in nodes or e["t"] not in nodes)
    if dangling:
        errors.append(f"{dangling} edge(s) point at missing nodes")
    nx_graph = CX2NetworkXFactory().get_graph(network)
    first_edge = edges[min(edges)] if edges else None
    print(json.dumps({
        "ndex2": version("ndex2"),
        "name": network.get_name(),
        "nodes": len(nodes),
        "edges": len(edges),
        "networkx": {"type": type(nx_graph).__name__, "nodes": nx_graph.number_of_nodes(),
                     "edges": nx_graph.number_of_edges()},
        "declared": {aspect: sorted(names) for aspect, names in declared.items()},
        "first_node": nodes[min(nodes)] if nodes else None,
        "first_edge": first_edge,
        "round_trip": round_trip,
        "errors": errors[:50],
    }))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
