"""Client settings, token storage, request building, Retry-After and paging against servers that
misbehave: every problem is one of our typed errors, and none of them loops or leaks a secret."""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from pydantic import SecretStr

from siigo import APIError, Client, ConfigurationError, RateLimiter, RetryPolicy, Timeout, ValidationError
from siigo._auth import InMemoryTokenStore, StoredToken, TokenManager
from siigo._transport import retry_after_seconds
from siigo.models import InvoiceCreateParams, ProductCreateParams
from siigo.sandbox import Sandbox

from ..resources.test_invoices import invoice_body, seed

# -- a scripted loopback server, for answers the sandbox is right never to give ------------------

Script = Callable[[str, int], tuple[int, dict[str, str], bytes]]


class _Scripted:
    """A plain HTTP server on 127.0.0.1 whose answers a test writes; counts the requests."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[tuple[str, dict[str, str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                outer.requests.append((self.path, dict(self.headers.items())))
                status, headers, body = outer.script(self.path, len(outer.requests))
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def scripted() -> Iterator[Callable[[Script], _Scripted]]:
    servers: list[_Scripted] = []

    def start(script: Script) -> _Scripted:
        server = _Scripted(script)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def _auth_or(answer: Callable[[str, int], tuple[int, dict[str, str], bytes]]) -> Script:
    def script(path: str, n: int) -> tuple[int, dict[str, str], bytes]:
        if path == "/auth":
            return 200, {}, json.dumps({"access_token": "tok", "expires_in": 86400}).encode()
        return answer(path, n)

    return script


def _client(url: str, **options: Any) -> Client:
    options.setdefault("rate_limit", None)
    options.setdefault("retry", RetryPolicy(max_retries=2, backoff_base=0.01, backoff_max=0.02))
    return Client("u@example.com", "key", "TestApp", base_url=url, **options)


# -- configuration ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"timeout": "abc"},
        {"timeout": (1,)},
        {"timeout": (1, 2, 3)},
        {"timeout": ("a", 5)},
        {"timeout": math.nan},
        {"timeout": math.inf},
        {"timeout": -1},
        {"timeout": 0},
        {"timeout": True},
        {"rate_limit": 0},
        {"rate_limit": -5},
        {"rate_limit": "x"},
        {"rate_limit": 1.5},
        {"rate_limit": True},
        {"retry": "x"},
        {"max_retries": -1},
        {"max_retries": "2"},
        {"catalog_ttl": "x"},
        {"catalog_ttl": math.nan},
        {"base_url": 123},
        {"base_url": "http://[::1"},
        {"base_url": "http://127.0.0.1:99999"},
        {"base_url": "ftp://api.siigo.com"},
        {"base_url": "api.siigo.com"},
        {"base_url": "http://api.siigo.com"},
        {"base_url": "https://api.siigo.com/?a=1"},
        {"token": 123},
        {"token": ""},
        {"token": "Bearer   "},
        {"session": "not a session"},
        {"token_store": object()},
        {"partner_id": 123},
        {"partner_id": "a-b"},
        {"username": 5},
        {"access_key": ["k"]},
    ],
)
def test_impossible_settings_raise_configuration_error(options: dict[str, Any]) -> None:
    settings: dict[str, Any] = {"username": "u@example.com", "access_key": "k", "partner_id": "TestApp"}
    settings.update(options)
    with pytest.raises(ConfigurationError):
        Client(**settings)


@pytest.mark.parametrize(
    "policy",
    [
        {"max_retries": -1},
        {"backoff_base": -0.5},
        {"backoff_max": math.inf},
        {"retry_after_max": math.nan},
        {"backoff_base": "1"},
    ],
)
def test_a_retry_policy_with_impossible_values_is_refused(policy: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        RetryPolicy(**policy)


@pytest.mark.parametrize(
    "options", [{"rate_limit": 0}, {"timeout": "x"}, {"max_retries": -2}, {"partner_id": "a b"}]
)
def test_with_options_checks_its_settings_too(options: dict[str, Any]) -> None:
    client = Client("u@example.com", "k", "TestApp")
    with pytest.raises(ConfigurationError):
        client.with_options(**options)


def test_valid_settings_are_kept() -> None:
    client = Client(
        "u@example.com",
        "k",
        "TestApp",
        timeout=(2, 30),
        rate_limit=10,
        catalog_ttl=math.inf,
        base_url="http://localhost:8080/",
    )
    assert (client.timeout.connect, client.timeout.read) == (2.0, 30.0)
    assert client.rate_limiter is not None and client.rate_limiter.limit == 10
    assert client.catalog_cache.ttl == math.inf
    assert client.base_url == "http://localhost:8080"
    assert Client("u", "k", "TestApp", timeout=3).timeout.as_tuple() == (3.0, 3.0)
    copy = client.with_options(rate_limit=None, timeout=7)
    assert copy.rate_limiter is None and copy.timeout.read == 7.0


def test_set_token_refuses_what_is_not_a_token() -> None:
    client = Client(token="abc", partner_id="TestApp")
    for bad in (None, 5, "", "  "):
        with pytest.raises(ConfigurationError):
            client._tokens.set_token(bad)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        client._tokens.set_token("t", math.nan)


# -- secrets in error text --------------------------------------------------------------------


def test_user_info_in_base_url_is_refused_without_being_echoed() -> None:
    with pytest.raises(ConfigurationError) as caught:
        Client("u", "k", "TestApp", base_url="https://admin:S3cretPassw0rd@api.siigo.com")
    assert "S3cretPassw0rd" not in str(caught.value)
    assert "api.siigo.com" in str(caught.value)
    with pytest.raises(ConfigurationError) as plain:
        Client("u", "k", "TestApp", base_url="http://admin:S3cretPassw0rd@api.siigo.com")
    assert "S3cretPassw0rd" not in str(plain.value)


def test_a_token_given_as_partner_id_is_not_echoed() -> None:
    secret = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2VjcmV0"
    with pytest.raises(ConfigurationError) as caught:
        Client("u", "k", partner_id=secret, token="other.tok.en")
    assert secret not in str(caught.value) and "c2lnbmF0dXJl" not in str(caught.value)
    long_key = "k" * 120
    with pytest.raises(ConfigurationError) as too_long:
        Client("u", "k", partner_id=long_key)
    assert long_key not in str(too_long.value) and "too long" in str(too_long.value)
    with pytest.raises(ConfigurationError) as shown:
        Client("u", "k", partner_id="Mi-App")
    assert "'Mi-App'" in str(shown.value)


def test_a_token_in_an_error_body_is_masked_even_when_the_excerpt_cuts_it(
    scripted: Callable[[Script], _Scripted],
) -> None:
    token = "eyJhbGciOiJIUzI1NiJ9." + "A" * 400 + ".SIGNATUREsecretPART"
    body = ("x" * 250 + f" Bearer {token} " + "y" * 3000).encode()
    server = scripted(_auth_or(lambda path, n: (418, {"Content-Type": "text/plain"}, body)))
    with _client(server.url) as client, pytest.raises(APIError) as caught:
        client.taxes.list()
    text = f"{caught.value} {caught.value.body}"
    assert "SIGNATUREsecretPART" not in text and "AAAAAAAAAA" not in text
    assert "[redacted]" in caught.value.body


# -- token store keys -------------------------------------------------------------------------


def test_token_clients_sharing_a_store_never_write_into_each_other(siigo_sandbox: Sandbox) -> None:
    tokens = {}
    for company in ("empresa-a@example.com", "empresa-b@example.com"):
        with siigo_sandbox.client(username=company) as login:
            login.authenticate()
            current = login._tokens.current()
            assert current is not None
            tokens[company] = current.access_token.get_secret_value()
    store = InMemoryTokenStore()
    first, second = (
        Client(
            token=tokens[company],
            partner_id="TestApp",
            base_url=siigo_sandbox.url,
            token_store=store,
            rate_limit=None,
        )
        for company in ("empresa-a@example.com", "empresa-b@example.com")
    )
    siigo_sandbox.clear_journal()
    first.taxes.list()
    second.taxes.list()
    first.taxes.list()
    companies = [entry.tenant for entry in siigo_sandbox.journal(path="^/v1/taxes$")]
    assert companies == ["empresa-a@example.com", "empresa-b@example.com", "empresa-a@example.com"]


def test_the_store_key_depends_on_the_access_key_but_never_shows_it() -> None:
    one = TokenManager.key_for("https://api.siigo.com", "u@example.com", "key-one")
    two = TokenManager.key_for("https://api.siigo.com", "u@example.com", "key-two")
    again = TokenManager.key_for("https://api.siigo.com", "u@example.com", "key-one")
    assert one == again and one != two
    assert "key-one" not in one and "u@example.com" not in one


def test_same_credentials_share_one_login_through_a_shared_store(siigo_sandbox: Sandbox) -> None:
    store = InMemoryTokenStore()
    with siigo_sandbox.client(token_store=store) as first, siigo_sandbox.client(token_store=store) as second:
        first.taxes.list()
        second.taxes.list()
        assert first._tokens.logins + second._tokens.logins == 1


def test_generate_token_keeps_the_renewal_leeway(siigo_sandbox: Sandbox) -> None:
    with siigo_sandbox.client() as client, pytest.warns(DeprecationWarning):
        answer = client.generate_token()
    current = client._tokens.current()
    assert current is not None
    remaining = current.expires_at - time.time()
    assert answer["expires_in"] - 300 - 5 < remaining <= answer["expires_in"] - 300


# -- request building -------------------------------------------------------------------------


def test_a_netrc_entry_never_replaces_the_bearer_token(
    siigo_sandbox: Sandbox,
    make_client: Callable[..., Client],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password elsewhere\ndefault login x password y\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    client = make_client()
    assert client.taxes.list()
    assert [e.status for e in siigo_sandbox.journal(path="^/v1/taxes$")] == [200]


def test_a_request_that_cannot_be_built_is_a_configuration_error_and_is_not_sent(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    session = requests.Session()
    session.headers["X-Broken"] = "line\nbreak"
    client = make_client(session=session)
    siigo_sandbox.clear_journal()
    with pytest.raises(ConfigurationError) as caught:
        client.taxes.list()
    assert "cannot build the request" in str(caught.value)
    assert siigo_sandbox.journal(path="^/v1/") == []


# -- Retry-After ------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["nan", "inf", "-inf", "-3", "soon", "1e999", ""])
def test_an_unusable_retry_after_falls_back_to_backoff(
    header: str, scripted: Callable[[Script], _Scripted]
) -> None:
    ok = json.dumps({"pagination": {"page": 1, "page_size": 0, "total_results": 0}, "results": []}).encode()

    def answer(path: str, n: int) -> tuple[int, dict[str, str], bytes]:
        if n == 2:
            return 429, {"Retry-After": header}, b'{"Status":429,"Errors":[{"Code":"requests_limit"}]}'
        return 200, {}, ok

    limiter = RateLimiter(100)
    server = scripted(_auth_or(answer))
    with _client(server.url, rate_limit=limiter) as client:
        started = time.monotonic()
        assert client.users.list().items == []
        assert time.monotonic() - started < 2.0
        # The limiter still works afterwards (a non-finite hold would block it for ever).
        assert limiter.acquire() < 1.0
    assert len(server.requests) == 3


def test_retry_after_as_an_http_date() -> None:
    now = time.time()
    when = format_datetime(datetime.fromtimestamp(now, timezone.utc) + timedelta(seconds=30), usegmt=True)
    seconds = retry_after_seconds(when, now=now)
    assert seconds is not None and 28 <= seconds <= 31
    past = format_datetime(datetime.fromtimestamp(now, timezone.utc) - timedelta(hours=1), usegmt=True)
    assert retry_after_seconds(past, now=now) == 0.0
    assert retry_after_seconds("2.5") == 2.5
    assert retry_after_seconds(None) is None and retry_after_seconds("nan") is None


def test_the_limiter_ignores_a_non_finite_hold() -> None:
    limiter = RateLimiter(5)
    limiter.backoff(math.nan)
    limiter.backoff(math.inf)
    limiter.backoff(-1)
    assert limiter.acquire() == 0.0


# -- pagination against a server that does not advance ----------------------------------------


def test_a_server_that_repeats_a_page_stops_the_walk_with_an_error(
    scripted: Callable[[Script], _Scripted],
) -> None:
    def answer(path: str, n: int) -> tuple[int, dict[str, str], bytes]:
        body = {
            "pagination": {"page": 1, "page_size": 2, "total_results": 10},
            "results": [{"id": "5b8ed0d4-4d9f-4ad5-9ca5-2a2b7e2e7f10", "code": "P1", "name": "Uno"}] * 2,
        }
        return 200, {}, json.dumps(body).encode()

    server = scripted(_auth_or(answer))
    with _client(server.url) as client:
        page = client.products.list()
        with pytest.raises(APIError) as caught:
            list(page)
    assert "page 2" in str(caught.value) and "page 1" in str(caught.value)
    assert len([p for p, _ in server.requests if p.startswith("/v1/products")]) == 2


def test_pages_without_a_pagination_block_still_advance(scripted: Callable[[Script], _Scripted]) -> None:
    def answer(path: str, n: int) -> tuple[int, dict[str, str], bytes]:
        page = int(path.split("page=")[1].split("&")[0]) if "page=" in path else 1
        body: dict[str, Any] = {
            "results": [{"id": "5b8ed0d4-4d9f-4ad5-9ca5-2a2b7e2e7f10", "code": f"P{page}", "name": "x"}],
        }
        if page == 1:
            body["pagination"] = {"page": 1, "page_size": 1, "total_results": 3}
            body["_links"] = {"next": {"href": "/v1/products?page=2&page_size=1"}}
        elif page == 2:
            body["_links"] = {"next": {"href": "/v1/products?page=3&page_size=1"}}
        return 200, {}, json.dumps(body).encode()

    server = scripted(_auth_or(answer))
    with _client(server.url) as client:
        codes = [product.code for product in client.products.list()]
    assert codes[:2] == ["P1", "P2"]


# -- the catalog cache of a configured copy ---------------------------------------------------


def test_a_copy_fetches_catalogs_as_itself_and_shares_what_is_cached(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    other = client.with_options(partner_id="OtraAplicacion")
    siigo_sandbox.clear_journal()
    taxes = other.catalog_cache.taxes()
    assert taxes
    partner_ids = [entry.partner_id for entry in siigo_sandbox.journal(path="^/v1/taxes$")]
    assert partner_ids == ["OtraAplicacion"]
    assert client.catalog_cache.taxes() == taxes
    assert len(siigo_sandbox.journal(path="^/v1/taxes$")) == 1
    other.catalog_cache.ttl = 0
    assert client.catalog_cache.ttl == 0


def test_a_catalog_kind_that_is_not_text_is_a_validation_error(make_client: Callable[..., Client]) -> None:
    client = make_client()
    bad: Any
    for bad in ([], 5, None):
        with pytest.raises(ValidationError):
            client.catalog_cache.document_types(bad)
        with pytest.raises(ValidationError):
            client.catalog_cache.payment_types(bad)


def test_your_session_parameters_and_hooks_still_apply(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    session = requests.Session()
    session.params = {"tracking": "abc"}
    seen: list[int] = []
    session.hooks["response"].append(lambda response, *args, **kwargs: seen.append(response.status_code))
    client = make_client(session=session)
    client.products.list(page_size=10)
    [entry] = siigo_sandbox.journal(path="^/v1/products$")
    assert "tracking=abc" in entry.query and "page_size=10" in entry.query
    assert seen[-1] == 200


# -- tokens that cannot travel in a header --------------------------------------------------


@pytest.mark.parametrize("token", ["SECRETTOKEN123\nX-Evil: 1", "SECRET TOKEN", "SECRETTOKEN€", "Zq9\there"])
def test_a_token_that_cannot_be_a_header_is_refused_without_being_echoed(token: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        Client(token=token, partner_id="TestApp")
    assert "SECRET" not in str(caught.value) and "Zq9" not in str(caught.value)
    client = Client(token="good", partner_id="TestApp")
    with pytest.raises(ConfigurationError):
        client._tokens.set_token(token)


def test_a_login_answer_with_an_unusable_token_is_an_api_error(
    scripted: Callable[[Script], _Scripted],
) -> None:
    def script(path: str, n: int) -> tuple[int, dict[str, str], bytes]:
        return 200, {}, json.dumps({"access_token": "abc\r\ndef", "expires_in": 86400}).encode()

    server = scripted(script)
    with _client(server.url) as client, pytest.raises(APIError) as caught:
        client.users.list()
    assert "access_token" in str(caught.value) and "abc" not in str(caught.value)
    assert [path for path, _ in server.requests] == ["/auth"]


class _CorruptStore(InMemoryTokenStore):
    """A shared store whose entry was damaged by another process."""

    def get(self, key: str) -> StoredToken | None:
        return StoredToken(SecretStr("SECRETPART\nX-Injected: 1"), time.time() + 3600)


def test_a_damaged_token_from_a_store_is_a_typed_error_and_is_not_echoed(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client(token_store=_CorruptStore())
    siigo_sandbox.clear_journal()
    with pytest.raises(ConfigurationError) as caught:
        client.taxes.list()
    assert "SECRETPART" not in str(caught.value)
    assert siigo_sandbox.journal(path="^/v1/") == []


def test_a_partner_id_with_a_trailing_line_break_is_refused_when_the_client_is_built() -> None:
    with pytest.raises(ConfigurationError) as caught:
        Client("u", "k", partner_id="MiApp\n")
    assert "letters and digits" in str(caught.value)


@pytest.mark.parametrize(
    "make",
    [
        lambda: RetryPolicy(backoff_base=10**400),
        lambda: RateLimiter(10, period=10**400),
        lambda: Client("u", "k", "TestApp", timeout=10**400),
        lambda: Client("u", "k", "TestApp", timeout=Timeout(connect=10**400)),
        lambda: Client("u", "k", "TestApp", catalog_ttl=10**400),
        lambda: Client("u", "k", "TestApp", catalog_ttl=-1),
    ],
)
def test_numbers_too_large_for_seconds_are_configuration_errors(make: Callable[[], object]) -> None:
    with pytest.raises(ConfigurationError):
        make()


# -- request models changed after validation ------------------------------------------------


def test_a_model_changed_after_validation_is_checked_again_before_sending(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    seed(client)
    params = InvoiceCreateParams.model_validate(invoice_body())
    params.items[0].quantity = Decimal("1.005")
    params.payments[0].value = Decimal("-5")
    broken = ProductCreateParams.model_construct(code="has spaces", name="x", account_group=object())  # type: ignore[arg-type]
    siigo_sandbox.clear_journal()
    with pytest.raises(ValidationError) as invoice_error:
        client.invoices.create(params, preflight=False)
    assert invoice_error.value.codes == ["invalid_amount", "invalid_amount"]
    assert invoice_error.value.idempotency_key is not None
    with pytest.raises(ValidationError):
        client.products.create(broken)
    assert [e for e in siigo_sandbox.journal() if e.method == "POST"] == []
