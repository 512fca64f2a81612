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


# -- bounded input: what YAML could do to a reader -----------------------------------------------

BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
entities: [*i]
"""


@pytest.mark.parametrize("command", [("validate",), ("stats",)])
def test_an_alias_bomb_is_refused_at_once(run, tmp_path, command):
    """A 1 KB file whose aliases would expand to a billion values: one error, in well under a second."""
    import time
    write(tmp_path, BILLION_LAUGHS)
    start = time.monotonic()
    args = ("validate", tmp_path) if command == ("validate",) else ("--graph", tmp_path, "stats")
    result = run(*args)
    assert result.exit_code == 1 and time.monotonic() - start < 5
    limit = 1_000_000 + 10 * len(BILLION_LAUGHS)
    assert (f"g.yaml:6: malformed YAML: aliases expand this file past {limit:,} characters (at *e); "
            "write the values out instead") in result.stderr
    assert len(result.stderr) < 400


def test_modest_aliases_are_read_as_their_values(run, tmp_path):
    write(tmp_path, SEED + """
entities:
  - id: drug-a
    type: Drug
    name: Drug A
    name_zh: &zh 药物A
    description: *zh
  - &b {id: drug-b, type: Drug, name: Drug B, name_zh: 药物B}
""")
    result = run("--graph", tmp_path, "show", "drug-a", "--json")
    assert result.exit_code == 0, result.stderr
    assert '"description": "药物A"' in result.stdout


def test_an_alias_inside_what_it_names_is_refused(run, tmp_path):
    write(tmp_path, "entities: &x [1, *x]\n")
    assert "g.yaml:1: malformed YAML: alias *x inside the collection it names (a recursive structure)" in \
        errors_of(run, tmp_path)


@pytest.mark.parametrize("key", ["[a, b]", "{a: 1}"])
def test_a_list_or_mapping_as_a_key_is_an_error(run, tmp_path, key):
    write(tmp_path, "entities:" + GOOD_ENTITY + f"    ? {key}\n    : 1\n")
    out = errors_of(run, tmp_path)
    assert out.startswith("g.yaml:6: malformed YAML: a mapping key must be a plain value, not a list or mapping\n")
    result = run("--graph", tmp_path, "stats")
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_nesting_is_bounded(run, tmp_path):
    write(tmp_path, "entities: " + "[" * 65 + "]" * 65 + "\n")
    assert "g.yaml:1: malformed YAML: lists and mappings nested more than 64 deep" in errors_of(run, tmp_path)
    write(tmp_path, "entities: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert "g.yaml:1: malformed YAML: " in errors_of(run, tmp_path)


@pytest.mark.parametrize("value, message", [
    ("9" * 5000, "a whole number of 5,000 characters is too long to read"),
    ("!!timestamp 2020-99", "cannot read '2020-99' as 'timestamp' (AttributeError)"),
    ("!!bool maybe", "cannot read 'maybe' as 'bool' (KeyError)"),
    ("!!float lots", "cannot read 'lots' as 'float' (ValueError)"),
    ("!!int 0x", "cannot read '0x' as 'int' (ValueError)"),
])
def test_a_value_no_constructor_can_read_is_an_error_at_its_line(run, tmp_path, value, message):
    write(tmp_path, SEED.replace("file: s.txt", f"file: s.txt\n    year: {value}"))
    assert f"g.yaml:6: malformed YAML: {message}" in errors_of(run, tmp_path)


def test_python_tags_are_refused(run, tmp_path):
    write(tmp_path, "entities: !!python/object/apply:os.system ['touch pwned']\n")
    assert "malformed YAML: could not determine a constructor" in errors_of(run, tmp_path)
    assert not (tmp_path / "pwned").exists()


def test_huge_values_are_quoted_short(run, tmp_path):
    write(tmp_path, "entities:" + GOOD_ENTITY.replace("type: Drug", "type: " + "Pill" * 100_000)
          + GOOD_ENTITY.replace("drug-a", "drug-b").replace("Drug A", "Drug B").replace("药物A", "药物B")
          + "    aliases: {" + ", ".join(f"k{i}: [[[[x]]]]" for i in range(1000)) + "}\n")
    out = errors_of(run, tmp_path)
    assert "unknown entity type 'PillPillPill" in out and "P...llPill" in out and out.count("Pill") < 40
    assert "field 'aliases' must be a list, not {'k0': [[[...]]], 'k1': [[[...]]]," in out
    assert "__line" not in out
    assert max(len(line) for line in out.splitlines()) < 300


def test_a_file_over_the_size_limit_is_refused(run, tmp_path, monkeypatch):
    from mechgraph.curation import yaml_reader as curation
    monkeypatch.setattr(curation, "MAX_FILE_BYTES", 100)
    write(tmp_path, "entities:" + GOOD_ENTITY * 3)
    size = (tmp_path / "g.yaml").stat().st_size
    assert f"g.yaml: the file has {size} bytes; a graph file may have 100 at most (split it)" in \
        errors_of(run, tmp_path)


@pytest.mark.parametrize("link", ["dangling", "loop"])
def test_a_broken_yaml_link_is_an_error_not_a_crash(run, tmp_path, link):
    write(tmp_path, "entities:" + GOOD_ENTITY)
    target = "nowhere.yaml" if link == "dangling" else "broken.yaml"
    (tmp_path / "broken.yaml").symlink_to(target)
    message = "broken.yaml: a symbolic link that leads to no file (dangling, or a loop)"
    assert message in errors_of(run, tmp_path)
    result = run("--graph", tmp_path, "stats")
    assert result.exit_code == 1 and result.stderr.startswith(f"error: {message}\n")
