"""Reading ahead: a walk over every page requests the following page while it uses the current
one, never more than one page ahead, never past the limiter, and with the walk's own errors.

By default (``read_ahead=None``) a client never reads ahead from an API on loopback, so these
tests ask for it (``read_ahead=True``), and a fault delays the sandbox's answers as the internet
would."""

from __future__ import annotations

import ipaddress
import re
import shutil
import socket
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import redis
import requests

from siigo import (
    APIError,
    APITimeoutError,
    Client,
    ConfigurationError,
    NotFoundError,
    RateLimiter,
    RedisRateLimiter,
    SiigoError,
    SqliteRateLimiter,
)
from siigo._config import READ_AHEAD_AFTER, is_loopback, reads_ahead
from siigo._transport import NotNow
from siigo.sandbox import Sandbox

USERS_PATH = "^/v1/users$"


def _add_users(sandbox: Sandbox, count: int) -> None:
    users = sandbox.tenant().catalogs["users"]
    for n in range(len(users), len(users) + count):
        users.append(
            {"id": 20000 + n, "username": f"r{n}@example.com", "first_name": f"R{n}", "active": True}
        )


def _slow_answers(sandbox: Sandbox) -> None:
    """Every answer to ``GET /v1/users`` takes at least twice ``READ_AHEAD_AFTER``."""
    sandbox.inject_fault(path=USERS_PATH, method="GET", delay=2 * READ_AHEAD_AFTER, count=None)


def _pages_asked(sandbox: Sandbox) -> list[str]:
    return [dict(parse_qsl(entry.query)).get("page", "1") for entry in sandbox.journal(path=USERS_PATH)]


def _pages_asked_during_and_after_page_one(sandbox: Sandbox, client: Client) -> tuple[list[str], list[str]]:
    """The pages asked for while a walk of 30 users in pages of 10 uses its first page (and
    then waits 0.2 s), and those asked for once it has gone through the other 20."""
    first = client.users.list(page_size=10)
    sandbox.clear_journal()
    items = iter(first)
    for _ in range(10):
        next(items)  # the whole of page 1
    time.sleep(0.2)
    during = _pages_asked(sandbox)
    assert len(list(items)) == 20
    return during, _pages_asked(sandbox)


def _wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if condition():
            return True
        time.sleep(0.005)
    return condition()


WALKS: dict[str, Callable[[Any], Iterator[Any]]] = {
    "items": lambda page: iter(page),
    "pages": lambda page: (item for each in page.iter_pages() for item in each.items),
    "raw": lambda page: page.iter_raw(),
    "json": lambda page: page.iter_json(),
}


@pytest.mark.parametrize("walk", list(WALKS))
def test_the_following_page_is_asked_for_while_the_walk_uses_this_one(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], walk: str
) -> None:
    _add_users(siigo_sandbox, 26)  # 30 users: pages of 10, 10, 10
    _slow_answers(siigo_sandbox)
    client = make_client(read_ahead=True)
    first = client.users.list(page_size=10)
    siigo_sandbox.clear_journal()
    items = WALKS[walk](first)
    next(items)  # the walk is on page 1; nobody asked for page 2
    assert _wait_for(lambda: _pages_asked(siigo_sandbox) == ["2"])
    rest = list(items)
    assert len(rest) == 29
    assert _pages_asked(siigo_sandbox) == ["2", "3"]  # each page once, nothing past the last


@pytest.mark.parametrize("how", ["read_ahead=False", "own session", "default, on loopback"])
def test_no_page_is_asked_for_before_it_is_needed_when_reading_ahead_is_off(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], how: str
) -> None:
    _add_users(siigo_sandbox, 26)
    _slow_answers(siigo_sandbox)
    choices: dict[str, dict[str, Any]] = {
        "read_ahead=False": {"read_ahead": False},
        # A session of the user's own: the client cannot tell when a request has been written.
        "own session": {"session": requests.Session(), "read_ahead": True},
        # The default never reads ahead from loopback, however slow the answers.
        "default, on loopback": {},
    }
    options = choices[how]
    client = make_client(**options)
    assert _pages_asked_during_and_after_page_one(siigo_sandbox, client) == ([], ["2", "3"])


