"""The context of a finding, and which contexts separate two groups of findings.

Used by :mod:`mechgraph.reasoning.conflicts` to explain a disagreement: the findings on each
side are described along a fixed list of context dimensions (``DIMENSIONS``) and a
dimension *explains* the disagreement when the two sides' values never match.

Values are compared by kind:

- vocabulary values (species, sex, setting, drug, route, regimen, brain region, cell type) by
  equality, with ``rodent`` matching ``rat`` and ``mouse`` and sex ``both`` matching
  either sex;
- doses and timepoints by their numbers: ``0.25 mg/kg`` lies in ``0.1~0.5 mg/kg``;
  ``about 6 weeks`` is ``42 d``; two times match when they overlap or lie within a
  factor of 1.25 of each other;
- free text (population, outcome, and doses or timepoints without numbers) by words:
  two texts match when at least half of the shorter one's content words occur in
  the other. A free-text dimension explains a disagreement only when every finding
  on both sides states it, since free text differs between any two studies.

>>> a = [{"species": ["rat"], "dose": ["10 mg/kg"]}]
>>> b = [{"species": ["human"], "dose": ["3 mg/kg"]}, {"species": ["human"]}]
>>> [d["context"] for d in differences(a, b)]
['species', 'dose']
"""

from __future__ import annotations

import re
from collections.abc import Container

from ..model.core import Assertion, Finding, Model

#: context dimensions in the order they are reported
DIMENSIONS: tuple[str, ...] = (
    "species", "setting", "sex", "drug", "dose", "route", "regimen", "timepoint",
    "population", "outcome", "brain_region", "cell_type",
)
#: dimensions compared as free text, which explain a disagreement only when always stated
FREE_TEXT: frozenset[str] = frozenset({"population", "outcome"})

#: evidence level -> setting
SETTINGS: dict[str, str] = {
    "meta_analysis": "clinical", "rct": "clinical", "clinical_trial": "clinical", "human_observational": "clinical",
    "animal_in_vivo": "preclinical", "in_vitro": "preclinical",
}  # a review's opinion has no setting of its own


def finding_context(model: Model, finding: Finding, assertion: Assertion | None = None) -> dict[str, list[str]]:
    """The context of a finding along ``DIMENSIONS`` (values as written; empty when
    unstated). Where the finding is silent, the assertion's context fills in species,
    sex, drug, route and population; brain region and cell type come from it alone.
    """
    ctx = assertion.context if assertion is not None else {}
    main = finding.interventions[0] if finding.interventions else None
    drug = " + ".join(dict.fromkeys(i.drug for i in finding.interventions))
    if not drug and assertion is not None:
        drug = (ctx.get("drug") or ("",))[0]
        if not drug and model.entities.get(assertion.subject) is not None \
                and model.entities[assertion.subject].type == "Drug":
            drug = assertion.subject
    population = "; ".join(x for x in (finding.population, finding.model) if x)
    return {
        "species": list(finding.species or ctx.get("species", ())),
        "setting": [SETTINGS[finding.level]] if finding.level in SETTINGS else [],
        "sex": [finding.sex] if finding.sex else list(ctx.get("sex", ())),
        "drug": [drug] if drug else [],
        "dose": [main.dose] if main and main.dose else [],
        "route": [main.route] if main and main.route else list(ctx.get("route", ())),
        "regimen": list(ctx.get("regimen", ())),
        "timepoint": [finding.timepoint] if finding.timepoint else [],
        "population": [population] if population else list(ctx.get("population", ())),
        "outcome": [finding.outcome] if finding.outcome else [],
        "brain_region": list(ctx.get("brain_region", ())),
        "cell_type": list(ctx.get("cell_type", ())),
    }


def differences(side_a: list[dict], side_b: list[dict], *,
                related: Container[frozenset] | None = None) -> list[dict]:
    """The dimensions whose values separate two sides (lists of finding contexts):
    ``[{"context", "a": [values], "b": [values]}]`` in ``DIMENSIONS`` order.

    ``related`` holds pairs of drug ids that are enantiomers or a racemate and its
    enantiomer; a drug difference made only of such pairs is named ``enantiomer``.
    A finding's drug is its whole regimen: the main drug and any co-interventions
    ("ketamine + rapamycin").
    """
    found = []
    for dim in DIMENSIONS:
        a = _values(side_a, dim)
        b = _values(side_b, dim)
        if not a or not b:
            continue
        if dim in FREE_TEXT or _free(dim, a + b):
            if not all(c.get(dim) for c in side_a + side_b):
                continue
        if any(matches(dim, x, y) for x in a for y in b):
            continue
        name = dim
        if dim == "drug" and related and all(_enantiomers(x, y, related) for x in a for y in b):
            name = "enantiomer"
        found.append({"context": name, "a": a, "b": b})
    return found


