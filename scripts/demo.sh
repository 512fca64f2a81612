#!/usr/bin/env bash
# Install mechgraph into .venv and run the main job on the bundled esketamine graph:
# the ranked mechanism paths from the NMDA receptor to BDNF, and the interactive map.
set -euo pipefail
cd "$(dirname "$0")/.."
quiet_pip() {  # drop the package mirror's "location is ignored" noise, keep real errors
  .venv/bin/python -m pip "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}
python3 -m venv .venv
quiet_pip install -q --upgrade pip >/dev/null
quiet_pip install -q ".[html]"
.venv/bin/mechgraph path NMDAR BDNF
if .venv/bin/mechgraph render --help >/dev/null 2>&1; then
  .venv/bin/mechgraph render -o mechgraph.html
  echo "wrote mechgraph.html (open it in a browser; it works offline)"
fi
