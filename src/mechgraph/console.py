"""The ``mechgraph`` console script (and ``python -m mechgraph``): the command line of
:mod:`mechgraph.cli`, run with the collector set for a short-lived command.

Only this entry point touches the collector; importing :mod:`mechgraph` changes nothing.
"""

from __future__ import annotations

#: objects allocated between two collections of the youngest generation while a command runs
#: (Python's default is 700)
COLLECT_AFTER = 10_000


def main() -> None:
    """Console-script entry point.

    The youngest generation is collected every ``COLLECT_AFTER`` allocations instead of
    every 700 from before the first import: importing the command line and the library
    made some 25 collections (about 4 ms of every start) over objects that live as long
    as the process. Once imported, those modules are frozen (``gc.freeze``: no collection
    walks them again). A command decodes records that hold no reference cycles (reference
    counting frees them), and every one of them used to be walked once or twice by the
    collector; collections still happen, only less often.
    """
    import gc
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(COLLECT_AFTER, middle, oldest)
    from .cli import cli
    gc.freeze()
    cli(prog_name="mechgraph")
