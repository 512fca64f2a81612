#!/usr/bin/env bash
# Install mechgraph into .venv and run the main job on the bundled esketamine graph:
# the ranked mechanism paths from the NMDA receptor to BDNF, and the interactive map,
# written to mechgraph.html at the top of the checkout (as the README says).
set -euo pipefail
cd "$(dirname "$0")/.."
quiet_pip() {  # drop the package mirror's "location is ignored" noise, keep real errors
  .venv/bin/python -m pip "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}
echo "== creating the environment .venv (python3 -m venv)"
python3 -m venv .venv
echo "== updating pip in .venv"
quiet_pip install -q --upgrade pip >/dev/null
echo "== installing mechgraph with its map extra (pip install '.[html]'; a minute or two the first time)"
quiet_pip install -q ".[html]"
echo "== mechgraph path NMDAR BDNF: how NMDA receptor blockade reaches BDNF, with the evidence for each step"
.venv/bin/mechgraph path NMDAR BDNF
if .venv/bin/mechgraph render --help >/dev/null 2>&1; then
  echo "== mechgraph render -o mechgraph.html: the interactive map"
  .venv/bin/mechgraph render -o mechgraph.html
  echo "wrote $(pwd)/mechgraph.html (open it in a browser; it works offline)"
fi
echo "== done: the command is .venv/bin/mechgraph (or run '. .venv/bin/activate' first); try .venv/bin/mechgraph --help"
