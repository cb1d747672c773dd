"""``/healthz/``: is this process able to reach its database and its cache?

For a load balancer or a monitor. The answer names the failing part and
nothing else: no exception text, no host names, no versions. The failure
itself goes to the log for the operator.
"""

from __future__ import annotations

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

OK, ERROR = "ok", "error"


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "not healthy"; the log has the details
        logger.exception("health check: database unreachable")
        return ERROR
    return OK


def _cache() -> str:
    key = f"healthz:{secrets.token_hex(8)}"
    try:
        cache.set(key, "1", timeout=5)
        found = cache.get(key)
        cache.delete(key)
    except Exception:  # any failure means "not healthy"; the log has the details
        logger.exception("health check: cache unreachable")
        return ERROR
    if found != "1":
        # A fail-open cache answers without raising but keeps nothing.
        logger.error("health check: cache does not keep values")
        return ERROR
    return OK


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    parts = {"database": _database(), "cache": _cache()}
    healthy = all(value == OK for value in parts.values())
    response = JsonResponse(
        {"status": OK if healthy else ERROR, **parts}, status=200 if healthy else 503
    )
    # A monitor must see this moment's state, never a proxy's copy.
    response["Cache-Control"] = "no-store"
    return response
