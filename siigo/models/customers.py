"""Third parties (customers, suppliers, others): request bodies (siigo-api.md §C.2) and
responses (§D.4), with the Colombian code tables Siigo does not serve through the API
(identification types, fiscal responsibilities, departments) and the NIT check digit.

Request models raise errors whose type is the Siigo error code, so the SDK refuses a bad body
before sending it and the sandbox answers the very same error.

Decisions where Siigo's reference is silent:

* ``check_digit`` for a NIT (``id_type`` "31") is computed with ``stdnum.co.nit`` when omitted
  and verified when given (a wrong digit is refused with the right one in the message).  For
  the other identification types it is optional, must be one digit when given, and is sent
  as is without any check (Siigo's own example sends one for a cédula and echoes it back).
* DANE codes (``state_code``, ``city_code``) and ``postal_code`` must be strings: as numbers
  they lose their leading zeros (``5001`` for Medellín's ``"05001"``), so numbers are refused
  with a message instead of being guessed.  Phone parts and ``identification`` accept numbers.
* Colombian addresses (``country_code`` "CO", any case) are checked: the department must be one
  of the 33 DANE departments and the municipality five digits starting with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from stdnum.co import nit as _nit
from typing_extensions import Required, TypedDict

from ._base import RequestModel, ResponseModel, build, rule_error
from .common import (
    ID_TYPE_CODES,
    BranchOffice,
    CodeName,
    Metadata,
    PersonType,
    PersonTypeValue,
    code_object,
    to_int,
)

__all__ = [
    "COLOMBIA",
    "DEPARTMENTS",
    "EMAIL_RE",
    "FISCAL_RESPONSIBILITIES",
    "IDENTIFICATION_RE",
    "ID_TYPES",
    "MAX_CONTACTS",
    "NIT",
    "ContactDict",
    "ContactParam",
    "CustomFieldDict",
    "CustomFieldParam",
    "Customer",
    "CustomerAddress",
    "CustomerAddressDict",
    "CustomerAddressParam",
    "CustomerCity",
    "CustomerCityDict",
    "CustomerCityParam",
    "CustomerContact",
    "CustomerCreateParams",
    "CustomerCustomField",
    "CustomerFiscalResponsibility",
    "CustomerIdType",
    "CustomerPhone",
    "CustomerRelatedUsers",
    "CustomerType",
    "CustomerTypeValue",
    "CustomerUpdateParams",
    "FiscalResponsibilityCode",
    "FiscalResponsibilityDict",
    "FiscalResponsibilityParam",
    "PersonType",
    "PhoneDict",
    "PhoneParam",
    "RelatedUsersDict",
    "RelatedUsersParam",
    "nit_check_digit",
]

CustomerType = Literal["Customer", "Supplier", "Other"]
"""``type`` of a third party."""

CustomerTypeValue = CustomerType | str
"""``type`` of a third party in a response: one of :data:`CustomerType`, or any other string."""

NIT = "31"
"""``id_type`` of a Colombian NIT."""

ID_TYPES: Mapping[str, str] = {
    "13": "Cédula de ciudadanía",
    "31": "NIT",
    "11": "Registro civil",
    "12": "Tarjeta de identidad",
    "21": "Tarjeta de extranjería",
    "22": "Cédula de extranjería",
    "41": "Pasaporte",
    "42": "Documento de identificación extranjero",
    "43": "Sin identificación del exterior o para uso definido por la DIAN",
    "47": "Permiso especial de permanencia PEP",
    "48": "Permiso por protección temporal PPT",
    "50": "NIT de otro país",
    "89": "Salvoconducto de permanencia",
    "91": "NUIP",
    "R-00-PN": "No obligado a registrarse en el RUT PN",
}
"""DIAN identification types (siigo-api.md C.2.1): code → name (Siigo has no endpoint for them)."""

if set(ID_TYPES) != set(ID_TYPE_CODES):  # pragma: no cover - the two lists of one table
    raise AssertionError("ID_TYPES and IdTypeCode list different identification types")

_NUMERIC_ID_TYPES = frozenset({"13", "31", "11"})
_ALPHANUMERIC_MAX = {"12": 20, "R-00-PN": 13}  # the rest: 20

FiscalResponsibilityCode = Literal["R-99-PN", "O-13", "O-15", "O-23", "O-47"]
"""A fiscal responsibility code (``fiscal_responsibilities[].code``); names in
:data:`FISCAL_RESPONSIBILITIES`."""

FISCAL_RESPONSIBILITIES: Mapping[str, str] = {
    "R-99-PN": "No responsable",
    "O-13": "Gran contribuyente",
    "O-15": "Autorretenedor",
    "O-23": "Agente de retención IVA",
    "O-47": "Régimen simple de tributación",
}
"""Fiscal responsibility codes (siigo-api.md C.2.2); ``R-99-PN`` is Siigo's default."""

