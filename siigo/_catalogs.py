"""The catalogs the document preflights need, fetched once and kept for a while.

:class:`CatalogCache` holds, per client, the company's taxes, document types (per kind),
payment types (per document kind), expenses, other incomes and fixed-asset groups.  Each catalog is fetched lazily on first use and kept ``ttl``
seconds; under concurrent use each catalog is fetched at most once per TTL (callers that arrive
while it is being fetched wait for that fetch instead of starting their own).  A failed fetch
caches nothing and raises the client's typed error.

Catalogs are per company and change rarely, and Siigo advises caching them (siigo-api.md B.2):
with the default TTL of an hour, a busy integration spends three requests an hour on them
instead of three per invoice.  Call :meth:`CatalogCache.refresh` after changing a catalog in
Siigo Nube, or :meth:`CatalogCache.invalidate` to drop everything.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from ._refusals import refuse
from .kinds import INVOICE

if TYPE_CHECKING:
    from .client import Client
    from .models.catalogs import AssetGroup, DocumentType, Expense, MiscIncome, PaymentType, Tax

__all__ = ["CatalogCache"]

_Key = tuple[str, ...]


@dataclass(frozen=True)
class _Entry:
    value: Any
    fetched_at: float


class _Shelf:
    """What copies of a client (``with_options``) share: the entries, their locks and the TTL."""

    def __init__(self, ttl: float, clock: Callable[[], float]) -> None:
        self.ttl = ttl
        self.clock = clock
        self.lock = threading.Lock()
        self.entries: dict[_Key, _Entry] = {}
        self.fetch_locks: dict[_Key, threading.Lock] = {}


class CatalogCache:
    """Taxes, document types and payment types of one company, cached ``ttl`` seconds.

    ``ttl`` ≤ 0 fetches on every use; ``float("inf")`` keeps catalogs until :meth:`refresh` or
    :meth:`invalidate`.  Thread-safe.  The returned dicts are fresh copies: mutating them does not
    touch the cache.
    """

    def __init__(
        self,
        client: Client,
        ttl: float = 3600.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        _shelf: _Shelf | None = None,
    ) -> None:
        self._client = client
        self._shelf = _shelf if _shelf is not None else _Shelf(ttl, clock)
        self._clock = self._shelf.clock
        self._lock = self._shelf.lock
        self._entries = self._shelf.entries
        self._fetch_locks = self._shelf.fetch_locks

    @property
    def ttl(self) -> float:
        return self._shelf.ttl

    @ttl.setter
    def ttl(self, value: float) -> None:
        self._shelf.ttl = value

    def bound_to(self, client: Client) -> CatalogCache:
        """The same cached catalogs, fetched (when they expire) through ``client``: its
        ``Partner-Id``, timeouts, retries and rate limiter."""
        return CatalogCache(client, _shelf=self._shelf)

    def __repr__(self) -> str:
        with self._lock:
            cached = sorted("/".join(key) for key in self._entries)
        return f"CatalogCache(ttl={self.ttl}, cached={cached})"

    # -- public ---------------------------------------------------------------------------------

    def taxes(self) -> dict[int, Tax]:
        """Every tax and withholding of the company (active or not), by id."""
        entries: dict[int, Tax] = self._get(("taxes",), self._fetch_taxes)
        return dict(entries)

    def document_types(self, type: str = INVOICE.code) -> dict[int, DocumentType]:
        """The document types of one kind (``FV``, ``NC``, ``RC``...; active or not), by id."""
        kind = _kind("type", type)
        entries: dict[int, DocumentType] = self._get(
            ("document_types", kind), lambda: self._fetch_document_types(kind)
        )
        return dict(entries)

    def payment_types(self, document_type: str = INVOICE.code) -> dict[int, PaymentType]:
        """The payment types valid for one document kind (``FV``, ``NC``, ``RC``, ``FC``), by id."""
        kind = _kind("document_type", document_type)
        entries: dict[int, PaymentType] = self._get(
            ("payment_types", kind), lambda: self._fetch_payment_types(kind)
        )
        return dict(entries)

    def expenses(self) -> dict[int, Expense]:
        """The discount concepts of cash-receipt items (active or not), by id."""
        entries: dict[int, Expense] = self._get(("expenses",), self._fetch_expenses)
        return dict(entries)

    def misc_incomes(self) -> dict[int, MiscIncome]:
        """The "other income" concepts of ``MiscIncome`` cash receipts (active or not), by id."""
        entries: dict[int, MiscIncome] = self._get(("misc_incomes",), self._fetch_misc_incomes)
        return dict(entries)

    def asset_groups(self) -> dict[int, AssetGroup]:
        """The fixed-asset groups (active or not), by id."""
        entries: dict[int, AssetGroup] = self._get(("asset_groups",), self._fetch_asset_groups)
        return dict(entries)

    def refresh(self) -> None:
        """Fetch again, now, every catalog that is cached (the old copies stay in use if a fetch
        fails, and the error is raised)."""
        with self._lock:
            keys = list(self._entries)
        for key in keys:
            self._get(key, self._fetcher(key), force=True)

    def invalidate(self) -> None:
        """Forget every catalog; the next use fetches it again."""
        with self._lock:
            self._entries.clear()

    # -- internals ------------------------------------------------------------------------------

    def _fresh(self, entry: _Entry | None) -> bool:
        return entry is not None and self._clock() - entry.fetched_at < self.ttl

    def _get(self, key: _Key, fetch: Callable[[], Any], *, force: bool = False) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if not force and self._fresh(entry):
                assert entry is not None
                return entry.value
            fetch_lock = self._fetch_locks.setdefault(key, threading.Lock())
            seen = entry
        with fetch_lock:
            with self._lock:
                entry = self._entries.get(key)
                # Someone else fetched while we waited for the lock: use their answer.
                if entry is not None and entry is not seen and (force or self._fresh(entry)):
                    return entry.value
                if not force and self._fresh(entry):
                    assert entry is not None
                    return entry.value
            value = fetch()
            with self._lock:
                self._entries[key] = _Entry(value, self._clock())
            return value

    def _fetcher(self, key: _Key) -> Callable[[], Any]:
        plain: dict[str, Callable[[], Any]] = {
            "taxes": self._fetch_taxes,
            "expenses": self._fetch_expenses,
            "misc_incomes": self._fetch_misc_incomes,
            "asset_groups": self._fetch_asset_groups,
        }
        if key[0] in plain:
            return plain[key[0]]
        if key[0] == "document_types":
            return lambda: self._fetch_document_types(key[1])
        return lambda: self._fetch_payment_types(key[1])

    def _fetch_taxes(self) -> dict[int, Tax]:
        return {tax.id: tax for tax in self._client.taxes.list()}

    def _fetch_expenses(self) -> dict[int, Expense]:
        return {entry.id: entry for entry in self._client.expenses.list()}

    def _fetch_misc_incomes(self) -> dict[int, MiscIncome]:
        return {entry.id: entry for entry in self._client.misc_incomes.list()}

    def _fetch_asset_groups(self) -> dict[int, AssetGroup]:
        return {entry.id: entry for entry in self._client.asset_groups.list()}

    # The resources validate the kind (a local ValidationError, nothing cached, for a bad one).
    def _fetch_document_types(self, kind: str) -> dict[int, DocumentType]:
        rows = self._client.document_types.list(type=cast(Any, kind))
        return {entry.id: entry for entry in rows}

    def _fetch_payment_types(self, kind: str) -> dict[int, PaymentType]:
        rows = self._client.payment_types.list(document_type=cast(Any, kind))
        return {entry.id: entry for entry in rows}


def _kind(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise refuse("invalid_type", "catalogs.kind_not_text", name, name=name, type=type(value).__name__)
    return value