def _enantiomers(x: str, y: str, related: Container[frozenset]) -> bool:
    """Whether the main drugs of two regimens ("esketamine + rapamycin", "r-ketamine")
    are related enantiomers."""
    return frozenset((x.split(" + ")[0], y.split(" + ")[0])) in related


def shared(side_a: list[dict], side_b: list[dict]) -> list[str]:
    """The dimensions both sides state and agree on (some value of each side matches)."""
    out = []
    for dim in DIMENSIONS:
        a, b = _values(side_a, dim), _values(side_b, dim)
        if a and b and any(matches(dim, x, y) for x in a for y in b):
            out.append(dim)
    return out


def _values(side: list[dict], dim: str) -> list[str]:
    return list(dict.fromkeys(v for c in side for v in c.get(dim, ()) if v))


def _free(dim: str, values: list[str]) -> bool:
    """Doses and timepoints without numbers are compared as free text."""
    if dim == "dose":
        return not all(parse_doses(v) for v in values)
    if dim == "timepoint":
        return not all(parse_times(v) for v in values)
    return False


# -- matching -----------------------------------------------------------------------------

def matches(dim: str, x: str, y: str) -> bool:
    """Whether two values of one dimension denote the same context.

    >>> matches("species", "rodent", "rat"), matches("species", "rat", "mouse")
    (True, False)
    >>> matches("dose", "0.25 mg/kg", "0.1~0.5 mg/kg"), matches("dose", "10 mg/kg", "3 mg/kg")
    (True, False)
    >>> matches("timepoint", "about 6 weeks after delivery", "42 d"), matches("timepoint", "day 7", "3 d")
    (True, False)
    """
    if dim == "species":
        return x == y or {x, y} in ({"rodent", "rat"}, {"rodent", "mouse"})
    if dim == "sex":
        return x == y or "both" in (x, y)
    if dim == "dose":
        dx, dy = parse_doses(x), parse_doses(y)
        if dx and dy:
            return any(u1 == u2 and lo1 <= hi2 and lo2 <= hi1
                       for lo1, hi1, u1 in dx for lo2, hi2, u2 in dy)
        return _text_match(x, y)
    if dim == "timepoint":
        tx, ty = parse_times(x), parse_times(y)
        if tx and ty:
            return any(_near(a, b) for a in tx for b in ty)
        return _text_match(x, y)
    if dim in FREE_TEXT:
        return _text_match(x, y)
    return x == y


def _near(a: tuple[float, float], b: tuple[float, float]) -> bool:
    (lo1, hi1), (lo2, hi2) = a, b
    if lo1 <= hi2 and lo2 <= hi1:
        return True
    low, high = (hi1, lo2) if lo2 > hi1 else (hi2, lo1)
    return low > 0 and high / low <= 1.25


_STOP = frozenset(["a", "an", "and", "or", "of", "the", "in", "on", "at", "to", "for", "by", "with", "from", "after", "before", "during", "its", "their", "their", "than", "as", "is", "are", "was", "were", "be", "been", "this", "that", "these", "those", "into", "per", "vs", "versus"])
_SAME = {"mice": "mouse", "women": "woman", "men": "man", "children": "child",
         "incidence": "rate", "prevalence": "rate", "risk": "rate"}


def content_words(text: str) -> set[str]:
    """Lower-case content words of a text, singular, without stop words.

    >>> sorted(content_words("Patients with major depressive disorders"))
    ['depressive', 'disorder', 'major', 'patient']
    """
    words = set()
    for word in re.findall(r"[a-z0-9]+|[\u4e00-\u9fff]", text.lower()):
        if word in _STOP:
            continue
        word = _SAME.get(word, word)
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return words


def _text_match(x: str, y: str) -> bool:
    a, b = content_words(x), content_words(y)
    if not a or not b:
        return x.strip().lower() == y.strip().lower()
    return len(a & b) / min(len(a), len(b)) >= 0.5


# -- numbers --------------------------------------------------------------------------------

