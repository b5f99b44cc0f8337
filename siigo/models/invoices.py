"""Sales invoices (FV): request bodies (siigo-api.md §C.3, §C.5) and responses (§D.5, §D.6, §D.9).

Request models check every *structural* rule Siigo documents and raise errors whose type is the
Siigo error code (see :func:`siigo.models._base.rule_error`).  Rules that need the company's
catalogs (document type flags, taxes, payment types) and the totals check live in
:mod:`siigo.invoice_rules`, the math in :mod:`siigo.totals`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, AliasChoices, BeforeValidator, Field, field_validator, model_validator
from typing_extensions import Required, TypedDict

from .. import totals
from .._patterns import IDEMPOTENCY_KEY
from ..errors import ErrorDetail
from ._base import (
    Amount,
    DateParam,
    Money,
    Price,
    Quantity,
    RequestModel,
    ResponseModel,
    Timestamp,
    _max_places,
    _positive,
    _to_decimal,
    rule_error,
)
from .common import (
    ALLOWED_CURRENCIES,
    ID_TYPE_CODES,
    BranchOffice,
    CurrencyCode,
    CustomerRef,
    CustomerRefDict,
    DateInput,
    IdName,
    IdRef,
    IdRefDict,
    IdTypeCode,
    Metadata,
    MoneyInput,
    PersonType,
    to_int,
)

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

MAX_ITEMS = 500
MAX_TAXES_PER_ITEM = 3
MAX_PAYMENTS_TOTAL = Decimal("9999999999999.99")
MAX_COPY_TO = 5

EMAIL_RE = re.compile(r"^([-+.]*\w)+[-+.]*@([\w-]+\.)+[\w-]{2,}$")
"""Siigo's e-mail regex (``invalid_email``, siigo-api.md E.3)."""

# Word characters (Unicode letters incl. accents and ñ/ü, digits, _), whitespace and
# . @ - \ % _ ; ( ) ] # ? ¡ [ / : { } * + , $ "  (``invalid_description``, E.3).
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
"""DIAN status of an invoice: ``Draft`` (not sent), ``Accepted`` or ``Rejected``."""

StampStatusValue = StampStatus | str
"""``stamp.status`` in a response: one of :data:`StampStatus`, or any other string Siigo sends."""


def is_valid_email(value: str) -> bool:
    """True when ``value`` passes Siigo's e-mail regex."""
    return bool(EMAIL_RE.match(value))


# --- small reusable field types ----------------------------------------------------------------


