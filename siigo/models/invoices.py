"""Sales invoices (FV): request bodies (siigo-api.md §C.3, §C.5) and responses (§D.5, §D.6, §D.9).

Request models check every *structural* rule Siigo documents and raise errors whose type is the
Siigo error code (see :func:`siigo.models._base.rule_error`).  Rules that need the company's
catalogs (document type flags, taxes, payment types) and the totals check live in
:mod:`siigo.invoice_rules`, the math in :mod:`siigo.totals`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, AliasChoices, BeforeValidator, Field, field_validator, model_validator
from typing_extensions import Required, TypedDict

from .. import totals
from .._patterns import IDEMPOTENCY_KEY
from .._refusals import Term
from ..errors import ErrorDetail
from ._base import (
    Amount,
    DateParam,
    RequestModel,
    ResponseModel,
    Timestamp,
    rule_error,
)
from .common import (
    BranchOffice,
    CustomerRef,
    DateInput,
    IdName,
    IdRef,
    IdTypeCode,
    Metadata,
    PersonType,
    to_int,
)
from .documents import (
    _ID_TYPES,
    MAX_ITEMS,
    AnnulResult,
    Currency,
    CurrencyDict,
    CurrencyParam,
    Discount,
    DocumentCustomer,
    GlobalAdjustmentDict,
    GlobalAdjustmentParam,
    HealthcareCompanyDict,
    HealthcareCompanyParam,
    HealthcareOperationType,
    Item,
    ItemDict,
    ItemParam,
    ItemTax,
    Mail,
    MailDict,
    MailParam,
    MailParams,
    MailResult,
    MeasurementUnit,
    Payment,
    PaymentDict,
    PaymentParam,
    Retention,
    Stamp,
    StampDict,
    StampError,
    StampErrors,
    StampParam,
    StampResult,
    StampStatus,
    StampStatusValue,
    Taxpayer,
    Transport,
    TransportDict,
    TransportParam,
    TransportServiceType,
    _CatalogId,
    _check_email,
    _Code20,
    _Date,
    _Dec,
    _EncodedFile,
    _Int,
    _lenient_date,
    _lenient_decimal,
    _Ref,
    _to_str,
    is_valid_email,
    payments_rule,
    retentions_rule,
)

# The 0.2 names of the shared parts (siigo.models.documents).
InvoiceCurrencyParam = CurrencyParam
InvoiceItemParam = ItemParam
InvoiceCurrencyDict = CurrencyDict
InvoiceItemDict = ItemDict
InvoiceMailParams = MailParams
InvoiceCustomer = DocumentCustomer
InvoiceCurrency = Currency
InvoiceTax = ItemTax
InvoiceDiscount = Discount
InvoiceTransport = Transport
InvoiceItem = Item
InvoicePayment = Payment
InvoiceRetention = Retention
InvoiceStamp = Stamp
InvoiceMail = Mail
InvoiceStampError = StampError
InvoiceStampErrors = StampErrors
InvoiceStampResult = StampResult
InvoiceMailResult = MailResult
InvoiceAnnulResult = AnnulResult

__all__ = [
    "DeliveryOrderDict",
    "DeliveryOrderParam",
    "GlobalAdjustmentDict",
    "GlobalAdjustmentParam",
    "HealthcareCompanyDict",
    "HealthcareCompanyParam",
    "HealthcareOperationType",
    "Invoice",
    "InvoiceAdditionalFields",
    "InvoiceAdditionalFieldsDict",
    "InvoiceAdditionalFieldsParam",
    "InvoiceAnnulResult",
    "InvoiceBatchError",
    "InvoiceBatchErrorDetail",
    "InvoiceBatchItemParams",
    "InvoiceBatchNotification",
    "InvoiceBatchParams",
    "InvoiceBatchReceipt",
    "InvoiceBatchResult",
    "InvoiceCreateParams",
    "InvoiceCurrency",
    "InvoiceCurrencyDict",
    "InvoiceCurrencyParam",
    "InvoiceCustomer",
    "InvoiceCustomerAddressDict",
    "InvoiceCustomerAddressParam",
    "InvoiceCustomerCityDict",
    "InvoiceCustomerCityParam",
    "InvoiceCustomerContactDict",
    "InvoiceCustomerContactParam",
    "InvoiceCustomerDict",
    "InvoiceCustomerParam",
    "InvoiceCustomerPhoneDict",
    "InvoiceCustomerPhoneParam",
    "InvoiceDiscount",
    "InvoiceGlobalAdjustment",
    "InvoiceItem",
    "InvoiceItemDict",
    "InvoiceItemParam",
    "InvoiceMail",
    "InvoiceMailParams",
    "InvoiceMailResult",
    "InvoiceOrderRef",
    "InvoicePayment",
    "InvoicePdf",
    "InvoiceRetention",
    "InvoiceStamp",
    "InvoiceStampError",
    "InvoiceStampErrors",
    "InvoiceStampResult",
    "InvoiceTax",
    "InvoiceTransport",
    "InvoiceUpdateParams",
    "InvoiceXml",
    "MailDict",
    "MailParam",
    "MeasurementUnit",
    "PaymentDict",
    "PaymentParam",
    "PurchaseOrderDict",
    "PurchaseOrderParam",
    "StampDict",
    "StampParam",
    "StampStatus",
    "StampStatusValue",
    "Taxpayer",
    "TransportDict",
    "TransportParam",
    "TransportServiceType",
    "is_valid_email",
]


# Word characters (Unicode letters incl. accents and ñ/ü, digits, _), whitespace and
# . @ - \ % _ ; ( ) ] # ? ¡ [ / : { } * + , $ "  (``invalid_description``, E.3).


# --- small reusable field types ----------------------------------------------------------------


# --- request parts -----------------------------------------------------------------------------


class InvoiceCustomerCityParam(RequestModel):
    """City of an inline customer (DANE codes as strings; the ``*_name`` keys are accepted and ignored)."""

    country_code: Annotated[str, Field(min_length=1, max_length=3)]
    state_code: Annotated[str, Field(min_length=1, max_length=10), BeforeValidator(_to_str)]
    city_code: Annotated[str, Field(min_length=1, max_length=10), BeforeValidator(_to_str)]
    country_name: str | None = None
    state_name: str | None = None
    city_name: str | None = None


class InvoiceCustomerAddressParam(RequestModel):
    address: Annotated[str, Field(min_length=1, max_length=256)]
    city: InvoiceCustomerCityParam
    postal_code: Annotated[str, Field(max_length=10), BeforeValidator(_to_str)] | None = None


class InvoiceCustomerPhoneParam(RequestModel):
    indicative: Annotated[str, Field(max_length=10), BeforeValidator(_to_str)] | None = None
    number: Annotated[str, Field(min_length=1, max_length=10), BeforeValidator(_to_str)]
    extension: Annotated[str, Field(max_length=10), BeforeValidator(_to_str)] | None = None


class InvoiceCustomerContactParam(RequestModel):
    first_name: Annotated[str, Field(min_length=1, max_length=50)]
    last_name: Annotated[str, Field(max_length=50)] | None = None
    email: Annotated[str, Field(max_length=100), AfterValidator(_check_email)] | None = None
    phone: InvoiceCustomerPhoneParam | None = None


_REFERENCE_FIELDS = frozenset({"identification", "branch_office"})
_CREATION_FIELDS = ("person_type", "id_type", "name", "address")


class InvoiceCustomerParam(RequestModel):
    """The invoice's customer: a reference ``{identification, branch_office}`` to an existing third
    party, optionally with the inline-creation fields of §C.3.5 (not verified live)."""

    identification: Annotated[str, Field(min_length=1, max_length=50), BeforeValidator(_to_str)]
    branch_office: BranchOffice = 0
    person_type: PersonType | None = None
    id_type: Annotated[str, BeforeValidator(_to_str)] | None = None
    check_digit: Annotated[str, Field(pattern=r"^\d$"), BeforeValidator(_to_str)] | None = None
    name: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = None
    commercial_name: str | None = None
    address: InvoiceCustomerAddressParam | None = None
    phones: list[InvoiceCustomerPhoneParam] | None = None
    contacts: list[InvoiceCustomerContactParam] | None = None
    # The other fields of §C.2 that Siigo reads when it creates the customer.
    type: Literal["Customer", "Supplier", "Other"] | None = None
    vat_responsible: bool | None = None
    fiscal_responsibilities: list[dict[str, Any]] | None = None
    comments: Annotated[str, Field(max_length=4000)] | None = None

    @field_validator("id_type")
    @classmethod
    def _id_type_known(cls, value: str | None) -> str | None:
        if value is not None and value not in _ID_TYPES:
            raise rule_error(
                "invalid_value",
                "models.invoice_id_type",
                value=repr(value),
                codes=", ".join(sorted(_ID_TYPES)),
            )
        return value

    @field_validator("contacts")
    @classmethod
    def _max_contacts(
        cls, value: list[InvoiceCustomerContactParam] | None
    ) -> list[InvoiceCustomerContactParam] | None:
        if value is not None and len(value) > 10:
            raise rule_error("invalid_array", "models.contacts_count", most=10, count=len(value))
        return value

    @model_validator(mode="after")
    def _name_shape(self) -> InvoiceCustomerParam:
        if self.name is not None and self.person_type is not None:
            expected = 2 if self.person_type == "Person" else 1
            if len(self.name) != expected:
                key = "models.inline_person_name" if expected == 2 else "models.inline_company_name"
                raise rule_error("invalid_array", key, type=self.person_type, count=len(self.name))
        return self

    @model_validator(mode="after")
    def _as_a_new_customer(self) -> InvoiceCustomerParam:
        """With what Siigo needs to create it (person type, id type, name, address), the inline
        customer is checked as ``customers.create`` checks a body (§C.3.5 → §C.2); with less, it
        can only refer to an existing customer, which Siigo checks."""
        if any(getattr(self, name) is None for name in _CREATION_FIELDS):
            return self
        from ..errors import ValidationError
        from .customers import CustomerCreateParams

        try:
            CustomerCreateParams.model_validate(self.creation_body())
        except ValidationError as exc:
            found = exc.errors
            first = found[0]

            def listed(language: str) -> str:
                return "; ".join(
                    f"customer.{'.'.join(e.params) or 'body'}: {e.in_language(language).message}"
                    for e in found
                )

            raise rule_error(
                first.code, "models.inline_customer", problems=Term(listed("en"), listed("es"))
            ) from None
        return self

    def creation_body(self) -> dict[str, Any]:
        """The inline customer as a ``POST /v1/customers`` body (the city's ``*_name`` keys,
        accepted here and ignored, left out)."""
        body = self.to_wire()
        city = (body.get("address") or {}).get("city")
        if isinstance(city, dict):
            for name in ("country_name", "state_name", "city_name"):
                city.pop(name, None)
        return body

    @property
    def is_reference(self) -> bool:
        """True when only the reference fields were given (no inline creation)."""
        return all(
            getattr(self, name) is None for name in type(self).model_fields if name not in _REFERENCE_FIELDS
        )

    def to_ref(self) -> CustomerRef:
        return CustomerRef(identification=self.identification, branch_office=self.branch_office)


class PurchaseOrderParam(RequestModel):
    prefix: _Code20 | None = None
    number: _Code20 | None = None


class DeliveryOrderParam(RequestModel):
    prefix: _Code20 | None = None
    number: _Code20 | None = None
    date: DateParam | None = None


class InvoiceAdditionalFieldsParam(RequestModel):
    purchase_order: PurchaseOrderParam | None = None
    delivery_order: DeliveryOrderParam | None = None


# --- the request parts as typed dicts ----------------------------------------------------------
# What a type checker holds a plain dict to, wherever a ``...Param`` model is accepted: the same
# wire names, the keys Siigo requires marked ``Required``.


class InvoiceCustomerCityDict(TypedDict, total=False):
    """:class:`InvoiceCustomerCityParam` as a dict."""

    country_code: Required[str]
    state_code: Required[str]
    city_code: Required[str]
    country_name: str
    state_name: str
    city_name: str


class InvoiceCustomerAddressDict(TypedDict, total=False):
    """:class:`InvoiceCustomerAddressParam` as a dict."""

    address: Required[str]
    city: Required[InvoiceCustomerCityParam | InvoiceCustomerCityDict]
    postal_code: str


class InvoiceCustomerPhoneDict(TypedDict, total=False):
    """:class:`InvoiceCustomerPhoneParam` as a dict."""

    indicative: str
    number: Required[str]
    extension: str


class InvoiceCustomerContactDict(TypedDict, total=False):
    """:class:`InvoiceCustomerContactParam` as a dict."""

    first_name: Required[str]
    last_name: str
    email: str
    phone: InvoiceCustomerPhoneParam | InvoiceCustomerPhoneDict


class InvoiceCustomerDict(TypedDict, total=False):
    """:class:`InvoiceCustomerParam` as a dict: ``{"identification": ..., "branch_office": 0}``
    (plus the inline-creation fields)."""

    identification: Required[str]
    branch_office: int
    person_type: PersonType
    id_type: IdTypeCode
    check_digit: str
    name: list[str] | tuple[str, ...]
    commercial_name: str
    address: InvoiceCustomerAddressParam | InvoiceCustomerAddressDict
    phones: Sequence[InvoiceCustomerPhoneParam | InvoiceCustomerPhoneDict]
    contacts: Sequence[InvoiceCustomerContactParam | InvoiceCustomerContactDict]
    type: Literal["Customer", "Supplier", "Other"]
    vat_responsible: bool
    fiscal_responsibilities: Sequence[Mapping[str, str]]
    comments: str


class PurchaseOrderDict(TypedDict, total=False):
    """:class:`PurchaseOrderParam` as a dict."""

    prefix: str
    number: str


class DeliveryOrderDict(TypedDict, total=False):
    """:class:`DeliveryOrderParam` as a dict."""

    prefix: str
    number: str
    date: DateInput


class InvoiceAdditionalFieldsDict(TypedDict, total=False):
    """:class:`InvoiceAdditionalFieldsParam` as a dict."""

    purchase_order: PurchaseOrderParam | PurchaseOrderDict
    delivery_order: DeliveryOrderParam | DeliveryOrderDict


# --- request bodies ----------------------------------------------------------------------------


def _items_count_first(value: Any) -> Any:
    """The count, checked before any item is validated (100 000 of them would take seconds)."""
    if isinstance(value, (list, tuple)) and len(value) > MAX_ITEMS:
        raise rule_error("invalid_array", "models.invoice_items_count", most=MAX_ITEMS, count=len(value))
    return value


def _items_count(value: list[InvoiceItemParam]) -> list[InvoiceItemParam]:
    if not value:
        raise rule_error("invalid_array", "models.invoice_items_none")
    if len(value) > MAX_ITEMS:
        raise rule_error("invalid_array", "models.invoice_items_count", most=MAX_ITEMS, count=len(value))
    return value


class InvoiceCreateParams(RequestModel):
    """Body of ``POST /v1/invoices`` (§C.3).

    Catalog-dependent rules and the payments total are checked by
    :func:`siigo.invoice_rules.check_invoice`.  ``globaldiscounts`` (the blueprint's spelling) is
    accepted as input and sent as ``global_discounts``.
    """

    document: IdRef
    number: Annotated[int, Field(gt=0)] | None = None
    date: DateParam
    customer: InvoiceCustomerParam
    seller: _CatalogId
    cost_center: _CatalogId | None = None
    currency: InvoiceCurrencyParam | None = None
    observations: Annotated[str, Field(max_length=4000)] | None = None
    advance_payment: Amount | None = None
    retentions: Annotated[list[IdRef] | None, retentions_rule] = None
    items: Annotated[
        list[InvoiceItemParam], BeforeValidator(_items_count_first), AfterValidator(_items_count)
    ]
    payments: Annotated[list[PaymentParam], payments_rule]
    stamp: StampParam | None = None
    mail: MailParam | None = None
    global_discounts: list[GlobalAdjustmentParam] | None = Field(
        default=None, validation_alias=AliasChoices("global_discounts", "globaldiscounts")
    )
    global_charges: list[GlobalAdjustmentParam] | None = None
    additional_fields: InvoiceAdditionalFieldsParam | None = Field(
        default=None, validation_alias=AliasChoices("additional_fields", "adittional_fields")
    )
    healthcare_company: HealthcareCompanyParam | None = None

    def line_inputs(self) -> list[totals.LineInput]:
        """The items as inputs of :func:`siigo.totals.compute_document`."""
        return [item.line_input() for item in self.items]

    def retention_ids(self) -> list[int]:
        """Tax ids of the document-level ``retentions``."""
        return [ref.id for ref in self.retentions or ()]

    def payments_total(self) -> Decimal:
        """Σ ``payments[].value``."""
        return sum((payment.value for payment in self.payments), Decimal(0))


class InvoiceUpdateParams(InvoiceCreateParams):
    """Body of ``PUT /v1/invoices/{id}``: a full replacement with the same fields as create.
    ``document``, ``number``, ``customer`` and ``currency.code`` cannot change (server-side rule)."""


class InvoiceBatchItemParams(InvoiceCreateParams):
    """One invoice of ``POST /v1/invoices/batch``: an invoice plus its ``idempotency_key``."""

    idempotency_key: str

    @field_validator("idempotency_key")
    @classmethod
    def _key_format(cls, value: str) -> str:
        if not IDEMPOTENCY_KEY.fullmatch(value):
            raise rule_error("invalid_idempotency_key", "models.idempotency_key", value=repr(value))
        return value


def _batch_invoices(value: list[InvoiceBatchItemParams]) -> list[InvoiceBatchItemParams]:
    if not value:
        raise rule_error("invalid_array", "models.batch_empty")
    keys = [invoice.idempotency_key for invoice in value]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise rule_error("invalid_idempotency_key", "models.batch_keys_twice", keys=", ".join(repeated))
    return value


class InvoiceBatchParams(RequestModel):
    """Body of ``POST /v1/invoices/batch``; Siigo POSTs the outcome to ``notification_url``."""

    notification_url: str
    invoices: Annotated[list[InvoiceBatchItemParams], AfterValidator(_batch_invoices)]

    @field_validator("notification_url")
    @classmethod
    def _https_url(cls, value: str) -> str:
        if len(value) >= 2048:
            raise rule_error("invalid_url", "models.notification_url_length", count=len(value))
        try:
            parts = urlsplit(value)
            valid = parts.scheme == "https" and bool(parts.hostname) and not any(c.isspace() for c in value)
        except ValueError:
            valid = False
        if not valid:
            raise rule_error("invalid_url", "models.notification_url_https", value=repr(value))
        return value


# --- responses ---------------------------------------------------------------------------------


class InvoiceGlobalAdjustment(ResponseModel):
    """A global discount or charge of an invoice."""

    id: _Int = None
    name: str | None = None
    percentage: _Dec = None
    value: _Dec = None


class InvoiceOrderRef(ResponseModel):
    prefix: str | None = None
    number: str | None = None
    date: _Date = None


class InvoiceAdditionalFields(ResponseModel):
    purchase_order: InvoiceOrderRef | None = None
    delivery_order: InvoiceOrderRef | None = None


class _InvoiceFields(ResponseModel):
    document: IdName | None = None
    prefix: str | None = None
    number: _Int = None
    name: str | None = None
    date: _Date = None
    customer: InvoiceCustomer | None = None
    cost_center: _Ref = None
    currency: InvoiceCurrency | None = None
    seller: _Ref = None
    retentions: list[InvoiceRetention] | None = None
    advance_payment: _Dec = None
    total: _Dec = None
    balance: _Dec = None
    observations: str | None = None
    items: list[InvoiceItem] | None = None
    global_charges: list[InvoiceGlobalAdjustment] | None = None
    global_discounts: list[InvoiceGlobalAdjustment] | None = Field(
        default=None, validation_alias=AliasChoices("global_discounts", "globaldiscounts")
    )
    payments: list[InvoicePayment] | None = None
    additional_fields: InvoiceAdditionalFields | None = None
    healthcare_company: dict[str, Any] | None = None
    stamp: InvoiceStamp | None = None
    mail: InvoiceMail | None = None
    public_url: str | None = None
    metadata: Metadata | None = None
    annulled: bool | None = None


class Invoice(_InvoiceFields):
    """A sales invoice as Siigo returns it (POST/PUT/GET and list items, §D.5).

    ``total`` is gross (withholdings not subtracted); ``balance`` is what is still owed.  The
    fields every answer of Siigo carries (``id``, ``name``, ``number``, ``date``, ``total``,
    ``balance``, ``items``, ``payments``) are never ``None``; the others may be missing.
    """

    id: str
    name: str
    number: Annotated[int, BeforeValidator(to_int)]
    date: Annotated[_dt.date, BeforeValidator(_lenient_date)]
    total: Annotated[Decimal, BeforeValidator(_lenient_decimal)]
    balance: Annotated[Decimal, BeforeValidator(_lenient_decimal)]
    items: list[InvoiceItem]
    payments: list[InvoicePayment]

    @property
    def cufe(self) -> str | None:
        """The DIAN CUFE once the invoice was accepted (empty or ``None`` before)."""
        return self.stamp.cufe if self.stamp else None

    def to_update_params(
        self, *, discount_type: Literal["Value", "Percentage"] = "Value", manual_number: bool = False
    ) -> InvoiceUpdateParams:
        """This invoice as a ``PUT`` body, to change a few fields and send it whole.

        What Siigo only returns (id, name, totals, stamp, mail, metadata...) is left out and its
        expanded references become ids (:func:`siigo.models.documents.request_fields`); an item
        ``discount`` is read as its value, or as its percentage with
        ``discount_type="Percentage"`` (the invoice's document type decides which Siigo reads);
        ``number`` is kept only with ``manual_number=True`` (a type numbered by hand).
        """
        from ._base import build
        from .documents import request_fields

        body, _ = request_fields(
            self.model_dump(by_alias=True, exclude_none=True),
            discount_type=discount_type,
            automatic_number=not manual_number,
        )
        return build(InvoiceUpdateParams, body)


class InvoicePdf(_EncodedFile):
    """``GET /v1/invoices/{id}/pdf``; :meth:`content` returns the PDF bytes."""


class InvoiceXml(_EncodedFile):
    """``GET /v1/invoices/{id}/xml`` (DIAN XML); :meth:`content` returns the XML bytes."""


class InvoiceBatchReceipt(ResponseModel):
    """``POST /v1/invoices/batch`` acknowledgement (``status`` is ``Received``)."""

    id: str | None = None
    status: str | None = None
    received_at: Timestamp = None


class InvoiceBatchErrorDetail(ResponseModel):
    code: str | None = Field(default=None, validation_alias=AliasChoices("code", "Code"))
    message: str | None = Field(default=None, validation_alias=AliasChoices("message", "Message"))
    params: list[str] | None = Field(default=None, validation_alias=AliasChoices("params", "Params"))
    detail: str | None = Field(default=None, validation_alias=AliasChoices("detail", "Detail"))


class InvoiceBatchError(ResponseModel):
    status: _Int = Field(default=None, validation_alias=AliasChoices("status", "Status"))
    errors: list[InvoiceBatchErrorDetail] | None = Field(
        default=None, validation_alias=AliasChoices("errors", "Errors")
    )


class InvoiceBatchResult(_InvoiceFields):
    """One invoice of a batch notification: a created invoice (``status_code`` ``"201"``) or an
    error (``error`` with lowercase keys)."""

    id: str | None = None
    status_code: str | None = None
    idempotency_key: str | None = None
    error: InvoiceBatchError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and (self.status_code or "").startswith("2")

    def error_details(self) -> list[ErrorDetail]:
        """The errors as :class:`siigo.errors.ErrorDetail` (empty for a created invoice)."""
        if self.error is None or not self.error.errors:
            return []
        return [
            ErrorDetail(
                code=e.code or "",
                message=e.message or "",
                params=tuple(e.params or ()),
                detail=e.detail,
            )
            for e in self.error.errors
        ]


class InvoiceBatchNotification(ResponseModel):
    """What Siigo POSTs to ``notification_url`` when a batch is processed (§D.9)."""

    id: str | None = None
    status: str | None = None
    status_at: Timestamp = None
    notification_url: str | None = None
    invoices: list[InvoiceBatchResult] | None = None
