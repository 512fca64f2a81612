"""Run the reference KGX validator (the `kgx` package) on a nodes/edges pair, offline.

Usage: $MECHGRAPH_KGX_PYTHON tests/kgx_validate.py NODES EDGES [CONTEXT.jsonld ...], with a
python that has `kgx` installed (scripts/test.sh sets one up under ~/.cache/mechgraph/kgx-venv).
Prints a JSON report ``{"biolink_version", "nodes", "edges", "errors"}`` and exits 1 when there
are errors.

kgx and its Biolink Model Toolkit fetch the Biolink schema, predicate map and JSON-LD
prefix contexts from the web by default; here they come from the `biolink-model` package
installed beside kgx (:func:`offline`). The JSON-LD contexts named after the files (the
export's ``context.jsonld``) are added to Biolink's, as a KGX consumer reads a producer's
context: nothing is declared by hand here, so a prefix the export does not declare fails.
Everything is imported inside functions so that collecting this file (pytest
--doctest-modules) does not need kgx.
"""

from __future__ import annotations

import json
import sys


def offline(contexts: list[str] = ()) -> None:
    """Point kgx and bmt at the installed Biolink Model, with Biolink's prefixes plus those of
    the JSON-LD ``contexts`` (files) as the prefix context kgx validates CURIEs against."""
    import importlib.resources

    import bmt.toolkit
    base = importlib.resources.files("biolink_model")
    schema = str(base / "schema" / "biolink_model.yaml")
    # the toolkit's defaults are URLs: point them at the installed schema before kgx builds one
    bmt.toolkit.Toolkit.__init__.__defaults__ = (schema, {"predicate mappings": []})
    import kgx.config
    prefixes = json.loads((base / "prefixmaps" / "biolink_model_prefix_map.json").read_text(encoding="utf-8"))
    for path in contexts:
        with open(path, encoding="utf-8") as f:
            prefixes.update(json.load(f)["@context"])
    for name in ("biolink", "monarch_context", "obo_context"):
        kgx.config.jsonld_context_map[name] = dict(prefixes)


def main(nodes: str, edges: str, *contexts: str) -> int:
    offline(list(contexts))
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
    sys.exit(main(*sys.argv[1:]))
