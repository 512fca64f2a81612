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
from collections.abc import Callable, Iterable, Iterator
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


def _kind_of(types: Iterable[set[type]], listed: bool) -> str:
    """The neo4j-admin type of one property, from the Python types of its values (a list's
    items' types) and whether any value is a list: string, long, double, boolean or an array."""
    kinds = {"boolean" if issubclass(t, bool) else "long" if issubclass(t, int)
             else "double" if issubclass(t, float) else "string" for seen in types for t in seen}
    kind = "double" if kinds == {"long", "double"} else kinds.pop() if len(kinds) == 1 else "string"
    return kind + "[]" if listed else kind


def _cell(value, kind: str, owner: str) -> str:
    if value is None:
        return ""
    if type(value) is str and kind == "string":  # most cells
        if ARRAY_DELIMITER in value:
            raise MechgraphError(f"{owner}: a value contains U+001F, the array delimiter of the Neo4j CSV export")
        return value
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        text = ("true" if item else "false") if isinstance(item, bool) else \
            repr(float(item)) if kind.startswith("double") else str(item)
        if ARRAY_DELIMITER in text:
            raise MechgraphError(f"{owner}: a value contains U+001F, the array delimiter of the Neo4j CSV export")
        out.append(text)
    return ARRAY_DELIMITER.join(out)


def _header(key: str, kind: str) -> str:
    return key if kind == "string" else f"{key}:{kind}"


def _names() -> list[str]:
    """The files, in the order they are written (nodes first)."""
    from ..backends.propertygraph import LINK_TYPES
    return [*NODE_FILES.values(), ASSERTIONS_FILE, *(_link_file(t) for t in LINK_TYPES)]


def _link_file(rel_type: str) -> str:
    return f"relationships-{rel_type.lower().replace('_', '-')}.csv"


def _files(spilled) -> Iterator[tuple[str, list[str], Iterator[list[str]]]]:
    """``(file name, header, rows)`` of each file, the rows made as they are written, from the
    graph's projection spilled with ``columns`` (:class:`~mechgraph.backends.spill.SpilledGraph`)."""
    from ..backends.propertygraph import LINK_TYPES, PREDICATE_OF_TYPE
    for kind, name in NODE_FILES.items():
        yield name, *_table(spilled.nodes_labelled(kind), ["id:ID", ":LABEL"],
                            lambda n: [n.id, ARRAY_DELIMITER.join(n.labels)])
    files = [(ASSERTIONS_FILE, spilled.relationships_typed(PREDICATE_OF_TYPE))]
    files += [(_link_file(t), spilled.relationships_typed([t])) for t in LINK_TYPES]
    for name, groups in files:
        yield name, *_table(groups, [":START_ID", ":END_ID", ":TYPE", "id"], lambda r: [r.start, r.end, r.type, r.id])


def _table(groups: list, head: list[str], first: Callable[[Any], list[str]]) -> tuple[list[str], Iterator[list[str]]]:
    """The header and rows of one file holding the items of ``groups``: ``head`` and
    ``first(item)`` come before the property columns."""
    from ..backends.spill import columns as columns_of, merged
    columns = [(key, _kind_of(types, listed)) for key, types, listed in columns_of(groups)]
    rows = (first(item) + [_cell(item.properties.get(k), t, item.id) for k, t in columns] for item in merged(groups))
    return head + [_header(k, t) for k, t in columns], rows


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
    earlier export there); return the files. The graph's projection is spilled to a scratch
    directory beside it first (:mod:`mechgraph.backends.spill`), so memory does not grow with
    the graph."""
    from ..backends.spill import spilled
    directory = Path(directory)
    names = _names()
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
    with spilled(graph, directory, columns=True) as on_disk, atomic_path(directory, directory=True) as tmp:
        for name, header, rows in _files(on_disk):
            with open(tmp / name, "w", encoding="utf-8", newline="") as handle:
                out = csv.writer(handle, lineterminator="\n")
                out.writerow(header)
                out.writerows(rows)
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
