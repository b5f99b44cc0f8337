"""Purchases and purchase support documents: ``client.purchases`` and
``client.purchase_support_documents`` (siigo-api.md §B.9, §B.10, §C.8, §C.9, §D.11).

>>> purchase = client.purchases.create(
...     document={"id": 28490}, date="2026-03-04",
...     supplier={"identification": "900555111"},
...     provider_invoice={"prefix": "FE", "number": "4512"},
...     tax_included=True,
...     items=[{"type": "Product", "code": "SKU-1", "quantity": 1, "price": "1000.00",
...             "taxes": [{"id": 18401}]}],
...     payments=[{"id": 6202, "value": "1000.00", "due_date": "2026-04-03"}])
>>> purchase.balance  # what is owed to the supplier
Decimal('1000')

The local checks are those of :func:`siigo.rules.purchases.check_purchase`: the shared document
rules with the purchase payment types, the supplier's numbering formats, ``supplier`` per item
only with ``supplier_by_item``, and Σ payments against the total Siigo computes under the
``reading`` (``tax_included`` prices split by :mod:`siigo.totals`).  An ``update`` whose
``document.id``, ``supplier.identification``, ``currency.code`` or ``number`` differ from the
document this resource last read, created or updated is refused locally (``non_editable``).
Siigo takes no ``Idempotency-Key`` here: a creation is never retried once it could have reached
Siigo.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from typing_extensions import TypedDict, Unpack

from .._refusals import detail
from ..errors import ErrorDetail
from ..kinds import PURCHASE, PURCHASE_SUPPORT
from ..models._base import RequestModel, build, refused
from ..models.common import CustomerRef, CustomerRefDict, DateInput, DeleteResult, IdRef, IdRefDict
from ..models.documents import (
    CurrencyDict,
    CurrencyParam,
    Lines,
    PaymentDict,
    PaymentParam,
    StampDict,
    StampParam,
)
from ..models.purchases import (
    DiscountTypeName,
    ProviderInvoiceDict,
    ProviderInvoiceParam,
    Purchase,
    PurchaseCreateParams,
    PurchaseItemDict,
    PurchaseItemParam,
    PurchaseSupportDocument,
    PurchaseSupportDocumentCreateParams,
    PurchaseSupportDocumentUpdateParams,
    PurchaseUpdateParams,
    SupplierReceiptNumberDict,
    SupplierReceiptNumberParam,
)
from ..pagination import Page
from ..rules import tax_rates
from ..rules.purchases import IMMUTABLE_FIELDS, check_purchase, check_unchanged, undocumented_inclusive
from ..totals import DocumentTotals, LineInput, UnsupportedTaxError, compute_document
from ._base import DateFilter, RequestTimeout, plain
from ._documents import DocumentResource, ReadingArg, merge_body, reading_of, reading_pins

__all__ = ["PurchaseFields", "PurchaseSupportDocumentFields", "PurchaseSupportDocuments", "Purchases"]

S = TypeVar("S", Purchase, PurchaseSupportDocument)
P = TypeVar("P", bound=RequestModel)

_REMEMBERED = 256
"""How many documents a resource keeps the immutable fields of (the most recently seen)."""


class PurchaseFields(TypedDict, total=False):
    """The fields of a purchase body with their wire names (siigo-api.md §C.8)."""

    document: IdRef | IdRefDict
    number: int
    date: DateInput
    supplier: CustomerRef | CustomerRefDict
    cost_center: int
    provider_invoice: ProviderInvoiceParam | ProviderInvoiceDict
    discount_type: DiscountTypeName
    supplier_by_item: bool
    tax_included: bool
    currency: CurrencyParam | CurrencyDict
    observations: str
    retentions: Sequence[IdRef | IdRefDict]
    items: Sequence[PurchaseItemParam | PurchaseItemDict]
    payments: Sequence[PaymentParam | PaymentDict]


class PurchaseSupportDocumentFields(TypedDict, total=False):
    """The fields of a support-document body with their wire names (siigo-api.md §C.9)."""

    document: IdRef | IdRefDict
    number: int
    date: DateInput
    supplier: CustomerRef | CustomerRefDict
    supplier_receipt_number: SupplierReceiptNumberParam | SupplierReceiptNumberDict
    cost_center: int
    discount_type: DiscountTypeName
    supplier_by_item: bool
    tax_included: bool
    currency: CurrencyParam | CurrencyDict
    observations: str
    stamp: StampParam | StampDict
    retentions: Sequence[IdRef | IdRefDict]
    items: Sequence[PurchaseItemParam | PurchaseItemDict]
    payments: Sequence[PaymentParam | PaymentDict]


class _TotalsInput(Lines, RequestModel):
    """What :meth:`Purchases.compute_totals` needs of a body."""

    document: IdRef
    items: list[PurchaseItemParam]  # type: ignore[assignment]
    retentions: list[IdRef] | None = None
    discount_type: DiscountTypeName | None = None
    tax_included: bool | None = None

    def line_inputs(self) -> list[LineInput]:
        return [item.line_input(tax_included=bool(self.tax_included)) for item in self.items]


class _SupplierDocuments(DocumentResource[S], Generic[S]):
    """What both resources share: the purchase rules in the preflight and the immutable fields
    of the documents seen."""

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self._seen: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._seen_lock = threading.Lock()

    def _check(self, body: Any, **arguments: Any) -> tuple[DocumentTotals | None, list[ErrorDetail]]:
        return check_purchase(body, **arguments)

    def compute_totals(
        self,
        params: RequestModel | Mapping[str, Any] | None = None,
        /,
        *,
        document: IdRef | IdRefDict | None = None,
        items: Sequence[PurchaseItemParam | PurchaseItemDict] | None = None,
        retentions: Sequence[IdRef | IdRefDict] | None = None,
        discount_type: DiscountTypeName | None = None,
        tax_included: bool | None = None,
        reading: ReadingArg = None,
    ) -> DocumentTotals:
        """What Siigo will compute for the document, and so what its payments must add up to
        (``amount_due``: the total less the withholdings under the default reading).

        Needs ``document`` (its type's ``discount_type`` unless the body sends one), ``items``,
        ``retentions`` and ``tax_included``; a whole body (model or dict) is accepted too.  Tax
        percentages come from the catalog cache; ``reading`` pins what Siigo leaves open (the
        settings left open take their defaults, the sandbox's)."""
        pins = reading_pins(reading, "compute_totals", complete=True)
        data: dict[str, Any] = {}
        if params is not None:
            base = merge_body(params, {}, "compute_totals")
            base = base.model_dump(by_alias=True, exclude_none=True) if isinstance(base, BaseModel) else base
            data.update({k: base[k] for k in _TotalsInput.model_fields if k in base})
        given = {
            "document": document,
            "items": items,
            "retentions": retentions,
            "discount_type": discount_type,
            "tax_included": tax_included,
        }
        data.update({k: v for k, v in given.items() if v is not None})
        wanted: _TotalsInput = build(_TotalsInput, plain(data, "compute_totals", dump_models=True))
        document_type = self._document_type("compute_totals", wanted.document.id)
        taxes = self._catalogs.taxes()
        references = [
            (f"items[{i}].taxes[{j}].id", tax.id)
            for i, item in enumerate(wanted.items)
            for j, tax in enumerate(item.taxes or ())
        ]
        references += [(f"retentions[{j}].id", ref.id) for j, ref in enumerate(wanted.retentions or ())]
        unknown = [
            detail("invalid_reference", "rules.tax_unknown", path, id=tax_id)
            for path, tax_id in references
            if tax_id not in taxes
        ]
        if unknown:
            raise refused("compute_totals", unknown)
        chosen = wanted.discount_type or document_type.discount_type
        try:
            totals = compute_document(
                wanted.line_inputs(),
                taxes=tax_rates(taxes),
                retentions=[ref.id for ref in wanted.retentions or ()],
                discount_type="Percentage" if chosen == "Percentage" else "Value",
                self_withholding_limit=document_type.self_withholding_limit,
                **reading_of(pins)._asdict(),
            )
        except UnsupportedTaxError as exc:
            raise refused(
                "compute_totals",
                [detail("invalid_array", "resources.totals_uncomputable", "items", reason=str(exc))],
            ) from None
        except (ValueError, ArithmeticError) as exc:
            raise refused(
                "compute_totals",
                [detail("invalid_amount", "resources.totals_uncomputable", "items", reason=str(exc))],
            ) from None
        note = undocumented_inclusive(wanted, taxes)
        return dataclasses.replace(totals, undocumented=(note,)) if note else totals

    def _remember(self, document: S) -> S:
        kept = {path: _read(document, path) for path in IMMUTABLE_FIELDS}
        with self._seen_lock:
            self._seen[document.id] = kept
            self._seen.move_to_end(document.id)
            while len(self._seen) > _REMEMBERED:
                self._seen.popitem(last=False)
        return document

    def _original(self, id: str) -> dict[str, Any] | None:
        with self._seen_lock:
            kept = self._seen.get(id)
        if kept is None:
            return None
        original: dict[str, Any] = {}
        for path, value in kept.items():
            head, _, tail = path.partition(".")
            if tail:
                original.setdefault(head, {})[tail] = value
            else:
                original[head] = value
        return original

    def _update_checked(
        self,
        id: str,
        model: type[P],
        params: object,
        fields: Mapping[str, Any],
        *,
        preflight: bool,
        reading: ReadingArg,
        timeout: RequestTimeout,
    ) -> S:
        original = self._original(id) if preflight else None
        if original is not None:
            body = self._build(model, params, fields)
            problems = check_unchanged(body, original)
            if problems:
                raise refused(model.__name__, problems)
            params, fields = body, {}
        updated = self._update_document(
            id, model, params, fields, preflight=preflight, reading=reading, timeout=timeout
        )
        return self._remember(updated)

    def _forget(self, id: str) -> None:
        with self._seen_lock:
            self._seen.pop(id, None)


def _read(document: Any, path: str) -> Any:
    value = document
    for part in path.split("."):
        value = getattr(value, part, None)
    return value


class Purchases(_SupplierDocuments[Purchase]):
    """``/v1/purchases``: create, read, list, update, delete."""

    kind = PURCHASE
    model = Purchase

    def create(
        self,
        params: PurchaseCreateParams | Purchase | Mapping[str, Any] | None = None,
        /,
        *,
        preflight: bool = True,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Unpack[PurchaseFields],
    ) -> Purchase:
        """``POST /v1/purchases``: a model, a dict with wire names, keyword arguments, or a
        model/dict plus keyword overrides.  ``preflight=False`` skips the local checks that need
        the catalogs; ``reading`` pins how Siigo's totals are read."""
        created = self._create_document(
            PurchaseCreateParams, params, fields, preflight=preflight, reading=reading, timeout=timeout
        )
        return self._remember(created)

    def retrieve(self, id: str, *, timeout: RequestTimeout = None) -> Purchase:
        """``GET /v1/purchases/{id}``."""
        return self._remember(self._retrieve(id, timeout=timeout))

    def list(
        self,
        *,
        document_id: int | None = None,
        name: str | None = None,
        created_start: DateFilter | None = None,
        created_end: DateFilter | None = None,
        updated_start: DateFilter | None = None,
        updated_end: DateFilter | None = None,
        date_start: DateFilter | None = None,
        date_end: DateFilter | None = None,
        page: int | None = None,
        page_size: int | None = None,
        timeout: RequestTimeout = None,
    ) -> Page[Purchase]:
        """``GET /v1/purchases``: iterate the result to walk every page (Siigo documents no
        filters of its own for purchases; these are the documents' common ones)."""
        return self._list_documents(
            document_id=document_id,
            name=name,
            created_start=created_start,
            created_end=created_end,
            updated_start=updated_start,
            updated_end=updated_end,
            date_start=date_start,
            date_end=date_end,
            page=page,
            page_size=page_size,
            timeout=timeout,
        )

    def update(
        self,
        id: str,
        params: PurchaseUpdateParams | PurchaseCreateParams | Purchase | Mapping[str, Any] | None = None,
        /,
        *,
        preflight: bool = True,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Unpack[PurchaseFields],
    ) -> Purchase:
        """``PUT /v1/purchases/{id}``: the whole purchase (``provider_invoice`` required); its
        items are replaced.  ``document.id``, ``supplier.identification``, ``currency.code`` and
        ``number`` cannot change (``non_editable``)."""
        return self._update_checked(
            id, PurchaseUpdateParams, params, fields, preflight=preflight, reading=reading, timeout=timeout
        )

    def delete(self, id: str, *, timeout: RequestTimeout = None) -> DeleteResult:
        """``DELETE /v1/purchases/{id}``: refused (``delete_not_allowed``) once a payment
        receipt paid part of it."""
        result = self._delete(id, timeout=timeout)
        self._forget(id)
        return result


class PurchaseSupportDocuments(_SupplierDocuments[PurchaseSupportDocument]):
    """``/v1/purchase-support-documents``: create, read, update, delete (Siigo lists none)."""

    kind = PURCHASE_SUPPORT
    model = PurchaseSupportDocument

    def create(
        self,
        params: PurchaseSupportDocumentCreateParams
        | PurchaseSupportDocument
        | Mapping[str, Any]
        | None = None,
        /,
        *,
        preflight: bool = True,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Unpack[PurchaseSupportDocumentFields],
    ) -> PurchaseSupportDocument:
        """``POST /v1/purchase-support-documents``; ``stamp={"send": True}`` sends an electronic
        support document to DIAN (its CUDE is ``.cude`` once accepted)."""
        created = self._create_document(
            PurchaseSupportDocumentCreateParams,
            params,
            fields,
            preflight=preflight,
            reading=reading,
            timeout=timeout,
        )
        return self._remember(created)

    def retrieve(self, id: str, *, timeout: RequestTimeout = None) -> PurchaseSupportDocument:
        """``GET /v1/purchase-support-documents/{id}``."""
        return self._remember(self._retrieve(id, timeout=timeout))

    def update(
        self,
        id: str,
        params: PurchaseSupportDocumentUpdateParams
        | PurchaseSupportDocumentCreateParams
        | PurchaseSupportDocument
        | Mapping[str, Any]
        | None = None,
        /,
        *,
        preflight: bool = True,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Unpack[PurchaseSupportDocumentFields],
    ) -> PurchaseSupportDocument:
        """``PUT /v1/purchase-support-documents/{id}``: the whole document; the same fields as a
        purchase's cannot change; a document accepted by DIAN cannot be edited."""
        return self._update_checked(
            id,
            PurchaseSupportDocumentUpdateParams,
            params,
            fields,
            preflight=preflight,
            reading=reading,
            timeout=timeout,
        )

    def delete(self, id: str, *, timeout: RequestTimeout = None) -> DeleteResult:
        """``DELETE /v1/purchase-support-documents/{id}``."""
        result = self._delete(id, timeout=timeout)
        self._forget(id)
        return result
