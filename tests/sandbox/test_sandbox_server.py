"""The sandbox as a server shared by a CI job or a team: malformed and ambiguous requests, bursts
of connections, bounded memory."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from siigo import PermissionDeniedError
from siigo._patterns import SANDBOX_HEADER
from siigo.sandbox import Sandbox


def _exchange(sandbox: Sandbox, raw: bytes) -> tuple[bytes, bytes]:
    """Send ``raw`` on a new connection; return the answer's head and body, after checking that
    the sandbox then closed the connection."""
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=10) as conn:
        conn.sendall(raw)
        data = b""
        while chunk := conn.recv(65536):  # ends when the sandbox closes the connection
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body


def _error(body: bytes) -> tuple[int, str, str]:
    envelope = json.loads(body)
    return envelope["Status"], envelope["Errors"][0]["Code"], envelope["Errors"][0]["Message"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"GARBAGE\r\n\r\n", "Bad request syntax"),
        (b"GET /v1/taxes HTTP/1.1 extra\r\n\r\n", "Bad request version"),
        (b"GET /v1/taxes HTTP/9.9\r\n\r\n", "Invalid HTTP version"),
    ],
)
def test_a_malformed_request_line_gets_a_400_not_a_traceback(
    siigo_sandbox: Sandbox, capfd: pytest.CaptureFixture[str], line: bytes, message: str
) -> None:
    head, body = _exchange(siigo_sandbox, line)
    status, code, text = _error(body)
    assert head.startswith(b"HTTP/1.1 " + str(status).encode())
    assert status in (400, 505) and code in ("invalid_request", "invalid_value")
    assert text.startswith(message)
    assert b"Connection: close" in head
    time.sleep(0.1)
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (
            b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
            "A request must not have both Content-Length and Transfer-Encoding",
        ),
        (b"Content-Length: 5\r\nContent-Length: 6\r\n", "The request has different Content-Length values"),
    ],
    ids=["length-and-chunked", "two-lengths"],
)
def test_ambiguous_framing_is_refused_and_the_connection_closed(
    siigo_sandbox: Sandbox, headers: bytes, message: str
) -> None:
    # What follows would be a second, smuggled request if the sandbox read the framing one way
    # and a proxy in front of it the other.
    raw = b"POST /auth HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n0\r\n\r\nGET /v1/taxes HTTP/1.1\r\n\r\n"
    head, body = _exchange(siigo_sandbox, raw)
    assert head.startswith(b"HTTP/1.1 400")
    assert _error(body) == (400, "invalid_value", message)
    assert body.count(b"Status") == 1  # one answer: the rest of the stream was not read
    assert siigo_sandbox.journal() == []


def test_two_equal_content_lengths_are_accepted(siigo_sandbox: Sandbox) -> None:
    payload = b'{"username": "a@b.co", "access_key": "k"}'
    length = str(len(payload)).encode()
    raw = (
        b"POST /auth HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
        + b"Content-Length: "
        + length
        + b"\r\nContent-Length: "
        + length
        + b"\r\n\r\n"
        + payload
    )
    head, body = _exchange(siigo_sandbox, raw)
    assert head.startswith(b"HTTP/1.1 200") and "access_token" in json.loads(body)


def test_a_burst_of_parallel_connections_is_held(siigo_sandbox: Sandbox) -> None:
    """100 clients connect at once: the listen queue holds them all (with the standard
    library's 5, the ones past it wait for the kernel's one-second retry)."""
    count = 100
    barrier = threading.Barrier(count)
    connect_times: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def one() -> None:
        barrier.wait()
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", siigo_sandbox.port), timeout=30) as conn:
            took = time.monotonic() - started
            conn.sendall(b"GET /v1/taxes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk
        with lock:
            connect_times.append(took)
            statuses.append(int(answer.split(b" ", 2)[1]))

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [401] * count  # every one answered (no token: Siigo's 401)
    assert sum(1 for t in connect_times if t >= 0.9) == 0, sorted(connect_times)[-5:]


def test_connections_past_the_cap_get_a_503() -> None:
    with Sandbox(max_connections=2) as sandbox:
        held = [socket.create_connection(("127.0.0.1", sandbox.port), timeout=10) for _ in range(2)]
        for conn in held:  # each keeps its connection (and its slot) open after one request
            conn.sendall(b"GET /v1/taxes HTTP/1.1\r\nHost: x\r\n\r\n")
            assert conn.recv(65536).startswith(b"HTTP/1.1 401")
        head, body = _exchange(sandbox, b"GET /v1/taxes HTTP/1.1\r\nHost: x\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 503")
        assert _error(body) == (
            503,
            "service_unavailable",
            "The sandbox serves at most 2 connections at once",
        )
        held[0].close()
        time.sleep(0.3)
        assert requests.get(sandbox.url + "/v1/taxes", timeout=10).status_code == 401
        held[1].close()
    with pytest.raises(ValueError, match="max_connections must be a whole number, 1 or more"):
        Sandbox(max_connections=0)


@pytest.fixture
def small_sandbox() -> Iterator[Sandbox]:
    with Sandbox(max_companies=2, max_tokens=3) as sandbox:
        yield sandbox


def _login(sandbox: Sandbox, username: str) -> requests.Response:
    return requests.post(sandbox.url + "/auth", json={"username": username, "access_key": "k"}, timeout=10)


def test_tokens_expire_and_are_capped(small_sandbox: Sandbox) -> None:
    small_sandbox.configure(token_ttl=10)
    first = _login(small_sandbox, "a@empresa.co").json()["access_token"]
    small_sandbox.advance_clock(11)
    _login(small_sandbox, "a@empresa.co")
    assert first not in small_sandbox.state.tokens  # expired, and forgotten
    for _ in range(5):
        _login(small_sandbox, "a@empresa.co")
    assert len(small_sandbox.state.tokens) == 3


def test_companies_are_capped(small_sandbox: Sandbox) -> None:
    assert _login(small_sandbox, "a@empresa.co").status_code == 200
    assert _login(small_sandbox, "b@empresa.co").status_code == 200
    refused = _login(small_sandbox, "c@empresa.co")
    assert refused.status_code == 403
    assert refused.json()["Errors"][0]["Code"] == "companies_limit"
    assert "at most 2 companies (setting max_companies)" in refused.json()["Errors"][0]["Message"]
    assert _login(small_sandbox, "a@empresa.co").status_code == 200  # a known company still logs in
    client = small_sandbox.client(username="d@empresa.co")
    with pytest.raises(PermissionDeniedError) as caught:
        client.taxes.list()
    assert caught.value.code == "companies_limit"
    client.close()
    small_sandbox.reset()
    assert _login(small_sandbox, "c@empresa.co").status_code == 200


def _sandbox_mark(head: bytes) -> list[bytes]:
    """The values of the sandbox's own header in an answer's head."""
    lines = head.split(b"\r\n")[1:]
    return [line.partition(b":")[2].strip() for line in lines if line.lower().startswith(b"x-siigo-sandbox:")]


def test_every_answer_says_it_comes_from_the_sandbox(siigo_sandbox: Sandbox) -> None:
    """Whatever host name it is reached by, the sandbox can be told from Siigo: every answer
    carries ``X-Siigo-Sandbox: 1`` (a name none of Siigo's headers has), from the API, its
    faults, the control plane, the inspector and the bridge's own refusals."""
    assert SANDBOX_HEADER == "X-Siigo-Sandbox"
    assert SANDBOX_HEADER.lower() not in {"partner-id", "idempotency-key", "retry-after", "authorization"}
    siigo_sandbox.inject_fault(path="^/v1/warehouses$", status=503, count=1)
    token = siigo_sandbox.client()._tokens.token()
    api = {"Authorization": f"Bearer {token}", "Partner-Id": "SandboxTest"}
    answers = {
        "login": requests.post(
            siigo_sandbox.url + "/auth", json={"username": "a@b.co", "access_key": "k"}, timeout=10
        ),
        "list": requests.get(siigo_sandbox.url + "/v1/taxes", headers=api, timeout=10),
        "no token": requests.get(siigo_sandbox.url + "/v1/taxes", timeout=10),
        "no route": requests.get(siigo_sandbox.url + "/v1/nothing-here", headers=api, timeout=10),
        "fault": requests.get(siigo_sandbox.url + "/v1/warehouses", headers=api, timeout=10),
        "control": requests.get(siigo_sandbox.url + "/_sandbox/settings", timeout=10),
        "inspector": requests.get(siigo_sandbox.url + "/", timeout=10),
    }
    statuses = {name: answer.status_code for name, answer in answers.items()}
    assert statuses == {
        "login": 200,
        "list": 200,
        "no token": 401,
        "no route": 404,
        "fault": 503,
        "control": 200,
        "inspector": 200,
    }
    assert {name: answer.headers.get(SANDBOX_HEADER) for name, answer in answers.items()} == dict.fromkeys(
        answers, "1"
    )
    refused, _ = _exchange(
        siigo_sandbox,
        b"POST /auth HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    )
    unreadable, _ = _exchange(siigo_sandbox, b"GARBAGE\r\n\r\n")
    assert refused.startswith(b"HTTP/1.1 400") and unreadable.startswith(b"HTTP/1.1 400")
    assert _sandbox_mark(refused) == _sandbox_mark(unreadable) == [b"1"]


def test_an_answer_past_the_connection_cap_says_it_comes_from_the_sandbox() -> None:
    with Sandbox(max_connections=1) as sandbox:
        with socket.create_connection(("127.0.0.1", sandbox.port), timeout=10) as held:
            held.sendall(b"GET /v1/taxes HTTP/1.1\r\nHost: x\r\n\r\n")
            assert held.recv(65536).startswith(b"HTTP/1.1 401")
            head, _ = _exchange(sandbox, b"GET /v1/taxes HTTP/1.1\r\nHost: x\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 503")
        assert _sandbox_mark(head) == [b"1"]