def _to_str(value: Any) -> Any:
    """Accept numbers for code-like text fields (``"5521"`` or ``5521``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _check_email(value: str) -> str:
    if not is_valid_email(value):
        raise rule_error("invalid_email", f"{value!r} is not a valid e-mail address")
    return value


def _check_code(value: str) -> str:
    if not _CODE_RE.match(value):
        raise rule_error(
            "invalid_code", f"product codes cannot contain spaces or single quotes, got {value!r}"
        )
    return value


def _check_description(value: str) -> str:
    match = _DESCRIPTION_RE.match(value)
    if not match:
        bad = sorted({ch for ch in value if not _DESCRIPTION_RE.match(ch)})
        raise rule_error(
            "invalid_description",
            f"contains characters Siigo does not accept: {' '.join(bad)!s} (letters, digits, spaces and "
            '. @ - \\ % _ ; ( ) [ ] # ? ¡ / : { } * + , $ " are allowed)',
        )
    return value


def _positive_decimal(value: Decimal) -> Decimal:
    if not value.is_finite() or value <= 0:
        raise rule_error("invalid_amount", f"must be a number greater than 0, got {value}")
    return value


def _percentage(value: Decimal) -> Decimal:
    if (
        not value.is_finite()
        or not Decimal("0.01") <= value <= Decimal("99.99")
        or value != value.quantize(Decimal("0.01"))
    ):
        raise rule_error("invalid_amount", f"a percentage from 0.01 to 99.99 with 2 decimals, got {value}")
    return value


def _payment_limit(value: Decimal) -> Decimal:
    if value > MAX_PAYMENTS_TOTAL:
        raise rule_error("invalid_amount", f"a payment must not exceed {MAX_PAYMENTS_TOTAL}, got {value}")
    return value


def _health_amount(value: Decimal) -> Decimal:
    if value > Decimal("9999999999.99"):
        raise rule_error("invalid_amount", f"allows at most 10 integer digits, got {value}")
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
    AfterValidator(_max_places(2, "a payment")),
    AfterValidator(_positive),
    AfterValidator(_payment_limit),
]
"""A payment: positive, 2 decimals, at most 9 999 999 999 999.99 (siigo-api.md §C.3.3, §E.3)
rather than the general 99 999 999 999.99 limit of other amounts."""


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

    @field_validator("id_type")
    @classmethod
    def _id_type_known(cls, value: str | None) -> str | None:
        if value is not None and value not in _ID_TYPES:
            raise rule_error(
                "invalid_value",
                f"{value!r} is not a DIAN identification type; use one of {sorted(_ID_TYPES)}",
            )
        return value

    @field_validator("contacts")
    @classmethod
    def _max_contacts(
        cls, value: list[InvoiceCustomerContactParam] | None
    ) -> list[InvoiceCustomerContactParam] | None:
        if value is not None and len(value) > 10:
            raise rule_error("invalid_array", f"a customer has at most 10 contacts, got {len(value)}")
        return value

    @model_validator(mode="after")
    def _name_shape(self) -> InvoiceCustomerParam:
        if self.name is not None and self.person_type is not None:
            expected = 2 if self.person_type == "Person" else 1
            if len(self.name) != expected:
                shape = "[given names, surnames]" if expected == 2 else "[legal name]"
                raise rule_error(
                    "invalid_array",
                    f"customer.name for a {self.person_type} must be {shape} ({expected} "
                    f"element{'s' if expected == 2 else ''}), got {len(self.name)}",
                )
        return self

    @property
    def is_reference(self) -> bool:
        """True when only the reference fields were given (no inline creation)."""
        return all(
            getattr(self, name) is None for name in type(self).model_fields if name not in _REFERENCE_FIELDS
        )

    def to_ref(self) -> CustomerRef:
        return CustomerRef(identification=self.identification, branch_office=self.branch_office)


class InvoiceCurrencyParam(RequestModel):
    """Foreign currency: only for companies with foreign currency enabled; never for COP documents."""

    code: str
    exchange_rate: _PositiveDecimal

    @field_validator("code")
    @classmethod
    def _known_code(cls, value: str) -> str:
        if value not in ALLOWED_CURRENCIES:
            raise rule_error(
                "invalid_currency",
                f"{value!r} is not a currency Siigo accepts; use one of "
                f"{', '.join(sorted(ALLOWED_CURRENCIES))}",
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
            raise rule_error(
                "invalid_value",
                f"shipment_number allows letters, digits, spaces and - _ / , only, got {value!r}",
            )
        return value


class InvoiceItemParam(RequestModel):
    """One line of an invoice (§C.3.2)."""

    code: Annotated[str, Field(min_length=1), BeforeValidator(_to_str), AfterValidator(_check_code)]
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
                "invalid_array", f"an item takes at most {MAX_TAXES_PER_ITEM} taxes, got {len(value)}"
            )
        ids = [tax.id for tax in value]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise rule_error("invalid_array", f"the same tax cannot be applied twice to an item: {repeated}")
        return value

    @model_validator(mode="after")
    def _price_rules(self) -> InvoiceItemParam:
        if self.price is None and self.taxed_price is None:
            raise rule_error(
                "parameter_required", "price is required (or taxed_price, the price including IVA)"
            )
        if self.taxed_price is None and self.price == 0:
            missing = [name for name in ("tax_base", "taxpayer") if getattr(self, name) is None]
            if missing:
                raise rule_error(
                    "parameter_required",
                    f"a gift item (price 0) needs {' and '.join(missing)}: tax_base is the real value used "
                    "as tax base and taxpayer says who bears the VAT (Customer or Company)",
                )
        return self

    def line_input(self) -> totals.LineInput:
        """This item as input of :mod:`siigo.totals`."""
        return totals.LineInput(
            quantity=self.quantity,
            price=self.price,
            taxed_price=self.taxed_price,
            discount=self.discount,
            tax_ids=tuple(tax.id for tax in self.taxes or ()),
            tax_base=self.tax_base,
            taxpayer=self.taxpayer,
        )


class PaymentParam(RequestModel):
    """One payment (§C.3.3); ``due_date`` is required for credit payment types."""

    id: _CatalogId
    value: _PaymentValue
    due_date: DateParam | None = None


class StampParam(RequestModel):
    """``{"send": true}`` submits the invoice to DIAN on creation."""

    send: bool = False


class MailParam(RequestModel):
    """``{"send": true}`` e-mails the invoice to the customer on creation."""

    send: bool = False


class GlobalAdjustmentParam(RequestModel):
    """A global discount or charge: ``id`` from the document type's ``global_discounts`` or
    ``global_charges``; ``percentage`` wins over ``value`` when both are sent."""

    id: _CatalogId
    percentage: _Percentage | None = None
    value: Money | None = None


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


_HEALTH_CODE_01_05 = Annotated[str, BeforeValidator(lambda v: f"{v:02d}" if isinstance(v, int) else v)]


def _code_range(low: int, high: int) -> Any:
    def check(value: str | None) -> str | None:
        if value is not None and not (len(value) == 2 and value.isdigit() and low <= int(value) <= high):
            raise rule_error("invalid_value", f"expected a code from {low:02d} to {high:02d}, got {value!r}")
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
                raise rule_error(
                    "parameter_not_allowed",
                    f"healthcare_company.{', '.join(sent)} not allowed for SS-Recaudo",
                )
        else:
            missing = [name for name in ("period_start", "period_end") if getattr(self, name) is None]
            if missing:
                raise rule_error(
                    "parameter_required", f"healthcare_company.{' and '.join(missing)} required for {op}"
                )
            if self.period_start and self.period_end and self.period_start > self.period_end:
                raise rule_error(
                    "invalid_date_range",
                    f"healthcare_company.period_start ({self.period_start}) is after period_end "
                    f"({self.period_end})",
                )
        if op == "SS-SinAporte":
            sent = [name for name in amounts if getattr(self, name) is not None]
            if sent:
                raise rule_error(
                    "parameter_not_allowed", f"healthcare_company.{', '.join(sent)} only allowed for SS-CUFE"
                )
        if op == "SS-CUFE" and all(getattr(self, name) is None for name in amounts):
            raise rule_error(
                "parameter_required",
                "an SS-CUFE invoice needs at least one of healthcare_company.copayment, coinsurance, "
                "cost_sharing or recovery_charge",
            )
        if self.policy_number is not None and self.contract_number is not None:
            raise rule_error(
                "parameters_exclusive",
                "send either healthcare_company.policy_number or contract_number, not both",
            )
        if self.non_contract_invoice_reason is not None and self.contract_number is not None:
            raise rule_error(
                "parameters_exclusive",
                "healthcare_company.non_contract_invoice_reason is only for invoices without contract_number",
            )
        return self


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


class InvoiceCurrencyDict(TypedDict):
    """:class:`InvoiceCurrencyParam` as a dict."""

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


class InvoiceItemDict(TypedDict, total=False):
    """:class:`InvoiceItemParam` as a dict."""

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


# --- request bodies ----------------------------------------------------------------------------


def _items_count_first(value: Any) -> Any:
    """The count, checked before any item is validated (100 000 of them would take seconds)."""
    if isinstance(value, (list, tuple)) and len(value) > MAX_ITEMS:
        raise rule_error("invalid_array", f"an invoice takes at most {MAX_ITEMS} items, got {len(value)}")
    return value


def _items_count(value: list[InvoiceItemParam]) -> list[InvoiceItemParam]:
    if not value:
        raise rule_error("invalid_array", "an invoice needs at least 1 item")
    if len(value) > MAX_ITEMS:
        raise rule_error("invalid_array", f"an invoice takes at most {MAX_ITEMS} items, got {len(value)}")
    return value


def _payments_rules(value: list[PaymentParam]) -> list[PaymentParam]:
    if not value:
        raise rule_error("parameter_required", "at least one payment is required")
    total = sum((payment.value for payment in value), Decimal(0))
    if total > MAX_PAYMENTS_TOTAL:
        raise rule_error(
            "invalid_amount", f"the payments add up to {total}; the maximum is {MAX_PAYMENTS_TOTAL}"
        )
    return value


def _retentions_unique(value: list[IdRef] | None) -> list[IdRef] | None:
    if value is not None:
        ids = [ref.id for ref in value]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise rule_error("invalid_retentions", f"the same retention cannot be sent twice: {repeated}")
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
    retentions: Annotated[list[IdRef] | None, AfterValidator(_retentions_unique)] = None
    items: Annotated[
        list[InvoiceItemParam], BeforeValidator(_items_count_first), AfterValidator(_items_count)
    ]
    payments: Annotated[list[PaymentParam], AfterValidator(_payments_rules)]
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
            raise rule_error(
                "invalid_idempotency_key",
                f"idempotency_key must be 1-30 letters or digits (no hyphens or spaces), got {value!r}",
            )
        return value


def _batch_invoices(value: list[InvoiceBatchItemParams]) -> list[InvoiceBatchItemParams]:
    if not value:
        raise rule_error("invalid_array", "a batch needs at least 1 invoice")
    keys = [invoice.idempotency_key for invoice in value]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise rule_error(
            "invalid_idempotency_key",
            f"each invoice of a batch needs its own idempotency_key; repeated: {', '.join(repeated)}",
        )
    return value


class InvoiceBatchParams(RequestModel):
    """Body of ``POST /v1/invoices/batch``; Siigo POSTs the outcome to ``notification_url``."""

    notification_url: str
    invoices: Annotated[list[InvoiceBatchItemParams], AfterValidator(_batch_invoices)]

    @field_validator("notification_url")
    @classmethod
    def _https_url(cls, value: str) -> str:
        if len(value) >= 2048:
            raise rule_error(
                "invalid_url", f"notification_url must be shorter than 2048 characters, got {len(value)}"
            )
        try:
            parts = urlsplit(value)
            valid = parts.scheme == "https" and bool(parts.hostname) and not any(c.isspace() for c in value)
        except ValueError:
            valid = False
        if not valid:
            raise rule_error("invalid_url", f"notification_url must be an https:// URL, got {value!r}")
        return value


def _join_addresses(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return ";".join(value)
    return value


class InvoiceMailParams(RequestModel):
    """Body of ``POST /v1/invoices/{id}/mail``: ``copy_to`` is up to 5 addresses separated by ``;``
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
            raise rule_error(
                "invalid_array", f"copy_to takes at most {MAX_COPY_TO} addresses, got {len(addresses)}"
            )
        bad = [address for address in addresses if not is_valid_email(address)]
        if bad:
            raise rule_error("invalid_email", f"not valid e-mail addresses: {', '.join(bad)}")
        return ";".join(addresses)


