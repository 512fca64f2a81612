"""KGX: the export's rows, reading it back, and bringing your own KGX graph (--graph)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA

from mechgraph import InvalidGraph, MechGraph
from mechgraph.io.kgx import read_kgx, statement_rows, write_kgx

KGX_GRAPH = DATA / "kgx-graph"


def rows(path: Path) -> list[dict]:
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    columns = header.split("\t")
    return [dict(zip(columns, line.split("\t"), strict=True)) for line in lines]


@pytest.fixture
def toy_kgx(example_dir, tmp_path) -> Path:
    write_kgx(MechGraph.load(example_dir), tmp_path / "kgx")
    return tmp_path / "kgx"


@pytest.fixture
def kgx_copy(tmp_path) -> Path:
    target = tmp_path / "kgx-graph"
    shutil.copytree(KGX_GRAPH, target)
    return target


# -- the export ------------------------------------------------------------------

def test_nodes_carry_biolink_categories_and_names(toy_kgx):
    nodes = {r["id"]: r for r in rows(toy_kgx / "nodes.tsv")}
    assert list(nodes) == sorted(nodes)
    drug = nodes["mechgraph:drug-x"]
    assert drug["category"] == "biolink:Drug"
    assert drug["name"] == "Drug X" and drug["name_zh"] == "药物X"
    assert drug["synonym"] == "DX|X-101"
    assert drug["mechgraph_type"] == "Drug"
    assert nodes["mechgraph:protein-p"]["xref"] == "HGNC.SYMBOL:PPP"
    assert nodes["mechgraph:behaviour-b"]["category"] == "biolink:PhenotypicFeature"


def test_refuting_evidence_is_a_negated_statement_with_its_own_species(example_dir):
    statements = {r["id"]: r for r in statement_rows(MechGraph.load(example_dir))}
    support = statements["a-x-increases-expression-p"]
    refute = statements["a-x-increases-expression-p#refuting"]
    assert support["publications"] == refute["publications"] == ["mechgraph.source:toy-seed"]
    assert support["mechgraph_findings"] == ["f-x-p-mouse"] and refute["mechgraph_findings"] == ["f-x-p-rat-null"]
    assert support["negated"] == "" and support["species_context_qualifier"] == "NCBITaxon:10090"
    assert refute["negated"] == "True" and refute["species_context_qualifier"] == "NCBITaxon:10116"
    assert refute["mechgraph_statements"] == ["In rats, drug X did not change protein P."]


def test_statements_sharing_subject_predicate_object_are_one_edge(toy_kgx):
    """The KGX tool keys edges by subject-predicate-object: the supporting and the refuting
    statement of one assertion are one edge, each kept whole in mechgraph_edges."""
    edges = {r["id"]: r for r in rows(toy_kgx / "edges.tsv")}
    assert len({(r["subject"], r["predicate"], r["object"]) for r in edges.values()}) == len(edges)
    merged = edges["a-x-increases-expression-p+a-x-increases-expression-p#refuting"]
    assert merged["subject"] == "mechgraph:drug-x" and merged["object"] == "mechgraph:protein-p"
    # what the statements agree on, the edge states
    assert merged["predicate"] == "biolink:affects"
    assert merged["qualified_predicate"] == "biolink:causes"
    assert merged["object_aspect_qualifier"] == "expression"
    assert merged["object_direction_qualifier"] == "increased"
    assert merged["knowledge_level"] == "knowledge_assertion" and merged["agent_type"] == "manual_agent"
    assert merged["primary_knowledge_source"] == "infores:mechgraph"
    assert merged["publications"] == "mechgraph.source:toy-seed"
    assert merged["mechgraph_assertion"] == "a-x-increases-expression-p"
    # the statements disagree on negation and species: the edge states neither
    assert merged["negated"] == "" and merged["species_context_qualifier"] == ""
    assert merged["mechgraph_findings"] == "f-x-p-mouse|f-x-p-rat-null"
    parts = json.loads(merged["mechgraph_edges"])
    assert [p["id"] for p in parts] == ["a-x-increases-expression-p", "a-x-increases-expression-p#refuting"]
    assert [p.get("negated", "") for p in parts] == ["", "True"]
    assert [p["species_context_qualifier"] for p in parts] == ["NCBITaxon:10090", "NCBITaxon:10116"]
    assert parts[1]["mechgraph_statements"] == ["In rats, drug X did not change protein P."]
    assert "subject" not in parts[0] and parts[0]["mechgraph_score"] == merged["mechgraph_score"]


def test_each_edge_states_level_score_and_context(toy_kgx):
    edges = {r["id"]: r for r in rows(toy_kgx / "edges.tsv")}
    treats = edges["a-x-treats-d"]
    assert treats["predicate"] == "biolink:treats"
    assert treats["mechgraph_level"] == "rct" and treats["mechgraph_score"] == "0.8"
    assert treats["species_context_qualifier"] == "NCBITaxon:9606"
    antagonizes = edges["a-x-antagonizes-r"]
    assert antagonizes["predicate"] == "biolink:directly_physically_interacts_with"
    assert antagonizes["mechgraph_predicate"] == "antagonizes"
    assert json.loads(antagonizes["mechgraph_context"]) == {"species": ["mouse"]}


def test_anatomical_context_qualifier_names_the_region(tmp_path, example_dir):
    g = MechGraph.load()
    write_kgx(g, tmp_path / "kgx")
    with_region = [r for r in rows(tmp_path / "kgx" / "edges.tsv") if r["anatomical_context_qualifier"]]
    assert with_region, "the bundled graph has assertions in brain regions"
    for row in with_region:
        for curie in row["anatomical_context_qualifier"].split("|"):
            entity = g.model.entities[curie.removeprefix("mechgraph:")]
            assert entity.type in ("BrainRegion", "CellType", "Organ", "Circuit")


def test_values_never_break_the_tsv(tmp_path, example_dir):
    import copy
    from dataclasses import replace
    model = copy.deepcopy(MechGraph.load(example_dir).model)  # the loaded model is shared: change a copy
    model.entities["drug-x"] = replace(model.entities["drug-x"], description="line one\nline\ttwo | three")
    write_kgx(MechGraph(model), tmp_path / "kgx")
    node = {r["id"]: r for r in rows(tmp_path / "kgx" / "nodes.tsv")}["mechgraph:drug-x"]
    assert node["description"] == "line one line two ¦ three"


# -- reading it back -----------------------------------------------------------------

def test_kgx_export_reads_back_into_the_same_entities_and_assertions(example_dir, toy_kgx):
    original = MechGraph.load(example_dir).model
    model = read_kgx(toy_kgx / "nodes.tsv", toy_kgx / "edges.tsv")
    assert model.entities == original.entities
    assert set(model.assertions) == set(original.assertions)
    for aid, a in original.assertions.items():
        back = model.assertions[aid]
        assert (back.subject, back.predicate, back.object, back.context) == \
               (a.subject, a.predicate, a.object, a.context)
        assert len(back.refuting) == len(a.refuting) and bool(back.supporting) == bool(a.supporting)
    refuted = model.assertions["a-x-increases-expression-p"]
    finding = model.findings[refuted.refuting[0]]
    assert finding.direction == "refutes" and finding.species == ("rat",)
    assert finding.statement == "In rats, drug X did not change protein P."
    assert finding.level == "animal_in_vivo"
    assert model.findings[model.assertions["a-x-treats-d"].supporting[0]].level == "rct"


def test_an_export_of_the_earlier_shape_reads_back_the_same(tmp_path):
    """Exports written before statements sharing subject-predicate-object were merged had
    one row per statement (``ID``, ``ID#refuting``, ``ID#mouse``): they read back the same."""
    from mechgraph.io.kgx import EDGE_COLUMNS, _cell
    g = MechGraph.load()
    write_kgx(g, tmp_path / "new")
    old = tmp_path / "old"
    old.mkdir()
    (old / "nodes.tsv").write_bytes((tmp_path / "new" / "nodes.tsv").read_bytes())
    columns = [c for c in EDGE_COLUMNS if c != "mechgraph_edges"]
    lines = ["\t".join(columns)] + ["\t".join(_cell(row.get(c)) for c in columns) for row in statement_rows(g)]
    (old / "edges.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(lines) > len((tmp_path / "new" / "edges.tsv").read_text(encoding="utf-8").splitlines())
    new_model = read_kgx(tmp_path / "new" / "nodes.tsv", tmp_path / "new" / "edges.tsv")
    old_model = read_kgx(old / "nodes.tsv", old / "edges.tsv")
    assert old_model.assertions == new_model.assertions
    assert old_model.findings == new_model.findings


def test_a_malformed_mechgraph_edges_is_an_error_of_its_line(toy_kgx):
    edges = toy_kgx / "edges.tsv"
    header, *lines = edges.read_text(encoding="utf-8").splitlines()
    column = header.split("\t").index("mechgraph_edges")
    number, line = next((i, line) for i, line in enumerate(lines, start=2) if line.split("\t")[column])
    cells = line.split("\t")
    cells[column] = "[1, 2]"
    lines[number - 2] = "\t".join(cells)
    edges.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    with pytest.raises(InvalidGraph) as caught:
        read_kgx(toy_kgx / "nodes.tsv", edges)
    assert f"edges.tsv:{number}: mechgraph_edges must be a JSON list of objects" in str(caught.value)


def test_the_bundled_graph_round_trips_through_kgx(tmp_path):
    original = MechGraph.load().model
    write_kgx(MechGraph.load(), tmp_path / "kgx")
    model = read_kgx(tmp_path / "kgx" / "nodes.tsv", tmp_path / "kgx" / "edges.tsv")
    assert model.entities == original.entities
    assert {a: (x.subject, x.predicate, x.object, x.context) for a, x in model.assertions.items()} == \
           {a: (x.subject, x.predicate, x.object, x.context) for a, x in original.assertions.items()}


# -- bring your own graph --------------------------------------------------------------

def test_a_hand_written_kgx_graph_maps_types_and_predicates():
    g = MechGraph.load(KGX_GRAPH)
    m = g.model
    assert {e: x.type for e, x in m.entities.items()} == {
        "EX:drug-a": "Drug", "EX:gene-b": "Gene", "EX:protein-b": "Protein", "EX:process-c": "Process",
        "EX:disease-d": "Condition", "EX:cell-e": "CellType", "EX:taxon-f": "NamedThing",
        "EX:lonely": "Pathway"}
    assert m.entities["EX:drug-a"].aliases == ("DA", "drug a")
    assert m.entities["EX:protein-b"].xrefs == {"UniProtKB": ("P00000",)}
    predicates = {a: x.predicate for a, x in m.assertions.items()}
    assert predicates == {"e1": "inhibits", "e2": "related_to", "e3": "regulates", "e4": "mediates",
                          "e5": "treats", "e6": "treats", "e7": "related_to", "e8": "expressed_in"}
    assert m.assertions["e2"].note == "KGX predicate biolink:has_gene_product"
    assert m.assertions["e3"].context == {"species": ("rat",), "cell_type": ("EX:cell-e",)}


def test_kgx_edges_without_evidence_have_no_findings_and_negated_ones_refute():
    m = MechGraph.load(KGX_GRAPH).model
    assert m.assertions["e4"].findings == () and m.assertions["e7"].findings == ()
    negated = m.assertions["e6"]
    assert negated.supporting == () and len(negated.refuting) == 1
    finding = m.findings[negated.refuting[0]]
    assert finding.direction == "refutes"
    assert finding.cites == ("PMID:5",) and finding.source == "infores:example"
    assert finding.locator == ()
    assert finding.quality_note == "knowledge_level: knowledge_assertion; agent_type: manual_agent"
    assert m.findings["kgx:e1"].cites == ("PMID:1", "PMID:2")
    assert m.findings["kgx:e1"].species == ("mouse",)


def test_path_show_search_and_stats_on_a_kgx_graph(run):
    result = run("--graph", KGX_GRAPH, "path", "drug a", "Disease D", "--json", "--relation", "any")
    assert result.exit_code == 0, result.stderr
    paths = json.loads(result.stdout)["paths"]
    first = paths[0]["hops"][0]
    assert first["assertion"] == "e5", "the supported treats edge, not the negated one"
    assert first["predicate"] == "treats" and first["species"] == ["human"]
    assert [n["id"] for n in paths[1]["nodes"]] == ["EX:drug-a", "EX:protein-b", "EX:process-c", "EX:disease-d"]

    result = run("--graph", KGX_GRAPH, "show", "PB")
    assert result.exit_code == 0, result.stderr
    assert "Protein B /   [Protein]  id: EX:protein-b" in result.stdout
    assert "← inhibits Drug A (EX:drug-a)" in result.stdout
    assert "kgx:e1  [opinion; review_opinion; mouse; supports; infores:example ]" in result.stdout

    result = run("--graph", KGX_GRAPH, "search", "gene", "--json")
    assert [h["id"] for h in json.loads(result.stdout)][0] == "EX:gene-b"

    result = run("--graph", KGX_GRAPH, "stats", "--json")
    stats = json.loads(result.stdout)
    assert (stats["entities"], stats["assertions"], stats["findings"]) == (8, 8, 6)


def test_render_on_a_kgx_graph(run, tmp_path):
    out = tmp_path / "map.html"
    result = run("--graph", KGX_GRAPH, "render", "-o", out)
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    for name in ("Drug A", "Protein B", "Taxon F", "EX:protein-b"):
        assert name in page


def test_json_lines_and_a_nodes_file_path_give_the_same_graph():
    tsv = MechGraph.load(KGX_GRAPH).model
    for path in (KGX_GRAPH / "jsonl", KGX_GRAPH / "jsonl" / "nodes.jsonl", KGX_GRAPH / "nodes.tsv",
                 KGX_GRAPH / "edges.tsv"):
        other = MechGraph.load(path).model
        assert other.entities == tsv.entities, path
        assert other.assertions == tsv.assertions, path
        assert other.findings == tsv.findings, path


def test_gzipped_kgx_files_are_read(tmp_path):
    import gzip
    for name in ("nodes.tsv", "edges.tsv"):
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress((KGX_GRAPH / name).read_bytes()))
    assert MechGraph.load(tmp_path).model.assertions == MechGraph.load(KGX_GRAPH).model.assertions


def test_a_file_that_is_not_kgx_is_refused(run, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("hello\n")
    result = run("--graph", other, "stats")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {other}: not a graph directory, nor a KGX nodes or edges file")


# -- malformed input -------------------------------------------------------------------

def test_missing_column_is_reported_at_line_1(run, kgx_copy):
    text = (kgx_copy / "edges.tsv").read_text().replace("\tpredicate\t", "\tpredicat\t", 1)
    (kgx_copy / "edges.tsv").write_text(text)
    result = run("--graph", kgx_copy, "stats")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("error: edges.tsv:1: missing column(s) 'predicate' (found: id, ")


def test_malformed_rows_are_reported_with_file_and_line(run, kgx_copy):
    lines = (kgx_copy / "edges.tsv").read_text().splitlines()
    lines[2] = "\t".join(lines[2].split("\t")[:5])                  # line 3: fields missing
    lines[4] = lines[4].replace("EX:process-c", "EX:nowhere", 1)     # line 5: unknown subject
    (kgx_copy / "edges.tsv").write_text("\n".join(lines) + "\n")
    nodes = (kgx_copy / "nodes.tsv").read_text().splitlines()
    nodes.append(nodes[1])                                           # line 10: duplicate id
    (kgx_copy / "nodes.tsv").write_text("\n".join(nodes) + "\n")
    result = run("--graph", kgx_copy, "validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "nodes.tsv:10: duplicate node id 'EX:drug-a' (first at nodes.tsv:2)",
        "edges.tsv:3: expected 14 tab-separated fields, found 5",
        "edges.tsv:5: edge refers to unknown node(s): subject 'EX:nowhere'",
        f"{kgx_copy}: 3 problem(s)",
    ]
    result = run("--graph", kgx_copy, "path", "Drug A", "Disease D")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "error: 3 curation error(s); run 'mechgraph validate' for details"


def test_malformed_json_lines_are_reported(run, kgx_copy):
    path = kgx_copy / "jsonl" / "edges.jsonl"
    lines = path.read_text().splitlines()
    lines[1] = lines[1][:-1]
    lines[3] = "[1, 2]"
    path.write_text("\n".join(lines) + "\n")
    result = run("--graph", kgx_copy / "jsonl", "validate")
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0].startswith("edges.jsonl:2: malformed JSON: Expecting ',' delimiter")
    assert errors[1] == "edges.jsonl:4: each line must be a JSON object"


def test_too_many_errors_stop_the_reading(tmp_path):
    (tmp_path / "nodes.tsv").write_text("id\tname\n" + "x\n" * 200)
    (tmp_path / "edges.tsv").write_text("subject\tpredicate\tobject\n")
    with pytest.raises(InvalidGraph) as caught:
        MechGraph.load(tmp_path)
    messages = [str(e) for e in caught.value.errors]
    assert len(messages) == 51
    assert messages[-1] == "nodes.tsv:52: more than 50 errors; stopped reading"


# -- the cache and the progress bar -------------------------------------------------------

def test_a_progress_bar_goes_to_stderr(run, kgx_copy, monkeypatch):
    monkeypatch.setenv("MECHGRAPH_PROGRESS", "1")
    result = run("--graph", kgx_copy, "stats")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert lines[0].startswith("reading nodes.tsv (0.0 MB)")
    assert any(line.startswith("reading nodes.tsv: done, 8 rows in ") for line in lines)
    assert any(line.startswith("reading edges.tsv: done, 8 rows in ") for line in lines)
    assert result.stdout.startswith("entities 8, assertions 8")


def test_no_progress_bar_for_small_graphs(run, kgx_copy, monkeypatch):
    monkeypatch.delenv("MECHGRAPH_PROGRESS", raising=False)
    result = run("--graph", kgx_copy, "stats")
    assert result.exit_code == 0 and result.stderr == ""


def test_every_relationship_of_a_kgx_graph_has_both_ends_in_the_property_graph():
    """Publications cited by KGX edges become sources, so no CITES relationship dangles."""
    from mechgraph import MechGraph
    from mechgraph.backends.propertygraph import project

    graph = MechGraph.load(Path(__file__).parent / "data" / "kgx-graph")
    assert {"PMID:1", "PMID:2"} <= set(graph.model.sources)
    projected = project(graph)
    ids = {node.id for node in projected.nodes}
    cites = [r for r in projected.relationships if r.type == "CITES"]
    assert cites, "the test graph's edges cite publications"
    dangling = [(r.type, r.start, r.end) for r in projected.relationships if r.start not in ids or r.end not in ids]
    assert dangling == []
