"""pytest fixtures for testing code that uses siigo-python against the local sandbox.

Installed with ``siigo-python[sandbox]``, the plugin loads automatically:

* ``siigo_sandbox``: a running :class:`~siigo.sandbox.Sandbox`, reset before each test (one
  server per test session);
* ``siigo_client``: a :class:`siigo.Client` connected to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ..client import Client
    from .server import Sandbox


@pytest.fixture(scope="session")
def siigo_sandbox_server() -> Iterator[Sandbox]:
    from .server import Sandbox

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
