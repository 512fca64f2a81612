"""A deterministic layered layout: columns by entity type, rows by barycentre.

Each entity type belongs to a column (``style.TIERS``): drugs on the left, then
receptors and targets, signalling, plasticity and circuits, behaviour, and clinical
outcomes on the right. Within a column, entities are ordered to keep each near the
mean position of its neighbours in other columns (a few sweeps of the barycentre
heuristic, Sugiyama-style), so that edges cross less. A tall column wraps into
several sub-columns. No physics runs in the browser: the page draws these positions.

>>> layout = layered_layout({"d": "Drug", "r": "Receptor", "c": "Condition"}, [("d", "r"), ("d", "c")])
>>> [layout.positions[n][0] for n in ("d", "r", "c")]
[0, 300, 600]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .style import TIERS, legend_order, type_style

#: horizontal distance between two sub-columns of one column, in canvas pixels
SUB_GAP = 170
#: extra distance between two columns
TIER_GAP = 130
#: vertical distance between two rows
ROW_GAP = 80
#: sweeps of the barycentre heuristic
SWEEPS = 6
#: the width:height ratio the layout aims for
ASPECT = 1.2


@dataclass
class Layout:
    """Node positions (integer canvas pixels) and the columns' header positions."""

    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: one record per non-empty column: {"id", "title", "title_zh", "x"}
    tiers: list[dict] = field(default_factory=list)
    #: y of the column headers (above the tallest column)
    header_y: int = 0
    #: node id -> index of its column among the columns drawn
    column_of: dict[str, int] = field(default_factory=dict)


def _type_order(entity_type: str) -> int:
    order = legend_order()
    return order.index(entity_type) if entity_type in order else len(order)


def layered_layout(types: dict[str, str], edges: list[tuple[str, str]],
                   names: dict[str, str] | None = None) -> Layout:
    """Place every node of ``types`` (node id -> entity type).

    ``edges`` are (u, v) pairs (direction is ignored); ``names`` (node id -> name)
    breaks ties alphabetically. The same input always gives the same positions.
    """
    names = names or {}
    columns: list[list[str]] = [[] for _ in TIERS]
    for node in sorted(types, key=lambda n: (_type_order(types[n]), names.get(n, n).casefold(), n)):
        columns[type_style(types[node]).tier].append(node)
    used = [(index, column) for index, column in enumerate(columns) if column]
    if not used:
        return Layout()

    neighbours: dict[str, list[str]] = {n: [] for n in types}
    for u, v in sorted(set(tuple(sorted(e)) for e in edges)):
        if u != v and u in neighbours and v in neighbours:
            neighbours[u].append(v)
            neighbours[v].append(u)
    tier_of = {n: type_style(types[n]).tier for n in types}
    order = [list(column) for _, column in used]
    rank = _ranks(order)
    for sweep in range(SWEEPS):
        sequence = range(len(order)) if sweep % 2 == 0 else reversed(range(len(order)))
        for index in sequence:
            column = order[index]
            initial = {n: i for i, n in enumerate(column)}

            def barycentre(node: str) -> float:
                others = [rank[m] for m in neighbours[node] if tier_of[m] != tier_of[node]]
                return sum(others) / len(others) if others else rank[node]

            keys = {n: barycentre(n) for n in column}
            column.sort(key=lambda n: (round(keys[n], 9), initial[n]))
            rank.update(_ranks([column]))

    rows_per_column = _rows_per_column([len(column) for column in order])
    layout = Layout()
    x = 0
    tallest = 0
    for column_index, ((tier_index, _), column) in enumerate(zip(used, order)):
        subcolumns = math.ceil(len(column) / rows_per_column)
        rows = math.ceil(len(column) / subcolumns)
        tallest = max(tallest, rows)
        for i, node in enumerate(column):
            row, sub = divmod(i, subcolumns)
            y = (row - (rows - 1) / 2) * ROW_GAP
            layout.positions[node] = (x + sub * SUB_GAP, int(round(y)))
            layout.column_of[node] = column_index
        tier_id, title, title_zh = TIERS[tier_index]
        layout.tiers.append({"id": tier_id, "title": title, "title_zh": title_zh,
                             "x": x + (subcolumns - 1) * SUB_GAP // 2})
        x += (subcolumns - 1) * SUB_GAP + SUB_GAP + TIER_GAP
    layout.header_y = -int(round((tallest - 1) / 2 * ROW_GAP)) - 90
    return layout


def _rows_per_column(sizes: list[int]) -> int:
    """The most rows a column may have before it wraps: the number whose layout's
    width:height ratio comes closest to ``ASPECT`` (at least 8)."""
    best, best_error = 8, math.inf
    for rows in range(8, max(sizes) + 1):
        subcolumns = [math.ceil(size / rows) for size in sizes]
        width = sum(subcolumns) * SUB_GAP + (len(sizes) - 1) * TIER_GAP
        height = max(math.ceil(size / sub) for size, sub in zip(sizes, subcolumns)) * ROW_GAP
        error = abs(math.log(width / height / ASPECT))
        if error < best_error - 1e-9:
            best, best_error = rows, error
    return best


def _ranks(columns: list[list[str]]) -> dict[str, float]:
    """Each node's position within its column, scaled to 0..1."""
    rank = {}
    for column in columns:
        span = max(1, len(column) - 1)
        for i, node in enumerate(column):
            rank[node] = i / span if len(column) > 1 else 0.5
    return rank
