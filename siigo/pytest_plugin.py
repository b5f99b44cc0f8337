"""pytest fixtures for testing code that uses siigo-python against the local sandbox.

The plugin is registered with pytest whenever siigo-python is installed, and it loads without
the sandbox's own dependencies: only a test that asks for one of its fixtures needs
``siigo-python[sandbox]``, and such a test fails with what to install when it is missing.

* ``siigo_sandbox``: a running :class:`~siigo.sandbox.Sandbox`, reset before each test (one
  server per test session);
* ``siigo_client``: a :class:`siigo.Client` connected to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .client import Client
    from .sandbox import Sandbox

__all__ = ["siigo_client", "siigo_sandbox", "siigo_sandbox_server"]

MISSING_EXTRA = (
    "the siigo_sandbox and siigo_client fixtures need the sandbox's dependencies: "
    "pip install 'siigo-python[sandbox]'"
)


@pytest.fixture(scope="session")
def siigo_sandbox_server() -> Iterator[Sandbox]:
    problem = None
    try:
        from .sandbox import Sandbox
    except ImportError as exc:
        problem = str(exc)
    if problem is not None:  # outside the except block, so pytest shows only this line
        pytest.fail(f"{MISSING_EXTRA} ({problem})", pytrace=False)

    sandbox = Sandbox().start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture
def siigo_sandbox(siigo_sandbox_server: Sandbox) -> Sandbox:
    siigo_sandbox_server.reset()
    return siigo_sandbox_server


@pytest.fixture
def siigo_client(siigo_sandbox: Sandbox) -> Iterator[Client]:
    client = siigo_sandbox.client()
    try:
        yield client
    finally:
        client.close()
