"""How curators write and check a graph: the schema every reader checks, the YAML reader,
the seed texts and their locators, provenance coverage, and ``mechgraph init``."""

from ..exports import lazy_exports

#: the folder's public names, and the module that defines each (imported on first use)
EXPORTS = {
    "TEXTS": "init",
    "check_coverage": "coverage",
    "cited_sentences": "coverage",
    "init_graph": "init",
    "load_model": "yaml_reader",
    "load_seeds": "coverage",
    "unchecked_xrefs_note": "identifiers:unchecked_note",
    "xref_problems": "identifiers:problems",
    "read_graph_dir": "yaml_reader",
}
__all__ = sorted(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
