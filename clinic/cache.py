"""The cache backend: Django's Redis cache, failing open.

Nothing the cache holds is the record of anything: cached pages can be rendered again and
rate-limit counts can be skipped for a while. So when Redis is down or slow, every cache call
logs (once per outage, through the breaker) and answers as an empty cache would: ``get`` gives
the default, ``add`` and ``set`` store nothing, ``incr`` says the key is missing. The site keeps
working without a cache instead of answering 500.

While the breaker is open (``clinic.breaker``), calls do not even try to connect, so a dead
Redis costs a request microseconds rather than a connect timeout per call. The socket timeouts
in ``CACHES`` bound the one call per period that does try.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from clinic.breaker import cache_breaker

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)


class _Skipped(Exception):
    pass


class FailOpenRedisCache(RedisCache):
    def _guard(self, call, *args, **kwargs):
        """Run ``call``; raise ``_Skipped`` if Redis is (known to be) unavailable."""
        if not cache_breaker.allows():
            raise _Skipped
        try:
            result = call(*args, **kwargs)
        except OUTAGE_ERRORS as exc:
            cache_breaker.failed(exc)
            raise _Skipped from exc
        except RedisError as exc:  # a bad reply, say: not an outage, still not worth a 500
            logger.warning("Cache call failed: %s", exc)
            raise _Skipped from exc
        cache_breaker.succeeded()
        return result

    def add(self, *args, **kwargs):
        try:
            return self._guard(super().add, *args, **kwargs)
        except _Skipped:
            return False

    def get(self, key, default=None, version=None):
        try:
            return self._guard(super().get, key, default, version)
        except _Skipped:
            return default

    def set(self, *args, **kwargs):
        try:
            return self._guard(super().set, *args, **kwargs)
        except _Skipped:
            return False

    def touch(self, *args, **kwargs):
        try:
            return self._guard(super().touch, *args, **kwargs)
        except _Skipped:
            return False

    def delete(self, *args, **kwargs):
        try:
            return self._guard(super().delete, *args, **kwargs)
        except _Skipped:
            return False

    def get_many(self, *args, **kwargs):
        try:
            return self._guard(super().get_many, *args, **kwargs)
        except _Skipped:
            return {}

    def has_key(self, *args, **kwargs):
        try:
            return self._guard(super().has_key, *args, **kwargs)
        except _Skipped:
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return self._guard(super().incr, key, delta, version)
        except _Skipped:
            # What an empty cache says; callers (django-ratelimit, the page cache) handle it.
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from None

    def set_many(self, data, *args, **kwargs):
        try:
            return self._guard(super().set_many, data, *args, **kwargs)
        except _Skipped:
            return list(data)

    def delete_many(self, *args, **kwargs):
        try:
            return self._guard(super().delete_many, *args, **kwargs)
        except _Skipped:
            return None

    def clear(self):
        try:
            return self._guard(super().clear)
        except _Skipped:
            return False
