"""CSV files for ``neo4j-admin database import``, and a reader for them.

The files hold the projection of :mod:`mechgraph.backends.propertygraph`, the same nodes and
relationships that ``mechgraph load`` writes: one node file per kind (Entity, Finding,
Source, Quantity) and one relationship file for the assertions plus one per link type.
Headers carry neo4j-admin's types (``:ID``, ``:LABEL``, ``:START_ID``, ``:END_ID``,
``:TYPE``, ``year:long``, ``score:double``, ``aliases:string[]``); an empty field means
"no property". Numbers are declared 64-bit (``long``, ``double``): neo4j-admin's ``int`` and
``float`` are 32-bit and would round scores. Array elements and labels are separated by U+001F (the unit separator),
which no mechgraph value may contain. ``import.sh`` holds the import command::

    id:ID,:LABEL,type,category,name,name_zh,aliases:string[],xrefs:string[],description,...
    drug-x,Mechgraph\\x1fEntity\\x1fDrug,Drug,biolink:Drug,Drug X,药物X,DX\\x1fX-101,,,

    :START_ID,:END_ID,:TYPE,id,predicate,sign,level,score:double,species:string[],...
    drug-x,receptor-r,ANTAGONIZES,a-x-antagonizes-r,antagonizes,-,animal_in_vivo,0.5,mouse,...

:func:`read_neo4j_csv` parses the files by the same rules, so a test can check that the
files hold the whole graph.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..atomic import atomic_path
from ..errors import MechgraphError

#: separates array elements and labels inside one field (``--array-delimiter=U+001F``)
ARRAY_DELIMITER = "\x1f"
#: node files: kind label -> file name
NODE_FILES = {"Source": "nodes-sources.csv", "Entity": "nodes-entities.csv", "Finding": "nodes-findings.csv",
              "Quantity": "nodes-quantities.csv"}
ASSERTIONS_FILE = "relationships-assertions.csv"
SCRIPT = "import.sh"


def _type_of(values: list) -> str:
    """The neo4j-admin type of one property's values: string, long, double, boolean or an array."""
    kinds = set()
    for value in values:
        items = value if isinstance(value, list) else [value]
        for item in items:
            kinds.add("boolean" if isinstance(item, bool) else "long" if isinstance(item, int)
                      else "double" if isinstance(item, float) else "string")
    kind = "double" if kinds == {"long", "double"} else kinds.pop() if len(kinds) == 1 else "string"
    return kind + "[]" if any(isinstance(v, list) for v in values) else kind


def _cell(value, kind: str, owner: str) -> str:
    if value is None:
        return ""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        text = ("true" if item else "false") if isinstance(item, bool) else \
            repr(float(item)) if kind.startswith("double") else str(item)
        if ARRAY_DELIMITER in text:
            raise MechgraphError(f"{owner}: a value contains U+001F, the array delimiter of the Neo4j CSV export")
        out.append(text)
    return ARRAY_DELIMITER.join(out)


def _columns(items) -> list[tuple[str, str]]:
    keys: list[str] = []
    for item in items:
        for key in item.properties:
            if key != "id" and key not in keys:
                keys.append(key)
    return [(key, _type_of([i.properties[key] for i in items if key in i.properties])) for key in keys]


def _header(key: str, kind: str) -> str:
    return key if kind == "string" else f"{key}:{kind}"


def _files(pg) -> dict[str, list[list[str]]]:
    """File name -> rows (header first)."""
    from ..backends.propertygraph import LINK_TYPES, PREDICATE_OF_TYPE
    files: dict[str, list[list[str]]] = {}
    for kind, name in NODE_FILES.items():
        nodes = [n for n in pg.nodes if kind in n.labels]
        columns = _columns(nodes)
        rows = [["id:ID", ":LABEL"] + [_header(k, t) for k, t in columns]]
        for n in nodes:
            rows.append([n.id, ARRAY_DELIMITER.join(n.labels)]
                        + [_cell(n.properties.get(k), t, n.id) for k, t in columns])
        files[name] = rows
    groups = [(ASSERTIONS_FILE, [r for r in pg.relationships if r.type in PREDICATE_OF_TYPE])]
    groups += [(f"relationships-{t.lower().replace('_', '-')}.csv", [r for r in pg.relationships if r.type == t])
               for t in LINK_TYPES]
    for name, rels in groups:
        columns = _columns(rels)
        rows = [[":START_ID", ":END_ID", ":TYPE", "id"] + [_header(k, t) for k, t in columns]]
        for r in rels:
            rows.append([r.start, r.end, r.type, r.id] + [_cell(r.properties.get(k), t, r.id) for k, t in columns])
        files[name] = rows
    return files


