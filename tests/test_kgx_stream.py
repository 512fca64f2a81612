"""The streamed first build of a KGX graph (mechgraph.store.kgx_stream) against the build
from the model (the line reader, MECHGRAPH_KGX_READER=python, as every build ran before):
the same cache files, byte for byte, so every record, the edge records, the names and the
topology's arrays are the same, and every command answers as before. Graphs full of
awkward values, negations, qualifiers, species and anatomy; graphs the streamed build must
leave to the model (a second statement of an edge id, errors) are built the same too.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from mechgraph.errors import InvalidGraph
from mechgraph.io import kgx_columnar, kgx_reader
from mechgraph.io.kgx import read_kgx
from mechgraph.store import cache, plain
from mechgraph.store.kgx_stream import NotStreamed, stream_kgx
from mechgraph.store.recordfile import RecordMap
from mechgraph.store.topology import Topology, edge_records

pytest.importorskip("polars")
from test_kgx_columnar import BROKEN, write_graph  # noqa: E402

KINDS = (("entities", plain.decoder(cache.Entity)), ("assertions", plain.decoder(cache.Assertion)),
         ("findings", plain.decoder(cache.Finding)), ("sources", plain.decoder(cache.Source)))


def cache_files(folder: Path, tmp_path: Path, monkeypatch, reader: str) -> dict[str, bytes] | list:
    """The cache files of a first build of ``folder`` with ``reader`` (their bytes by suffix),
    or the errors it raised."""
    where = tmp_path / f"cache-{reader}"
    monkeypatch.setenv("MECHGRAPH_CACHE_DIR", str(where))
    monkeypatch.setenv("MECHGRAPH_KGX_READER", reader)
    monkeypatch.setenv("MECHGRAPH_PROGRESS", "0")
    cache._MEMORY.clear()
    try:
        cache.cached_graph(folder)
    except InvalidGraph as exc:
        return [(e.file, e.line, e.message) for e in exc.errors]
    finally:
        cache._MEMORY.clear()
    return {p.suffix: p.read_bytes() for p in (where / "mechgraph").iterdir() if p.suffix in (".records", ".index")}


def streamed(folder: Path, monkeypatch):
    """What stream_kgx writes for ``folder`` (the records, by kind, and the topology)."""
    monkeypatch.setenv("MECHGRAPH_KGX_READER", "columnar")
    handle = io.BytesIO()
    indexes, topology, _, _ = stream_kgx(folder / "nodes.tsv", folder / "edges.tsv", handle, progress=False)
    data = handle.getvalue()
    records = {kind: list(RecordMap(data, indexes[kind], decode=decode).items()) for kind, decode in KINDS}
    records["edges"] = list(RecordMap(data, indexes["edges"]).values())
    return records, topology


@pytest.mark.parametrize("seed", range(10))
def test_a_streamed_build_writes_the_cache_files_of_the_model(tmp_path, monkeypatch, seed):
    folder = write_graph(tmp_path / "g", seed, repeats=False)
    monkeypatch.setenv("MECHGRAPH_KGX_READER", "python")
    model = read_kgx(folder / "nodes.tsv", folder / "edges.tsv", progress=False)
    model_records = {kind: list(getattr(model, kind).items()) for kind, _ in KINDS}
    model_records["edges"] = [json.loads(json.dumps(edge)) for edge in edge_records(model)]
    model_topology = Topology.from_model(model)
    records, topology = streamed(folder, monkeypatch)  # the streamed build takes this graph
    assert records == model_records
    for name in ("nodes", "subject", "object", "score", "rank", "refuted", "relation", "types", "out_start",
                 "out_edges", "in_start", "in_edges", "mentions", "counts"):
        assert getattr(topology, name) == getattr(model_topology, name), name
    assert any(model_topology.mentions.values()) and any(model_topology.refuted) and len(set(model_topology.score)) > 1
    assert cache_files(folder, tmp_path, monkeypatch, "columnar") == \
        cache_files(folder, tmp_path, monkeypatch, "python")


def test_a_record_writer_writes_what_write_records_writes():
    import random
    from mechgraph.store.recordfile import RecordWriter, dump, write_records
    rnd = random.Random(0)
    for count in (0, 1, 15, 16, 17, 40, 100):
        records = {f"k{i}": [i, "x" * rnd.randrange(3), {"a": [i]}] for i in range(count)}
        expected = io.BytesIO()
        write_records(expected, records)
        for encoded in (False, True):
            handle = io.BytesIO()
            writer = RecordWriter(handle, encoded=encoded)
            values = [dump(v).decode() if encoded else v for v in records.values()]
            for value in values:
                writer.add(value)
            writer.finish(list(records))
            assert handle.getvalue() == expected.getvalue(), (count, encoded)


@pytest.mark.parametrize("seed", range(4))
def test_a_graph_with_repeated_edge_ids_is_built_from_the_model(tmp_path, monkeypatch, seed):
    folder = write_graph(tmp_path / "g", seed)
    with pytest.raises(NotStreamed):
        streamed(folder, monkeypatch)
    built = cache_files(folder, tmp_path, monkeypatch, "columnar")
    assert isinstance(built, dict) and built == cache_files(folder, tmp_path, monkeypatch, "python")


@pytest.mark.parametrize("seed", range(3))
def test_a_graph_with_errors_reports_them_at_their_lines_as_before(tmp_path, monkeypatch, seed):
    folder = write_graph(tmp_path / "g", seed, errors=True, repeats=False)
    with pytest.raises(NotStreamed):
        streamed(folder, monkeypatch)
    errors = cache_files(folder, tmp_path, monkeypatch, "columnar")
    assert isinstance(errors, list) and errors
    assert errors == cache_files(folder, tmp_path, monkeypatch, "python")
    assert not list((tmp_path / "cache-columnar" / "mechgraph").glob("*.records"))


def test_a_streamed_graph_answers_every_command_as_before(tmp_path, monkeypatch, run):
    folder = write_graph(tmp_path / "g", 3, repeats=False)
    first = (folder / "edges.tsv").read_text(encoding="utf-8").splitlines()[1].split("\t")
    subject, obj = first[1].strip(), first[3].strip()
    outputs = {}
    for reader in ("columnar", "python"):
        monkeypatch.setenv("MECHGRAPH_CACHE_DIR", str(tmp_path / f"cli-{reader}"))
        monkeypatch.setenv("MECHGRAPH_KGX_READER", reader)
        cache._MEMORY.clear()
        outputs[reader] = [run("--graph", str(folder), *args).output for args in
                           (("stats", "--json"), ("show", subject), ("show", obj), ("search", "nbsp"),
                            ("path", subject, obj, "--json"))]
    cache._MEMORY.clear()
    assert outputs["columnar"] == outputs["python"]
    assert '"paths"' in outputs["python"][-1] or '"chains"' in outputs["python"][-1], outputs["python"][-1][:200]


@pytest.mark.parametrize("damage", sorted(BROKEN))
def test_a_file_that_is_not_a_clean_table_is_built_or_refused_as_before(tmp_path, monkeypatch, damage):
    folder = write_graph(tmp_path / "g", 5, repeats=False)
    edges = folder / "edges.tsv"
    edges.write_text(BROKEN[damage](edges.read_text(encoding="utf-8")), encoding="utf-8")
    assert cache_files(folder, tmp_path, monkeypatch, "columnar") == \
        cache_files(folder, tmp_path, monkeypatch, "python")


@pytest.mark.parametrize("where", ["late field", "late bytes"])
def test_a_flaw_found_in_a_late_batch_drops_what_was_streamed(tmp_path, monkeypatch, where):
    """The file is read a few rows at a time; a flaw in its last rows is found after the
    first rows were written: the build leaves the graph to the model, which reports it."""
    monkeypatch.setattr(kgx_columnar, "STREAM_BATCH", 40)
    monkeypatch.setattr(kgx_columnar, "STREAM_ROWS", 16)
    folder = write_graph(tmp_path / "g", 7, repeats=False)
    edges = folder / "edges.tsv"
    lines = edges.read_bytes().split(b"\n")
    cells = lines[-3].split(b"\t")
    cells[2] = b"y" * (kgx_reader.MAX_FIELD + 1) if where == "late field" else cells[2] + b"\xff"
    lines[-3] = b"\t".join(cells)
    edges.write_bytes(b"\n".join(lines))
    with pytest.raises(NotStreamed):
        streamed(folder, monkeypatch)
    errors = cache_files(folder, tmp_path, monkeypatch, "columnar")
    assert isinstance(errors, list) and errors == cache_files(folder, tmp_path, monkeypatch, "python")
    assert not list((tmp_path / "cache-columnar" / "mechgraph").glob("*.records"))


def test_a_gzipped_graph_is_streamed_from_its_whole_table(tmp_path, monkeypatch):
    import gzip
    plain_folder = write_graph(tmp_path / "g", 4, repeats=False)
    folder = tmp_path / "gz"
    folder.mkdir()
    for name in ("nodes.tsv", "edges.tsv"):
        (folder / f"{name}.gz").write_bytes(gzip.compress((plain_folder / name).read_bytes()))
    monkeypatch.setenv("MECHGRAPH_KGX_READER", "columnar")
    indexes, _, _, _ = stream_kgx(folder / "nodes.tsv.gz", folder / "edges.tsv.gz", io.BytesIO(), progress=False)
    assert indexes["assertions"].count == 300
    built = cache_files(folder, tmp_path, monkeypatch, "columnar")
    assert isinstance(built, dict) and built == cache_files(folder, tmp_path, monkeypatch, "python")


# -- the batches in polars against Python's JSON encoder and the model ------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

#: characters JSON escapes or Python strips, and characters that look like them but are neither
TRICKY = ('"', "\\", "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x1f", "\x7f", "\x85", "\xa0",
          "\u2028", "\u3000", "\u200b", "\ufeff", "é", "中", "🧠", "|", " ", "'", "/", "\\u0022")
#: a field of a clean TSV file: any text but a tab, a line break, a carriage return or a lone surrogate
FIELD = st.lists(st.one_of(st.sampled_from(TRICKY), st.characters(exclude_categories=("Cs",),
                                                                   exclude_characters="\t\n\r")),
                 max_size=6).map("".join)


def test_escaped_is_what_the_json_encoder_writes():
    import sys
    from json.encoder import encode_basestring
    import polars as pl
    from mechgraph.store.kgx_batches import WHITESPACE, escaped
    assert "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()) == WHITESPACE
    values = [chr(c) for c in range(0x20)] + [c * 2 + "x" for c in TRICKY] + ["", "plain", "x" * 100]
    assert escaped(pl.Series(values, dtype=pl.String)).to_list() == [encode_basestring(v)[1:-1] for v in values]


@settings(max_examples=60, deadline=None)
@given(st.lists(FIELD, max_size=300), st.lists(st.integers(0, 40), max_size=5), st.sampled_from((1, 7, 65_536)))
def test_records_written_from_columns_are_those_of_write_records(ids, cuts, size):
    """write_texts and finish_ids (the chunks and the id index put together in polars, the
    records given in several columns, the ids a slice of ``size`` at a time) write the bytes
    write_records writes."""
    from mechgraph.store import kgx_batches
    ids = list(dict.fromkeys(ids))
    kept, kgx_batches.SLICE = kgx_batches.SLICE, size
    try:
        _written_from_columns(ids, cuts)
    finally:
        kgx_batches.SLICE = kept


def _written_from_columns(ids, cuts):
    import polars as pl
    from mechgraph.store.kgx_batches import finish_ids, write_texts
    from mechgraph.store.recordfile import RecordWriter, dump, write_records
    records = {key: [i, key, {"k": [key]}] for i, key in enumerate(ids)}
    expected = io.BytesIO()
    index = write_records(expected, records)
    handle = io.BytesIO()
    writer = RecordWriter(handle, encoded=True)
    texts = [dump(value).decode() for value in records.values()]
    start = 0
    for cut in [*sorted(cuts), len(texts)]:
        write_texts(writer, pl.Series(texts[start:max(start, cut)], dtype=pl.String))
        start = max(start, cut)
    written = finish_ids(writer, pl.Series(ids, dtype=pl.String))
    assert handle.getvalue() == expected.getvalue()
    assert written == index and writer.distinct


WHITE = ("", " ", "\x1c", "\x85", "\u3000", "\xa0 ")


@st.composite
def awkward_graphs(draw):
    """Nodes and edges files (text) of a small KGX graph every row of which the streamed build
    reads: awkward names, ids, sources, publications, species and anatomy, padded ends."""
    count = draw(st.integers(2, 8))
    names = draw(st.lists(FIELD, min_size=count, max_size=count))
    tails = st.sampled_from(("", "é", '"', "\\", "·β"))
    nodes = [f"N:{i}" + draw(tails) for i in range(count)]
    categories = ("biolink:Drug", "biolink:Gene", "biolink:Cell", "biolink:BrainRegion", "biolink:NamedThing", "")
    node_rows = ["id\tcategory\tname\tsynonym"]
    for node, name in zip(nodes, names, strict=True):
        node_rows.append(f"{node}\t{draw(st.sampled_from(categories))}\t{name}\t{draw(FIELD)}")
    edge_rows = ["\t".join(("id", "subject", "predicate", "object", "negated", "object_aspect_qualifier",
                            "object_direction_qualifier", "species_context_qualifier",
                            "anatomical_context_qualifier", "knowledge_level", "agent_type",
                            "primary_knowledge_source", "publications"))]
    end = st.builds(lambda pad, prefix, node, tail: f"{pad}{prefix}{node}{tail}", st.sampled_from(WHITE),
                    st.sampled_from(("", "mechgraph:")), st.sampled_from(nodes), st.sampled_from(WHITE))
    cell = st.lists(st.one_of(FIELD, st.sampled_from(("NCBITaxon:9606", "NCBITaxon:10090", *nodes,
                                                        *(f"mechgraph:{n}" for n in nodes)))),
                    max_size=3).map("|".join)
    publications = st.lists(st.one_of(FIELD, FIELD.map(lambda t: f"mechgraph.source:{t}"),
                                      st.sampled_from(("PMID:1", "mechgraph.source:seed-000", "\"q\\"))),
                            max_size=3).map("|".join)
    for number in range(draw(st.integers(1, 60))):
        raw_id = draw(st.one_of(st.just(""), FIELD.map(lambda t, n=number: f"{t}#{n}")))
        row = (raw_id, draw(end), draw(st.sampled_from(("biolink:affects", " biolink:treats ", "biolink:causes",
                                                         "biolink:related_to", "biolink:nonsense", "binds"))),
               draw(end), draw(st.sampled_from(("", "True", "TRUE", " yes ", "t", "1", "no", "\x1ctrue\x85"))),
               draw(st.sampled_from(("", "expression", " activity "))),
               draw(st.sampled_from(("", "increased", "decreased "))), draw(cell), draw(cell),
               draw(st.one_of(st.just(""), FIELD)), draw(st.one_of(st.just(""), FIELD)),
               draw(st.one_of(st.just(""), st.just("infores:a"), FIELD)), draw(publications))
        edge_rows.append("\t".join(row))
    return "\n".join(node_rows) + "\n", "\n".join(edge_rows) + "\n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(awkward_graphs(), st.sampled_from((1, 3, 16, 50_000)))
def test_awkward_values_are_streamed_as_the_model_writes_them(monkeypatch, graph, batch):
    """Every row goes through the batches in polars (no row left to the model), a few rows
    at a time or all at once, and the cache files are the model's, byte for byte."""
    import tempfile
    monkeypatch.setattr(kgx_columnar, "STREAM_BATCH", batch)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "g"
        folder.mkdir()
        (folder / "nodes.tsv").write_text(graph[0], encoding="utf-8")
        (folder / "edges.tsv").write_text(graph[1], encoding="utf-8")
        streamed(folder, monkeypatch)  # raises NotStreamed for a row left to the model
        assert cache_files(folder, Path(scratch), monkeypatch, "columnar") == \
            cache_files(folder, Path(scratch), monkeypatch, "python")


