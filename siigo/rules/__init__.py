"""The catalog-dependent rules of Siigo's documents, shared by the SDK's preflight and the sandbox.

:mod:`siigo.rules.documents` holds what every kind shares (references, payment kinds,
document-type flags, the totals against the payments); a kind's own rules live in a small module
beside it (:mod:`siigo.rules.credit_notes`).
"""

from __future__ import annotations

from .documents import (
    BOGOTA,
    MAX_BATCH_BYTES,
    SALES_PAYMENT_KINDS,
    SUPPLIER_PAYMENT_KINDS,
    DocumentBody,
    check_document,
    check_invoice,
    colombia_today,
    match_payments,
    tax_rates,
    undocumented_parts,
)

__all__ = [
    "BOGOTA",
    "MAX_BATCH_BYTES",
    "SALES_PAYMENT_KINDS",
    "SUPPLIER_PAYMENT_KINDS",
    "DocumentBody",
    "check_document",
    "check_invoice",
    "colombia_today",
    "match_payments",
    "tax_rates",
    "undocumented_parts",
]
