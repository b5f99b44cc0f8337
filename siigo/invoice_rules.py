"""The invoice rules under their 0.2 import path; they live in :mod:`siigo.rules`."""

from __future__ import annotations

from .rules.documents import (
    BOGOTA,
    MAX_BATCH_BYTES,
    SALES_PAYMENT_KINDS,
    check_invoice,
    colombia_today,
    tax_rates,
    undocumented_parts,
)

__all__ = [
    "BOGOTA",
    "MAX_BATCH_BYTES",
    "SALES_PAYMENT_KINDS",
    "check_invoice",
    "colombia_today",
    "tax_rates",
    "undocumented_parts",
]
