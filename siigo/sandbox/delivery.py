"""Webhook delivery of the sandbox: a background worker that POSTs events to receivers.

The API call that causes an event only queues it (under the state lock, in microseconds); one
worker thread per sandbox delivers in due order, so a slow or failing receiver never blocks an
API call.  A delivery succeeds on any 2xx answer; anything else (another status, a refused
connection, no answer within ``timeout``) is retried after ``backoff`` seconds, doubling up to
``max_backoff``, until ``max_attempts`` attempts were made, then it is ``failed``.  Every
attempt is logged (time, status, latency, error).

Only loopback receivers are contacted (``127.0.0.1``, ``::1``, ``localhost``); a delivery to
any other host is logged as ``skipped``, so the sandbox never reaches the internet.  Redirects
are not followed.

Faults (:class:`WebhookFault`) make deliveries behave like real webhooks can: ``duplicate``
delivers an event twice, ``reorder`` holds an event back until the next one was delivered (or
``delay`` seconds passed), ``delay`` delivers it ``delay`` seconds late.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import datetime as _dt
import heapq
import http.client
import itertools
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal
from urllib.parse import urlsplit

from .._config import is_loopback
from .._version import __version__
from .state import real_number

__all__ = ["DeliveryPolicy", "WebhookDispatcher", "WebhookFault"]

_USER_AGENT = f"SiigoSandbox-Webhooks/{__version__}"
_MAX_LOG = 5000


def _positive(value: Any, what: str, allowed: str) -> float:
    return real_number(value, what, allowed, lambda s: 0 < s <= 3600)


@dataclass
class DeliveryPolicy:
    """How the sandbox delivers (Siigo documents no retry policy, ❓)."""

    max_attempts: int = 5
    backoff: float = 0.25
    max_backoff: float = 4.0
    timeout: float = 5.0

    FIELDS: ClassVar[tuple[str, ...]] = ("max_attempts", "backoff", "max_backoff", "timeout")

    def __post_init__(self) -> None:
        if isinstance(self.max_attempts, bool) or not isinstance(self.max_attempts, int):
            raise TypeError(f"max_attempts must be a whole number from 1 to 50, got {self.max_attempts!r}")
        if not 1 <= self.max_attempts <= 50:
            raise ValueError(f"max_attempts must be a whole number from 1 to 50, got {self.max_attempts!r}")
        allowed = "a number of seconds above 0 (at most 3600)"
        self.backoff = _positive(self.backoff, "backoff", allowed)
        self.max_backoff = _positive(self.max_backoff, "max_backoff", allowed)
        self.timeout = _positive(self.timeout, "timeout", allowed)

    def wait_before(self, attempt: int) -> float:
        """Seconds between attempt ``attempt`` (1-based) and the next one."""
        return float(min(self.max_backoff, self.backoff * 2 ** (attempt - 1)))

    def public(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}


FaultKind = Literal["duplicate", "reorder", "delay"]


@dataclass
class WebhookFault:
    """A fault for the next ``count`` events (``None``: every event) of ``topic`` (``None``:
    any topic): ``duplicate``, ``reorder`` or ``delay`` (see the module)."""

    kind: FaultKind
    count: int | None = 1
    topic: str | None = None
    delay: float = 1.0
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    hits: int = 0

    FIELDS: ClassVar[tuple[str, ...]] = ("kind", "count", "topic", "delay")

    def __post_init__(self) -> None:
        kind: Any = self.kind
        if kind not in ("duplicate", "reorder", "delay"):
            raise ValueError(f"webhook fault kind must be 'duplicate', 'reorder' or 'delay', got {kind!r}")
        if self.count is not None and (
            isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 1
        ):
            raise ValueError(
                f"webhook fault count must be None (every event) or 1 or more, got {self.count!r}"
            )
        if self.topic is not None and not isinstance(self.topic, str):
            raise TypeError(f"webhook fault topic must be a topic name or None, got {self.topic!r}")
        self.delay = real_number(
            self.delay, "webhook fault delay", "a number of seconds from 0 to 600", lambda s: 0 <= s <= 600
        )

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any]) -> WebhookFault:
        unknown = sorted(set(fields) - set(cls.FIELDS))
        if unknown:
            raise ValueError(
                f"unknown webhook fault fields: {', '.join(unknown)}; the fields are: {', '.join(cls.FIELDS)}"
            )
        return cls(**fields)

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "count": self.count,
            "topic": self.topic,
            "delay": self.delay,
            "hits": self.hits,
        }


@dataclass
class _Delivery:
    id: str
    company: str
    subscription_id: str
    topic: str
    url: str
    product_id: str | None
    body: bytes
    queued_at: float
    fault: str | None = None
    state: str = "pending"
    attempts: list[dict[str, Any]] = field(default_factory=list)

    def public(self, *, with_body: bool = False) -> dict[str, Any]:
        data = {
            "id": self.id,
            "company": self.company,
            "subscription_id": self.subscription_id,
            "topic": self.topic,
            "url": self.url,
            "product_id": self.product_id,
            "state": self.state,
            "fault": self.fault,
            "queued_at": _iso(self.queued_at),
            "attempts": [dict(a) for a in self.attempts],
        }
        if with_body:
            data["body"] = self.body.decode("utf-8")
        return data


def _iso(moment: float) -> str:
    return _dt.datetime.fromtimestamp(moment, tz=_dt.timezone.utc).isoformat()


class WebhookDispatcher:
    """The delivery queue, worker, log, policy and faults of one sandbox (a
    :class:`~siigo.sandbox.state.Service`)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._queue: list[tuple[float, int, str]] = []  # (due, seq, delivery id)
        self._seq = itertools.count()
        self._log: collections.OrderedDict[str, _Delivery] = collections.OrderedDict()
        self._held: list[str] = []
        self._faults: list[WebhookFault] = []
        self.policy = DeliveryPolicy()
        self._generation = 0
        self._inflight = 0
        self._closed = False
        self._thread: threading.Thread | None = None

    # -- queueing (called by the handlers under the state lock) --------------------------------

    def submit(
        self,
        *,
        company: str,
        subscription_id: str,
        topic: str,
        url: str,
        body: bytes,
        product_id: str | None = None,
    ) -> list[str]:
        """Queue one event for one subscription; the ids of the deliveries (two when a
        ``duplicate`` fault hits it)."""
        with self._cond:
            now = time.time()
            fault = self._take_fault(topic)
            new = _Delivery(
                id=uuid.uuid4().hex,
                company=company,
                subscription_id=subscription_id,
                topic=topic,
                url=url,
                product_id=product_id,
                body=body,
                queued_at=now,
                fault=fault.kind if fault is not None else None,
            )
            due = now + (fault.delay if fault is not None and fault.kind == "delay" else 0.0)
            released = self._held[:]
            self._held.clear()
            self._record(new)
            ids = [new.id]
            if fault is not None and fault.kind == "reorder":
                self._held.append(new.id)
                self._push(now + fault.delay, new.id)
            else:
                self._push(due, new.id)
            if fault is not None and fault.kind == "duplicate":
                twin = dataclasses.replace(new, id=uuid.uuid4().hex, attempts=[])
                self._record(twin)
                self._push(due, twin.id)
                ids.append(twin.id)
            if released:
                # Held events go out right after this one: the receiver sees them out of order.
                self._queue = [
                    (due, next(self._seq), i) if i in released else (d, s, i) for d, s, i in self._queue
                ]
                heapq.heapify(self._queue)
            self._start()
            self._cond.notify_all()
            return ids

    def _take_fault(self, topic: str) -> WebhookFault | None:
        for fault in self._faults:
            if fault.count is not None and fault.count <= 0:
                continue
            if fault.topic is not None and fault.topic != topic:
                continue
            if fault.count is not None:
                fault.count -= 1
            fault.hits += 1
            return fault
        return None

    def _record(self, delivery: _Delivery) -> None:
        self._log[delivery.id] = delivery
        while len(self._log) > _MAX_LOG:
            oldest = next(iter(self._log))
            if self._log[oldest].state == "pending":
                break
            del self._log[oldest]

    def _push(self, due: float, delivery_id: str) -> None:
        heapq.heappush(self._queue, (due, next(self._seq), delivery_id))

    # -- faults and policy ----------------------------------------------------------------------

    def add_fault(self, fault: WebhookFault) -> WebhookFault:
        with self._cond:
            self._faults.append(fault)
        return fault

    def faults(self) -> list[WebhookFault]:
        with self._cond:
            return [dataclasses.replace(f) for f in self._faults]

    def clear_faults(self) -> None:
        with self._cond:
            self._faults.clear()

    def configure(self, **fields: Any) -> DeliveryPolicy:
        """Change the delivery policy (fields of :class:`DeliveryPolicy`); all or nothing."""
        unknown = sorted(set(fields) - set(DeliveryPolicy.FIELDS))
        if unknown:
            raise ValueError(
                f"unknown delivery settings: {', '.join(unknown)}; "
                f"the settings are: {', '.join(DeliveryPolicy.FIELDS)}"
            )
        with self._cond:
            self.policy = DeliveryPolicy(**{**self.policy.public(), **fields})
            return self.policy

    # -- the log --------------------------------------------------------------------------------

    def deliveries(
        self, *, company: str | None = None, topic: str | None = None, with_body: bool = False
    ) -> list[dict[str, Any]]:
        """Copies of the deliveries, oldest first (each with its attempts)."""
        with self._cond:
            return [
                d.public(with_body=with_body)
                for d in self._log.values()
                if (company is None or d.company == company) and (topic is None or d.topic == topic)
            ]

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is queued or being delivered; ``False`` if ``timeout`` passed first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._inflight:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    # -- lifecycle ------------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget queued deliveries, the log, faults and policy (an attempt in flight finishes,
        and its outcome is dropped)."""
        with self._cond:
            self._generation += 1
            self._queue.clear()
            self._held.clear()
            self._log.clear()
            self._faults.clear()
            self.policy = DeliveryPolicy()
            self._cond.notify_all()

    def close(self) -> None:
        """Stop the worker (queued deliveries are dropped); a later event starts it again."""
        with self._cond:
            self._closed = True
            self._generation += 1
            self._queue.clear()
            self._held.clear()
            thread, self._thread = self._thread, None
            timeout = self.policy.timeout
            self._cond.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=timeout + 2.0)

    def _start(self) -> None:
        self._closed = False
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="siigo-sandbox-webhooks", daemon=True)
            self._thread.start()

    # -- the worker -----------------------------------------------------------------------------

    def _next(self) -> tuple[_Delivery, int, float] | None:
        with self._cond:
            while not self._closed:
                now = time.time()
                if self._queue and self._queue[0][0] <= now:
                    _, _, delivery_id = heapq.heappop(self._queue)
                    delivery = self._log.get(delivery_id)
                    if delivery is None:
                        continue
                    self._inflight += 1
                    return delivery, self._generation, self.policy.timeout
                wait = self._queue[0][0] - now if self._queue else None
                self._cond.wait(wait)
            return None

    def _run(self) -> None:
        while True:
            picked = self._next()
            if picked is None:
                return
            delivery, generation, timeout = picked
            try:
                attempt = _attempt(delivery.url, delivery.body, timeout)
            except Exception as exc:  # never let the worker die
                attempt = {"status": None, "latency_ms": 0.0, "error": f"{type(exc).__name__}: {exc}"}
            with self._cond:
                self._inflight -= 1
                if generation == self._generation and delivery.id in self._log:
                    self._settle(delivery, attempt)
                self._cond.notify_all()

    def _settle(self, delivery: _Delivery, attempt: dict[str, Any]) -> None:
        skipped = attempt.pop("skipped", False)
        delivery.attempts.append({"at": _iso(time.time()), **attempt})
        status = attempt.get("status")
        if skipped:
            delivery.state = "skipped"
        elif isinstance(status, int) and 200 <= status < 300:
            delivery.state = "delivered"
        elif len(delivery.attempts) >= self.policy.max_attempts:
            delivery.state = "failed"
        else:
            self._push(time.time() + self.policy.wait_before(len(delivery.attempts)), delivery.id)


def _attempt(url: str, body: bytes, timeout: float) -> dict[str, Any]:
    """One POST of ``body`` to ``url``: its status (``None`` without an answer), latency, error."""
    parts = urlsplit(url)
    host = parts.hostname
    if not is_loopback(host):
        return {
            "status": None,
            "latency_ms": 0.0,
            "error": "not contacted: the sandbox delivers only to loopback addresses (127.0.0.1, ::1, localhost)",
            "skipped": True,
        }
    assert host is not None
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    started = time.monotonic()
    connection = connection_class(host, parts.port, timeout=timeout)
    try:
        connection.request(
            "POST",
            target,
            body=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": _USER_AGENT,
                "Connection": "close",
            },
        )
        response = connection.getresponse()
        response.read(65536)
        status: int | None = response.status
        error = None if 200 <= response.status < 300 else f"the receiver answered {response.status}"
    except (OSError, http.client.HTTPException) as exc:
        status, error = None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    latency = round((time.monotonic() - started) * 1000.0, 3)
    return {"status": status, "latency_ms": latency, "error": error}
