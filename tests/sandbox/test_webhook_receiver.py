"""The receiver helpers: ``parse_event`` and ``WebhookReceiver`` (a WSGI app) over a real loopback
server, against events the sandbox delivers and against hostile bodies."""

from __future__ import annotations

import http.client
import io
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from siigo import ValidationError, _json
from siigo.models.webhooks import TOPIC_PRODUCT_CREATE, TOPIC_PRODUCT_UPDATE, TOPIC_STOCK_UPDATE
from siigo.webhooks import (
    InMemorySeenEvents,
    ProductCreateEvent,
    ProductUpdateEvent,
    SeenEvents,
    WebhookEvent,
    WebhookReceiver,
    event_key,
    parse_event,
)

from ..receivers import WAIT, serve
from ..resources.test_bad_input import JSON_VALUES

COMPANY = "ferreteriaeltornillo"
USER = "integraciones@ferreteriaeltornillo.com.co"
SECRET = "Zq3mV9xkT2pL8wRb4nYc"


def event(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "company_key": COMPANY,
        "username": USER,
        "topic": TOPIC_PRODUCT_UPDATE,
        "id": "9e6f8516-f256-4f47-a4a7-39b0adad113e",
        "code": "TAL-750-001",
        "name": "Taladro percutor",
        "available_quantity": 13,
        "metadata": {"created": "2026-01-15T14:02:11.4870000+00:00", "last_updated": "2026-03-05T10:01:00Z"},
    }
    data.update(changes)
    return data


def encoded(**changes: Any) -> bytes:
    return json.dumps(event(**changes)).encode()


def nested(depth: int) -> bytes:
    return b'{"company_key":"a","topic":"t","x":' + b"[" * depth + b"]" * depth + b"}"


# --- parse_event -------------------------------------------------------------------------------


def test_parse_event_picks_the_model_by_topic() -> None:
    updated = parse_event(encoded(), {"Content-Type": "application/json; charset=utf-8"})
    assert isinstance(updated, ProductUpdateEvent) and updated.code == "TAL-750-001"
    created = parse_event(encoded(topic=TOPIC_PRODUCT_CREATE).decode())
    assert isinstance(created, ProductCreateEvent)
    future = parse_event(encoded(topic="public.siigoapi.customers.create", customer={"id": "x"}))
    assert type(future) is WebhookEvent
    assert future.topic == "public.siigoapi.customers.create" and future.model_extra is not None
    assert future.model_extra["customer"] == {"id": "x"}


def test_parse_event_checks_company_and_user() -> None:
    assert parse_event(encoded(), company_key=COMPANY, username=USER).company_key == COMPANY
    with pytest.raises(ValidationError) as other:
        parse_event(encoded(company_key="otraempresa"), company_key=COMPANY)
    assert (other.value.errors[0].code, other.value.errors[0].params) == ("invalid_value", ("company_key",))
    with pytest.raises(ValidationError) as user:
        parse_event(encoded(), company_key=COMPANY, username="alguien@example.com")
    assert user.value.errors[0].params == ("username",)
    assert "another API user" in str(user.value)


HOSTILE: list[tuple[str, Any, dict[str, str] | None, str, tuple[str, ...]]] = [
    ("not JSON", b"<xml/>", None, "invalid_type", ()),
    ("invalid UTF-8", b'{"topic": "\xff\xfe"}', None, "invalid_type", ()),
    ("a JSON array", b"[1, 2]", None, "invalid_type", ()),
    ("no topic", json.dumps({"company_key": COMPANY}).encode(), None, "parameter_required", ("topic",)),
    (
        "no company",
        json.dumps({"topic": TOPIC_STOCK_UPDATE}).encode(),
        None,
        "parameter_required",
        ("company_key",),
    ),
    ("a topic that is not text", encoded(topic=7), None, "parameter_required", ("topic",)),
    (
        "a product without id",
        json.dumps({k: v for k, v in event().items() if k != "id"}).encode(),
        None,
        "parameter_required",
        ("id",),
    ),
    ("a product field of the wrong type", encoded(warehouses="many"), None, "invalid_type", ("warehouses",)),
    ("too large", encoded(description="x" * 300_000), None, "length_max", ("body",)),
    ("a lying Content-Length", encoded(), {"Content-Length": "999999999"}, "length_max", ("body",)),
    ("not JSON by its type", encoded(), {"content-type": "text/html"}, "invalid_type", ("Content-Type",)),
    (
        "a form",
        encoded(),
        {"Content-Type": "multipart/form-data; boundary=x"},
        "invalid_type",
        ("Content-Type",),
    ),
    ("deeply nested", nested(100_000), None, "invalid_type", ()),
    ("not bytes", 12345, None, "invalid_type", ("body",)),
]


