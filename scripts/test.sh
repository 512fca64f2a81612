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

echo "== running the test suite"
exec .venv/bin/python -m pytest "$@"
