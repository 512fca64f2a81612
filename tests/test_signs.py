"""`mechgraph path --signed`: net effects of signed paths and contradictions."""

import json

import pytest

from mechgraph import MechGraph
from mechgraph.reasoning.signs import annotate_signs, net_sign
from mkgraph import assertion, entity, finding, write_graph


@pytest.mark.parametrize("signs, expected", [
    (["+"], "+"), (["-"], "-"), (["-", "-"], "+"), (["+", "-"], "-"), (["-", "-", "-"], "-"),
    (["+", "+", "+", "+"], "+"), (["-", "+", "-", "+"], "+"),
])
def test_sign_arithmetic(signs, expected):
    assert net_sign(signs) == expected


@pytest.fixture
def chain(tmp_path):
    """drug -antagonizes-> receptor -required_for-> behaviour, with a direct claim each way,
    plus a backwards hop, an unsigned hop and a refuted hop to other ends."""
    entities = [entity("drug", "Drug", "Drug D"), entity("receptor", "Receptor", "Receptor R"),
                entity("behaviour", "Phenotype", "Behaviour B"), entity("kinase", "Enzyme", "Kinase K"),
                entity("region", "BrainRegion", "Region G"), entity("gene", "Gene", "Gene N")]
    findings = [finding("f-1", species=["mouse"]), finding("f-2", species=["rat"])]
    findings += [finding(f"f-{i}") for i in range(3, 8)] + [finding("f-null", "refutes")]
    assertions = [
        assertion("a-drug-antag-receptor", "drug", "antagonizes", "receptor", supporting=["f-1"]),
        assertion("a-receptor-req-behaviour", "receptor", "required_for", "behaviour", supporting=["f-2"]),
        assertion("a-drug-decreases-behaviour", "drug", "decreases", "behaviour", supporting=["f-3"]),
        assertion("a-drug-increases-behaviour", "drug", "increases", "behaviour", supporting=["f-4"]),
        assertion("a-kinase-activates-receptor", "kinase", "activates", "receptor", supporting=["f-5"]),
        assertion("a-receptor-expressed-region", "receptor", "expressed_in", "region", supporting=["f-6"]),
        assertion("a-receptor-inhibits-gene", "receptor", "inhibits", "gene", refuting=["f-null"]),
        assertion("a-drug-decreases-kinase", "drug", "decreases", "kinase", supporting=["f-7"]),
    ]
    return MechGraph.load(write_graph(tmp_path / "g", entities, findings, assertions))


def signed(graph, a, b, **kw):
    return annotate_signs(graph, graph.path(a, b, relation="any", **kw))


def test_two_hop_path_has_the_product_sign_and_is_checked_against_direct_claims(chain):
    result = signed(chain, "drug", "behaviour", k=10)
    assert [d["assertion"] for d in result["direct_effects"]] == ["a-drug-decreases-behaviour",
                                                                  "a-drug-increases-behaviour"]
    two = next(p for p in result["paths"] if [n["id"] for n in p["nodes"]] == ["drug", "receptor", "behaviour"])
    assert two["net_sign"] == "-"
    assert two["net_effect"] == "Drug D decreases Behaviour B"
    assert two["sign_note"] == "− × + = −"
    assert two["contradicts"] == ["a-drug-increases-behaviour"]
    assert two["agrees"] == ["a-drug-decreases-behaviour"]
    assert two["context_note"] == "hops differ in species mouse (hop 1) vs rat (hop 2)"


def test_a_one_hop_path_is_not_compared_with_itself(chain):
    result = signed(chain, "drug", "behaviour", k=10)
    (direct,) = [p for p in result["paths"] if len(p["hops"]) == 1]
    own = direct["hops"][0]["assertion"]
    other = ({"a-drug-decreases-behaviour", "a-drug-increases-behaviour"} - {own}).pop()
    assert direct["contradicts"] == [other] and direct["agrees"] == []
    assert direct["sign_note"] == f"{'−' if own == 'a-drug-decreases-behaviour' else '+'}, one hop"


