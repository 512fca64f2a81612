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
from array import array
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..atomic import atomic_path
from ..model.constants import ENTITY_TYPES, PREDICATES, level_rank
from ..errors import InvalidGraph, MechgraphError
from ..model.core import Model, Source
from ..store.plain import field_position
from ..store.recordfile import RecordMap, load, one_pass, passing
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
#: bytes of rows already in order copied at once
_RUN_BYTES = 1 << 20


# -- writing -----------------------------------------------------------------

def write_kgx(graph, path: str | Path) -> list[Path]:
    """Write ``graph`` as KGX TSV into the directory ``path`` (atomically, replacing an
    earlier export there; a directory holding other files is refused).

    Rows are written as they are made to a file beside the export and copied from there in
    order of id, so that memory holds ids, not rows, and what a cached graph's records
    decode for them is let go as the export goes.
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
        _write_sorted(tmp / "nodes.tsv", NODE_COLUMNS, _node_lines(graph), tmp / ".rows")
        _write_sorted(tmp / "edges.tsv", EDGE_COLUMNS, _edge_lines(graph), tmp / ".rows")
        for name in ("nodes.tsv", "edges.tsv"):
            os.chmod(tmp / name, 0o644)
        (tmp / CONTEXT_FILE).write_text(json.dumps(jsonld_context(), indent=2) + "\n", encoding="utf-8")
        os.chmod(tmp / CONTEXT_FILE, 0o644)
        os.chmod(tmp, 0o755)
    return [path / name for name in FILES]


def _line(columns: tuple[str, ...], row: dict) -> bytes:
    return ("\t".join(_cell(row.get(c)) for c in columns) + "\n").encode("utf-8")


def _node_lines(graph):
    """(entity id, None, line) of every entity, in the graph's order."""
    for e in passing(one_pass(graph.model.entities), graph.model.entities):
        yield e.id, None, _line(NODE_COLUMNS, _node_row(e))


def _edge_lines(graph):
    """(row id, its first assertion's id, line) of every edge row, in no particular order."""
    for row in _final_rows(graph):
        first = row["mechgraph_assertion"]
        yield row["id"], first[0] if isinstance(first, list) else first, _line(EDGE_COLUMNS, row)


def _write_sorted(target: Path, columns: tuple[str, ...], lines, spill: Path) -> None:
    """Write ``lines`` (key, second key or None, line) to ``spill`` as they come, then the
    header and the lines to ``target`` in order of key; lines with the same key (which only
    edge ids holding ``#`` or ``+`` can make) in order of their second key, as
    :func:`edge_rows` orders them."""
    order, starts = _spilled(lines, spill)
    with open(spill, "rb") as source, open(target, "wb") as out:
        out.write(("\t".join(columns) + "\n").encode("utf-8"))
        fd, at = source.fileno(), 0
        while at < len(order):
            first = end = order[at]
            at += 1
            while at < len(order) and order[at] == end + 1 and starts[end + 1] - starts[first] < _RUN_BYTES:
                end, at = order[at], at + 1  # lines already in order are copied together
            out.write(os.pread(fd, starts[end + 1] - starts[first], starts[first]))
    spill.unlink()


def _spilled(lines, spill: Path) -> tuple[list[int], array]:
    """Write each line to ``spill``; return the lines' numbers in order (see _write_sorted)
    and where each line starts (and the last ends)."""
    keys: list[str] = []
    seconds: dict[int, str] = {}
    starts = array("q", [0])
    with open(spill, "wb") as out:
        for key, second, line in lines:
            if second is not None and second != key:
                seconds[len(keys)] = second
            keys.append(key)
            starts.append(starts[-1] + out.write(line))
    order = sorted(range(len(keys)), key=keys.__getitem__)
    run = 0
    for end in range(1, len(order) + 1):
        if end == len(order) or keys[order[end]] != keys[order[run]]:
            if end - run > 1:
                order[run:end] = sorted(order[run:end], key=lambda i: seconds.get(i, keys[i]))
            run = end
    return order, starts


def jsonld_context() -> dict:
    """The JSON-LD context of mechgraph's own CURIE prefixes, as ``context.jsonld`` holds it.

    >>> jsonld_context()["@context"]["mechgraph"]
    {'@id': 'urn:mechgraph:entity:', '@prefix': True}
    """
    return {"@context": {prefix: {"@id": iri, "@prefix": True} for prefix, iri in sorted(bl.OWN_PREFIXES.items())}}


def node_rows(graph):
    """The KGX node records of a graph (dicts keyed by NODE_COLUMNS), sorted by id."""
    for entity_id in records.entity_ids(graph):
        yield _node_row(graph.model.entities[entity_id])


def _node_row(e) -> dict:
    return {"id": bl.node_curie(e.id), "category": [ENTITY_TYPES[e.type]], "name": e.name,
            "description": e.description, "synonym": list(e.aliases), "xref": bl.xref_curies(e.xrefs),
            "name_zh": e.name_zh, "description_zh": e.description_zh, "mechgraph_type": e.type}


def edge_rows(graph):
    """The KGX edge records of a graph (dicts keyed by EDGE_COLUMNS), sorted by id: one per
    subject-predicate-object, the statements that share one merged (:func:`merged_row`)."""
    return sorted(_final_rows(graph), key=lambda row: row["id"])


