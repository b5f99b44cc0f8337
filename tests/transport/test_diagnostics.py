"""What a user sees when something fails: request ids on errors, and SIIGO_LOG's debug output."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest

from siigo import Client, ConfigurationError, NotFoundError
from siigo._transport import logger
from siigo.sandbox import Sandbox

from .test_core_hardening import _auth_or, _client, _Scripted

GUID = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def restore_logger() -> Iterator[None]:
    level, handlers = logger.level, list(logger.handlers)
    yield
    logger.setLevel(level)
    logger.handlers[:] = handlers


def test_an_error_carries_the_request_id_siigo_sent(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    with pytest.raises(NotFoundError) as caught:
        client.products.retrieve(GUID)
    sent = siigo_sandbox.journal(path=f"^/v1/products/{GUID}$")[-1].request_id
    assert caught.value.request_id == sent
    assert f"(request id {sent})" in str(caught.value)
    assert caught.value.codes == ["not_found"]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Request-Id": "abc-123"}, "abc-123"),
        ({"X-Correlation-Id": "0f9e:77/aa=="}, "0f9e:77/aa=="),
        ({"X-Request-Id": "x" * 129}, None),  # too long to be an id
        ({"X-Request-Id": "<script>"}, None),
        ({"X-Request-Id": "", "Request-Id": "second-choice"}, "second-choice"),
        ({}, None),
    ],
    ids=["request-id", "correlation-id", "too-long", "markup", "empty-then-next", "none"],
)
def test_only_a_plausible_request_id_is_shown(headers: dict[str, str], expected: str | None) -> None:
    server = _Scripted(_auth_or(lambda path, n: (404, headers, b'{"Status":404,"Errors":[]}')))
    try:
        with pytest.raises(NotFoundError) as caught:
            _client(server.url).products.retrieve(GUID)
    finally:
        server.close()
    assert caught.value.request_id == expected
    assert ("request id" in str(caught.value)) is (expected is not None)


def test_siigo_log_debug_prints_each_attempt_with_its_time(siigo_sandbox: Sandbox) -> None:
    program = (
        "from siigo.sandbox import Sandbox\nwith Sandbox() as sandbox:\n    sandbox.client().taxes.list()\n"
    )
    env = {"SIIGO_LOG": "debug", "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    lines = run.stderr.splitlines()
    attempt = [line for line in lines if "GET /v1/taxes attempt 1 -> 200 in" in line]
    assert len(attempt) == 1, lines
    assert re.search(
        r"siigo DEBUG GET /v1/taxes attempt 1 -> 200 in \d+\.\d ms \(request id [0-9a-f]{32}\)", attempt[0]
    )
    assert any("POST /auth attempt 1 -> 200 in" in line for line in lines)
    assert "sandbox-access-key" not in run.stderr and "eyJ" not in run.stderr


def test_without_siigo_log_the_library_prints_nothing(siigo_sandbox: Sandbox) -> None:
    program = "from siigo.sandbox import Sandbox\nwith Sandbox() as s:\n    s.client().taxes.list()\n"
    run = subprocess.run(
        [sys.executable, "-c", program],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0 and run.stderr == ""


def test_siigo_log_keeps_the_applications_handler(
    siigo_sandbox: Sandbox,
    monkeypatch: pytest.MonkeyPatch,
    restore_logger: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    mine = logging.NullHandler()
    logger.addHandler(mine)
    monkeypatch.setenv("SIIGO_LOG", "info")
    siigo_sandbox.client()
    assert logger.level == logging.INFO
    assert logger.handlers[-1] is mine and len(logger.handlers) == len(set(logger.handlers))


def test_a_bad_siigo_log_is_a_configuration_error(
    siigo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, restore_logger: None
) -> None:
    monkeypatch.setenv("SIIGO_LOG", "verbose")
    with pytest.raises(
        ConfigurationError, match="SIIGO_LOG must be one of debug, info, warning, error, got 'verbose'"
    ):
        siigo_sandbox.client()
