"""How a graph is kept fast: atomic writes, the on-disk cache (a record file read on demand
and an integer topology), and the networkx graph built from a model."""
