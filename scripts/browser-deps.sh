#!/bin/sh
# The browser the end-to-end tests drive: Debian's Chromium (Playwright cannot
# download its own build here). Installed with apt-get when we are root;
# otherwise named, and we stop.
set -e
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium for the browser tests ..."
    apt-get update -qq
    # fonts-thai-tlwg: Thai glyphs in screenshots (pages name no web font of their own).
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-thai-tlwg >/dev/null
else
    echo "Missing: Chromium, for the browser tests."
    echo "Install it: sudo apt-get install chromium"
    exit 1
fi
