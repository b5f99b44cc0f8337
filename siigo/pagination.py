"""Results of list calls.

``client.products.list(...)`` (and every list that Siigo pages) returns a :class:`Page`: **the
whole result, read one page at a time**.

- ``for product in client.products.list()`` walks every item of every page, fetching the next
  page when the previous one is used up (only one page is held in memory); ``page.to_list()``
  reads them all into a list.
- One page is ``page.items`` (a plain ``list``: ``len(page.items)``, ``page.items[0]``), with
  ``page.page``, ``page.page_size``, ``page.total_results`` (Siigo's count of all results),
  ``page.has_next_page()``, ``page.next_page()`` and ``page.iter_pages()``.
- ``page.iter_raw()`` walks the same items as plain dicts, exactly as Siigo sent them (amounts
  as exact ``Decimal`` s), and ``page.iter_json()`` as JSON lines: the following pages are read
  without building any model, for exports of any size in flat memory (CSV rows: feed
  ``iter_raw()`` to a ``csv.DictWriter``).
- A ``Page`` has no ``len()`` and no indexing: either would count or index one page while
  iterating it yields every page, so ``len(page)`` is a type error (and a ``TypeError``) instead
  of a silent wrong count.  ``bool(page)`` is true when there is any result.

Catalogs that Siigo answers in one piece (taxes, warehouses, document types...) return a
:class:`Catalog`: a ``list`` holding everything (so ``len()`` and indexing count and index all of
it), which also answers the one-page names of :class:`Page` (``items``, ``total_results``,
``has_next_page()``, ``iter_pages()``, ``to_list()``), so code written for either works on both.

The next page is driven by the ``pagination`` block Siigo returned, because Siigo raises page
sizes below 10 and caps them at 100; ``_links``, ``__links`` and ``links`` are all read, but a
link to another host is never followed with the token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Protocol, TypeVar
from urllib.parse import parse_qs, urlsplit

from pydantic import AliasChoices, BaseModel, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from . import _json
from .errors import APIError
from .models._base import ResponseModel
from .models.common import Links, Pagination

__all__ = ["Catalog", "Envelope", "Page", "RawEnvelope", "Reader"]

T = TypeVar("T", bound=BaseModel)

MAX_PAGE_RESULTS = 100
"""Siigo's largest page: an answer with more results is refused before any is validated."""


def _results_count(value: Any) -> Any:
    if isinstance(value, list) and len(value) > MAX_PAGE_RESULTS:
        raise PydanticCustomError(
            "too_many_results",
            "a page has {count} results; Siigo sends at most {most}",
            {"count": len(value), "most": MAX_PAGE_RESULTS},
        )
    return value


class RawEnvelope(ResponseModel):
    """Siigo's list envelope with its results kept as plain dicts (see :meth:`Page.iter_raw`)."""

    pagination: Pagination | None = None
    results: Annotated[list[dict[str, Any]], BeforeValidator(_results_count)] = Field(default_factory=list)
    links: Links | None = Field(default=None, validation_alias=AliasChoices("_links", "__links", "links"))


RawFetch = Callable[[int, "int | None"], "Page[Any]"]
"""Reads one page with :class:`RawEnvelope` (plain dict items)."""


class Envelope(ResponseModel, Generic[T]):
    """Siigo's list envelope: ``pagination``, ``results`` and the links block."""

    pagination: Pagination | None = None
    results: Annotated[list[T], BeforeValidator(_results_count)] = Field(default_factory=list)
    links: Links | None = Field(default=None, validation_alias=AliasChoices("_links", "__links", "links"))


class Pending(Protocol):
    """A following page requested before the walk needs it (see :class:`Reader`)."""

    def answer(self) -> Any:
        """Wait for the request; its decoded answer (when it was not answered, that of the
        page asked for again with the client's policy), or ``None`` to leave that
        request to the walk."""
        ...

    def wait(self) -> None:
        """Wait for the request and forget its answer (a walk that ended early)."""
        ...


@dataclass(frozen=True)
class Reader(Generic[T]):
    """How a walk reads the following page ahead: ``start(page, page_size)`` requests it on a
    thread of its own (``None`` when it may not), ``raw(answer)`` makes the decoded answer a page
    of plain dicts (enough to know what comes after it) and ``full(answer)`` a page of models."""

    start: Callable[[int, int | None], Pending | None]
    raw: Callable[[Any], Page[Any]]
    full: Callable[[Any], Page[T]]


