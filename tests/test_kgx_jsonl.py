"""The streamed first build of a KGX graph in JSON Lines (mechgraph.io.kgx_jsonl) against
the line reader's build of the same files (MECHGRAPH_KGX_READER=python): the same cache
files, byte for byte. The values are written every way JSON allows (text, lists, booleans,
numbers, null, a missing key, escaped or not); the files the streamed build must leave to
the line reader (a bar inside a list item, a false value where items are read, a tab, a
blank line between rows, malformed or nested JSON, a lone surrogate, mechgraph's own keys)
give the same files or the same errors at the same lines.
"""

from __future__ import annotations

import gzip
import io
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mechgraph.io import kgx_columnar, kgx_jsonl, kgx_reader
from mechgraph.io.kgx_reader import KgxReader
from mechgraph.store.kgx_stream import NotStreamed, stream_kgx

pytest.importorskip("polars")
from test_kgx_columnar import write_graph  # noqa: E402
from test_kgx_stream import cache_files  # noqa: E402

NODE_ITEMS = ("category", "synonym", "xref")


def styled(value: str, as_items: bool, rnd: random.Random, lists: bool = False):
    """A JSON value the line reader reads as it reads the TSV cell ``value``, in a random style
    (with ``lists``, every value read as items a list, or null)."""
    if lists and as_items:
        return value.strip().split("|") if value.strip() or rnd.random() < 0.5 else None
    if value == "":
        return rnd.choice((None, "", [], "omit"))
    if as_items and value == value.strip() and rnd.random() < 0.6:
        return value.split("|")  # text() of a list is not stripped: only a list with no white space at its ends
    if value.strip() in ("True", "true", "T") and not as_items and rnd.random() < 0.5:
        return True
    if value.isdigit() and not value.startswith("0") and rnd.random() < 0.5:
        return int(value)
    return value


