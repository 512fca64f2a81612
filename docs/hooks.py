"""mkdocs hook: the generated parts of the documentation, from their sources of truth.

A page holds a marker where a generated part goes, and the hook replaces it when the site
is built, so that the part cannot drift from its source:

- ``<!-- generated: NAME -->`` is replaced by ``GENERATORS[NAME]()`` (Markdown);
- ``<!-- include: PATH -->`` by the file PATH of the repository, its headings one level
  down and its title left out;
- the calibration table between ``<!-- calibration:start -->`` and
  ``<!-- calibration:end -->`` is written afresh.

``python docs/hooks.py NAME`` prints one generated part.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _importable() -> None:
    """The package, the benchmarks and the test corpus importable (mkdocs restores
    ``sys.path`` after loading a hook, so this runs before each generator)."""
    for path in (ROOT / "tests", ROOT, ROOT / "src"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))


_MARKER = re.compile(r"^<!-- generated: ([a-z-]+) -->$", re.M)
_INCLUDE = re.compile(r"^<!-- include: (\S+) -->$", re.M)
_CALIBRATION = re.compile(r"(<!-- calibration:start -->\n).*?(<!-- calibration:end -->)", re.S)


def cell(text) -> str:
    """A value as text for a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# -- JSON shapes, from the JSON Schemas ------------------------------------------------------------

#: the order of the shapes on the page (every schema must be here)
SHAPES = ("path", "explain", "show", "search", "stats", "validate", "coverage", "locate", "render", "export",
          "export-check", "conflicts", "diff", "init", "load", "query")


def _anchor(schema_name: str, def_name: str | None = None) -> str:
    if def_name is None:
        return f"json-{schema_name}"
    return f"json-{schema_name}-{def_name}".replace("_", "-")


def _type(node: dict, here: str) -> str:
    """How a schema node reads in the type column."""
    if "$ref" in node:
        target = node["$ref"]
        file, _, pointer = target.partition("#")
        name = pointer.rsplit("/", 1)[-1].removesuffix("_base") if pointer else file.removesuffix(".schema.json")
        schema_name = file.removesuffix(".schema.json") if file else here
        anchor = _anchor(schema_name, name if pointer else None)
        return f"[{name.upper() if schema_name == 'common' else name}](#{anchor})"
    if "enum" in node:
        return ", ".join("null" if v is None else f"`{v}`" for v in node["enum"])
    for key in ("oneOf", "anyOf"):
        if key in node:
            return " or ".join(_type(alt, here) for alt in node[key])
    if "allOf" in node:
        return " + ".join(_type(alt, here) for alt in node["allOf"])
    kind = node.get("type")
    if kind == "array":
        return f"[{_type(node.get('items', {}), here)}]"
    if kind == "object" and "properties" not in node and isinstance(node.get("additionalProperties"), dict):
        return f"{{key: {_type(node['additionalProperties'], here)}}}"
    if isinstance(kind, list):
        return " or ".join(kind)
    return kind or "any"


def _rows(node: dict, prefix: str, here: str, required: bool = True) -> list[list]:
    """Table rows for the fields of an object schema, nested inline objects flattened."""
    out = []
    for key, sub in node.get("properties", {}).items():
        name = f"{prefix}{key}"
        optional = "" if key in node.get("required", ()) else " *(optional)*"
        description = sub.get("description", "")
        if isinstance(sub.get("propertyNames"), dict) and "enum" in sub["propertyNames"]:
            description += " Keys: " + ", ".join(f"`{k}`" for k in sub["propertyNames"]["enum"]) + "."
        out.append([f"`{name}`{optional}", _type(sub, here), description])
        out += _nested(sub, name, here)
    return out


def _nested(sub: dict, name: str, here: str) -> list[list]:
    if sub.get("type") == "object" and "properties" in sub:
        return _rows(sub, name + ".", here)
    if sub.get("type") == "array" and isinstance(sub.get("items"), dict):
        return _nested(sub["items"], name + "[]", here)
    out = []
    for key in ("oneOf", "anyOf", "allOf"):
        for alt in sub.get(key, ()):
            if "properties" in alt:
                out += _rows(alt, name + ".", here)
    if "properties" in sub and sub.get("type") != "object":
        out += _rows(sub, name + ".", here)
    return out


