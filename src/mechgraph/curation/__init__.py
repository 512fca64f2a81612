"""How curators write and check a graph: the schema every reader checks, the YAML reader,
the seed texts and their locators, provenance coverage, and ``mechgraph init``."""

from ..exports import lazy_exports
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers; at run time each name is imported on first use (EXPORTS)
    from .coverage import check_coverage as check_coverage, cited_sentences as cited_sentences, load_seeds as load_seeds
    from .identifiers import problems as xref_problems  # noqa: F401 (re-exported under its EXPORTS name)
    from .identifiers import unchecked_note as unchecked_xrefs_note  # noqa: F401 (re-exported under its EXPORTS name)
    from .init import TEXTS as TEXTS, init_graph as init_graph
    from .yaml_reader import load_model as load_model, read_graph_dir as read_graph_dir

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
