"""Settings for ``bench/oit.py``: the production settings, pointed at a bench database.

The environment is set before the portal's settings are read, so the
production branch (DEBUG off, manifest static files, no debug cursor) is
the one measured; only what a plain-HTTP test box needs differs.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-oit-not-a-secret-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ["DATABASE_URL"] = os.environ["BENCH_OIT_DATABASE_URL"]

from ita_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.oit_urls"
DEBUG = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
