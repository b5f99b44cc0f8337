"""The parts every Siigo document shares (siigo-api.md §C.3-C.7, §D.5-D.8).

Invoices, credit notes and quotations are made of the same lines, taxes, payments, stamp and mail
blocks; their models here carry unprefixed names (``ItemParam``, ``PaymentParam``, ``Item``,
``Stamp``); a kind's own module holds only what differs and prefixes it with the kind
(``CreditNoteInvoiceDataParam``).  The invoice names of 0.2 (``InvoiceItemParam``,
``InvoiceItem``...) name the same classes.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
    model_validator,
)
from typing_extensions import Required, TypedDict

from .. import totals
from .._refusals import joined
from ._base import (
    Amount,
    DateParam,
    Money,
    Price,
    Quantity,
    RequestModel,
    ResponseModel,
    _max_places,
    _positive,
    _to_decimal,
    rule_error,
)
from .common import (
    ALLOWED_CURRENCIES,
    ID_TYPE_CODES,
    CurrencyCode,
    CustomerRef,
    CustomerRefDict,
    DateInput,
    IdName,
    IdRef,
    IdRefDict,
    Metadata,
    MoneyInput,
    to_int,
)

__all__ = [
    "EMAIL_RE",
    "MAX_COPY_TO",
    "MAX_ITEMS",
    "MAX_PAYMENTS_TOTAL",
    "MAX_TAXES_PER_ITEM",
    "RETURNED_ONLY",
    "AnnulResult",
    "CatalogId",
    "Currency",
    "CurrencyDict",
    "CurrencyParam",
    "Discount",
    "DocumentCustomer",
    "DocumentFields",
    "DocumentFile",
    "GlobalAdjustmentDict",
    "GlobalAdjustmentParam",
    "HealthcareCompanyDict",
    "HealthcareCompanyParam",
    "HealthcareOperationType",
    "Item",
    "ItemDict",
    "ItemParam",
    "ItemTax",
    "Lines",
    "Mail",
    "MailDict",
    "MailParam",
    "MailParams",
    "MailResult",
    "MeasurementUnit",
    "OptionalDate",
    "OptionalDecimal",
    "OptionalInt",
    "OptionalRef",
    "Payment",
    "PaymentDict",
    "PaymentParam",
    "ReadBackWarning",
    "Retention",
    "Stamp",
    "StampDict",
    "StampError",
    "StampErrors",
    "StampParam",
    "StampResult",
    "StampStatus",
    "StampStatusValue",
    "Taxpayer",
    "Transport",
    "TransportDict",
    "TransportParam",
    "TransportServiceType",
    "is_valid_email",
    "items_rule",
    "looks_read",
    "payments_rule",
    "request_fields",
    "retentions_rule",
]

# --- request parts -----------------------------------------------------------------------------

MAX_ITEMS = 500


MAX_TAXES_PER_ITEM = 3


MAX_PAYMENTS_TOTAL = Decimal("9999999999999.99")


MAX_COPY_TO = 5


EMAIL_RE = re.compile(r"^([-+.]*\w)+[-+.]*@([\w-]+\.)+[\w-]{2,}$")
"""Siigo's e-mail regex (``invalid_email``, siigo-api.md E.3)."""


_DESCRIPTION_RE = re.compile(r'^[\w\s.@\-\\%;()\]#?¡\[/:{}*+,$"]*$')


_CODE_RE = re.compile(r"^[^'\s]+$")


_SHIPMENT_RE = re.compile(r"^[A-Za-z0-9 \-_/,]*$")


_ID_TYPES = frozenset(ID_TYPE_CODES)


MeasurementUnit = Literal["GLL", "KGM"]
"""``items[].transport.measurement_unit``: gallons or kilograms."""


TransportServiceType = Literal["AdditionalService", "Shipment"]
"""``items[].transport.service_type``."""


Taxpayer = Literal["Customer", "Company"]
"""``items[].taxpayer``: who pays the tax of the line."""


HealthcareOperationType = Literal["SS-CUFE", "SS-SinAporte", "SS-Recaudo"]
"""``healthcare_company.operation_type`` (Resolución 948)."""


