"""The shared cache (Redis) fails open, and the rate limits fail safe.

A cache only makes pages faster, so when Redis is down or slow a page must
still be served: ``FailOpenRedisCache`` answers every operation as a miss
(``get`` gives the default, writes do nothing and say so, ``incr`` raises
``ValueError`` as for a missing key) and logs the outage, at most once a
minute per process. Its sockets give up after ``CACHE_SOCKET_TIMEOUT``
(0.25 s), and after a failure it does not try Redis again for
``RETRY_SECONDS``, so a dead host costs one short wait per process every few
seconds, not one per cache call.

Rate limits must not fail open (everyone unlimited) nor shut (everyone
refused): ``FailSafeCache`` keeps the counters in the shared cache and,
while that is down, in this process's memory. Limits then hold per process
(with 3 gunicorn workers an address may get up to three times its
allowance) until Redis is back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import environ
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What a dead, unreachable or overloaded Redis raises (refused, reset, timed out).
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
# After a failure, calls are answered as misses without trying Redis for this long.
RETRY_SECONDS = 5.0
# While an outage lasts, it is logged at most this often (per process and server).
LOG_SECONDS = 60.0


def shared_cache_config(url: str, *, socket_timeout: float = 0.25) -> dict:
    """The CACHES entry for a CACHE_URL: a redis:// address gets the fail-open backend
    and short socket timeouts; any other URL is used as django-environ reads it."""
    config = environ.Env.cache_url_config(url)
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        config["BACKEND"] = f"{__name__}.FailOpenRedisCache"
        options = config.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", socket_timeout)
        options.setdefault("socket_timeout", socket_timeout)
    return config


class CacheUnavailable(Exception):
    """The shared cache could not be reached (or is resting after a failure)."""


class _Outage:
    """The state of one Redis location in this process, shared by its threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.retry_at = 0.0
        self.logged_at: float | None = None
        self.failures = 0

    def resting(self) -> bool:
        return time.monotonic() < self.retry_at

    def failed(self, location: str, error: BaseException) -> None:
        now = time.monotonic()
        with self.lock:
            self.retry_at = now + RETRY_SECONDS
            self.failures += 1
            if self.logged_at is not None and now - self.logged_at < LOG_SECONDS:
                return
            self.logged_at, failures, self.failures = now, self.failures, 0
        # The location names the server, never a password (see _safe_location).
        logger.error(
            "shared cache %s unreachable (%s: %s); serving without it (%d failed call(s) since the last report)",
            location,
            type(error).__name__,
            error,
            failures,
        )

    def succeeded(self, location: str) -> None:
        if self.logged_at is None:
            return
        with self.lock:
            if self.logged_at is None:
                return
            self.logged_at = None
            self.failures = 0
        logger.warning("shared cache %s reachable again", location)


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


def _safe_location(servers: list[str]) -> str:
    """The servers without any user or password a URL may carry."""
    return ",".join(server.rsplit("@", 1)[-1] for server in servers)


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache that answers as a miss while Redis cannot be reached."""

    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        self._location = _safe_location(self._servers)
        self._outage = _outage_for(self._location)

    @property
    def available(self) -> bool:
        """False while the cache rests after a failure."""
        return not self._outage.resting()

    def attempt(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Run one RedisCache operation; CacheUnavailable when Redis is out of reach."""
        if self._outage.resting():
            raise CacheUnavailable(self._location)
        operation: Callable = getattr(super(), name)
        try:
            result = operation(*args, **kwargs)
        except OUTAGE_ERRORS as error:
            self._outage.failed(self._location, error)
            raise CacheUnavailable(self._location) from error
        self._outage.succeeded(self._location)
        return result

    def _or(self, fallback: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return self.attempt(name, *args, **kwargs)
        except CacheUnavailable:
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, "add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._or(default, "get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._or(None, "set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, "touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._or(False, "delete", key, version)

    def get_many(self, keys, version=None):
        return self._or({}, "get_many", keys, version)

    def has_key(self, key, version=None):
        return self._or(False, "has_key", key, version)

    def incr(self, key, delta=1, version=None):
        try:
            return self.attempt("incr", key, delta, version)
        except CacheUnavailable:
            # What a missing key gives: every caller already handles it.
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(list(data), "set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        self._or(None, "delete_many", keys, version)

    def clear(self):
        return self._or(False, "clear")


class FailSafeCache(BaseCache):
    """Counters for rate limits: in the cache named by LOCATION (the shared one), and
    in this process's memory while that one cannot be reached.

    The memory copy starts empty at each outage and is dropped when the shared
    cache is back: limits stay in force, counted per process, never lifted.
    """

    def __init__(self, location: str, params: dict) -> None:
        super().__init__(params)
        self._primary_alias = location or "default"
        # One store per process (LocMemCache shares storage by name across threads).
        self._local = LocMemCache(
            f"failsafe-{self._primary_alias}", {"OPTIONS": {"MAX_ENTRIES": 50000}}
        )

    def _run(self, name: str, *args: Any) -> Any:
        primary = caches[self._primary_alias]
        if not isinstance(primary, FailOpenRedisCache):
            return getattr(primary, name)(*args)
        try:
            return primary.attempt(name, *args)
        except CacheUnavailable:
            return getattr(self._local, name)(*args)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._run("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._run("delete", key, version)

    def has_key(self, key, version=None):
        return self._run("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._run("incr", key, delta, version)

    def clear(self):
        # Only this process's counters: the shared cache is cleared under its own name.
        self._local.clear()