def _shape(name: str, schema: dict, defs: dict) -> list[str]:
    """One shape: its description and field table (``defs``: the ``$defs`` local references resolve in)."""
    lines = []
    top_rows = []
    if "$ref" in schema and schema["$ref"].startswith("#/$defs/") and "properties" not in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    if schema.get("type") == "array":
        items = schema["items"]
        lines.append(f"A list; each item is {_type(items, name) if '$ref' in items else 'an object'}:")
        lines.append("")
        if "properties" in items:
            top_rows = _rows(items, "", name)
    elif "properties" in schema:
        top_rows = _rows(schema, "", name)
    else:
        lines.append(f"Type: {_type(schema, name)}.")
        lines.append("")
    for part in schema.get("allOf", ()):
        if "$ref" in part:
            lines.append(f"Every field of {_type(part, name)}, and:")
            lines.append("")
    if top_rows:
        lines.append(table(["field", "type", "description"], top_rows))
    return lines


def json_shapes() -> str:
    from mechgraph import schemas
    names = schemas.names()
    missing = sorted(set(names) - set(SHAPES) - {"common"})
    if missing:
        raise ValueError(f"docs/hooks.py: add {missing} to SHAPES, the order of the JSON shapes page")
    out = []
    for name in SHAPES:
        schema = schemas.load(name)
        out.append(f"## {name} {{#{_anchor(name)}}}")
        out.append("")
        out.append(f'{schema.get("description", "")} For example: `{schema["x-command"]}`.')
        out.append("")
        out += _shape(name, schema, schema.get("$defs", {}))
        for def_name, sub in schema.get("$defs", {}).items():
            out.append(f"### {def_name} {{#{_anchor(name, def_name)}}}")
            out.append("")
            out.append(sub.get("description", ""))
            out.append("")
            out += _shape(name, sub, schema["$defs"])
    common = schemas.load("common")
    out.append("## Shared shapes {#json-common}")
    out.append("")
    out.append(common["description"])
    out.append("")
    for def_name, sub in common["$defs"].items():
        if def_name.endswith("_base"):
            continue
        out.append(f"### {def_name.upper()} {{#{_anchor('common', def_name)}}}")
        out.append("")
        out.append(sub.get("description", ""))
        out.append("")
        out += _shape("common", sub, common["$defs"])
    return "\n".join(out) + "\n"


# -- the graph format, from the schema ----------------------------------------------------------------

def graph_format() -> str:
    from mechgraph.curation import schema
    from mechgraph.model import constants
    from mechgraph.model.relations import RELATION_CLASSES

    anchors = {"entity type": "entity-types", "source kind": "source-kinds", "study type": "study-types",
               "direction": "directions", "species": "species", "sex": "sexes", "route": "routes",
               "regimen": "regimens", "role": "roles", "guidance topic": "guidance-topics",
               "predicate": "predicates", "relation class": "relation-classes"}

    def fields(spec: dict) -> str:
        rows = []
        for key, field in spec.items():
            refers = f"an id of {schema.SINGULAR[field.refers_to]}" if field.refers_to else ""
            word = field.word or key
            vocabulary = f"[{word}](#vocabulary-{anchors[word]})" if field.vocabulary is not None else ""
            rows.append([f"`{key}`", "yes" if field.required else "", field.kind, vocabulary, refers])
        return table(["field", "required", "value", "vocabulary", "refers to"], rows)

    def heading(title: str) -> str:
        return f"#### {title} {{#vocabulary-{title.replace(' ', '-')}}}"

    out = []
    titles = {"entities": "Entity", "sources": "Source", "findings": "Finding", "assertions": "Assertion"}
    for section in schema.SECTIONS:
        out += [f"### {titles[section]} fields", "", f"A record in `{section}:`.", "", fields(schema.RECORDS[section])]
    out += ["### Intervention fields", "", "A finding's `intervention` and each of its `co_interventions`.", "",
            fields(schema.INTERVENTION)]
    out += ["### Quantity fields", "", "Each of a finding's `quantities`.", "", fields(schema.QUANTITY)]
    out += ["### Context keys", "", "The keys of an assertion's `context`; each holds a list.", "",
            fields(schema.CONTEXT)]
    out += ["### Vocabularies", ""]
    out += [heading("entity types"), "", "Each with its Biolink category.", "",
            table(["type", "Biolink category"], [[f"`{t}`", c] for t, c in constants.ENTITY_TYPES.items()])]
    out += [heading("predicates"), "", "Each with its sign, its Biolink predicate and how `subject PREDICATE object` "
            "reads.", "",
            table(["predicate", "sign", "Biolink predicate", "reads"],
                  [[f"`{p}`", v.sign or "", v.biolink, v.reads] for p, v in constants.PREDICATES.items()])]
    out += [heading("study types"), "", "Each study type gives a finding's evidence level, strongest first: "
            + " > ".join(f"`{lv}`" for lv in constants.EVIDENCE_LEVELS) + ".", "",
            table(["study type", "evidence level"], [[f"`{t}`", f"`{lv}`"] for t, lv in constants.STUDY_TYPES.items()])]
    out += [heading("roles"), "", "Whether a finding is evidence at all, and the study types each role allows.", "",
            table(["role", "what it is", "study types"],
                  [[f"`{r}`", what, ", ".join(sorted(constants.ROLE_STUDY_TYPES[r]))]
                   for r, what in constants.ROLES.items()])]
    out += [heading("guidance topics"), "", "What a recommendation is about.", "",
            table(["topic", "what it covers"], [[f"`{t}`", what] for t, what in constants.GUIDANCE_TOPICS.items()])]
    out += [heading("relation classes"), "", "What kind of claim an assertion is (derived from its predicate and entity "
            "types unless the record states it).", "",
            table(["relation", "what"], [[f"`{r}`", what] for r, what in RELATION_CLASSES.items()])]
    for title, values in (("source kinds", schema.SOURCE_KINDS), ("directions", constants.DIRECTIONS),
                          ("species", constants.SPECIES), ("sexes", constants.SEXES), ("routes", constants.ROUTES),
                          ("regimens", constants.REGIMENS)):
        out += [heading(title), "", ", ".join(f"`{v}`" for v in values) + ".", ""]
    return "\n".join(out) + "\n"


