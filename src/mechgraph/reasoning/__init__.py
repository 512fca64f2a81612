"""What a graph concludes: evidence scores, ranked paths, mechanism chains, signs, the
contexts that separate findings, conflicts, and ``explain``."""

from ..exports import lazy_exports

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
