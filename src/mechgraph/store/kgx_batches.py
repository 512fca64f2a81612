"""A batch of a KGX edges table turned into the JSON text of its records, column by column.

:mod:`mechgraph.store.kgx_stream` writes a big graph's records straight from its edges
file. This module does the work of each batch of rows (a polars frame of text columns,
:func:`mechgraph.io.kgx_columnar.tsv_stream`) in polars expressions rather than a row at a
time in Python: the row rules of :func:`mechgraph.io.kgx_columnar.edge_rows` (the line
reader's, written out) on whole columns, and each record's JSON text put together from its
fields' JSON text with ``concat_str``. What depends on a few distinct values (a predicate
and its qualifiers, a negation, a knowledge level and agent, a species and anatomy cell, a
triple of predicate and end types) is worked out once per distinct value in Python, by the
same functions the model uses, and joined in.

The text is the JSON the records file holds (:func:`mechgraph.store.recordfile.dump`:
``ensure_ascii=False``, no spaces). A value with no character JSON escapes (a quote, a
backslash, a control character) is its own JSON text between quotes; the few values that
have one are escaped by Python's encoder itself (:func:`escaped`). No number is written as
text here: positions are the only numbers, and they go to the topology's arrays.
"""

from __future__ import annotations

from json.encoder import encode_basestring
import sys
import zlib
from array import array
from collections.abc import Iterator
from typing import Any

import polars as pl

from .recordfile import BUCKET, CHUNK, RecordIndex, RecordWriter

#: a character JSON escapes (with ``ensure_ascii=False``): a quote, a backslash, a control character
UNSAFE = r'[\x00-\x1f"\\]'
#: what Python's ``str.strip()`` strips (``str.isspace``), for polars' ``strip_chars``
WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
#: rows turned into Python values at a time (bounds the memory they take)
SLICE = 65_536
#: what reads as a negation (edge_rows)
TRUTHY = ("true", "1", "yes", "t")


class NotCommon(ValueError):
    """A row of the batch is not a common row (an end unknown, a field missing): the model reads the graph."""


def escaped(values: pl.Series) -> pl.Series:
    """Each text as JSON writes it between its quotes; Python's encoder for those that need escaping.

    >>> escaped(pl.Series(["a", 'b"c', "d\\\\", "é\\x01"])).to_list()
    ['a', 'b\\\\"c', 'd\\\\\\\\', 'é\\\\u0001']
    """
    unsafe = values.str.contains(UNSAFE)
    if not unsafe.any():
        return values
    where = unsafe.arg_true()
    return values.clone().scatter(where, [encode_basestring(v)[1:-1] for v in values.gather(where).to_list()])


def quoted(text: str) -> str:
    """One text's JSON (Python's encoder, as the records file writes it)."""
    return encode_basestring(text)


def mapped(keys: pl.Series, function, dtype=pl.String) -> pl.Series:
    """``function`` of each key, called once per distinct key."""
    distinct = keys.unique(maintain_order=True).to_list()
    return keys.replace_strict(distinct, [function(k) for k in distinct], return_dtype=dtype)


def bar_items(cell: pl.Expr) -> pl.Expr:
    """``KgxReader.items`` of a text cell (as ``edge_rows`` and ``read_nodes`` split them):
    the non-empty parts between bars."""
    return cell.str.split("|").list.eval(pl.element().filter(pl.element() != ""))


def _json_list(cells: pl.Series, prefix: str) -> pl.Series:
    """The JSON list of each cell's items (:func:`bar_items`, the cells already :func:`escaped`),
    ``prefix`` cut from an item that starts with it: the bars replaced by ``","`` in a cell
    with neither an empty item nor the prefix, the items split for the others.

    >>> _json_list(pl.Series(["", "a", "a|b", "|x:a||b|", "|"]), "x:").to_list()
    ['[]', '["a"]', '["a","b"]', '["a","b"]', '[]']
    """
    frame = cells.to_frame("cell")
    out = frame.select(pl.when(pl.col("cell") == "").then(pl.lit("[]")).otherwise(
        pl.concat_str([pl.lit('["'), pl.col("cell").str.replace_all("|", '","', literal=True), pl.lit('"]')]))
    ).to_series()
    other = cells.str.contains(r"^\||\|\||\|$") | cells.str.contains(prefix, literal=True)
    if other.any():
        where = other.arg_true()
        items = bar_items(pl.col("cell")).list.eval(pl.element().str.strip_prefix(prefix))
        split = frame[where].select(pl.when(items.list.len() > 0).then(
            pl.concat_str([pl.lit('["'), items.list.join('","'), pl.lit('"]')])).otherwise(pl.lit("[]"))).to_series()
        out = out.scatter(where, split)
    return out


