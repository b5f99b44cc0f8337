"""Retries, timeouts, connection errors, error mapping and the rate limiter, over loopback."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

import pytest

from siigo import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    Client,
    ConfigurationError,
    NotFoundError,
    RateLimiter,
    RateLimitError,
    RetryPolicy,
    ServerError,
    ValidationError,
    WrongFormatInputError,
)
from siigo.errors import BaseError, PermissionDeniedError, SiigoError
from siigo.sandbox import Sandbox


def _statuses(sandbox: Sandbox, path: str) -> list[int | None]:
    return [e.status for e in sandbox.journal(path=path)]


def test_get_is_retried_on_5xx_until_it_succeeds(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    siigo_sandbox.inject_fault(path="^/v1/taxes$", status=503, count=1)
    siigo_sandbox.inject_fault(path="^/v1/taxes$", status=500, count=1)
    assert client.taxes.list()
    assert _statuses(siigo_sandbox, "^/v1/taxes$") == [503, 500, 200]


def test_retries_are_bounded(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    client = make_client()
    siigo_sandbox.inject_fault(path="^/v1/taxes$", status=503, count=10)
    with pytest.raises(ServerError) as caught:
        client.taxes.list()
    assert caught.value.status == 503
    assert caught.value.code == "service_unavailable"
    assert _statuses(siigo_sandbox, "^/v1/taxes$") == [503, 503, 503]


def test_retry_after_is_honoured(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    client = make_client()
    siigo_sandbox.inject_fault(path="^/v1/taxes$", status=429, retry_after=0.6, count=1)
    started = time.monotonic()
    client.taxes.list()
    elapsed = time.monotonic() - started
    assert elapsed >= 0.6
    assert _statuses(siigo_sandbox, "^/v1/taxes$") == [429, 200]


def test_without_retry_after_the_backoff_is_used(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client(retry=RetryPolicy(max_retries=1, backoff_base=0.3, backoff_max=0.3))
    siigo_sandbox.inject_fault(path="^/v1/taxes$", status=429, count=1)
    started = time.monotonic()
    client.taxes.list()
    elapsed = time.monotonic() - started
    assert 0.15 <= elapsed < 2.0  # jitter: between half and all of 0.3 s
    assert _statuses(siigo_sandbox, "^/v1/taxes$") == [429, 200]


def test_retry_after_is_capped(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    client = make_client(retry=RetryPolicy(max_retries=1, retry_after_max=0.2))
    siigo_sandbox.inject_fault(path="^/v1/taxes$", status=503, retry_after=30, count=1)
    started = time.monotonic()
    client.taxes.list()
    assert time.monotonic() - started < 5


def test_a_400_is_never_retried(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    client = make_client()
    client.account_groups.create(code="DUP1", name="Primera")
    with pytest.raises(BadRequestError) as caught:
        client.account_groups.create(code="DUP1", name="Otra")
    assert caught.value.codes == ["already_exists"]
    assert caught.value.errors[0].params == ("code",)
    assert isinstance(caught.value, WrongFormatInputError)  # the 0.1 library's name still catches it
    assert _statuses(siigo_sandbox, "^/v1/account-groups$") == [201, 400]


def test_post_without_idempotency_key_is_not_retried_on_5xx(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    siigo_sandbox.inject_fault(method="POST", path="^/v1/account-groups$", status=503, count=1)
    with pytest.raises(ServerError):
        client.account_groups.create(code="G503", name="Grupo")
    assert _statuses(siigo_sandbox, "^/v1/account-groups$") == [503]


def test_post_is_retried_on_429_because_nothing_was_processed(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    siigo_sandbox.inject_fault(
        method="POST", path="^/v1/account-groups$", status=429, retry_after=0.05, count=1
    )
    group = client.account_groups.create(code="G429", name="Grupo")
    assert group.code == "G429"
    assert _statuses(siigo_sandbox, "^/v1/account-groups$") == [429, 201]


def test_dropped_connection_on_get_is_retried(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    siigo_sandbox.inject_fault(path="^/v1/taxes$", drop="before", count=1)
    assert client.taxes.list()
    assert _statuses(siigo_sandbox, "^/v1/taxes$") == [0, 200]


def test_dropped_connection_on_plain_post_is_not_retried(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    siigo_sandbox.inject_fault(method="POST", path="^/v1/account-groups$", drop="after", count=1)
    with pytest.raises(APIConnectionError) as caught:
        client.account_groups.create(code="GDROP", name="Grupo")
    assert not isinstance(caught.value, APITimeoutError)
    assert caught.value.method == "POST"
    # The group was committed before the connection dropped: a blind retry would duplicate it.
    assert _statuses(siigo_sandbox, "^/v1/account-groups$") == [0]
    assert any(g.code == "GDROP" for g in client.account_groups.list())


def test_refused_connection_is_retried_then_mapped(make_client: Callable[..., Client]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = Client(
        "u@example.com",
        "key",
        "MiApp",
        base_url=f"http://127.0.0.1:{port}",
        retry=RetryPolicy(max_retries=2, backoff_base=0.01),
        rate_limit=None,
    )
    started = time.monotonic()
    with pytest.raises(APIConnectionError) as caught:
        client.taxes.list()
    assert "3 attempt" in str(caught.value)
    assert time.monotonic() - started < 5


def test_read_timeout_is_mapped_and_retried_for_reads(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client(timeout=(2.0, 0.3))
    client.authenticate()
    siigo_sandbox.inject_fault(path="^/v1/taxes$", delay=1.0, count=1)
    assert client.taxes.list()
    assert len(siigo_sandbox.journal(path="^/v1/taxes$")) == 2
    impatient = make_client(timeout=(2.0, 0.3), max_retries=0)
    siigo_sandbox.inject_fault(path="^/v1/cost-centers$", delay=1.0, count=1)
    with pytest.raises(APITimeoutError) as caught:
        impatient.cost_centers.list()
    assert isinstance(caught.value, APIConnectionError)
    assert caught.value.path == "/v1/cost-centers"


def test_error_statuses_map_to_typed_errors(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client(max_retries=0)
    with pytest.raises(NotFoundError) as not_found:
        client._transport.request("GET", "/v1/no-such-thing")
    assert not_found.value.status == 404
    siigo_sandbox.inject_fault(path="^/v1/taxes$", status=403, count=1)
    with pytest.raises(PermissionDeniedError):
        client.taxes.list()
    siigo_sandbox.inject_fault(path="^/v1/taxes$", status=429, retry_after=7, count=1)
    with pytest.raises(RateLimitError) as limited:
        client.taxes.list()
    assert limited.value.retry_after == 7
    assert limited.value.code == "requests_limit"
    for exc in (not_found.value, limited.value):
        assert isinstance(exc, SiigoError)
        assert isinstance(exc, BaseError)


def test_sandbox_rate_limit_answers_429(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    siigo_sandbox.configure(rate_limit=5)
    client = make_client(max_retries=0)
    for _ in range(5):
        client.taxes.list()
    with pytest.raises(RateLimitError) as caught:
        client.taxes.list()
    assert caught.value.retry_after is not None and 0 < caught.value.retry_after <= 60


def test_client_rate_limiter_spaces_requests(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client(rate_limit=RateLimiter(3, period=1.0, margin=0.0))
    client.authenticate()
    started = time.monotonic()
    for _ in range(7):
        client.taxes.list()
    elapsed = time.monotonic() - started
    # 3 at once, 3 after one second, 1 after two seconds.
    assert 2.0 <= elapsed < 3.5
    assert all(status == 200 for status in _statuses(siigo_sandbox, "^/v1/taxes$"))


def test_rate_limit_none_switches_the_limiter_off(siigo_sandbox: Sandbox) -> None:
    client = siigo_sandbox.client(rate_limit=None)
    assert client.rate_limiter is None
    default = Client("u@example.com", "k", "MiApp", base_url=siigo_sandbox.url)
    assert default.rate_limiter is not None and default.rate_limiter.limit == 100


def test_rate_limiter_with_a_fake_clock() -> None:
    now = [0.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(2, period=10.0, margin=0.0, clock=lambda: now[0], sleep=sleep)
    waits = [limiter.acquire() for _ in range(5)]
    assert waits[:2] == [0.0, 0.0]
    assert waits[2] == pytest.approx(10.0)
    assert waits[3] == pytest.approx(0.0)
    assert waits[4] == pytest.approx(10.0)
    with pytest.raises(ValueError):
        RateLimiter(0)


def test_a_slow_request_holds_its_place_until_its_answer() -> None:
    """The server counts a request when it arrives, which can be any time before its answer: a
    place is free again only one period after the answer, so a slow trip cannot squeeze more
    than the limit into one of the server's windows."""
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = RateLimiter(2, period=10.0, margin=0.0, clock=lambda: now[0], sleep=sleep)
    with limiter.slot() as first_wait:
        with limiter.slot() as second_wait:
            pass  # answered at once (t = 0)
        now[0] = 9.0  # the first request is answered nine seconds after it was let go
    assert (first_wait, second_wait) == (0.0, 0.0)
    # At t = 10 the second place is free again, the first only at t = 19.
    now[0] = 10.0
    with limiter.slot() as third_wait:
        pass
    assert third_wait == 0.0
    with limiter.slot() as fourth_wait:
        pass
    assert fourth_wait == pytest.approx(9.0)
    assert now[0] == pytest.approx(19.0)