# -- the nodes in columns (mechgraph.store.kgx_nodes) against the line reader and the model ----------------

#: node columns the line reader reads, and one it does not
NODE_FIELDS = ("id", "category", "name", "name_zh", "description", "description_zh", "synonym", "xref",
               "mechgraph_type", "other")
#: names several nodes may share, names that normalise to nothing, and names normalise and casefold change
SHARED_NAMES = ("Drug X", "drug-x", "DRUG_X", "-", " . ", "()", "Straße", "STRASSE", "İstanbul", "ﬁne", "Ａｂｃ",
                "TARP-γ8", "tarp gamma 8", "e\u0301", "é", "x\x1cy", "a’b", "（x）", "µ-opioid", "ΣΊΣΥΦΟΣ")
#: cross-references: several identifiers under one prefix, colons in the identifier, awkward prefixes
XREFS = ("P:1", "P:2", "Q:a:b", "é:ü", 'A"b:c\\', "UniProtKB:Q1", "P:1", "x:\x01", "中:文")


def node_text(draw, count: int) -> tuple[str, list[str]]:
    """A nodes file (text) of ``count`` nodes no row of which the line reader reports, and
    the nodes' entity ids."""
    tails = st.sampled_from(("", "é", '"', "\\", "·β", "\x01", "\u3000x", "|", " - "))
    ids = [f"N:{i}" + draw(tails) for i in range(count)]
    columns = [c for c in NODE_FIELDS if c == "id" or draw(st.booleans())]
    name = st.one_of(FIELD, st.sampled_from(SHARED_NAMES),
                     st.builds("".join, st.lists(st.sampled_from((*WHITE, *SHARED_NAMES)), max_size=3)))
    cell = {"category": st.lists(st.sampled_from(("biolink:Drug", "Gene", " biolink:Cell ", "biolink:NamedThing",
                                                   "biolink:Nonsense", "")), max_size=3).map("|".join),
            "synonym": st.lists(st.one_of(name, st.just("")), max_size=4).map("|".join),
            "xref": st.lists(st.sampled_from((*XREFS, "")), max_size=4).map("|".join),
            "mechgraph_type": st.sampled_from(("", "Drug", " Receptor ", "CellType", "NotAType", "NamedThing"))}
    rows = ["\t".join(columns)]
    for node in ids:
        pad = draw(st.sampled_from(WHITE))
        values = {"id": pad + draw(st.sampled_from(("", "mechgraph:"))) + node + draw(st.sampled_from(WHITE))}
        rows.append("\t".join(values.get(c) or draw(cell.get(c, name)) for c in columns))
    return "\n".join(rows) + "\n", ids