# --- responses ---------------------------------------------------------------------------------


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


class InvoiceCustomer(ResponseModel):
    id: str | None = None
    identification: str | None = None
    branch_office: _Int = None
    name: list[str] | str | None = None


class InvoiceCurrency(ResponseModel):
    code: str | None = None
    exchange_rate: _Dec = None


class InvoiceTax(ResponseModel):
    """A tax of an item as computed by Siigo."""

    id: _Int = None
    name: str | None = None
    type: str | None = None
    percentage: _Dec = None
    value: _Dec = None
    base_value: _Dec = None
    total: _Dec = None


class InvoiceDiscount(ResponseModel):
    """``items[].discount``: Siigo always echoes both the percentage and the value."""

    percentage: _Dec = None
    value: _Dec = None


class InvoiceTransport(ResponseModel):
    file_number: _Int = None
    shipment_number: str | None = None
    transported_quantity: _Int = None
    measurement_unit: str | None = None
    freight_value: _Dec = None
    purchase_order: str | None = None
    service_type: str | None = None


class InvoiceItem(ResponseModel):
    id: str | None = None
    code: str | None = None
    description: str | None = None
    quantity: _Dec = None
    price: _Dec = None
    taxed_price: _Dec = None
    discount: Annotated[InvoiceDiscount | None, BeforeValidator(_discount_object)] = None
    taxes: list[InvoiceTax] | None = None
    seller: _Ref = None
    warehouse: _Ref = None
    customer: InvoiceCustomer | None = None
    tax_base: _Dec = None
    taxpayer: str | None = None
    transport: InvoiceTransport | None = None
    vat_excluded: bool | None = None
    total: _Dec = None


