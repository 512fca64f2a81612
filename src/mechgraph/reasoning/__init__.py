"""What a graph concludes: evidence scores, ranked paths, mechanism chains, signs, the
contexts that separate findings, conflicts, and ``explain``."""
