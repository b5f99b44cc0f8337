"""In-memory state of the sandbox: settings, companies (tenants), tokens, clock, faults, journal."""

from __future__ import annotations

import base64
import collections
import copy
import datetime as _dt
import json
import math
import random
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Literal, Protocol, TypeVar, cast, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit

from .._checks import shown
from ..kinds import INVOICE, KINDS
from . import fixtures

__all__ = [
    "CompanyLimitReached",
    "Fault",
    "JournalEntry",
    "SandboxSettings",
    "SandboxState",
    "Service",
    "Store",
    "Tenant",
    "copy_document",
    "real_number",
]


class CompanyLimitReached(Exception):
    """A login would create one company more than ``max_companies``."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the sandbox holds at most {limit} companies")
        self.limit = limit


_LATEST = _dt.datetime(9999, 1, 1, tzinfo=_dt.timezone.utc).timestamp()


@dataclass
class SandboxSettings:
    """Switches for behaviour Siigo leaves undocumented (siigo-api.md H.3), with our defaults.

    * ``credentials``: ``None`` accepts any non-empty username/access key (one company per
      username); a mapping ``{username: access_key}`` accepts only those pairs.
    * ``rate_limit``: requests per minute per company (``None`` = off, 10 = test company,
      100 = production).
    * ``rate_window``: the seconds over which ``rate_limit`` counts (Siigo: 60; shorter in
      tests that want to see several windows in a few seconds).
    * ``token_ttl``: seconds an access token lives (Siigo: 86 400).  Expired tokens are
      forgotten, and at most ``max_tokens`` are kept (the oldest go first).
    * ``max_companies``: companies (usernames) the sandbox holds; a login that would create
      one more answers 403 ``companies_limit`` (``reset`` or a larger value makes room).
    * ``rounding_mode`` / ``payments_basis`` / ``taxed_price_division`` / ``price_precision`` /
      ``percentage_discount``:
      the reading of Siigo's totals math the sandbox enforces (see ``siigo.totals``).
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

    Every assignment is checked: an unknown name or a value of the wrong type raises
    ``ValueError`` or ``TypeError`` with a message that says what the setting accepts.
    """

    credentials: dict[str, str] | None = None
    rate_limit: int | None = None
    rate_window: float = 60.0
    token_ttl: float = 86400.0
    max_tokens: int = 10000
    max_companies: int = 1000
    rounding_mode: Literal["half_up", "half_even"] = "half_up"
    payments_basis: Literal["net_of_withholdings", "gross_total"] = "net_of_withholdings"
    taxed_price_division: Literal["per_line", "per_unit"] = "per_line"
    price_precision: Literal["as_sent", "stored"] = "as_sent"
    percentage_discount: Literal["rounded_value", "exact_value"] = "rounded_value"
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

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, _check_setting(name, value))

    def update(self, **changes: Any) -> None:
        """Change several settings; when one of them is invalid, none changes."""
        checked = {name: _check_setting(name, value) for name, value in changes.items()}
        for name, value in checked.items():
            super().__setattr__(name, value)


_T = TypeVar("_T")
_IMMUTABLE = frozenset({str, int, float, bool, type(None), Decimal})


def copy_document(value: _T) -> _T:
    """A deep copy of a stored document: what ``copy.deepcopy`` makes of its dicts, lists and
    immutable scalars, built directly (about four times faster on an invoice); any other value
    inside it is copied by ``copy.deepcopy``.  Stored documents never share a dict or list
    between two places, so the copy need not keep track of what it has already copied."""
    return cast(_T, _copied(value))


def _copied(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return {k: v if type(v) in _IMMUTABLE else _copied(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _IMMUTABLE else _copied(v) for v in value]
    if kind in _IMMUTABLE:
        return value
    return copy.deepcopy(value)


def real_number(value: Any, what: str, allowed: str, ok: Callable[[float], bool] = lambda _: True) -> float:
    """``value`` as a finite float (JSON numbers arrive as ``int`` or ``Decimal``), or a
    ``TypeError`` / ``ValueError`` saying that ``what`` must be ``allowed``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise TypeError(f"{what} must be {allowed}, got {shown(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not (math.isfinite(number) and ok(number)):
        raise ValueError(f"{what} must be {allowed}, got {shown(value)}")
    return number


def _whole_number(value: Any, what: str, allowed: str, ok: Callable[[int], bool]) -> int:
    """``value`` as an ``int`` (not a bool), or a ``TypeError`` / ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be {allowed}, got {shown(value)}")
    if not ok(value):
        raise ValueError(f"{what} must be {allowed}, got {shown(value)}")
    return value


_SETTING_TYPES: dict[str, Any] = get_type_hints(SandboxSettings)


def _is_base_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
        return (
            parts.scheme in ("http", "https") and bool(parts.hostname) and not (parts.query or parts.fragment)
        )
    except ValueError:
        return False


def _check_setting(name: str, value: Any) -> Any:
    """The value to store for setting ``name``, or a ``TypeError`` / ``ValueError``."""
    hint = _SETTING_TYPES.get(name)
    if hint is None:
        raise ValueError(f"unknown sandbox setting {name!r}; the settings are: {', '.join(_SETTING_TYPES)}")
    what = f"sandbox setting {name!r}"
    if get_origin(hint) is Literal:
        options = get_args(hint)
        if not isinstance(value, str) or value not in options:
            raise ValueError(f"{what} must be one of {', '.join(map(repr, options))}, got {shown(value)}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise TypeError(f"{what} must be True or False, got {shown(value)}")
        return value
    if name == "credentials":
        allowed = (
            "None (any username and access key) or a mapping of usernames to access keys (non-empty strings)"
        )
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise TypeError(f"{what} must be {allowed}, got {shown(value)}")
        for key, item in value.items():
            if not (isinstance(key, str) and isinstance(item, str) and key.strip() and item.strip()):
                raise ValueError(f"{what} must be {allowed}, got the entry {shown(key)}: {shown(item)}")
        return dict(value)
    if name == "rate_limit":
        if value is None:
            return None
        return _whole_number(
            value, what, "None (off) or requests per minute, 1 or more (Siigo: 10 or 100)", lambda n: n >= 1
        )
    if name == "rate_window":
        return real_number(value, what, "a number of seconds above 0 (Siigo: 60)", lambda s: s > 0)
    if name == "token_ttl":
        return real_number(value, what, "a number of seconds above 0 (Siigo: 86400)", lambda s: s > 0)
    if name in ("max_tokens", "max_companies"):
        return _whole_number(value, what, "a whole number, 1 or more", lambda n: n >= 1)
    if name == "page_size_default":
        return _whole_number(value, what, "a whole number from 10 to 100", lambda n: 10 <= n <= 100)
    if name in ("put_status", "idempotent_replay_status"):
        return _whole_number(value, what, "200 or 201", lambda n: n in (200, 201))
    if name == "links_base":
        allowed = "None (the request's own host) or an http(s) URL such as 'https://api.siigo.com'"
        if value is None:
            return None
        if not isinstance(value, str):
            raise TypeError(f"{what} must be {allowed}, got {shown(value)}")
        if not _is_base_url(value):
            raise ValueError(f"{what} must be {allowed}, got {shown(value)}")
        return value
    raise AssertionError(f"no check for the sandbox setting {name!r}")


@dataclass
class Fault:
    """A fault to inject into the requests that match ``method`` and ``path`` (a regex).

    ``count`` is how many matching requests it affects (``None``: all of them, then use
    ``probability`` to hit a share).  Effects, applied in this order: ``delay`` seconds before
    handling; ``drop="before"`` closes the connection without handling; ``status`` answers with
    that error status (and ``Retry-After: retry_after`` when given) without handling;
    ``drop="after"`` handles the request (the change is committed) and then closes the
    connection without answering.  Invalid fields raise ``TypeError`` or ``ValueError``.
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

    FIELDS: ClassVar[tuple[str, ...]] = (
        "method",
        "path",
        "count",
        "probability",
        "status",
        "retry_after",
        "delay",
        "drop",
    )
    """The fields a test sets (``id`` and ``hits`` are the sandbox's)."""

    MAX_DELAY: ClassVar[float] = 3600.0

    def __post_init__(self) -> None:
        self._regex = _regex(self.path, "fault path")
        self.method = _fault_method(self.method)
        if self.count is not None:
            self.count = _whole_number(
                self.count, "fault count", "None (every matching request) or 1 or more", lambda n: n >= 1
            )
        self.probability = real_number(
            self.probability, "fault probability", "a number from 0 to 1", lambda p: 0 <= p <= 1
        )
        if self.status is not None:
            self.status = _whole_number(
                self.status, "fault status", "an HTTP error status from 400 to 599", lambda n: 400 <= n <= 599
            )
        if self.retry_after is not None:
            self.retry_after = real_number(
                self.retry_after, "fault retry_after", "a number of seconds, 0 or more", lambda s: s >= 0
            )
        self.delay = real_number(
            self.delay,
            "fault delay",
            f"a number of seconds from 0 to {self.MAX_DELAY:.0f}",
            lambda s: 0 <= s <= self.MAX_DELAY,
        )
        drop: Any = self.drop
        if drop is not None and drop not in ("before", "after"):
            raise ValueError(f"fault drop must be 'before', 'after' or None, got {shown(drop)}")
        if self.drop is not None and self.status is not None:
            raise ValueError("a fault either answers a status or drops the connection, not both")
        if self.retry_after is not None and self.status is None:
            raise ValueError("fault retry_after goes with a status (e.g. status=429)")
        if not isinstance(self.id, str) or not self.id:
            raise TypeError(f"fault id must be a non-empty string, got {shown(self.id)}")
        self.hits = _whole_number(self.hits, "fault hits", "0 or more", lambda n: n >= 0)

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any]) -> Fault:
        """A fault from a mapping of its fields (the body of ``POST /_sandbox/faults``)."""
        unknown = sorted(set(fields) - set(cls.FIELDS))
        if unknown:
            raise ValueError(
                f"unknown fault fields: {', '.join(unknown)}; the fields are: {', '.join(cls.FIELDS)}"
            )
        return cls(**fields)

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
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    errors: list[dict[str, str]] = field(default_factory=list)
    """The ``Code`` and ``Message`` of each error of an error answer."""

    def public(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Store(dict[str, dict[str, Any]]):
    """A company's records by id, in creation order (a replaced record keeps its place), with
    an index by ``key`` (a product's ``code``) and cached list views.

    ``version`` changes with every write through the mapping; :meth:`view` keeps the filtered
    and sorted rows of a list query until then, so walking page after page filters once and each
    page then costs its own size.  Code that changes a stored record in place, in a field a
    list filters on, calls :meth:`touch`.
    """

    MAX_VIEWS = 16

    def __init__(self, rows: Mapping[str, dict[str, Any]] | None = None, *, key: str = "code") -> None:
        super().__init__()
        self.key = key
        self.version = 0
        self._by_key: dict[Any, list[str]] = {}
        self._views: dict[Any, tuple[int, list[dict[str, Any]]]] = {}
        for id, row in (rows or {}).items():
            self[id] = row

    def __reduce__(self) -> Any:  # copy and pickle as the plain mapping it holds
        return (type(self), (dict(self),), {"key": self.key})

    def _unindex(self, id: str, row: dict[str, Any]) -> None:
        ids = self._by_key.get(row.get(self.key))
        if ids is not None and id in ids:
            ids.remove(id)
            if not ids:
                del self._by_key[row.get(self.key)]

    def __setitem__(self, id: str, row: dict[str, Any]) -> None:
        old = self.get(id)
        if old is not None:
            self._unindex(id, old)
        super().__setitem__(id, row)
        self._by_key.setdefault(row.get(self.key), []).append(id)
        self.touch()

    def __delitem__(self, id: str) -> None:
        row = self[id]
        super().__delitem__(id)
        self._unindex(id, row)
        self.touch()

    _MISSING: ClassVar[Any] = object()

    def pop(self, id: str, default: Any = _MISSING) -> Any:
        if id in self:
            row = self[id]
            del self[id]
            return row
        if default is Store._MISSING:
            raise KeyError(id)
        return default

    def popitem(self) -> tuple[str, dict[str, Any]]:
        id = next(reversed(self))
        return id, self.pop(id)

    def setdefault(self, id: str, default: Any = None) -> Any:
        if id not in self:
            self[id] = default
        return self[id]

    def update(self, *args: Any, **kwargs: Any) -> None:
        for id, row in dict(*args, **kwargs).items():
            self[id] = row

    def clear(self) -> None:
        super().clear()
        self._by_key.clear()
        self.touch()

    def touch(self) -> None:
        """Forget the cached views (a record changed)."""
        self.version += 1
        self._views.clear()

    def find(self, value: Any) -> dict[str, Any] | None:
        """The first record (in creation order) whose ``key`` is ``value``, if any."""
        for id in self._by_key.get(value, ()):
            row = self.get(id)
            if row is not None and row.get(self.key) == value:
                return row
        if value in self._by_key:  # a record changed its key in place: look everywhere
            return next((row for row in self.values() if row.get(self.key) == value), None)
        return None

    def view(self, query: Any, rows: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
        """``rows()`` (the answer to a list ``query``, a hashable key), computed once per version."""
        cached = self._views.get(query)
        if cached is not None and cached[0] == self.version:
            return cached[1]
        found = rows()
        if len(self._views) >= self.MAX_VIEWS:
            self._views.pop(next(iter(self._views)))
        self._views[query] = (self.version, found)
        return found


class Tenant:
    """One Siigo company: its catalogs and documents."""

    def __init__(self, username: str) -> None:
        self.username = username
        self.company_key = "company" + uuid.uuid5(uuid.NAMESPACE_DNS, username).hex[:16]
        self.catalogs: dict[str, Any] = fixtures.catalogs()
        self.resolutions: set[int] = fixtures.electronic_resolutions()
        # products by id, in creation order, indexed by code
        self.products: Store = Store()
        self.customers: dict[str, dict[str, Any]] = {}
        # kind code -> document id -> the document as the wire shows it
        # (a Store: in creation order, by name, with cached list views)
        self.documents: dict[str, Store] = {code: Store(key="name") for code in KINDS}
        # resource name -> Idempotency-Key -> (status, body)
        self.idempotency: dict[str, dict[str, tuple[int, Any]]] = collections.defaultdict(dict)
        self.requests: collections.deque[float] = collections.deque()
        self.outbox: list[dict[str, Any]] = []
        # the books: movements and dues, kept by siigo.sandbox.ledger
        self.ledger: dict[str, Any] = {"movements": {}, "dues": {}}
        self.extra: dict[str, Any] = {}
        self.next_catalog_id = 50000

    @property
    def invoices(self) -> dict[str, dict[str, Any]]:
        """The company's sales invoices, by id."""
        return self.documents[INVOICE.code]

    def document_type(self, id: int) -> dict[str, Any] | None:
        entry: dict[str, Any]
        for entry in self.catalogs["document_types"]:
            if entry["id"] == id:
                return entry
        return None

    def new_catalog_id(self) -> int:
        self.next_catalog_id += 1
        return self.next_catalog_id


class Service(Protocol):
    """Background machinery of the sandbox (e.g. webhook delivery), kept in
    :attr:`SandboxState.services`: forgotten on reset, stopped with the sandbox."""

    def reset(self) -> None: ...

    def close(self) -> None: ...


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
        self.services: dict[str, Service] = {}

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
        """Move the clock by ``seconds`` (negative: back); it must stay between 1970 and 9999."""
        seconds = real_number(seconds, "the clock advance", "a number of seconds")
        with self.lock:
            offset = self.clock_offset + seconds
            if not 0 <= time.time() + offset < _LATEST:
                raise ValueError(
                    f"advancing the clock by {seconds:g} s would take it outside 1970-01-01 to 9999-01-01"
                )
            self.clock_offset = offset

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
        return expected is not None and secrets.compare_digest(
            expected.encode("utf-8", "surrogatepass"), access_key.encode("utf-8", "surrogatepass")
        )

    def issue_token(self, username: str) -> tuple[str, float]:
        """A new token for ``username``'s company (created on its first login);
        :class:`CompanyLimitReached` past ``max_companies``."""
        header = _b64({"alg": "RS256", "typ": "JWT"})
        payload = _b64({"sub": username, "jti": uuid.uuid4().hex, "iat": int(self.now())})
        token = f"{header}.{payload}.{secrets.token_urlsafe(24)}"
        ttl = float(self.settings.token_ttl)
        with self.lock:
            if username not in self.tenants and len(self.tenants) >= self.settings.max_companies:
                raise CompanyLimitReached(self.settings.max_companies)
            self._forget_tokens()
            self.tokens[token] = (username, self.now() + ttl)
            self.tenant(username)
        return token, ttl

    def _forget_tokens(self) -> None:
        """Drop expired tokens from the oldest on (tokens are kept in the order issued), and the
        oldest ones past ``max_tokens``."""
        now = self.now()
        room = self.settings.max_tokens - 1
        while self.tokens:
            oldest = next(iter(self.tokens))
            if len(self.tokens) <= room and self.tokens[oldest][1] > now:
                break
            del self.tokens[oldest]

    def tenant_for_token(self, token: str) -> Tenant | None:
        entry = self.tokens.get(token)
        if entry is not None and self.now() < entry[1]:
            tenant = self.tenants.get(entry[0])
            if tenant is not None:  # a valid token of a known company: no lock needed to read it
                return tenant
        with self.lock:
            entry = self.tokens.get(token)
            if entry is None:
                return None
            username, expires_at = entry
            if self.now() >= expires_at:
                del self.tokens[token]
                return None
            return self.tenant(username)

    # -- faults ---------------------------------------------------------------------------------

    def add_fault(self, fault: Fault) -> Fault:
        with self.lock:
            self.faults.append(fault)
        return fault

    def take_fault(self, method: str, path: str) -> Fault | None:
        if not self.faults:  # the common case, without taking the lock every request would take
            return None
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

    def active_faults(self) -> list[Fault]:
        """Copies of the faults, as they are now (``count`` left, ``hits``)."""
        with self.lock:
            return [copy.copy(fault) for fault in self.faults]

    # -- mail -----------------------------------------------------------------------------------

    def outbox(self, username: str | None = None) -> list[dict[str, Any]]:
        """Copies of the e-mails "sent" by one company (``username``) or by all, oldest first
        per company, each with its ``company``."""
        with self.lock:
            if username is None:
                tenants = list(self.tenants.values())
            else:
                tenant = self.tenants.get(username)
                tenants = [tenant] if tenant is not None else []
            return [{"company": t.username, **copy.deepcopy(mail)} for t in tenants for mail in t.outbox]

    # -- journal --------------------------------------------------------------------------------

    def journal_entries(self, *, method: str | None = None, path: str | None = None) -> list[JournalEntry]:
        """Requests received (``/_sandbox`` calls excluded), oldest first; ``path`` is a regex
        searched in each request's path."""
        pattern = _regex(path, "the journal path filter") if path is not None else None
        wanted = method.upper() if method is not None else None
        return [
            entry
            for entry in list(self.journal)
            if (wanted is None or entry.method == wanted) and (pattern is None or pattern.search(entry.path))
        ]

    # -- reset ----------------------------------------------------------------------------------

    def reset(self) -> None:
        with self.lock:
            self.tenants.clear()
            self.tokens.clear()
            self.faults.clear()
            self.journal.clear()
            self.clock_offset = 0.0
            self.settings = copy.deepcopy(self._initial_settings)
            for service in list(self.services.values()):
                service.reset()

    def close(self) -> None:
        """Stop the background services (their threads end; they start again when needed)."""
        with self.lock:
            services = list(self.services.values())
        for service in services:
            service.close()


def _regex(pattern: Any, what: str) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise TypeError(f"{what} must be a regular expression (a string), got {shown(pattern)}")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{what} {shown(pattern)} is not a valid regular expression: {exc}") from None


def _fault_method(method: Any) -> str | None:
    if method is None:
        return None
    if not isinstance(method, str) or not re.fullmatch(r"[A-Za-z]+", method):
        raise ValueError(
            f"fault method must be None (any method) or an HTTP method such as 'POST', got {shown(method)}"
        )
    return method.upper()


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
