"""Reading ahead: a walk over every page with ``read_ahead=True`` and ``read_ahead=False``, side
by side in one run, against one sandbox in another process.  (The default, ``None``, never reads
ahead from loopback, so the sandbox would see no difference: the loopback rows show what reading
ahead would cost there, and why the default does not.)

Each walk goes over 1 000 products in pages of 100 and writes one CSV row per product (code,
name, account group, unit, creation time); in the second kind of walk it also stores each page
somewhere that takes 10 ms to answer (a ``time.sleep``, as a round trip to a database would
be).  Two settings of the sandbox's answer time, set with a fault that delays every ``GET
/v1/products`` (``/_sandbox/faults``, ``delay``): none (loopback) and 50 ms, nearer what a call
to Siigo takes over the internet.  With reading ahead, the following page is on its way while
the walk builds the models of the current one and does its work, so a walk gains up to that
work per page, never more than the answer time.

Run: ``.venv/bin/python benchmarks/bench_read_ahead.py [--quick]``.
"""

from __future__ import annotations

import csv
import io
import statistics
import sys
import time

import requests
from _common import ACCESS_KEY, PARTNER_ID, sandbox_process, summary, table

from siigo import Client

QUICK = "--quick" in sys.argv
ROUNDS = 3 if QUICK else 7
PRODUCTS = 1_000
DELAYS = (0.0, 0.050)
STORE_SECONDS = 0.010
WORKS = ("CSV rows", "CSV rows + 10 ms store per page")


def export(client: Client, store: bool) -> int:
    out = csv.writer(io.StringIO())
    rows = 0
    for product in client.products.list(page_size=100):
        if store and rows % 100 == 0:
            time.sleep(STORE_SECONDS)
        out.writerow(
            [
                product.code,
                product.name,
                product.account_group.id if product.account_group else "",
                product.unit.code if product.unit else "",
                product.metadata.created.isoformat() if product.metadata and product.metadata.created else "",
            ]
        )
        rows += 1
    return rows


def main() -> None:
    results: dict[str, dict[str, float]] = {}
    with sandbox_process() as url:
        ahead = Client(
            "lectura@example.com", ACCESS_KEY, PARTNER_ID, base_url=url, rate_limit=None, read_ahead=True
        )
        for n in range(PRODUCTS):
            ahead.products.create(code=f"RA{n:05d}", name=f"Producto {n}", account_group=1821)
        plain = ahead.with_options(read_ahead=False)
        for delay in DELAYS:
            requests.delete(url + "/_sandbox/faults", timeout=10).raise_for_status()
            if delay:
                fault = {"path": "^/v1/products$", "method": "GET", "delay": delay, "count": None}
                requests.post(url + "/_sandbox/faults", json=fault, timeout=10).raise_for_status()
            for work in WORKS:
                store = work != WORKS[0]
                samples: dict[str, list[float]] = {"on": [], "off": []}
                export(ahead, store), export(plain, store)  # warm-up
                ways = [("on", ahead), ("off", plain)]
                for number in range(ROUNDS):
                    for name, client in ways if number % 2 else ways[::-1]:  # each goes first in turn
                        began = time.perf_counter()
                        assert export(client, store) == PRODUCTS
                        samples[name].append(time.perf_counter() - began)
                key = f"{delay * 1000:g} ms, {work}"
                results[key] = {name: statistics.median(v) for name, v in samples.items()}
        ahead.close()
    rows = [
        [
            delay,
            f"{by['off'] * 1e3:,.1f}",
            f"{by['on'] * 1e3:,.1f}",
            f"{by['on'] / by['off']:.2f}×",
            f"{(by['off'] - by['on']) * 1e3 / (PRODUCTS // 100):.1f}",
        ]
        for delay, by in results.items()
    ]
    table(
        f"Export of {PRODUCTS} products to CSV (10 pages), median of {ROUNDS} walks",
        ["answer delay, work", "read_ahead=False ms", "read_ahead=True ms", "on / off", "ms saved per page"],
        rows,
    )
    summary(
        "read_ahead",
        {
            "median_ms": {d: {k: round(v * 1e3, 2) for k, v in by.items()} for d, by in results.items()},
            "ratio_on_off": {d: round(by["on"] / by["off"], 3) for d, by in results.items()},
        },
    )


if __name__ == "__main__":
    main()
