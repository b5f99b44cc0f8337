"""What a list result is: a paged list is the whole result read a page at a time (no ``len``, so
one page is never mistaken for all), a catalog a complete ``list``; both answer the same names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from siigo import Catalog, Client, Page
from siigo.sandbox import Sandbox

from .test_pagination import _add_users


def test_a_paged_list_has_no_len_or_index_and_iterates_everything(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    _add_users(siigo_sandbox, 21)  # 4 fixture users + 21 = 25
    page = make_client().users.list(page_size=10)
    with pytest.raises(TypeError, match="has no len"):
        len(page)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not subscriptable"):
        page[0]  # type: ignore[index]
    assert bool(page) and len(page.items) == 10
    everything = list(page)
    assert len(everything) == page.total_results == len(page.to_list()) == 25
    assert everything[:10] == page.items


def test_an_empty_paged_list_is_falsy(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    page = make_client().users.list(page=9, page_size=10)
    assert not page and page.items == [] and list(page) == []


def test_a_catalog_is_a_complete_list(siigo_client: Client) -> None:
    taxes = siigo_client.taxes.list()
    assert isinstance(taxes, list) and isinstance(taxes, Catalog)
    assert len(taxes) == len(list(taxes)) == taxes.total_results > 0
    assert taxes[0] == taxes.items[0]
    assert not taxes.has_next_page() and taxes.next_page() is None
    assert list(taxes.iter_pages()) == [taxes]


def _walk(result: Page[Any] | Catalog[Any]) -> tuple[int, int, list[Any]]:
    """The same code over a paged list and a catalog: pages, entries, everything."""
    pages = 0
    entries = 0
    for one in result.iter_pages():
        pages += 1
        entries += len(one.items)
    return pages, entries, result.to_list()


def test_catalogs_and_paged_lists_answer_the_same_names(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    _add_users(siigo_sandbox, 21)
    client = make_client()
    users = client.users.list(page_size=10)
    pages, entries, everything = _walk(users)
    assert (pages, entries, len(everything)) == (3, 25, 25)
    warehouses = client.warehouses.list()
    pages, entries, everything = _walk(warehouses)
    assert (pages, entries, everything) == (1, len(warehouses), list(warehouses))
