"""How curators write and check a graph: the schema every reader checks, the YAML reader,
the seed texts and their locators, provenance coverage, and ``mechgraph init``."""
