"""KGX, the Biolink Model's graph exchange format: write ``nodes.tsv`` + ``edges.tsv`` and
the JSON-LD context of their prefixes; read KGX TSV or JSON Lines (from mechgraph or
elsewhere) into a Model.

Writing. Node ids are CURIEs (``mechgraph:esketamine``), categories and predicates are
Biolink's (``mechgraph.model.constants``; directed effects as ``biolink:affects`` with
``qualified_predicate``, ``object_aspect_qualifier`` and ``object_direction_qualifier``).
Each assertion gives one edge for its supporting findings and, when findings refute it,
another ``ID#refuting`` with ``negated`` set; when the findings on one side come from
several species, one edge per species (``ID#mouse``, ``ID#refuting#rat``), since
``species_context_qualifier`` (an NCBITaxon CURIE) holds one taxon. Each edge states its
``knowledge_level``, ``agent_type``, ``primary_knowledge_source``, ``publications``
(the seed and the studies it cites, ``mechgraph.source:ID``) and
``anatomical_context_qualifier`` (brain regions and cell types of its context), plus
mechgraph's own evidence in ``mechgraph_*`` columns (the assertion and predicate, level,
score, finding ids and statements, context as JSON). Multi-valued fields are joined by
``|``; tabs and line breaks inside values become spaces and a ``|`` inside a value
becomes ``¦``. Rows are sorted by id.

Every edge has a ``key``, its id: the KGX tool's own reader (``kgx transform``, the
``Transformer`` with its default networkx store) keys edges by ``key`` when a row has one
and by subject-predicate-object otherwise, which would keep one of the edges an
assertion's context, stance or species splits into (esketamine against R-ketamine,
supporting against refuting). ``context.jsonld`` declares mechgraph's own CURIE prefixes
(``mechgraph:``, ``mechgraph.source:``; every other prefix is the Biolink Model's), so
that the KGX validator accepts the files as written once it reads this context beside
Biolink's. A small sample (columns abridged)::

    id         category      name    mechgraph_type
    mechgraph:drug-x  biolink:Drug  Drug X  Drug

    id  key  subject  predicate  object  negated  knowledge_level  agent_type  publications  species_context_qualifier
    a-x-antagonizes-r  a-x-antagonizes-r  mechgraph:drug-x  biolink:directly_physically_interacts_with
        mechgraph:receptor-r    knowledge_assertion  manual_agent  mechgraph.source:toy-seed  NCBITaxon:10090

    {"@context": {"mechgraph": {"@id": "urn:mechgraph:entity:", "@prefix": true},
                  "mechgraph.source": {"@id": "urn:mechgraph:source:", "@prefix": true}}}

Reading (``--graph DIR`` with ``nodes.tsv`` + ``edges.tsv`` or ``nodes.jsonl`` +
``edges.jsonl``, optionally gzipped, or ``--graph path/to/nodes.tsv``). Only ``id``
(nodes) and ``subject``, ``predicate``, ``object`` (edges) are required. Categories map
back to entity types and predicates to mechgraph's (``mechgraph.io.biolink``); what has
no counterpart becomes ``NamedThing`` or ``related_to``, and the Biolink predicate is
kept in the assertion's note. Each edge becomes an assertion. Unlike curated YAML, a KGX
edge needs no findings: an edge without evidence fields becomes an assertion with no
findings (level ``review_opinion``, score 0); an edge with ``publications``,
``knowledge_level``, ``primary_knowledge_source``, ``negated`` or ``mechgraph_level``
gets one synthetic finding, refuting when ``negated``, at the level ``mechgraph_level``
names (``review_opinion`` when unknown), citing the publications and with no seed
locator. Malformed rows raise InvalidGraph with file and line, as ``validate`` does. A
``key`` column is read like any other column mechgraph has no use for: ignored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..atomic import atomic_path
from ..model.constants import ENTITY_TYPES, PREDICATES, level_rank
from ..errors import InvalidGraph, MechgraphError
from ..model.core import Model
from . import biolink as bl
from . import records

NODE_COLUMNS: tuple[str, ...] = ("id", "category", "name", "description", "synonym", "xref",
                                 "name_zh", "description_zh", "mechgraph_type")
EDGE_COLUMNS: tuple[str, ...] = (
    "id", "subject", "predicate", "object", "negated", "qualified_predicate", "object_aspect_qualifier",
    "object_direction_qualifier", "species_context_qualifier", "anatomical_context_qualifier",
    "knowledge_level", "agent_type", "primary_knowledge_source", "publications",
    "mechgraph_assertion", "mechgraph_predicate", "mechgraph_level", "mechgraph_score",
    "mechgraph_findings", "mechgraph_statements", "mechgraph_context", "mechgraph_edges")
#: the JSON-LD context written beside nodes.tsv and edges.tsv
CONTEXT_FILE = "context.jsonld"
#: the files of a KGX export, in the order ``write_kgx`` returns them
FILES: tuple[str, ...] = ("nodes.tsv", "edges.tsv", CONTEXT_FILE)
#: the suffix of the edge that carries an assertion's refuting findings
REFUTING_SUFFIX = "#refuting"
#: show a progress bar on stderr when the KGX files are at least this big (MECHGRAPH_PROGRESS=1/0 forces it)
PROGRESS_BYTES = 20_000_000


# -- writing -----------------------------------------------------------------

def write_kgx(graph, path: str | Path) -> list[Path]:
    """Write ``graph`` as KGX TSV into the directory ``path`` (atomically, replacing an
    earlier export there; a directory holding other files is refused).

    Returns the files written: ``nodes.tsv``, ``edges.tsv`` and ``context.jsonld``.
    Raises MechgraphError when ``path`` holds other files or cannot be written.
    """
    path = Path(path)
    if path.is_dir():
        others = sorted(p.name for p in path.iterdir() if p.name not in FILES)
        if others:
            raise MechgraphError(f"cannot write {path}: it is a directory holding other files than "
                                 f"{', '.join(FILES[:-1])} and {FILES[-1]} "
                                 f"({', '.join(others[:3])}{', ...' if len(others) > 3 else ''}); "
                                 f"choose a new or empty directory")
    with atomic_path(path, directory=True) as tmp:
        for name, columns, rows in (("nodes.tsv", NODE_COLUMNS, node_rows(graph)),
                                    ("edges.tsv", EDGE_COLUMNS, edge_rows(graph))):
            with open(tmp / name, "w", encoding="utf-8", newline="\n") as out:
                out.write("\t".join(columns) + "\n")
                for row in rows:
                    out.write("\t".join(_cell(row.get(c)) for c in columns) + "\n")
            os.chmod(tmp / name, 0o644)
        (tmp / CONTEXT_FILE).write_text(json.dumps(jsonld_context(), indent=2) + "\n", encoding="utf-8")
        os.chmod(tmp / CONTEXT_FILE, 0o644)
        os.chmod(tmp, 0o755)
    return [path / name for name in FILES]


def jsonld_context() -> dict:
    """The JSON-LD context of mechgraph's own CURIE prefixes, as ``context.jsonld`` holds it.

    >>> jsonld_context()["@context"]["mechgraph"]
    {'@id': 'urn:mechgraph:entity:', '@prefix': True}
    """
    return {"@context": {prefix: {"@id": iri, "@prefix": True} for prefix, iri in sorted(bl.OWN_PREFIXES.items())}}


def node_rows(graph):
    """The KGX node records of a graph (dicts keyed by NODE_COLUMNS), sorted by id."""
    for entity_id in records.entity_ids(graph):
        e = graph.model.entities[entity_id]
        yield {"id": bl.node_curie(e.id), "category": [ENTITY_TYPES[e.type]], "name": e.name,
               "description": e.description, "synonym": list(e.aliases), "xref": bl.xref_curies(e.xrefs),
               "name_zh": e.name_zh, "description_zh": e.description_zh, "mechgraph_type": e.type}


def edge_rows(graph):
    """The KGX edge records of a graph (dicts keyed by EDGE_COLUMNS), sorted by id: one per
    subject-predicate-object, the statements that share one merged (:func:`merged_row`)."""
    triples: dict[tuple[str, str, str], list[dict]] = {}
    for row in statement_rows(graph):
        triples.setdefault((row["subject"], row["predicate"], row["object"]), []).append(row)
    rows = [group[0] if len(group) == 1 else merged_row(group) for group in triples.values()]
    return sorted(rows, key=lambda row: row["id"])


#: Biolink columns a merged edge keeps only when all its statements agree, as one unit
_SHARED_COLUMNS: tuple[tuple[str, ...], ...] = (
    ("negated",), ("qualified_predicate", "object_aspect_qualifier", "object_direction_qualifier"),
    ("species_context_qualifier",), ("knowledge_level",), ("agent_type",), ("primary_knowledge_source",))
#: columns a merged edge holds the union of
_UNION_COLUMNS = ("anatomical_context_qualifier", "publications", "mechgraph_assertion", "mechgraph_predicate",
                  "mechgraph_findings", "mechgraph_statements")


def merged_row(rows: list[dict]) -> dict:
    """One KGX edge for statements that share subject, predicate and object.

    The KGX tool's reader keys edges by subject-predicate-object, so such statements would
    overwrite one another there. The merged edge's id joins theirs with ``+``; it keeps a
    Biolink column where all statements agree (``negated``, the qualifiers, the knowledge
    level...) and leaves it empty otherwise, takes the union of the list columns and the best
    level and score, and holds every statement in full, without subject, predicate and
    object, as a JSON list in ``mechgraph_edges`` (which mechgraph reads back).
    """
    first = rows[0]
    merged = {"id": "+".join(row["id"] for row in rows), "subject": first["subject"],
              "predicate": first["predicate"], "object": first["object"]}
    for columns in _SHARED_COLUMNS:
        values = {tuple(row.get(c) or "" for c in columns) for row in rows}
        common = values.pop() if len(values) == 1 else ("",) * len(columns)
        merged.update(zip(columns, common, strict=True))
    for column in ("knowledge_level", "agent_type"):  # Biolink requires both on every edge
        merged[column] = merged[column] or "not_provided"
    for column in _UNION_COLUMNS:
        each = (row[column] if isinstance(row[column], list) else [row[column]] for row in rows)
        merged[column] = list(dict.fromkeys(v for vs in each for v in vs if v))
    levels = [row["mechgraph_level"] for row in rows if row["mechgraph_level"]]
    merged["mechgraph_level"] = max(levels, key=level_rank) if levels else ""
    merged["mechgraph_score"] = max((row["mechgraph_score"] for row in rows), key=float)
    merged["mechgraph_edges"] = records.as_json(
        [{k: v for k, v in row.items() if k not in ("subject", "predicate", "object") and v not in ("", [])}
         for row in rows])
    return merged


def statement_rows(graph):
    """One KGX record per assertion, stance and species (see the module's docstring), by assertion id."""
    m = graph.model
    for assertion_id in records.assertion_ids(graph):
        a = m.assertions[assertion_id]
        record = records.assertion_record(graph, assertion_id)
        context_species = a.context.get("species", ())
        stances = [(ids, negated) for ids, negated in ((a.supporting, False), (a.refuting, True)) if ids]
        if not stances:
            yield _edge_row(graph, a, record, [], False, context_species[0] if len(context_species) == 1 else "",
                            a.id)
            continue
        for ids, negated in stances:
            groups: dict[str, list] = {}
            for f in (m.findings[i] for i in ids if i in m.findings):
                for species in f.species or context_species or ("",):
                    groups.setdefault(species, []).append(f)
            base = a.id + (REFUTING_SUFFIX if negated else "")
            for species in sorted(groups):
                row_id = f"{base}#{species}" if len(groups) > 1 and species else base
                yield _edge_row(graph, a, record, groups[species], negated, species, row_id)


def _edge_row(graph, a, record: dict, findings: list, negated: bool, species: str, row_id: str) -> dict:
    m = graph.model
    publications: list[str] = []
    knowledge_sources: list[str] = []
    notes: dict[str, str] = {}
    for f in findings:
        for sid in (f.source, *f.cites):
            source = m.sources.get(sid)
            if source is not None and source.kind == "knowledge_source":
                knowledge_sources.append(sid)
            elif sid:
                publications.append(bl.source_curie(sid))
        notes.update(_kgx_notes(f.quality_note))
    anatomy = [bl.node_curie(e) for key in ("brain_region", "cell_type") for e in a.context.get(key, ())]
    object_category = ENTITY_TYPES[m.entities[a.object].type]
    row = {
        "id": row_id,
        "subject": bl.node_curie(a.subject),
        "predicate": _written_predicate(a),
        "object": bl.node_curie(a.object),
        "negated": "True" if negated else "",
        "species_context_qualifier": bl.TAXA.get(species, species),
        "anatomical_context_qualifier": anatomy,
        "knowledge_level": notes.get("knowledge_level") or ("knowledge_assertion" if findings else "not_provided"),
        "agent_type": notes.get("agent_type") or ("manual_agent" if findings else "not_provided"),
        "primary_knowledge_source": knowledge_sources[0] if knowledge_sources else
        (bl.KNOWLEDGE_SOURCE if findings else ""),
        "publications": list(dict.fromkeys(publications)),
        "mechgraph_assertion": a.id,
        "mechgraph_predicate": a.predicate,
        "mechgraph_level": max((f.level for f in findings), key=level_rank) if findings else "",
        "mechgraph_score": repr(record["score"]),
        "mechgraph_findings": [f.id for f in findings],
        "mechgraph_statements": [f.statement for f in findings],
        "mechgraph_context": records.as_json(record["context"]) if a.context else "",
    }
    if a.predicate in bl.EFFECT_QUALIFIERS:
        aspect, direction = bl.EFFECT_QUALIFIERS[a.predicate]
        row["qualified_predicate"] = "biolink:causes"
        row["object_direction_qualifier"] = direction
        if object_category in bl.ASPECT_CATEGORIES or a.predicate == "catalyzes_formation_of":
            row["object_aspect_qualifier"] = aspect
    return row


def _written_predicate(assertion) -> str:
    """The Biolink predicate of an assertion: its predicate's, or the one an imported KGX
    edge had when it mapped to no predicate exactly (kept in the note)."""
    if assertion.note.startswith(bl.NOTE_PREFIX):
        written = assertion.note[len(bl.NOTE_PREFIX):]
        if bl.is_curie(written):
            return written
    return PREDICATES[assertion.predicate].biolink


def _kgx_notes(note: str) -> dict[str, str]:
    out = {}
    for part in note.split(";"):
        key, _, value = part.partition(":")
        if key.strip() in ("knowledge_level", "agent_type"):
            out[key.strip()] = value.strip()
    return out


_CLEAN = str.maketrans({"\t": " ", "\n": " ", "\r": " ", "|": "¦"})


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "|".join(str(v).translate(_CLEAN) for v in value)
    return str(value).translate(_CLEAN)


# -- reading -----------------------------------------------------------------

def kgx_files(path: str | Path) -> tuple[Path, Path] | None:
    """The (nodes, edges) files of a KGX graph at ``path`` (a directory or a nodes or edges
    file), or None when ``path`` holds no KGX graph."""
    path = Path(path)
    if path.is_file():
        name = path.name
        for this, other in (("nodes", "edges"), ("edges", "nodes")):
            if this in name:
                partner = path.with_name(name.replace(this, other))
                if partner.is_file():
                    return (path, partner) if this == "nodes" else (partner, path)
        return None
    if path.is_dir():
        for suffix in (".tsv", ".jsonl", ".tsv.gz", ".jsonl.gz"):
            nodes, edges = path / f"nodes{suffix}", path / f"edges{suffix}"
            if nodes.is_file() and edges.is_file():
                return nodes, edges
        pairs = sorted(p for p in path.iterdir() if p.is_file() and p.name.endswith(
            ("_nodes.tsv", "_nodes.jsonl", "_nodes.tsv.gz", "_nodes.jsonl.gz")))
        for nodes in pairs:
            edges = nodes.with_name(nodes.name.replace("_nodes.", "_edges."))
            if edges.is_file():
                return nodes, edges
    return None


def read_kgx(nodes: str | Path, edges: str | Path, *, progress: bool | None = None) -> Model:
    """Read a KGX nodes file and edges file (TSV or JSON Lines, optionally gzipped) into a Model.

    ``progress`` shows a bar on stderr (None: only for big files, or as MECHGRAPH_PROGRESS
    says). Raises InvalidGraph listing malformed rows with file and line.
    """
    nodes, edges = Path(nodes), Path(edges)
    if progress is None:
        progress = show_progress(nodes, edges)
    from .kgx_reader import KgxReader
    reader = KgxReader(nodes.parent)
    reader.read_nodes(nodes, progress)
    if not reader.stopped:
        reader.read_edges(edges, progress)
    if reader.errors:
        raise InvalidGraph(reader.errors)
    return reader.model


def show_progress(nodes: Path, edges: Path) -> bool:
    """Whether reading these files shows a progress bar: when they hold at least
    ``PROGRESS_BYTES`` together, unless MECHGRAPH_PROGRESS says 1 (always) or 0 (never).

    >>> show_progress(Path("tests/data/kgx-graph/nodes.tsv"), Path("tests/data/kgx-graph/edges.tsv"))  # a few kB
    False
    """
    forced = os.environ.get("MECHGRAPH_PROGRESS", "")
    if forced in ("0", "1"):
        return forced == "1"
    return sum(p.stat().st_size for p in (nodes, edges)) >= PROGRESS_BYTES
