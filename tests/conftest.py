"""Shared test helpers.  The sandbox fixtures (``siigo_sandbox``, ``siigo_client``) come from
siigo-python's own pytest plugin, loaded through its entry point."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from siigo import Client, RetryPolicy
from siigo.sandbox import Sandbox
from siigo.sandbox.fleet import local_redis

EXAMPLES = Path(__file__).parent / "data" / "examples"

# Property tests explore new random inputs on every local run; CI sets HYPOTHESIS_PROFILE=ci to
# replay the same inputs each time, so a run's outcome depends only on the code it checks.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config: pytest.Config) -> None:
    # make pytest runs the suite with pytest-xdist, which knows this mark; a run without it
    # (`-p no:xdist`) keeps the mark quiet.
    config.addinivalue_line("markers", "xdist_group(name): run every test of the group on one worker")


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """A real ``redis-server`` of this worker's own, on a free loopback port (a skip without
    one, a failure when ``SIIGO_REQUIRE_REDIS=1``, as in CI)."""
    if shutil.which("redis-server") is None:
        if os.environ.get("SIIGO_REQUIRE_REDIS") == "1":
            pytest.fail("SIIGO_REQUIRE_REDIS=1 but redis-server is not installed")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with local_redis() as url:
        yield url


FAST_RETRY = RetryPolicy(max_retries=2, backoff_base=0.01, backoff_max=0.05, retry_after_max=2.0)


def example(name: str) -> Any:
    """A payload copied from Siigo's published examples."""
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def example_bytes(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


@pytest.fixture
def make_client(siigo_sandbox: Sandbox) -> Iterator[Callable[..., Client]]:
    """Clients for the sandbox with short retry waits (so retry tests stay fast)."""
    made: list[Client] = []

    def factory(**options: Any) -> Client:
        options.setdefault("retry", FAST_RETRY)
        client: Client = siigo_sandbox.client(**options)
        made.append(client)
        return client

    yield factory
    for client in made:
        client.close()


@pytest.fixture
def shop(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> Client:
    """A client whose company has the customers and products the invoice tests use; the journal
    starts empty."""
    from .resources.test_invoices import seed

    client = make_client()
    seed(client)
    siigo_sandbox.clear_journal()
    return client