def _final_rows(graph):
    """The KGX edge records, merged as :func:`edge_rows` gives them, in no particular order.

    Statements share a subject-predicate-object only when their assertions share subject
    and object, which the topology tells before any record is read: an assertion alone
    with its ends is merged on its own (its statements all share one predicate), the others
    wait until the last assertion between the same ends has come.
    """
    t = graph.topology
    shared = _shared_ends(t)
    waiting: dict[tuple[int, int], list[tuple[str, list[dict]]]] = {}
    m = graph.model
    for edge, a in enumerate(passing(one_pass(m.assertions), m.assertions, m.findings, m.sources)):
        statements = list(_statements(graph, a, edge))
        ends = (t.subject[edge], t.object[edge])
        count = shared.get(ends)
        if count is None:
            yield from _merged(statements)
            continue
        group = waiting.setdefault(ends, [])
        group.append((a.id, statements))
        if len(group) == count:
            yield from _merged_group(waiting.pop(ends))
    for group in waiting.values():  # none: the topology counts the model's assertions
        yield from _merged_group(group)


def _merged_group(group: list[tuple[str, list[dict]]]) -> list[dict]:
    return _merged([row for _, rows in sorted(group, key=lambda pair: pair[0]) for row in rows])


def _shared_ends(t) -> dict[tuple[int, int], int]:
    """(subject, object) -> how many assertions join them, for the ends more than one joins."""
    shared = {}
    for node in range(len(t.nodes)):
        objects = [t.object[edge] for edge in t.out_of(node)]
        if len(objects) > len(set(objects)):
            for obj, count in Counter(objects).items():
                if count > 1:
                    shared[(node, obj)] = count
    return shared


def _merged(statements: list[dict]) -> list[dict]:
    triples: dict[tuple[str, str, str], list[dict]] = {}
    for row in statements:
        triples.setdefault((row["subject"], row["predicate"], row["object"]), []).append(row)
    return [group[0] if len(group) == 1 else merged_row(group) for group in triples.values()]


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
    assertions = graph.model.assertions
    edges = {assertion_id: edge for edge, assertion_id in enumerate(assertions)}
    for assertion_id in records.assertion_ids(graph):
        yield from _statements(graph, assertions[assertion_id], edges[assertion_id])


def _statements(graph, a, edge: int):
    """The KGX records of assertion ``a``, the topology's edge number ``edge``."""
    m = graph.model
    context_species = a.context.get("species", ())
    stances = [(ids, negated) for ids, negated in ((a.supporting, False), (a.refuting, True)) if ids]
    if not stances:
        yield _edge_row(graph, a, edge, [], False, context_species[0] if len(context_species) == 1 else "", a.id)
        return
    for ids, negated in stances:
        groups: dict[str, list] = {}
        for f in (m.findings[i] for i in ids if i in m.findings):
            for species in f.species or context_species or ("",):
                groups.setdefault(species, []).append(f)
        base = a.id + (REFUTING_SUFFIX if negated else "")
        for species in sorted(groups):
            row_id = f"{base}#{species}" if len(groups) > 1 and species else base
            yield _edge_row(graph, a, edge, groups[species], negated, species, row_id)


def _edge_row(graph, a, edge: int, findings: list, negated: bool, species: str, row_id: str) -> dict:
    m, t = graph.model, graph.topology
    kind_of = _kind_of_source(m.sources)
    publications: list[str] = []
    knowledge_sources: list[str] = []
    notes: dict[str, str] = {}
    for f in findings:
        for sid in (f.source, *f.cites):
            if kind_of(sid) == "knowledge_source":
                knowledge_sources.append(sid)
            elif sid:
                publications.append(bl.source_curie(sid))
        notes.update(_kgx_notes(f.quality_note))
    anatomy = [bl.node_curie(e) for key in ("brain_region", "cell_type") for e in a.context.get(key, ())]
    object_category = ENTITY_TYPES[t.type_of(t.object[edge])]
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
        "mechgraph_score": repr(t.score[edge]),
        "mechgraph_findings": [f.id for f in findings],
        "mechgraph_statements": [f.statement for f in findings],
        "mechgraph_context": records.as_json({k: list(v) for k, v in sorted(a.context.items())}) if a.context else "",
    }
    if a.predicate in bl.EFFECT_QUALIFIERS:
        aspect, direction = bl.EFFECT_QUALIFIERS[a.predicate]
        row["qualified_predicate"] = "biolink:causes"
        row["object_direction_qualifier"] = direction
        if object_category in bl.ASPECT_CATEGORIES or a.predicate == "catalyzes_formation_of":
            row["object_aspect_qualifier"] = aspect
    return row


def _kind_of_source(sources) -> Callable[[str], str | None]:
    """A source's kind by id, None when there is no such source. From a cached records
    file it is read off the record's plain data without making the record (a big graph
    cites a source or two per edge, most of them once)."""
    if not isinstance(sources, RecordMap):
        return lambda sid: getattr(sources.get(sid), "kind", None)

    def kind(sid: str) -> str | None:
        position = sources.position(sid)
        if position is None:
            return None
        text = sources.text(position)
        try:
            plain = load(text) if text is not None else None
        except ValueError:
            plain = None
        if type(plain) is list and len(plain) > _SOURCE_KIND and plain[0] == sid and type(plain[_SOURCE_KIND]) is str:
            return plain[_SOURCE_KIND]
        source = sources.get(sid)  # damaged, or read from elsewhere: as the record says
        return None if source is None else source.kind
    return kind


#: where a source's kind is in its plain data (:mod:`mechgraph.store.plain`: fields in order)
_SOURCE_KIND = field_position(Source, "kind")


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
