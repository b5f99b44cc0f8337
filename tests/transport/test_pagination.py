"""Pagination: Page walks every page, follows Siigo's own page size, reads every links key."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl

import pytest
from pydantic import TypeAdapter

from siigo import Client, ValidationError
from siigo.models.catalogs import User
from siigo.sandbox import Sandbox

from ..conftest import example_bytes


def _add_users(sandbox: Sandbox, count: int) -> None:
    users = sandbox.tenant().catalogs["users"]
    for n in range(count):
        users.append(
            {"id": 10000 + n, "username": f"u{n}@example.com", "first_name": f"U{n}", "active": True}
        )


def test_iterating_a_page_walks_every_page(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    _add_users(siigo_sandbox, 31)  # 4 fixture users + 31 = 35
    client = make_client()
    first = client.users.list(page_size=10)
    assert (first.page, first.page_size, first.total_results, len(first.items)) == (1, 10, 35, 10)
    assert first.has_next_page()
    ids = [user.id for user in first]
    assert len(ids) == 35 == len(set(ids))
    assert len(siigo_sandbox.journal(path="^/v1/users$")) == 4
    pages = list(first.iter_pages())
    assert [len(p.items) for p in pages] == [10, 10, 10, 5]
    assert not pages[-1].has_next_page()
    assert pages[-1].next_page() is None


def test_small_page_sizes_follow_what_siigo_returns(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    _add_users(siigo_sandbox, 16)  # 20 users
    client = make_client()
    page = client.users.list(page_size=2)  # Siigo raises sizes below 10 to 10
    assert page.page_size == 10
    assert len(page.to_list()) == 20
    queries = [dict(parse_qsl(e.query)) for e in siigo_sandbox.journal(path="^/v1/users$")]
    assert queries == [{"page_size": "2"}, {"page": "2", "page_size": "10"}]


@pytest.mark.parametrize("links_key", ["_links", "__links", "links"])
def test_every_links_key_is_understood(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], links_key: str
) -> None:
    siigo_sandbox.configure(links_key=links_key)
    _add_users(siigo_sandbox, 11)
    page = make_client().users.list(page_size=10)
    assert page.links is not None and page.links.next is not None
    assert page.links.next.href is not None and "page=2" in page.links.next.href
    assert len(list(page)) == 15


def test_links_to_another_host_are_not_followed(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    siigo_sandbox.configure(links_base="https://evil.example.net")
    _add_users(siigo_sandbox, 21)
    client = make_client()
    users = list(client.users.list(page_size=10))
    assert len(users) == 25
    # Every page came from the sandbox itself; the token never went to the other host.
    assert len(siigo_sandbox.journal(path="^/v1/users$")) == 3


def test_empty_page_stops_iteration(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    page = make_client().users.list(page=9, page_size=10)
    assert len(page.items) == 0
    assert not page.has_next_page()
    assert list(page) == []


def test_bad_page_arguments_are_refused_locally(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    with pytest.raises(ValidationError):
        client.users.list(page=0)
    with pytest.raises(ValidationError):
        client.users.list(page_size=-5)
    assert siigo_sandbox.journal(path="^/v1/users$") == []


def test_users_example_parses() -> None:
    users = TypeAdapter(list[User]).validate_json(example_bytes("get_users__response-200.json"))
    assert users[0].id == 35071 and users[0].last_name == "Yepes Sánchez"


def test_a_bare_array_answer_is_one_page(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    # Siigo's published example for /v1/users is a bare array; the live API pages.  Both work.
    siigo_sandbox.configure(users_as_array=True)
    page = make_client().users.list()
    assert [u.id for u in page] == [4120, 4121, 4122, 4129]
    assert page.total_results == 0 and not page.has_next_page()
    assert len(siigo_sandbox.journal(path="^/v1/users$")) == 1
