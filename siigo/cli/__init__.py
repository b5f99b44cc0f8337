"""The ``siigo`` command line (needs ``siigo-python[cli]``): see ``siigo --help`` and docs/cli.md.

Built on the public SDK only: :class:`siigo.Client`, its resources and models, and
:mod:`siigo.messages` for every text in English and Spanish.
"""

from __future__ import annotations

from .app import (
    EXIT_API,
    EXIT_CONNECTION,
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    run,
)

__all__ = ["EXIT_API", "EXIT_CONNECTION", "EXIT_FAILURE", "EXIT_OK", "EXIT_REFUSED", "EXIT_USAGE", "run"]
