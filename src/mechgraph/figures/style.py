"""How figures look: sizes for a journal column, a colour-blind-safe palette (Okabe and
Ito's eight colours), arrow heads that differ by shape as well as colour, and the words
a figure prints, in English and Chinese.
"""

from __future__ import annotations

from ..model.constants import EVIDENCE_LEVELS

#: journal column widths, in millimetres
COLUMNS: dict[str, float] = {"single": 85.0, "double": 180.0}
#: points per millimetre
PT_PER_MM = 72 / 25.4

#: text sizes in points, at the printed size
TITLE = 8.5
LABEL = 7.0
NOTE = 6.0
#: line height as a multiple of the text size
LEADING = 1.22

#: Okabe & Ito (2008), "Color Universal Design": safe for the common colour-vision deficiencies
OKABE_ITO = {"orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
             "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000"}

#: colour of each column of the map (drugs, targets, signalling, plasticity, behaviour, clinical)
TIER_COLORS: tuple[str, ...] = (OKABE_ITO["orange"], OKABE_ITO["sky_blue"], OKABE_ITO["bluish_green"],
                                OKABE_ITO["reddish_purple"], OKABE_ITO["yellow"], "#BBBBBB")

#: sign -> (line colour, head shape)
SIGNS: dict[str | None, tuple[str, str]] = {
    "+": (OKABE_ITO["blue"], "arrow"),
    "-": (OKABE_ITO["vermillion"], "bar"),
    None: ("#555555", "open"),
}

#: short names of the evidence levels printed on each step: level -> (English, Chinese)
LEVEL_SHORT: dict[str, tuple[str, str]] = {
    "meta_analysis": ("MA", "荟萃"),
    "rct": ("RCT", "RCT"),
    "clinical_trial": ("CT", "临床试验"),
    "human_observational": ("OBS", "观察"),
    "animal_in_vivo": ("VIVO", "动物"),
    "in_vitro": ("VITRO", "体外"),
    "review_opinion": ("REV", "综述"),
}
assert set(LEVEL_SHORT) == set(EVIDENCE_LEVELS), "every evidence level needs a short name"

#: the words of a figure: key -> (English, Chinese)
WORDS: dict[str, tuple[str, str]] = {
    "path_title": ("{a} \u2192 {b}: mechanism chains", "{a} \u2192 {b}：机制链"),
    "path_none": ("{a} \u2192 {b}: no mechanism chain; the best connections", "{a} \u2192 {b}：无机制链；最佳关联"),
    "explain_title": ("How {drug} reaches {outcome}", "{drug}如何作用于{outcome}"),
    "focus_title": ("{entity}: what acts on it and what it acts on", "{entity}：作用于它的与它作用的"),
    "chain": ("{n}. weakest step {score}", "{n}. 最弱步骤 {score}"),
    "net": ("net {sign}", "净效应 {sign}"),
    "kind_common-cause": ("common cause", "共同原因"),
    "kind_common-effect": ("common effect", "共同结局"),
    "kind_association": ("association", "关联"),
    "kind_chain": ("chain", "机制链"),
    "open": ("Left open: {entities}", "尚未阐明：{entities}"),
    "more": ("{n} more not shown (strongest evidence shown first)", "另有 {n} 条未显示（按证据强度排序）"),
    "more_chains": ("{n} more chain(s) not shown", "另有 {n} 条机制链未显示"),
    "legend_steps": ("Steps", "步骤"),
    "activation": ("activation", "激活"),
    "inhibition": ("inhibition", "抑制"),
    "unsigned": ("unsigned", "无方向"),
    "borrowed": ("\u2020 evidence from another drug only (dashed)", "\u2020 仅有其他药物的证据（虚线）"),
    "legend_evidence": ("Evidence level and score (0\u20131)", "证据等级与评分（0\u20131）"),
    "legend_entities": ("Entities", "实体"),
    "refuted": ("refuted \u00d7{n}", "反驳 \u00d7{n}"),
    "incoming": ("acting on it", "作用于它"),
    "outgoing": ("it acts on", "它作用于"),
    "nothing": ("no assertion", "无断言"),
}


def word(key: str, lang: str, **params) -> str:
    """A figure's word in ``lang`` with ``params`` filled in."""
    text = WORDS[key][1 if lang == "zh" else 0]
    for name, value in params.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def level_short(level: str, lang: str) -> str:
    return LEVEL_SHORT[level][1 if lang == "zh" else 0]


def tint(colour: str, amount: float = 0.7) -> str:
    """``colour`` mixed with white (``amount`` of white).

    >>> tint("#000000", 0.5)
    '#808080'
    """
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def shade(colour: str, amount: float = 0.3) -> str:
    """``colour`` mixed with black (``amount`` of black)."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in rgb)


def tier_color(entity_type: str) -> str:
    from ..html.style import type_style
    return TIER_COLORS[type_style(entity_type).tier]


def width_points(width: str | float) -> float:
    """A figure width in points: "single" or "double" (journal columns) or millimetres.

    >>> round(width_points("single"), 1)
    240.9
    """
    mm = COLUMNS[width] if isinstance(width, str) and width in COLUMNS else float(width)
    return mm * PT_PER_MM