def test_partner_id_rules(siigo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SIIGO_PARTNER_ID", raising=False)
    for bad in ("ab", "Mi-App", "Mi App", "x" * 101, "Mi_App"):
        with pytest.raises(ConfigurationError, match="letters and digits"):
            Client("u@example.com", "k", bad, base_url=siigo_sandbox.url)
    with pytest.raises(ConfigurationError, match="partner_id is missing"):
        Client("u@example.com", "k", base_url=siigo_sandbox.url)
    assert siigo_sandbox.journal() == []


def test_sandbox_checks_partner_id_like_siigo(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    client.authenticate()
    token = client._tokens.current()
    assert token is not None
    session = client._session
    headers = {"Authorization": f"Bearer {token.access_token.get_secret_value()}"}
    missing = session.get(siigo_sandbox.url + "/v1/taxes", headers=headers)
    assert missing.status_code == 400
    assert missing.json() == {
        "Status": 400,
        "Errors": [
            {
                "Code": "header_required",
                "Message": "The header Partner-Id is required",
                "Params": ["Partner-Id"],
                "Detail": "Check the API documentation: https://developer.siigo.com/introduction/codigos-de-error/header_required",
            }
        ],
    }
    invalid = session.get(siigo_sandbox.url + "/v1/taxes", headers={**headers, "Partner-Id": "Mi-App"})
    assert invalid.json()["Errors"][0]["Code"] == "invalid_partner_id"
    raw_token = session.get(
        siigo_sandbox.url + "/v1/taxes",
        headers={"Authorization": token.access_token.get_secret_value(), "Partner-Id": "MiApp"},
    )
    assert raw_token.status_code == 200
    no_token = session.get(siigo_sandbox.url + "/v1/taxes", headers={"Partner-Id": "MiApp"})
    assert no_token.status_code == 401
    assert no_token.json()["Errors"][0]["Code"] == "unauthorized"


def test_base_url_must_be_https_unless_loopback() -> None:
    with pytest.raises(ConfigurationError, match="https"):
        Client("u@example.com", "k", "MiApp", base_url="http://api.siigo.com")
    with pytest.raises(ConfigurationError):
        Client("u@example.com", "k", "MiApp", base_url="ftp://api.siigo.com")
    for ok in ("https://api.siigo.com", "http://127.0.0.1:8765", "http://localhost:1", "http://[::1]:9"):
        assert Client("u@example.com", "k", "MiApp", base_url=ok).base_url == ok


def test_hostile_ids_never_reach_the_wire(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    client = make_client()
    for hostile in ("../x", "a/b", "?q", "%2F", "", " ", -1, True, 1.5):
        with pytest.raises(ValueError):
            client.account_groups.update(hostile, code="X1", name="X")  # type: ignore[arg-type]
    assert siigo_sandbox.journal(path="account-groups") == []


def test_local_validation_error_sends_nothing(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    with pytest.raises(ValidationError) as caught:
        client.account_groups.create(code="CON ESP", name="x" * 60)
    assert sorted(caught.value.codes) == ["invalid_code", "length_max"]
    assert "name" in str(caught.value) and "code" in str(caught.value)
    assert isinstance(caught.value, WrongFormatInputError) and isinstance(caught.value, ValueError)
    assert siigo_sandbox.journal() == []