# -- Cypher support, from the corpus --------------------------------------------------------------------

BACKENDS = ("embedded", "falkordb", "neo4j")


def cypher_support() -> str:
    from cypher_corpus.corpus import load_corpus
    corpus = load_corpus()
    counts = table(["backend", "queries answered", "refused (by name)"],
                   [[b, sum(b not in q.refused_by for q in corpus),
                     ", ".join(f"`{q.id}`" for q in corpus if b in q.refused_by) or "none"] for b in BACKENDS])
    rows = []
    for q in corpus:
        cells = ["refused" if b in q.refused_by else "yes" for b in BACKENDS]
        rows.append([f"[`{q.id}`](#q-{q.id})", q.description] + cells)
    out = [f"The corpus holds {len(corpus)} queries. Every backend returns the same rows as the others, or "
           "refuses the query with a message naming the feature, as the corpus records (`refused_by`).", "",
           counts, "", table(["query", "question", *BACKENDS], rows), "", "## The queries", ""]
    for q in corpus:
        out += [f"### {q.id} {{#q-{q.id}}}", "", q.description, "", "```cypher", q.query.rstrip(), "```", ""]
        if q.params:
            out += ["Parameters: " + ", ".join(f"`{k}` = `{json.dumps(v, ensure_ascii=False)}`"
                                               for k, v in q.params.items()), ""]
        if q.refused_by:
            out += ["Refused by: " + ", ".join(q.refused_by) + ".", ""]
    return "\n".join(out) + "\n"


# -- performance, from benchmarks/results.json ------------------------------------------------------------

def performance() -> str:
    from benchmarks.run import table as section_table
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    m = results["machine"]
    out = [f"`python benchmarks/run.py` on a shared {m['cores']}-core machine (Python {m['python']}, "
           f"{m['cores']} cores ({m['usable_cores']} usable), {m['platform']}, load average "
           f"{m['load_average_at_start']}), started {m['started']}; total {results['seconds']:g} s"
           + (" (`--quick`)" if results.get("quick") else "") + (" (`--large`)" if results.get("large") else "")
           + ". The tables below are `benchmarks/results.json`, as that run wrote it:", ""]
    for name, result in results["sections"].items():
        out.append(section_table(name, result).replace("### ", "### ", 1))
    return "\n".join(out) + "\n"


# -- the evidence scheme, from its module ----------------------------------------------------------------

def evidence_levels() -> str:
    from mechgraph.model.constants import EVIDENCE_LEVELS, STUDY_TYPES
    from mechgraph.reasoning.evidence import AGAINST_FACTOR, LEVEL_WEIGHTS
    rows = [[f"`{lv}`", LEVEL_WEIGHTS[lv], ", ".join(f"`{t}`" for t, x in STUDY_TYPES.items() if x == lv)]
            for lv in EVIDENCE_LEVELS]
    factors = ", ".join(f"{f:g} for `{d}`" for d, f in AGAINST_FACTOR.items())
    return (table(["level", "weight w", "study types"], rows) + "\n"
            f"A unit against the assertion weighs `w · f`, with `f` = {factors} (`AGAINST_FACTOR`); an opinion "
            f"always weighs {LEVEL_WEIGHTS['review_opinion']:g}, and a recommendation or background finding 0.\n")


