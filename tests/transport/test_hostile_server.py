"""No trust in the server: the client against hostile servers on real loopback sockets.

Each test runs a small socket server that answers ``POST /auth`` normally and the call under
test with something a broken or malicious server could send: a trickle of bytes, a gzip bomb,
the client's own secrets echoed back, numbers no Siigo field can hold, a page of 100 000 items.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from siigo import (
    APIError,
    APITimeoutError,
    Client,
    ConfigurationError,
    ResponseTooLargeError,
    ValidationError,
)

TOKEN = "tok_4f9a1c2e7b3d8a6f0e5c"  # not shaped like a JWT: only exact masking can catch it
ACCESS_KEY = "key/with+symbols=0123456789"
USERNAME = "api@empresa.example.com"

Answer = Callable[[socket.socket, str, str, bytes], None]


def _head(status: str, headers: dict[str, str], length: int | None) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items())]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def send(conn: socket.socket, status: str, body: bytes, headers: dict[str, str] | None = None) -> None:
    conn.sendall(_head(status, {"Content-Type": "application/json", **(headers or {})}, len(body)) + body)


class HostileServer:
    """A one-thread-per-connection HTTP/1.1 server whose answers are given by ``answer``."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        self.listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            reader = conn.makefile("rb")
            try:
                while not self._stop.is_set():
                    line = reader.readline()
                    if not line:
                        return
                    method, path, _ = line.decode().split(" ", 2)
                    headers: dict[str, str] = {}
                    while (header := reader.readline().decode()) not in ("\r\n", "\n", ""):
                        name, _, value = header.partition(":")
                        headers[name.strip().lower()] = value.strip()
                    body = reader.read(int(headers.get("content-length", "0")))
                    self.requests.append((method, path, headers))
                    if path == "/auth":
                        send(
                            conn, "200 OK", json.dumps({"access_token": TOKEN, "expires_in": 86400}).encode()
                        )
                        continue
                    self.answer(conn, method, path, body)
            except OSError:
                return

    def close(self) -> None:
        self._stop.set()
        self.listener.close()
        self._thread.join(5)


@pytest.fixture
def hostile() -> Iterator[Callable[[Answer], HostileServer]]:
    servers: list[HostileServer] = []

    def start(answer: Answer) -> HostileServer:
        server = HostileServer(answer)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def _client(server: HostileServer, **options: Any) -> Client:
    options.setdefault("rate_limit", None)
    options.setdefault("max_retries", 0)
    return Client(USERNAME, ACCESS_KEY, "HostileTest", base_url=server.url, **options)


# -- a total deadline per call ---------------------------------------------------------------------


def _trickle_body(conn: socket.socket, method: str, path: str, body: bytes) -> None:
    conn.sendall(_head("200 OK", {"Content-Type": "application/json"}, 1000))
    for _ in range(1000):  # one byte every 0.1 s: each read finishes well within the read timeout
        conn.sendall(b" ")
        time.sleep(0.1)


def _trickle_headers(conn: socket.socket, method: str, path: str, body: bytes) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000:
        conn.sendall(bytes([byte]))
        time.sleep(0.1)


@pytest.mark.parametrize("answer", [_trickle_body, _trickle_headers], ids=["body", "headers"])
def test_a_trickling_server_is_cut_at_the_deadline(
    hostile: Callable[[Answer], HostileServer], answer: Answer
) -> None:
    server = hostile(answer)
    client = _client(server, timeout=(5.0, 5.0), deadline=1.5)
    client.authenticate()
    started = time.monotonic()
    with pytest.raises(APITimeoutError) as caught:
        client.taxes.list()
    elapsed = time.monotonic() - started
    assert "the call's deadline of 1.5 s passed" in str(caught.value)
    assert caught.value.path == "/v1/taxes"
    # Without the deadline this call would last 100 s (1000 bytes at 10 a second).
    assert elapsed < 20, elapsed
    client.close()


