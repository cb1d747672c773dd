#!/bin/sh
# System packages a fresh Debian machine may lack:
#   gettext (msgfmt)         compiles the Thai translation;
#   pango 1.44+ (with libthai) WeasyPrint's text layout, Thai line breaking;
#   poppler-utils (pdftotext, pdfinfo) the tests read the PDFs' text layer with.
# Installed with apt-get when we are root; otherwise named, and we stop.
set -e
missing=""
command -v msgfmt >/dev/null 2>&1 || missing="$missing gettext"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib 'libpango-1.0.so.0' || missing="$missing libpango-1.0-0"
have_lib 'libpangoft2-1.0.so.0' || missing="$missing libpangoft2-1.0-0"
have_lib 'libthai.so.0' || missing="$missing libthai0"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages:$missing ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
    echo "Missing system packages:$missing"
    echo "Install them: sudo apt-get install$missing"
    exit 1
fi