StampStatus = Literal["Draft", "Accepted", "Rejected"]
"""DIAN status of a document: ``Draft`` (not sent), ``Accepted`` or ``Rejected``."""


StampStatusValue = StampStatus | str
"""``stamp.status`` in a response: one of :data:`StampStatus`, or any other string Siigo sends."""


def is_valid_email(value: str) -> bool:
    """True when ``value`` passes Siigo's e-mail regex."""
    return bool(EMAIL_RE.match(value))


def _to_str(value: Any) -> Any:
    """Accept numbers for code-like text fields (``"5521"`` or ``5521``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _check_email(value: str) -> str:
    if not is_valid_email(value):
        raise rule_error("invalid_email", "models.email", value=repr(value))
    return value


def _check_code(value: str) -> str:
    if not _CODE_RE.match(value):
        raise rule_error("invalid_code", "models.item_code", value=repr(value))
    return value


def _item_code(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """An item's product code: :func:`_to_str`, pydantic's ``str`` (not empty), then
    :func:`_check_code`, in one validator; a text that passes the code rule is kept at once."""
    if type(value) is str and _CODE_RE.match(value):  # the rule's pattern admits no empty text
        return value
    return _check_code(handler(_to_str(value)))


ItemCode = Annotated[str, Field(min_length=1), WrapValidator(_item_code)]
"""The product code of a document line (``items[].code``): text or a whole number, no spaces or
single quotes (``invalid_code``)."""


def _check_description(value: str) -> str:
    match = _DESCRIPTION_RE.match(value)
    if not match:
        bad = sorted({ch for ch in value if not _DESCRIPTION_RE.match(ch)})
        raise rule_error("invalid_description", "models.description_chars", chars=" ".join(bad))
    return value


def _positive_decimal(value: Decimal) -> Decimal:
    if not value.is_finite() or value <= 0:
        raise rule_error("invalid_amount", "models.positive_number", value=value)
    return value


def _percentage(value: Decimal) -> Decimal:
    if (
        not value.is_finite()
        or not Decimal("0.01") <= value <= Decimal("99.99")
        or value != value.quantize(Decimal("0.01"))
    ):
        raise rule_error("invalid_amount", "models.percentage", value=value)
    return value


def _payment_limit(value: Decimal) -> Decimal:
    if value > MAX_PAYMENTS_TOTAL:
        raise rule_error("invalid_amount", "models.payment_too_large", most=MAX_PAYMENTS_TOTAL, value=value)
    return value


def _health_amount(value: Decimal) -> Decimal:
    if value > Decimal("9999999999.99"):
        raise rule_error("invalid_amount", "models.health_amount", value=value)
    return value


_CatalogId = Annotated[int, BeforeValidator(to_int)]


_Code20 = Annotated[str, Field(max_length=20), BeforeValidator(_to_str)]


_PositiveDecimal = Annotated[Decimal, BeforeValidator(_to_decimal), AfterValidator(_positive_decimal)]


_Percentage = Annotated[Decimal, BeforeValidator(_to_decimal), AfterValidator(_percentage)]


_HealthAmount = Annotated[Amount, AfterValidator(_health_amount)]


_Email = Annotated[str, AfterValidator(_check_email)]


_PaymentValue = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    AfterValidator(_max_places(2, "payment")),
    AfterValidator(_positive),
    AfterValidator(_payment_limit),
]
"""A payment: positive, 2 decimals, at most 9 999 999 999 999.99 (siigo-api.md §C.3.3, §E.3)
rather than the general 99 999 999 999.99 limit of other amounts."""


class CurrencyParam(RequestModel):
    """Foreign currency: only for companies with foreign currency enabled; never for COP documents."""

    code: str
    exchange_rate: _PositiveDecimal

    @field_validator("code")
    @classmethod
    def _known_code(cls, value: str) -> str:
        if value not in ALLOWED_CURRENCIES:
            raise rule_error(
                "invalid_currency",
                "models.currency",
                value=repr(value),
                known=", ".join(sorted(ALLOWED_CURRENCIES)),
            )
        return value


class TransportParam(RequestModel):
    """Cargo-transport data of an item (document types with ``cargo_transportation: true``)."""

    file_number: Annotated[int, Field(ge=1, le=100_000_000_000)] | None = None
    shipment_number: Annotated[str, Field(max_length=15)] | None = None
    transported_quantity: Annotated[int, Field(ge=0, le=99_999_999)] | None = None
    measurement_unit: MeasurementUnit | None = None
    freight_value: Annotated[int, Field(ge=0, le=999_999_999_999)] | None = None
    purchase_order: Annotated[str, Field(max_length=50), BeforeValidator(_to_str)] | None = None
    service_type: TransportServiceType | None = None

    @field_validator("shipment_number")
    @classmethod
    def _shipment_chars(cls, value: str | None) -> str | None:
        if value is not None and not _SHIPMENT_RE.match(value):
            raise rule_error("invalid_value", "models.shipment_number", value=repr(value))
        return value


class ItemParam(RequestModel):
    """One line of a document: invoices, credit notes and quotations share it (§C.3.2, §C.6, §C.7)."""

    code: ItemCode
    description: Annotated[str, Field(max_length=2500), AfterValidator(_check_description)] | None = None
    quantity: Quantity
    price: Price | None = None
    taxed_price: Price | None = None
    discount: Money | None = None
    taxes: list[IdRef] | None = None
    warehouse: _CatalogId | None = None
    seller: _CatalogId | None = None
    customer: CustomerRef | None = None
    tax_base: Amount | None = None
    taxpayer: Taxpayer | None = None
    transport: TransportParam | None = None
    vat_excluded: bool | None = None

    @field_validator("taxes")
    @classmethod
    def _taxes_shape(cls, value: list[IdRef] | None) -> list[IdRef] | None:
        if value is None:
            return value
        if len(value) > MAX_TAXES_PER_ITEM:
            raise rule_error(
                "invalid_array", "models.item_taxes_count", most=MAX_TAXES_PER_ITEM, count=len(value)
            )
        if len(value) > 1:  # one tax cannot be there twice
            ids = [tax.id for tax in value]
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                raise rule_error("invalid_array", "models.item_tax_twice", ids=repeated)
        return value

    @model_validator(mode="after")
    def _price_rules(self) -> ItemParam:
        if self.price is None and self.taxed_price is None:
            raise rule_error("parameter_required", "models.price_required")
        if self.taxed_price is None and self.price == 0:
            missing = [name for name in ("tax_base", "taxpayer") if getattr(self, name) is None]
            if missing:
                raise rule_error("parameter_required", "models.gift_item", missing=joined(missing))
        return self

    def line_input(self) -> totals.LineInput:
        """This item as input of :mod:`siigo.totals`."""
        taxes = self.taxes
        return totals.LineInput(  # positional: a document builds one per line
            self.quantity,
            self.price,
            self.taxed_price,
            self.discount,
            ((taxes[0].id,) if len(taxes) == 1 else tuple([tax.id for tax in taxes])) if taxes else (),
            self.tax_base,
            self.taxpayer,
        )


class PaymentParam(RequestModel):
    """One payment (§C.3.3); ``due_date`` is required for credit payment types."""

    id: _CatalogId
    value: _PaymentValue
    due_date: DateParam | None = None


class StampParam(RequestModel):
    """``{"send": true}`` submits the document to DIAN on creation."""

    send: bool = False


class MailParam(RequestModel):
    """``{"send": true}`` e-mails the document to the customer on creation."""

    send: bool = False


class GlobalAdjustmentParam(RequestModel):
    """A global discount or charge: ``id`` from the document type's ``global_discounts`` or
    ``global_charges``; ``percentage`` wins over ``value`` when both are sent."""

    id: _CatalogId
    percentage: _Percentage | None = None
    value: Money | None = None


_HEALTH_CODE_01_05 = Annotated[str, BeforeValidator(lambda v: f"{v:02d}" if isinstance(v, int) else v)]


def _code_range(low: int, high: int) -> Any:
    def check(value: str | None) -> str | None:
        if value is not None and not (len(value) == 2 and value.isdigit() and low <= int(value) <= high):
            raise rule_error(
                "invalid_value", "models.code_range", low=f"{low:02d}", high=f"{high:02d}", value=repr(value)
            )
        return value

    return check


class HealthcareCompanyParam(RequestModel):
    """Health-sector data (Resolución 948), required on health FV types (§C.3.6)."""

    operation_type: HealthcareOperationType
    period_start: DateParam | None = None
    period_end: DateParam | None = None
    payment_method: Annotated[_HEALTH_CODE_01_05 | None, AfterValidator(_code_range(1, 5))] = None
    service_plan: Annotated[_HEALTH_CODE_01_05 | None, AfterValidator(_code_range(1, 17))] = None
    policy_number: Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,50}$"), BeforeValidator(_to_str)] | None = (
        None
    )
    contract_number: Annotated[str, Field(min_length=1, max_length=64), BeforeValidator(_to_str)] | None = (
        None
    )
    non_contract_invoice_reason: Annotated[_HEALTH_CODE_01_05 | None, AfterValidator(_code_range(1, 7))] = (
        None
    )
    copayment: _HealthAmount | None = None
    coinsurance: _HealthAmount | None = None
    cost_sharing: _HealthAmount | None = None
    recovery_charge: _HealthAmount | None = None

    @model_validator(mode="after")
    def _operation_rules(self) -> HealthcareCompanyParam:
        op = self.operation_type
        amounts = ("copayment", "coinsurance", "cost_sharing", "recovery_charge")
        if op == "SS-Recaudo":
            sent = [
                name
                for name in ("period_start", "period_end", "payment_method", "service_plan", *amounts)
                if getattr(self, name) is not None
            ]
            if sent:
                raise rule_error("parameter_not_allowed", "models.health_recaudo", fields=", ".join(sent))
        else:
            missing = [name for name in ("period_start", "period_end") if getattr(self, name) is None]
            if missing:
                raise rule_error("parameter_required", "models.health_period", fields=joined(missing), op=op)
            if self.period_start and self.period_end and self.period_start > self.period_end:
                raise rule_error(
                    "invalid_date_range", "models.health_range", start=self.period_start, end=self.period_end
                )
        if op == "SS-SinAporte":
            sent = [name for name in amounts if getattr(self, name) is not None]
            if sent:
                raise rule_error("parameter_not_allowed", "models.health_cufe_only", fields=", ".join(sent))
        if op == "SS-CUFE" and all(getattr(self, name) is None for name in amounts):
            raise rule_error("parameter_required", "models.health_cufe_amounts")
        if self.policy_number is not None and self.contract_number is not None:
            raise rule_error("parameters_exclusive", "models.health_policy_or_contract")
        if self.non_contract_invoice_reason is not None and self.contract_number is not None:
            raise rule_error("parameters_exclusive", "models.health_non_contract")
        return self


class CurrencyDict(TypedDict):
    """:class:`CurrencyParam` as a dict."""

    code: CurrencyCode
    exchange_rate: MoneyInput


class TransportDict(TypedDict, total=False):
    """:class:`TransportParam` as a dict."""

    file_number: int
    shipment_number: str
    transported_quantity: int
    measurement_unit: MeasurementUnit
    freight_value: int
    purchase_order: str
    service_type: TransportServiceType


class ItemDict(TypedDict, total=False):
    """:class:`ItemParam` as a dict."""

    code: Required[str]
    description: str
    quantity: Required[MoneyInput]
    price: MoneyInput
    taxed_price: MoneyInput
    discount: MoneyInput
    taxes: Sequence[IdRef | IdRefDict]
    warehouse: int
    seller: int
    customer: CustomerRef | CustomerRefDict
    tax_base: MoneyInput
    taxpayer: Taxpayer
    transport: TransportParam | TransportDict
    vat_excluded: bool


class PaymentDict(TypedDict, total=False):
    """:class:`PaymentParam` as a dict."""

    id: Required[int]
    value: Required[MoneyInput]
    due_date: DateInput


class StampDict(TypedDict, total=False):
    """:class:`StampParam` as a dict."""

    send: bool


class MailDict(TypedDict, total=False):
    """:class:`MailParam` as a dict."""

    send: bool


class GlobalAdjustmentDict(TypedDict, total=False):
    """:class:`GlobalAdjustmentParam` as a dict."""

    id: Required[int]
    percentage: MoneyInput
    value: MoneyInput


class HealthcareCompanyDict(TypedDict, total=False):
    """:class:`HealthcareCompanyParam` as a dict."""

    operation_type: Required[HealthcareOperationType]
    period_start: DateInput
    period_end: DateInput
    payment_method: str
    service_plan: str
    policy_number: str
    contract_number: str
    non_contract_invoice_reason: str
    copayment: MoneyInput
    coinsurance: MoneyInput
    cost_sharing: MoneyInput
    recovery_charge: MoneyInput


def _join_addresses(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return ";".join(value)
    return value


class MailParams(RequestModel):
    """Body of ``POST /v1/<kind>/{id}/mail``: ``copy_to`` is up to 5 addresses separated by ``;``
    (a list is accepted and joined)."""

    mail_to: _Email
    copy_to: Annotated[str, BeforeValidator(_join_addresses)] | None = None
    guid: str | None = None

    @field_validator("copy_to")
    @classmethod
    def _copy_to_addresses(cls, value: str | None) -> str | None:
        if value is None:
            return value
        addresses = [part.strip() for part in value.split(";") if part.strip()]
        if len(addresses) > MAX_COPY_TO:
            raise rule_error("invalid_array", "models.copy_to_count", most=MAX_COPY_TO, count=len(addresses))
        bad = [address for address in addresses if not is_valid_email(address)]
        if bad:
            raise rule_error("invalid_email", "models.emails", addresses=", ".join(bad))
        return ";".join(addresses)


def _lenient_decimal(value: Any) -> Any:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in ("", "null"):
            return None
        return text
    return value


def _lenient_date(value: Any) -> Any:
    if value is None or isinstance(value, _dt.date):
        return value.date() if isinstance(value, _dt.datetime) else value
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in ("", "null"):
            return None
        if re.match(r"^\d{4}-\d{2}-\d{2}", text):
            return text[:10]
    return value


def _discount_object(value: Any) -> Any:
    if isinstance(value, (int, float, str, Decimal)) and not isinstance(value, bool):
        return {"value": value}
    return value


_Dec = Annotated[Decimal | None, BeforeValidator(_lenient_decimal)]


_Int = Annotated[int | None, BeforeValidator(to_int)]


_Date = Annotated[_dt.date | None, BeforeValidator(_lenient_date)]


_Ref = Annotated[int | IdName | None, BeforeValidator(to_int)]


class DocumentCustomer(ResponseModel):
    id: str | None = None
    identification: str | None = None
    branch_office: _Int = None
    name: list[str] | str | None = None


class Currency(ResponseModel):
    code: str | None = None
    exchange_rate: _Dec = None


class ItemTax(ResponseModel):
    """A tax of an item as computed by Siigo."""

    id: _Int = None
    name: str | None = None
    type: str | None = None
    percentage: _Dec = None
    value: _Dec = None
    base_value: _Dec = None
    total: _Dec = None


class Discount(ResponseModel):
    """``items[].discount``: Siigo always echoes both the percentage and the value."""

    percentage: _Dec = None
    value: _Dec = None


class Transport(ResponseModel):
    file_number: _Int = None
    shipment_number: str | None = None
    transported_quantity: _Int = None
    measurement_unit: str | None = None
    freight_value: _Dec = None
    purchase_order: str | None = None
    service_type: str | None = None


class Item(ResponseModel):
    id: str | None = None
    code: str | None = None
    description: str | None = None
    quantity: _Dec = None
    price: _Dec = None
    taxed_price: _Dec = None
    discount: Annotated[Discount | None, BeforeValidator(_discount_object)] = None
    taxes: list[ItemTax] | None = None
    seller: _Ref = None
    warehouse: _Ref = None
    customer: DocumentCustomer | None = None
    tax_base: _Dec = None
    taxpayer: str | None = None
    transport: Transport | None = None
    vat_excluded: bool | None = None
    total: _Dec = None


class Payment(ResponseModel):
    id: _Int = None
    name: str | None = None
    value: _Dec = None
    due_date: _Date = None


class Retention(ResponseModel):
    """A document-level withholding (ReteIVA, ReteICA, Autorretencion) as computed by Siigo."""

    id: _Int = None
    name: str | None = None
    type: str | None = None
    percentage: _Dec = None
    value: _Dec = None
    base_value: _Dec = None


class Stamp(ResponseModel):
    """DIAN status: ``status`` is ``Draft``, ``Accepted`` or ``Rejected`` (kept as text);
    ``errors`` may come as a string or a list."""

    status: StampStatusValue | None = None
    cufe: str | None = None
    cude: str | None = None
    uuid: str | None = None
    observations: str | list[Any] | None = None
    errors: str | list[Any] | None = None


class Mail(ResponseModel):
    """``status``: not_sent, sent, read, failed_delivery, commented, process_of_sending, pending_send."""

    status: str | None = None
    observations: str | None = None


class _EncodedFile(ResponseModel):
    id: str | None = None
    cufe: str | None = None
    base64: str | None = None

    def content(self) -> bytes:
        """The decoded file (``b""`` when Siigo sent nothing)."""
        if not self.base64:
            return b""
        try:
            return base64.b64decode(self.base64)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"the {type(self).__name__} content is not valid base64: {exc}") from None


class StampError(ResponseModel):
    code: str | None = None
    message: str | None = None


class StampErrors(ResponseModel):
    """``GET /v1/<kind>/{id}/stamp/errors``: why DIAN rejected the document."""

    id: str | None = None
    errors: list[StampError] | None = None

    @field_validator("errors", mode="before")
    @classmethod
    def _wrap_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [{"message": value}] if value else []
        return value


class MailResult(ResponseModel):
    """``POST /v1/<kind>/{id}/mail``."""

    status: str | None = None
    observations: str | None = None


class StampResult(ResponseModel):
    """``POST /v1/<kind>/{id}/stamp`` (only Siigo's JavaScript SDK lists it, siigo-api.md §B.0
    rows 38 and 61 ❓): DIAN's answer in ``stamp`` (``status``; the CUFE as ``uuid``, or ``cufe``
    / ``cude``) and the e-mail to the customer in ``mail``.  Both parts are optional: the source
    is thin."""

    stamp: Stamp | None = None
    mail: Mail | None = None

    @property
    def status(self) -> str | None:
        """DIAN's status (``Accepted``, ``Rejected``, ``Draft``), ``None`` when not answered."""
        return self.stamp.status if self.stamp is not None else None

    @property
    def code(self) -> str | None:
        """DIAN's code of the document (``uuid``, else ``cufe``, else ``cude``), ``None`` when
        it has none."""
        if self.stamp is None:
            return None
        return self.stamp.uuid or self.stamp.cufe or self.stamp.cude or None


