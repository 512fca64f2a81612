"""The first build of a big KGX graph, streamed from its columns into the cache's records file.

Reading a KGX graph into a :class:`~mechgraph.model.Model` and then writing the model to
the cache (:mod:`mechgraph.store.cache`) holds every record of the graph as an object at
once: for a million edges, a million assertions and findings and as many sources, some
gigabytes. :func:`stream_kgx` instead turns each batch of rows of the edges file, as the
columnar reader gives it, straight into the JSON text of its records (the plain data of
:mod:`mechgraph.store.plain`), column by column in polars
(:mod:`mechgraph.store.kgx_batches`, the row rules of
:func:`mechgraph.io.kgx_columnar.edge_rows`), and appends them to the records
file as they come (:class:`~mechgraph.store.recordfile.RecordWriter`): assertions in
place after the entities, findings, sources and edge records in spool files copied in
after them. The topology's arrays, the graph's counts and the entity mentions are
gathered on the way; scores come from the evidence functions, once per evidence shape
(:func:`mechgraph.store.build.edge_numbers_memo`). No model object of an edge is made.

The records file and the topology are those the model would have given, byte for byte
and array for array (a differential test builds graphs both ways). Whatever this build
does not read as the line reader would, it leaves to the model: it raises
:class:`NotStreamed` (the cache then reads the graph as before) for a graph that is not a
clean TSV table for the columnar reader (:func:`mechgraph.io.kgx_columnar.tsv_columns`)
or a JSON Lines file whose values all read as text cells (:mod:`mechgraph.io.kgx_jsonl`),
has any error (reported by the model's reading, with its file and line, as ever), or a
second statement of an edge id (an assertion with several findings).
"""

from __future__ import annotations

import shutil
import tempfile
from array import array
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ..model.constants import level_rank
from ..model.core import Assertion, Finding, Model, Source, Where, tally
from .build import edge_numbers_memo
from .recordfile import RecordIndex, RecordWriter, moved
from .topology import _RELATION_NUMBER, _TYPE_NUMBER, MENTION_ROLES, Topology

if TYPE_CHECKING:
    from .kgx_nodes import Nodes


class NotStreamed(Exception):
    """The graph is not one :func:`stream_kgx` reads: read it into a model instead."""