def fragments_of(record, names: tuple[str, ...]) -> list[str]:
    """The JSON text of ``record``'s plain data (as the records file holds it) cut where the
    fields ``names`` go: the text before the first, between each two, after the last.

    >>> from mechgraph.model.core import Source
    >>> fragments_of(Source("s", "study"), ("id", "title"))[:2]
    ['[', ',"study",']
    """
    from dataclasses import fields
    from . import plain
    from .recordfile import _JSON
    data = plain.encoder(type(record))(record)
    places = {f.name: i for i, f in enumerate(fields(record))}
    marks = [f"\0{n}\0" for n in range(len(names))]
    for name, mark in zip(names, marks, strict=True):
        data[places[name]] = mark
    rest, pieces = _JSON.encode(data), []
    for mark in marks:
        before, rest = rest.split(_JSON.encode(mark), 1)
        pieces.append(before)
    return [*pieces, rest]


class Batches:
    """What the batches of one edges table share: the entities, the memos of distinct
    values, and how far the rows, findings and sources have come.

    ``reader`` is a :class:`~mechgraph.io.kgx_reader.KgxReader` (its predicates' mapping);
    ``nodes`` the entities (:class:`~mechgraph.store.kgx_nodes.Nodes`); ``numbers`` the level, score and rank of an edge by side (``none``, ``supports``,
    ``refutes``); ``fragments`` the JSON text of each kind of record around its fields
    (``finding``, ``assertion``, ``knowledge_source``, ``study``).
    """

    def __init__(self, reader, nodes, numbers: dict[str, tuple[str, float, int]], fragments: dict[str, list[str]],
                 relation_number, mention_roles: tuple[tuple[str, int], ...]):
        from ..io import biolink as bl
        from ..model.constants import PREDICATES
        self.reader = reader
        self.nodes = nodes
        self.ids = nodes.ids
        self.index = nodes.index
        self.prefix, self.source_prefix = bl.PREFIX + ":", bl.SOURCE_PREFIX + ":"
        self.taxa = bl.SPECIES_OF_TAXON
        self.reads = {name: p.reads for name, p in PREDICATES.items()}
        self.numbers, self.fragments = numbers, fragments
        self.relation_number = relation_number
        self.mention_roles = mention_roles
        # each entity's id and name as JSON text, and its type, by entity number
        self.name_text, self.types, self.quoted_ids = nodes.name_text, nodes.types, nodes.quoted_ids
        self.numbered = pl.DataFrame({"id": nodes.frame["id"],
                                      "n": pl.int_range(0, len(nodes), dtype=pl.Int32, eager=True)})
        self.predicates: dict[str, tuple[str, str]] = {}
        self.contexts: dict[str, tuple[str, str, str, tuple[tuple[int, int], ...]]] = {}
        self.relations: dict[str, tuple[str, int]] = {}
        self.line = 1  # the last line read
        self.findings = 0  # findings made so far
        self.sources_seen: set[str] = set()

    # -- distinct values ---------------------------------------------------------------------
    def _predicate(self, key: str) -> tuple[str, str]:
        """(predicate, note) of ``predicate<TAB>aspect<TAB>direction`` (stripped), as edge_rows maps them."""
        p, aspect, direction = key.split("\t")
        return self.reader.predicate({}, p) if not aspect and not direction else \
            self.reader.predicate({"object_aspect_qualifier": aspect, "object_direction_qualifier": direction}, p)

    def _context(self, key: str) -> tuple[str, str, str, tuple[tuple[int, int], ...]]:
        """Of a ``species cell<TAB>anatomy cell``: the JSON text of the finding's species, the
        context, and the sorted species (the edge record's), and the context's mentions
        (entity number, role number), as edge_rows and the streamed build make them."""
        species_cell, anatomy_cell = key.split("\t")
        type_of, prefix, cut = self.nodes.type_of, self.prefix, len(self.prefix)
        species = tuple(self.taxa.get(t, t) for t in species_cell.split("|") if t)
        context: dict[str, tuple[str, ...]] = {}
        if species:
            context["species"] = species
        for curie in (c for c in anatomy_cell.split("|") if c):
            node = curie[cut:] if curie.startswith(prefix) else curie
            kind = type_of(node)
            if kind is not None:
                place = "cell_type" if kind == "CellType" else "brain_region"
                context[place] = context.get(place, ()) + (node,)
        from .recordfile import _JSON
        mentions = tuple((self.index[value], number) for place, number in self.mention_roles
                         for value in context.get(place, ()) if value in self.index)
        return ("[" + ",".join(map(quoted, species)) + "]", _JSON.encode(context),
                "[" + ",".join(map(quoted, sorted(set(species)))) + "]", mentions)

    # -- one batch ---------------------------------------------------------------------------
    def batch(self, frame: pl.DataFrame) -> dict[str, Any]:
        """The records of one batch (a frame with the columns of
        :data:`~mechgraph.io.kgx_columnar.EDGE_ORDER`, text, no nulls), in row order.

        Returns a dict of columns: ``ids`` (the assertions'), ``finding_ids`` (of the rows
        with a finding), ``assertions``, ``findings``, ``edges`` (the records' JSON text),
        ``named`` (the sources named, :meth:`_named`), the topology's ``subject``, ``object``,
        ``score``, ``rank``, ``refuted`` and ``relation``; and ``by_predicate``, ``by_relation``
        (counts) and ``mentions`` (``(entity number, finding position, role number)`` in order).

        Raises NotCommon when a row is not one edge_rows reads from the columns.
        """
        col, lit = pl.col, pl.lit
        height = frame.height
        first = self.line + 1
        self.line += height

        def strip(name: str) -> pl.Expr:
            return col(name).str.strip_chars(WHITESPACE)
        w = frame.select(
            s=strip("subject"), p=strip("predicate"), o=strip("object"),
            id=pl.when(strip("id") == "").then(pl.format("e{}", pl.int_range(first, first + height, dtype=pl.Int64)))
            .otherwise(strip("id")),
            qualified=pl.concat_str([strip("predicate"), strip("object_aspect_qualifier"),
                                     strip("object_direction_qualifier")], separator="\t"),
            negation=col("negated"), source=strip("primary_knowledge_source"), level=strip("knowledge_level"),
            notes_key=pl.concat_str([strip("knowledge_level"), strip("agent_type")], separator="\t"),
            pub=col("publications"),
            context_key=pl.concat_str([col("species_context_qualifier"), col("anatomical_context_qualifier")],
                                      separator="\t"))
        w = w.with_columns(col("s").str.strip_prefix(self.prefix).alias("subject"),
                           col("o").str.strip_prefix(self.prefix).alias("object"))
        w = w.join(self.numbered.rename({"n": "sn"}), left_on="subject", right_on="id", how="left",
                   maintain_order="left")
        w = w.join(self.numbered.rename({"n": "on"}), left_on="object", right_on="id", how="left",
                   maintain_order="left")
        if w["sn"].null_count() or w["on"].null_count() or (w["s"] == "").any() or (w["p"] == "").any() \
                or (w["o"] == "").any():
            raise NotCommon("a row with an end that is not a known entity, or no predicate")
        subject_number, object_number = w["sn"], w["on"]
        # the predicate and its note, per distinct predicate and qualifiers
        qualified = w["qualified"]
        for key in qualified.unique().to_list():
            if key not in self.predicates:
                self.predicates[key] = self._predicate(key)
        found = self.predicates
        predicate = qualified.replace_strict(list(found), [v[0] for v in found.values()], return_dtype=pl.String)
        negated = mapped(w["negation"], lambda v: v.strip().lower() in TRUTHY, pl.Boolean)
        publications = w["pub"]
        evidence = publications.str.contains(r"[^|]") | (w["source"] != "") | negated | (w["level"] != "")
        # the context (and the finding's species) per distinct species and anatomy cells
        context_key = w["context_key"]
        distinct = context_key.unique(maintain_order=True).to_list()
        contexts = self.contexts
        for key in distinct:
            if key not in contexts:
                contexts[key] = self._context(key)
        source = pl.select(pl.when(w["source"] == "").then(lit("kgx")).otherwise(w["source"])).to_series()
        t = pl.DataFrame({
            "id": escaped(w["id"]), "s": self.quoted_ids.gather(subject_number),
            "o": self.quoted_ids.gather(object_number), "sname": self.name_text.gather(subject_number),
            "oname": self.name_text.gather(object_number),
            "reads": mapped(predicate, lambda name: encode_basestring(self.reads.get(name, ""))[1:-1]),
            "pred": qualified.replace_strict(list(found), [quoted(v[0]) for v in found.values()],
                                             return_dtype=pl.String),
            "note": qualified.replace_strict(list(found), [quoted(v[1]) for v in found.values()],
                                             return_dtype=pl.String),
            "neg": negated, "ev": evidence, "source": escaped(source),
            "cites": _json_list(escaped(publications), self.source_prefix),
            **{name: context_key.replace_strict(distinct, [contexts[k][i] for k in distinct], return_dtype=pl.String)
               for i, name in enumerate(("species", "context", "species_of"))},
            "notes": mapped(w["notes_key"], lambda k: quoted("; ".join(
                f"{name}: {v}" for name, v in zip(("knowledge_level", "agent_type"), k.split("\t"), strict=True)
                if v)))})
        f, a = self.fragments["finding"], self.fragments["assertion"]
        fid = pl.concat_str([lit('"kgx:'), col("id"), lit('"')])
        quoted_id = pl.concat_str([lit('"'), col("id"), lit('"')])
        supports, refutes = col("ev") & ~col("neg"), col("ev") & col("neg")
        supporting = pl.when(supports).then(pl.concat_str([lit("["), fid, lit("]")])).otherwise(lit("[]"))
        refuting = pl.when(refutes).then(pl.concat_str([lit("["), fid, lit("]")])).otherwise(lit("[]"))
        # the position of the row's finding among all findings (edge_records' places)
        place = pl.when(col("ev")).then(pl.concat_str([
            lit("["), (col("ev").cast(pl.Int64).cum_sum() - 1 + self.findings).cast(pl.String), lit("]")])) \
            .otherwise(lit("[]"))
        records = t.select(
            assertion=pl.concat_str([lit(a[0]), quoted_id, lit(a[1]), col("s"), lit(a[2]), col("pred"),
                                     lit(a[3]), col("o"), lit(a[4]), supporting, lit(a[5]), refuting, lit(a[6]),
                                     col("context"), lit(a[7]), col("note"), lit(a[8])]),
            edge=pl.concat_str([lit("["), quoted_id, lit(","), col("pred"), lit(","), col("species_of"),
                                lit(","), supporting, lit(","), refuting, lit(","), col("context"), lit(","), place,
                                lit("]")]))
        findings = t.filter(col("ev")).select(pl.concat_str([
            lit(f[0]), fid, lit(f[1] + '"'), col("source"), lit('"' + f[2]),
            pl.when(col("neg")).then(lit('"refutes"')).otherwise(lit('"supports"')), lit(f[3] + '"'),
            col("sname"), lit(" "), col("reads"), lit(" "), col("oname"),
            pl.when(col("neg")).then(lit(' (negated: stated not to hold)."')).otherwise(lit('."')),
            lit(f[4] + '"KGX edge '), col("id"), lit('"' + f[5]),
            col("cites"), lit(f[6]), col("species"), lit(f[7]), col("notes"), lit(f[8])])).to_series()
        named = self._named(source.filter(evidence), publications.filter(evidence))
        # the topology's columns
        side = pl.select(pl.when(~evidence).then(0).when(negated).then(2).otherwise(1)).to_series()
        values = [self.numbers[name] for name in ("none", "supports", "refutes")]
        kinds = pl.select(pl.concat_str([predicate, self.types.gather(subject_number),
                                         self.types.gather(object_number)], separator="\t")).to_series()
        for key in kinds.unique().to_list():
            if key not in self.relations:
                from ..model.relations import derive_relation
                name = derive_relation(*key.split("\t"))
                self.relations[key] = (name, self.relation_number[name])
        relations = self.relations
        relation_name = kinds.replace_strict(list(relations), [v[0] for v in relations.values()],
                                             return_dtype=pl.String)
        # the mentions of each finding's context, in row order
        mentions: list[tuple[int, int, int]] = []
        mentioning = context_key.replace_strict(distinct, [bool(contexts[k][3]) for k in distinct],
                                                return_dtype=pl.Boolean) & evidence
        if mentioning.any():
            position = evidence.cast(pl.Int64).cum_sum() - 1 + self.findings
            for at, key in zip(position.filter(mentioning).to_list(), context_key.filter(mentioning).to_list(),
                               strict=True):
                mentions.extend((node, at, number) for node, number in contexts[key][3])
        self.findings += len(findings)
        return {
            "ids": w["id"], "finding_ids": "kgx:" + w["id"].filter(evidence),
            "assertions": records["assertion"], "edges": records["edge"], "findings": findings, "named": named,
            "subject": subject_number, "object": object_number,
            "score": side.replace_strict([0, 1, 2], [v[1] for v in values], return_dtype=pl.Float64),
            "rank": side.replace_strict([0, 1, 2], [v[2] for v in values], return_dtype=pl.Int8),
            "refuted": (evidence & negated).cast(pl.Int8),
            "relation": kinds.replace_strict(list(relations), [v[1] for v in relations.values()],
                                             return_dtype=pl.Int8),
            "by_predicate": dict(predicate.value_counts().iter_rows()),
            "by_relation": dict(relation_name.value_counts().iter_rows()),
            "mentions": mentions}

    def _named(self, source: pl.Series, publications: pl.Series) -> pl.DataFrame:
        """The sources the findings of a batch name, each once, in the order first named
        (each finding's knowledge source, then the publications it cites): ``id``, and
        ``kind``, whether it is first named as a knowledge source."""
        cites = bar_items(pl.col("pub")).list.eval(pl.element().str.strip_prefix(self.source_prefix))
        named = pl.DataFrame({"source": source, "pub": publications}).select(
            row=pl.int_range(pl.len()), id=pl.concat_list([pl.col("source"), cites])).explode("id")
        return named.select("id", kind=pl.col("row") != pl.col("row").shift(1, fill_value=-1)).unique(
            "id", keep="first", maintain_order=True)

    def sources(self, named: list[pl.DataFrame]) -> tuple[pl.Series, Iterator[pl.Series]]:
        """The ids of the sources, from what each batch named (:meth:`_named`), and their
        JSON text, a slice of :data:`SLICE` at a time (``named`` is emptied)."""
        if not named:
            return pl.Series([], dtype=pl.String), iter(())
        flat = pl.concat(named, rechunk=False).unique("id", keep="first", maintain_order=True)
        named.clear()
        k, s = self.fragments["knowledge_source"], self.fragments["study"]
        text = pl.col("text")

        def texts() -> Iterator[pl.Series]:
            for start in range(0, flat.height, SLICE):
                part = flat.slice(start, SLICE)
                yield part.with_columns(text=escaped(part["id"])).select(
                    pl.when(pl.col("kind"))
                    .then(pl.concat_str([pl.lit(k[0] + '"'), text, pl.lit('"' + k[1] + '"'), text,
                                         pl.lit('"' + k[2])]))
                    .otherwise(pl.concat_str([pl.lit(s[0] + '"'), text, pl.lit('"' + s[1] + '"'), text,
                                              pl.lit('"' + s[2])]))).to_series()
        return flat["id"], texts()