class InvoicePayment(ResponseModel):
    id: _Int = None
    name: str | None = None
    value: _Dec = None
    due_date: _Date = None


class InvoiceRetention(ResponseModel):
    """A document-level withholding (ReteIVA, ReteICA, Autorretencion) as computed by Siigo."""

    id: _Int = None
    name: str | None = None
    type: str | None = None
    percentage: _Dec = None
    value: _Dec = None
    base_value: _Dec = None


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


class InvoiceStamp(ResponseModel):
    """DIAN status: ``status`` is ``Draft``, ``Accepted`` or ``Rejected`` (kept as text);
    ``errors`` may come as a string or a list."""

    status: StampStatusValue | None = None
    cufe: str | None = None
    cude: str | None = None
    uuid: str | None = None
    observations: str | list[Any] | None = None
    errors: str | list[Any] | None = None


class InvoiceMail(ResponseModel):
    """``status``: not_sent, sent, read, failed_delivery, commented, process_of_sending, pending_send."""

    status: str | None = None
    observations: str | None = None


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


class InvoicePdf(_EncodedFile):
    """``GET /v1/invoices/{id}/pdf``; :meth:`content` returns the PDF bytes."""


class InvoiceXml(_EncodedFile):
    """``GET /v1/invoices/{id}/xml`` (DIAN XML); :meth:`content` returns the XML bytes."""


class InvoiceStampError(ResponseModel):
    code: str | None = None
    message: str | None = None


class InvoiceStampErrors(ResponseModel):
    """``GET /v1/invoices/{id}/stamp/errors``: why DIAN rejected the invoice."""

    id: str | None = None
    errors: list[InvoiceStampError] | None = None

    @field_validator("errors", mode="before")
    @classmethod
    def _wrap_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [{"message": value}] if value else []
        return value


class InvoiceMailResult(ResponseModel):
    """``POST /v1/invoices/{id}/mail``."""

    status: str | None = None
    observations: str | None = None


class InvoiceAnnulResult(ResponseModel):
    """``POST /v1/invoices/{id}/annul``: ``{id, deleted: true}`` per [DEV], ``{id, Annul: true}``
    per [APIB] (siigo-api.md F#24) — both are read; :attr:`annulled` tells either way."""

    id: str | None = None
    deleted: bool | None = None
    annul: bool | None = Field(default=None, alias="Annul")

    @property
    def annulled(self) -> bool:
        return bool(self.deleted or self.annul)


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