def stream_kgx(nodes: Path, edges: Path, handle: BinaryIO, spool: Path | None = None, *,
               progress: bool | None = None) -> tuple[dict[str, RecordIndex], Topology, Nodes, str]:
    """Write the entities, assertions, findings, sources and edge records of a KGX graph
    to ``handle`` (a records file, positioned after its header), streamed from the edges
    file's columns.

    Parameters
    ----------
    nodes, edges : Path
        The graph's files.
    handle : binary file
        Where the records go, each kind in turn as :func:`~mechgraph.store.recordfile.write_records` writes it.
    spool : Path, optional
        The directory of the spool files (deleted when done); the system's by default.
    progress : bool, optional
        A progress bar on stderr (None: as :func:`mechgraph.io.kgx.read_kgx` decides).

    Returns
    -------
    tuple
        ``(indexes, topology, entities, root)``: the :class:`~mechgraph.store.recordfile.RecordIndex`
        of each kind (``entities``, ``assertions``, ``findings``, ``sources``, ``edges``), the
        graph's :class:`~mechgraph.store.topology.Topology` (unbound), the entities
        (:class:`~mechgraph.store.kgx_nodes.Nodes`, which also write the names) and the model's root.

    Raises
    ------
    NotStreamed
        For a graph this build leaves to the model (see the module docstring).

    Examples
    --------
    >>> import io
    >>> from mechgraph.store.recordfile import RecordMap
    >>> out = io.BytesIO()
    >>> try:
    ...     stream_kgx(Path("tests/data/kgx-graph/nodes.tsv"), Path("tests/data/kgx-graph/edges.tsv"), out)
    ... except NotStreamed:  # a small file: the columnar reader leaves it to the line reader
    ...     print("read as a model")
    read as a model
    """
    from ..io import kgx_columnar
    from ..io.kgx import show_progress
    from ..io.kgx_reader import KgxReader, Progress
    import polars as pl
    from .kgx_batches import finish_ids
    if not kgx_columnar.enabled(edges):
        raise NotStreamed("not read in columns")
    if progress is None:
        progress = show_progress(nodes, edges)
    reader = KgxReader(nodes.parent)
    entities = _nodes(reader, nodes, progress)
    table = _columns(reader, edges)
    if table is None:
        raise NotStreamed("not a clean table")
    indexes = {"entities": entities.write(handle)}
    with ExitStack() as stack:
        spools = [stack.enter_context(tempfile.TemporaryFile(dir=spool)) for _ in range(3)]
        reader.file, reader.where = edges.name, Where(edges.name)
        header = table.first_line - 1
        bar = Progress(f"reading {edges.name}", edges.stat().st_size, not edges.name.endswith(".gz"),
                       header=header) if progress else None
        build = _Build(reader, entities, handle, *spools)
        step = edges.stat().st_size // max(table.height, 1)
        if bar is not None and header:
            bar.advance(step)  # the header
        try:
            build.read(table.batches(kgx_columnar.EDGE_ORDER, frames=True), bar, step, table.first_line)
        except kgx_columnar.Unclean as exc:
            raise NotStreamed(f"not a clean table ({exc})") from None
        finally:
            if bar is not None:
                bar.close()
        del table
        topology = build.topology()
        ids = pl.concat(build.ids) if build.ids else pl.Series([], dtype=pl.String)
        build.ids.clear()
        indexes["assertions"] = finish_ids(build.assertions, ids)
        if not build.assertions.distinct:
            raise NotStreamed("a second statement of an edge id")
        del ids
        finding_ids = pl.concat(build.finding_ids) if build.finding_ids else pl.Series([], dtype=pl.String)
        build.finding_ids.clear()
        for kind, kind_ids, file in (("findings", finding_ids, spools[0]), ("sources", build.source_ids, spools[1]),
                                     ("edges", None, spools[2])):
            writer = getattr(build, kind)
            # distinct: each finding's id is its edge's, each source named once
            index = finish_ids(writer, kind_ids, True) if kind_ids is not None else writer.finish([])
            file.seek(0)
            indexes[kind] = moved(index, handle.tell())
            shutil.copyfileobj(file, handle, 1 << 20)
            file.close()
        del finding_ids
        build.source_ids = None
        return indexes, topology, entities, str(nodes.parent)


def _nodes(reader, path: Path, progress: bool):
    """The entities of the nodes file (:class:`~mechgraph.store.kgx_nodes.Nodes`): read in
    columns from a clean table whose rows the line reader reads without an error, else
    read by the line reader (raising NotStreamed when it finds an error)."""
    from ..io import kgx_columnar, kgx_jsonl
    from ..io import kgx_reader as kr
    from .kgx_nodes import NODE_COLUMNS, NODE_ITEMS, Nodes
    if ".jsonl" in path.name:
        table = kgx_jsonl.jsonl_stream(path, NODE_COLUMNS, NODE_ITEMS, checker=kr.KgxReader(path.parent),
                                       max_line=kr.MAX_LINE, max_ratio=kr.MAX_RATIO, floor=kr.RATIO_FLOOR,
                                       contiguous=False)
    else:
        table = kgx_columnar.tsv_columns(
            path, max_line=kr.MAX_LINE, max_field=kr.MAX_FIELD, max_ratio=kr.MAX_RATIO, floor=kr.RATIO_FLOOR,
            accept=lambda header: "id" in header, small=True)
    if table is not None:
        header = table.first_line - 1
        bar = kr.Progress(f"reading {path.name}", path.stat().st_size, not path.name.endswith(".gz"),
                          header=header) if progress else None
        found = None
        try:
            found = Nodes.from_table(table, path.name)
        except kgx_columnar.Unclean:
            pass
        finally:
            if bar is not None:  # its rows (a JSON Lines table's height is estimated) and the header
                bar.advance(path.stat().st_size, (len(found) if found is not None else table.height) + header)
                bar.close()
        if found is not None:
            return found
    reader.read_nodes(path, progress)
    if reader.errors:
        raise NotStreamed("errors in the nodes file")
    return Nodes.from_entities(reader.entities, path.name)


