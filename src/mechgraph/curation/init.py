"""Start a graph directory from source texts: ``mechgraph init``.

The new directory holds ``sources.yaml`` (one source of kind ``seed`` per text, its
title taken from the text's first paragraph) and ``sources/`` (the texts, copied
unchanged, so that locators keep pointing at the same sentences). Every substantive
sentence is then still to curate: :func:`init_graph` returns the coverage report that
lists them with their locators (:mod:`mechgraph.curation.seeds`).

>>> import pathlib, tempfile
>>> text = pathlib.Path(tempfile.mkdtemp()) / "review.txt"
>>> _ = text.write_text("A review\\n\\nKetamine blocks NMDA receptors. It acts fast.\\n")
>>> report = init_graph(text.parent / "graph", [text])
>>> [u.locator for u in report.seeds[0].uncited]
['p2.s1', 'p2.s2']
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from ..atomic import atomic_path
from .coverage import CoverageReport, check_coverage
from ..errors import MechgraphError
from .seeds import Seed, is_english

#: the folder of the new graph that holds the copied texts
TEXTS = "sources"

_HEADER = """\
# Started by `mechgraph init`: one seed source per text in sources/.
# Next: entities, findings (source, locator such as p3.s2, role) and assertions,
# in files beside this one. See docs/curating.md; `mechgraph --graph DIR coverage
# --sources DIR/sources` lists the sentences still to curate.
"""


def source_id(path: Path) -> str:
    """The id of a text's source: ``seed-`` and the file name in kebab case.

    >>> source_id(Path("Smith 2024 Review.txt"))
    'seed-smith-2024-review'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return f"seed-{slug or 'text'}"


def source_record(path: Path, seed: Seed) -> dict:
    """The ``sources`` record of one text: id, kind seed, file and its title."""
    title = seed.paragraphs[0].text if seed.paragraphs else ""
    record = {"id": source_id(path), "kind": "seed", "file": path.name}
    if title:
        record["title" if is_english(title) else "title_zh"] = title
    return record


def _read(path: Path) -> Seed:
    if not path.is_file():
        raise MechgraphError(f"source text not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise MechgraphError(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise MechgraphError(f"cannot read {path}: {exc.strerror or exc}") from None
    seed = Seed.from_text(path.name, text)
    if not seed.sentences(substantive_only=True):
        raise MechgraphError(f"{path} has no sentence to curate (no paragraph of running text)")
    return seed


def init_graph(directory: str | Path, texts: list[str | Path]) -> CoverageReport:
    """Write a new graph directory for ``texts`` and return its coverage report.

    The directory holds ``sources.yaml`` (one seed source per text) and a copy of each
    text in its ``sources`` folder; every substantive sentence is uncited. It must not
    exist or be empty; it appears whole or not at all.

    Parameters
    ----------
    directory : str or Path
        The new graph directory.
    texts : list of str or Path
        The seed texts.

    Returns
    -------
    CoverageReport
        As :func:`~mechgraph.curation.coverage.check_coverage` gives it.

    Raises
    ------
    MechgraphError
        For a missing, unreadable or empty text, two texts of the same name, or a
        directory that already holds files.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mechgraph.curation import init_graph
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     report = init_graph(Path(tmp) / "new-graph", ["tests/data/example-seeds/toy.txt"])
    ...     sorted(p.name for p in (Path(tmp) / "new-graph").iterdir())
    ['sources', 'sources.yaml']
    >>> report.seeds[0].sentences, report.seeds[0].cited
    (6, 0)
    """
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise MechgraphError(f"{directory} already exists and is not an empty directory; "
                             f"init starts a new graph")
    paths = [Path(t) for t in texts]
    if not paths:
        raise MechgraphError("give at least one source text (--source FILE)")
    seen: dict[str, Path] = {}
    for path in paths:
        key = source_id(path)
        if key in seen:
            raise MechgraphError(f"{seen[key]} and {path} would be the same source {key!r}; rename one")
        seen[key] = path
    records = [source_record(path, _read(path)) for path in paths]
    text = _HEADER + yaml.safe_dump({"sources": records}, allow_unicode=True, sort_keys=False, width=100)
    with atomic_path(directory, directory=True) as tmp:
        (tmp / "sources.yaml").write_text(text, encoding="utf-8")
        (tmp / TEXTS).mkdir()
        for path in paths:
            shutil.copyfile(path, tmp / TEXTS / path.name)
    from .yaml_reader import load_model
    return check_coverage(load_model(directory), directory / TEXTS)