@pytest.mark.parametrize(("what", "body", "headers", "code", "params"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_parse_event_refuses_what_is_not_an_event(
    what: str, body: Any, headers: dict[str, str] | None, code: str, params: tuple[str, ...]
) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_event(body, headers)
    assert (caught.value.errors[0].code, caught.value.errors[0].params) == (code, params)


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "text/plain", ""]
)
def test_a_json_or_unstated_content_type_is_accepted(content_type: str) -> None:
    assert parse_event(encoded(), {"Content-Type": content_type}).topic == TOPIC_PRODUCT_UPDATE


def test_the_key_of_an_event_ignores_formatting() -> None:
    one = parse_event(encoded())
    same = parse_event(json.dumps(event(), indent=2, sort_keys=True).encode())
    later = parse_event(encoded(metadata={"last_updated": "2026-03-05T10:02:00Z"}))
    assert event_key(one) == event_key(same) != event_key(later)


def test_seen_events_are_bounded() -> None:
    seen = InMemorySeenEvents(max_entries=3)
    assert isinstance(seen, SeenEvents)
    assert [seen.add(k) for k in "abca"] == [True, True, True, False]
    assert seen.add("d") is True and len(seen) == 3
    assert seen.add("a") is True  # the oldest was forgotten to keep three
    seen.discard("d")
    assert seen.add("d") is True
    with pytest.raises(ValueError, match="max_entries must be"):
        InMemorySeenEvents(max_entries=0)


# --- the WSGI app over a real server -----------------------------------------------------------


@pytest.fixture
def received() -> Iterator[tuple[list[WebhookEvent], WebhookReceiver, str]]:
    """A receiver for one company with a path secret, served on 127.0.0.1."""
    seen: list[WebhookEvent] = []
    receiver = WebhookReceiver(seen.append, company_key=COMPANY, username=USER, path_secret=SecretStr(SECRET))
    with serve(receiver, path=f"/hooks/siigo/{SECRET}") as url:
        yield seen, receiver, url
    receiver.close()


def post(url: str, body: bytes, content_type: str = "application/json") -> requests.Response:
    return requests.post(url, data=body, headers={"Content-Type": content_type}, timeout=WAIT)


def test_an_event_is_acknowledged_and_handled_once(
    received: tuple[list[WebhookEvent], WebhookReceiver, str],
) -> None:
    seen, receiver, url = received
    first = post(url, encoded())
    assert first.status_code == 200 and first.json() == {"received": True, "duplicate": False}
    again = post(url, json.dumps(event(), indent=1).encode())
    assert again.status_code == 200 and again.json() == {"received": True, "duplicate": True}
    assert receiver.wait(WAIT)
    assert [getattr(e, "code", None) for e in seen] == ["TAL-750-001"]
    assert receiver.stats == {"received": 2, "duplicates": 1, "handled": 1}