def jsonl_graph(folder: Path, seed: int, *, gz: bool = False, edges: int = 300, lists: bool = False) -> Path:
    """write_graph's awkward graph (no repeated ids, no errors) as JSON Lines, each value in a
    random style (:func:`styled`)."""
    rnd = random.Random(seed)
    tsv = write_graph(folder / "tsv", seed, repeats=False, edges=edges)
    for name, items in (("nodes", NODE_ITEMS), ("edges", kgx_columnar.EDGE_ITEMS)):
        lines = (tsv / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
        header = lines[0].split("\t")
        out = []
        for line in lines[1:]:
            row = {key: styled(value, key in items, rnd, lists) for key, value in zip(header, line.split("\t"), strict=True)}
            keys = [k for k in row if row[k] != "omit"]
            rnd.shuffle(keys)
            out.append(json.dumps({k: row[k] for k in keys}, ensure_ascii=rnd.random() < 0.5,
                                  separators=rnd.choice(((",", ":"), (", ", ": ")))))
        text = ("\n".join(out) + "\n").encode("utf-8")
        target = folder / f"{name}.jsonl{'.gz' if gz else ''}"
        target.write_bytes(gzip.compress(text) if gz else text)
    return folder


def stream(folder: Path, monkeypatch, gz: bool = False):
    """stream_kgx of the JSON Lines graph in ``folder`` (raises NotStreamed when left to the model)."""
    monkeypatch.setenv("MECHGRAPH_KGX_READER", "columnar")
    suffix = ".jsonl.gz" if gz else ".jsonl"
    return stream_kgx(folder / f"nodes{suffix}", folder / f"edges{suffix}", io.BytesIO(), progress=False)


def same_build(folder: Path, tmp_path: Path, monkeypatch):
    built = cache_files(folder, tmp_path, monkeypatch, "columnar")
    assert built == cache_files(folder, tmp_path, monkeypatch, "python")
    return built


@pytest.mark.parametrize("seed", range(8))
def test_a_json_lines_graph_is_streamed_into_the_cache_files_of_the_model(tmp_path, monkeypatch, seed):
    folder = jsonl_graph(tmp_path, seed, gz=seed == 3)
    stream(folder, monkeypatch, gz=seed == 3)  # the streamed build takes it: no NotStreamed
    built = same_build(folder, tmp_path, monkeypatch)
    assert isinstance(built, dict) and set(built) == {".records", ".index"}


def test_the_streamed_json_lines_build_reads_batch_after_batch(tmp_path, monkeypatch):
    monkeypatch.setattr(kgx_columnar, "STREAM_BATCH", 37)  # rows numbered across batches (ids e<line>)
    monkeypatch.setattr(kgx_jsonl, "STREAM_BATCH", 37)
    folder = jsonl_graph(tmp_path, 11)
    stream(folder, monkeypatch)
    same_build(folder, tmp_path, monkeypatch)


@pytest.mark.parametrize("damage", [None, "a bar in an item", "white space at an end", "a number in a list"])
def test_columns_of_lists_are_joined_with_the_checks_of_each_cell(tmp_path, monkeypatch, damage):
    """Every value read as items a list: the columns joined at once (kgx_jsonl._joined)."""
    folder = jsonl_graph(tmp_path, 6, lists=True)
    lines = (folder / "edges.jsonl").read_text(encoding="utf-8").splitlines()
    if damage is not None:
        row = json.loads(lines[7])
        row["publications"] = {"a bar in an item": ["PMID:1|PMID:2", "PMID:3"],
                               "white space at an end": ["PMID:1", "PMID:2\u3000"],
                               "a number in a list": ["PMID:1", 7]}[damage]
        lines[7] = json.dumps(row)
        (folder / "edges.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if damage in (None, "a number in a list"):
        stream(folder, monkeypatch)
    else:
        with pytest.raises(NotStreamed):
            stream(folder, monkeypatch)
    same_build(folder, tmp_path, monkeypatch)


#: what makes the streamed build leave an edges file to the line reader, by the line it rewrites
UNCLEAN = {
    "a bar in a list item": lambda row: {**row, "publications": ["PMID:1|PMID:2"]},
    "a list with white space at its end": lambda row: {**row, "publications": ["PMID:1 "]},
    "false where items are read": lambda row: {**row, "publications": False},
    "zero where items are read": lambda row: {**row, "species_context_qualifier": 0},
    "a tab in a value": lambda row: {**row, "knowledge_level": "a\tb"},
    "a tab in a list item": lambda row: {**row, "anatomical_context_qualifier": ["a\tb"]},
    "mechgraph's own key": lambda row: {**row, "mechgraph_level": "rct"},
    "an escaped own key": lambda row: '{"mechgraph\\u005flevel": "rct", ' + json.dumps(row)[1:],
    "a nested list": lambda row: {**row, "publications": [["PMID:1"]]},
    "an object value": lambda row: {**row, "agent_type": {"a": 1}},
    "malformed JSON": lambda row: json.dumps(row)[:-1],
    "a list, not an object": lambda row: json.dumps(list(row)),
    "a lone surrogate": lambda row: json.dumps({**row, "id": "x\ud800"}),
    "a blank line before a row": lambda row: "  \n" + json.dumps(row),
    "an empty subject": lambda row: {**row, "subject": " "},
    "an unknown object": lambda row: {**row, "object": "X:nowhere"},
    "an id given twice": lambda row: json.dumps(row) + "\n" + json.dumps(row),
}


@pytest.mark.parametrize("damage", sorted(UNCLEAN))
def test_a_json_lines_file_the_stream_cannot_read_is_built_or_refused_as_before(tmp_path, monkeypatch, damage):
    monkeypatch.setattr(kgx_jsonl, "STREAM_BATCH", 50)  # the flaw comes after rows were streamed
    folder = jsonl_graph(tmp_path, 5)
    lines = (folder / "edges.jsonl").read_text(encoding="utf-8").splitlines()
    changed = UNCLEAN[damage](json.loads(lines[-20]))
    lines[-20] = changed if isinstance(changed, str) else json.dumps(changed)
    (folder / "edges.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(NotStreamed):
        stream(folder, monkeypatch)
    built = same_build(folder, tmp_path, monkeypatch)
    assert built, damage


@pytest.mark.parametrize("block", [512, 1 << 20])
def test_a_line_longer_than_the_line_reader_reads_is_left_to_it(tmp_path, monkeypatch, block):
    """Found whether the long line spans blocks (512 bytes) or lies whole in one (1 MiB)."""
    monkeypatch.setattr(kgx_reader, "MAX_LINE", 4000)
    monkeypatch.setattr(kgx_jsonl, "BLOCK", block)
    folder = jsonl_graph(tmp_path, 9)
    lines = (folder / "edges.jsonl").read_text(encoding="utf-8").splitlines()
    lines[-30] = json.dumps({**json.loads(lines[-30]), "agent_type": "x" * 5000})
    (folder / "edges.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(NotStreamed):
        stream(folder, monkeypatch)
    built = same_build(folder, tmp_path, monkeypatch)
    assert isinstance(built, list) and "longer than 4,000 bytes" in built[0][2]


def test_a_gzipped_file_that_expands_too_far_is_left_to_the_line_reader(tmp_path, monkeypatch):
    monkeypatch.setattr(kgx_reader, "MAX_RATIO", 2)  # every gzipped graph here expands more
    monkeypatch.setattr(kgx_reader, "RATIO_FLOOR", 1000)
    folder = jsonl_graph(tmp_path, 10, gz=True)
    monkeypatch.setenv("MECHGRAPH_KGX_READER", "columnar")
    table = kgx_jsonl.jsonl_stream(folder / "edges.jsonl.gz", kgx_columnar.EDGE_ORDER, kgx_columnar.EDGE_ITEMS,
                                   checker=KgxReader(folder), max_line=kgx_reader.MAX_LINE, max_ratio=2, floor=1000)
    with pytest.raises(kgx_columnar.Unclean, match="decompression bomb"):
        list(table.batches())
    with pytest.raises(NotStreamed):
        stream(folder, monkeypatch, gz=True)
    built = same_build(folder, tmp_path, monkeypatch)
    assert isinstance(built, list) and "decompression bomb" in built[0][2]


def test_a_blank_line_at_the_end_and_a_missing_last_newline_are_streamed(tmp_path, monkeypatch):
    folder = jsonl_graph(tmp_path, 2)
    edges = folder / "edges.jsonl"
    edges.write_text(edges.read_text(encoding="utf-8") + "\n  \n", encoding="utf-8")
    nodes = folder / "nodes.jsonl"
    nodes.write_text(nodes.read_text(encoding="utf-8").rstrip("\n"), encoding="utf-8")
    stream(folder, monkeypatch)
    same_build(folder, tmp_path, monkeypatch)


def test_a_nodes_file_the_columns_cannot_read_is_read_by_the_line_reader(tmp_path, monkeypatch):
    folder = jsonl_graph(tmp_path, 4)
    nodes = folder / "nodes.jsonl"
    lines = nodes.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[3])
    lines[3] = json.dumps({**row, "synonym": ["a|b", "c"]})  # items the columns would split again
    nodes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stream(folder, monkeypatch)  # the nodes read line by line, the edges still streamed
    same_build(folder, tmp_path, monkeypatch)


def tsv_text(cell: str) -> str:
    return cell.strip()


def tsv_items(cell: str) -> list[str]:
    return [v for v in cell.split("|") if v] if cell else []


SCALARS = st.one_of(st.text(max_size=6), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False),
                    st.none())


@settings(max_examples=400, deadline=None)
@given(value=st.one_of(SCALARS.filter(lambda v: v is not None and type(v) is not str),
                       st.lists(SCALARS, max_size=4)), as_items=st.booleans())
def test_a_cell_reads_as_the_line_reader_reads_its_json_value(value, as_items):
    """The oracle is the line reader's own text() and items() of the JSON value."""
    try:
        made = kgx_jsonl.cell(value, as_items)
    except kgx_columnar.Unclean:
        row = {"v": value}
        # refused only where the cell would read otherwise
        assert tsv_text("|".join(map(str, value)) if type(value) is list else str(value)) != \
            KgxReader.text(row, "v") or \
            (as_items and tsv_items("|".join(map(str, value)) if type(value) is list else str(value))
             != KgxReader.items(row, "v"))
        return
    row = {"v": value}
    assert tsv_text(made) == KgxReader.text(row, "v")
    if as_items:
        assert tsv_items(made) == KgxReader.items(row, "v")
