"""A circuit breaker for Redis, so that a dead Redis costs a request almost nothing.

The first call that fails (connection refused, a timeout) opens the breaker for
``REDIS_BREAKER_SECONDS``. While it is open, callers skip Redis at once instead of waiting for
another connect timeout; after that, the next call tries again (half-open) and either closes the
breaker or opens it for another period. One breaker per use: the cache (page cache, rate-limit
counts) and the Celery broker's publish, since they may live on different servers.

State is per process, which is what is wanted: each gunicorn worker finds out on its own, at
the cost of one failed call per period.
"""

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)


class CircuitBreaker:
    def __init__(self, name: str) -> None:
        self.name = name
        self._open_until = 0.0
        self._lock = threading.Lock()

    def allows(self) -> bool:
        """Whether a call may go to the service now (closed, or the open period is over)."""
        return time.monotonic() >= self._open_until

    def failed(self, exc: BaseException | None = None) -> None:
        """Record a failed call: open the breaker for ``REDIS_BREAKER_SECONDS``."""
        seconds = settings.REDIS_BREAKER_SECONDS
        with self._lock:
            was_closed = self._open_until == 0.0
            self._open_until = time.monotonic() + seconds
        if was_closed:
            logger.warning(
                "%s unavailable (%s); skipping it for %ss at a time until it answers",
                self.name,
                exc,
                seconds,
            )

    def succeeded(self) -> None:
        if self._open_until:
            with self._lock:
                self._open_until = 0.0
            logger.warning("%s answers again", self.name)

    def reset(self) -> None:
        with self._lock:
            self._open_until = 0.0


cache_breaker = CircuitBreaker("Redis (cache)")
broker_breaker = CircuitBreaker("Redis (Celery broker)")
