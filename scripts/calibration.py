"""Write the calibration table of the bundled graph into docs/evidence.md (between its markers).

    python scripts/calibration.py          # rewrite the table
    python scripts/calibration.py --check  # exit 1 when the page's table is stale

The docs site writes the table afresh when it is built; the copy in the page is what the
repository shows.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mechgraph import MechGraph
from mechgraph.reasoning.calibration import calibration_markdown

PAGE = Path(__file__).resolve().parents[1] / "docs" / "evidence.md"
START, END = "<!-- calibration:start -->", "<!-- calibration:end -->"


def updated(text: str, table: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table}\n{END}{tail}"


def main() -> int:
    text = PAGE.read_text(encoding="utf-8")
    new = updated(text, calibration_markdown(MechGraph.load().model))
    if "--check" in sys.argv[1:]:
        if new != text:
            print("docs/evidence.md: the calibration table is stale; run python scripts/calibration.py",
                  file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
