"""Deterministic layouts: layers left to right, groups as bands, rows by barycentre.

Every view of the map is drawn from positions computed here; no physics runs in the
browser. A layout places nodes in *layers* (columns, left to right) and *bands* (groups
stacked top to bottom). Two arrangements:

- **aligned** bands run across every layer (the mechanism view: each mechanism family is
  one horizontal band from the drug's targets to the outcome, so that its box encloses
  only its own members);
- **stacked** bands are stacked within each layer independently (the type columns of the
  whole-graph view).

A node with no band floats in the vertical middle of its layer (the drug, the outcome).
Within a cell (one layer of one band) nodes are ordered to sit near the mean position of
their neighbours in other layers (a few sweeps of the barycentre heuristic,
Sugiyama-style), so that edges cross less. A tall cell wraps into sub-columns.

>>> layout = layered_layout({"d": "Drug", "r": "Receptor", "c": "Condition"}, [("d", "r"), ("d", "c")])
>>> [layout.positions[n][0] for n in ("d", "r", "c")]
[0, 300, 600]
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from .style import TIERS, legend_order, type_style

#: horizontal distance between two sub-columns of one layer, in canvas pixels
SUB_GAP = 170
#: extra distance between two layers
TIER_GAP = 130
#: vertical distance between two rows
ROW_GAP = 80
#: extra vertical distance between two bands (room for a group's box and title)
BAND_GAP = 110
#: sweeps of the barycentre heuristic
SWEEPS = 6
#: the width:height ratio a layout aims for
ASPECT = 1.4
#: the fewest rows a cell may have before it wraps
MIN_ROWS = 6


@dataclass
class Layout:
    """Node positions (integer canvas pixels), column headers and group boxes."""

    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: one record per titled column: {"id", "title", "title_zh", "x"}
    tiers: list[dict] = field(default_factory=list)
    #: y of the column headers (above the tallest column)
    header_y: int = 0
    #: node id -> index of its layer among the layers drawn
    column_of: dict[str, int] = field(default_factory=dict)
    #: band key -> its members (in drawing order) and centre: {"members": [...], "center": [x, y]};
    #: in a stacked layout a band drawn in several layers has one entry per layer, keyed "band@layer"
    bands: dict = field(default_factory=dict)


def banded_layout(layer_of: dict[str, int], band_of: Mapping[str, str | None], edges, *,
                  band_order: list[str] | None = None, aligned: bool = False,
                  names: dict[str, str] | None = None, titles: dict[int, tuple[str, str, str]] | None = None,
                  aspect: float = ASPECT) -> Layout:
    """Place every node of ``layer_of`` (node -> layer, any integers; smaller is further left).

    ``band_of`` gives a node's band (None: it floats in the middle of its layer);
    ``band_order`` lists bands top to bottom (bands not listed follow, sorted).
    ``edges`` are (u, v) pairs (direction ignored) that the ordering keeps short;
    ``names`` breaks ties alphabetically; ``titles`` maps a layer to its header
    ``(id, title, title_zh)``. The same input always gives the same positions.
    """
    name_of: dict[str, str] = names or {}

    def by_name(n: str) -> tuple[str, str]:
        return name_of.get(n, n).casefold(), n

    nodes = sorted(layer_of, key=by_name)
    if not nodes:
        return Layout()
    layers = sorted(set(layer_of.values()))
    layer_index = {layer: i for i, layer in enumerate(layers)}
    listed = list(dict.fromkeys(band_order or []))
    present = sorted({b for b in band_of.values() if b is not None} - set(listed))
    bands = [b for b in listed if any(band_of.get(n) == b for n in nodes)] + present
    band_index = {b: i for i, b in enumerate(bands)}

    cells: dict[tuple[int, int], list[str]] = defaultdict(list)
    for node in nodes:
        band = band_of.get(node)
        cells[(layer_index[layer_of[node]], -1 if band is None else band_index[band])].append(node)

    neighbours: dict[str, list[str]] = {n: [] for n in nodes}
    for u, v in sorted({tuple(sorted(e)) for e in edges}):
        if u != v and u in neighbours and v in neighbours:
            neighbours[u].append(v)
            neighbours[v].append(u)

    rows = _rows_per_cell(cells, len(layers), len(bands), aligned, aspect)
    place = _Placer(cells, len(layers), len(bands), rows, aligned)
    y = place.ys()
    for sweep in range(SWEEPS):
        sequence = range(len(layers)) if sweep % 2 == 0 else reversed(range(len(layers)))
        for li in sequence:
            for cell_key in sorted(k for k in cells if k[0] == li):
                cell = cells[cell_key]
                initial = {n: i for i, n in enumerate(cell)}

                def barycentre(node: str, y: dict = y) -> float:
                    others = [y[m] for m in neighbours[node] if layer_of[m] != layer_of[node]]
                    return sum(others) / len(others) if others else y[node]

                keys = {n: barycentre(n) for n in cell}
                cell.sort(key=lambda n: (round(keys[n], 6), initial[n]))
            y = place.ys()

    layout = Layout()
    xs = place.layer_x()
    for (li, bi), cell in cells.items():
        for node, (x, y_) in zip(cell, place.cell_positions(li, bi), strict=True):
            layout.positions[node] = (x, y_)
            layout.column_of[node] = li
    for bi, band in enumerate(bands):
        in_layers = sorted(li for (li, b) in cells if b == bi)
        groups = [(band, in_layers)] if aligned or len(in_layers) == 1 else \
            [(f"{band}@{layers[li]}", [li]) for li in in_layers]
        for key, chosen in groups:
            members = [n for li in chosen for n in cells[(li, bi)]]
            px = [layout.positions[n][0] for n in members]
            py = [layout.positions[n][1] for n in members]
            layout.bands[key] = {"members": members, "band": band,
                                 "center": [int(round((min(px) + max(px)) / 2)), int(round((min(py) + max(py)) / 2))]}
    top = min(p[1] for p in layout.positions.values())
    layout.header_y = top - (ROW_GAP + (BAND_GAP if bands else 0))
    for li, layer in enumerate(layers):
        if titles and layer in titles:
            tier_id, title, title_zh = titles[layer]
            layout.tiers.append({"id": tier_id, "title": title, "title_zh": title_zh, "x": xs[li][1]})
    return layout


class _Placer:
    """Positions of the cells' nodes for the current order."""

    def __init__(self, cells, n_layers: int, n_bands: int, rows: int, aligned: bool):
        self.cells, self.n_layers, self.n_bands, self.rows, self.aligned = cells, n_layers, n_bands, rows, aligned
        self.shape = {key: self._shape(len(cell)) for key, cell in cells.items()}
        self.widths = [max([self.shape[k][0] for k in cells if k[0] == li] or [1]) for li in range(n_layers)]
        self.tops = self._tops()

    def _shape(self, n: int) -> tuple[int, int]:
        sub = max(1, math.ceil(n / self.rows))
        return sub, math.ceil(n / sub)

    def _tops(self) -> dict[tuple[int, int], float]:
        """The y (in canvas pixels) of each cell's first row."""
        tops = {}
        if self.aligned:
            heights = [max([self.shape[k][1] for k in self.cells if k[1] == bi] or [0]) for bi in range(self.n_bands)]
            band_top, y = [], 0.0
            for h in heights:
                band_top.append(y)
                y += h * ROW_GAP + (BAND_GAP if h else 0)
            total = max(0.0, y - BAND_GAP - ROW_GAP) if heights else 0.0
            for (li, bi) in self.cells:
                rows = self.shape[(li, bi)][1]
                if bi < 0:
                    tops[(li, bi)] = total / 2 - (rows - 1) * ROW_GAP / 2
                else:
                    spare = (heights[bi] - rows) * ROW_GAP / 2
                    tops[(li, bi)] = band_top[bi] + spare
            middle = total / 2
        else:
            for li in range(self.n_layers):
                keys = sorted(k for k in self.cells if k[0] == li)
                y, starts = 0.0, {}
                for key in keys:
                    starts[key] = y
                    y += self.shape[key][1] * ROW_GAP + (BAND_GAP if key[1] >= 0 else ROW_GAP)
                height = y - (BAND_GAP if keys and keys[-1][1] >= 0 else ROW_GAP) - ROW_GAP
                for key in keys:
                    tops[key] = starts[key] - height / 2
            middle = 0.0
        return {k: v - middle for k, v in tops.items()}

    def layer_x(self) -> list[tuple[int, int]]:
        """(left x, centre x) of each layer."""
        out, x = [], 0
        for width in self.widths:
            out.append((x, x + (width - 1) * SUB_GAP // 2))
            x += (width - 1) * SUB_GAP + SUB_GAP + TIER_GAP
        return out

    def cell_positions(self, li: int, bi: int) -> list[tuple[int, int]]:
        sub, rows = self.shape[(li, bi)]
        left, centre = self.layer_x()[li]
        x0 = centre - (sub - 1) * SUB_GAP / 2
        out = []
        for i in range(len(self.cells[(li, bi)])):
            row, column = divmod(i, sub)
            out.append((int(round(x0 + column * SUB_GAP)), int(round(self.tops[(li, bi)] + row * ROW_GAP))))
        return out

    def ys(self) -> dict[str, float]:
        y: dict[str, float] = {}
        for (li, bi), cell in self.cells.items():
            for node, (_, yy) in zip(cell, self.cell_positions(li, bi), strict=True):
                y[node] = yy
        return y


def _rows_per_cell(cells, n_layers: int, n_bands: int, aligned: bool, aspect: float) -> int:
    """The most rows a cell may have before it wraps: the number whose layout's
    width:height ratio comes closest to ``aspect`` (at least ``MIN_ROWS``)."""
    sizes = {key: len(cell) for key, cell in cells.items()}
    largest = max(sizes.values())
    best, best_error = max(MIN_ROWS, 1), math.inf
    for rows in range(MIN_ROWS, max(MIN_ROWS, largest) + 1):
        shape = {k: (max(1, math.ceil(n / rows)), 0) for k, n in sizes.items()}
        shape = {k: (s, math.ceil(sizes[k] / s)) for k, (s, _) in shape.items()}
        widths = [max([shape[k][0] for k in shape if k[0] == li] or [1]) for li in range(n_layers)]
        width = sum(widths) * SUB_GAP + (n_layers - 1) * TIER_GAP
        if aligned:
            height = sum(max([shape[k][1] for k in shape if k[1] == bi] or [0]) for bi in range(n_bands))
            height += max([shape[k][1] for k in shape if k[1] < 0] or [0]) if not n_bands else 0
            height = height * ROW_GAP + max(0, n_bands - 1) * BAND_GAP
        else:
            height = max(sum(shape[k][1] for k in shape if k[0] == li) * ROW_GAP
                         + sum(BAND_GAP for k in shape if k[0] == li) for li in range(n_layers))
        error = abs(math.log(max(width, 1) / max(height, ROW_GAP) / aspect))
        if error < best_error - 1e-9:
            best, best_error = rows, error
    return best


def dag_layers(nodes, edges, *, first: str | None = None, last: str | None = None, tighten: bool = True) -> dict[str, int]:
    """Layers for a directed graph read left to right: the longest path from a source.

    Cycles are broken by dropping the edges that close them in a depth-first walk
    from ``first`` (then from the other nodes, sorted). ``first`` gets layer 0 and
    ``last`` the layer after every other node. With ``tighten``, a source is moved
    next to its nearest successor (a route beside its drug, an enzyme beside the
    metabolite it forms).

    >>> dag_layers(["a", "b", "c", "d"], [("a", "b"), ("b", "c"), ("a", "c"), ("d", "c")])
    {'a': 0, 'b': 1, 'c': 2, 'd': 1}
    """
    nodes = sorted(set(nodes))
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for u, v in sorted(set(edges)):
        if u != v and u in succ and v in succ and v not in succ[u]:
            succ[u].append(v)
    if last is not None and last in succ:
        succ[last] = []
    # depth-first walk; an edge into a node still on the stack closes a cycle
    state: dict[str, int] = {}
    kept: dict[str, list[str]] = {n: [] for n in nodes}
    order = ([first] if first in succ else []) + [n for n in nodes if n != first]
    for root in order:
        if root in state:
            continue
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                continue
            if nxt == first:
                continue
            if state.get(nxt) == 1:
                continue  # a back edge
            kept[node].append(nxt)
            if nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
    indegree = {n: 0 for n in nodes}
    for u in nodes:
        for v in kept[u]:
            indegree[v] += 1
    layer = {n: 0 for n in nodes}
    ready = [n for n in nodes if indegree[n] == 0]
    topo = []
    while ready:
        ready.sort()
        node = ready.pop(0)
        topo.append(node)
        for v in kept[node]:
            layer[v] = max(layer[v], layer[node] + 1)
            indegree[v] -= 1
            if indegree[v] == 0:
                ready.append(v)
    if tighten:
        has_in = {v for u in nodes for v in kept[u]}
        for node in reversed(topo):
            if node not in has_in and node != first and kept[node]:
                layer[node] = max(0, min(layer[v] for v in kept[node]) - 1)
    if last is not None and last in layer:
        others = [layer[n] for n in nodes if n != last]
        layer[last] = max(others) + 1 if others else 0
    if first is not None and first in layer:
        layer[first] = min(0, min(layer.values()))
    return layer


def _type_order(entity_type: str) -> int:
    order = legend_order()
    return order.index(entity_type) if entity_type in order else len(order)


def layered_layout(types: dict[str, str], edges, names: dict[str, str] | None = None) -> Layout:
    """The type-column layout of the whole graph: each entity type in its column
    (``style.TIERS``: drugs on the left, clinical outcomes on the right), one band per
    type within a column. ``edges`` are (u, v) pairs (direction ignored)."""
    layer_of = {n: type_style(t).tier for n, t in types.items()}
    band_of = {n: t for n, t in types.items()}
    order = sorted(set(types.values()), key=lambda t: (_type_order(t), t))
    titles = {i: tier for i, tier in enumerate(TIERS)}
    return banded_layout(layer_of, band_of, edges, band_order=order, aligned=False, names=names, titles=titles)