class AnnulResult(ResponseModel):
    """``POST /v1/<kind>/{id}/annul``: ``{id, deleted: true}`` per [DEV], ``{id, Annul: true}``
    per [APIB] (siigo-api.md F#24) — both are read; :attr:`annulled` tells either way."""

    id: str | None = None
    deleted: bool | None = None
    annul: bool | None = Field(default=None, alias="Annul")

    @property
    def annulled(self) -> bool:
        return bool(self.deleted or self.annul)


CatalogId = Annotated[int, BeforeValidator(to_int)]
"""An integer catalog id (a seller, a cost center, a payment type...)."""


def _items_count(value: list[ItemParam]) -> list[ItemParam]:
    if not value:
        raise rule_error("invalid_array", "models.items_none")
    if len(value) > MAX_ITEMS:
        raise rule_error("invalid_array", "models.items_count", most=MAX_ITEMS, count=len(value))
    return value


def _payments(value: list[PaymentParam]) -> list[PaymentParam]:
    if not value:
        raise rule_error("parameter_required", "models.payments_none")
    total = sum((payment.value for payment in value), Decimal(0))
    if total > MAX_PAYMENTS_TOTAL:
        raise rule_error("invalid_amount", "models.payments_total", total=total, most=MAX_PAYMENTS_TOTAL)
    return value


