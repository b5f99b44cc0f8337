"""Several processes of one company against the sandbox, sharing a token and a rate limit.

:func:`run_fleet` starts ``processes`` real processes (``multiprocessing``, spawned unless
told otherwise) with the same credentials and one ``shared_url`` (Redis or a SQLite file); each sends
``requests_per_process`` reads.  The report comes from the sandbox's journal, i.e. from what
the server saw: the statuses, the logins, the busiest window and the share of the company's
budget used.  :func:`local_redis` starts a throw-away ``redis-server`` on a free loopback port.
Used by ``tests/test_shared.py`` and ``benchmarks/bench_shared.py``.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any, Literal

import requests

__all__ = ["FleetReport", "local_redis", "run_fleet"]


@contextlib.contextmanager
def local_redis(executable: str | None = None) -> Iterator[str]:
    """Run ``redis-server`` (found on ``PATH`` unless given) on a free port of 127.0.0.1, with
    no persistence, and yield its URL; the server is stopped on exit.  ``FileNotFoundError``
    when there is no ``redis-server``."""
    binary = executable or shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("redis-server is not installed (Debian: apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen(
            [
                *(binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"),
                *("--dir", folder, "--daemonize", "no", "--loglevel", "warning"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 20.0
            while True:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        break
                if process.poll() is not None or time.monotonic() > deadline:
                    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
                    raise RuntimeError(f"redis-server did not start on port {port}: {error[:500]}")
                time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stderr is not None:
                process.stderr.close()


@dataclass
class FleetReport:
    processes: int
    requests: int
    limit: int
    period: float
    statuses: dict[int, int]
    logins: int
    """``POST /auth`` requests the sandbox received."""
    worker_logins: int
    """Logins the processes counted themselves."""
    busiest_window: int
    """The most requests the sandbox received in any ``period`` seconds."""
    elapsed: float
    """Seconds from the first request the sandbox received to the last."""
    minimum: float
    """The least time those requests can take: ``limit`` per ``period``."""
    budget_used: float
    """``minimum / elapsed``: the share of the company's budget the fleet used while it had
    requests waiting (1.0: all of it)."""
    errors: list[str]

    @property
    def throttled(self) -> int:
        return self.statuses.get(429, 0)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "throttled": self.throttled}


def _worker(
    base_url: str,
    credentials: tuple[str, str, str],
    shared_url: str,
    limit: int,
    period: float,
    count: int,
    barrier: Any,
    results: Any,
) -> None:
    from .. import (
        Client,
        RateLimitError,
        RedisRateLimiter,
        RetryPolicy,
        SiigoError,
        SqliteRateLimiter,
        company_key,
    )

    username, access_key, partner_id = credentials
    name = company_key(base_url, username) + ":rate"
    limiter: RedisRateLimiter | SqliteRateLimiter
    if shared_url.startswith(("redis://", "rediss://", "unix://")):
        limiter = RedisRateLimiter(shared_url, name, limit, period)
    else:
        limiter = SqliteRateLimiter(shared_url.removeprefix("sqlite://"), name, limit, period)
    errors: list[str] = []
    with Client(
        username,
        access_key,
        partner_id,
        base_url=base_url,
        shared_url=shared_url,
        rate_limit=limiter,
        # One retry, for a kept-alive connection the sandbox closed after a minute idle; a 429
        # would still be in the sandbox's journal, which is what the report counts.
        retry=RetryPolicy(max_retries=1, backoff_base=0.05, backoff_max=0.1),
    ) as client:
        barrier.wait()
        for _ in range(count):
            try:
                client.taxes.list()
            except RateLimitError as exc:
                errors.append(f"429: {exc}")
            except SiigoError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
        results.put((os.getpid(), client._tokens.logins, errors))


def run_fleet(
    base_url: str,
    shared_url: str,
    *,
    processes: int,
    requests_per_process: int,
    limit: int,
    period: float,
    credentials: tuple[str, str, str],
    clear_journal: bool = True,
    start_method: Literal["spawn", "forkserver"] = "spawn",
) -> FleetReport:
    """Run the processes against the sandbox at ``base_url`` (whose rate limit must be
    ``limit`` per ``period`` seconds) and report what the sandbox saw.  The journal is cleared
    first, unless ``clear_journal`` is false (several fleets of different companies at once:
    each reads its own company's entries).  ``start_method`` is multiprocessing's: ``"spawn"``
    starts each process from a fresh interpreter; ``"forkserver"`` forks each from one server
    process that has already imported the client (the same separate processes, without an
    interpreter start and the client's import each)."""
    if clear_journal:
        requests.delete(base_url + "/_sandbox/journal", timeout=10).raise_for_status()
    username = credentials[0]
    context: multiprocessing.context.SpawnContext | multiprocessing.context.ForkServerContext
    if start_method == "forkserver":
        context = multiprocessing.get_context("forkserver")
        # Only the first fleet of a process starts the server; later calls reuse it.
        context.set_forkserver_preload([__name__, "siigo.client", "siigo._shared", "redis"])
    else:
        context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    results = context.Queue()
    workers = [
        context.Process(
            target=_worker,
            args=(base_url, credentials, shared_url, limit, period, requests_per_process, barrier, results),
        )
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    collected = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(60)
    errors = [error for _, _, found in collected for error in found]
    journal = [
        row
        for row in requests.get(base_url + "/_sandbox/journal", timeout=30).json()
        if row["tenant"] == username
    ]
    calls = [row for row in journal if row["path"].startswith("/v1/")]
    statuses = Counter(int(row["status"]) for row in calls)
    logins = sum(1 for row in journal if row["path"] == "/auth")
    times = sorted(float(row["time"]) for row in calls)
    busiest = 0
    first = 0
    for last, at in enumerate(times):
        while at - times[first] >= period:
            first += 1
        busiest = max(busiest, last - first + 1)
    total = len(times)
    elapsed = times[-1] - times[0] if total > 1 else 0.0
    minimum = (math.ceil(total / limit) - 1) * period
    budget = minimum / elapsed if total > limit and elapsed > 0 else 1.0
    return FleetReport(
        processes=processes,
        requests=total,
        limit=limit,
        period=period,
        statuses=dict(statuses),
        logins=logins,
        worker_logins=sum(n for _, n, _ in collected),
        busiest_window=busiest,
        elapsed=elapsed,
        minimum=minimum,
        budget_used=budget,
        errors=errors,
    )
