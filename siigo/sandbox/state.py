"""In-memory state of the sandbox: settings, companies (tenants), tokens, clock, faults, journal."""

from __future__ import annotations

import base64
import collections
import copy
import datetime as _dt
import json
import random
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from . import fixtures

__all__ = ["Fault", "JournalEntry", "SandboxSettings", "SandboxState", "Tenant"]


@dataclass
class SandboxSettings:
    """Switches for behaviour Siigo leaves undocumented (siigo-api.md H.3), with our defaults.

    * ``credentials``: ``None`` accepts any non-empty username/access key (one company per
      username); a mapping ``{username: access_key}`` accepts only those pairs.
    * ``rate_limit``: requests per minute per company (``None`` = off, 10 = test company,
      100 = production).
    * ``token_ttl``: seconds an access token lives (Siigo: 86 400).
    * ``rounding_mode`` / ``payments_basis``: the reading of Siigo's totals math the sandbox
      enforces (see ``siigo.totals``).
    * ``links_key``: ``_links``, ``__links`` or ``links`` in list envelopes.
    * ``page_size_default``: page size when none is asked (clamped to 10-100 anyway).
    * ``put_status``: 200 or 201 for successful PUTs.
    * ``annul_body``: ``deleted`` → ``{id, deleted: true}``; ``Annul`` → ``{id, Annul: true}``.
    * ``customer_delete``: ``allowed`` or ``disabled`` (403 ``disabled_functionality``, as seen
      on Siigo's own test companies).
    * ``idempotent_replay_status``: status of a replayed creation (201 or 200).
    * ``retry_after``: send ``Retry-After`` with 429 answers.
    * ``strict_due_date``: demand ``due_date`` on every invoice payment (seen live once).
    * ``electronic_requires_resolution``: electronic document types without a DIAN resolution
      answer ``document_settings``.
    * ``stamp_outcome``: what DIAN answers to ``stamp.send``: ``Accepted`` or ``Rejected``.
    * ``links_base``: scheme and host written in pagination links (default: the request's).
    * ``users_as_array``: answer ``/v1/users`` with a bare array, as Siigo's published
      example shows (the live API pages it).
    """

    credentials: dict[str, str] | None = None
    rate_limit: int | None = None
    token_ttl: float = 86400.0
    rounding_mode: Literal["half_up", "half_even"] = "half_up"
    payments_basis: Literal["net_of_withholdings", "gross_total"] = "net_of_withholdings"
    links_key: Literal["_links", "__links", "links"] = "_links"
    page_size_default: int = 25
    put_status: int = 200
    annul_body: Literal["deleted", "Annul"] = "deleted"
    customer_delete: Literal["allowed", "disabled"] = "allowed"
    idempotent_replay_status: int = 201
    retry_after: bool = True
    strict_due_date: bool = False
    electronic_requires_resolution: bool = True
    stamp_outcome: Literal["Accepted", "Rejected"] = "Accepted"
    links_base: str | None = None
    users_as_array: bool = False

    def update(self, **changes: Any) -> None:
        for name, value in changes.items():
            if not hasattr(self, name):
                raise ValueError(f"unknown sandbox setting {name!r}")
            setattr(self, name, value)


@dataclass
class Fault:
    """A fault to inject into the requests that match ``method`` and ``path`` (a regex).

    ``count`` is how many matching requests it affects (``None``: all of them, then use
    ``probability`` to hit a share).  Effects, applied in this order: ``delay`` seconds before
    handling; ``drop="before"`` closes the connection without handling; ``status`` answers with
    that error status (and ``Retry-After: retry_after`` when given) without handling;
    ``drop="after"`` handles the request (the change is committed) and then closes the
    connection without answering.
    """

    method: str | None = None
    path: str = ".*"
    count: int | None = 1
    probability: float = 1.0
    status: int | None = None
    retry_after: float | None = None
    delay: float = 0.0
    drop: Literal["before", "after"] | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    hits: int = 0

    def __post_init__(self) -> None:
        self._regex = re.compile(self.path)
        if self.drop not in (None, "before", "after"):
            raise ValueError("drop must be 'before', 'after' or None")
        if self.status is not None and not 400 <= int(self.status) <= 599:
            raise ValueError("status must be an HTTP error status (400-599)")

    def matches(self, method: str, path: str) -> bool:
        if self.count is not None and self.count <= 0:
            return False
        if self.method and self.method.upper() != method:
            return False
        return self._regex.search(path) is not None

    @property
    def kind(self) -> str:
        if self.drop:
            return f"drop_{self.drop}"
        if self.status:
            return f"status_{self.status}" + ("_retry_after" if self.retry_after is not None else "")
        return "delay"

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "method": self.method,
            "path": self.path,
            "count": self.count,
            "probability": self.probability,
            "status": self.status,
            "retry_after": self.retry_after,
            "delay": self.delay,
            "drop": self.drop,
            "hits": self.hits,
        }