class Page(Generic[T]):
    """The result of a paged list call: iterating it walks every item of every page.

    ``items`` is this one page (a ``list``); ``total_results`` Siigo's count of all results.
    There is no ``len(page)`` or ``page[i]`` (they could only count or index one page, which
    iteration does not stop at): use ``len(page.items)`` / ``page.items[i]`` for the page, or
    ``page.to_list()`` for everything.
    """

    __slots__ = (
        "_fetch",
        "_fetch_raw",
        "_next_hint",
        "_raw",
        "_reader",
        "_reported",
        "items",
        "links",
        "page",
        "page_size",
        "total_results",
    )

    def __init__(
        self,
        envelope: Envelope[T] | RawEnvelope,
        *,
        fetch: Callable[[int, int | None], Page[T]] | None,
        same_origin: Callable[[str], bool] | None = None,
        fetch_raw: RawFetch | None = None,
        raw: list[dict[str, Any]] | None = None,
    ) -> None:
        self._reported = envelope.pagination is not None and "page" in envelope.pagination.model_fields_set
        pagination = envelope.pagination or Pagination(page=1, page_size=len(envelope.results))
        self.items: list[T] = envelope.results  # type: ignore[assignment]  # dicts in a raw page
        self._fetch_raw = fetch_raw
        self._raw = raw
        self.page: int = pagination.page or 1
        self.page_size: int = pagination.page_size or len(self.items)
        self.total_results: int = pagination.total_results
        self.links: Links | None = envelope.links
        self._fetch = fetch
        self._next_hint: int | None = None
        self._reader: Reader[T] | None = None
        next_href = self.links.next.href if self.links and self.links.next else None
        if next_href and (same_origin is None or same_origin(next_href)):
            values = parse_qs(urlsplit(next_href).query).get("page")
            if values and values[0].isdigit():
                self._next_hint = int(values[0])

    def __repr__(self) -> str:
        return (
            f"Page(page={self.page}, page_size={self.page_size}, items={len(self.items)}, "
            f"total_results={self.total_results})"
        )

    def __bool__(self) -> bool:
        """True when the list has any result (the first page is empty only when none)."""
        return bool(self.items)

    def has_next_page(self) -> bool:
        if not self.items or self._fetch is None:
            return False
        if self._next_hint is not None and self._next_hint > self.page:
            return True
        return self.page * self.page_size < self.total_results

    def next_page(self) -> Page[T] | None:
        """Fetch the following page, or ``None`` after the last one."""
        return self._following(self._fetch)

    def _target(self) -> int | None:
        """The number of the following page, or ``None`` after the last one."""
        if not self.has_next_page():
            return None
        return self._next_hint if self._next_hint and self._next_hint > self.page else self.page + 1

    def _following(self, fetch: Callable[[int, int | None], Page[Any]] | None) -> Page[Any] | None:
        target = self._target()
        if target is None or fetch is None:
            return None
        return self._arrived(fetch(target, self.page_size or None), target)

    def _arrived(self, following: Page[Any], target: int) -> Page[Any]:
        if not following._reported:
            following.page = target
        if following.page <= self.page:
            # Walking on would read the same pages again, for ever.
            raise APIError(
                f"asked for page {target} after page {self.page}, but Siigo answered page "
                f"{following.page}; stopping rather than reading the same pages again",
                status=200,
                method="GET",
            )
        return following

    def _read_ahead(self) -> Pending | None:
        """Request the following page now, if there is one and the client reads ahead."""
        reader = self._reader
        target = self._target() if reader is not None else None
        if reader is None or target is None:
            return None
        return reader.start(target, self.page_size or None)

    def _advance(self, pending: Pending | None, *, raw: bool) -> tuple[Page[Any] | None, Pending | None]:
        """The following page (of dicts with ``raw``) and the request for the one after it.

        An answer read ahead is made a page of dicts first, which tells whether another page
        follows: that one is requested before this one's models are built, so that the server
        prepares it meanwhile."""
        answer = pending.answer() if pending is not None else None
        target = self._target()
        if answer is None or target is None or self._reader is None:
            following = self._following(self._fetch_raw if raw else self._fetch)
            return following, following._read_ahead() if following is not None else None
        try:
            shape = self._arrived(self._reader.raw(answer), target)
        except APIError:
            if not raw:
                # A walk over models raises what it raises without reading ahead: the models'
                # own refusal (``Envelope[Model]``) when they refuse the page too.
                self._reader.full(answer)
            raise
        after = shape._read_ahead()
        try:
            return (shape if raw else self._arrived(self._reader.full(answer), target)), after
        except BaseException:
            if after is not None:
                after.wait()
            raise

    def iter_raw(self) -> Iterator[dict[str, Any]]:
        """Every item of this page and of the following pages as Siigo sent it: plain dicts
        (wire names, amounts as exact ``Decimal`` s), with no model built for the following
        pages, so memory stays that of one page whatever the number of pages.

        This page's items are its answer's own dicts when the page kept them (pages of
        ``client.<resource>.list(...)`` do), else its models dumped with their wire names.
        """
        if self._fetch_raw is None:
            # Pages built without a raw reader: walk the validated pages instead.
            for page in self.iter_pages():
                yield from page._rows()
            return
        current: Page[Any] | None = self
        pending = self._read_ahead()
        try:
            yield from self._rows()
            while current is not None:
                current, pending = current._advance(pending, raw=True)
                if current is not None:
                    yield from current._raw or ()
        finally:
            if pending is not None:  # a walk left early: its request ends before the walk does
                pending.wait()

    def _rows(self) -> Iterator[dict[str, Any]]:
        """This page's items as dicts: its answer's own when it kept them, else its models dumped."""
        if self._raw is not None:
            yield from self._raw
        else:
            for item in self.items:
                yield item.model_dump(mode="python", by_alias=True)

    def iter_json(self) -> Iterator[str]:
        """:meth:`iter_raw` as JSON lines (one compact JSON object per item, no newline), amounts
        with their exact digits: ``out.writelines(line + "\\n" for line in page.iter_json())``."""
        for row in self.iter_raw():
            yield _json.dumps(row).decode("ascii")

    def iter_pages(self) -> Iterator[Page[T]]:
        """This page and every following one.

        The following page may be requested while this one is in use (``read_ahead``, see
        :class:`siigo.Client`)."""
        page: Page[T] | None = self
        pending = self._read_ahead()
        try:
            while page is not None:
                yield page
                page, pending = page._advance(pending, raw=False)
        finally:
            if pending is not None:  # a walk left early: its request ends before the walk does
                pending.wait()

    def __iter__(self) -> Iterator[T]:
        """Every item of this page and of the following pages."""
        for page in self.iter_pages():
            yield from page.items

    def to_list(self) -> list[T]:
        """Fetch everything (mind the memory for large lists)."""
        return list(self)

    def model_dump(self) -> dict[str, Any]:
        return {
            "pagination": {
                "page": self.page,
                "page_size": self.page_size,
                "total_results": self.total_results,
            },
            "results": [item.model_dump(mode="json", by_alias=True) for item in self.items],
        }


class Catalog(list[T]):
    """A catalog Siigo answers in one piece: a ``list`` of everything (``len()``, indexing and
    iteration all cover the whole catalog), with the one-page names of :class:`Page` so that the
    same code reads a catalog and a paged list."""

    @property
    def items(self) -> list[T]:
        """The entries (the whole catalog is one page)."""
        return list(self)

    @property
    def total_results(self) -> int:
        return len(self)

    def has_next_page(self) -> bool:
        """Always false: a catalog is one page."""
        return False

    def next_page(self) -> Catalog[T] | None:
        """Always ``None``: a catalog is one page."""
        return None

    def iter_pages(self) -> Iterator[Catalog[T]]:
        """The one page: this catalog."""
        yield self

    def to_list(self) -> list[T]:
        return list(self)

    def iter_raw(self) -> Iterator[dict[str, Any]]:
        """The entries as plain dicts with their wire names (as :meth:`Page.iter_raw`)."""
        for item in self:
            yield item.model_dump(mode="python", by_alias=True)

    def iter_json(self) -> Iterator[str]:
        """The entries as JSON lines (as :meth:`Page.iter_json`)."""
        for row in self.iter_raw():
            yield _json.dumps(row).decode("ascii")
