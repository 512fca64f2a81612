"""Public names of a folder, imported only when first used.

Each folder's ``__init__`` lists its public API (the names the command line and users
import) without importing the modules that define them, so that ``mechgraph path``
does not load the Cypher engine or the Bolt driver, and no folder's ``__init__`` can
take part in an import cycle (PEP 562 module ``__getattr__``).

>>> import mechgraph.reasoning as reasoning
>>> reasoning.chain_rank.__module__
'mechgraph.reasoning.chains'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(package: str, exports: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, whose public names are the keys of
    ``exports``, each defined in the sub-module named by its value (``"module"``, or
    ``"module:name"`` where the module calls it differently)."""

    def __getattr__(name: str) -> Any:
        where = exports.get(name)
        if where is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attribute = where.partition(":")
        value = getattr(importlib.import_module(f"{package}.{module}"), attribute or name)
        globals_of_package = importlib.import_module(package).__dict__
        globals_of_package[name] = value  # later look-ups skip __getattr__
        return value

    def __dir__() -> list[str]:
        return sorted(set(importlib.import_module(package).__dict__) | set(exports))

    return __getattr__, __dir__
