"""The entities of a big KGX graph as columns: their records, names and counts put together in polars.

The streamed first build (:mod:`mechgraph.store.kgx_stream`) reads the nodes file in
columns (:func:`mechgraph.io.kgx_columnar.tsv_columns`) rather than line by line into
:class:`~mechgraph.model.Entity` objects. :class:`Nodes` holds one column per field of the
entities, in file order, and gives what the cache needs of them, the bytes the model's
build writes: the entities' records (:func:`~mechgraph.store.recordfile.write_records`
with :func:`mechgraph.store.plain.encoder`), the name keys and the name table of search
(:func:`mechgraph.model.names.name_keys`, :class:`~mechgraph.model.names.NameTable`), the
counts of entities by type and of cross-references (:func:`mechgraph.model.core.tally`),
and, for the edges' batches, the ids, names and types by entity number.

The row rules are the line reader's (:meth:`mechgraph.io.kgx_reader.KgxReader.read_nodes`),
written out for text cells: the id, the type, the names and descriptions stripped of what
``str.strip`` strips, the synonyms and cross-references the non-empty parts between bars.
A nodes file with anything the line reader reports (an empty id, a node id given twice, a
cross-reference that is no CURIE) is not read here (:meth:`Nodes.from_table` gives None):
the line reader reads it, and reports the error at its line, or the build leaves the graph
to the model. A nodes file that is no clean table (:mod:`mechgraph.io.kgx_columnar`) is
read line by line and its entities turned into the same columns (:meth:`Nodes.from_entities`).

What depends on few distinct values (a type from its categories) or on text that is not
ASCII (a name's key, its case-folded form) is worked out in Python by the model's own
functions; the rest in polars expressions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any, BinaryIO

import polars as pl

from .kgx_batches import WHITESPACE, bar_items, escaped, finish_ids, fragments_of, to_array, write_texts
from .recordfile import RecordIndex, RecordWriter

#: the fields of an entity the columns hold, in the record's order (``where`` is the file's)
FIELDS = ("id", "type", "name", "name_zh", "aliases", "xrefs", "description", "description_zh")
#: the columns of a nodes file the line reader reads (``KgxReader.read_nodes``)
NODE_COLUMNS = ("id", "mechgraph_type", "category", "name", "name_zh", "synonym", "xref", "description",
                "description_zh")
#: the columns of NODE_COLUMNS the line reader reads as items (``KgxReader.items``), the rest as text
NODE_ITEMS = ("category", "synonym", "xref")
#: what :func:`mechgraph.model.names.normalise` removes from ASCII text (its ``\s`` is ``str.isspace``)
ASCII_IGNORED = r"[\t\n\x0b\x0c\r\x1c-\x1f \-_.,'/()\[\]]+"


def _by_text(values: pl.Series, ascii_form: pl.Series, function) -> pl.Series:
    """``ascii_form`` where a value is ASCII, ``function`` of the value (once per distinct
    value) where it is not."""
    other = values.str.len_bytes() != values.str.len_chars()
    if not other.any():
        return ascii_form
    where = other.arg_true()
    distinct = values.gather(where).unique(maintain_order=True)
    done = distinct.replace_strict(distinct, [function(v) for v in distinct.to_list()], return_dtype=pl.String)
    found = values.gather(where).replace_strict(distinct, done, return_dtype=pl.String)
    return ascii_form.scatter(where, found)


def normalised(labels: pl.Series) -> pl.Series:
    """:func:`mechgraph.model.names.normalise` of each label.

    >>> normalised(pl.Series(["TARP-γ8", "Tarp Gamma 8", "a\\x1cB"])).to_list()
    ['tarpgamma8', 'tarpgamma8', 'ab']
    """
    from ..model.names import normalise
    return _by_text(labels, labels.str.to_lowercase().str.replace_all(ASCII_IGNORED, ""), normalise)


def casefolded(values: pl.Series) -> pl.Series:
    """``str.casefold`` of each value.

    >>> casefolded(pl.Series(["Straße", "ABC"])).to_list()
    ['strasse', 'abc']
    """
    return _by_text(values, values.str.to_lowercase(), str.casefold)


def _json_lists(n: pl.Series, texts: pl.Series, count: int) -> pl.Series:
    """The JSON list of each entity's items: ``texts`` (their JSON text, in order) belong
    to the entities numbered ``n``; ``[]`` for an entity with none."""
    if not len(n):
        return pl.Series([], dtype=pl.String).extend_constant("[]", count)
    grouped = pl.DataFrame({"n": n, "t": texts}).group_by("n", maintain_order=True).agg(pl.col("t").str.join(","))
    out = pl.Series("t", ["[]"], dtype=pl.String).extend_constant("[]", count - 1) if count else \
        pl.Series([], dtype=pl.String)
    return out.scatter(grouped["n"], "[" + grouped["t"] + "]")


class Nodes:
    """A graph's entities as columns (:data:`FIELDS`, each entity's ``aliases`` and
    ``xrefs`` as lists of text, an xref as ``prefix:local``), in file order, read from
    the file ``file``."""

    def __init__(self, frame: pl.DataFrame, file: str):
        self.frame = frame
        self.file = file
        #: the entities' ids, in order
        self.ids: list[str] = frame["id"].to_list()
        #: entity id -> number
        self.index: dict[str, int] = {node: i for i, node in enumerate(self.ids)}
        self.type_list: list[str] = frame["type"].to_list()
        #: each entity's type and name (as JSON writes it between its quotes), by entity number
        self.types: pl.Series = frame["type"]
        self.name_text: pl.Series = escaped(frame["name"])
        self.quoted_ids: pl.Series = '"' + escaped(frame["id"]) + '"'

    def __len__(self) -> int:
        return len(self.ids)

    def type_of(self, node: str) -> str | None:
        """The type of the entity ``node``, or None when there is none."""
        number = self.index.get(node)
        return None if number is None else self.type_list[number]

    # -- reading ------------------------------------------------------------------------------
    @classmethod
    def from_table(cls, table, file: str) -> Nodes | None:
        """The entities of a nodes table (:func:`mechgraph.io.kgx_columnar.tsv_columns`), as
        ``KgxReader.read_nodes`` reads them; None when a row is one it reports (an empty id,
        a node id given twice, a cross-reference that is no CURIE)."""
        from ..io import biolink as bl
        from ..model.constants import ENTITY_TYPES
        columns = NODE_COLUMNS
        frames = list(table.batches(columns, frames=True))
        raw = pl.concat(frames, rechunk=True) if frames else \
            pl.DataFrame(schema={name: pl.String for name in columns})
        del frames

        def strip(name: str) -> pl.Expr:
            return pl.col(name).str.strip_chars(WHITESPACE)
        frame = raw.select(
            id=strip("id").str.strip_prefix(bl.PREFIX + ":"), empty=strip("id") == "",
            kind=pl.concat_str([strip("mechgraph_type"), pl.col("category")], separator="\t"),
            name=strip("name"), name_zh=strip("name_zh"), aliases=bar_items(pl.col("synonym")),
            xrefs=bar_items(pl.col("xref")), description=strip("description"), description_zh=strip("description_zh"))
        del raw
        if frame["empty"].any() or frame["id"].n_unique() != frame.height:
            return None
        parts = frame.select(pl.col("xrefs").explode().str.splitn(":", 2)).unnest("xrefs").drop_nulls("field_0")
        if len(parts) and ((parts["field_0"] == "") | parts["field_1"].is_null() | (parts["field_1"] == "")).any():
            return None
        # the type of each distinct type cell and categories (the line reader's rule)
        distinct = frame["kind"].unique(maintain_order=True)

        def kind_of(key: str) -> str:
            own, categories = key.split("\t", 1)
            return own if own in ENTITY_TYPES else \
                bl.type_of([c for c in categories.split("|") if c] if "|" in categories else
                           [categories] if categories else [])
        kinds = frame["kind"].replace_strict(distinct, [kind_of(k) for k in distinct.to_list()],
                                             return_dtype=pl.String)
        frame = frame.with_columns(type=kinds, name=pl.when(pl.col("name") == "").then(pl.col("id"))
                                   .otherwise(pl.col("name"))).select(FIELDS)
        return cls(frame, file)

    @classmethod
    def from_entities(cls, entities: Mapping[str, Any], file: str) -> Nodes:
        """The columns of entities read by the line reader."""
        values = list(entities.values())
        data: dict[str, Any] = {name: [getattr(e, name) for e in values]
                                for name in ("id", "type", "name", "name_zh", "description", "description_zh")}
        frame = pl.DataFrame({
            **data, "aliases": pl.Series([list(e.aliases) for e in values], dtype=pl.List(pl.String)),
            "xrefs": pl.Series([[f"{p}:{local}" for p, locals_ in e.xrefs.items() for local in locals_]
                                for e in values], dtype=pl.List(pl.String))},
            schema_overrides={name: pl.String for name in data}).select(FIELDS)
        return cls(frame, file)

    # -- what the cache writes ----------------------------------------------------------------
    def _xref_parts(self) -> pl.DataFrame:
        """Each cross-reference: its entity's number ``n``, ``prefix`` and ``local``, in order."""
        return self.frame.select(n=pl.int_range(pl.len(), dtype=pl.Int64), x=pl.col("xrefs")).explode("x") \
            .drop_nulls("x").select("n", parts=pl.col("x").str.splitn(":", 2)).unnest("parts") \
            .rename({"field_0": "prefix", "field_1": "local"})

    def write(self, handle: BinaryIO) -> RecordIndex:
        """Append the entities' records to ``handle`` (a records file), as
        :func:`~mechgraph.store.recordfile.write_records` writes them from the model."""
        from ..model.core import Entity, Where
        count = len(self)
        f = fragments_of(Entity("i", "t", "n", "z", where=Where(self.file)), FIELDS)
        aliases = self.frame.select(n=pl.int_range(pl.len(), dtype=pl.Int64), a=pl.col("aliases")).explode("a") \
            .drop_nulls("a")
        alias_lists = _json_lists(aliases["n"], '"' + escaped(aliases["a"]) + '"', count)
        del aliases
        # the xrefs: each prefix once, in the order first given, with its identifiers in order
        parts = self._xref_parts()
        if len(parts):
            grouped = parts.with_columns(local='"' + escaped(parts["local"]) + '"').group_by(
                ["n", "prefix"], maintain_order=True).agg(pl.col("local").str.join(","))
            texts = '"' + escaped(grouped["prefix"]) + '":[' + grouped["local"] + "]"
            xrefs = _json_lists(grouped["n"], texts, count).str.replace(r"^\[", "{").str.replace(r"\]$", "}")
        else:
            xrefs = pl.Series([], dtype=pl.String).extend_constant("{}", count)
        del parts
        quoted = {name: '"' + escaped(self.frame[name]) + '"' for name in FIELDS if name not in ("aliases", "xrefs")}
        texts = pl.DataFrame({**quoted, "aliases": alias_lists, "xrefs": xrefs}).select(pl.concat_str(
            [pl.lit(f[0]), *(item for i, name in enumerate(FIELDS) for item in (pl.col(name), pl.lit(f[i + 1])))]
        )).to_series()
        writer = RecordWriter(handle, encoded=True)
        write_texts(writer, texts)
        return finish_ids(writer, self.frame["id"], True)

    def _labels(self) -> pl.DataFrame:
        """Each entity's labels (id, name, Chinese name, aliases, in order) with its number
        ``n`` and their keys (:func:`mechgraph.model.names.normalise`), the empty ones left out."""
        labels = self.frame.select(n=pl.int_range(pl.len(), dtype=pl.Int64), label=pl.concat_list(
            [pl.col("id"), pl.col("name"), pl.col("name_zh"), pl.col("aliases")])).explode("label")
        labels = labels.with_columns(key=normalised(labels["label"]))
        return labels.filter(pl.col("key") != "")

    def write_names(self, handle: BinaryIO):
        """Append the name keys' records (:func:`mechgraph.model.names.name_keys`, as the
        cache writes them) to ``handle``; return their index and the name table
        (:class:`~mechgraph.model.names.NameTable`)."""
        from ..model.names import NameTable
        labels = self._labels()
        # each key once, in the order first met, with the entities it names in the order first met
        named = labels.unique(["key", "n"], keep="first", maintain_order=True)
        del labels
        grouped = named.with_columns(q=self.quoted_ids.gather(named["n"])).group_by("key", maintain_order=True) \
            .agg(pl.col("n"), pl.col("q").str.join(","))
        del named
        keys = grouped["key"]
        writer = RecordWriter(handle, encoded=True)
        write_texts(writer, "[" + grouped["q"] + "]")
        index = finish_ids(writer, keys, True)
        # the name table: the keys in one text, where each starts, the entities each names, the order by name
        owners = grouped["n"]
        start = pl.Series([0], dtype=pl.Int64)
        offsets = to_array("q", pl.concat([start, (keys.str.len_chars().cast(pl.Int64) + 1).cum_sum()]))
        owners_start = to_array("q", pl.concat([start, owners.list.len().cast(pl.Int64).cum_sum()]))
        flat = owners.explode() if len(owners) else pl.Series([], dtype=pl.Int64)
        ranked = pl.DataFrame({"name": casefolded(self.frame["name"]), "id": self.frame["id"]}).with_row_index() \
            .sort(["name", "id"])["index"]
        order = pl.zeros(len(ranked), dtype=pl.Int32, eager=True).scatter(
            ranked, pl.int_range(0, len(ranked), dtype=pl.Int32, eager=True))
        text = (keys + "\n").str.join("").item() if len(keys) else ""
        table = NameTable(text, offsets, owners_start, to_array("i", flat), to_array("i", order))
        return index, table

    def counts(self) -> tuple[Counter, dict]:
        """The entities by type and their cross-reference coverage
        (:func:`mechgraph.model.core.xref_coverage`), as :func:`~mechgraph.model.core.tally` counts them."""
        from ..model.core import coverage_of
        types = self.frame["type"]
        by_type = Counter(dict(types.value_counts().iter_rows()))
        with_xrefs = Counter(dict(self.frame.filter(pl.col("xrefs").list.len() > 0)["type"].value_counts()
                                  .iter_rows()))
        parts = self._xref_parts()
        prefixes: dict[str, Counter] = {}
        if len(parts):
            counted = parts.with_columns(type=types.gather(parts["n"])).group_by(["type", "prefix"]).len()
            for kind, prefix, number in counted.iter_rows():
                prefixes.setdefault(kind, Counter())[prefix] = number
        return by_type, coverage_of(by_type, with_xrefs, prefixes)
