"""The same reads four ways, side by side in one run, against one sandbox on loopback.

* ``floor``: ``http.client`` on one keep-alive connection and ``json.loads`` (nothing is
  cheaper in Python on loopback);
* ``requests``: a keep-alive ``requests.Session`` and ``json.loads`` (no validation);
* ``sdk``: this SDK (``client.products.list(page_size=100)``: exact decimals, every product
  validated into a model);
* ``0.1.1``: the original ``siigo-python`` 0.1.1 from PyPI, in a virtual environment of its
  own (both packages are named ``siigo``), driven by a worker process.  0.1.1 keeps its base
  URL in the class attribute ``Client.URL``; the worker sets that attribute on its instance to
  the sandbox's URL (no patching of the package), and uses its ``generate_token`` and
  ``set_token``.  0.1.1 opens a new connection for every call.

Operations: one page of 100 products, and walking 1 000 products (10 pages of 100).  The four
ways run interleaved in rounds so that a noisy neighbour hurts them alike; medians are shown.

Targets (issue 14): one page ≤ 1.1× raw requests and ≤ 1.4× the floor; walking 1 000 ≤ 1.15×
raw requests.  Figures measured on main before the change: 1.35×, 1.8× and 1.63×.

The 0.1.1 environment is created once under ``$SIIGO_BENCH_CACHE`` (default
``~/.cache/siigo-bench``); ``--skip-old`` leaves 0.1.1 out (no network needed).
Run: ``.venv/bin/python benchmarks/bench_compare.py [--quick] [--skip-old]``.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import textwrap
import time
import venv
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from _common import ACCESS_KEY, PARTNER_ID, sandbox_process, summary, table

from siigo import Client

QUICK = "--quick" in sys.argv
SKIP_OLD = "--skip-old" in sys.argv
ROUNDS = 5 if QUICK else 9
PAGE_CALLS = 10 if QUICK else 30
WALK_CALLS = 2 if QUICK else 4
PRODUCTS = 1_000
OLD_VERSION = "0.1.1"

TODAY = {"page_vs_requests": 1.35, "page_vs_floor": 1.8, "walk_vs_requests": 1.63}
TARGET = {"page_vs_requests": 1.1, "page_vs_floor": 1.4, "walk_vs_requests": 1.15}

_WORKER = textwrap.dedent(
    """
    import json, sys, time
    from siigo.client import Client

    url, username, access_key = sys.argv[1:4]
    client = Client(email=username, access_key=access_key)
    client.URL = url + "/"          # 0.1.1 builds every URL as Client.URL + endpoint
    client.set_token(client.generate_token()["access_token"])

    def page():
        return client.list_products(page_size="100")["results"]

    def walk():
        seen, number = 0, 1
        while True:
            results = client.list_products(page_size="100", page=str(number))["results"]
            if not results:
                return seen
            seen += len(results)
            number += 1

    operations = {"page": page, "walk": walk}
    print(json.dumps({"ready": len(page())}), flush=True)
    for line in sys.stdin:
        name, times = line.split()
        samples = []
        for _ in range(int(times)):
            started = time.perf_counter()
            operations[name]()
            samples.append(time.perf_counter() - started)
        print(json.dumps(samples), flush=True)
    """
)


def old_python() -> Path | None:
    """A virtual environment with siigo-python 0.1.1 (created on first use)."""
    cache = Path(os.environ.get("SIIGO_BENCH_CACHE", Path.home() / ".cache" / "siigo-bench"))
    folder = cache / f"siigo-python-{OLD_VERSION}"
    python = folder / "bin" / "python"
    marker = folder / ".installed"
    if not marker.exists():
        venv.create(folder, with_pip=True, clear=True)
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", f"siigo-python=={OLD_VERSION}"],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            print(f"could not install siigo-python {OLD_VERSION}: {done.stderr.strip()[-300:]}")
            return None
        marker.touch()
    return python


class OldWorker:
    """siigo-python 0.1.1 in its own process: asked to run an operation n times, it answers
    the durations."""

    def __init__(self, python: Path, url: str, username: str) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        self.process = subprocess.Popen(
            [str(python), "-c", _WORKER, url, username, ACCESS_KEY],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=str(python.parent),  # not this checkout: its siigo/ folder would shadow 0.1.1's
        )
        assert self.process.stdout is not None
        ready = json.loads(self.process.stdout.readline())
        assert ready == {"ready": 100}, ready

    def run(self, name: str, times: int) -> list[float]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{name} {times}\n")
        self.process.stdin.flush()
        samples: list[float] = json.loads(self.process.stdout.readline())
        return samples

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def timed(call: Callable[[], object], times: int) -> list[float]:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def seed(client: Client) -> None:
    for n in range(PRODUCTS):
        client.products.create(code=f"CMP{n:05d}", name=f"Producto {n}", account_group=1821)


def main() -> None:
    python = None if SKIP_OLD else old_python()
    with sandbox_process() as url:
        username = "comparacion@example.com"
        client = Client(username, ACCESS_KEY, PARTNER_ID, base_url=url, rate_limit=None)
        seed(client)
        token = client._tokens.token()
        headers = {"Authorization": f"Bearer {token}", "Partner-Id": PARTNER_ID, "Accept": "application/json"}
        session = requests.Session()
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port)

        def floor_get(page: int) -> Any:
            connection.request("GET", f"/v1/products?page={page}&page_size=100", headers=headers)
            return json.loads(connection.getresponse().read())

        def requests_get(page: int) -> Any:
            params = {"page": page, "page_size": 100}
            return json.loads(session.get(url + "/v1/products", params=params, headers=headers).content)

        def walker(get: Callable[[int], Any]) -> Callable[[], int]:
            def walk() -> int:
                seen, number = 0, 1
                while True:
                    results = get(number)["results"]
                    if not results:
                        return seen
                    seen += len(results)
                    number += 1

            return walk

        def sdk_walk() -> int:
            return sum(1 for _ in client.products.list(page_size=100))

        ways: dict[str, dict[str, Callable[[], object]]] = {
            "floor": {"page": lambda: floor_get(1), "walk": walker(floor_get)},
            "requests": {"page": lambda: requests_get(1), "walk": walker(requests_get)},
            "sdk": {"page": lambda: client.products.list(page_size=100).items, "walk": sdk_walk},
            # The export path: the first page as models, the next ones as plain dicts.
            "sdk iter_raw": {"walk": lambda: sum(1 for _ in client.products.list(page_size=100).iter_raw())},
        }
        assert sdk_walk() == walker(floor_get)() == PRODUCTS
        old = OldWorker(python, url, username) if python is not None else None
        counts = {"page": PAGE_CALLS, "walk": WALK_CALLS}
        samples: dict[str, dict[str, list[float]]] = {
            op: {way: [] for way in [*ways, *(["0.1.1"] if old else [])] if way == "0.1.1" or op in ways[way]}
            for op in counts
        }
        for op in counts:  # warm-up
            for calls in ways.values():
                if op in calls:
                    timed(calls[op], 2)
            if old is not None:
                old.run(op, 2)
        for _ in range(ROUNDS):
            for op, times in counts.items():
                for way, calls in ways.items():
                    if op in calls:
                        samples[op][way].extend(timed(calls[op], times))
                if old is not None:
                    samples[op]["0.1.1"].extend(old.run(op, times))
        if old is not None:
            old.close()
        connection.close()
        session.close()
        client.close()

    medians = {op: {way: statistics.median(v) for way, v in by_way.items()} for op, by_way in samples.items()}
    rows = []
    for op, by_way in medians.items():
        for way, value in by_way.items():
            rows.append(
                [
                    "one page of 100" if op == "page" else f"walk {PRODUCTS} (10 pages)",
                    way,
                    len(samples[op][way]),
                    f"{value * 1e3:,.2f}",
                    f"{value / by_way['floor']:.2f}×",
                    f"{value / by_way['requests']:.2f}×",
                ]
            )
    table(
        "Median milliseconds per operation, sandbox in another process on loopback",
        ["operation", "way", "samples", "median ms", "vs floor", "vs requests"],
        rows,
    )
    ratios = {
        "page_vs_requests": medians["page"]["sdk"] / medians["page"]["requests"],
        "page_vs_floor": medians["page"]["sdk"] / medians["page"]["floor"],
        "walk_vs_requests": medians["walk"]["sdk"] / medians["walk"]["requests"],
    }
    raw_walk = medians["walk"]["sdk iter_raw"] / medians["walk"]["requests"]
    print()
    for name, value in ratios.items():
        verdict = "met" if value <= TARGET[name] else "MISSED"
        print(
            f"sdk {name}: {value:.2f}× (main before issue 14: {TODAY[name]}×, target ≤ {TARGET[name]}×) {verdict}"
        )
    print(f"sdk iter_raw walk_vs_requests: {raw_walk:.2f}× (no models past the first page; no target)")
    if "0.1.1" in medians["page"]:
        for op in counts:
            print(f"0.1.1 / sdk, {op}: {medians[op]['0.1.1'] / medians[op]['sdk']:.2f}×")
    summary(
        "compare",
        {
            "median_ms": {op: {w: round(v * 1e3, 3) for w, v in by.items()} for op, by in medians.items()},
            "ratios": {k: round(v, 3) for k, v in ratios.items()}
            | {"walk_raw_vs_requests": round(raw_walk, 3)},
            "targets": {k: ratios[k] <= TARGET[k] for k in ratios},
        },
    )


if __name__ == "__main__":
    main()