if set(FISCAL_RESPONSIBILITIES) != set(get_args(FiscalResponsibilityCode)):  # pragma: no cover
    raise AssertionError("FISCAL_RESPONSIBILITIES and FiscalResponsibilityCode list different codes")

COLOMBIA = "CO"

DEPARTMENTS: Mapping[str, str] = {
    "05": "Antioquia",
    "08": "Atlántico",
    "11": "Bogotá D.C.",
    "13": "Bolívar",
    "15": "Boyacá",
    "17": "Caldas",
    "18": "Caquetá",
    "19": "Cauca",
    "20": "Cesar",
    "23": "Córdoba",
    "25": "Cundinamarca",
    "27": "Chocó",
    "41": "Huila",
    "44": "La Guajira",
    "47": "Magdalena",
    "50": "Meta",
    "52": "Nariño",
    "54": "Norte de Santander",
    "63": "Quindío",
    "66": "Risaralda",
    "68": "Santander",
    "70": "Sucre",
    "73": "Tolima",
    "76": "Valle del Cauca",
    "81": "Arauca",
    "85": "Casanare",
    "86": "Putumayo",
    "88": "Archipiélago de San Andrés, Providencia y Santa Catalina",
    "91": "Amazonas",
    "94": "Guainía",
    "95": "Guaviare",
    "97": "Vaupés",
    "99": "Vichada",
}
"""Colombian departments by DANE (DIVIPOLA) code."""

MAX_CONTACTS = 10

EMAIL_RE = re.compile(r"^([-+.]*\w)+[-+.]*@([\w-]+\.)+[\w-]{2,}$")
"""Siigo's e-mail regex (``invalid_email``, siigo-api.md E.3)."""

IDENTIFICATION_RE = re.compile(r"^[\d\w]{1}[\d\w\-]+[\d\w]{1}$")
"""Siigo's identification regex (``invalid_identification``, siigo-api.md E.3)."""

_DIGITS_RE = re.compile(r"^\d+$")
_POSTAL_RE = re.compile(r"^[A-Za-z0-9]+$")


def nit_check_digit(nit: str) -> str:
    """The DIAN check digit (DV) of a NIT given without it: ``nit_check_digit("900123456") == "8"``."""
    if not _DIGITS_RE.match(nit):
        raise ValueError(f"a NIT is written with digits only and without its check digit, got {nit!r}")
    return str(_nit.calc_check_digit(nit))


# --- field helpers -----------------------------------------------------------------------------


