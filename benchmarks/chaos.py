"""Chaos run: 300+ invoices through one client while the sandbox (in another process) injects
faults into ~20 % of the requests: the invoice creations, the logins (tokens are expired by the
sandbox's clock every 50 invoices) and the preflight's catalog reads (its cache is emptied every
20 invoices).  Prints the table of attempts, faults by kind,
retries, successes, typed failures, duplicates and lost, then a JSON summary.

The client uses one retry (``max_retries=1``), so that some creates do give up and the
"retry later with the same idempotency key" path is exercised too, and a 1 s read timeout,
so that the delay faults time out.
Run: ``.venv/bin/python benchmarks/chaos.py [--invoices N] [--fault-rate F] [--retries R]``.
"""

from __future__ import annotations

import argparse

from _common import ACCESS_KEY, PARTNER_ID, USERNAME, sandbox_process, summary, table

from siigo import Client, RetryPolicy
from siigo.sandbox.chaos import run_chaos


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=300)
    parser.add_argument("--fault-rate", type=float, default=0.2)
    parser.add_argument("--retries", type=int, default=1)
    args = parser.parse_args()
    with sandbox_process() as url:
        client = Client(
            USERNAME,
            ACCESS_KEY,
            PARTNER_ID,
            base_url=url,
            rate_limit=None,
            timeout=(2.0, 1.0),
            retry=RetryPolicy(
                max_retries=args.retries, backoff_base=0.05, backoff_max=0.5, retry_after_max=1.0
            ),
        )
        report = run_chaos(client, invoices=args.invoices, fault_rate=args.fault_rate)
        client.close()
    table(
        f"Chaos: {args.invoices} invoices, ~{args.fault_rate:.0%} of requests faulted, max_retries={args.retries}",
        ["measure", "value"],
        report.rows(),
    )
    print("\nVerdict:", "zero duplicates, zero lost" if report.ok else "FAILED")
    summary("chaos", {**report.as_dict(), "fault_rate": args.fault_rate, "max_retries": args.retries})
    if not report.ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
