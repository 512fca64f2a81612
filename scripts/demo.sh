#!/usr/bin/env bash
# Install mechgraph into .venv and run the main job on the bundled esketamine graph:
# the ranked mechanism paths from the NMDA receptor to BDNF, and the interactive map.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q ".[html]"
.venv/bin/mechgraph path NMDAR BDNF
if .venv/bin/mechgraph render --help >/dev/null 2>&1; then
  .venv/bin/mechgraph render -o mechgraph.html
  echo "wrote mechgraph.html (open it in a browser; it works offline)"
fi
