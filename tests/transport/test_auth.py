"""Tokens: lazy login, caching, renewal before expiry, one re-login on 401, thread safety."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from siigo import AuthenticationError, Client, ConfigurationError, InMemoryTokenStore
from siigo.sandbox import Sandbox


def _auth_calls(sandbox: Sandbox) -> int:
    return len(sandbox.journal(method="POST", path="^/auth$"))


def test_token_is_fetched_lazily_and_cached(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    assert siigo_sandbox.journal() == []
    client.taxes.list()
    client.cost_centers.list()
    client.users.list()
    assert _auth_calls(siigo_sandbox) == 1
    entries = siigo_sandbox.journal(path="^/v1/")
    assert len(entries) == 3
    assert all(e.authorized and e.partner_id == "SiigoPythonSandbox" for e in entries)
    assert all(e.user_agent and e.user_agent.startswith("siigo-python/") for e in entries)


def test_token_renewed_before_it_expires(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    siigo_sandbox.configure(token_ttl=2)
    client = make_client()
    client.taxes.list()
    time.sleep(1.9)  # renewal happens a tenth of the lifetime early (0.2 s here)
    client.taxes.list()
    statuses = [(e.method, e.path, e.status) for e in siigo_sandbox.journal()]
    assert statuses == [
        ("POST", "/auth", 200),
        ("GET", "/v1/taxes", 200),
        ("POST", "/auth", 200),
        ("GET", "/v1/taxes", 200),
    ]


def test_expired_token_is_replaced_after_a_401_and_the_request_replayed(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    client.taxes.list()
    siigo_sandbox.advance_clock(25 * 3600)  # the sandbox's tokens last 24 h
    taxes = client.taxes.list()
    assert taxes
    statuses = [(e.method, e.path, e.status) for e in siigo_sandbox.journal()]
    assert statuses[1:] == [
        ("GET", "/v1/taxes", 200),
        ("GET", "/v1/taxes", 401),
        ("POST", "/auth", 200),
        ("GET", "/v1/taxes", 200),
    ]


def test_a_second_401_is_raised_not_looped(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    client.authenticate()
    siigo_sandbox.inject_fault(path="^/v1/taxes$", status=401, count=10)
    with pytest.raises(AuthenticationError) as caught:
        client.taxes.list()
    assert caught.value.status == 401
    assert len(siigo_sandbox.journal(path="^/v1/taxes$")) == 2
    assert _auth_calls(siigo_sandbox) == 2


def test_bad_credentials_raise_authentication_error(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    siigo_sandbox.configure(credentials={"real@empresa.example.com": "right-key"})
    wrong = make_client(username="real@empresa.example.com", access_key="wrong-key")
    with pytest.raises(AuthenticationError) as caught:
        wrong.taxes.list()
    assert caught.value.code == "unauthorized"
    assert "wrong-key" not in str(caught.value)
    right = make_client(username="real@empresa.example.com", access_key="right-key")
    assert right.taxes.list()


def test_many_threads_share_one_login(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    client = make_client()
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            client.taxes.list()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _auth_calls(siigo_sandbox) == 1
    assert len(siigo_sandbox.journal(path="^/v1/taxes$")) == 8


def test_two_clients_never_mix_tokens(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    a = make_client(username="empresa-a@example.com")
    b = make_client(username="empresa-b@example.com")
    created = a.account_groups.create(code="SOLOA", name="Solo de A")
    assert any(g.id == created.id for g in a.account_groups.list())
    assert all(g.code != "SOLOA" for g in b.account_groups.list())
    for entry in siigo_sandbox.journal(path="^/v1/"):
        assert entry.tenant in ("empresa-a@example.com", "empresa-b@example.com")
    tenants = [e.tenant for e in siigo_sandbox.journal(path="^/v1/account-groups$")]
    assert tenants == ["empresa-a@example.com", "empresa-a@example.com", "empresa-b@example.com"]


def test_shared_token_store_lets_clients_reuse_a_token(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    store = InMemoryTokenStore()
    first = make_client(token_store=store)
    second = make_client(token_store=store)
    first.taxes.list()
    second.taxes.list()
    assert _auth_calls(siigo_sandbox) == 1


def test_with_options_shares_token_and_connection_pool(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    client.taxes.list()
    patient = client.with_options(timeout=300, max_retries=5)
    assert patient.timeout.read == 300
    assert patient.retry.max_retries == 5
    assert client.timeout.read == 120
    patient.taxes.list()
    assert _auth_calls(siigo_sandbox) == 1
    assert patient._session is client._session


def test_existing_token_is_used_without_login(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    owner = make_client()
    owner.authenticate()
    current = owner._tokens.current()
    assert current is not None
    token = current.access_token.get_secret_value()
    borrowed = Client(token=token, partner_id="MiApp", base_url=siigo_sandbox.url, rate_limit=None)
    assert borrowed.taxes.list()
    assert _auth_calls(siigo_sandbox) == 1
    # A token given by the caller cannot be renewed: a 401 is raised, not retried forever.
    siigo_sandbox.advance_clock(25 * 3600)
    with pytest.raises(AuthenticationError):
        borrowed.taxes.list()


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (
            {"partner_id": "MiApp"},
            ["username=", "access_key=", "SIIGO_USERNAME", "SIIGO_ACCESS_KEY", "token="],
        ),
        (
            {"partner_id": "MiApp", "username": "api@empresa.com"},
            ["access_key is missing", "SIIGO_ACCESS_KEY"],
        ),
        ({"partner_id": "MiApp", "access_key": "clave"}, ["username is missing", "SIIGO_USERNAME"]),
        (
            {"username": "api@empresa.com", "access_key": "clave"},
            ["partner_id is missing", "SIIGO_PARTNER_ID"],
        ),
        ({"token": "un.token.valido"}, ["partner_id is missing", "SIIGO_PARTNER_ID"]),
    ],
    ids=["nothing", "no-access-key", "no-username", "no-partner-id", "token-without-partner-id"],
)
def test_a_client_missing_a_setting_fails_when_built(
    siigo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, arguments: dict[str, str], named: list[str]
) -> None:
    for name in ("SIIGO_USERNAME", "SIIGO_ACCESS_KEY", "SIIGO_PARTNER_ID"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError) as caught:
        Client(base_url=siigo_sandbox.url, **arguments)  # type: ignore[arg-type]
    for fragment in named:
        assert fragment in str(caught.value)
    assert "clave" not in str(caught.value)
    assert siigo_sandbox.journal() == []


def test_a_token_and_a_partner_id_are_enough(siigo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SIIGO_USERNAME", "SIIGO_ACCESS_KEY", "SIIGO_PARTNER_ID"):
        monkeypatch.delenv(name, raising=False)
    token = siigo_sandbox.client()._tokens.token()
    client = Client(token=token, partner_id="MiApp", base_url=siigo_sandbox.url)
    assert client.taxes.list()
    monkeypatch.setenv("SIIGO_PARTNER_ID", "AppEntorno")
    assert Client(token=token, base_url=siigo_sandbox.url).partner_id == "AppEntorno"


def test_environment_fallbacks(siigo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIIGO_USERNAME", "desde-entorno@example.com")
    monkeypatch.setenv("SIIGO_ACCESS_KEY", "clave")
    monkeypatch.setenv("SIIGO_PARTNER_ID", "AppEntorno")
    monkeypatch.setenv("SIIGO_BASE_URL", siigo_sandbox.url)
    with Client(rate_limit=None) as client:
        assert client.taxes.list()
    entry = siigo_sandbox.journal(path="^/v1/taxes$")[0]
    assert entry.tenant == "desde-entorno@example.com"
    assert entry.partner_id == "AppEntorno"
