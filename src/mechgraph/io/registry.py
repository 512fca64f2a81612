"""The export formats: name -> writer, imported only when used.

A writer is ``write(graph: MechGraph, path: Path) -> list[Path]``: it writes the
format at ``path`` (a file, or a directory for multi-file formats) atomically and
returns the files written. ``EXPORT_ALL`` names where ``export --all`` puts each
format inside ``exports/``.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from collections.abc import Callable
from typing import Literal, overload

#: format name -> "module:function" of its writer
WRITERS: dict[str, str] = {
    "graphml": "mechgraph.io.graphml:write_graphml",
    "gexf": "mechgraph.io.gexf:write_gexf",
    "json": "mechgraph.io.nodelink:write_nodelink",
    "cytoscape": "mechgraph.io.cytoscape:write_cytoscape",
    "cx2": "mechgraph.io.cx2:write_cx2",
    "kgx": "mechgraph.io.kgx:write_kgx",
    "cypher": "mechgraph.io.cypher_script:write_cypher_script",
    "neo4j-csv": "mechgraph.io.neo4j_csv:write_neo4j_csv",
    "html": "mechgraph.html:write_html",
}

#: format name -> path inside exports/ used by ``export --all``
EXPORT_ALL: dict[str, str] = {
    "graphml": "mechgraph.graphml",
    "gexf": "mechgraph.gexf",
    "json": "mechgraph.json",
    "cytoscape": "mechgraph.cytoscape.json",
    "cx2": "mechgraph.cx2",
    "kgx": "kgx",
    "cypher": "mechgraph.cypher",
    "neo4j-csv": "neo4j",
    "html": "mechgraph.html",
}


def available_formats() -> list[str]:
    """Formats whose writer module is installed.

    Returns
    -------
    list of str
        Names from ``WRITERS``, in its order.

    Examples
    --------
    >>> from mechgraph.io import available_formats
    >>> "graphml" in available_formats() and "kgx" in available_formats()
    True
    """
    return [name for name in WRITERS if writer(name, required=False) is not None]


@overload
def writer(name: str, required: Literal[True] = ...) -> Callable: ...
@overload
def writer(name: str, required: bool) -> Callable | None: ...


def writer(name: str, required: bool = True) -> Callable | None:
    """The writer function of a format."""
    module_name, attr = WRITERS[name].split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name and not required:
            return None
        raise
    return getattr(module, attr)


def export_path(root: Path, name: str) -> Path:
    return root / EXPORT_ALL[name]
