"""mechgraph init, and sentence splitting and locators for English sources."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import DATA, EXAMPLE_SEEDS
from mechgraph.curation.seeds import Seed, is_english, split_sentences

TUTORIAL_TEXT = DATA / "tutorial" / "ketamine-plain-words.txt"


def test_init_writes_a_source_per_text_and_lists_every_sentence_to_curate(tmp_path, run):
    target = tmp_path / "g"
    result = run("init", target, "--source", TUTORIAL_TEXT, "--source", EXAMPLE_SEEDS / "toy.txt")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((target / "sources.yaml").read_text(encoding="utf-8"))
    assert data["sources"] == [
        {"id": "seed-ketamine-plain-words", "kind": "seed", "file": "ketamine-plain-words.txt",
         "title": "Tutorial text for mechgraph, not a real source: how ketamine may act fast against depression, "
                  "in plain words"},
        {"id": "seed-toy", "kind": "seed", "file": "toy.txt", "title_zh": "玩具机制综述"},
    ]
    assert (target / "sources" / "toy.txt").read_bytes() == (EXAMPLE_SEEDS / "toy.txt").read_bytes()
    lines = result.stdout.splitlines()
    assert lines[0] == "ketamine-plain-words.txt (seed-ketamine-plain-words): 0/11 substantive sentences cited (0.0%)"
    assert "    p4.s1     §1        Ketamine is a racemic mixture of two enantiomers, esketamine and arketamine." in lines
    assert "    p10.s1    §3        Because ketamine raises blood pressure, blood pressure should be monitored " \
           "for 2 hours after each dose." in lines
    assert "toy.txt (seed-toy): 0/6 substantive sentences cited (0.0%)" in lines
    assert lines[-1] == "total: 0/17 (0.0%)"
    assert result.stderr == (f"wrote {target}: 2 source(s), 17 sentence(s) to curate; next: mechgraph --graph "
                             f"{target} coverage --sources {target / 'sources'}\n")
    assert run("validate", target).exit_code == 0
    again = run("--graph", target, "coverage", "--sources", target / "sources", "--list")
    assert again.stdout == result.stdout


def test_init_json(tmp_path, run):
    result = run("init", tmp_path / "g", "--source", TUTORIAL_TEXT, "--json")
    data = json.loads(result.stdout)
    assert data["directory"] == str(tmp_path / "g")
    [seed] = data["coverage"]["seeds"]
    assert [u["locator"] for u in seed["uncited"]] == [
        "p4.s1", "p4.s2", "p6.s1", "p6.s2", "p6.s3", "p6.s4", "p7.s1", "p7.s2", "p7.s3", "p8.s1", "p10.s1"]


def test_init_into_an_empty_directory(tmp_path, run):
    (tmp_path / "g").mkdir()
    assert run("init", tmp_path / "g", "--source", TUTORIAL_TEXT).exit_code == 0
    assert (tmp_path / "g" / "sources.yaml").is_file()


def _nothing_written(tmp_path):
    return [p.name for p in tmp_path.iterdir() if p.name != "in"] == []


@pytest.mark.parametrize("setup, message", [
    (lambda d: (d / "g").mkdir() or (d / "g" / "x.yaml").write_text("{}"), "{d}/g already exists and is not an "
                                                                           "empty directory; init starts a new graph"),
    (lambda d: None, "source text not found: {d}/in/missing.txt"),
    (lambda d: (d / "in" / "missing.txt").write_bytes(b"\xff\xfe bad"), "{d}/in/missing.txt is not UTF-8 text"),
    (lambda d: (d / "in" / "missing.txt").write_text("Only a title\n"),
     "{d}/in/missing.txt has no sentence to curate (no paragraph of running text)"),
])
def test_bad_input_is_one_error_line_and_writes_nothing(tmp_path, run, setup, message):
    (tmp_path / "in").mkdir()
    setup(tmp_path)
    result = run("init", tmp_path / "g", "--source", TUTORIAL_TEXT, "--source", tmp_path / "in" / "missing.txt")
    assert result.exit_code == 1
    assert result.stderr == f"error: {message.format(d=tmp_path)}\n"
    assert not (tmp_path / "g" / "sources.yaml").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name not in ("in", "g")] == []


def test_two_texts_of_one_name(tmp_path, run):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "ketamine-plain-words.txt").write_text("T\n\nOne sentence.\n")
    result = run("init", tmp_path / "g", "--source", TUTORIAL_TEXT, "--source",
                 tmp_path / "a" / "ketamine-plain-words.txt")
    assert result.exit_code == 1
    assert result.stderr == (f"error: {TUTORIAL_TEXT} and {tmp_path}/a/ketamine-plain-words.txt would be the same "
                             f"source 'seed-ketamine-plain-words'; rename one\n")
    assert not (tmp_path / "g").exists()


def test_source_is_required(tmp_path, run):
    result = run("init", tmp_path / "g")
    assert result.exit_code == 2 and "Missing option '--source'" in result.stderr


# -- English sentences -------------------------------------------------------------------------
def test_language_is_detected_per_text():
    assert is_english(TUTORIAL_TEXT.read_text(encoding="utf-8"))
    assert not is_english((EXAMPLE_SEEDS / "toy.txt").read_text(encoding="utf-8"))
    assert not is_english("氯胺酮（ketamine）是NMDA受体拮抗剂，见Li et al.的研究。")


@pytest.mark.parametrize("text, sentences", [
    ("Ketamine acts fast. It lasts a week.", ["Ketamine acts fast.", "It lasts a week."]),
    ("Doses of 0.5 mg/kg were used. Mice improved.", ["Doses of 0.5 mg/kg were used.", "Mice improved."]),
    ("Li et al. reported it. Wang et al. Did not.", ["Li et al. reported it.", "Wang et al. Did not."]),
    ("Some drugs (e.g. Ketamine) act fast. See Fig. 2 and Refs. 3-4 for more.",
     ["Some drugs (e.g. Ketamine) act fast.", "See Fig. 2 and Refs. 3-4 for more."]),
    ("It was given i.p. and BDNF rose. Rats too.", ["It was given i.p. and BDNF rose.", "Rats too."]),
    ('He said "it works." Then he left! Did it? 24 h later, yes.',
     ['He said "it works."', "Then he left!", "Did it?", "24 h later, yes."]),
    ("BDNF rose (p < 0.05). (A second study disagreed.) The end",
     ["BDNF rose (p < 0.05).", "(A second study disagreed.)", "The end"]),
    ("Version 1.2.3 of the scale vs. version 2 was used.", ["Version 1.2.3 of the scale vs. version 2 was used."]),
])
def test_english_sentences(text, sentences):
    assert split_sentences(text, english=True) == sentences


def test_chinese_splitting_is_unchanged_by_the_english_rules():
    assert split_sentences("他说“好。”然后走了。Li et al. Then.") == ["他说“好。”", "然后走了。", "Li et al. Then."]


def test_english_paragraphs_headings_and_locators():
    text = ("A review title\n\nAuthors: A. Smith, B. Jones\n\n1. Introduction\n\nKetamine blocks NMDA receptors,\n"
            "which raises glutamate. Mice improved\n\nwithin a day (Fig. 1).\n\nMechanism\n\nBDNF rose. TrkB was "
            "needed.\n\nReferences\n\n1. Li X. A study. J Psych. 2020.\n")
    seed = Seed.from_text("r.txt", text)
    kinds = [(p.number, p.kind, p.section) for p in seed.paragraphs]
    assert kinds == [(1, "title", ""), (2, "front", ""), (3, "heading", "1"), (4, "body", "1"),
                     (5, "heading", "Mechanism"), (6, "body", "Mechanism"), (7, "heading", "References"),
                     (8, "reference", "References")]
    assert [s.text for s in seed.paragraphs[3].sentences] == [
        "Ketamine blocks NMDA receptors, which raises glutamate.", "Mice improved within a day (Fig. 1)."]
    assert seed.sentence("p6.s2").text == "TrkB was needed."
    assert seed.sentence("p8.s1").text == "1. Li X. A study. J Psych. 2020."
    assert [s.locator for s in seed.sentences(substantive_only=True)] == ["p4.s1", "p4.s2", "p6.s1", "p6.s2"]
