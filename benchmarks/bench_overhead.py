"""Per-call overhead against the sandbox on loopback, three ways, in one run.

* ``sdk``: ``client.products.retrieve(id)`` and one page of ``client.products.list(page_size=100)``
  (token, rate limiter off, retries armed, full pydantic validation of every product).
* ``raw session``: a ``requests.Session`` making the same calls with ``json.loads`` and no
  validation (the floor for anything built on requests).
* ``0.1 style``: what siigo-python 0.1 did: ``requests.request`` per call, a new connection each
  time, ``response.json()``.

Each is measured twice: over plain HTTP, and over HTTPS (the real API is HTTPS only, so a new
connection per call also pays a TLS handshake; the sandbox serves TLS with a throw-away
self-signed certificate).

The approaches run interleaved in rounds so that a noisy neighbour hurts them alike.  Targets
(from our issue tracker): SDK ≤ 1.3× raw for retrieve, ≤ 1.5× for a validated 100-item page,
and at least 1.5× faster than a new connection per call.
Run: ``.venv/bin/python benchmarks/bench_overhead.py [--quick]``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

import requests
from _common import ACCESS_KEY, PARTNER_ID, USERNAME, median_us, sandbox_process, summary, table

from siigo import Client

QUICK = "--quick" in sys.argv
RETRIEVES = 400 if QUICK else 2000
PAGES = 100 if QUICK else 500
ROUNDS = 10


def seed(client: Client, count: int) -> str:
    first = ""
    for n in range(count):
        product = client.products.create(
            code=f"BENCH{n:05d}", name=f"Producto de prueba {n}", account_group=1821
        )
        first = first or product.id
    return first


def timed(call: Callable[[], object], samples: list[float], times: int) -> None:
    for _ in range(times):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)


def measure(tls: bool) -> dict[str, dict[str, list[float]]]:
    with sandbox_process(tls=tls) as url:
        client = Client(USERNAME, ACCESS_KEY, PARTNER_ID, base_url=url, rate_limit=None)
        product_id = seed(client, 100)
        token = client._tokens.token()
        headers = {
            "Authorization": f"Bearer {token}",
            "Partner-Id": PARTNER_ID,
            "Accept": "application/json",
        }
        session = requests.Session()
        one_url = f"{url}/v1/products/{product_id}"
        list_url = f"{url}/v1/products"

        def raw_retrieve() -> object:
            return json.loads(session.get(one_url, headers=headers, timeout=30).content)

        def old_retrieve() -> object:
            return requests.request("GET", one_url, headers=headers, timeout=30).json()

        def raw_list() -> object:
            return json.loads(
                session.get(list_url, params={"page_size": 100}, headers=headers, timeout=30).content
            )

        def old_list() -> object:
            return requests.request(
                "GET", list_url, params={"page_size": 100}, headers=headers, timeout=30
            ).json()

        def sdk_list() -> object:
            return client.products.list(page_size=100).items

        assert len(client.products.list(page_size=100).items) == 100
        calls = {
            "retrieve": {
                "sdk": lambda: client.products.retrieve(product_id),
                "raw session": raw_retrieve,
                "0.1 style": old_retrieve,
            },
            "list 100": {"sdk": sdk_list, "raw session": raw_list, "0.1 style": old_list},
        }
        counts = {"retrieve": RETRIEVES, "list 100": PAGES}
        samples: dict[str, dict[str, list[float]]] = {op: {k: [] for k in calls[op]} for op in calls}
        for op in calls:  # warm-up
            for call in calls[op].values():
                timed(call, [], 20)
        for _ in range(ROUNDS):
            for op, by_way in calls.items():
                for way, call in by_way.items():
                    timed(call, samples[op][way], counts[op] // ROUNDS)
        session.close()
        client.close()
    return samples


def main() -> None:
    rows = []
    result: dict[str, dict[str, dict[str, float]]] = {}
    for transport, tls in (("http", False), ("https", True)):
        samples = measure(tls)
        result[transport] = {}
        for op, by_way in samples.items():
            medians = {way: median_us(values) for way, values in by_way.items()}
            sdk = medians["sdk"]
            result[transport][op] = {
                "sdk_us": round(sdk, 1),
                "raw_us": round(medians["raw session"], 1),
                "old_us": round(medians["0.1 style"], 1),
                "sdk_over_raw": round(sdk / medians["raw session"], 3),
                "old_over_sdk": round(medians["0.1 style"] / sdk, 3),
            }
            for way, value in medians.items():
                rows.append(
                    [
                        transport,
                        op,
                        way,
                        len(by_way[way]),
                        f"{value:,.0f}",
                        f"{value / medians['raw session']:.2f}×",
                    ]
                )
    table(
        "Median time per call (µs), sandbox in another process on loopback",
        ["transport", "call", "way", "calls", "median µs", "vs raw"],
        rows,
    )
    checks = {
        f"{transport}_{name}": ok
        for transport, by_op in result.items()
        for name, ok in (
            ("retrieve_sdk_within_1.3x_raw", by_op["retrieve"]["sdk_over_raw"] <= 1.3),
            ("list_sdk_within_1.5x_raw", by_op["list 100"]["sdk_over_raw"] <= 1.5),
            ("retrieve_sdk_1.5x_faster_than_0.1", by_op["retrieve"]["old_over_sdk"] >= 1.5),
        )
    }
    print("\nTargets:", ", ".join(f"{k}={'met' if v else 'MISSED'}" for k, v in checks.items()))
    summary("overhead", {"results": result, "targets": checks, "retrieves": RETRIEVES, "pages": PAGES})


if __name__ == "__main__":
    main()
