"""One client shared by 8 threads: one login, no mixed tokens, the rate limit held, no leaks."""

from __future__ import annotations

import threading
from collections.abc import Callable

from siigo import Client, RateLimiter
from siigo.sandbox import Sandbox

THREADS = 8
PER_THREAD = 6


def test_eight_threads_create_and_list(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    limiter = RateLimiter(16, period=1.0, margin=0.02)
    client = make_client(rate_limit=limiter)
    other = make_client(username="otra-empresa@example.com")
    barrier = threading.Barrier(THREADS)
    failures: list[BaseException] = []
    created: list[int] = []
    lock = threading.Lock()

    def work(worker: int) -> None:
        try:
            barrier.wait()
            for n in range(PER_THREAD):
                if n % 2 == 0:
                    group = client.account_groups.create(code=f"T{worker}N{n}", name=f"Hilo {worker} {n}")
                    with lock:
                        created.append(group.id)
                else:
                    assert client.taxes.list()
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(THREADS)]
    for t in threads:
        t.start()
    other.taxes.list()  # a second company at the same time
    for t in threads:
        t.join()
    assert failures == []

    # One login for the shared client (and one for the other company).
    logins = siigo_sandbox.journal(method="POST", path="^/auth$")
    assert len(logins) == 2
    # Every request of the shared client reached its own company: tokens never mixed.
    mine = [e for e in siigo_sandbox.journal(path="^/v1/") if e.tenant == "sandbox@empresa.example.com"]
    assert len(mine) == THREADS * PER_THREAD
    groups = {g.id for g in client.account_groups.list()}
    assert set(created) <= groups and len(created) == THREADS * PER_THREAD // 2
    assert all(g.code is None or not g.code.startswith("T") for g in other.account_groups.list())

    # The limiter held across threads: never more than 16 request starts in any second.
    starts = sorted(e.time for e in mine)
    for i, start in enumerate(starts):
        in_window = [t for t in starts[i:] if t - start < 1.0]
        assert len(in_window) <= 16, (len(in_window), i)
    assert starts[-1] - starts[0] >= 1.0  # 48 requests at 16/s take at least two windows

    # Connections are pooled (at most one per thread) and released on close().
    pools = client._session.adapters["http://"].poolmanager.pools  # type: ignore[attr-defined]
    opened = sum(pools[key].num_connections for key in pools.keys())  # noqa: SIM118 (no __iter__)
    assert 1 <= opened <= THREADS
    client.close()
    assert len(client._session.adapters["http://"].poolmanager.pools) == 0  # type: ignore[attr-defined]


def test_eight_threads_log_in_once_per_token_expiry(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    rounds = 3
    client = make_client()
    # Each time every thread has arrived, the sandbox's clock jumps 25 h: every token expires.
    barrier = threading.Barrier(THREADS, action=lambda: siigo_sandbox.advance_clock(25 * 3600))
    failures: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(rounds):
                barrier.wait()
                assert client.taxes.list()
                assert client.users.list() is not None
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(siigo_sandbox.journal(method="POST", path="^/auth$")) == rounds
    assert client._tokens.logins == rounds
    answered = [e.status for e in siigo_sandbox.journal(path="^/v1/")]
    assert answered.count(200) == THREADS * rounds * 2
    assert set(answered) <= {200, 401}
