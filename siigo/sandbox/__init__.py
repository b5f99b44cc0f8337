"""A local, stateful emulator of the Siigo API (needs ``siigo-python[sandbox]``).

It speaks Siigo's wire format, enforces the same rules with the SDK's own models and totals
code, and can be taught faults for tests.  See :class:`Sandbox`.
"""

from __future__ import annotations

from .app import SandboxApp
from .server import DEFAULT_ACCESS_KEY, DEFAULT_PARTNER_ID, DEFAULT_USERNAME, Sandbox
from .state import Fault, JournalEntry, SandboxSettings, SandboxState

__all__ = [
    "DEFAULT_ACCESS_KEY",
    "DEFAULT_PARTNER_ID",
    "DEFAULT_USERNAME",
    "Fault",
    "JournalEntry",
    "Sandbox",
    "SandboxApp",
    "SandboxSettings",
    "SandboxState",
]
