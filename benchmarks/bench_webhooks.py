"""Webhooks: what a subscription costs the API call, how fast events arrive, how fast they parse.

* API latency of ``client.products.create`` with no subscription, with the three topics
  subscribed by a fast local receiver, and with a receiver that takes 1 s to answer (the
  sandbox delivers in the background, so the call should not notice either).
* Delivery latency: from the return of ``products.create`` to the receiver's handler
  (sandbox in its own process, receiver = the SDK's ``WebhookReceiver`` on ``wsgiref``), for
  a burst of creations (one worker delivers them in turn) and for one creation at a time.
* ``siigo.webhooks.parse_event`` on a product event of Siigo's documented shape.

Run: ``.venv/bin/python benchmarks/bench_webhooks.py [--quick]``.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import requests
from _common import ACCESS_KEY, PARTNER_ID, USERNAME, median_us, sandbox_process, summary, table

from siigo import Client
from siigo.models.webhooks import WEBHOOK_TOPICS
from siigo.webhooks import WebhookEvent, WebhookReceiver, parse_event

QUICK = "--quick" in sys.argv
CREATES = 60 if QUICK else 300
PARSES = 2000 if QUICK else 20000
EVENT = Path(__file__).parent.parent / "tests" / "data" / "events" / "products.stock.update.json"


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(app: Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, server_class=_Server, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hooks"
    finally:
        server.shutdown()
        server.server_close()


def slow_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    time.sleep(1.0)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def creates(client: Client, prefix: str, count: int) -> list[float]:
    samples = []
    for n in range(count):
        started = time.perf_counter()
        client.products.create(code=f"{prefix}{n}", name="Producto", account_group=1821)
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    arrived: dict[str, float] = {}
    returned: dict[str, float] = {}

    def on_event(event: WebhookEvent) -> None:
        arrived[str(getattr(event, "code", ""))] = time.perf_counter()

    receiver = WebhookReceiver(on_event)
    rows: list[tuple[str, str, str]] = []
    results: dict[str, Any] = {}
    with sandbox_process() as url, serve(receiver) as fast, serve(slow_app) as slow:
        requests.post(url + "/_sandbox/settings", json={"rate_limit": None}, timeout=5)
        client = Client(USERNAME, ACCESS_KEY, PARTNER_ID, base_url=url, rate_limit=None)
        client.authenticate()
        none = creates(client, "NONE-", CREATES)
        for topic in WEBHOOK_TOPICS:
            client.webhooks.create(application_id="Bench", topic=topic, url=fast)
        subscribed: list[float] = []
        for n in range(CREATES):
            started = time.perf_counter()
            client.products.create(code=f"FAST-{n}", name="Producto", account_group=1821)
            returned[f"FAST-{n}"] = time.perf_counter()
            subscribed.append(returned[f"FAST-{n}"] - started)
        deadline = time.monotonic() + 30
        while len(arrived) < CREATES and time.monotonic() < deadline:
            time.sleep(0.01)
        one_by_one: list[float] = []
        for n in range(min(CREATES, 50)):
            code = f"ONE-{n}"
            client.products.create(code=code, name="Producto", account_group=1821)
            done = time.perf_counter()
            while code not in arrived and time.perf_counter() - done < 10:
                time.sleep(0.0005)
            if code in arrived:
                one_by_one.append(arrived[code] - done)
        receiver.close()
        for webhook in client.webhooks.list():
            client.webhooks.update(webhook, active=False)
        client.webhooks.create(application_id="Bench", topic=WEBHOOK_TOPICS[0], url=slow)
        blocked = creates(client, "SLOW-", min(CREATES, 30))
        client.close()
    lags = sorted(arrived[code] - returned[code] for code in returned if code in arrived)
    for name, samples in (("no subscription", none), ("3 topics, fast receiver", subscribed)):
        rows.append((name, f"{median_us(samples):.0f}", f"{len(samples)}"))
    rows.append(("receiver answering in 1 s", f"{median_us(blocked):.0f}", f"{len(blocked)}"))
    table("products.create latency (median)", ["case", "µs", "calls"], rows)
    p95 = lags[int(len(lags) * 0.95) - 1] if lags else float("nan")
    single = sorted(one_by_one)
    single_p95 = single[int(len(single) * 0.95) - 1] if single else float("nan")
    table(
        "create returned → handler called",
        ["calls", "events", "median ms", "p95 ms"],
        [
            ("a burst", f"{len(lags)}/{CREATES}", f"{statistics.median(lags) * 1e3:.2f}", f"{p95 * 1e3:.2f}"),
            (
                "one at a time",
                f"{len(single)}/{min(CREATES, 50)}",
                f"{statistics.median(single) * 1e3:.2f}",
                f"{single_p95 * 1e3:.2f}",
            ),
        ],
    )
    body = EVENT.read_bytes()
    started = time.perf_counter()
    for _ in range(PARSES):
        parse_event(body, {"Content-Type": "application/json"})
    per_event = (time.perf_counter() - started) / PARSES
    table("parse_event", ["events", "µs per event"], [(f"{PARSES}", f"{per_event * 1e6:.1f}")])
    results.update(
        create_us_no_subscription=round(median_us(none)),
        create_us_subscribed=round(median_us(subscribed)),
        create_us_slow_receiver=round(median_us(blocked)),
        delivered=len(lags),
        delivery_ms_median=round(statistics.median(lags) * 1e3, 2) if lags else None,
        delivery_ms_p95=round(p95 * 1e3, 2),
        single_delivery_ms_median=round(statistics.median(single) * 1e3, 2) if single else None,
        parse_event_us=round(per_event * 1e6, 1),
    )
    summary("webhooks", results)


if __name__ == "__main__":
    main()
