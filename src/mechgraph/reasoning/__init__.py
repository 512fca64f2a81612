"""What a graph concludes: evidence scores, ranked paths, mechanism chains, signs, the
contexts that separate findings, conflicts, and ``explain``."""

from ..exports import lazy_exports
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers; at run time each name is imported on first use (EXPORTS)
    from .chains import chain_rank as chain_rank, mechanism_chains as mechanism_chains
    from .citing import named_path as named_path
    from .conflicts import KINDS as CONFLICT_KINDS  # noqa: F401 (re-exported under its EXPORTS name)
    from .conflicts import find_conflicts as find_conflicts
    from .evidence import assertion_score as assertion_score, score_parts as score_parts, study_weights as study_weights
    from .explain import default_outcome as default_outcome
    from .explain import explain as explain_drug  # noqa: F401 (re-exported under its EXPORTS name)
    from .mentions import ROLE_TITLES as ROLE_TITLES, entity_mentions as entity_mentions, guidance as guidance
    from .paths import ranked_paths as ranked_paths
    from .signs import annotate_signs as annotate_signs

#: the folder's public names, and the module that defines each (imported on first use)
EXPORTS = {
    "CONFLICT_KINDS": "conflicts:KINDS",
    "ROLE_TITLES": "mentions",
    "annotate_signs": "signs",
    "assertion_score": "evidence",
    "chain_rank": "chains",
    "default_outcome": "explain",
    "entity_mentions": "mentions",
    "explain_drug": "explain:explain",
    "find_conflicts": "conflicts",
    "guidance": "mentions",
    "mechanism_chains": "chains",
    "named_path": "citing",
    "ranked_paths": "paths",
    "score_parts": "evidence",
    "study_weights": "evidence",
}
__all__ = sorted(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