def test_a_backwards_hop_gives_no_net_sign_and_says_why(chain):
    path = signed(chain, "drug", "kinase", k=10)["paths"]
    through = next(p for p in path if [n["id"] for n in p["nodes"]] == ["drug", "receptor", "kinase"])
    assert through["net_sign"] is None and through["net_effect"] is None
    assert through["sign_note"] == ("hop 2 (Kinase K activates Receptor R) is followed backwards, "
                                    "from Receptor R to Kinase K")
    assert through["contradicts"] == []


def test_an_unsigned_hop_gives_no_net_sign(chain):
    path = signed(chain, "drug", "region")["paths"][0]
    assert path["net_sign"] is None
    assert path["sign_note"] == ("hop 2 (Receptor R expressed_in Region G) has no sign: "
                                 "expressed_in states no direction of effect")


def test_a_path_never_runs_through_a_refuted_only_assertion(chain):
    # Receptor R inhibits Gene N has only refuting evidence, so no path may use it.
    from mechgraph import NoPath
    with pytest.raises(NoPath):
        signed(chain, "drug", "gene")


def test_signed_text_output_flags_the_contradiction(run, chain):
    result = run("--graph", chain.model.root, "path", "Drug D", "Behaviour B", "--signed", "--directed", "-k", "5",
                 "--relation", "any")
    assert result.exit_code == 0
    out = result.stdout
    assert "   net effect: Drug D decreases Behaviour B (− × + = −)\n" in out
    assert ("   ! contradicts a-drug-increases-behaviour (increases, +, score 0.5)\n"
            "   agrees with a-drug-decreases-behaviour\n"
            "   note: hops differ in species mouse (hop 1) vs rat (hop 2)\n") in out


def test_signed_text_output_explains_a_missing_sign(run, chain):
    out = run("--graph", chain.model.root, "path", "drug", "region", "--signed", "--relation", "any").stdout
    assert ("   net effect: none, because hop 2 (Receptor R expressed_in Region G) has no sign: "
            "expressed_in states no direction of effect\n") in out


def test_signed_json_adds_fields_to_every_path(run, example_dir):
    data = json.loads(run("--graph", example_dir, "path", "receptor-r", "disease-d", "--signed", "--json",
                          "--relation", "any").stdout)
    assert data["direct_effects"] == []
    for path in data["paths"]:
        assert set(path) >= {"net_sign", "net_effect", "sign_note", "contradicts", "agrees"}
        assert path["net_sign"] is None  # every path starts against antagonizes or increases_expression
        assert "is followed backwards" in path["sign_note"]


def test_without_signed_paths_have_no_sign_fields(run, example_dir):
    data = json.loads(run("--graph", example_dir, "path", "drug-x", "protein-p", "--json").stdout)
    assert "net_sign" not in data["paths"][0] and "direct_effects" not in data


def test_bundled_esketamine_decreases_depression_like_behaviour(run):
    result = run("path", "esketamine", "depression-like behaviour", "--signed", "--directed", "-k", "10", "--json",
                 "--relation", "any")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert any(d["sign"] == "-" for d in data["direct_effects"])
    signed_paths = [p for p in data["paths"] if p["net_sign"]]
    assert "Esketamine decreases Depression-like behaviour" in {p["net_effect"] for p in signed_paths}
    for path in signed_paths:  # a path whose net effect disagrees with a direct claim is flagged
        opposite = [d["assertion"] for d in data["direct_effects"] if d["sign"] != path["net_sign"]]
        own = {h["assertion"] for h in path["hops"]}
        assert path["contradicts"] == [a for a in opposite if a not in own]
    for path in data["paths"]:
        if any(h["direction"] == "reverse" or not h["sign"] for h in path["hops"]):
            assert path["net_sign"] is None and path["sign_note"]
