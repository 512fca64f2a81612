"""How much a map draws at most, unless told otherwise (``render --max-entities``,
``--max-assertions``).

A page of 10,000 entities and 33,333 assertions is 52 MB and draws in 1.5 s
(benchmarks/map_scale.py); the whole of a graph of a million assertions would be
gigabytes, and no browser would open it.
"""

MAX_ENTITIES, MAX_ASSERTIONS = 12_000, 40_000
