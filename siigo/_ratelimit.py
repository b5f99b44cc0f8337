"""Client-side rate limiting.

Siigo counts requests per company in a one-minute window (100 in production, 10 for a test
company) and answers 429 past it.  A token bucket would let a burst and a steady refill add up
to more than the limit inside one window, so the limiter here is a sliding window: at most
``limit`` requests are *started* in any ``period`` seconds.  A small margin absorbs the time a
request spends on the wire, so the server, which counts arrivals, never sees more.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from ._checks import seconds_setting
from .errors import ConfigurationError

__all__ = ["Limiter", "RateLimiter"]


@runtime_checkable
class Limiter(Protocol):
    """What the transport needs of a rate limiter: :class:`RateLimiter` in one process, or a
    shared one (:class:`siigo.RedisRateLimiter`, :class:`siigo.SqliteRateLimiter`)."""

    limit: int
    period: float

    def acquire(self) -> float:
        """Block until a request may start; return the seconds waited."""
        ...

    def backoff(self, seconds: float) -> None:
        """Start nothing for ``seconds`` (after the server answered 429)."""
        ...


class RateLimiter:
    """Sliding-window limiter, safe to share between threads and between clients.

    ``RateLimiter(100)`` allows 100 requests per 60 s.  ``acquire()`` blocks until a request
    may start and returns the seconds it waited.
    """

    def __init__(
        self,
        limit: int,
        period: float = 60.0,
        *,
        margin: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ConfigurationError(
                f"rate_limit must be a whole number of requests per minute, at least 1 (100 for a "
                f"production company, 10 for a test company), or None to switch it off; got {limit!r}"
            )
        period = seconds_setting("the rate limit period", period)
        margin = seconds_setting("the rate limit margin", margin, zero=True)
        self.limit = limit
        self.period = period
        self._window = period + margin
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RateLimiter(limit={self.limit}, period={self.period})"

    def acquire(self) -> float:
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                while self._starts and now - self._starts[0] >= self._window:
                    self._starts.popleft()
                if len(self._starts) < self.limit:
                    self._starts.append(now)
                    return waited
                delay = self._window - (now - self._starts[0])
            delay = max(delay, 0.001)
            self._sleep(delay)
            waited += delay

    def backoff(self, seconds: float) -> None:
        """Hold every caller for ``seconds`` (after the server answered 429)."""
        if not math.isfinite(seconds) or seconds <= 0:
            return
        with self._lock:
            now = self._clock()
            # Fill the window so that nothing starts before ``now + seconds``.
            horizon = now + seconds - self._window
            held = [max(t, horizon) for t in self._starts]
            self._starts = deque([horizon] * max(self.limit - len(held), 0) + held)
