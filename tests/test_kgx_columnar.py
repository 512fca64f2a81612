"""The columnar KGX reader (polars, mechgraph.io.kgx_columnar) against the line reader: the
same models out of generated KGX files full of awkward values (quote characters, empty
cells, pipe-delimited lists with empty items, leading and trailing spaces, unicode,
gzip), and, for every file it must not read (ragged rows, carriage returns, blank lines, a
byte-order mark, bytes that are not UTF-8, a repeated column, an over-long field), the
same errors with the same files and lines, because it then steps aside.
"""

from __future__ import annotations

import gzip
import random
import shutil
from pathlib import Path

import pytest

from mechgraph.errors import InvalidGraph
from mechgraph.io import kgx_columnar
from mechgraph.io import kgx_reader
from mechgraph.io.kgx import read_kgx

pytest.importorskip("polars")
ROOT = Path(__file__).resolve().parents[1]

NODE_COLUMNS = ("id", "category", "name", "name_zh", "description", "synonym", "xref")
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "negated", "object_aspect_qualifier",
                "object_direction_qualifier", "species_context_qualifier", "anatomical_context_qualifier",
                "knowledge_level", "agent_type", "primary_knowledge_source", "publications")
AWKWARD = ('"quoted"', "'single'", '"', "", " ", "  padded  ", "a|b", "|a||b|", "|", "中文 名字", "café",
           "emoji 🧠", "e\u0301", "#not a comment", "\\t literal", "\u00a0nbsp\u00a0", "x" * 300, "NULL", "NA",
           "null", "1.5e3", "0012", "true")
CATEGORIES = ("biolink:Drug", "biolink:Gene|biolink:NamedThing", "biolink:Protein", "biolink:Disease",
              "biolink:BiologicalProcess", "biolink:AnatomicalEntity", "biolink:Cell", "", "biolink:Nonsense")
PREDICATES = ("biolink:affects", "biolink:treats", "biolink:interacts_with", "biolink:causes",
              "biolink:gene_associated_with_condition", "biolink:related_to", "biolink:nonsense")


def _awkward(rnd: random.Random) -> str:
    return rnd.choice(AWKWARD) if rnd.random() < 0.6 else f"{rnd.choice(AWKWARD)}{rnd.randrange(1000)}"


