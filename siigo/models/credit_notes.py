"""Credit notes (notas crédito, kind ``NC``): ``/v1/credit-notes`` (siigo-api.md §B.7, §C.6, §D.7).

A credit note adjusts a sales invoice: either one kept in Siigo (``invoice``: its GUID) or one
issued elsewhere (``invoice_data``: its date, prefix, number and CUFE; then ``customer`` and
``seller`` are required).  Its lines are invoice lines (:class:`~siigo.models.documents.ItemParam`),
its payments add up to the total Siigo computes for them, as on an invoice.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from .._patterns import GUID
from .._refusals import joined
from ._base import Amount, DateParam, RequestModel, ResponseModel, rule_error
from .common import CustomerRef, IdName, IdRef, to_int
from .documents import (
    CatalogId,
    CurrencyParam,
    DocumentFields,
    DocumentFile,
    HealthcareCompanyParam,
    ItemParam,
    Lines,
    Mail,
    MailParam,
    OptionalDate,
    OptionalDecimal,
    OptionalInt,
    Payment,
    PaymentParam,
    Retention,
    Stamp,
    StampParam,
    items_rule,
    payments_rule,
    retentions_rule,
)

__all__ = [
    "CREDIT_NOTE_REASONS",
    "CreditNote",
    "CreditNoteCreateParams",
    "CreditNoteInvoiceData",
    "CreditNoteInvoiceDataParam",
    "CreditNotePdf",
    "CreditNoteReason",
]

CreditNoteReason = Literal[1, 2, 3, 4, 5, 6, 7]
"""DIAN's correction concept (§C.6 ``reason``; Siigo's sources disagree on 1-5, 1-6 and 1-7: all
seven are accepted)."""

CREDIT_NOTE_REASONS: dict[int, str] = {
    1: "Partial return or non-acceptance of goods or services",
    2: "Cancellation of the electronic invoice",
    3: "Partial or total rebate or discount",
    4: "Price adjustment",
    5: "Other (numbering differs between Siigo's sources)",
    6: "Early-payment commercial discount",
    7: "Volume commercial discount",
}
"""What each ``reason`` means (§C.6; ⚠️ 5 is not in Siigo's table)."""

CANCELLATION = 2
"""The ``reason`` that cancels the invoice: the credit note takes what is left of it in full."""


def _reason(value: Any) -> Any:
    value = to_int(value)
    if isinstance(value, int) and not isinstance(value, bool) and not 1 <= value <= 7:
        raise rule_error("invalid_value", "models.credit_reason", value=value)
    return value


def _guid(value: Any) -> Any:
    if isinstance(value, str) and not GUID.fullmatch(value):
        raise rule_error("invalid_type", "models.credit_invoice_guid", value=repr(value))
    return value


class CreditNoteInvoiceDataParam(RequestModel):
    """An invoice issued outside Siigo that the credit note adjusts (§C.6 ``invoice_data``):
    ``number`` and ``cufe`` are required with ``reason`` 2 (cancellation)."""

    date: DateParam
    prefix: Annotated[str, Field(max_length=20)] | None = None
    number: Annotated[int, BeforeValidator(to_int), Field(gt=0)] | None = None
    cufe: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class CreditNoteCreateParams(Lines, RequestModel):
    """Body of ``POST /v1/credit-notes`` (§C.6).

    Exactly one of ``invoice`` (a Siigo invoice's GUID) and ``invoice_data`` (an invoice issued
    elsewhere); with ``invoice_data``, ``customer`` and ``seller`` are required and its ``date``
    is before the note's.  Catalog rules and Σ payments are checked by
    :func:`siigo.rules.check_document` with the ``NC`` kind.
    """

    document: IdRef
    number: Annotated[int, Field(gt=0)] | None = None
    date: DateParam
    invoice: Annotated[str, BeforeValidator(_guid)] | None = None
    invoice_data: CreditNoteInvoiceDataParam | None = None
    customer: CustomerRef | None = None
    seller: CatalogId | None = None
    reason: Annotated[int, BeforeValidator(_reason)]
    cost_center: CatalogId | None = None
    currency: CurrencyParam | None = None
    retentions: Annotated[list[IdRef] | None, retentions_rule] = None
    advance_payment: Amount | None = None
    observations: Annotated[str, Field(max_length=4000)] | None = None
    items: Annotated[list[ItemParam], items_rule]
    payments: Annotated[list[PaymentParam], payments_rule]
    stamp: StampParam | None = None
    mail: MailParam | None = None
    healthcare_company: HealthcareCompanyParam | None = None

    @model_validator(mode="after")
    def _reference(self) -> CreditNoteCreateParams:
        if (self.invoice is None) == (self.invoice_data is None):
            raise rule_error("parameters_exclusive", "models.credit_invoice_or_data")
        data = self.invoice_data
        if data is not None:
            missing = [name for name in ("customer", "seller") if getattr(self, name) is None]
            if missing:
                raise rule_error(
                    "parameter_required", "models.credit_invoice_data_needs", missing=joined(missing)
                )
            if not data.date < self.date:
                raise rule_error(
                    "invalid_date",
                    "models.credit_invoice_date",
                    invoice=data.date.isoformat(),
                    note=self.date.isoformat(),
                )
            if self.reason == CANCELLATION:
                missing = [name for name in ("number", "cufe") if getattr(data, name) is None]
                if missing:
                    raise rule_error(
                        "parameter_required",
                        "models.credit_cancellation_needs",
                        fields=joined([f"invoice_data.{m}" for m in missing]),
                    )
        return self


# --- responses ---------------------------------------------------------------------------------


class CreditNoteInvoiceData(ResponseModel):
    """``invoice_data`` echoed on a credit note of an invoice issued outside Siigo."""

    date: OptionalDate = None
    prefix: str | None = None
    number: OptionalInt = None
    cufe: str | None = None


class CreditNote(DocumentFields):
    """A credit note as Siigo returns it (POST/GET and list items, §D.7).

    ``invoice`` is ``{id, name}`` of the invoice it adjusts; ``stamp.cude`` is DIAN's code once
    accepted.
    """

    id: str
    invoice: IdName | None = None
    invoice_data: CreditNoteInvoiceData | None = None
    reason: OptionalInt = None
    retentions: list[Retention] | None = None
    advance_payment: OptionalDecimal = None
    payments: list[Payment] | None = None
    stamp: Stamp | None = None
    mail: Mail | None = None
    healthcare_company: dict[str, Any] | None = None

    @property
    def cude(self) -> str | None:
        """DIAN's CUDE once the credit note was accepted (empty or ``None`` before)."""
        return self.stamp.cude if self.stamp else None


class CreditNotePdf(DocumentFile):
    """``GET /v1/credit-notes/{id}/pdf``: ``{id, cude, base64}``."""
