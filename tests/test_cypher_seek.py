"""An inline ``{id: …}`` pattern seeks through an index; it must give exactly the rows a
scan gives (``WHERE n.id = …``), whatever the ids hold: duplicates, integers and equal
floats, booleans, strings that look like numbers, lists, NaN."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from mechgraph.cypher.engine import Engine
from mechgraph.cypher.matching import GraphIndex
from mechgraph.cypher.values import Node

IDS = st.one_of(
    st.integers(-3, 3), st.sampled_from([1.0, 2.5, -0.0, math.nan, math.inf, 2 ** 53, float(2 ** 53)]),
    st.booleans(), st.sampled_from(["1", "a", "A", ""]),
    st.lists(st.integers(0, 2), max_size=2))


def _engine(ids: list) -> Engine:
    nodes = [Node(f"n{i}", ("Thing",), {"k": i, **({} if value is None else {"id": value})})
             for i, value in enumerate(ids)]
    return Engine.from_index(GraphIndex(nodes, []))


def _keys(engine: Engine, query: str, value) -> list:
    return sorted(row[0] for row in engine.run(query, {"v": value}).rows)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.none(), IDS), max_size=8), IDS)
def test_a_seek_by_id_gives_the_rows_a_scan_gives(ids, wanted):
    engine = _engine(ids)
    scanned = _keys(engine, "MATCH (n:Thing) WHERE n.id = $v RETURN n.k", wanted)
    assert _keys(engine, "MATCH (n:Thing {id: $v}) RETURN n.k", wanted) == scanned
    assert _keys(engine, "MATCH (n {id: $v}) RETURN n.k", wanted) == scanned


def test_the_cases_that_went_wrong():
    engine = _engine([1, 1, 2.5, [1, 2], "1", True])
    seek = "MATCH (n {id: $v}) RETURN n.k"
    assert _keys(engine, seek, 1) == [0, 1]            # duplicate ids: both rows
    assert _keys(engine, seek, 1.0) == [0, 1]          # 1.0 = 1
    assert _keys(engine, seek, 2.5) == [2]             # a float id
    assert _keys(engine, seek, [1, 2]) == [3]          # a list id neither crashes nor is lost
    assert _keys(engine, seek, "1") == [4]             # '1' <> 1
    assert _keys(engine, seek, True) == [5]            # true <> 1
    assert _keys(engine, seek, None) == []             # null equals nothing