def _retentions(value: list[IdRef] | None) -> list[IdRef] | None:
    if value is not None:
        ids = [ref.id for ref in value]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise rule_error("invalid_retentions", "models.retention_twice", ids=repeated)
    return value


items_rule = AfterValidator(_items_count)
"""``items``: 1 to 500 lines (``invalid_array``)."""
payments_rule = AfterValidator(_payments)
"""``payments``: at least one, Σ at most 9 999 999 999 999.99."""
retentions_rule = AfterValidator(_retentions)
"""``retentions``: no tax twice (``invalid_retentions``)."""


class Lines:
    """What the rules and the totals math read of a document body with ``items`` (and, when
    the kind has them, ``retentions`` and ``payments``)."""

    items: Sequence[ItemParam]

    def line_inputs(self) -> list[totals.LineInput]:
        """The items as inputs of :func:`siigo.totals.compute_document`."""
        return [item.line_input() for item in self.items]

    def retention_ids(self) -> list[int]:
        """Tax ids of the document-level ``retentions`` (none for a kind without them)."""
        refs: Sequence[IdRef] | None = getattr(self, "retentions", None)
        return [ref.id for ref in refs or ()]

    def payments_total(self) -> Decimal:
        """Σ ``payments[].value`` (0 for a kind without payments)."""
        payments: Sequence[PaymentParam] | None = getattr(self, "payments", None)
        return sum((payment.value for payment in payments or ()), Decimal(0))


