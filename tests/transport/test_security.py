"""Secrets never appear in logs, exception text or repr."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from siigo import APIError, Client, SiigoError
from siigo._transport import redact
from siigo.sandbox import Sandbox

ACCESS_KEY = "SuperSecretAccessKey123=="


def test_secrets_absent_from_logs_errors_and_repr(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(access_key=ACCESS_KEY, max_retries=1)
    client.taxes.list()
    token = client._tokens.current()
    assert token is not None
    token_text = token.access_token.get_secret_value()
    siigo_sandbox.inject_fault(path="^/v1/taxes$", status=503, count=5)
    caught: list[SiigoError] = []
    try:
        client.taxes.list()
    except APIError as exc:
        caught.append(exc)
    siigo_sandbox.advance_clock(25 * 3600)
    client.cost_centers.list()  # 401, new login, replay: all logged at DEBUG/INFO
    logged = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    for text in (logged, repr(client), repr(client._tokens), repr(token), str(caught[0]), repr(caught[0])):
        assert ACCESS_KEY not in text
        assert token_text not in text
    assert "503" in caplog.text and "retrying" in caplog.text


def test_redact_masks_tokens_and_keys() -> None:
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    text = f'Authorization: Bearer {jwt} {{"access_key": "abc123", "username": "u"}}'
    cleaned = redact(text)
    assert jwt not in cleaned and "abc123" not in cleaned and '"username": "u"' in cleaned


def test_access_key_is_a_secret_in_the_client(siigo_sandbox: Sandbox) -> None:
    client = Client("u@example.com", ACCESS_KEY, "MiApp", base_url=siigo_sandbox.url)
    assert ACCESS_KEY not in repr(client)
    assert ACCESS_KEY not in repr(vars(client))