def test_the_deadline_is_set_per_copy_and_checked(hostile: Callable[[Answer], HostileServer]) -> None:
    server = hostile(_trickle_body)
    client = _client(server, timeout=(5.0, 5.0), deadline=None)
    assert client.deadline is None
    quick = client.with_options(deadline=1.0)
    assert quick.deadline == 1.0 and client.deadline is None
    with pytest.raises(APITimeoutError, match=r"deadline of 1 s passed"):
        quick.taxes.list()
    with pytest.raises(ConfigurationError, match="deadline must be more than 0 seconds"):
        client.with_options(deadline=0)
    client.close()


def _silent(conn: socket.socket, method: str, path: str, body: bytes) -> None:
    time.sleep(3.0)


@pytest.mark.parametrize("watched", [True, False], ids=["watchdog", "socket-timeout-first"])
def test_a_silent_server_is_cut_at_the_deadline_whichever_timer_fires_first(
    hostile: Callable[[Answer], HostileServer], monkeypatch: pytest.MonkeyPatch, watched: bool
) -> None:
    server = hostile(_silent)
    client = _client(server, timeout=(5.0, 5.0), deadline=0.5)
    client.authenticate()
    if not watched:  # the read timeout, cut down to the deadline, fires before any watchdog
        monkeypatch.setattr(client._transport._watchdog, "watch", lambda call: None)
    started = time.monotonic()
    with pytest.raises(APITimeoutError, match=r"^GET /v1/taxes: the call's deadline of 0\.5 s passed"):
        client.taxes.list()
    assert 0.45 <= time.monotonic() - started < 2.5
    client.close()


# -- a cap on the size of an answer ----------------------------------------------------------------


