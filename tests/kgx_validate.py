"""Run the reference KGX validator (the `kgx` package) on a nodes/edges pair, offline.

Usage: $MECHGRAPH_KGX_PYTHON tests/kgx_validate.py NODES EDGES, with a python that has `kgx`
installed (scripts/test.sh sets one up under ~/.cache/mechgraph/kgx-venv). Prints a JSON report
``{"biolink_version", "nodes", "edges", "errors"}`` and exits 1 when there are errors.

kgx and its Biolink Model Toolkit fetch the Biolink schema, predicate map and JSON-LD
prefix contexts from the web by default; here they come from the `biolink-model` package
installed beside kgx, and mechgraph's own CURIE prefixes (``mechgraph:``,
``mechgraph.source:``) are declared in the context, as a KGX producer declares its own.
Everything is imported inside main() so that collecting this file (pytest
--doctest-modules) does not need kgx.
"""

from __future__ import annotations

import json
import sys


def main(nodes: str, edges: str) -> int:
    import importlib.resources

    import bmt.toolkit
    base = importlib.resources.files("biolink_model")
    schema = str(base / "schema" / "biolink_model.yaml")
    # the toolkit's defaults are URLs: point them at the installed schema before kgx builds one
    bmt.toolkit.Toolkit.__init__.__defaults__ = (schema, {"predicate mappings": []})
    import kgx.config
    prefixes = json.loads((base / "prefixmaps" / "biolink_model_prefix_map.json").read_text(encoding="utf-8"))
    prefixes["mechgraph"] = "urn:mechgraph:entity:"
    prefixes["mechgraph.source"] = "urn:mechgraph:source:"
    for name in ("biolink", "monarch_context", "obo_context"):
        kgx.config.jsonld_context_map[name] = dict(prefixes)
    import kgx.utils.kgx_utils as kgx_utils
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    toolkit = kgx_utils.get_toolkit()
    Validator._currently_active_toolkit = toolkit
    validator = Validator()
    counts = {"nodes": 0, "edges": 0}

    def count(kind, record):
        counts["nodes" if kind.name == "NODE" else "edges"] += 1

    validator.progress_monitor = count
    Transformer(stream=True).transform(input_args={"filename": [nodes, edges], "format": "tsv"},
                                       output_args={"format": "null"}, inspector=validator)
    errors = validator.get_errors()
    print(json.dumps({"biolink_version": toolkit.get_model_version(), **counts,
                      "errors": errors}, default=str))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