def _columns(reader, edges: Path):
    """The edges file's table (:func:`mechgraph.io.kgx_columnar.tsv_stream`, a batch at a
    time; a gzipped file whole, :func:`~mechgraph.io.kgx_columnar.tsv_columns`), or None."""
    from ..io import kgx_columnar, kgx_jsonl
    from ..io import kgx_reader as kr
    if ".jsonl" in edges.name:
        return kgx_jsonl.jsonl_stream(edges, kgx_columnar.EDGE_ORDER, kgx_columnar.EDGE_ITEMS,
                                      checker=kr.KgxReader(edges.parent), max_line=kr.MAX_LINE,
                                      max_ratio=kr.MAX_RATIO, floor=kr.RATIO_FLOOR, reject="mechgraph_")
    required = ("subject", "predicate", "object")
    table = kgx_columnar.tsv_stream(edges, max_line=kr.MAX_LINE, max_field=kr.MAX_FIELD, max_ratio=kr.MAX_RATIO,
                                    floor=kr.RATIO_FLOOR, accept=lambda header: all(c in header for c in required)
                                    and kgx_columnar.fast_edges(header))
    return table if table is not None else reader.edge_columns(edges, required)


class _Build:
    """What one streamed build gathers: the writers of each kind, the ids, the topology's
    arrays, the counts and the mentions."""

    def __init__(self, reader, entities, handle: BinaryIO, findings: BinaryIO, sources: BinaryIO, edges: BinaryIO):
        self.reader = reader
        self.entities = entities
        self.assertions, self.findings = RecordWriter(handle, encoded=True), RecordWriter(findings, encoded=True)
        self.sources, self.edges = RecordWriter(sources, encoded=True), RecordWriter(edges, encoded=True)
        #: per batch: the assertions' ids, the findings' ids, the sources each batch names
        self.ids: list = []
        self.finding_ids: list = []
        self.named: list = []
        self.finding_count = 0
        #: after :meth:`read`: the sources' ids, in order
        self.source_ids: Any = None
        self.source_count = 0
        #: per batch: the topology's columns
        self.columns: dict[str, list] = {name: [] for name in ("subject", "object", "score", "rank", "refuted",
                                                               "relation")}
        self.by_predicate: Counter = Counter()
        self.by_relation: Counter = Counter()
        self.mentions: dict[int, dict[tuple[int, int], None]] = {}

    def read(self, frames, bar=None, step: int = 0, first_line: int = 2) -> None:
        """Write the records of each batch (a polars frame of the edges file's columns,
        :data:`~mechgraph.io.kgx_columnar.EDGE_ORDER`) and gather the rest
        (:class:`~mechgraph.store.kgx_batches.Batches`)."""
        from .kgx_batches import Batches, NotCommon, fragments_of, write_texts
        where = self.reader.where
        # the JSON text of each kind of record, cut where the fields a row sets go
        sample = Finding("f", "s", (), "review", "supports", "", "", where=where)
        fragments = {
            "finding": fragments_of(sample, ("id", "source", "direction", "statement", "study", "cites", "species",
                                           "quality_note")),
            "assertion": fragments_of(Assertion("a", "x", "related_to", "y", where=where),
                                    ("id", "subject", "predicate", "object", "supporting", "refuting", "context",
                                     "note")),
            "knowledge_source": fragments_of(Source("s", "knowledge_source"), ("id", "title")),
            "study": fragments_of(Source("s", "study"), ("id", "title"))}
        # every synthetic finding has one level and one role (KgxReader.finding without mechgraph_level)
        self.finding_level, self.finding_role = sample.level, sample.role
        # an edge's level and score by whether it has a finding and which side it is on,
        # from the evidence functions (every synthetic finding is the same kind of evidence)
        numbers = {}
        for side in ("none", "supports", "refutes"):
            sample = Finding(id="f", source="s", locator=(), study_type="review", direction=side, statement="",
                             statement_zh="")
            one = ("f",) if side != "none" else ()
            sample_model = Model(findings={"f": sample})
            level, value = edge_numbers_memo(sample_model)(
                Assertion("a", "x", "related_to", "y", supporting=one if side == "supports" else (),
                          refuting=one if side == "refutes" else ()))
            numbers[side] = (level, value, level_rank(level))
        context_roles = (("brain_region", MENTION_ROLES.index("brain_region")),
                         ("cell_type", MENTION_ROLES.index("cell_type")))
        batches = Batches(self.reader, self.entities, numbers, fragments, _RELATION_NUMBER, context_roles)
        batches.line = first_line - 1
        mentions = self.mentions
        for frame in frames:
            try:
                done = batches.batch(frame)
            except NotCommon as exc:
                raise NotStreamed(str(exc)) from None
            if bar is not None:
                bar.advance(step * frame.height, frame.height)
            self.ids.append(done["ids"])
            self.finding_ids.append(done["finding_ids"])
            self.named.append(done["named"])
            for kind in ("assertions", "findings", "edges"):
                write_texts(getattr(self, kind), done[kind])
            for name, column in self.columns.items():
                column.append(done[name])
            self.by_predicate.update(done["by_predicate"])
            self.by_relation.update(done["by_relation"])
            for node, position, number in done["mentions"]:  # topology._mentions, in row order
                mentions.setdefault(node, {})[(position, number)] = None
        self.finding_count = batches.findings
        self.source_ids, texts = batches.sources(self.named)
        self.source_count = len(self.source_ids)
        for part in texts:
            write_texts(self.sources, part)

    def topology(self) -> Topology:
        """The graph's topology, as :meth:`Topology.from_model` gives it from the model (unbound)."""
        import polars as pl
        from .kgx_batches import to_array
        entities = self.entities
        findings = self.finding_count
        arrays: dict[str, array] = {}
        rows: list[array] = []
        for (name, column), code in zip(self.columns.items(), "iidbbb", strict=True):
            values = pl.concat(column) if column else pl.Series([], dtype=pl.Int32)
            column.clear()
            arrays[name] = to_array(code, values)
            if name in ("subject", "object"):
                rows.extend(_rows(values, len(entities)))
        edges = len(arrays["subject"])
        counts = tally(entities.ids, edges, findings, self.source_count, by_predicate=self.by_predicate,
                       by_level=Counter({self.finding_level: findings}),
                       by_role=Counter({self.finding_role: findings}), by_relation=self.by_relation,
                       entity_counts=entities.counts())
        other = _TYPE_NUMBER["NamedThing"]
        types = array("b", (_TYPE_NUMBER.get(kind, other) for kind in entities.type_list))
        mentions = {node: tuple(pairs) for node, pairs in self.mentions.items()}
        return Topology(list(entities.ids), arrays["subject"], arrays["object"], arrays["score"], arrays["rank"],
                        arrays["refuted"], mentions, counts, arrays["relation"], types,
                        rows=(rows[0], rows[1], rows[2], rows[3]))


def _rows(ends, count: int) -> tuple[array, array]:
    """:func:`mechgraph.store.topology._rows` of a polars column: the compressed sparse rows of
    the edges by one end, ``(start, edges)``, each row in edge order (a stable sort).

    >>> import polars as pl
    >>> [list(a) for a in _rows(pl.Series([2, 0, 2, 1], dtype=pl.Int32), 4)]
    [[0, 1, 2, 4, 4], [1, 3, 0, 2]]
    """
    import polars as pl
    from .kgx_batches import to_array
    frame = pl.DataFrame({"end": ends.cast(pl.Int64), "edge": pl.int_range(0, len(ends), eager=True)})
    sizes = frame.group_by("end").len()
    start = pl.zeros(count + 1, dtype=pl.Int64, eager=True).scatter(sizes["end"] + 1, sizes["len"]).cum_sum()
    return to_array("i", start), to_array("i", frame.sort("end", maintain_order=True)["edge"])
