"""What is a credit note's own: the invoice it adjusts (siigo-api.md §B.7, §C.6, §E.3).

Shared by the sandbox (which refuses with these codes) and by the SDK's helper that builds a credit
note from an invoice (:meth:`siigo.resources.credit_notes.CreditNotes.from_invoice`):

* the invoice is not annulled, and for an electronic credit-note type it is of the same
  ``electronic_type`` and already accepted by DIAN (``invalid_document``);
* the credit note's currency is the invoice's (``invalid_currency``);
* the credit notes of an invoice never add up to more than the invoice total, and a cancellation
  (reason 2) leaves nothing to credit (``invalid_amount``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .._refusals import detail, refusal
from ..errors import ErrorDetail
from ..models.catalogs import DocumentType
from ..models.credit_notes import CANCELLATION, CreditNote, CreditNoteCreateParams
from ..models.invoices import Invoice
from ..totals import format_amount

__all__ = ["check_invoice_reference", "check_within_invoice", "remaining_to_credit"]


_err = detail  # _err(code, message_id, *field_paths, **message_args): see siigo._refusals


def remaining_to_credit(invoice: Invoice, notes: Iterable[CreditNote]) -> Decimal:
    """What credit notes may still take from ``invoice`` (its total minus the ``notes`` already
    issued against it; nothing after a cancellation, reason 2)."""
    taken = Decimal(0)
    for note in notes:
        if note.reason == CANCELLATION:
            return Decimal(0)
        taken += note.total or Decimal(0)
    return max(Decimal(0), (invoice.total or Decimal(0)) - taken)


def check_invoice_reference(
    note: CreditNoteCreateParams,
    *,
    invoice: Invoice,
    note_type: DocumentType,
    invoice_type: DocumentType | None,
) -> list[ErrorDetail]:
    """The refusals of §C.6 about the invoice ``note.invoice`` names (already found)."""
    errors: list[ErrorDetail] = []
    label = invoice.name or invoice.id
    if invoice.annulled:
        errors.append(_err("invalid_document", "credit_notes.invoice_annulled", "invoice", label=label))
    if note_type.is_electronic:
        # Siigo asks for "the same electronic_type"; its labels for invoices and notes differ in
        # the sources (⚠️), so only "electronic or not" is compared.
        if invoice_type is None or not invoice_type.is_electronic:
            errors.append(
                _err(
                    "invalid_document",
                    "credit_notes.invoice_not_electronic",
                    "invoice",
                    label=label,
                    type=note_type.id,
                )
            )
        elif invoice.stamp is None or invoice.stamp.status != "Accepted":
            status = invoice.stamp.status if invoice.stamp else None
            errors.append(
                _err(
                    "invalid_document",
                    "credit_notes.invoice_not_accepted",
                    "invoice",
                    label=label,
                    status=status or refusal("credit_notes.not_sent"),
                )
            )
    ours = note.currency.code if note.currency else None
    theirs = invoice.currency.code if invoice.currency else None
    if ours != theirs:
        errors.append(
            _err(
                "invalid_currency",
                "credit_notes.currency",
                "currency.code",
                ours=ours or "COP",
                theirs=theirs or "COP",
            )
        )
    return errors


def check_within_invoice(invoice: Invoice, note_total: Decimal, remaining: Decimal) -> list[ErrorDetail]:
    """A credit note of ``note_total`` against an invoice with ``remaining`` left to credit."""
    if note_total <= remaining:
        return []
    return [
        _err(
            "invalid_amount",
            "credit_notes.above_remaining",
            "items",
            total=format_amount(note_total),
            invoice=invoice.name or invoice.id,
            remaining=format_amount(remaining),
            invoice_total=format_amount(invoice.total or Decimal(0)),
        )
    ]