def write_graph(folder: Path, seed: int, *, nodes: int = 80, edges: int = 300, errors: bool = False,
                repeats: bool = True) -> Path:
    """A KGX graph of awkward values; with ``repeats``, statements repeating an earlier edge's
    id and ends (one assertion, several findings); with ``errors``, also rows the reader
    refuses (unknown or empty ends, an id reused for other ends)."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    ids = [f"X:{i}" if i % 7 else f"ÜNI:{i}·β" for i in range(nodes)]
    rows = ["\t".join(NODE_COLUMNS)]
    for i, node in enumerate(ids):
        row = (node, rnd.choice(CATEGORIES), _awkward(rnd) if i % 5 else "", _awkward(rnd), _awkward(rnd),
               "|".join(_awkward(rnd) for _ in range(rnd.randrange(4))),
               rnd.choice(("", "CHEBI:1|HGNC.SYMBOL:AB", "UniProtKB:Q1||", "|MESH:D1")))
        rows.append("\t".join(v.replace("\t", " ") for v in row))
    (folder / "nodes.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rows = ["\t".join(EDGE_COLUMNS)]
    for i in range(edges):
        row = (f"r{i}" if i % 11 else rnd.choice(("", f" r{i} ")), rnd.choice(ids),
               rnd.choice(PREDICATES), rnd.choice(ids), rnd.choice(("", "True", "false", "T", " yes ")),
               rnd.choice(("", "expression", "activity")), rnd.choice(("", "increased", "decreased")),
               rnd.choice(("", "NCBITaxon:9606", "NCBITaxon:10090|NCBITaxon:9606", "|")),
               rnd.choice(("", ids[0], f"{ids[1]}|{ids[2]}", "UBERON:none")),
               rnd.choice(("", "knowledge_assertion", _awkward(rnd))), rnd.choice(("", "manual_agent", _awkward(rnd))),
               rnd.choice(("", "infores:a", "infores:b", _awkward(rnd))),
               "|".join(f"PMID:{rnd.randrange(50)}" for _ in range(rnd.randrange(3))))
        if repeats and i > 10 and rnd.random() < 0.1:  # a second statement of an earlier edge
            earlier = rows[rnd.randrange(2, len(rows))].split("\t")
            row = (earlier[0] or f" r{i} ", *earlier[1:4], row[4], *earlier[5:7], *row[7:])
        if errors and rnd.random() < 0.08:
            row = rnd.choice([(row[0], "X:nowhere", *row[2:]), (row[0], row[1], "", *row[3:]),
                              (row[0], " ", *row[2:]), ("r1", row[3], row[2], row[1], *row[4:])])
        rows.append("\t".join(v.replace("\t", " ") for v in row))
    (folder / "edges.tsv").write_text("\n".join(rows) + ("\n" if seed % 2 else ""), encoding="utf-8")
    return folder


def read_both(folder: Path, monkeypatch, nodes: str = "nodes.tsv", edges: str = "edges.tsv"):
    """(model or errors) from the columnar reader, then from the line reader."""
    out = []
    for reader in ("columnar", "python"):
        monkeypatch.setenv("MECHGRAPH_KGX_READER", reader)
        try:
            model = read_kgx(folder / nodes, folder / edges, progress=False)
            out.append((model.entities, model.assertions, model.findings, model.sources))
        except InvalidGraph as exc:
            out.append([(e.file, e.line, e.message) for e in exc.errors])
    return out


def test_the_columnar_reader_is_used_on_a_clean_table(tmp_path, monkeypatch):
    folder = write_graph(tmp_path / "g", 1)
    monkeypatch.delenv("MECHGRAPH_KGX_READER", raising=False)
    assert kgx_columnar.tsv_columns(folder / "edges.tsv", max_line=kgx_reader.MAX_LINE,
                                    max_field=kgx_reader.MAX_FIELD, max_ratio=200, floor=1 << 20) is None  # small
    monkeypatch.setattr(kgx_columnar, "MIN_BYTES", 0)
    table = kgx_columnar.tsv_columns(folder / "edges.tsv", max_line=kgx_reader.MAX_LINE,
                                     max_field=kgx_reader.MAX_FIELD, max_ratio=200, floor=1 << 20)
    assert table is not None and table[1] == 300
    monkeypatch.setenv("MECHGRAPH_KGX_READER", "python")
    assert kgx_columnar.tsv_columns(folder / "edges.tsv", max_line=1 << 20, max_field=1 << 20, max_ratio=200,
                                    floor=1) is None


@pytest.mark.parametrize("seed", range(8))
def test_the_same_model_from_both_readers(tmp_path, monkeypatch, seed):
    folder = write_graph(tmp_path / "g", seed)
    columnar, python = read_both(folder, monkeypatch)
    assert not isinstance(python, list), python  # a graph read, not errors
    assert columnar == python


@pytest.mark.parametrize("seed", range(4))
def test_the_same_errors_at_the_same_lines_from_both_readers(tmp_path, monkeypatch, seed):
    folder = write_graph(tmp_path / "g", seed, errors=True)
    columnar, python = read_both(folder, monkeypatch)
    assert isinstance(python, list) and python  # errors, not a graph
    assert columnar == python


@pytest.mark.parametrize("seed", range(3))
def test_the_same_model_from_gzipped_files(tmp_path, monkeypatch, seed):
    folder = write_graph(tmp_path / "g", seed)
    for name in ("nodes.tsv", "edges.tsv"):
        (folder / f"{name}.gz").write_bytes(gzip.compress((folder / name).read_bytes()))
    columnar, python = read_both(folder, monkeypatch, "nodes.tsv.gz", "edges.tsv.gz")
    assert columnar == python
    assert columnar == read_both(folder, monkeypatch)[0]


def test_the_bundled_kgx_graphs_read_the_same(monkeypatch):
    for folder in (ROOT / "tests/data/kgx-graph",):
        columnar, python = read_both(folder, monkeypatch)
        assert columnar == python


BROKEN = {
    "ragged row": lambda text: text.replace("\n", "\textra\n", 3),
    "short row": lambda text: text.replace("\tbiolink:", "biolink:", 1),
    "carriage returns": lambda text: text.replace("\n", "\r\n"),
    "blank lines": lambda text: text.replace("\n", "\n\n", 5),
    "byte-order mark": lambda text: "\ufeff" + text,
    "repeated column": lambda text: text.replace("\tobject\t", "\tsubject\t", 1),
    "missing column": lambda text: text.replace("\tsubject\t", "\tsubjekt\t", 1),
    "over-long field": lambda text: text.replace("\tbiolink:", "\t" + "y" * (kgx_reader.MAX_FIELD + 1) + "biolink:", 1),
}


@pytest.mark.parametrize("damage", sorted(BROKEN))
def test_a_file_that_is_not_a_clean_table_gives_the_same_errors_at_the_same_lines(tmp_path, monkeypatch, damage):
    folder = write_graph(tmp_path / "g", 5)
    edges = folder / "edges.tsv"
    edges.write_text(BROKEN[damage](edges.read_text(encoding="utf-8")), encoding="utf-8")
    columnar, python = read_both(folder, monkeypatch)
    assert columnar == python


def test_bytes_that_are_not_utf8_give_the_same_error(tmp_path, monkeypatch):
    folder = write_graph(tmp_path / "g", 6)
    edges = folder / "edges.tsv"
    data = edges.read_bytes()
    cut = data.index(b"\n", len(data) // 2) + 1
    edges.write_bytes(data[:cut] + b"\xff\xfe" + data[cut:])
    columnar, python = read_both(folder, monkeypatch)
    assert columnar == python and isinstance(python, list) and any("UTF-8" in m for _, _, m in python)


def test_json_lines_are_read_the_same_either_way(tmp_path, monkeypatch):
    source = ROOT / "tests/data/kgx-graph/jsonl"
    shutil.copytree(source, tmp_path / "j")
    nodes = next(p.name for p in (tmp_path / "j").iterdir() if p.name.startswith("nodes"))
    edges = next(p.name for p in (tmp_path / "j").iterdir() if p.name.startswith("edges"))
    columnar, python = read_both(tmp_path / "j", monkeypatch, nodes, edges)
    assert columnar == python