def _gzip_bomb(size: int) -> Answer:
    """An answer that inflates to ``size`` spaces in brackets: one gzip member, compressed
    1 MiB at a time with zlib's run-length strategy (as small as gzip's level 9 for a run of one
    byte, and about three times faster to build)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS, 9, zlib.Z_RLE)
    block = b" " * (1024 * 1024)
    whole, rest = divmod(size, len(block))
    parts = [packer.compress(b"["), *(packer.compress(block) for _ in range(whole))]
    parts += [packer.compress(block[:rest] + b"]"), packer.flush()]
    packed = b"".join(parts)

    def answer(conn: socket.socket, method: str, path: str, body: bytes) -> None:
        send(conn, "200 OK", packed, {"Content-Encoding": "gzip"})

    return answer


def test_a_gzip_bomb_is_refused_in_bounded_memory(hostile: Callable[[Answer], HostileServer]) -> None:
    inflated = 256 * 1024 * 1024
    server = hostile(_gzip_bomb(inflated))
    client = _client(server, max_response_bytes=1024 * 1024)
    client.authenticate()
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLargeError) as caught:
            client.taxes.list()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.limit == 1024 * 1024
    assert "larger than max_response_bytes=1,048,576 (decompressed; it goes on past it)" in str(caught.value)
    assert peak < 32 * 1024 * 1024, peak  # the answer inflates to 256 MiB
    client.close()


def test_a_declared_length_past_the_cap_is_refused_before_reading(
    hostile: Callable[[Answer], HostileServer],
) -> None:
    def answer(conn: socket.socket, method: str, path: str, body: bytes) -> None:
        conn.sendall(_head("200 OK", {"Content-Type": "application/json"}, 10 * 1024 * 1024))
        conn.sendall(b"[" + b" " * 4096)

    server = hostile(answer)
    client = _client(server, max_response_bytes=64 * 1024)
    with pytest.raises(ResponseTooLargeError, match=r"it declares 10,485,760 bytes"):
        client.taxes.list()
    with pytest.raises(ConfigurationError, match="max_response_bytes must be a whole number of bytes"):
        client.with_options(max_response_bytes=10)
    client.close()


# -- the client's own secrets echoed back ----------------------------------------------------------


def test_echoed_token_and_access_key_are_masked_everywhere(
    hostile: Callable[[Answer], HostileServer],
) -> None:
    escaped_key = json.dumps(ACCESS_KEY)[1:-1]

    def answer(conn: socket.socket, method: str, path: str, body: bytes) -> None:
        envelope = {
            "Status": 400,
            "Errors": [
                {
                    "Code": f"bad_{TOKEN}",
                    "Message": f"token {TOKEN} and key {ACCESS_KEY} are wrong",
                    "Params": [TOKEN, ACCESS_KEY],
                    "Detail": f"see {TOKEN}",
                }
            ],
            "Echo": f"{TOKEN} {escaped_key}",
        }
        send(conn, "400 Bad Request", json.dumps(envelope).encode(), {"X-Echo": f"{TOKEN};{ACCESS_KEY}"})

    server = hostile(answer)
    client = _client(server)
    with pytest.raises(APIError) as caught:
        client.taxes.list()
    error = caught.value
    assert error.status == 400
    fields = [
        str(error),
        error.body,
        *error.headers.values(),
        *(part for d in error.errors for part in (d.code, d.message, *d.params, d.detail or "")),
    ]
    for text in fields:
        assert TOKEN not in text and ACCESS_KEY not in text and escaped_key not in text, text
    assert error.errors[0].message == "token [redacted] and key [redacted] are wrong"
    assert error.errors[0].params == ("[redacted]", "[redacted]")
    assert error.headers["X-Echo"] == "[redacted];[redacted]"
    assert "[redacted] [redacted]" in error.body
    client.close()


# -- numbers out of Siigo's range ------------------------------------------------------------------


def test_an_out_of_range_number_is_refused_not_kept(hostile: Callable[[Answer], HostileServer]) -> None:
    def answer(conn: socket.socket, method: str, path: str, body: bytes) -> None:
        tax = b'[{"id": 13156, "name": "IVA 19%", "type": "IVA", "percentage": 1E+999999999, "active": true}]'
        send(conn, "200 OK", tax)

    server = hostile(answer)
    client = _client(server)
    with pytest.raises(APIError) as caught:
        client.taxes.list()
    assert "Siigo's answer has a number out of Siigo's range: 1E+999999999" in str(caught.value)
    assert caught.value.path == "/v1/taxes"
    client.close()


# -- cheap checks first ----------------------------------------------------------------------------


def test_a_page_of_100000_items_is_refused_on_its_count(hostile: Callable[[Answer], HostileServer]) -> None:
    # Items that would each fail validation: the error must be the count, found before them.
    page = {
        "pagination": {"page": 1, "page_size": 100, "total_results": 100000},
        "results": [{"id": 12345} for _ in range(100000)],
    }
    payload = json.dumps(page).encode()

    def answer(conn: socket.socket, method: str, path: str, body: bytes) -> None:
        send(conn, "200 OK", payload)

    server = hostile(answer)
    client = _client(server)
    with pytest.raises(APIError) as caught:
        client.products.list()
    assert "1 problem(s); first: a page has 100000 results; Siigo sends at most 100" in str(caught.value)
    client.close()


def test_an_invoice_with_100000_items_is_refused_on_its_count(
    hostile: Callable[[Answer], HostileServer],
) -> None:
    server = hostile(lambda conn, method, path, body: send(conn, "500 Oops", b"{}"))
    client = _client(server)
    invoice = {
        "document": {"id": 24446},
        "date": "2026-03-01",
        "customer": {"identification": "900123456"},
        "seller": 629,
        "items": [{"code": None} for _ in range(100000)],
        "payments": [{"id": 5636, "value": 1}],
    }
    with pytest.raises(ValidationError) as caught:
        client.invoices.create(invoice)
    assert [(e.code, e.message) for e in caught.value.errors] == [
        ("invalid_array", "The field items: an invoice takes at most 500 items, got 100000")
    ]
    assert [r[1] for r in server.requests] == []  # refused locally, nothing was sent
    client.close()