REFUSED: list[tuple[str, str, bytes, str, int, str]] = [
    ("wrong secret", "/hooks/siigo/guessed-secret-0000000", encoded(), "application/json", 404, "not_found"),
    ("no secret", "/hooks/siigo", encoded(), "application/json", 404, "not_found"),
    ("not JSON", "", b"\x00\x01garbage", "application/json", 400, "invalid_type"),
    ("a form", "", b"a=1", "application/x-www-form-urlencoded", 415, "invalid_type"),
    ("another company", "", encoded(company_key="otraempresa"), "application/json", 403, "invalid_value"),
    ("another user", "", encoded(username="otro@example.com"), "application/json", 403, "invalid_value"),
    ("too large", "", encoded(description="x" * 300_000), "application/json", 413, "length_max"),
    ("deeply nested", "", nested(50_000), "application/json", 400, "invalid_type"),
    ("missing fields", "", b'{"topic": "x"}', "application/json", 400, "parameter_required"),
]


@pytest.mark.parametrize(
    ("what", "path", "body", "ctype", "status", "code"), REFUSED, ids=[r[0] for r in REFUSED]
)
def test_hostile_deliveries_are_refused_without_an_exception(
    received: tuple[list[WebhookEvent], WebhookReceiver, str],
    caplog: pytest.LogCaptureFixture,
    what: str,
    path: str,
    body: bytes,
    ctype: str,
    status: int,
    code: str,
) -> None:
    seen, receiver, url = received
    target = url.rsplit("/hooks/siigo/", 1)[0] + path if path else url
    answer = post(target, body, ctype)
    assert answer.status_code == status
    assert answer.json()["error"] == code and answer.json()["received"] is False
    assert receiver.stats == {"refused": 1} and seen == []
    assert SECRET not in caplog.text and not [r for r in caplog.records if r.exc_info]


def test_other_methods_and_a_lying_length_are_refused(
    received: tuple[list[WebhookEvent], WebhookReceiver, str],
) -> None:
    _, receiver, url = received
    assert requests.get(url, timeout=WAIT).status_code == 405
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=WAIT)
    connection.putrequest("POST", parts.path)
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", "x1")
    connection.endheaders(encoded())
    declared = connection.getresponse()
    assert declared.status == 400 and json.loads(declared.read())["error"] == "invalid_value"
    connection.close()
    assert receiver.stats["refused"] == 2


def test_the_answer_does_not_wait_for_the_handler() -> None:
    release = threading.Event()
    finished: list[str] = []

    def slow(event: WebhookEvent) -> None:
        release.wait(WAIT)
        finished.append(event.topic)

    receiver = WebhookReceiver(slow)
    with serve(receiver) as url:
        answer = post(url, encoded())
        assert answer.status_code == 200 and finished == []  # answered while the handler waits
        release.set()
        assert receiver.wait(WAIT)
    receiver.close()
    assert finished == [TOPIC_PRODUCT_UPDATE]