def test_a_walk_left_early_has_asked_for_one_page_more_and_nothing_after(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    _add_users(siigo_sandbox, 36)  # 40 users, 4 pages
    _slow_answers(siigo_sandbox)
    client = make_client(read_ahead=True)
    first = client.users.list(page_size=10)
    siigo_sandbox.clear_journal()
    for seen, _user in enumerate(first, start=1):
        if seen == 15:  # on page 2
            break
    # Leaving the loop waited for the request of page 3: it is in the journal already.
    assert _pages_asked(siigo_sandbox) == ["2", "3"]
    time.sleep(0.2)
    assert _pages_asked(siigo_sandbox) == ["2", "3"]


def test_an_abandoned_answer_is_never_used_by_a_later_walk(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    _add_users(siigo_sandbox, 16)  # 20 users
    _slow_answers(siigo_sandbox)
    client = make_client(read_ahead=True)
    first = client.users.list(page_size=10)
    next(iter(first))  # page 2 is read ahead, then the walk is dropped
    _add_users(siigo_sandbox, 1)  # a 21st user, on page 3
    ids = [user.id for user in first]
    assert len(ids) == 21 == len(set(ids))


def test_a_failed_read_ahead_is_asked_again_by_the_walk_with_its_retries(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    _add_users(siigo_sandbox, 26)
    _slow_answers(siigo_sandbox)
    client = make_client(read_ahead=True)
    first = client.users.list(page_size=10)
    siigo_sandbox.clear_faults()
    siigo_sandbox.clear_journal()
    # Page 2 fails once (read ahead: no retry), then page 2 fails once more (the walk retries).
    siigo_sandbox.inject_fault(path=USERS_PATH, status=503, count=2)
    _slow_answers(siigo_sandbox)
    ids = [user.id for user in first]
    assert len(ids) == 30 == len(set(ids))
    statuses = [
        (dict(parse_qsl(e.query)).get("page"), e.status) for e in siigo_sandbox.journal(path=USERS_PATH)
    ]
    assert statuses == [("2", 503), ("2", 503), ("2", 200), ("3", 200)]


def test_a_page_siigo_refuses_raises_the_walks_own_error(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    _add_users(siigo_sandbox, 26)
    _slow_answers(siigo_sandbox)
    errors = {}
    for read_ahead in (True, False):
        client = make_client(read_ahead=read_ahead)
        first = client.users.list(page_size=10)
        siigo_sandbox.clear_faults()
        siigo_sandbox.inject_fault(path=USERS_PATH, status=400, count=None)
        with pytest.raises(APIError, match=r"^Siigo answered 400 to GET /v1/users ") as caught:
            list(first)
        siigo_sandbox.clear_faults()
        _slow_answers(siigo_sandbox)
        errors[read_ahead] = (caught.value.status, caught.value.method, caught.value.path)
    assert errors[True] == errors[False] == (400, "GET", "/v1/users")


def test_a_read_ahead_never_waits_for_the_limiter(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    limiter = RateLimiter(1, period=60)
    client = make_client(rate_limit=limiter, read_ahead=True)
    with limiter.slot():  # the only place is taken
        began = time.monotonic()
        with pytest.raises(NotNow, match="no place free in the rate limit"):
            client._transport.request("GET", "/v1/users", params={"page": "2"}, ahead=True)
        assert time.monotonic() - began < 1.0
    assert siigo_sandbox.journal(path=USERS_PATH) == []


def test_a_walk_under_a_tight_limit_asks_for_each_page_once(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    _add_users(siigo_sandbox, 36)  # 4 pages
    _slow_answers(siigo_sandbox)
    # Two places per 0.3 s: some reads ahead find no place and are left to the walk.
    limiter = RateLimiter(2, period=0.3, margin=0.0)
    client = make_client(rate_limit=limiter, read_ahead=True)
    ids = [user.id for user in client.users.list(page_size=10)]
    assert len(ids) == 40 == len(set(ids))
    assert _pages_asked(siigo_sandbox) == ["1", "2", "3", "4"]


def test_raw_responses_records_the_pages_read_ahead_for_the_walking_thread(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    _add_users(siigo_sandbox, 26)
    _slow_answers(siigo_sandbox)
    client = make_client(read_ahead=True)
    with client.raw_responses() as seen:
        assert len(client.users.list(page_size=10).to_list()) == 30
    pages = [dict(parse_qsl(r.url.partition("?")[2])).get("page", "1") for r in seen if "/v1/users" in r.url]
    assert pages == ["1", "2", "3"]


def test_read_ahead_must_be_true_false_or_none(siigo_sandbox: Sandbox) -> None:
    with pytest.raises(
        ConfigurationError, match=r"read_ahead must be True \(always\), False \(never\) or None"
    ):
        siigo_sandbox.client(read_ahead="no")
    client = siigo_sandbox.client()
    assert client.read_ahead is None
    assert client.with_options(read_ahead=False).read_ahead is False
    assert client.with_options(read_ahead=True).with_options(timeout=3).read_ahead is True
    with pytest.raises(ConfigurationError, match="got 1"):
        client.with_options(read_ahead=1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("setting", "base_url", "last_answer", "expected"),
    [
        (None, "https://api.siigo.com", READ_AHEAD_AFTER, True),
        (None, "https://api.siigo.com", READ_AHEAD_AFTER / 2, False),
        (None, "http://127.0.0.1:8765", 1.0, False),
        (None, "http://localhost:8765", 1.0, False),
        (None, "http://[::1]:8765", 1.0, False),
        (True, "http://127.0.0.1:8765", 0.0, True),
        (False, "https://api.siigo.com", 1.0, False),
    ],
)
def test_when_a_walk_reads_ahead(
    setting: bool | None, base_url: str, last_answer: float, expected: bool
) -> None:
    assert reads_ahead(setting, base_url, last_answer) is expected


def test_a_request_made_ahead_is_tried_once(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client(max_retries=3)
    client.authenticate()
    siigo_sandbox.clear_journal()
    siigo_sandbox.inject_fault(path=USERS_PATH, status=503, count=2)
    with pytest.raises(APIError, match=r"^Siigo answered 503 to GET /v1/users ") as caught:
        client._transport.request("GET", "/v1/users", params={"page": "2"}, ahead=True)
    assert caught.value.status == 503
    assert [e.status for e in siigo_sandbox.journal(path=USERS_PATH)] == [503]
    # The same request made by the walk itself is retried past both faults.
    client._transport.request("GET", "/v1/users", params={"page": "2"})
    assert [e.status for e in siigo_sandbox.journal(path=USERS_PATH)] == [503, 503, 200]


@pytest.fixture(params=["redis", "sqlite"])
def shared_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "redis":
        url: str = request.getfixturevalue("redis_server")
        redis.Redis.from_url(url).flushdb()
        return url
    return f"sqlite://{tmp_path / 'shared.db'}"


def test_a_walk_reads_ahead_through_a_limiter_shared_by_processes(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], shared_url: str
) -> None:
    _add_users(siigo_sandbox, 26)
    _slow_answers(siigo_sandbox)
    client = make_client(shared_url=shared_url, rate_limit=100, read_ahead=True)
    first = client.users.list(page_size=10)
    siigo_sandbox.clear_journal()
    items = iter(first)
    next(items)
    assert _wait_for(lambda: _pages_asked(siigo_sandbox) == ["2"])
    assert len(list(items)) == 29
    assert _pages_asked(siigo_sandbox) == ["2", "3"]


@pytest.mark.parametrize("kind", ["redis", "sqlite"])
def test_a_full_shared_limiter_gives_no_place_and_keeps_no_reservation(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    limiter: RedisRateLimiter | SqliteRateLimiter
    if kind == "redis":
        url: str = request.getfixturevalue("redis_server")
        redis.Redis.from_url(url).flushdb()
        limiter = RedisRateLimiter(url, "company", 2, period=60)

        def reserved() -> int:
            return int(redis.Redis.from_url(url).zcard("company:starts"))
    else:
        path = tmp_path / "shared.db"
        limiter = SqliteRateLimiter(path, "company", 2, period=60)

        def reserved() -> int:
            with sqlite3.connect(path) as db:
                (count,) = db.execute("SELECT count(*) FROM starts WHERE name = 'company'").fetchone()
            return int(count)

    first = limiter.try_slot()
    assert first is not None
    with first as waited:
        assert waited == 0.0
    assert reserved() == 1
    limiter.acquire()
    assert reserved() == 2
    began = time.monotonic()
    assert limiter.try_slot() is None  # full: no place, no wait
    assert time.monotonic() - began < 1.0
    assert reserved() == 2  # and nothing left reserved by the refusal


def test_the_walk_goes_on_while_the_following_page_is_on_its_way(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    _add_users(siigo_sandbox, 26)
    client = make_client(read_ahead=True)
    first = client.users.list(page_size=10)
    siigo_sandbox.inject_fault(path=USERS_PATH, method="GET", delay=1.0, count=1)  # page 2
    items = iter(first)
    began = time.monotonic()
    page_one = [next(items) for _ in range(10)]
    # The whole of page 1 came while page 2's answer was still a second away.
    assert time.monotonic() - began < 0.5
    assert len(page_one) + len(list(items)) == 30
    assert _pages_asked(siigo_sandbox).count("2") == 1  # read ahead once, and used


def test_a_429_read_ahead_holds_the_limiter_for_its_retry_after(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    _add_users(siigo_sandbox, 26)
    client = make_client(read_ahead=True, rate_limit=100)
    first = client.users.list(page_size=10)
    siigo_sandbox.clear_journal()
    siigo_sandbox.inject_fault(path=USERS_PATH, status=429, retry_after=1.0, count=1)
    began = time.monotonic()
    assert len(list(first)) == 30
    assert time.monotonic() - began >= 0.9  # the walk's own request waited for Retry-After
    statuses = [
        (dict(parse_qsl(e.query)).get("page"), e.status) for e in siigo_sandbox.journal(path=USERS_PATH)
    ]
    assert statuses == [("2", 429), ("2", 200), ("3", 200)]


def test_a_page_read_ahead_never_logs_in(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    _add_users(siigo_sandbox, 26)
    client = make_client(read_ahead=True)
    first = client.users.list(page_size=10)
    client._tokens._store.delete(client._tokens._key)  # the token is gone: the next call logs in
    siigo_sandbox.clear_journal()
    with pytest.raises(NotNow, match="no valid token without logging in"):
        client._transport.request("GET", "/v1/users", params={"page": "2"}, ahead=True)
    assert siigo_sandbox.journal() == []
    assert len(list(first)) == 30
    assert len(siigo_sandbox.journal(method="POST", path="^/auth$")) == 1  # the walk's own login


def test_nothing_is_read_ahead_behind_a_proxy(
    siigo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "")
    client = siigo_sandbox.client(read_ahead=True)
    assert client._transport.tells_when_sent() is False
    monkeypatch.delenv("HTTP_PROXY")
    assert siigo_sandbox.client(read_ahead=True)._transport.tells_when_sent() is True


def test_a_page_that_never_answers_raises_after_one_deadline_with_or_without_reading_ahead(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    _add_users(siigo_sandbox, 26)
    deadline = 0.6
    outcomes: dict[bool, tuple[type[BaseException], str, float]] = {}
    for read_ahead in (False, True):
        client = make_client(read_ahead=read_ahead, deadline=deadline)
        first = client.users.list(page_size=10)
        siigo_sandbox.inject_fault(path=USERS_PATH, method="GET", delay=5 * deadline, count=None)
        began = time.monotonic()
        with pytest.raises(APITimeoutError, match="the call's deadline of") as caught:
            list(first)
        outcomes[read_ahead] = (type(caught.value), str(caught.value), time.monotonic() - began)
        siigo_sandbox.clear_faults()
    assert outcomes[True][:2] == outcomes[False][:2]
    assert (
        outcomes[True][1]
        == f"GET /v1/users: the call's deadline of {deadline:g} s passed (deadline= sets it)"
    )
    # The request ahead and the walk's own one share one deadline, not one each.
    for read_ahead, (_, _, took) in outcomes.items():
        assert deadline * 0.9 <= took < deadline * 1.5, (read_ahead, took)


@pytest.mark.parametrize("walk", ["items", "pages"])
def test_a_malformed_page_raises_the_same_error_with_or_without_reading_ahead(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], walk: str
) -> None:
    _add_users(siigo_sandbox, 16)  # 20 users: pages of 10, 10
    siigo_sandbox.tenant().catalogs["users"][15] = "not a user"  # on page 2
    errors: dict[bool, tuple[type[BaseException], int | None, str]] = {}
    for read_ahead in (False, True):
        first = make_client(read_ahead=read_ahead).users.list(page_size=10)
        with pytest.raises(APIError, match=r"does not match Envelope\[User\]") as caught:
            list(WALKS[walk](first))
        errors[read_ahead] = (type(caught.value), caught.value.status, str(caught.value))
    assert errors[True] == errors[False]
    assert errors[True][2].startswith("GET /v1/users: Siigo's answer does not match Envelope[User]: ")


@pytest.mark.parametrize(
    ("setting", "base_url", "expected"),
    [
        (None, "https://sandbox.ci.example.com", False),
        (None, "https://192.0.2.7:8765", False),
        (True, "https://sandbox.ci.example.com", True),
        (False, "https://sandbox.ci.example.com", False),
    ],
)
def test_the_default_never_reads_ahead_from_an_answer_marked_by_the_sandbox(
    setting: bool | None, base_url: str, expected: bool
) -> None:
    assert reads_ahead(setting, base_url, 1.0, sandbox=True) is expected
    assert reads_ahead(setting, base_url, 1.0, sandbox=False) is (setting is not False)


def _own_address() -> str | None:
    """An address of this machine's that is not loopback (``None`` when it has none)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
            address: str = probe.getsockname()[0]
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback else address


@pytest.fixture
def sandbox_by_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """A sandbox reached by an address that is not loopback, over HTTPS (the client refuses
    plain HTTP anywhere but on loopback), with a certificate of its own that the clients trust."""
    address = _own_address()
    if address is None or shutil.which("openssl") is None:
        pytest.skip("needs a network address that is not loopback and the openssl command")
    cert, key = tmp_path / "sandbox.crt", tmp_path / "sandbox.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=siigo-sandbox", "-addext", f"subjectAltName=IP:{address}"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
    with Sandbox(host=address, ssl_context=(str(cert), str(key))) as sandbox:
        yield sandbox


def test_the_default_never_reads_ahead_from_the_sandbox_by_another_name(
    sandbox_by_address: Sandbox,
) -> None:
    sandbox = sandbox_by_address
    _add_users(sandbox, 26)
    _slow_answers(sandbox)
    client = sandbox.client()
    url = client._transport.base_url
    # Nothing but the answers' mark tells this API from Siigo's: not loopback, slow enough.
    assert not is_loopback(urlsplit(url).hostname) and url.startswith("https://")
    assert client._transport.tells_when_sent()
    assert reads_ahead(None, url, 2 * READ_AHEAD_AFTER)
    assert _pages_asked_during_and_after_page_one(sandbox, client) == ([], ["2", "3"])
    # The same walk with read_ahead=True does read ahead there: the rule is what differs.
    first = client.with_options(read_ahead=True).users.list(page_size=10)
    sandbox.clear_journal()
    next(iter(first))
    assert _wait_for(lambda: _pages_asked(sandbox) == ["2"])


def test_a_page_that_times_out_is_tried_as_often_with_or_without_reading_ahead(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    """The request ahead that timed out is the first of the page's attempts: the walk makes the
    others, so the page is asked for as many times, and the error is the same."""
    _add_users(siigo_sandbox, 26)
    read_timeout = 0.3
    outcomes: dict[bool, tuple[type[BaseException], str, int, float]] = {}
    for read_ahead in (False, True):
        client = make_client(read_ahead=read_ahead, timeout=read_timeout)  # 2 retries
        first = client.users.list(page_size=10)
        siigo_sandbox.clear_journal()
        siigo_sandbox.inject_fault(path=USERS_PATH, method="GET", delay=5 * read_timeout, count=None)
        began = time.monotonic()
        with pytest.raises(APITimeoutError, match=r"timeout after 3 attempt\(s\)") as caught:
            list(first)
        took = time.monotonic() - began
        siigo_sandbox.clear_faults()
        outcomes[read_ahead] = (type(caught.value), str(caught.value), len(_pages_asked(siigo_sandbox)), took)
    assert outcomes[True][:3] == outcomes[False][:3]
    assert outcomes[True][1].startswith("GET /v1/users: timeout after 3 attempt(s): ReadTimeout: ")
    assert outcomes[True][2] == 3
    assert outcomes[True][3] < 3 * read_timeout * 1.5, outcomes


def _ahead_walk_outcome(
    sandbox: Sandbox, client: Client, reason: str, **fault: Any
) -> tuple[type[BaseException], list[str]]:
    """The error of a walk of 30 users in pages of 10 whose following pages all meet ``fault``
    (their requests ahead included), whose text must begin with ``reason``, and the pages asked
    for once the first page was read."""
    _slow_answers(sandbox)  # the first page is slow enough for the default to read ahead too
    first = client.users.list(page_size=10)
    sandbox.clear_journal()
    sandbox.clear_faults()
    sandbox.inject_fault(path=USERS_PATH, method="GET", count=None, **fault)
    with pytest.raises(SiigoError, match=f"^{re.escape(reason)}") as caught:
        list(first)
    sandbox.clear_faults()
    return type(caught.value), _pages_asked(sandbox)


@pytest.mark.parametrize("read_ahead", [False, True])
def test_with_no_retries_a_page_whose_request_ahead_timed_out_is_not_asked_again(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], read_ahead: bool
) -> None:
    _add_users(siigo_sandbox, 26)
    client = make_client(read_ahead=read_ahead, timeout=0.3, max_retries=0)
    reason = "GET /v1/users: timeout after 1 attempt(s): ReadTimeout: "
    kind, asked = _ahead_walk_outcome(siigo_sandbox, client, reason, delay=1.5)
    assert kind is APITimeoutError
    assert asked == ["2"]  # one request for page 2, made ahead or by the walk, never both


@pytest.mark.parametrize("read_ahead", [False, True])
def test_a_following_page_refused_with_a_client_error_is_asked_for_once(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], read_ahead: bool
) -> None:
    _add_users(siigo_sandbox, 26)
    client = make_client(read_ahead=read_ahead)
    kind, asked = _ahead_walk_outcome(
        siigo_sandbox, client, "Siigo answered 404 to GET /v1/users ", status=404
    )
    assert kind is NotFoundError
    assert asked == ["2"]


@pytest.mark.parametrize("read_ahead", [False, True])
def test_a_following_page_refused_with_a_401_is_asked_for_again_after_a_login(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], read_ahead: bool
) -> None:
    """A 401 on the request ahead is not the end: the walk asks for the page once more (with a
    login if its token is refused too), as it would have without reading ahead."""
    _add_users(siigo_sandbox, 26)
    client = make_client(read_ahead=read_ahead)
    first = client.users.list(page_size=10)
    siigo_sandbox.clear_journal()
    siigo_sandbox.inject_fault(path=USERS_PATH, method="GET", status=401, count=1)
    assert len(list(first)) == 30
    assert _pages_asked(siigo_sandbox) == ["2", "2", "3"]