# --- responses ---------------------------------------------------------------------------------


OptionalDecimal = _Dec
"""An amount Siigo may omit, send as a number or as text; read exactly."""
OptionalInt = _Int
OptionalDate = _Date
OptionalRef = _Ref
"""A catalog reference Siigo sends as an id or as ``{id, name}``."""


class DocumentFields(ResponseModel):
    """What every document read from Siigo has (all optional: responses are tolerant)."""

    document: IdName | None = None
    number: OptionalInt = None
    name: str | None = None
    date: OptionalDate = None
    customer: DocumentCustomer | None = None
    cost_center: OptionalRef = None
    currency: Currency | None = None
    seller: OptionalRef = None
    total: OptionalDecimal = None
    observations: str | None = None
    items: list[Item] | None = None
    metadata: Metadata | None = None


class DocumentFile(ResponseModel):
    """A document's PDF or XML as Siigo sends it (``{id, cufe|cude, base64}``);
    :meth:`content` decodes it."""

    id: str | None = None
    cufe: str | None = None
    cude: str | None = None
    base64: str | None = None

    def content(self) -> bytes:
        """The decoded file (``b""`` when Siigo sent nothing)."""
        if not self.base64:
            return b""
        try:
            return base64.b64decode(self.base64)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"the {type(self).__name__} content is not valid base64: {exc}") from None