def test_a_failing_handler_is_run_again_on_redelivery(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[str] = []

    def flaky(event: WebhookEvent) -> None:
        calls.append(event.topic)
        if len(calls) == 1:
            raise RuntimeError("database down")

    inline = WebhookReceiver(flaky, background=False)
    with serve(inline) as url:
        failed = post(url, encoded())
        assert failed.status_code == 500 and failed.json()["error"] == "handler_failed"
        retried = post(url, encoded())
        assert retried.status_code == 200 and retried.json()["duplicate"] is False
        assert post(url, encoded()).json()["duplicate"] is True
    assert len(calls) == 2 and inline.stats["failed"] == 1 and inline.stats["handled"] == 1
    assert "webhook handler failed" in caplog.text


def test_a_full_queue_asks_the_sender_to_retry() -> None:
    entered, release = threading.Event(), threading.Event()

    def busy(event: WebhookEvent) -> None:
        entered.set()
        release.wait(WAIT)

    receiver = WebhookReceiver(busy, queue_size=1)
    with serve(receiver) as url:
        first = post(url, encoded(code="P-1")).status_code
        assert entered.wait(WAIT)  # the worker holds the first event; the queue is empty
        queued = post(url, encoded(code="P-2")).status_code
        refused = post(url, encoded(code="P-3"))
        release.set()
        assert receiver.wait(WAIT)
    receiver.close()
    assert (first, queued, refused.status_code) == (200, 200, 503)
    assert refused.json()["error"] == "busy"
    assert post_again_is_new(receiver)


def post_again_is_new(receiver: WebhookReceiver) -> bool:
    """An event refused with 503 was not remembered: its redelivery is handled."""
    answer = receiver.handle(encoded(code="P-3"), {"Content-Type": "application/json"})
    receiver.close()
    return answer.status == 200 and answer.body.get("duplicate") is False


def test_topics_limit_what_is_handled() -> None:
    seen: list[WebhookEvent] = []
    receiver = WebhookReceiver(seen.append, topics=[TOPIC_STOCK_UPDATE], background=False)
    ignored = receiver.handle(encoded())
    handled = receiver.handle(encoded(topic=TOPIC_STOCK_UPDATE))
    assert (ignored.status, ignored.body) == (200, {"received": True, "ignored": True})
    assert handled.status == 200 and [e.topic for e in seen] == [TOPIC_STOCK_UPDATE]


def test_the_secret_stays_out_of_repr() -> None:
    receiver = WebhookReceiver(lambda e: None, path_secret=SECRET)
    assert SECRET not in repr(receiver) and "path_secret=set" in repr(receiver)
    with pytest.raises(ValueError, match="at least 16 characters"):
        WebhookReceiver(lambda e: None, path_secret="short")
    with pytest.raises(ValueError, match="queue_size must be a whole number"):
        WebhookReceiver(lambda e: None, queue_size=0)


def call(receiver: WebhookReceiver, environ: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The WSGI app called directly (for requests a real client library will not send)."""
    answer: list[str] = []
    base = {"REQUEST_METHOD": "POST", "PATH_INFO": "/hooks", "CONTENT_TYPE": "application/json"}
    chunks = receiver({**base, **environ}, lambda status, headers: answer.append(status))
    return answer[0], json.loads(b"".join(chunks))


def test_a_body_without_length_is_not_waited_for() -> None:
    receiver = WebhookReceiver(lambda e: None, background=False)
    status, body = call(receiver, {"wsgi.input": io.BytesIO(encoded())})
    assert status.startswith("400") and body["error"] == "invalid_type"
    chunked = {"wsgi.input": io.BytesIO(encoded()), "wsgi.input_terminated": True}
    assert call(receiver, chunked)[0].startswith("200")
    huge = {"wsgi.input": io.BytesIO(b" " * 300_000 + encoded()), "wsgi.input_terminated": True}
    status, body = call(receiver, huge)
    assert status.startswith("413") and body["error"] == "length_max"


def test_a_broken_input_stream_is_answered_500(caplog: pytest.LogCaptureFixture) -> None:
    class Broken(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            raise ConnectionResetError("the client went away")

    receiver = WebhookReceiver(lambda e: None)
    status, body = call(receiver, {"wsgi.input": Broken(), "CONTENT_LENGTH": "10"})
    assert status.startswith("500") and body == {
        "received": False,
        "error": "unhandled_error",
        "message": "the receiver failed: ConnectionResetError",
    }
    assert "webhook receiver failed" in caplog.text


def _encoded_or_none(value: Any) -> bytes:
    try:
        return _json.dumps(value)
    except (TypeError, ValueError):
        return b""  # NaN and the like: not JSON


@settings(max_examples=200, deadline=None)
@given(
    body=st.one_of(
        st.binary(max_size=200),
        JSON_VALUES.map(_encoded_or_none).filter(bool),
        JSON_VALUES.map(lambda v: json.dumps({**event(), "available_quantity": v}, default=str).encode()),
    )
)
def test_arbitrary_bodies_parse_or_raise_our_error(body: bytes) -> None:
    try:
        parsed = parse_event(body)
    except ValidationError as exc:
        assert exc.errors and exc.errors[0].code
    else:
        assert isinstance(parsed, WebhookEvent)
    answer = WebhookReceiver(lambda e: None, background=False).handle(body)
    assert answer.status in (200, 400, 413, 415)