@st.composite
def awkward_nodes(draw):
    """Nodes and edges files (text) of a KGX graph with awkward nodes, every edge between known nodes."""
    nodes, ids = node_text(draw, draw(st.integers(1, 12)))
    edge_rows = ["id\tsubject\tpredicate\tobject\tanatomical_context_qualifier\tpublications"]
    for number in range(draw(st.integers(1, 20))):
        edge_rows.append("\t".join((f"e{number}", draw(st.sampled_from(ids)), "biolink:affects",
                                    draw(st.sampled_from(ids)), draw(st.sampled_from(("", *ids))),
                                    draw(st.sampled_from(("", "PMID:1"))))))
    return nodes, "\n".join(edge_rows) + "\n"


def _nodes_in_columns(path: Path):
    from mechgraph.store.kgx_nodes import Nodes
    table = kgx_columnar.tsv_columns(path, max_line=kgx_reader.MAX_LINE, max_field=kgx_reader.MAX_FIELD,
                                     max_ratio=200, floor=1 << 20, small=True)
    return None if table is None else Nodes.from_table(table, path.name)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(awkward_nodes())
def test_awkward_nodes_are_read_in_columns_as_the_model_reads_them(monkeypatch, graph):
    """The nodes are read in columns (no row left to the line reader), and the cache files
    (the entities, the names, the name table, the counts by type and of cross-references)
    are the model's, byte for byte; the entities the columns hold are the model's."""
    import tempfile
    from mechgraph.io.biolink import xrefs_of
    from mechgraph.store.kgx_nodes import Nodes
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "g"
        folder.mkdir()
        (folder / "nodes.tsv").write_text(graph[0], encoding="utf-8")
        (folder / "edges.tsv").write_text(graph[1], encoding="utf-8")
        monkeypatch.setenv("MECHGRAPH_KGX_READER", "columnar")
        nodes = _nodes_in_columns(folder / "nodes.tsv")
        assert nodes is not None
        monkeypatch.setenv("MECHGRAPH_KGX_READER", "python")
        model = read_kgx(folder / "nodes.tsv", folder / "edges.tsv", progress=False)
        def rows(frame):  # an entity's xrefs as the model groups them
            return [(*row[:5], xrefs_of(row[5]), *row[6:]) for row in frame.rows()]
        assert rows(nodes.frame) == rows(Nodes.from_entities(model.entities, "nodes.tsv").frame)
        streamed(folder, monkeypatch)
        assert cache_files(folder, Path(scratch), monkeypatch, "columnar") == \
            cache_files(folder, Path(scratch), monkeypatch, "python")


