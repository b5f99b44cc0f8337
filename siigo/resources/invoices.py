"""Sales invoices: ``client.invoices`` (siigo-api.md §B.5, §B.6, §C.3-C.5, §D.5, §D.6, §D.9).

>>> invoice = client.invoices.create(
...     document={"id": 28451},
...     date="2026-03-04",
...     customer={"identification": "900123456", "branch_office": 0},
...     seller=4120,
...     items=[{"code": "SKU-1", "quantity": 10, "price": "100.00", "discount": "50.00", "taxes": [{"id": 18401}]}],
...     payments=[{"id": 6101, "value": "1130.50", "due_date": "2026-03-04"}],
... )
>>> invoice.name
'FV-1-1001'

Before anything is sent, :meth:`Invoices.create` validates the body with
:class:`~siigo.models.invoices.InvoiceCreateParams` (structural rules, always) and, unless
``preflight=False``, checks it against the company's catalogs with
:func:`siigo.invoice_rules.check_invoice`: document type, taxes, retentions and payment types
exist and are active, the document type's flags are honoured, and Σ payments equals the total
Siigo will compute (:mod:`siigo.totals`) under any reading of what Siigo leaves open (rounding,
payments basis, ``taxed_price`` division, price precision) that the caller did not pin.  The
catalogs come from ``client.catalog_cache`` (fetched once, kept ``catalog_ttl`` seconds).  Every
local refusal is a :class:`~siigo.errors.ValidationError` whose ``errors`` carry the code Siigo
would have answered.

Creation is safe to retry: each call sends an ``Idempotency-Key`` (30 letters and digits,
generated once per call or given by the caller) and the transport retries timeouts, dropped
connections and 5xx with the same key, so Siigo creates the invoice at most once.  Every error
raised by :meth:`Invoices.create` carries that key as ``.idempotency_key``: calling ``create`` again
with ``idempotency_key=err.idempotency_key`` later either creates the invoice or returns the one
that was already created.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, overload

import pydantic
import requests
from pydantic import BaseModel
from typing_extensions import Required, TypedDict, Unpack

from .. import _json
from .._refusals import detail, kind_term, refusal, refuse
from ..errors import (
    BadRequestError,
    ErrorDetail,
    SiigoError,
    ValidationError,
)
from ..kinds import INVOICE
from ..models._base import Amount, RequestModel, build, refused, validation_error
from ..models.common import (
    CustomerRef,
    DateInput,
    DeleteResult,
    IdRef,
    IdRefDict,
    MoneyInput,
)
from ..models.invoices import (
    GlobalAdjustmentDict,
    GlobalAdjustmentParam,
    HealthcareCompanyDict,
    HealthcareCompanyParam,
    Invoice,
    InvoiceAdditionalFieldsDict,
    InvoiceAdditionalFieldsParam,
    InvoiceAnnulResult,
    InvoiceBatchItemParams,
    InvoiceBatchNotification,
    InvoiceBatchParams,
    InvoiceBatchReceipt,
    InvoiceCreateParams,
    InvoiceCurrencyDict,
    InvoiceCurrencyParam,
    InvoiceCustomerDict,
    InvoiceCustomerParam,
    InvoiceItemDict,
    InvoiceItemParam,
    InvoiceMailResult,
    InvoiceStampErrors,
    InvoiceStampResult,
    InvoiceUpdateParams,
    MailDict,
    MailParam,
    PaymentDict,
    PaymentParam,
    StampDict,
    StampParam,
)
from ..pagination import Page
from ..rules import MAX_BATCH_BYTES, tax_rates, undocumented_parts
from ..totals import (
    DocumentTotals,
    ReadingPins,
    UnsupportedTaxError,
    compute_document,
    format_amount,
)
from ._base import (
    DateFilter,
    RequestTimeout,
    call_timeout,
    guid_path,
    plain,
    plain_json,
)
from ._documents import (
    FINAL_STAMP_STATUSES,
    DocumentResource,
    ReadingArg,
    check_key,
    merge_body,
    new_idempotency_key,
    reading_of,
    reading_pins,
)

__all__ = [
    "FINAL_STAMP_STATUSES",
    "InvoiceBatchItemFields",
    "InvoiceFields",
    "InvoiceOverrides",
    "Invoices",
    "new_idempotency_key",
]


class _InvoiceOptionalFields(TypedDict, total=False):
    """The fields of an invoice body Siigo does not require."""

    number: int
    cost_center: int
    currency: InvoiceCurrencyParam | InvoiceCurrencyDict
    observations: str
    advance_payment: MoneyInput
    retentions: Sequence[IdRef | IdRefDict]
    stamp: StampParam | StampDict
    mail: MailParam | MailDict
    global_discounts: Sequence[GlobalAdjustmentParam | GlobalAdjustmentDict]
    global_charges: Sequence[GlobalAdjustmentParam | GlobalAdjustmentDict]
    additional_fields: InvoiceAdditionalFieldsParam | InvoiceAdditionalFieldsDict
    healthcare_company: HealthcareCompanyParam | HealthcareCompanyDict


class InvoiceFields(_InvoiceOptionalFields, total=False):
    """The fields of an invoice body with their wire names (siigo-api.md §C.3), as keyword
    arguments of :meth:`Invoices.create` and :meth:`Invoices.update`.  Nested parts take the
    ``...Param`` models or dicts of the matching ``...Dict`` shape.  ``document``, ``date``,
    ``customer``, ``seller``, ``items`` and ``payments`` are required (see
    :class:`InvoiceOverrides` for keywords given on top of a whole body)."""

    document: Required[IdRef | IdRefDict]
    date: Required[DateInput]
    customer: Required[InvoiceCustomerParam | CustomerRef | InvoiceCustomerDict]
    seller: Required[int]
    items: Required[Sequence[InvoiceItemParam | InvoiceItemDict]]
    payments: Required[Sequence[PaymentParam | PaymentDict]]


class InvoiceOverrides(_InvoiceOptionalFields, total=False):
    """The fields of :class:`InvoiceFields`, none required: keywords that replace fields of a
    body given as a model or a dict (``invoices.create(body, observations=...)``)."""

    document: IdRef | IdRefDict
    date: DateInput
    customer: InvoiceCustomerParam | CustomerRef | InvoiceCustomerDict
    seller: int
    items: Sequence[InvoiceItemParam | InvoiceItemDict]
    payments: Sequence[PaymentParam | PaymentDict]


class InvoiceBatchItemFields(InvoiceFields):
    """An invoice of a batch as a dict: the :class:`InvoiceFields` and its own
    ``idempotency_key`` (1-30 letters and digits)."""

    idempotency_key: str


class _TotalsInput(RequestModel):
    """What :meth:`Invoices.compute_totals` needs: the document type, the items, the retentions
    (and the fields whose effect it reports as undocumented)."""

    document: IdRef
    items: list[InvoiceItemParam]
    retentions: list[IdRef] | None = None
    advance_payment: Amount | None = None
    global_discounts: list[GlobalAdjustmentParam] | None = None
    global_charges: list[GlobalAdjustmentParam] | None = None


_TOTALS_FIELDS = tuple(_TotalsInput.model_fields)


def _one_params(args: tuple[object, ...], what: str) -> object:
    """The one optional positional body of a create or update (a model or a dict)."""
    if len(args) > 1:
        raise TypeError(f"{what} takes one positional params object, got {len(args)} positional arguments")
    return args[0] if args else None


class Invoices(DocumentResource[Invoice]):
    """``/v1/invoices``: create, read, list, update, delete, annul, PDF/XML, e-mail, DIAN status."""

    kind = INVOICE
    model = Invoice

    # -- creation -------------------------------------------------------------------------------

    @overload
    def create(
        self,
        params: InvoiceCreateParams | Mapping[str, Any],
        /,
        *,
        preflight: bool = True,
        idempotency_key: str | None = None,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Unpack[InvoiceOverrides],
    ) -> Invoice: ...

    @overload
    def create(
        self,
        *,
        preflight: bool = True,
        idempotency_key: str | None = None,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Unpack[InvoiceFields],
    ) -> Invoice: ...

    def create(
        self,
        *args: InvoiceCreateParams | Mapping[str, Any],
        preflight: bool = True,
        idempotency_key: str | None = None,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Any,
    ) -> Invoice:
        """``POST /v1/invoices``: create a sales invoice.

        Give the body as an :class:`InvoiceCreateParams`, a dict with wire names, keyword
        arguments with wire names, or a model/dict plus keyword arguments that override it.

        ``preflight=False`` skips the catalog checks (document type, taxes, payment types, the
        totals); structural validation always runs.  ``rounding`` (``"half_up"`` or
        ``"half_even"``), ``payments_basis`` (``"net_of_withholdings"`` or ``"gross_total"``),
        ``taxed_price_division`` (``"per_line"`` or ``"per_unit"``), ``price_precision``
        (``"as_sent"`` or ``"stored"``) and ``percentage_discount`` (``"rounded_value"`` or
        ``"exact_value"``) pin the reading of Siigo's totals the preflight checks the
        payments against (see :mod:`siigo.totals`); ``None`` (the default) leaves a setting open,
        and a payment total matching the amount due under any combination of the open settings is
        accepted.  The payments are not checked for an invoice with ``global_discounts`` or
        ``global_charges`` (their math is undocumented); with an ``advance_payment``, the amount
        due and the amount due minus the advance are both accepted.  ``idempotency_key``
        (1-30 letters and digits) replaces the generated key, e.g. to retry a call that failed:
        Siigo then returns the invoice created earlier under that key instead of creating
        another one.

        Raises :class:`~siigo.errors.ValidationError` (nothing sent) or an API error; either way
        the error's ``idempotency_key`` is the key of this call.
        """
        key = check_key(idempotency_key)
        try:
            params = _one_params(args, "invoices.create")
            pins = reading_pins(reading, "InvoiceCreateParams")
            response = self._post_invoice(
                params, fields, preflight=preflight, key=key, reading=pins, timeout=timeout
            )
            # Created, but an unreadable answer still raises with the key that finds it again.
            return self._parse(Invoice, response.content, "POST", "/v1/invoices", response.status_code)
        except SiigoError as exc:
            exc.idempotency_key = key
            raise

    def _create_json(self, fields: dict[str, Any]) -> Any:
        """Like :meth:`create` (validation, preflight, idempotency key) but returns Siigo's JSON
        as plain dicts and lists (used by the siigo-python 0.1 ``Client.create_invoice``)."""
        key = new_idempotency_key()
        try:
            response = self._post_invoice(
                fields, {}, preflight=True, key=key, reading=reading_pins(None, "InvoiceCreateParams")
            )
            return plain_json(response, "POST", "/v1/invoices")
        except SiigoError as exc:
            exc.idempotency_key = key
            raise

    def _post_invoice(
        self,
        params: object,
        fields: Mapping[str, Any],
        *,
        preflight: bool,
        key: str,
        reading: ReadingPins,
        timeout: RequestTimeout = None,
    ) -> requests.Response:
        """Validate, preflight and send one invoice under the idempotency ``key``; every error
        raised carries the key."""
        body: InvoiceCreateParams | None = None
        try:
            per_call = call_timeout(timeout)
            body = self._build(InvoiceCreateParams, params, fields)
            if preflight:
                self._preflight(body, reading)
            response: requests.Response = self._transport.request(
                "POST",
                "/v1/invoices",
                body=_json.dumps(body.to_wire()),
                idempotency_key=key,
                timeout=per_call,
            )
            return response
        except SiigoError as exc:
            exc.idempotency_key = key
            if body is not None and isinstance(exc, BadRequestError):
                _name_payments(exc, body)
            raise

    def compute_totals(
        self,
        params: InvoiceCreateParams | Mapping[str, Any] | None = None,
        /,
        *,
        document: IdRef | IdRefDict | None = None,
        items: Sequence[InvoiceItemParam | InvoiceItemDict] | None = None,
        retentions: Sequence[IdRef | IdRefDict] | None = None,
        reading: ReadingArg = None,
    ) -> DocumentTotals:
        """What Siigo will compute for an invoice, and so what its payments must add up to.

        Needs only ``document`` (its type decides how ``items[].discount`` is read), ``items``
        and ``retentions``; a whole invoice (model or dict) is accepted too.  Tax percentages come
        from the catalog cache.

        The answer has, per line (``.lines``), the gross value, the discount, the ``base``, each
        tax with its base and value, and the line ``total``; then ``subtotal``, ``total`` (the
        invoice total, gross), each retention and ``amount_due`` — what Σ ``payments[].value``
        must equal.  ``rounding``, ``payments_basis``, ``taxed_price_division``,
        ``price_precision`` and ``percentage_discount`` choose the reading of what Siigo leaves open (see
        :mod:`siigo.totals`); the defaults follow the documented formula and are the ones the
        sandbox uses unless configured otherwise.

        ``advance_payment``, ``global_discounts`` and ``global_charges`` of a whole invoice are
        **not** in ``total`` or ``amount_due``: Siigo does not document how they change them
        (siigo-api.md §C.4.2).  When the invoice has any of them, the answer's ``undocumented``
        names each (and ``amount_due_is_documented`` is false) instead of a number that silently
        looks complete.
        """
        pins = reading_pins(reading, "compute_totals", complete=True)
        data: dict[str, Any] = {}
        if params is not None:
            base = merge_body(params, {}, "compute_totals")
            base = base.model_dump(by_alias=True, exclude_none=True) if isinstance(base, BaseModel) else base
            if "globaldiscounts" in base and "global_discounts" not in base:
                base = {**base, "global_discounts": base["globaldiscounts"]}
            data.update({k: base[k] for k in _TOTALS_FIELDS if k in base})
        data.update(
            {
                k: v
                for k, v in (("document", document), ("items", items), ("retentions", retentions))
                if v is not None
            }
        )
        wanted = build(_TotalsInput, plain(data, "compute_totals", dump_models=True))
        document_type = self._document_type("compute_totals", wanted.document.id)
        if document_type.type is not None and document_type.type != self.kind.code:
            problem = detail(
                "invalid_document",
                "rules.document_type_other_kind",
                "document.id",
                id=document_type.id,
                type=document_type.type,
                kind=kind_term(self.kind),
                code=self.kind.code,
            )
            raise refused("compute_totals", [problem])
        taxes = self._client.catalog_cache.taxes()
        references = [
            (f"items[{i}].taxes[{j}].id", tax.id)
            for i, line in enumerate(wanted.items)
            for j, tax in enumerate(line.taxes or ())
        ]
        references += [(f"retentions[{j}].id", ref.id) for j, ref in enumerate(wanted.retentions or ())]
        unknown = [
            detail("invalid_reference", "rules.tax_unknown", path, id=tax_id)
            for path, tax_id in references
            if tax_id not in taxes
        ]
        if unknown:
            raise refused("compute_totals", unknown)
        try:
            totals = compute_document(
                [item.line_input() for item in wanted.items],
                taxes=tax_rates(taxes),
                retentions=[ref.id for ref in wanted.retentions or ()],
                discount_type="Percentage" if document_type.discount_type == "Percentage" else "Value",
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
        notes = undocumented_parts(wanted)
        return dataclasses.replace(totals, undocumented=notes) if notes else totals

    # -- reading --------------------------------------------------------------------------------

    def retrieve(self, id: str, *, timeout: RequestTimeout = None) -> Invoice:
        """``GET /v1/invoices/{id}``."""
        return self._retrieve(id, timeout=timeout)

    def list(
        self,
        *,
        document_id: int | None = None,
        customer_identification: str | None = None,
        customer_branch_office: int | None = None,
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
    ) -> Page[Invoice]:
        """``GET /v1/invoices``: iterate the result to walk every page.

        ``document_id`` is the document type id; ``name`` the full invoice name (``FV-1-457``);
        ``created_*``/``updated_*`` filter on ``metadata``, ``date_*`` on the invoice date
        (``*_start`` ≥, ``*_end`` ≤).
        """
        return self._list_documents(
            document_id=document_id,
            customer_identification=customer_identification,
            customer_branch_office=customer_branch_office,
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

    # -- changes --------------------------------------------------------------------------------

    @overload
    def update(
        self,
        id: str,
        params: InvoiceUpdateParams | InvoiceCreateParams | Mapping[str, Any],
        /,
        *,
        preflight: bool = True,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Unpack[InvoiceOverrides],
    ) -> Invoice: ...

    @overload
    def update(
        self,
        id: str,
        /,
        *,
        preflight: bool = True,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Unpack[InvoiceFields],
    ) -> Invoice: ...

    def update(
        self,
        id: str,
        *args: InvoiceUpdateParams | InvoiceCreateParams | Mapping[str, Any],
        preflight: bool = True,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
        **fields: Any,
    ) -> Invoice:
        """``PUT /v1/invoices/{id}``: a **full replacement** — send the whole invoice.

        ``document``, ``number``, ``customer`` and ``currency.code`` cannot change, and invoices
        sent to or accepted by DIAN cannot be edited (Siigo answers ``non_editable``).  The same
        local checks as :meth:`create` run first, with the same reading pins (``rounding``,
        ``payments_basis``, ``taxed_price_division``, ``price_precision``).
        """
        path = f"/v1/invoices/{guid_path(id)}"
        params = _one_params(args, "invoices.update")
        pins = reading_pins(reading, "InvoiceUpdateParams")
        call_timeout(timeout)  # a bad timeout is refused before the preflight reads catalogs
        body = self._build(InvoiceUpdateParams, params, fields)
        if preflight:
            self._preflight(body, pins)
        try:
            return self._send("PUT", path, Invoice, _json.dumps(body.to_wire()), timeout=timeout)
        except BadRequestError as exc:
            _name_payments(exc, body)
            raise

    def delete(self, id: str, *, timeout: RequestTimeout = None) -> DeleteResult:
        """``DELETE /v1/invoices/{id}`` (refused once sent to DIAN or referenced by other documents)."""
        return self._delete(id, timeout=timeout)

    def annul(self, id: str, *, timeout: RequestTimeout = None) -> InvoiceAnnulResult:
        """``POST /v1/invoices/{id}/annul``: the invoice stays, with ``annulled: true``."""
        return self._annul(id, timeout=timeout)

    # -- documents, e-mail and DIAN -------------------------------------------------------------

    def pdf(self, id: str, *, timeout: RequestTimeout = None) -> bytes:
        """``GET /v1/invoices/{id}/pdf``: the PDF, decoded from Siigo's base64."""
        return self._file(id, "pdf", timeout=timeout)

    def xml(self, id: str, *, timeout: RequestTimeout = None) -> bytes:
        """``GET /v1/invoices/{id}/xml``: the DIAN XML, decoded from Siigo's base64."""
        return self._file(id, "xml", timeout=timeout)

    def send_email(
        self,
        id: str,
        *,
        mail_to: str,
        copy_to: str | Sequence[str] | None = None,
        timeout: RequestTimeout = None,
    ) -> InvoiceMailResult:
        """``POST /v1/invoices/{id}/mail``: e-mail the invoice to ``mail_to`` with up to 5
        ``copy_to`` addresses (a list, or one string separated by ``;``)."""
        return self._send_email(id, mail_to, copy_to, timeout=timeout)

    def stamp(self, id: str, *, timeout: RequestTimeout = None) -> InvoiceStampResult:
        """``POST /v1/invoices/{id}/stamp``: send an invoice saved without ``stamp.send`` (a
        ``Draft``, or one DIAN ``Rejected`` and since corrected) to DIAN and e-mail it to the
        customer; the answer has DIAN's ``stamp`` (the CUFE as ``uuid``) and the ``mail``.

        Only Siigo's JavaScript SDK lists this endpoint (siigo-api.md §B.0 row 38 ❓).  It is not
        retried once it could have reached Siigo (a lost answer may still have sent the invoice):
        after a timeout read the invoice, or :meth:`wait_for_stamp`, before sending again.  An
        invoice DIAN already accepted answers its stamp again (the sandbox sends nothing twice).
        """
        return self._stamp(id, timeout=timeout)

    def stamp_errors(self, id: str, *, timeout: RequestTimeout = None) -> InvoiceStampErrors:
        """``GET /v1/invoices/{id}/stamp/errors``: why DIAN rejected the invoice."""
        return self._stamp_errors(id, timeout=timeout)

    def wait_for_stamp(
        self,
        id: str,
        *,
        timeout: float = 120.0,
        interval: float = 2.0,
        request_timeout: RequestTimeout = None,
    ) -> Invoice:
        """Poll :meth:`retrieve` every ``interval`` seconds until DIAN has answered
        (``stamp.status`` ``Accepted`` or ``Rejected``) and return the invoice; check
        ``invoice.stamp.status`` and, when rejected, :meth:`stamp_errors`.

        ``timeout`` is a finite number of seconds, 0 or more (0 checks once); ``interval`` a
        finite number of seconds above 0; anything else is a
        :class:`~siigo.errors.ValidationError`.  Raises
        :class:`~siigo.errors.APITimeoutError` when there is still no answer after ``timeout``
        seconds (an invoice created without ``stamp={"send": True}``, or of a non-electronic
        document type, stays ``Draft`` for good).  Here ``timeout`` is the whole wait;
        ``request_timeout`` is the per-call ``timeout=`` of each :meth:`retrieve`.
        """
        return self._wait_for_stamp(id, timeout=timeout, interval=interval, request_timeout=request_timeout)

    # -- batches --------------------------------------------------------------------------------

    def batch(
        self,
        params: InvoiceBatchParams | Mapping[str, Any] | None = None,
        /,
        *,
        notification_url: str | None = None,
        invoices: Sequence[InvoiceBatchItemParams | InvoiceBatchItemFields] | None = None,
        preflight: bool = True,
        reading: ReadingArg = None,
        timeout: RequestTimeout = None,
    ) -> InvoiceBatchReceipt:
        """``POST /v1/invoices/batch``: queue many invoices; Siigo answers at once with a
        receipt (``status`` ``Received``) and later POSTs the outcome of each invoice to
        ``notification_url`` (parse it with :meth:`parse_batch_notification`).

        Each invoice needs its own ``idempotency_key`` (1-30 letters and digits), so sending the
        same batch twice never creates an invoice twice.  With ``preflight`` (the default) every
        invoice is checked like :meth:`create` (the reading pins — ``rounding``,
        ``payments_basis``, ``taxed_price_division``, ``price_precision`` — apply to all of them)
        and the whole batch is refused locally when one of them would fail; each problem names
        its invoice and that invoice's key.

        Siigo takes a batch body of at most 1 MB (:data:`~siigo.invoice_rules.MAX_BATCH_BYTES`
        bytes, §B.6): a larger encoded body is refused locally (``length_max``, with its size),
        before the preflight and before any request; split the invoices into several batches.
        """
        pins = reading_pins(reading, "InvoiceBatchParams")
        call_timeout(timeout)  # a bad timeout is refused before the preflight reads catalogs
        fields: dict[str, Any] = {}
        if notification_url is not None:
            fields["notification_url"] = notification_url
        if invoices is not None:
            fields["invoices"] = invoices
        body = build(InvoiceBatchParams, merge_body(params, fields, "InvoiceBatchParams"))
        encoded = _json.dumps(body.to_wire())
        if len(encoded) > MAX_BATCH_BYTES:
            problem = detail(
                "length_max",
                "resources.batch_too_large",
                "body",
                size=len(encoded),
                most=MAX_BATCH_BYTES,
                count=len(body.invoices),
            )
            raise refused("InvoiceBatchParams", [problem])
        if preflight:
            problems: list[ErrorDetail] = []
            for i, invoice in enumerate(body.invoices):
                try:
                    self._preflight(invoice, pins)
                except ValidationError as exc:
                    problems.extend(_batch_problem(i, invoice.idempotency_key, e) for e in exc.errors)
            if problems:
                raise refused("InvoiceBatchParams", problems)
        return self._send("POST", "/v1/invoices/batch", InvoiceBatchReceipt, encoded, timeout=timeout)

    @staticmethod
    def parse_batch_notification(body: bytes | str | Mapping[str, Any]) -> InvoiceBatchNotification:
        """Read what Siigo POSTs to a batch's ``notification_url`` (§D.9): one entry per invoice,
        ``.ok`` for created ones, ``.error_details()`` for the others.

        ``body`` is the raw JSON (bytes or text; amounts are read as exact decimals) or the
        already decoded object.  Anything that is not such a notification raises
        :class:`~siigo.errors.ValidationError`.
        """
        data: object = body
        if isinstance(body, (bytes, bytearray, str)):
            try:
                data = _json.loads(body)
            except (ValueError, RecursionError) as exc:
                raise refuse("invalid_type", "resources.notification_not_json", reason=str(exc)) from None
        if not isinstance(data, Mapping):
            raise refuse("invalid_type", "resources.notification_not_object", type=type(data).__name__)
        try:
            return InvoiceBatchNotification.model_validate(data)
        except pydantic.ValidationError as exc:
            raise validation_error("InvoiceBatchNotification", exc) from None


def _batch_problem(i: int, key: str | None, problem: ErrorDetail) -> ErrorDetail:
    """A problem of the batch's invoice ``i``, its message and paths naming that invoice."""
    text = refusal("resources.batch_item", i=i, key=key, problem=problem.refusal or problem.message)
    paths = tuple(f"invoices[{i}].{p}" for p in problem.params)
    return ErrorDetail(problem.code, text.render("en"), paths, problem.detail, refusal=text)


def _name_payments(exc: BadRequestError, params: InvoiceCreateParams) -> None:
    """Siigo's ``invalid_total_payments`` names its total; add what the payments added up to."""
    if "invalid_total_payments" in exc.codes and "payments add up to" not in exc.message:
        exc.message += f" (the payments sent add up to {format_amount(params.payments_total())})"
        exc.args = (exc.message,)
