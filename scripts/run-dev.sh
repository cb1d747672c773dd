#!/bin/sh
# `make run`: the task queue's worker in the background (it renders the PDFs),
# runserver in the foreground; stopping runserver (Ctrl-C) stops the worker too.
# Usage: scripts/run-dev.sh <python> <address>
set -eu
PY="$1"
ADDRESS="$2"

"$PY" manage.py db_worker --no-reload &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true' EXIT INT TERM

# Not exec: the shell stays to stop the worker when runserver ends.
"$PY" manage.py runserver "$ADDRESS"
