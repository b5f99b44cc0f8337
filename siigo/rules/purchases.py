"""What is a purchase's or a support document's own (siigo-api.md §B.9, §B.10, §C.8, §C.9).

Shared by the resources' preflight (:class:`siigo.resources.purchases.Purchases`) and the sandbox:

* the supplier's numbering: ``provider_invoice`` (purchases) and ``supplier_receipt_number``
  (support documents) have a ``prefix`` of up to 6 letters and digits and a ``number`` of 1 to
  11 digits (``length_max`` when too long, ``invalid_value`` otherwise);
* ``supplier`` on an item only when the document has ``supplier_by_item: true``
  (``parameter_not_allowed``);
* on an edit, ``document.id``, ``supplier.identification``, ``currency.code`` and ``number``
  are the stored document's (``non_editable``, :func:`check_unchanged`);
* the shared rules and the totals (:func:`siigo.rules.check_document`) with the body's
  ``discount_type`` read instead of the document type's, and ``tax_included`` prices split by
  :mod:`siigo.totals`.

Where Siigo leaves something open the check is relaxed, never guessed (a document Siigo accepts
must not be refused here):

* several payments with a credit payment type among them: the "a credit payment is alone" rule
  of sales invoices (§C.3.3) is not documented for purchases, whose installments (``quote``
  1..n) the payment receipts pay down — it is not applied;
* ``tax_included`` with an item that carries taxes other than IVA (Impoconsumo, AdValorem):
  whether the inclusive price contains them is undocumented; the local check does not compare
  the payments of such a document (``exact=True``, the sandbox, does: it is one concrete Siigo)
  and the totals say so in ``undocumented``;
* a support document on a purchase (``FC``) document type flagged ``document_support``: §B.10
  hints that such types exist for support documents; only the sandbox (``exact``) refuses it
  (``invalid_document``);
* ``provider_invoice`` is required on an edit only (the model); [MCP] also requires it on a
  creation, [APIB] does not.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from .._refusals import detail, refusal
from ..errors import ErrorDetail
from ..kinds import PURCHASE, PURCHASE_SUPPORT, Kind
from ..models.catalogs import DocumentType
from ..totals import ADDITIVE_TAX_TYPES, DocumentTotals
from .documents import check_document

__all__ = [
    "IMMUTABLE_FIELDS",
    "MAX_NUMBER_DIGITS",
    "MAX_PREFIX_LENGTH",
    "check_items",
    "check_numbering",
    "check_purchase",
    "check_unchanged",
    "undocumented_inclusive",
]

MAX_PREFIX_LENGTH = 6
MAX_NUMBER_DIGITS = 11
IMMUTABLE_FIELDS = ("document.id", "supplier.identification", "currency.code", "number")
"""What an edit of a purchase or a support document cannot change (§B.9, §C.9)."""


_err = detail  # _err(code, message_id, *field_paths, **message_args)


def _numbering(field: str, prefix: str | None, number: str) -> list[ErrorDetail]:
    errors: list[ErrorDetail] = []
    if prefix:
        path = f"{field}.prefix"
        if len(prefix) > MAX_PREFIX_LENGTH:
            errors.append(
                _err(
                    "length_max",
                    "purchases.prefix_too_long",
                    path,
                    path=path,
                    most=MAX_PREFIX_LENGTH,
                    value=repr(prefix),
                )
            )
        elif not prefix.isalnum():
            errors.append(
                _err("invalid_value", "purchases.prefix_chars", path, path=path, value=repr(prefix))
            )
    path = f"{field}.number"
    if number.isdigit() and len(number) > MAX_NUMBER_DIGITS:
        errors.append(
            _err(
                "length_max",
                "purchases.number_too_long",
                path,
                path=path,
                most=MAX_NUMBER_DIGITS,
                value=repr(number),
            )
        )
    elif not (number.isascii() and number.isdigit()):
        errors.append(
            _err(
                "invalid_value",
                "purchases.number_digits",
                path,
                path=path,
                most=MAX_NUMBER_DIGITS,
                value=repr(number),
            )
        )
    return errors


def check_numbering(params: Any) -> list[ErrorDetail]:
    """The formats of ``provider_invoice`` / ``supplier_receipt_number`` when sent."""
    errors: list[ErrorDetail] = []
    for field in ("provider_invoice", "supplier_receipt_number"):
        value = getattr(params, field, None)
        if value is not None:
            errors += _numbering(field, value.prefix, value.number)
    return errors


def check_items(params: Any) -> list[ErrorDetail]:
    """``items[].supplier`` only on a document with ``supplier_by_item: true``."""
    if getattr(params, "supplier_by_item", None):
        return []
    return [
        _err("parameter_not_allowed", "purchases.supplier_by_item", f"items[{i}].supplier", i=i)
        for i, item in enumerate(params.items)
        if item.supplier is not None
    ]


def _read(document: Any, path: str) -> Any:
    value = document
    for part in path.split("."):
        if isinstance(value, BaseModel):
            value = getattr(value, part, None)
        elif isinstance(value, Mapping):
            value = value.get(part)
        else:
            return None
    return value


def check_unchanged(params: Any, original: Any) -> list[ErrorDetail]:
    """The fields an edit changes that Siigo keeps (``non_editable``): ``params`` is the new
    body, ``original`` the stored document (a response model or its wire dict).  ``number`` is
    compared only when the body sends one, and a field the original does not show is not
    compared (but a missing currency is COP)."""
    errors: list[ErrorDetail] = []
    for path in IMMUTABLE_FIELDS:
        new = _read(params, path)
        if path == "number" and new is None:
            continue
        old = _read(original, path)
        if old is None and path != "currency.code":
            continue  # not known (a document without a currency is in COP: that one is compared)
        if path == "document.id":
            old = int(old)
        if path == "supplier.identification":
            old = str(old)
        if new != old:
            errors.append(
                _err(
                    "non_editable",
                    "purchases.non_editable",
                    path,
                    path=path,
                    old=refusal("purchases.none") if old is None else repr(old),
                    new=refusal("purchases.none") if new is None else repr(new),
                )
            )
    return errors


def undocumented_inclusive(params: Any, taxes: Mapping[int, Any], language: str = "en") -> str | None:
    """The note (in ``language``) for a ``tax_included`` body with items taxed with more than
    IVA (the totals leave what that means open), or ``None``."""
    if not getattr(params, "tax_included", None):
        return None
    for i, item in enumerate(params.items):
        for ref in item.taxes or ():
            tax = taxes.get(ref.id)
            kind = getattr(tax, "type", None)
            if kind in ADDITIVE_TAX_TYPES and kind != "IVA":
                return refusal("purchases.undocumented_inclusive", i=i, type=kind).render(language)
    return None


def _one_payment(params: Any) -> Any:
    """``params`` with its payments as one of their sum (the first payment's type)."""
    payments = params.payments
    total = sum((p.value for p in payments), payments[0].value * 0)
    merged = payments[0].model_copy(update={"value": total})
    return params.model_copy(update={"payments": [merged]})


def check_purchase(
    params: Any,
    *,
    kind: Kind,
    document_type: DocumentType,
    exact: bool = False,
    **arguments: Any,
) -> tuple[DocumentTotals | None, list[ErrorDetail]]:
    """:func:`siigo.rules.check_document` for a purchase or support document (``kind``) plus
    the rules of this module; ``arguments`` are check_document's (``taxes``, ``payment_types``,
    the reading, ``today``...).  ``exact`` (the sandbox) keeps the payments check where the
    local check relaxes it (see the module)."""
    if getattr(params, "discount_type", None):
        document_type = document_type.model_copy(update={"discount_type": params.discount_type})
    if (
        not exact
        and kind is PURCHASE_SUPPORT
        and document_type.type == PURCHASE.code
        and document_type.document_support
    ):
        # §B.10: purchase types carry a document_support flag too; whether the support-document
        # endpoint takes one is not documented, so it is not refused here.
        document_type = document_type.model_copy(update={"type": kind.code})
    totals, errors = check_document(params, kind=kind, document_type=document_type, **arguments)
    alone = [e for e in errors if e.code == "invalid_array" and e.params == ("payments",)]
    if alone:
        errors = [e for e in errors if e not in alone]
        if not errors:
            # The shared rule stopped before the math: check Σ payments as one payment.
            totals, errors = check_document(
                _one_payment(params), kind=kind, document_type=document_type, **arguments
            )
    note = undocumented_inclusive(params, arguments.get("taxes") or {})
    if note is not None and not exact:
        errors = [e for e in errors if e.code != "invalid_total_payments"]
        if totals is not None:
            totals = dataclasses.replace(totals, undocumented=(*totals.undocumented, note))
    return totals, errors + check_numbering(params) + check_items(params)
