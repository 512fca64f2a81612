"""Every Biolink term mechgraph writes exists in the Biolink Model schema of the
`biolink-model` package (categories, predicates, qualifier values, KGX slots)."""

from __future__ import annotations

import importlib.resources
import re

import pytest
import yaml

from conftest import IN_CI
from mechgraph import MechGraph
from mechgraph.model.constants import ENTITY_TYPES, PREDICATES
from mechgraph.io import biolink as bl
from mechgraph.io.kgx import EDGE_COLUMNS, NODE_COLUMNS, edge_rows, node_rows


@pytest.fixture(scope="module")
def schema() -> dict:
    try:
        text = (importlib.resources.files("biolink_model") / "schema" / "biolink_model.yaml").read_text("utf-8")
    except ModuleNotFoundError:
        if IN_CI:
            pytest.fail("the biolink-model package is not installed (it is in the test extras)")
        pytest.skip("the biolink-model package is not installed")
    return yaml.safe_load(text)


def class_name(curie: str) -> str:
    """biolink:SmallMolecule -> 'small molecule' (the schema's key)."""
    assert curie.startswith("biolink:"), curie
    return re.sub(r"(?<!^)(?=[A-Z])", " ", curie.split(":", 1)[1]).lower()


def slot_name(curie: str) -> str:
    """biolink:has_metabolite -> 'has metabolite'."""
    assert curie.startswith("biolink:"), curie
    return curie.split(":", 1)[1].replace("_", " ")


def ancestors(slots: dict, name: str) -> list[str]:
    chain = []
    while name:
        chain.append(name)
        name = (slots.get(name) or {}).get("is_a")
    return chain


def test_the_schema_is_the_one_expected(schema):
    assert schema["name"] == "Biolink-Model"
    assert schema["version"].split(".")[0] == "4"


@pytest.mark.parametrize("entity_type", sorted(ENTITY_TYPES))
def test_every_category_is_a_live_biolink_class(schema, entity_type):
    name = class_name(ENTITY_TYPES[entity_type])
    assert name in schema["classes"], f"{entity_type}: {ENTITY_TYPES[entity_type]} is not a Biolink class"
    definition = schema["classes"][name] or {}
    assert not definition.get("deprecated"), f"{ENTITY_TYPES[entity_type]} is deprecated"
    assert not definition.get("abstract") and not definition.get("mixin")
    # a category is a named thing
    chain, current = [], name
    while current:
        chain.append(current)
        current = (schema["classes"].get(current) or {}).get("is_a")
    assert "named thing" in chain, chain


@pytest.mark.parametrize("predicate", sorted(PREDICATES))
def test_every_predicate_is_a_live_biolink_predicate(schema, predicate):
    slots = schema["slots"]
    name = slot_name(PREDICATES[predicate].biolink)
    assert name in slots, f"{predicate}: {PREDICATES[predicate].biolink} is not a Biolink slot"
    definition = slots[name] or {}
    assert not definition.get("deprecated"), f"{PREDICATES[predicate].biolink} is deprecated"
    assert not definition.get("abstract")
    assert ancestors(slots, name)[-1] == "related to", f"{name} is not a predicate (related to ...)"


def test_reverse_category_table_names_live_classes(schema):
    for category, entity_type in bl.TYPE_OF_CATEGORY.items():
        assert class_name(category) in schema["classes"], category
        assert entity_type in ENTITY_TYPES


def test_effect_qualifiers_use_the_schema_enums(schema):
    enums = schema["enums"]
    aspects = enums["GeneOrGeneProductOrChemicalEntityAspectEnum"]["permissible_values"]
    directions = enums["DirectionQualifierEnum"]["permissible_values"]
    for predicate, (aspect, direction) in bl.EFFECT_QUALIFIERS.items():
        assert PREDICATES[predicate].biolink == "biolink:affects"
        assert aspect in aspects, aspect
        assert direction in directions, direction
    for category in bl.ASPECT_CATEGORIES:
        assert class_name(category) in schema["classes"]


def test_species_map_to_taxa(schema):
    from mechgraph.model.constants import SPECIES
    assert set(bl.TAXA) == set(SPECIES)
    assert all(re.fullmatch(r"NCBITaxon:\d+", t) for t in bl.TAXA.values())
    assert "NCBITaxon" in schema["classes"]["organism taxon"]["id_prefixes"]


def test_kgx_columns_are_biolink_slots_or_ours(schema):
    slots = schema["slots"]
    for column in NODE_COLUMNS + EDGE_COLUMNS:
        if column in ("name_zh", "description_zh") or column.startswith("mechgraph_"):
            continue
        assert column.replace("_", " ") in slots, f"KGX column {column!r} is not a Biolink slot"


def test_the_bundled_graph_kgx_export_uses_only_schema_terms(schema):
    """Every category, predicate and enum value in the export of the bundled graph exists."""
    graph = MechGraph.load()
    enums = schema["enums"]
    for row in node_rows(graph):
        for category in row["category"]:
            assert class_name(category) in schema["classes"], category
    knowledge_levels = enums["KnowledgeLevelEnum"]["permissible_values"]
    agents = enums["AgentTypeEnum"]["permissible_values"]
    rows = list(edge_rows(graph))
    assert rows
    for row in rows:
        assert slot_name(row["predicate"]) in schema["slots"], row["predicate"]
        assert row["knowledge_level"] in knowledge_levels
        assert row["agent_type"] in agents
        if row.get("qualified_predicate"):
            assert slot_name(row["qualified_predicate"]) in schema["slots"]
    assert any(row["negated"] == "True" for row in rows), "refuting evidence is written as negated edges"