def _number_to_str(value: Any) -> Any:
    """Accept ``900123456`` for ``"900123456"`` where no leading zero can be lost."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _text_only(what: str, example: str) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            raise rule_error(
                "invalid_type", "models.dane_code_number", what=what, example=repr(example), value=value
            )
        return value

    return check


def _numeric_text(value: str) -> str:
    if value and not _DIGITS_RE.match(value):
        raise rule_error("invalid_value", "models.phone_digits", value=repr(value))
    return value


def _email(value: str) -> str:
    if not EMAIL_RE.match(value):
        raise rule_error("invalid_email", "models.email", value=repr(value))
    return value


_PhonePart = Annotated[
    str, Field(max_length=10), BeforeValidator(_number_to_str), AfterValidator(_numeric_text)
]
_UserId = Annotated[int, BeforeValidator(to_int)]


# --- request parts -----------------------------------------------------------------------------


class CustomerCityParam(RequestModel):
    """City by DANE codes, as strings: Medellín is ``{"country_code": "CO", "state_code": "05",
    "city_code": "05001"}``."""

    country_code: Annotated[str, Field(min_length=2, max_length=3)]
    state_code: Annotated[
        str, Field(min_length=1, max_length=10), BeforeValidator(_text_only("state_code", "05"))
    ]
    city_code: Annotated[
        str, Field(min_length=1, max_length=10), BeforeValidator(_text_only("city_code", "05001"))
    ]

    @model_validator(mode="after")
    def _colombian_codes(self) -> CustomerCityParam:
        if self.country_code.upper() != COLOMBIA:
            return self
        if self.state_code not in DEPARTMENTS:
            if self.state_code.zfill(2) in DEPARTMENTS:
                raise rule_error(
                    "invalid_value",
                    "models.state_code_padded",
                    value=repr(self.state_code),
                    padded=repr(self.state_code.zfill(2)),
                )
            raise rule_error("invalid_value", "models.state_code", value=repr(self.state_code))
        if not (len(self.city_code) == 5 and self.city_code.isdigit()):
            raise rule_error("invalid_value", "models.city_code", value=repr(self.city_code))
        if not self.city_code.startswith(self.state_code):
            raise rule_error(
                "invalid_value",
                "models.city_of_other_state",
                city=repr(self.city_code),
                state=repr(self.state_code),
            )
        return self


class CustomerAddressParam(RequestModel):
    address: Annotated[str, Field(min_length=1, max_length=256)]
    city: CustomerCityParam
    postal_code: (
        Annotated[str, Field(max_length=10), BeforeValidator(_text_only("postal_code", "050010"))] | None
    ) = None

    @field_validator("postal_code")
    @classmethod
    def _postal_code(cls, value: str | None) -> str | None:
        if value and not _POSTAL_RE.match(value):
            raise rule_error("invalid_value", "models.postal_code", value=repr(value))
        return value


class PhoneParam(RequestModel):
    """A phone: digits only, each part at most 10 (``indicative`` 57 for Colombia)."""

    indicative: _PhonePart | None = None
    number: Annotated[
        str,
        Field(min_length=1, max_length=10),
        BeforeValidator(_number_to_str),
        AfterValidator(_numeric_text),
    ]
    extension: _PhonePart | None = None


class ContactParam(RequestModel):
    """A contact of the third party; documents for a customer without contacts are refused
    by Siigo (``customer_settings``)."""

    first_name: Annotated[str, Field(min_length=1, max_length=50)]
    last_name: Annotated[str, Field(max_length=50)] | None = None
    email: Annotated[str, Field(max_length=100), AfterValidator(_email)] | None = None
    phone: PhoneParam | None = None


class FiscalResponsibilityParam(RequestModel):
    """A fiscal responsibility by code; a ``name`` is accepted (Siigo ignores it) and not sent."""

    code: str
    name: Annotated[str | None, Field(exclude=True)] = None

    @field_validator("code")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in FISCAL_RESPONSIBILITIES:
            raise rule_error(
                "invalid_value",
                "models.fiscal_responsibility",
                value=repr(value),
                known=", ".join(FISCAL_RESPONSIBILITIES),
            )
        return value


class RelatedUsersParam(RequestModel):
    """Seller and collector: user ids from ``GET /v1/users``."""

    seller_id: _UserId | None = None
    collector_id: _UserId | None = None


class CustomFieldParam(RequestModel):
    key: Annotated[str, Field(min_length=1)]
    value: str


# --- the request parts as typed dicts ----------------------------------------------------------
# What a type checker holds a plain dict to, wherever a ``...Param`` model is accepted: the same
# wire names, the keys Siigo requires marked ``Required``.


class CustomerCityDict(TypedDict):
    """:class:`CustomerCityParam` as a dict (DANE codes as strings)."""

    country_code: str
    state_code: str
    city_code: str


class CustomerAddressDict(TypedDict, total=False):
    """:class:`CustomerAddressParam` as a dict."""

    address: Required[str]
    city: Required[CustomerCityParam | CustomerCityDict]
    postal_code: str


class PhoneDict(TypedDict, total=False):
    """:class:`PhoneParam` as a dict (digits as strings)."""

    indicative: str
    number: Required[str]
    extension: str


class ContactDict(TypedDict, total=False):
    """:class:`ContactParam` as a dict."""

    first_name: Required[str]
    last_name: str
    email: str
    phone: PhoneParam | PhoneDict


class FiscalResponsibilityDict(TypedDict, total=False):
    """:class:`FiscalResponsibilityParam` as a dict."""

    code: Required[FiscalResponsibilityCode]
    name: str


class RelatedUsersDict(TypedDict, total=False):
    """:class:`RelatedUsersParam` as a dict."""

    seller_id: int
    collector_id: int


class CustomFieldDict(TypedDict):
    """:class:`CustomFieldParam` as a dict."""

    key: str
    value: str


# --- request bodies ----------------------------------------------------------------------------


class CustomerCreateParams(RequestModel):
    """Body of ``POST /v1/customers`` (siigo-api.md §C.2).

    ``name`` is ``[given names, surnames]`` for a ``Person`` and ``[legal name]`` for a
    ``Company``.  A NIT goes in ``identification`` without its check digit; ``check_digit`` is
    computed when left out.  Omitted optional fields take Siigo's defaults (``type`` Customer,
    ``branch_office`` 0, ``active`` true, ``vat_responsible`` false, ``R-99-PN``).
    """

    type: CustomerType | None = None
    person_type: PersonType
    id_type: Annotated[str, BeforeValidator(_number_to_str)]
    identification: Annotated[str, Field(min_length=1, max_length=50), BeforeValidator(_number_to_str)]
    check_digit: Annotated[str, BeforeValidator(_number_to_str)] | None = None
    name: list[Annotated[str, Field(min_length=1, max_length=100)]]
    commercial_name: str | None = None
    branch_office: BranchOffice | None = None
    active: bool | None = None
    vat_responsible: bool | None = None
    fiscal_responsibilities: list[FiscalResponsibilityParam] | None = None
    address: CustomerAddressParam
    phones: list[PhoneParam] | None = None
    contacts: list[ContactParam] | None = None
    comments: Annotated[str, Field(max_length=4000)] | None = None
    related_users: RelatedUsersParam | None = None
    custom_fields: list[CustomFieldParam] | None = None

    @field_validator("id_type")
    @classmethod
    def _known_id_type(cls, value: str) -> str:
        if value not in ID_TYPES:
            known = ", ".join(f"{code} ({name})" for code, name in list(ID_TYPES.items())[:3])
            raise rule_error(
                "invalid_value", "models.id_type", value=repr(value), known=known, codes=", ".join(ID_TYPES)
            )
        return value

    @field_validator("identification")
    @classmethod
    def _identification(cls, value: str, info: ValidationInfo) -> str:
        id_type = info.data.get("id_type")
        if id_type in _NUMERIC_ID_TYPES:
            if id_type == NIT and re.fullmatch(r"\d{3,13}-\d", value):
                number, digit = value.split("-")
                raise rule_error(
                    "invalid_identification", "models.nit_with_digit", number=repr(number), digit=repr(digit)
                )
            if not re.fullmatch(r"\d{3,13}", value):
                raise rule_error(
                    "invalid_identification",
                    "models.id_digits",
                    type=id_type,
                    name=ID_TYPES[id_type],
                    value=repr(value),
                )
            return value
        if not IDENTIFICATION_RE.match(value):
            raise rule_error("invalid_identification", "models.id_chars", value=repr(value))
        if id_type is not None:
            limit = _ALPHANUMERIC_MAX.get(id_type, 20)
            if len(value) > limit:
                raise rule_error(
                    "invalid_identification",
                    "models.id_length",
                    type=id_type,
                    name=ID_TYPES[id_type],
                    most=limit,
                    count=len(value),
                )
        return value

    @field_validator("check_digit")
    @classmethod
    def _check_digit(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        if not re.fullmatch(r"\d", value):
            raise rule_error("invalid_value", "models.check_digit", value=repr(value))
        identification = info.data.get("identification")
        if info.data.get("id_type") == NIT and identification is not None:
            expected = nit_check_digit(identification)
            if value != expected:
                raise rule_error(
                    "invalid_value",
                    "models.check_digit_wrong",
                    value=value,
                    nit=identification,
                    expected=expected,
                )
        return value

    @field_validator("name")
    @classmethod
    def _name_shape(cls, value: list[str], info: ValidationInfo) -> list[str]:
        person_type = info.data.get("person_type")
        if person_type == "Person" and len(value) != 2:
            raise rule_error("invalid_array", "models.person_name", count=len(value))
        if person_type == "Company" and len(value) != 1:
            raise rule_error("invalid_array", "models.company_name", count=len(value))
        return value

    @field_validator("fiscal_responsibilities")
    @classmethod
    def _responsibilities(
        cls, value: list[FiscalResponsibilityParam] | None
    ) -> list[FiscalResponsibilityParam] | None:
        if value is None:
            return value
        if not value:
            raise rule_error("parameter_empty", "models.fiscal_empty")
        codes = [entry.code for entry in value]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise rule_error("invalid_array", "models.fiscal_twice", codes=repeated)
        return value

    @field_validator("contacts")
    @classmethod
    def _max_contacts(cls, value: list[ContactParam] | None) -> list[ContactParam] | None:
        if value is not None and len(value) > MAX_CONTACTS:
            raise rule_error("invalid_array", "models.contacts_count", most=MAX_CONTACTS, count=len(value))
        return value

    @model_validator(mode="after")
    def _nit_check_digit(self) -> CustomerCreateParams:
        if self.id_type == NIT and self.check_digit is None:
            self.check_digit = nit_check_digit(self.identification)
        return self


class CustomerUpdateParams(CustomerCreateParams):
    """Body of ``PUT /v1/customers/{id}``: a full replacement, so send the whole third party
    (omitted fields become empty).  :meth:`Customer.to_update_params` builds one from a customer
    read from Siigo."""


# --- responses ---------------------------------------------------------------------------------


class CustomerIdType(CodeName):
    """The identification type: ``{"code": "31", "name": "NIT"}``."""


class CustomerFiscalResponsibility(CodeName):
    """A fiscal responsibility: ``{"code": "O-13", "name": "Gran contribuyente"}``."""


class CustomerCity(ResponseModel):
    country_code: str | None = None
    country_name: str | None = None
    state_code: str | None = None
    state_name: str | None = None
    city_code: str | None = None
    city_name: str | None = None


class CustomerAddress(ResponseModel):
    address: str | None = None
    city: CustomerCity | None = None
    postal_code: str | None = None


class CustomerPhone(ResponseModel):
    indicative: str | None = None
    number: str | None = None
    extension: str | None = None


class CustomerContact(ResponseModel):
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: CustomerPhone | None = None


class CustomerRelatedUsers(ResponseModel):
    seller_id: Annotated[int | None, BeforeValidator(to_int)] = None
    collector_id: Annotated[int | None, BeforeValidator(to_int)] = None


class CustomerCustomField(ResponseModel):
    key: str | None = None
    value: str | None = None


class Customer(ResponseModel):
    """A third party as Siigo returns it (siigo-api.md §D.4); ``id_type`` is ``{code, name}``."""

    id: str
    type: CustomerTypeValue
    person_type: PersonTypeValue
    id_type: Annotated[CustomerIdType | None, BeforeValidator(code_object)] = None
    identification: str
    check_digit: str | None = None
    name: list[str]
    commercial_name: str | None = None
    branch_office: Annotated[int | None, BeforeValidator(to_int)] = None
    active: bool | None = None
    vat_responsible: bool | None = None
    fiscal_responsibilities: list[CustomerFiscalResponsibility] | None = None
    address: CustomerAddress | None = None
    phones: list[CustomerPhone] | None = None
    contacts: list[CustomerContact] | None = None
    comments: str | None = None
    related_users: CustomerRelatedUsers | None = None
    custom_fields: list[CustomerCustomField] | None = None
    metadata: Metadata | None = None

    @property
    def full_name(self) -> str:
        """The name as one string (``"Juan Camilo Restrepo Vélez"``)."""
        return " ".join(part for part in self.name or () if part)

    def to_update_params(self) -> CustomerUpdateParams:
        """This third party as a ``PUT`` body, to change a few fields and send it whole."""
        address = self.address
        city = address.city if address else None
        data: dict[str, Any] = {
            "type": self.type,
            "person_type": self.person_type,
            "id_type": self.id_type.code if self.id_type else None,
            "identification": self.identification,
            "check_digit": self.check_digit or None,
            "name": self.name,
            "commercial_name": self.commercial_name,
            "branch_office": self.branch_office,
            "active": self.active,
            "vat_responsible": self.vat_responsible,
            "fiscal_responsibilities": [{"code": f.code} for f in self.fiscal_responsibilities or ()] or None,
            "address": {
                "address": address.address if address else None,
                "city": {
                    "country_code": city.country_code if city else None,
                    "state_code": city.state_code if city else None,
                    "city_code": city.city_code if city else None,
                },
                "postal_code": (address.postal_code or None) if address else None,
            },
            "phones": [_phone(p) for p in self.phones] if self.phones else None,
            "contacts": [
                {
                    "first_name": c.first_name,
                    "last_name": c.last_name or None,
                    "email": c.email or None,
                    "phone": _phone(c.phone) if c.phone and c.phone.number else None,
                }
                for c in self.contacts
            ]
            if self.contacts
            else None,
            "comments": self.comments,
            "related_users": (
                {"seller_id": self.related_users.seller_id, "collector_id": self.related_users.collector_id}
                if self.related_users
                and (self.related_users.seller_id is not None or self.related_users.collector_id is not None)
                else None
            ),
            "custom_fields": [{"key": f.key, "value": f.value} for f in self.custom_fields]
            if self.custom_fields
            else None,
        }
        body: dict[str, Any] = _drop_none(data)
        return build(CustomerUpdateParams, body)


def _phone(phone: CustomerPhone) -> dict[str, Any]:
    return {
        "indicative": phone.indicative or None,
        "number": phone.number,
        "extension": phone.extension or None,
    }


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value