#: the reference cases: what each side holds, as (level or role, direction, unit key)
_CASES = (
    ("one mouse study", [("animal_in_vivo", "supports", "a")]),
    ("one RCT", [("rct", "supports", "a")]),
    ("one meta-analysis", [("meta_analysis", "supports", "a")]),
    ("one review statement", [("opinion", "supports", "r1")]),
    ("six sentences of one review making the same claim (one opinion)", [("opinion", "supports", "r1")] * 6),
    ("one opinion from each of two reviews", [("opinion", "supports", "r1"), ("opinion", "supports", "r2")]),
    ("a controlled trial whose randomisation is not stated", [("clinical_trial", "supports", "a")]),
    ("a mouse study and a meta-analysis", [("animal_in_vivo", "supports", "a"), ("meta_analysis", "supports", "b")]),
    ("two findings citing the same mouse study (one study)", [("animal_in_vivo", "supports", "a"),
                                                  ("animal_in_vivo", "supports", "a")]),
    ("a dosing recommendation or a monitoring rule (not counted)", [("recommendation", "supports", "r1")]),
    ("a mouse study for, a mouse study with no effect", [("animal_in_vivo", "supports", "a"),
                                                         ("animal_in_vivo", "no_effect", "b")]),
    ("a mouse study for, a mouse study against", [("animal_in_vivo", "supports", "a"),
                                                  ("animal_in_vivo", "refutes", "b")]),
    ("ten RCTs for, one null RCT", [("rct", "supports", f"t{i}") for i in range(10)] + [("rct", "no_effect", "n")]),
    ("only refuting or no-effect findings", [("animal_in_vivo", "refutes", "a"), ("rct", "no_effect", "b")]),
)


def _case_score(findings: list[tuple]) -> float:
    from mechgraph.model.core import Assertion, Finding, Model
    from mechgraph.reasoning.evidence import assertion_score
    made = {}
    for i, (kind, direction, unit) in enumerate(findings):
        fid = f"f{i}"
        if kind in ("opinion", "recommendation"):
            made[fid] = Finding(fid, unit, (f"p{i + 1}.s1",), "review", direction, "s", "s", role=kind,
                                guidance="dosing" if kind == "recommendation" else "")
        else:
            made[fid] = Finding(fid, "seed", (f"p{i + 1}.s1",), kind, direction, "s", "s", cites=(unit,))
    model = Model(findings=made)
    supporting = tuple(f for f, x in made.items() if x.direction == "supports")
    refuting = tuple(f for f, x in made.items() if x.direction != "supports")
    return assertion_score(model, Assertion("a", "x", "treats", "y", supporting=supporting, refuting=refuting))


def evidence_examples() -> str:
    return table(["findings", "score"], [[label, f"{_case_score(findings):g}"] for label, findings in _CASES])


def calibration_table() -> str:
    from mechgraph import MechGraph
    from mechgraph.reasoning.calibration import calibration_markdown
    return calibration_markdown(MechGraph.load().model)


GENERATORS = {
    "json-shapes": json_shapes,
    "graph-format": graph_format,
    "cypher-support": cypher_support,
    "performance": performance,
    "evidence-levels": evidence_levels,
    "evidence-examples": evidence_examples,
}


def include(path: str) -> str:
    """A Markdown file of the repository, its title left out and its headings one level down."""
    text = (ROOT / path).read_text(encoding="utf-8")
    lines, out, fence = text.splitlines(), [], False
    for number, line in enumerate(lines):
        if line.startswith("```"):
            fence = not fence
        if not fence and line.startswith("#"):
            if number == 0 or line.startswith("# "):
                continue
            line = "#" + line
        out.append(line)
    return "\n".join(out).strip() + "\n"


def expand(markdown: str) -> str:
    """A page's Markdown with every marker replaced."""
    _importable()
    markdown = _MARKER.sub(lambda m: GENERATORS[m[1]]().rstrip(), markdown)
    markdown = _INCLUDE.sub(lambda m: include(m[1]).rstrip(), markdown)
    if _CALIBRATION.search(markdown):
        markdown = _CALIBRATION.sub(lambda m: m[1] + calibration_table().rstrip() + "\n" + m[2], markdown)
    return markdown


def on_page_markdown(markdown, page, config, files, **kwargs):  # mkdocs hook
    return expand(markdown)


if __name__ == "__main__":
    _importable()
    print(GENERATORS[sys.argv[1]]() if len(sys.argv) > 1 else "\n".join(GENERATORS))
