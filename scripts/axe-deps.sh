#!/bin/sh
# axe-core, the accessibility engine the browser tests run in each page
# (tests/e2e/axe.py), from the npm registry at the version package-lock.json
# pins, into node_modules/. Skipped when that install is already current.
set -e
cd "$(dirname "$0")/.."
stamp=node_modules/.package-lock.json
if [ -f node_modules/axe-core/axe.min.js ] && [ -f "$stamp" ] && [ ! package-lock.json -nt "$stamp" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing npm, for axe-core (the browser tests' accessibility checks) ..."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
    else
        echo "Missing: npm, which installs axe-core for the browser tests' accessibility checks."
        echo "Install it: sudo apt-get install npm   (then run: make axe-deps)"
        exit 1
    fi
fi
echo "Installing axe-core (package-lock.json) into node_modules ..."
npm ci --no-audit --no-fund --loglevel=error
