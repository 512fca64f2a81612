"""Entity names resolve forgivingly; unknown and ambiguous names get clear errors."""

import json

import pytest

from mechgraph import AmbiguousEntity, EntityNotFound, MechGraph
from mechgraph.model.names import normalise


@pytest.mark.parametrize("spelling", ["TARP-γ8", "tarp gamma 8", "CACNG8", "Tarp-Gamma8", "跨膜AMPAR调节蛋白-γ8"])
def test_spellings_of_tarp_gamma8_reach_one_entity(spelling):
    assert MechGraph.load().resolve(spelling).id == "tarp-gamma8"


@pytest.mark.parametrize("spelling,entity", [("NR2B", "glun2b"), ("GRIN2B", "glun2b"), ("S-ketamine", "esketamine"),
                                             ("艾司氯胺酮", "esketamine"), ("μ-opioid receptor", "mu-opioid-receptor"),
                                             ("mu opioid receptor", "mu-opioid-receptor"), ("nmda receptor", "nmdar")])
def test_aliases_and_chinese_names(spelling, entity):
    assert MechGraph.load().resolve(spelling).id == entity


def test_greek_letters_are_spelled_out():
    assert normalise("IL-1β") == normalise("il 1 beta") == "il1beta"
    assert normalise("α-amino") == "alphaamino"


def test_unknown_name_suggests_close_ones(run, example_dir):
    result = run("--graph", example_dir, "show", "protein-q")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown entity 'protein-q'. Did you mean: ")
    assert "Protein P (protein-p)" in result.stderr
    assert "Traceback" not in result.output


def test_suggestions_are_at_most_five():
    with pytest.raises(EntityNotFound) as info:
        MechGraph.load().resolve("receptorz")
    assert 1 <= len(info.value.suggestions) <= 5


def test_ambiguous_prefix_lists_candidates(run):
    result = run("show", "GluN2")
    assert result.exit_code == 1
    assert "'GluN2' is ambiguous; it could be:" in result.stderr
    for name in ("GluN2A (glun2a)", "GluN2B (glun2b)", "GluN2D (glun2d)"):
        assert name in result.stderr


def test_unique_prefix_resolves():
    assert MechGraph.load().resolve("lateral haben").id == "lateral-habenula"


def test_ambiguous_error_carries_candidates():
    with pytest.raises(AmbiguousEntity) as info:
        MechGraph.load().resolve("GluN2")
    assert len(info.value.candidates) == 3


def test_search_json_shape(run):
    result = run("search", "tarp", "--json")
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == "tarp-gamma8"
    assert set(hits[0]) >= {"id", "name", "name_zh", "type", "score"}


def test_search_finds_chinese_names(run):
    hits = json.loads(run("search", "氯胺酮", "--json").stdout)
    ids = [h["id"] for h in hits]
    assert {"ketamine", "esketamine", "r-ketamine"} <= set(ids)
    assert ids[0] == "ketamine"


def test_search_without_match(run):
    result = run("search", "zzzzqqq")
    assert result.exit_code == 0
    assert result.stdout.strip() == "no match"


def test_fuzzy_search_scores_as_plain_difflib_does():
    """The cheap bounds that skip most names never drop a match difflib would score."""
    import random

    from name_scores import plain_scores

    index = MechGraph.load().names

    rnd = random.Random(7)
    keys = list(index.keys)
    for _ in range(150):
        letters = list(rnd.choice(keys))
        for _ in range(rnd.randint(1, 3)):
            spot = rnd.randrange(len(letters) + 1)
            if rnd.random() < 0.5 and spot < len(letters):
                letters[spot] = rnd.choice("aeioxγ7")
            else:
                letters.insert(spot, rnd.choice("aeioxγ7"))
        query = "".join(letters)
        found = {hit["id"]: hit["score"] for hit in index.search(query, limit=10_000)}
        assert found == plain_scores(index, query), query


def test_a_prefix_finishing_one_word_resolves_where_the_others_need_more_words(run):
    """`esketamin` is Esketamine, not 'Hypersensitivity to esketamine, ...' (which also
    begins with it only through its alias, and needs more words)."""
    result = run("show", "esketamin", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["entity"]["id"] == "esketamine"
    result = run("show", "nmda")
    assert result.exit_code == 1 and "'nmda' is ambiguous; it could be:" in result.stderr
    assert "NMDA receptor (nmdar)" in result.stderr


def test_suggestions_are_close_names_only(run):
    result = run("show", "burst firing")
    assert result.exit_code == 1
    assert result.stderr == "error: unknown entity 'burst firing'.\n"
    result = run("show", "esketamne")
    assert result.exit_code == 1 and "Did you mean: Esketamine (esketamine)" in result.stderr
