"""Journals: ``client.journals`` (siigo-api.md §B.13, §C.12, §D.11).

>>> journal = client.journals.create(document={"id": 28480}, date="2026-03-31", items=[
...     {"account": {"code": "51354001", "movement": "Debit"},
...      "customer": {"identification": "800197268"}, "value": "1850000"},
...     {"account": {"code": "11100501", "movement": "Credit"},
...      "customer": {"identification": "800197268"}, "value": "1850000"},
... ])

Creation is idempotent (an ``Idempotency-Key`` per call, reused by every retry, carried by every
error as ``.idempotency_key``).  Before anything is sent the journal must balance (Σ debits = Σ
credits, else a :class:`~siigo.ValidationError` ``invalid_balance`` naming both sums), its document
type must be an active ``CC`` type and its item taxes must exist (:mod:`siigo.rules.journals`,
with the client's cached catalogs).  Siigo has no edit, delete or annul for journals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel
from typing_extensions import TypedDict, Unpack

from ..kinds import JOURNAL
from ..models._base import RequestModel, refused
from ..models.common import DateInput, IdRef, IdRefDict
from ..models.documents import CurrencyDict, CurrencyParam, looks_read
from ..models.journals import Journal, JournalCreateParams, JournalItemDict, JournalItemParam
from ..pagination import Page
from ..rules import colombia_today
from ..rules.journals import check_journal
from ..totals import DocumentTotals, ReadingPins
from ._base import DateFilter, RequestTimeout
from ._documents import DocumentResource

__all__ = ["JournalFields", "Journals"]

P = TypeVar("P", bound=RequestModel)


class JournalFields(TypedDict, total=False):
    """The fields of a journal body with their wire names (siigo-api.md §C.12)."""

    document: IdRef | IdRefDict
    date: DateInput
    number: int
    currency: CurrencyParam | CurrencyDict
    observations: str
    items: Sequence[JournalItemParam | JournalItemDict]


def _request_line(item: Any) -> Any:
    if not isinstance(item, Mapping):
        return item
    line = dict(item)
    if isinstance(line.get("tax"), Mapping):
        line["tax"] = {k: v for k, v in line["tax"].items() if k != "value"}
    if isinstance(line.get("fixed_asset"), Mapping) and "id" in line["fixed_asset"]:
        line["fixed_asset"] = {"id": line["fixed_asset"]["id"]}
    product = line.get("product")
    if isinstance(product, Mapping):
        warehouse = product.get("warehouse")
        part = {k: product[k] for k in ("code", "quantity") if k in product}
        if isinstance(warehouse, Mapping) and "id" in warehouse:
            part["warehouse"] = warehouse["id"]
        elif warehouse is not None:
            part["warehouse"] = warehouse
        line["product"] = part
    return line


class Journals(DocumentResource[Journal]):
    """``/v1/journals``: create, read, list."""

    kind = JOURNAL
    model = Journal

    def _build(self, model: type[P], params: object, fields: Mapping[str, Any]) -> P:
        """As every kind's (a journal read from Siigo may be passed back), with the parts of a
        read line turned back into what a request takes: ``tax`` without its computed
        ``value``, ``fixed_asset`` as ``{id}``, ``product`` as ``{code, quantity, warehouse}``."""
        data: object = params
        if isinstance(params, BaseModel) and not isinstance(params, RequestModel):
            data = params.model_dump(by_alias=True, exclude_none=True)
        if isinstance(data, Mapping) and looks_read(data) and isinstance(data.get("items"), list):
            data = {**data, "items": [_request_line(item) for item in data["items"]]}
        return super()._build(model, data, fields)

    def _preflight(self, body: Any, pins: ReadingPins) -> DocumentTotals | None:
        """The journal's rules with the cached document types and taxes; a
        :class:`~siigo.ValidationError` listing every problem (nothing is sent)."""
        what = type(body).__name__
        document_type = self._document_type(what, body.document.id)
        taxed = any(item.tax is not None for item in body.items)
        errors = check_journal(
            body,
            document_type=document_type,
            taxes=self._catalogs.taxes() if taxed else {},  # no request for a journal without taxes
            today=colombia_today(),
        )
        if errors:
            raise refused(what, errors)
        return None

    def create(
        self,
        params: JournalCreateParams | Journal | Mapping[str, Any] | None = None,
        /,
        *,
        preflight: bool = True,
        idempotency_key: str | None = None,
        timeout: RequestTimeout = None,
        **fields: Unpack[JournalFields],
    ) -> Journal:
        """``POST /v1/journals``: a model, a dict, keyword arguments, or a model/dict plus keyword
        overrides; a journal read from Siigo is taken too (what Siigo only returns is dropped,
        with a :class:`~siigo.models.documents.ReadBackWarning`).  ``preflight=False`` skips the checks that read the cached catalogs (document
        type, taxes) and the balance; the body's own rules (amounts, accounts written as digits,
        required parts) always run."""
        return self._create_document(
            JournalCreateParams,
            params,
            fields,
            preflight=preflight,
            reading=None,
            idempotency_key=idempotency_key,
            timeout=timeout,
        )

    def retrieve(self, id: str, *, timeout: RequestTimeout = None) -> Journal:
        """``GET /v1/journals/{id}``."""
        return self._retrieve(id, timeout=timeout)

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
    ) -> Page[Journal]:
        """``GET /v1/journals``: iterate the result to walk every page."""
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
