"""Read a nodes/edges pair with the KGX tool's own reader, offline, and print what it kept.

Usage: $MECHGRAPH_KGX_PYTHON tests/kgx_read.py NODES EDGES [CONTEXT.jsonld ...]. Prints
``{"nodes": N, "edges": M, "edge_list": [[subject, object, key, id], ...]}``.

This is ``kgx transform``'s path: a ``Transformer`` (not streaming) reads the TSV into its
default graph store, a networkx MultiDiGraph, keying each edge by the row's ``key`` when it
has one and by subject-predicate-object otherwise; edges that share a key are merged into
one. Imports happen inside main() so that collecting this file does not need kgx.
"""

from __future__ import annotations

import json
import sys


def main(nodes: str, edges: str, *contexts: str) -> int:
    from kgx_validate import offline
    offline(list(contexts))
    from kgx.transformer import Transformer

    transformer = Transformer()
    transformer.transform(input_args={"filename": [nodes, edges], "format": "tsv"})
    graph = transformer.store.graph
    edge_list = sorted([u, v, k, d.get("id")] for u, v, k, d in graph.edges(keys=True, data=True))
    print(json.dumps({"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                      "edge_list": edge_list}))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
