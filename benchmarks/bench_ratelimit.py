"""Rate limiting: with a limit of 100 requests per minute, 250 requests through one client
finish within 5 % of the theoretical minimum, and the sandbox (enforcing the same limit as
Siigo, over a sliding 60 s window) answers no 429.

Theoretical minimum: at most 100 requests may start in any 60 s window, so requests 101–200
cannot start before t = 60 s and 201–250 not before t = 120 s: 120 s plus the time of the last
request.  Takes a little over two minutes.
Run: ``.venv/bin/python benchmarks/bench_ratelimit.py [--requests N --limit L]``.
"""

from __future__ import annotations

import argparse
import math
import time

import requests
from _common import ACCESS_KEY, PARTNER_ID, USERNAME, sandbox_process, summary, table

from siigo import Client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=250)
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args()
    with sandbox_process("--rate-limit", str(args.limit)) as url:
        client = Client(USERNAME, ACCESS_KEY, PARTNER_ID, base_url=url, rate_limit=args.limit, max_retries=0)
        client.authenticate()
        started = time.perf_counter()
        for _ in range(args.requests):
            client.taxes.list()
        elapsed = time.perf_counter() - started
        journal = requests.get(url + "/_sandbox/journal", params={"path": "^/v1/"}, timeout=10).json()
        client.close()
    windows = math.ceil(args.requests / args.limit) - 1
    minimum = windows * 60.0
    throttled = sum(1 for row in journal if row["status"] == 429)
    overhead = (elapsed - minimum) / minimum if minimum else 0.0
    table(
        f"{args.requests} requests at {args.limit}/minute through one client",
        ["requests", "theoretical min s", "elapsed s", "over minimum", "429 answers"],
        [[args.requests, f"{minimum:.1f}", f"{elapsed:.2f}", f"{overhead:.2%}", throttled]],
    )
    checks = {"within_5_percent": overhead <= 0.05, "no_429": throttled == 0}
    print("\nTargets:", ", ".join(f"{k}={'met' if v else 'MISSED'}" for k, v in checks.items()))
    summary(
        "ratelimit",
        {
            "requests": args.requests,
            "limit_per_minute": args.limit,
            "theoretical_minimum_s": minimum,
            "elapsed_s": round(elapsed, 3),
            "overhead_fraction": round(overhead, 5),
            "responses_429": throttled,
            "targets": checks,
        },
    )


if __name__ == "__main__":
    main()