#: the polars type of each array type code the topology uses
_ARRAY_TYPES = {"i": pl.Int32, "q": pl.Int64, "d": pl.Float64, "b": pl.Int8}


def to_array(code: str, values: pl.Series) -> array:
    """A column as an :class:`array.array` of type ``code`` (``i``, ``q``, ``d`` or ``b``); through
    numpy's buffer when numpy is installed.

    >>> to_array("i", pl.Series([3, 1]))
    array('i', [3, 1])
    """
    values = values.cast(_ARRAY_TYPES[code])
    try:
        import numpy  # noqa: F401
    except ImportError:
        return array(code, values.to_list())
    out = array(code)
    out.frombytes(values.to_numpy().tobytes())
    return out


def write_texts(writer: RecordWriter, texts: pl.Series) -> None:
    """Append records given as their JSON text (a column) to an ``encoded``
    :class:`~mechgraph.store.recordfile.RecordWriter`, as :meth:`~RecordWriter.add` would one by
    one: each whole chunk's text put together in polars."""
    if writer.chunk:
        texts = pl.concat([pl.Series(writer.chunk, dtype=pl.String), texts])
        writer.chunk = []
    whole = len(texts) // CHUNK * CHUNK
    if whole:
        chunks = texts.head(whole).reshape((whole // CHUNK, CHUNK)).arr.join(",")
        # each chunk's head: where each record's text ends in the chunk's JSON (recordfile.head)
        sizes = texts.head(whole).str.len_bytes().cast(pl.Int64) + 1
        through = sizes.cum_sum()
        ends = through - (through - sizes).gather_every(CHUNK).gather(pl.int_range(0, whole, eager=True) // CHUNK)
        numbers = to_array("i", ends)  # each end is less than 2**31: the bytes of an unsigned one
        if sys.byteorder == "big":
            numbers.byteswap()
        writer.add_chunks(("[" + chunks + "]").cast(pl.Binary).to_list(), numbers.tobytes())  # UTF-8, as dump writes it
    writer.chunk = texts.tail(len(texts) - whole).to_list() if len(texts) > whole else []


def finish_ids(writer: RecordWriter, ids: pl.Series, distinct: bool | None = None) -> RecordIndex:
    """:meth:`RecordWriter.finish <mechgraph.store.recordfile.RecordWriter.finish>` with the ids as
    a column: the id list and the buckets of the id index put together in polars (the same
    bytes), :data:`SLICE` ids at a time."""
    quoted = '"' + escaped(ids) + '"'
    count = len(ids)
    size = max(1, count // BUCKET) if count else 0
    crc32 = zlib.crc32
    buckets = [b"{}"] * size
    if count:
        sums = pl.concat([pl.Series(list(map(crc32, ids.slice(start, SLICE).cast(pl.Binary).to_list())),
                                    dtype=pl.Int64) for start in range(0, count, SLICE)])
        # each bucket's ids in their order: a stable sort by bucket, then a range of buckets at a time
        frame = pl.DataFrame({"text": quoted, "at": pl.int_range(0, count, eager=True), "bucket": sums % size}
                             ).sort("bucket", maintain_order=True)
        del sums
        step = max(1, size * SLICE // count)
        for low in range(0, size, step):
            start, end = frame["bucket"].search_sorted(pl.Series([low, low + step]), side="left").to_list()
            grouped = frame.slice(start, end - start).group_by("bucket").agg(
                pl.concat_str([pl.col("text"), pl.lit(":"), pl.col("at").cast(pl.String)]).str.join(","))
            texts = ("{" + grouped["text"] + "}").cast(pl.Binary)
            for number, data in zip(grouped["bucket"].to_list(), texts.to_list(), strict=True):
                buckets[number] = data
        del frame
    parts = [quoted.slice(start, SLICE).str.join(",").cast(pl.Binary).item() for start in range(0, count, SLICE)]
    listed = b"[" + b",".join(parts) + b"]"
    del parts
    return writer.finish_pieces(listed, buckets, ids.n_unique() == count if distinct is None else distinct)
