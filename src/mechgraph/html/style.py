"""How the map looks: the column (tier) of each entity type, its colour and shape,
and how an assertion's sign and evidence turn into an edge's head, colour and width.

The columns read left to right from the drug to its targets, signalling, plasticity
and circuits, behaviour and clinical outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.constants import ENTITY_TYPES


@dataclass(frozen=True)
class TypeStyle:
    """The look of one entity type: its column, colour (hex) and vis-network shape."""

    tier: int
    color: str
    shape: str


#: the columns of the map, left to right: (id, English title, Chinese title)
TIERS: tuple[tuple[str, str, str], ...] = (
    ("drugs", "Drugs", "药物"),
    ("targets", "Receptors, targets", "受体与靶点"),
    ("signalling", "Signalling", "信号转导"),
    ("plasticity", "Plasticity, circuits", "可塑性与环路"),
    ("behaviour", "Behaviour", "行为"),
    ("clinical", "Clinical outcomes", "临床结局"),
)

#: entity type -> its column, colour and shape; the order is the legend's
TYPE_STYLES: dict[str, TypeStyle] = {
    "Drug": TypeStyle(0, "#c62828", "diamond"),
    "Compound": TypeStyle(0, "#ef6c00", "diamond"),
    "Metabolite": TypeStyle(0, "#f9a825", "diamond"),
    "Route": TypeStyle(0, "#8d6e63", "triangleDown"),
    "Receptor": TypeStyle(1, "#1565c0", "triangle"),
    "ReceptorSubunit": TypeStyle(1, "#64b5f6", "triangleDown"),
    "Enzyme": TypeStyle(1, "#7b1fa2", "hexagon"),
    "Neurotransmitter": TypeStyle(2, "#c0a000", "star"),
    "Molecule": TypeStyle(2, "#9e9d24", "star"),
    "Protein": TypeStyle(2, "#00897b", "dot"),
    "Gene": TypeStyle(2, "#2e7d32", "square"),
    "Variant": TypeStyle(2, "#81c784", "square"),
    "Cytokine": TypeStyle(2, "#d81b60", "dot"),
    "Pathway": TypeStyle(2, "#5e35b1", "hexagon"),
    "Process": TypeStyle(3, "#00acc1", "dot"),
    "CellType": TypeStyle(3, "#6d4c41", "triangle"),
    "BrainRegion": TypeStyle(3, "#546e7a", "square"),
    "Circuit": TypeStyle(3, "#90a4ae", "square"),
    "Organ": TypeStyle(3, "#bcaaa4", "square"),
    "Phenotype": TypeStyle(4, "#ad1457", "star"),
    "Condition": TypeStyle(5, "#b71c1c", "dot"),
    "AdverseEffect": TypeStyle(5, "#e65100", "triangleDown"),
    "Population": TypeStyle(5, "#4e342e", "dot"),
    "Procedure": TypeStyle(5, "#37474f", "square"),
    "Measure": TypeStyle(5, "#6a1b9a", "diamond"),
    "NamedThing": TypeStyle(2, "#9e9e9e", "dot"),
}

#: the look of a type that has no entry above
FALLBACK_STYLE = TypeStyle(2, "#9e9e9e", "dot")


def type_style(entity_type: str) -> TypeStyle:
    """The style of an entity type (a grey dot among the signalling entities when unknown).

    >>> type_style("Drug").tier, type_style("NoSuchType") == FALLBACK_STYLE
    (0, True)
    """
    return TYPE_STYLES.get(entity_type, FALLBACK_STYLE)


def legend_order() -> list[str]:
    """Every entity type, in the legend's order: styled types first, then any others."""
    return list(TYPE_STYLES) + [t for t in ENTITY_TYPES if t not in TYPE_STYLES]

#: assertion sign -> edge colour and arrow head ("bar" is the inhibition head)
SIGN_STYLES: dict[str | None, tuple[str, str]] = {
    "+": ("#2e7d32", "arrow"),
    "-": ("#c62828", "bar"),
    None: ("#78909c", "vee"),
}

#: dash pattern of an edge that has refuting or no-effect findings
CONTESTED_DASHES: list[int] = [8, 6]


def edge_width(score: float) -> float:
    """Edge width in pixels: 1 for no support, 6 for a score of 1.

    >>> edge_width(0.5)
    3.5
    """
    return round(1.0 + 5.0 * max(0.0, min(1.0, score)), 2)


def edge_opacity(level_rank: int) -> float:
    """Edge opacity from the rank of its best evidence level (6 strongest, 1 review opinion).

    >>> edge_opacity(6), edge_opacity(1)
    (1.0, 0.45)
    """
    return round(0.45 + 0.11 * (level_rank - 1), 2)

#: outline colour of a group's box, by the kind of group
GROUP_COLORS: dict[str, str] = {"family": "#5e35b1", "type": "#607d8b", "category": "#00796b"}


def group_color(kind: str) -> str:
    """The outline colour of a group box (a mechanism family, an entity type, a clinical category).

    >>> group_color("family")
    '#5e35b1'
    """
    return GROUP_COLORS.get(kind, "#607d8b")
