"""Seed texts split into paragraphs and sentences that locators can name."""

import pytest

from mechgraph.errors import LocatorError
from mechgraph.curation.seeds import Locator, Seed, numbers_in, split_sentences, strip_markup


def test_page_break_inside_a_sentence_is_joined(seeds_dir):
    seed = Seed.from_file(seeds_dir / "002_b9926e06aecdbb3d.txt")
    texts = [s.text for s in seed.sentences(substantive_only=True)]
    joined = [t for t in texts if "吸入途径多种方式给药" in t]
    assert len(joined) == 1
    assert not any(t.endswith("吸入途") for t in texts)


def test_headings_footers_and_references_are_not_substantive(seeds_dir):
    seed = Seed.from_file(seeds_dir / "000_75bee5783c4f767b.txt")
    texts = [s.text for s in seed.sentences(substantive_only=True)]
    assert not any(t.startswith("3.1") for t in texts)
    assert not any("版权" in t for t in texts)
    seed2 = Seed.from_file(seeds_dir / "002_b9926e06aecdbb3d.txt")
    assert not any("JAKOBSEN" in s.text for s in seed2.sentences(substantive_only=True))
    kinds = {p.kind for p in seed2.paragraphs}
    assert {"title", "heading", "body", "reference"} <= kinds


def test_sections_follow_headings(seeds_dir):
    seed = Seed.from_file(seeds_dir / "000_75bee5783c4f767b.txt")
    tarp = next(s for s in seed.sentences(True) if "TARP-γ8" in s.text)
    assert tarp.section == "3.1"
    seed2 = Seed.from_file(seeds_dir / "002_b9926e06aecdbb3d.txt")
    cyp = next(s for s in seed2.sentences(True) if "CYP2B6" in s.text)
    assert cyp.section == "一(二)"


def test_split_sentences_keeps_closing_quotes():
    assert split_sentences("他说“好。”然后走了。") == ["他说“好。”", "然后走了。"]


def test_locator_parse_and_resolve():
    seed = Seed.from_text("t.txt", "标题\n\n一。二。三。\n")
    assert [s.text for s in seed.resolve("p2.s2-3")] == ["二。", "三。"]
    assert str(Locator.parse("p2.s2-3")) == "p2.s2-3"
    with pytest.raises(LocatorError, match="has 3 sentence"):
        seed.resolve("p2.s4")
    with pytest.raises(LocatorError, match="no paragraph 9"):
        seed.resolve("p9.s1")
    with pytest.raises(LocatorError, match="malformed locator"):
        Locator.parse("paragraph 2")


def test_numbers_see_through_markup():
    text = "半衰期 ($t_{1/2}$) 约为120分钟^[6]；($p<0.001$)"
    assert strip_markup(text) == "半衰期 (t1/2) 约为120分钟；(p<0.001)"
    assert numbers_in(text) == {"2", "120", "0.001"}  # t1/2: the 1 is part of a name
    assert "6" not in numbers_in(text)


def test_numbers_ignore_names_and_read_chinese_numerals():
    assert numbers_in("GluN2B、mTORC1、rs1799971、CA1") == set()
    assert numbers_in("亲合力约为氯胺酮的三倍", chinese=True) == {"3"}
    assert numbers_in("0.10~0.5 mg/kg") == {"0.1", "0.5"}
