#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh machine (python3 and root are enough),
# then run the whole suite. Extra arguments go to pytest.
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh -k paths   # a subset
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's chromium drives the browser tests; install it when missing.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing chromium (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "chromium is missing and this is not root: browser tests will fail in CI" >&2
  fi
fi

quiet_pip() {  # drop the mirror's "location is ignored" noise, keep real errors
  .venv/bin/python -m pip "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}

echo "== setting up .venv"
python3 -m venv .venv
quiet_pip install -q --upgrade pip >/dev/null
quiet_pip install -q -e ".[test]"

echo "== installing Cytoscape.js and graphology-gexf for the export tests (npm ci in tests/js)"
(cd tests/js && npm ci --no-audit --no-fund --loglevel=error)

# The KGX validator has many dependencies of its own: it gets a separate environment, kept between runs.
export MECHGRAPH_KGX_PYTHON="${MECHGRAPH_KGX_PYTHON:-$HOME/.cache/mechgraph/kgx-venv/bin/python}"
if ! "$MECHGRAPH_KGX_PYTHON" -c "import kgx" 2>/dev/null; then
  echo "== installing the KGX validator into $(dirname "$(dirname "$MECHGRAPH_KGX_PYTHON")")"
  python3 -m venv "$(dirname "$(dirname "$MECHGRAPH_KGX_PYTHON")")"
  "$MECHGRAPH_KGX_PYTHON" -m pip install -q "kgx==2.6.0" "bmt==1.5.0" "biolink-model==4.4.6" \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
fi

# ndex2 (the Cytoscape/NDEx library that reads the CX2 export) brings pandas and numpy of its own:
# it gets a separate environment too.
export MECHGRAPH_NDEX2_PYTHON="${MECHGRAPH_NDEX2_PYTHON:-$HOME/.cache/mechgraph/ndex2-venv/bin/python}"
if ! "$MECHGRAPH_NDEX2_PYTHON" -c "import ndex2" 2>/dev/null; then
  echo "== installing ndex2 into $(dirname "$(dirname "$MECHGRAPH_NDEX2_PYTHON")")"
  python3 -m venv "$(dirname "$(dirname "$MECHGRAPH_NDEX2_PYTHON")")"
  "$MECHGRAPH_NDEX2_PYTHON" -m pip install -q "ndex2==3.12.0" \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
fi

echo "== running the test suite"
exec .venv/bin/python -m pytest "$@"