def import_command(names: list[str], database: str = "neo4j") -> str:
    """The neo4j-admin command that imports the files (run from their directory). The
    database comes first: ``--nodes`` and ``--relationships`` take any number of files and
    would swallow a name after them."""
    nodes = " ".join(f"--nodes={n}" for n in names if n.startswith("nodes-"))
    rels = " ".join(f"--relationships={n}" for n in names if n.startswith("relationships-"))
    return (f"neo4j-admin database import full {database} --overwrite-destination --array-delimiter=U+001F "
            f"--multiline-fields=true {nodes} {rels}")


def write_neo4j_csv(graph, directory: str | Path) -> list[Path]:
    """Write the CSV files and ``import.sh`` into ``directory`` (atomically, replacing an
    earlier export there); return the files."""
    from ..backends.propertygraph import project
    directory = Path(directory)
    files = _files(project(graph))
    names = list(files)
    if directory.is_dir():
        others = sorted(p.name for p in directory.iterdir() if p.name not in names + [SCRIPT])
        if others:
            raise MechgraphError(f"cannot write {directory}: it holds files that are not part of this export "
                                 f"({', '.join(others[:3])}); choose a new or empty directory")
    script = "\n".join([
        "#!/bin/sh",
        "# Import the mechgraph CSV files into an empty Neo4j database (stop the database first;",
        "# this replaces its contents). Run from this directory; DATABASE defaults to neo4j.",
        "set -e",
        'cd "$(dirname "$0")"',
        import_command(names, '"${1:-neo4j}"'),
        "# Then, with the database started, index the ids as `mechgraph load` does:",
        "#   CREATE CONSTRAINT mechgraph_id IF NOT EXISTS FOR (n:Mechgraph) REQUIRE n.id IS UNIQUE;",
        ""])
    with atomic_path(directory, directory=True) as tmp:
        for name, rows in files.items():
            with open(tmp / name, "w", encoding="utf-8", newline="") as handle:
                csv.writer(handle, lineterminator="\n").writerows(rows)
            os.chmod(tmp / name, 0o644)
        (tmp / SCRIPT).write_text(script, encoding="utf-8", newline="\n")
        os.chmod(tmp / SCRIPT, 0o755)
        os.chmod(tmp, 0o755)
    return [directory / name for name in names] + [directory / SCRIPT]


# -- reading ------------------------------------------------------------------------------

def _parse(text: str, kind: str):
    if text == "":
        return None
    array = kind.endswith("[]")
    base = kind[:-2] if array else kind
    converters: dict[str, Callable[[str], object]] = {
        "int": int, "long": int, "float": float, "double": float, "boolean": lambda s: s == "true", "string": str}
    convert = converters[base]
    return [convert(t) for t in text.split(ARRAY_DELIMITER)] if array else convert(text)


def read_neo4j_csv(directory: str | Path):
    """Read the files back as a PropertyGraph, by neo4j-admin's rules for these headers."""
    from ..backends.propertygraph import Node, PropertyGraph, Relationship
    directory = Path(directory)
    nodes, rels = [], []
    for path in sorted(directory.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        fields = [(h.split(":", 1)[0], h.split(":", 1)[1] if ":" in h else "string") for h in header]
        for row in body:
            props: dict[str, Any] = {}
            labels: tuple[str, ...] = ()
            start, end, rel_type, node_id = None, None, None, None
            for (key, kind), text in zip(fields, row, strict=False):
                if kind == "ID":
                    node_id = props["id"] = text
                elif kind == "LABEL":
                    labels = tuple(text.split(ARRAY_DELIMITER))
                elif kind == "START_ID":
                    start = text
                elif kind == "END_ID":
                    end = text
                elif kind == "TYPE":
                    rel_type = text
                else:
                    value = _parse(text, kind)
                    if value is not None:
                        props[key] = value
            if node_id is not None:
                nodes.append(Node(node_id, labels, props))
            else:
                # a row without an ID is a relationship file's: its header has all three
                assert rel_type is not None and start is not None and end is not None, path
                rels.append(Relationship(props["id"], rel_type, start, end, props))
    return PropertyGraph(nodes, rels)