@pytest.mark.parametrize("damage", ["carriage returns", "blank lines", "repeated column"])
def test_a_nodes_file_that_is_no_clean_table_is_read_line_by_line_and_still_streamed(tmp_path, monkeypatch,
                                                                                      damage):
    folder = write_graph(tmp_path / "g", 6, repeats=False)
    nodes = folder / "nodes.tsv"
    text = nodes.read_text(encoding="utf-8")
    nodes.write_text(BROKEN[damage](text) if damage != "repeated column" else
                     text.replace("\tname\t", "\tname_zh\t", 1), encoding="utf-8")
    monkeypatch.setenv("MECHGRAPH_KGX_READER", "columnar")
    assert _nodes_in_columns(nodes) is None
    streamed(folder, monkeypatch)  # the edges streamed, the nodes read by the line reader
    built = cache_files(folder, tmp_path, monkeypatch, "columnar")
    assert isinstance(built, dict) and built == cache_files(folder, tmp_path, monkeypatch, "python")


NODE_ERRORS = {
    "byte-order mark": lambda rows: ["\ufeff" + rows[0], *rows[1:]],
    "empty id": lambda rows: [rows[0], "\t".join([" \u3000", *rows[1].split("\t")[1:]]), *rows[2:]],
    "repeated id": lambda rows: [*rows, rows[3]],
    "repeated id with the prefix": lambda rows: [*rows, "mechgraph:" + rows[4]],
    "xref without a colon": lambda rows: [*rows[:5], rows[5].rsplit("\t", 1)[0] + "\tCHEBI1", *rows[6:]],
    "xref without a prefix": lambda rows: [*rows[:5], rows[5].rsplit("\t", 1)[0] + "\tX:1|:1", *rows[6:]],
    "xref without an identifier": lambda rows: [*rows[:5], rows[5].rsplit("\t", 1)[0] + "\tHGNC:", *rows[6:]],
}


