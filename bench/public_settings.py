"""Settings for ``bench/public.py``: the portal's own settings, in one of two configurations.

``BENCH_CONFIG=production``: the environment a production server has is set
before the portal's settings are read (DEBUG off, manifest static files,
PostgreSQL with ``CONN_MAX_AGE``, ``CACHE_URL`` Redis), so the production
branch is the one measured; only what a plain-HTTP test box needs differs.

``BENCH_CONFIG=make-run``: nothing is set, as with ``make run`` (DEBUG on,
SQLite with its connection kept, the cache in process memory); only
the database file is the bench's.

Both add the minimal view (``bench/public_urls.py``) and a static folder
holding a file the size of the report's PDF, the two baselines.
"""

from __future__ import annotations

import os

if os.environ["BENCH_CONFIG"] == "production":
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-public-not-a-secret-" + "x" * 40)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
else:
    for name in ("DJANGO_DEBUG", "CACHE_URL", "DJANGO_CONN_MAX_AGE"):
        os.environ.pop(name, None)
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]

from ita_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.public_urls"
STATICFILES_DIRS = [*STATICFILES_DIRS, os.environ["BENCH_STATIC_DIR"]]  # noqa: F405
if not DEBUG:  # noqa: F405
    SECURE_HSTS_SECONDS = 0
