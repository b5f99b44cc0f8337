"""Pagination: iterating 10 000 products with page_size 100 makes exactly 100 list requests,
and the peak memory (tracemalloc) of walking 10 000 stays within 1.2× of walking 1 000,
because only one page is held at a time.
Run: ``.venv/bin/python benchmarks/bench_pagination.py``.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor

import requests
from _common import ACCESS_KEY, PARTNER_ID, sandbox_process, summary, table

from siigo import Client

SIZES = (1_000, 10_000)


def seed(url: str, username: str, count: int) -> None:
    def create(chunk: range) -> None:
        with Client(username, ACCESS_KEY, PARTNER_ID, base_url=url, rate_limit=None) as client:
            for n in chunk:
                client.products.create(code=f"P{n:06d}", name=f"Producto {n}", account_group=1821)

    step = count // 4
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(create, [range(i, min(i + step, count)) for i in range(0, count, step)]))


def walk(url: str, username: str) -> tuple[int, int, float, int]:
    client = Client(username, ACCESS_KEY, PARTNER_ID, base_url=url, rate_limit=None)
    client.authenticate()
    requests.delete(url + "/_sandbox/journal", timeout=10)
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    seen = 0
    for product in client.products.list(page_size=100):
        seen += 1 if product.id else 0
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    journal = requests.get(url + "/_sandbox/journal", params={"path": "^/v1/products$"}, timeout=10).json()
    client.close()
    return seen, peak, elapsed, len(journal)


def main() -> None:
    rows = []
    result = {}
    with sandbox_process() as url:
        for size in SIZES:
            username = f"paginacion{size}@example.com"
            seed(url, username, size)
            seen, peak, elapsed, requests_made = walk(url, username)
            result[size] = {
                "items": seen,
                "list_requests": requests_made,
                "peak_bytes": peak,
                "seconds": round(elapsed, 3),
            }
            rows.append([size, seen, requests_made, f"{peak / 1024:,.0f}", f"{elapsed:.2f}"])
    table(
        "Walking every product with page_size=100",
        ["products", "seen", "list requests", "peak KiB", "seconds"],
        rows,
    )
    ratio = result[10_000]["peak_bytes"] / result[1_000]["peak_bytes"]
    checks = {
        "exactly_100_requests_for_10000": result[10_000]["list_requests"] == 100,
        "peak_memory_within_1.2x": ratio <= 1.2,
    }
    print(f"\nPeak memory 10 000 vs 1 000: {ratio:.2f}×")
    print("Targets:", ", ".join(f"{k}={'met' if v else 'MISSED'}" for k, v in checks.items()))
    summary("pagination", {"results": result, "peak_ratio": round(ratio, 3), "targets": checks})


if __name__ == "__main__":
    main()