_NUM = r"\d+(?:\.\d+)?"
_SEP = r"\s*(?:~|～|-|–|—|to|至)\s*"
_DOSE_UNITS = {
    "mg/kg": "mg/kg", "μg/kg": "μg/kg", "µg/kg": "μg/kg", "ug/kg": "μg/kg", "mg": "mg",
    "μg": "μg", "µg": "μg", "ug": "μg", "g": "g", "ml/h": "ml/h", "mm": "mM", "μm": "μM",
    "µm": "μM", "nm": "nM", "%": "%",
}
_DOSE = re.compile(rf"({_NUM})(?:{_SEP}({_NUM}))?\s*(mg/kg|[μµu]g/kg|mg|[μµu]g|g|ml/h|mm|[μµ]m|nm|%)(?![a-z])")


def parse_doses(text: str) -> list[tuple[float, float, str]]:
    """Doses in a text as ``(low, high, unit)``; a number without a unit followed by
    "or"/"and" takes the next unit ("10 or 50 mg/kg").

    >>> parse_doses("10 mg/kg or 50 mg/kg")
    [(10.0, 10.0, 'mg/kg'), (50.0, 50.0, 'mg/kg')]
    >>> parse_doses("0.1~0.5 mg/kg"), parse_doses("10 or 50 mg/kg")
    ([(0.1, 0.5, 'mg/kg')], [(10.0, 10.0, 'mg/kg'), (50.0, 50.0, 'mg/kg')])
    """
    text = text.lower()
    found = []
    for m in _DOSE.finditer(text):
        low = float(m.group(1))
        high = float(m.group(2)) if m.group(2) else low
        unit = _DOSE_UNITS[m.group(3)]
        before = re.search(rf"({_NUM})\s*(?:or|and|,|/)\s*$", text[:m.start()])
        if before:
            value = float(before.group(1))
            found.append((value, value, unit))
        found.append((low, high, unit))
    return found


_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "twelve": 12}
_TIME_UNITS = [
    (r"min(?:ute)?s?|分钟", 1.0), (r"h(?:ours?|rs?)?|小时", 60.0), (r"d(?:ays?)?|天", 1440.0),
    (r"w(?:ee)?ks?|周", 10080.0), (r"months?|个月|月", 43200.0), (r"y(?:ea)?rs?|年", 525600.0),
]
_UNIT_RE = "|".join(f"(?:{u})" for u, _ in _TIME_UNITS)


def _minutes(unit: str) -> float:
    for pattern, factor in _TIME_UNITS:
        if re.fullmatch(pattern, unit):
            return factor
    raise ValueError(unit)


def parse_times(text: str) -> list[tuple[float, float]]:
    """Times in a text, in minutes, as ``(low, high)``: "30 min and 24 h",
    "day 7", "4-6 weeks", "3 months"; a window from zero for "within 14 d", "up to day
    42" or "the first week".

    >>> parse_times("postpartum day 7"), parse_times("first week")
    ([(10080.0, 10080.0)], [(0.0, 10080.0)])
    >>> parse_times("30 min and 24 h")
    [(30.0, 30.0), (1440.0, 1440.0)]
    """
    text = text.lower().replace("first", "within one")
    text = re.sub(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b", lambda m: str(_WORD_NUMBERS[m.group(1)]), text)
    found = []
    taken: list[tuple[int, int]] = []
    for m in re.finditer(rf"({_NUM})(?:{_SEP}({_NUM}))?\s*({_UNIT_RE})(?![a-z])", text):
        factor = _minutes(m.group(3))
        low = float(m.group(1)) * factor
        high = float(m.group(2)) * factor if m.group(2) else low
        if _window(text, m.start()):
            low = 0.0
        before = re.search(rf"({_NUM})\s*(?:,|or|and)\s*$", text[:m.start()])
        if before and not any(s <= before.start() < e for s, e in taken):
            value = float(before.group(1)) * factor
            found.append((value, value))
        found.append((low, high))
        taken.append(m.span())
    for m in re.finditer(rf"\b(days?|weeks?|months?)\s+({_NUM})(?![\d.])", text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        value = float(m.group(2)) * _minutes(m.group(1))
        found.append((0.0 if _window(text, m.start()) else value, value))
    return found


def _window(text: str, start: int) -> bool:
    """Whether the time starting at ``start`` closes a window from zero ("within 14 d",
    "up to day 42", "in the first week")."""
    return re.search(r"\b(?:within|up to)\b[^,;]{0,20}$", text[:start]) is not None