@pytest.mark.parametrize("error", sorted(NODE_ERRORS))
def test_a_nodes_file_with_errors_is_left_to_the_model_which_reports_them_at_their_lines(tmp_path, monkeypatch,
                                                                                       error):
    folder = write_graph(tmp_path / "g", 2, repeats=False)
    nodes = folder / "nodes.tsv"
    rows = nodes.read_text(encoding="utf-8").splitlines()
    nodes.write_text("\n".join(NODE_ERRORS[error](rows)) + "\n", encoding="utf-8")
    monkeypatch.setenv("MECHGRAPH_KGX_READER", "columnar")
    assert _nodes_in_columns(nodes) is None
    with pytest.raises(NotStreamed):
        streamed(folder, monkeypatch)
    errors = cache_files(folder, tmp_path, monkeypatch, "columnar")
    assert isinstance(errors, list) and errors and errors[0][:1] == ("nodes.tsv",) and errors[0][1]
    assert errors == cache_files(folder, tmp_path, monkeypatch, "python")
    assert not list((tmp_path / "cache-columnar" / "mechgraph").glob("*.records"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(FIELD, st.sampled_from(SHARED_NAMES), st.text(max_size=8)), max_size=40))
def test_names_normalised_and_casefolded_in_columns_are_pythons(labels):
    import polars as pl
    from mechgraph.model.names import normalise
    from mechgraph.store.kgx_nodes import casefolded, normalised
    column = pl.Series(labels, dtype=pl.String)
    assert normalised(column).to_list() == [normalise(label) for label in labels]
    assert casefolded(column).to_list() == [label.casefold() for label in labels]


def test_the_progress_of_a_streamed_build_counts_rows_not_batches(tmp_path, monkeypatch, capsys):
    """The streamed build advances its progress bar a batch at a time: the lines say how many
    rows were read, as the line reader's do."""
    folder = write_graph(tmp_path / "g", 3, repeats=False)
    monkeypatch.setenv("MECHGRAPH_KGX_READER", "columnar")
    monkeypatch.setattr(kgx_columnar, "STREAM_BATCH", 40)
    stream_kgx(folder / "nodes.tsv", folder / "edges.tsv", io.BytesIO(), progress=True)
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith("reading nodes.tsv: done, 80 rows in ") for line in err), err
    lines = [line for line in err if line.startswith("reading edges.tsv")]
    assert lines[-1].startswith("reading edges.tsv: done, 300 rows in ")
    shown = [int(line.split("(")[1].split(" rows")[0].replace(",", "")) for line in lines[1:-1]]
    assert len(shown) >= 3 and shown == sorted(shown) and shown[0] > 0 and shown[-1] <= 300