@dataclass
class JournalEntry:
    time: float
    method: str
    path: str
    query: str
    status: int | None
    tenant: str | None
    partner_id: str | None
    idempotency_key: str | None
    authorized: bool
    user_agent: str | None = None
    fault: str | None = None

    def public(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Tenant:
    """One Siigo company: its catalogs and documents."""

    def __init__(self, username: str) -> None:
        self.username = username
        self.company_key = "company" + uuid.uuid5(uuid.NAMESPACE_DNS, username).hex[:16]
        self.catalogs: dict[str, Any] = fixtures.catalogs()
        self.resolutions: set[int] = fixtures.electronic_resolutions()
        self.products: dict[str, dict[str, Any]] = {}
        self.customers: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        # resource name -> Idempotency-Key -> (status, body)
        self.idempotency: dict[str, dict[str, tuple[int, Any]]] = collections.defaultdict(dict)
        self.requests: collections.deque[float] = collections.deque()
        self.outbox: list[dict[str, Any]] = []
        self.extra: dict[str, Any] = {}
        self.next_catalog_id = 50000

    def document_type(self, id: int) -> dict[str, Any] | None:
        for entry in self.catalogs["document_types"]:
            if entry["id"] == id:
                return entry  # type: ignore[no-any-return]
        return None

    def new_catalog_id(self) -> int:
        self.next_catalog_id += 1
        return self.next_catalog_id


class SandboxState:
    """Everything the sandbox knows.  ``lock`` guards every mutation."""

    def __init__(self, settings: SandboxSettings | None = None, *, seed: int | None = None) -> None:
        self.settings = settings or SandboxSettings()
        self._initial_settings = copy.deepcopy(self.settings)
        self.lock = threading.RLock()
        self.clock_offset = 0.0
        self.tenants: dict[str, Tenant] = {}
        self.tokens: dict[str, tuple[str, float]] = {}
        self.faults: list[Fault] = []
        self.journal: collections.deque[JournalEntry] = collections.deque(maxlen=20000)
        self.random = random.Random(seed)

    # -- time -----------------------------------------------------------------------------------

    def now(self) -> float:
        return time.time() + self.clock_offset

    def now_datetime(self) -> _dt.datetime:
        return _dt.datetime.fromtimestamp(self.now(), tz=_dt.timezone.utc)

    def today(self) -> _dt.date:
        # Siigo works in Colombian time (UTC-5).
        return (self.now_datetime() - _dt.timedelta(hours=5)).date()

    def timestamp(self) -> str:
        return self.now_datetime().strftime("%Y-%m-%dT%H:%M:%S.%f") + "0+00:00"

    def advance_clock(self, seconds: float) -> None:
        with self.lock:
            self.clock_offset += seconds

    # -- companies and tokens ------------------------------------------------------------------

    def tenant(self, username: str) -> Tenant:
        with self.lock:
            tenant = self.tenants.get(username)
            if tenant is None:
                tenant = self.tenants[username] = Tenant(username)
            return tenant

    def check_credentials(self, username: Any, access_key: Any) -> bool:
        if not isinstance(username, str) or not isinstance(access_key, str):
            return False
        if not username.strip() or not access_key.strip():
            return False
        allowed = self.settings.credentials
        if allowed is None:
            return True
        expected = allowed.get(username)
        return expected is not None and secrets.compare_digest(expected, access_key)

    def issue_token(self, username: str) -> tuple[str, float]:
        header = _b64({"alg": "RS256", "typ": "JWT"})
        payload = _b64({"sub": username, "jti": uuid.uuid4().hex, "iat": int(self.now())})
        token = f"{header}.{payload}.{secrets.token_urlsafe(24)}"
        ttl = float(self.settings.token_ttl)
        with self.lock:
            self.tokens[token] = (username, self.now() + ttl)
            self.tenant(username)
        return token, ttl

    def tenant_for_token(self, token: str) -> Tenant | None:
        with self.lock:
            entry = self.tokens.get(token)
            if entry is None:
                return None
            username, expires_at = entry
            if self.now() >= expires_at:
                return None
            return self.tenant(username)

    # -- faults ---------------------------------------------------------------------------------

    def add_fault(self, fault: Fault) -> Fault:
        with self.lock:
            self.faults.append(fault)
        return fault

    def take_fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if not fault.matches(method, path):
                    continue
                if fault.probability < 1.0 and self.random.random() >= fault.probability:
                    continue
                if fault.count is not None:
                    fault.count -= 1
                fault.hits += 1
                return copy.copy(fault)
            return None

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    # -- reset ----------------------------------------------------------------------------------

    def reset(self) -> None:
        with self.lock:
            self.tenants.clear()
            self.tokens.clear()
            self.faults.clear()
            self.journal.clear()
            self.clock_offset = 0.0
            self.settings = copy.deepcopy(self._initial_settings)


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
