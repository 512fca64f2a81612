"""Every public function and class carries a docstring with an example (``>>>``), which
the suite runs as a doctest (``--doctest-modules``).

The public API is ``mechgraph.__all__``, the ``EXPORTS`` of each folder's ``__init__``,
and the functions and classes defined in ``mechgraph.html`` and ``mechgraph.figures``.
"""

from __future__ import annotations

import importlib
import inspect

import mechgraph

#: folders whose public names are the keys of their EXPORTS
EXPORTING = ["model", "curation", "store", "reasoning", "backends", "io", "cypher", "diff", "serve"]
#: folders whose public names are the functions and classes their __init__ defines
DEFINING = ["html", "figures"]


def public_api() -> dict[str, object]:
    """Qualified name -> object of every public function and class."""
    found: dict[str, object] = {f"mechgraph.{name}": getattr(mechgraph, name) for name in mechgraph.__all__}
    for folder in EXPORTING:
        module = importlib.import_module(f"mechgraph.{folder}")
        names = getattr(module, "EXPORTS", None) or module.__all__
        found.update({f"{module.__name__}.{name}": getattr(module, name) for name in names})
    for folder in DEFINING:
        module = importlib.import_module(f"mechgraph.{folder}")
        found.update({f"{module.__name__}.{name}": value for name, value in vars(module).items()
                      if not name.startswith("_") and (inspect.isfunction(value) or inspect.isclass(value))
                      and value.__module__ == module.__name__})
    return {name: value for name, value in found.items() if inspect.isfunction(value) or inspect.isclass(value)}


def test_the_public_api_is_found():
    api = public_api()
    assert "mechgraph.MechGraph" in api and "mechgraph.reasoning.find_conflicts" in api
    assert "mechgraph.html.build_map" in api and "mechgraph.figures.path_figure" in api
    assert len(api) >= 90


def test_every_public_function_and_class_has_an_example():
    missing = sorted(name for name, value in public_api().items() if ">>>" not in (inspect.getdoc(value) or ""))
    assert not missing, (f"{len(missing)} public function(s) or class(es) have no example (>>>) in their "
                         f"docstring:\n  " + "\n  ".join(missing))
