"""Many processes, one company: 4 and 8 real processes with the same credentials share a token
and the company's rate limit through Redis and through a SQLite file, against sandboxes (each
in its own process) enforcing 100 and 10 requests a minute over Siigo's 60 s window.

For each limit, the four fleets (Redis × 4 and × 8 processes, SQLite × 4 and × 8) run at the
same time, each as its own company (the sandbox counts per company), so the whole run takes
two windows: about two and a half minutes.  Each fleet sends one and a half windows' worth of
requests.  Targets, from the sandbox's journal: zero 429 answers, one login per fleet (the
token lives 24 h), no window above the limit, and the time taken within 5 % of the least the
limit allows (``budget used`` ≥ 95 %).
Run: ``.venv/bin/python benchmarks/bench_shared.py [--period 60]``.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
from pathlib import Path

import requests
from _common import ACCESS_KEY, PARTNER_ID, sandbox_process, summary, table

from siigo.sandbox.fleet import FleetReport, local_redis, run_fleet


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--period", type=float, default=60.0, help="the sandbox's window in seconds")
    args = parser.parse_args()
    rows: list[list[object]] = []
    results: list[dict[str, object]] = []
    ok = True
    with local_redis() as redis_url, tempfile.TemporaryDirectory() as folder:
        for limit in (100, 10):
            with sandbox_process("--rate-limit", str(limit)) as url:
                requests.post(url + "/_sandbox/settings", json={"rate_window": args.period}, timeout=10)
                fleets: list[tuple[str, int, str]] = []
                for backend in ("redis", "sqlite"):
                    for processes in (4, 8):
                        shared = (
                            redis_url if backend == "redis" else f"sqlite://{Path(folder) / f'{limit}.db'}"
                        )
                        fleets.append((backend, processes, shared))
                reports: dict[int, FleetReport] = {}

                def run(
                    index: int,
                    backend: str,
                    processes: int,
                    shared: str,
                    limit: int = limit,
                    reports: dict[int, FleetReport] = reports,
                ) -> None:
                    total = limit * 3 // 2
                    reports[index] = run_fleet(
                        url,
                        shared,
                        processes=processes,
                        requests_per_process=-(-total // processes),
                        limit=limit,
                        period=args.period,
                        credentials=(f"fleet{index}-{limit}@empresa.example.com", ACCESS_KEY, PARTNER_ID),
                        clear_journal=False,
                    )

                threads = [threading.Thread(target=run, args=(i, *fleet)) for i, fleet in enumerate(fleets)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            for index, (backend, processes, _) in enumerate(fleets):
                report = reports[index]
                met = (
                    report.throttled == 0
                    and report.logins == 1
                    and report.busiest_window <= limit
                    and report.budget_used >= 0.95
                    and not report.errors
                )
                ok = ok and met
                rows.append(
                    [
                        f"{limit}/min",
                        backend,
                        processes,
                        report.requests,
                        report.throttled,
                        report.logins,
                        report.busiest_window,
                        f"{report.minimum:.1f}",
                        f"{report.elapsed:.2f}",
                        f"{report.budget_used:.1%}",
                        "met" if met else "MISSED",
                    ]
                )
                results.append({"backend": backend, **report.as_dict()})
    table(
        f"Shared token and rate limit, sandbox window {args.period:g} s",
        [
            "limit",
            "store",
            "procs",
            "requests",
            "429",
            "logins",
            "busiest window",
            "min s",
            "elapsed s",
            "budget used",
            "targets",
        ],
        rows,
    )
    print("\nTargets:", "met" if ok else "MISSED")
    summary("shared", {"period_s": args.period, "fleets": results, "targets_met": ok})
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
