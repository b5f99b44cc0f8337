"""Client-side rate limiting.

Siigo counts requests per company in a one-minute window (100 in production, 10 for a test
company) and answers 429 past it.  A token bucket would let a burst and a steady refill add up
to more than the limit inside one window, so the limiter here is a sliding window.

The server counts a request when it *arrives*, which is some time after the client decided to
send it: the thread may wait for a connection, the GIL or the network.  A limiter that counts
only the moment it let a request go can therefore be beaten by that delay (two requests let go
just over one window apart can arrive inside one window).  So a request sent through
:meth:`RateLimiter.slot` holds its place from the moment it is let go until ``period`` seconds
after its answer came back: whenever it reached the server, it did so before the answer, so no
window of the server's can hold more than ``limit`` of them, however long the trip took.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Protocol, runtime_checkable

from ._checks import configuration_error, seconds_setting
from ._refusals import refusal

__all__ = ["Limiter", "RateLimiter"]


@runtime_checkable
class Limiter(Protocol):
    """What the transport needs of a rate limiter: :class:`RateLimiter` in one process, or a
    shared one (:class:`siigo.RedisRateLimiter`, :class:`siigo.SqliteRateLimiter`).

    A limiter may also have ``slot()`` (a context manager holding the request's place until its
    answer has arrived, as :class:`RateLimiter` does) or ``finished()`` (told, on the thread that
    acquired, when the answer has arrived); the transport uses the first it finds."""

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

    ``RateLimiter(100)`` allows 100 requests per 60 s.  ``with limiter.slot():`` blocks until a
    request may start and keeps its place until ``period`` seconds after the block ends (what
    the client uses); ``acquire()`` blocks the same way, returns the seconds it waited and counts
    the request from that moment.
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
            raise configuration_error(refusal("config.rate_limit", value=repr(limit)))
        period = seconds_setting("the rate limit period", period)
        margin = seconds_setting("the rate limit margin", margin, zero=True)
        self.limit = limit
        self.period = period
        self._window = period + margin
        self._clock = clock
        self._sleep = sleep
        # Times from which finished requests count down their window, oldest first.
        self._starts: deque[float] = deque()
        # Requests let go whose answer has not come back yet: they hold their place.
        self._in_flight = 0
        self._lock = threading.Lock()
        self._released = threading.Condition(self._lock)

    def __repr__(self) -> str:
        return f"RateLimiter(limit={self.limit}, period={self.period})"

    def _forget_old(self, now: float) -> None:
        """Drop the starts whose window has passed (called holding the lock)."""
        while self._starts and now - self._starts[0] >= self._window:
            self._starts.popleft()

    def _take(self, *, in_flight: bool) -> float:
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                self._forget_old(now)
                if len(self._starts) + self._in_flight < self.limit:
                    if in_flight:
                        self._in_flight += 1
                    else:
                        self._starts.append(now)
                    return waited
                if not self._starts:
                    # Every place is held by a request still on the wire: wait for an answer.
                    began = time.monotonic()
                    self._released.wait(timeout=self._window)
                    waited += time.monotonic() - began
                    continue
                delay = self._window - (now - self._starts[0])
            delay = max(delay, 0.001)
            self._sleep(delay)
            waited += delay

    def acquire(self) -> float:
        """Wait until a request may start, count it from now, and return the seconds waited."""
        return self._take(in_flight=False)

    @contextlib.contextmanager
    def slot(self) -> Iterator[float]:
        """Wait until a request may start (the seconds waited are yielded); the place is held
        while the block runs and for ``period`` seconds after it ends."""
        waited = self._take(in_flight=True)
        with self._held():
            yield waited

    def try_slot(self) -> contextlib.AbstractContextManager[float] | None:
        """A place for a request that may start right now, else ``None`` without waiting and
        without counting anything (what a page read ahead asks for).  Unlike :meth:`slot`, the
        place is taken by this call: the result must be entered (``with``), which gives it back
        when the block ends; it yields ``0.0``."""
        with self._lock:
            now = self._clock()
            self._forget_old(now)
            if len(self._starts) + self._in_flight >= self.limit:
                return None
            self._in_flight += 1
        return self._hold()

    @contextlib.contextmanager
    def _hold(self) -> Iterator[float]:
        with self._held():
            yield 0.0

    @contextlib.contextmanager
    def _held(self) -> Iterator[None]:
        """Give back a place taken as in flight when the block ends (its window starts then)."""
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1
                self._starts.append(self._clock())
                self._released.notify_all()

    def backoff(self, seconds: float) -> None:
        """Hold every caller for ``seconds`` (after the server answered 429)."""
        if not math.isfinite(seconds) or seconds <= 0:
            return
        with self._lock:
            now = self._clock()
            # Fill the window so that nothing starts before ``now + seconds``.
            horizon = now + seconds - self._window
            held = [max(t, horizon) for t in self._starts]
            free = max(self.limit - len(held) - self._in_flight, 0)
            self._starts = deque([horizon] * free + held)
