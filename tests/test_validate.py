"""`mechgraph validate`: every curation error class, reported with file and line."""

import textwrap

import pytest

GOOD_ENTITY = """
  - id: drug-a
    type: Drug
    name: Drug A
    name_zh: 药物A
"""
SEED = """
sources:
  - id: s
    kind: seed
    file: s.txt
"""


def write(tmp_path, text, name="g.yaml"):
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def errors_of(run, directory):
    result = run("validate", directory)
    assert result.exit_code == 1
    return result.stderr


def test_clean_graph_passes(run, example_dir):
    result = run("validate", example_dir)
    assert result.exit_code == 0
    assert "ok (7 entities, 6 assertions, 7 findings, 1 sources)" in result.stdout


def test_malformed_yaml(run, tmp_path):
    write(tmp_path, "entities:\n  - id: a\n    name: [unclosed\n")
    assert "g.yaml:4: malformed YAML" in errors_of(run, tmp_path)


def test_unknown_entity_type_with_suggestion(run, tmp_path):
    write(tmp_path, "entities:" + GOOD_ENTITY.replace("type: Drug", "type: Receptr"))
    assert "g.yaml:3: unknown entity type 'Receptr' (did you mean 'Receptor' or 'ReceptorSubunit'?)" in errors_of(run, tmp_path)


def test_unknown_predicate(run, tmp_path):
    write(tmp_path, SEED + "entities:" + GOOD_ENTITY + """
findings:
  - {id: f1, source: s, locator: p1.s1, study_type: review, direction: supports, statement: x, statement_zh: x}
assertions:
  - id: a1
    subject: drug-a
    predicate: blocks
    object: drug-a
    supporting: [f1]
""")
    assert "g.yaml:17: unknown predicate 'blocks'" in errors_of(run, tmp_path)


def test_missing_required_field(run, tmp_path):
    write(tmp_path, "entities:" + GOOD_ENTITY.replace("    name_zh: 药物A\n", ""))
    assert "g.yaml:2: entity 'drug-a' is missing required field 'name_zh'" in errors_of(run, tmp_path)


def test_unknown_field_is_reported(run, tmp_path):
    write(tmp_path, "entities:" + GOOD_ENTITY + "    synonyms: [x]\n")
    assert "g.yaml:6: unknown field 'synonyms' in entity" in errors_of(run, tmp_path)


def test_dangling_reference(run, tmp_path):
    write(tmp_path, SEED + "entities:" + GOOD_ENTITY + """
findings:
  - {id: f1, source: s, locator: p1.s1, study_type: review, direction: supports, statement: x, statement_zh: x}
assertions:
  - {id: a1, subject: drug-a, predicate: binds, object: drug-b, supporting: [f1, f9]}
""")
    out = errors_of(run, tmp_path)
    assert "g.yaml:15: assertion 'a1' object refers to unknown entity 'drug-b' (did you mean 'drug-a'?)" in out
    assert "g.yaml:15: assertion 'a1' lists unknown finding 'f9'" in out


def test_duplicate_id_across_files(run, tmp_path):
    write(tmp_path, "entities:" + GOOD_ENTITY, "a.yaml")
    write(tmp_path, "entities:" + GOOD_ENTITY.replace("name: Drug A", "name: Other").replace("药物A", "别的"),
          "b.yaml")
    assert "b.yaml:2: duplicate id 'drug-a' (first defined at a.yaml:2)" in errors_of(run, tmp_path)


def test_alias_collision(run, tmp_path):
    write(tmp_path, "entities:" + GOOD_ENTITY + """
  - id: drug-b
    type: Drug
    name: Drug B
    name_zh: 药物B
    aliases: [drug a]
""")
    assert "g.yaml:7: name or alias 'drug a' of entity 'drug-b' collides with entity 'drug-a'" in \
        errors_of(run, tmp_path)


def test_assertion_without_evidence(run, tmp_path):
    write(tmp_path, "entities:" + GOOD_ENTITY + """
assertions:
  - {id: a1, subject: drug-a, predicate: binds, object: drug-a}
""")
    assert "g.yaml:8: assertion 'a1' has no evidence" in errors_of(run, tmp_path)


def test_direction_must_match_list(run, tmp_path):
    write(tmp_path, SEED + "entities:" + GOOD_ENTITY + """
findings:
  - {id: f1, source: s, locator: p1.s1, study_type: rct, direction: refutes, statement: x, statement_zh: x}
assertions:
  - {id: a1, subject: drug-a, predicate: treats, object: drug-a, supporting: [f1]}
""")
    assert "lists finding 'f1' as supporting, but the finding's direction is 'refutes'" in errors_of(run, tmp_path)


def test_bad_locator_and_vocabularies(run, tmp_path):
    write(tmp_path, SEED + "entities:" + GOOD_ENTITY + """
findings:
  - id: f1
    source: s
    locator: paragraph 3
    study_type: mouse study
    species: [mice]
    direction: supports
    statement: x
    statement_zh: x
    about: [drug-a]
""")
    out = errors_of(run, tmp_path)
    assert "g.yaml:15: finding 'f1': malformed locator 'paragraph 3'" in out
    assert "g.yaml:16: unknown study type 'mouse study'" in out
    assert "g.yaml:17: unknown species 'mice'" in out


def test_all_problems_reported_in_one_run(run, tmp_path):
    write(tmp_path, "entities:" + GOOD_ENTITY.replace("type: Drug", "type: Pill"), "a.yaml")
    write(tmp_path, "entities: [oops\n", "b.yaml")
    out = errors_of(run, tmp_path)
    assert "a.yaml:3: unknown entity type 'Pill'" in out
    assert "b.yaml" in out and "malformed YAML" in out
    assert "2 problem(s)" in out


def test_validate_json(run, tmp_path):
    import json
    write(tmp_path, "entities:" + GOOD_ENTITY.replace("type: Drug", "type: Pill"))
    result = run("validate", tmp_path, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["valid"] is False
    assert data["errors"][0]["file"] == "g.yaml" and data["errors"][0]["line"] == 3


def test_commands_refuse_an_invalid_graph_without_traceback(run, tmp_path):
    write(tmp_path, "entities:" + GOOD_ENTITY.replace("type: Drug", "type: Pill"))
    result = run("--graph", tmp_path, "stats")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "unknown entity type 'Pill'" in result.stderr


@pytest.mark.parametrize("missing", ["nowhere"])
def test_missing_directory(run, tmp_path, missing):
    result = run("validate", tmp_path / missing)
    assert result.exit_code == 1
    assert "not a graph directory" in result.stderr