# --- a document read from Siigo, sent back ------------------------------------------------------

RETURNED_ONLY = frozenset(
    {"id", "name", "prefix", "total", "balance", "metadata", "public_url", "annulled", "stock_updated"}
)
"""Fields of a document that Siigo returns and never reads."""


class ReadBackWarning(UserWarning):
    """A document read from Siigo was passed back as a body: fields Siigo only returns were
    dropped, expanded references were turned back into ids."""


def _ref_id(value: Any) -> Any:
    """``{"id": 4120, "name": ...}`` → ``4120``; anything else unchanged."""
    if isinstance(value, Mapping) and "id" in value and set(value) <= {"id", "name"}:
        return value["id"]
    return value


def looks_read(data: Mapping[str, Any]) -> bool:
    """True for a body that carries what only a document read from Siigo has."""
    return bool(RETURNED_ONLY & set(data)) or any(
        isinstance(data.get(name), Mapping) and "status" in data[name] for name in ("stamp", "mail")
    )


def request_fields(
    data: Mapping[str, Any], *, discount_type: str | None = "Value", automatic_number: bool | None = None
) -> tuple[dict[str, Any], list[str]]:
    """A document as Siigo returns it (§D.5-D.8) turned into the fields of a request body, and
    what was changed (one note each).  Fields Siigo only returns are dropped; expanded references
    (``seller``, ``cost_center``, ``warehouse``, the credit note's ``invoice``...) become ids; item
    taxes and retentions keep their ``id``; an item ``discount`` ``{percentage, value}`` becomes
    the percentage for a ``Percentage`` document type, else the value; ``number`` is dropped for
    a type that numbers automatically (``automatic_number``).  Every other field is
    kept as it is, so a misspelled one is still refused by the model."""
    body = dict(data)
    notes: list[str] = []
    dropped = sorted(RETURNED_ONLY & set(body))
    for name in dropped:
        del body[name]
    for name in ("stamp", "mail"):
        if isinstance(body.get(name), Mapping) and "status" in body[name]:
            del body[name]
            dropped.append(name)
    if automatic_number and "number" in body:
        del body["number"]
        dropped.append("number")
    if dropped:
        notes.append(f"dropped what Siigo only returns: {', '.join(dropped)}")
    for name in ("seller", "cost_center"):
        if isinstance(body.get(name), Mapping):
            body[name] = _ref_id(body[name])
            notes.append(f"{name} {{id, name}} read as its id")
    if isinstance(body.get("invoice"), Mapping) and "id" in body["invoice"]:
        body["invoice"] = body["invoice"]["id"]
        notes.append("invoice {id, name} read as its id")
    for party in ("customer", "supplier"):
        if isinstance(body.get(party), Mapping) and "id" in body[party]:
            body[party] = {k: v for k, v in body[party].items() if k not in ("id", "name")}
            notes.append(f"{party}.id dropped (the {party} is referenced by identification)")
    if body.get("advance_payment") in (0, "0") or (
        isinstance(body.get("advance_payment"), Decimal) and not body["advance_payment"]
    ):
        del body["advance_payment"]
        notes.append("advance_payment 0 dropped")
    for name in ("retentions",):
        if isinstance(body.get(name), list):
            body[name] = [{"id": r["id"]} if isinstance(r, Mapping) and "id" in r else r for r in body[name]]
    if isinstance(body.get("payments"), list):
        body["payments"] = [
            {k: v for k, v in p.items() if k != "name"} if isinstance(p, Mapping) else p
            for p in body["payments"]
        ]
    for name in ("global_discounts", "global_charges"):
        entries = body.get(name)
        if isinstance(entries, list):
            body[name] = [_adjustment(e) for e in entries]
            if not body[name]:
                del body[name]
    if isinstance(body.get("items"), list):
        items = []
        mapped_discount = False
        for item in body["items"]:
            if not isinstance(item, Mapping):
                items.append(item)
                continue
            line = {k: v for k, v in item.items() if k not in ("id", "total")}
            for name in ("warehouse", "seller"):
                if isinstance(line.get(name), Mapping):
                    line[name] = _ref_id(line[name])
            if isinstance(line.get("taxes"), list):
                line["taxes"] = [
                    {"id": t["id"]} if isinstance(t, Mapping) and "id" in t else t for t in line["taxes"]
                ]
            discount = line.get("discount")
            if isinstance(discount, Mapping):
                mapped_discount = True
                chosen = (
                    discount.get("percentage") if discount_type == "Percentage" else discount.get("value")
                )
                if chosen:
                    line["discount"] = chosen
                else:
                    del line["discount"]
            for party in ("customer", "supplier"):
                if isinstance(line.get(party), Mapping):
                    line[party] = {k: v for k, v in line[party].items() if k not in ("id", "name")}
            items.append(line)
        body["items"] = items
        notes.append("items: ids and totals dropped, taxes and warehouses read as their ids")
        if mapped_discount:
            which = "percentage" if discount_type == "Percentage" else "value"
            notes.append(f"items[].discount {{percentage, value}} read as its {which}")
    return body, notes


def _adjustment(entry: Any) -> Any:
    if not isinstance(entry, Mapping):
        return entry
    out: dict[str, Any] = {"id": entry.get("id")}
    if entry.get("percentage") is not None:
        out["percentage"] = entry["percentage"]
    elif entry.get("value") is not None:
        out["value"] = entry["value"]
    return out
