"""Building blocks shared by every model.

Request models are strict: unknown keys are refused, enums are closed, and every rule Siigo
documents is checked by a validator that raises an error whose *type is the Siigo error code*
(``invalid_array``, ``invalid_amount``...).  The SDK turns those into
:class:`siigo.errors.ValidationError`; the sandbox turns the very same errors into Siigo's
error envelope, so the client and the emulator share one implementation of each rule.

Response models are tolerant: unknown keys are kept, enum-like fields are plain strings,
nearly everything is optional, numbers may arrive as strings, timestamps in several formats.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

import pydantic
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError
from pydantic_core import ValidationError as CoreValidationError
from typing_extensions import Self

from .. import _json
from .._refusals import REFUSALS, Refusal, Term, refusal, refuse, summary
from ..errors import ErrorDetail, ValidationError

__all__ = [
    "Amount",
    "DateParam",
    "Money",
    "Price",
    "Quantity",
    "RequestModel",
    "ResponseModel",
    "Timestamp",
    "build",
    "rule_error",
    "siigo_errors_from",
]

M = TypeVar("M", bound=BaseModel)


class RequestModel(BaseModel):
    """Base of every request body: strict, wire names, nothing unknown.

    Building one directly (``ProductCreateParams(code=...)``, ``model_validate``,
    ``model_validate_json``) refuses a bad body with :class:`siigo.ValidationError`, the very
    error (codes, field paths, message) a ``create`` raises; pydantic's own error never leaves
    these constructors.  ``exc.errors`` lists every problem as an :class:`~siigo.ErrorDetail`.
    """

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        str_strip_whitespace=False,
        validate_default=False,
        frozen=False,
        # An instance may have been changed after it was validated (attribute assignment,
        # ``model_construct``): check it again whenever it is used, so an invalid document
        # can never leave the client because it arrived as a model.
        revalidate_instances="always",
        defer_build=True,
    )

    def to_wire(self) -> dict[str, Any]:
        """The body as Siigo expects it (``None`` fields left out, dates as strings)."""
        return self.model_dump(mode="python", by_alias=True, exclude_none=True)

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except pydantic.ValidationError as exc:
            raise validation_error(type(self).__name__, exc) from None

    # Tell pydantic this is its own ``__init__`` (as ``RootModel`` does): validation of a nested
    # part then stays inside pydantic, so one error lists every problem of the whole body.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Self:
        try:
            return super().model_validate(obj, **options)
        except pydantic.ValidationError as exc:
            raise validation_error(cls.__name__, exc) from None

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **options: Any) -> Self:
        try:
            return super().model_validate_json(json_data, **options)
        except pydantic.ValidationError as exc:
            raise validation_error(cls.__name__, exc) from None


_SHARED_FIELDS_SETS: dict[frozenset[str], set[str]] = {}
# Unknown fields count: a server sending new names on every answer must not grow this forever.
_SHARED_FIELDS_SETS_MAX = 1024
_LAST_SHARED: dict[type[BaseModel], set[str]] = {}
"""The shared set each response model last used."""
# The slots' own setters: a parsed page of 100 products calls them for some 500 instances.
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__


class ResponseModel(BaseModel):
    """Base of every response model: tolerant of new fields and loose typing."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        coerce_numbers_to_str=True,
        protected_namespaces=(),
        # Cache only keys while parsing JSON: values (GUIDs, names) are mostly unique, and a
        # value cache grows with every new one (it made walking 10 000 products use 35 % more
        # peak memory than walking 1 000).
        cache_strings="keys",
        defer_build=True,
    )

    # Memory.  pydantic gives every instance a ``set`` of the fields it was given and a dict of
    # its unknown fields.  For a parsed invoice those two cost more than the values themselves
    # (a set of 10 names takes 728 bytes), and responses of one kind nearly always carry the
    # same fields.  So a parsed response shares one set with every instance that was given the
    # same fields, and an empty dict of unknown fields is ``None`` (pydantic's own value when
    # there can be none).  Both are made the instance's own again before anything changes it.

    def model_post_init(self, context: Any, /) -> None:
        fields_set = self.__pydantic_fields_set__
        kind = type(self)
        shared = _LAST_SHARED.get(kind)
        # Instances of one kind in one answer nearly always have the fields of the one before:
        # comparing two sets costs less than building the frozenset that finds a shared one.
        if shared is None or shared != fields_set:
            key = frozenset(fields_set)
            shared = _SHARED_FIELDS_SETS.get(key)
            if shared is None and len(_SHARED_FIELDS_SETS) < _SHARED_FIELDS_SETS_MAX:
                # A copy: the set may be a caller's own (``model_construct(_fields_set=...)``).
                shared = _SHARED_FIELDS_SETS[key] = set(fields_set)
            if shared is None:
                shared = fields_set
            else:
                _LAST_SHARED[kind] = shared
        _set_fields_set(self, shared)
        if not self.__pydantic_extra__:
            _set_extra(self, None)

    def _own_bookkeeping(self) -> None:
        object.__setattr__(self, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        if self.__pydantic_extra__ is None:
            object.__setattr__(self, "__pydantic_extra__", {})

    def __setattr__(self, name: str, value: Any) -> None:
        self._own_bookkeeping()
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        self._own_bookkeeping()
        super().__delattr__(name)

    def __setstate__(self, state: dict[Any, Any]) -> None:
        super().__setstate__(state)
        self._own_bookkeeping()

    @property
    def model_fields_set(self) -> set[str]:
        """The names of the fields this instance was given (a copy: changing it changes
        nothing)."""
        return set(self.__pydantic_fields_set__)

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **options: Any) -> Self:
        """Parse JSON with every number read as an exact ``Decimal``.

        pydantic's own JSON parser turns non-integer numbers into ``float`` before any validator
        runs, so an amount such as ``12345678901.123456`` would come back rounded.  Options
        (``strict``, ``context``...) are those of :meth:`model_validate`.
        """
        try:
            data = _json.loads(bytes(json_data) if isinstance(json_data, bytearray) else json_data)
        except (ValueError, RecursionError) as exc:
            raise CoreValidationError.from_exception_data(
                cls.__name__,
                [{"type": "json_invalid", "loc": (), "input": json_data, "ctx": {"error": str(exc)}}],
            ) from None
        return cls.model_validate(data, **options)


def rule_error(code: str, message_id: str, /, **args: Any) -> PydanticCustomError:
    """An error carrying a Siigo error code and the message ``message_id`` of the catalog
    (:mod:`siigo._refusals`) with ``args``, raised from validators."""
    text = refusal(message_id, **args)
    return PydanticCustomError(code, text.render("en"), {"refusal": text})


# --- money and numbers -------------------------------------------------------------------------


def _in_range(value: Decimal) -> Decimal:
    """``value`` unless its magnitude is beyond any amount Siigo can hold.  Checked before any
    arithmetic: ``Decimal('1e999999999')`` would overflow (or take minutes) once normalised."""
    scale = _json.DOTNET_DECIMAL_SCALE
    if value.is_finite() and value and not -scale <= value.adjusted() <= scale:
        shown = f"{value:.3e}"
        raise rule_error("invalid_amount", "amount.out_of_range", value=shown)
    return value


def _to_decimal(value: Any) -> Any:
    kind = type(value)
    if kind is Decimal:  # the usual amounts first
        return _in_range(value)
    if kind is int:  # (never a bool: its type is bool)
        return value
    if isinstance(value, bool):
        raise rule_error("invalid_type", "amount.boolean")
    if isinstance(value, float):
        # str() gives the shortest representation that round-trips, so 0.1 stays 0.1;
        # a float that carries noise (0.1 + 0.2) is then refused by the decimals check.
        return _in_range(Decimal(str(value))) if value == value and abs(value) != float("inf") else value
    if isinstance(value, str):
        try:
            return _in_range(Decimal(value.strip()))
        except InvalidOperation:
            raise rule_error("invalid_type", "amount.not_a_number", value=repr(value[:40])) from None
    if isinstance(value, Decimal):
        return _in_range(value)
    return value


def _exponent(value: Decimal) -> int:
    """The exponent of a finite ``value`` (``-2`` for ``10.50``), read from its text when that
    is plain digits: ``as_tuple()`` builds a tuple of every digit, which costs a few times more."""
    text = str(value)
    if "E" in text or "e" in text:
        exponent = value.as_tuple().exponent
        return exponent if isinstance(exponent, int) else 0
    dot = text.find(".")
    return 0 if dot < 0 else dot + 1 - len(text)


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _max_places(places: int, what: str) -> Any:
    noun = refusal(f"amount.noun.{what}")

    def check(value: Decimal) -> Decimal:
        if not value.is_finite():
            raise rule_error("invalid_amount", "amount.not_finite", what=noun)
        value = value.normalize() if _places(value) > places else value
        if _places(value) > places:
            raise rule_error("invalid_amount", "amount.decimals", what=noun, places=places, value=value)
        return value

    return check


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise rule_error("invalid_amount", "amount.not_positive", value=value)
    return value


_GENERAL_MAX = Decimal("99999999999.99")


def _amount_rules(places: int, what: str, *, positive: bool) -> Any:
    """The checks of an amount in one function (a call per field instead of one per rule), in
    this order: finite with at most ``places`` decimals (trailing zeros aside), not negative (or
    above zero), within Siigo's general limit; the same errors as the separate rules.  ``what``
    names the field's noun in the refusal catalog (``amount.noun.<what>``)."""
    most = -places
    noun = refusal(f"amount.noun.{what}")

    def check(value: Decimal) -> Decimal:
        if not value.is_finite():
            raise rule_error("invalid_amount", "amount.not_finite", what=noun)
        if _exponent(value) < most:
            value = value.normalize()
            if _exponent(value) < most:
                raise rule_error("invalid_amount", "amount.decimals", what=noun, places=places, value=value)
        if positive:
            if value <= 0:
                raise rule_error("invalid_amount", "amount.not_positive", value=value)
        elif value < 0:
            raise rule_error("invalid_amount", "amount.negative", value=value)
        if value > _GENERAL_MAX:  # not negative here: its magnitude
            raise rule_error("invalid_amount", "amount.too_large", most=_GENERAL_MAX, value=value)
        return value

    return check


def _amount(places: int, what: str, *, positive: bool) -> WrapValidator:
    """The validator of an amount field: :func:`_to_decimal`, pydantic's ``Decimal``, then
    :func:`_amount_rules`, in one validator.  A ``Decimal`` whose text shows it passes every
    rule unchanged (plain digits, no sign, at most ``places`` decimals, at most 10 whole digits,
    and above zero when ``positive``) is returned at once: most amounts of a document, for one
    call instead of three steps.  So is an ``int`` in that range, as pydantic's ``Decimal`` of
    it.  Everything else goes through the three steps, with their values and errors."""
    rules = _amount_rules(places, what, positive=positive)

    def validate(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if type(value) is Decimal:
            text = str(value)
            dot = text.find(".")
            if (
                (len(text) <= 10 if dot < 0 else dot <= 10 and len(text) - dot - 1 <= places)
                # Plain digits: str() writes a sign, an exponent, "NaN" or "Infinity" otherwise.
                and text[0] in _DIGITS
                and "E" not in text
                and "e" not in text
                and (value or not positive)
            ):
                return value
        elif type(value) is int and (value > 0 if positive else value >= 0) and value < _TEN_DIGITS:
            return handler(value)  # pydantic's Decimal of it, which the rules keep as it is
        return rules(handler(_to_decimal(value)))

    return WrapValidator(validate)


_DIGITS = frozenset("0123456789")
_TEN_DIGITS = 10**10

Money = Annotated[Decimal, _amount(2, "amount", positive=False)]
"""A non-negative amount with at most 2 decimal places (Siigo: ``invalid_amount``)."""

Amount = Annotated[Decimal, _amount(2, "amount", positive=True)]
"""A positive amount with at most 2 decimal places."""

Price = Annotated[Decimal, _amount(6, "price", positive=False)]
"""A non-negative unit price with at most 6 decimal places."""

Quantity = Annotated[Decimal, _amount(2, "quantity", positive=True)]
"""A positive quantity with at most 2 decimal places."""


# --- dates -------------------------------------------------------------------------------------

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_date_param(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        if not _DATE_RE.match(value):
            raise rule_error("invalid_date", "date.format", value=repr(value))
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise rule_error("invalid_date", "date.not_a_day", value=repr(value)) from None
    raise rule_error("invalid_date", "date.type", value=repr(value))


DateParam = Annotated[
    _dt.date,
    BeforeValidator(_parse_date_param),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
]
"""A date in a request body: ``datetime.date`` or ``'yyyy-MM-dd'``; sent as ``'yyyy-MM-dd'``."""


def _lenient_timestamp(value: Any) -> Any:
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "null")):
        return None
    return value


Timestamp = Annotated[
    # Tried in this order, in pydantic's core: null, then a timestamp; only what both refuse
    # (``""``, ``"null"``) reaches the Python function.
    None | _dt.datetime | Annotated[None, BeforeValidator(_lenient_timestamp)],  # noqa: RUF036
    Field(union_mode="left_to_right"),
]
"""A response timestamp: ISO 8601 with or without zone, 7-digit fractions, ``null`` or ``"null"``."""


# --- turning pydantic errors into Siigo errors -------------------------------------------------

_PYDANTIC_TO_SIIGO: Mapping[str, str] = {
    "missing": "parameter_required",
    "extra_forbidden": "invalid_parameter",
    "string_too_long": "length_max",
    "string_too_short": "length_min",
    "too_long": "invalid_array",
    "too_short": "invalid_array",
    "literal_error": "invalid_value",
    "enum": "invalid_value",
    "string_pattern_mismatch": "invalid_value",
    "greater_than": "invalid_value",
    "greater_than_equal": "invalid_value",
    "less_than": "invalid_value",
    "less_than_equal": "invalid_value",
    "date_from_datetime_parsing": "invalid_date",
    "date_parsing": "invalid_date",
    "date_type": "invalid_date",
}


SIIGO_ERROR_CODES = frozenset(
    [
        "already_exists",
        "disabled_functionality",
        "company_settings",
        "customer_settings",
        "delete_not_allowed",
        "blocked_transactions",
        "documents_service",
        "document_settings",
        "duplicated_document",
        "header_required",
        "invalid_array",
        "invalid_amount",
        "invalid_code",
        "invalid_cost_center",
        "invalid_currency",
        "invalid_date",
        "invalid_description",
        "invalid_document",
        "invalid_email",
        "invalid_identification",
        "invalid_idempotency_key",
        "invalid_name",
        "invalid_payment",
        "invalid_partner_id",
        "payment_types_service",
        "invalid_range",
        "invalid_reference",
        "invalid_total_payments",
        "invalid_retentions",
        "invalid_type",
        "invalid_url",
        "update_not_allowed",
        "invalid_value",
        "length_max",
        "length_min",
        "not_found",
        "parameter_empty",
        "parameter_inactive",
        "parameter_required",
        "parameters_exclusive",
        "invalid_plan_type",
        "invalid_account",
        "product_settings",
        "requests_limit",
        "unauthorized",
        "unhandled_error",
        "request_timeout",
        "service_unavailable",
        "warehouse_settings",
        "invalid_balance",
        "values_limit",
        "invalid_date_range",
        "date_settings",
        "parameter_not_allowed",
        "non_editable",
        "entry_service",
        "general_service",
        "invalid_parameter",
    ]
)
"""Siigo's error codes (siigo-api.md E.3), plus ``invalid_parameter`` for unknown fields."""


def _loc_to_path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item.startswith(("function-", "union[", "tagged-union[")) or item in ("str", "int"):
            continue
        else:
            parts.append(("." if parts else "") + item)
    return "".join(parts)


def siigo_errors_from(exc: pydantic.ValidationError) -> list[ErrorDetail]:
    """Translate a pydantic error into Siigo-coded error details (one per problem)."""
    details: list[ErrorDetail] = []
    for err in exc.errors(include_url=False, include_input=False):
        etype = err["type"]
        # Our own rules use the Siigo code as the error type; pydantic's own types are mapped.
        code = etype if etype in SIIGO_ERROR_CODES else _PYDANTIC_TO_SIIGO.get(etype, "invalid_type")
        path = _loc_to_path(tuple(err["loc"]))
        text = _problem_text(err, path)
        details.append(
            ErrorDetail(code=code, message=text.render("en"), params=(path,) if path else (), refusal=text)
        )
    return details


def _problem_text(err: Any, path: str) -> Refusal:
    """The message of one pydantic problem: our rule's own (its ``refusal``), or pydantic's
    English with a Spanish text for its most common types (``pydantic.<type>`` in the catalog)."""
    etype = err["type"]
    ctx = err.get("ctx") or {}
    if etype == "missing":
        return refusal("field.required", path=path)
    if etype == "extra_forbidden":
        return refusal("field.unknown", path=path)
    problem: Refusal | Term | None = ctx.get("refusal") if isinstance(ctx.get("refusal"), Refusal) else None
    if problem is None:
        key = f"pydantic.{etype}"
        shown = {name: _shown_ctx(value) for name, value in ctx.items()}
        try:
            spanish = refusal(key, **shown).render("es") if key in REFUSALS else None
        except (KeyError, IndexError, ValueError):
            spanish = None
        if spanish is None:
            spanish = refusal("pydantic.other", message=err["msg"]).render("es")
        problem = Term(err["msg"], spanish)
    return (
        refusal("field.problem", path=path, problem=problem)
        if path
        else refusal("field.bare", problem=problem)
    )


def _shown_ctx(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def build(model: type[M], data: M | Mapping[str, Any]) -> M:
    """Validate ``data`` (a model instance or a plain dict with wire names) as ``model``.

    Raises :class:`siigo.errors.ValidationError` with Siigo's error codes and a message that
    lists every problem.
    """
    if isinstance(data, BaseModel) and not isinstance(data, model):
        data = data.model_dump(by_alias=True, exclude_none=True)
    if not isinstance(data, (Mapping, model)):
        raise refuse("invalid_type", "model.not_an_object", subject=model.__name__, type=type(data).__name__)
    try:
        return model.model_validate(data)  # a RequestModel raises ValidationError itself
    except pydantic.ValidationError as exc:
        raise validation_error(model.__name__, exc) from None


def validation_error(what: str, exc: pydantic.ValidationError) -> ValidationError:
    return refused(what, siigo_errors_from(exc))


def refused(what: str, details: Sequence[ErrorDetail]) -> ValidationError:
    """The local rejection of ``what``, listing every problem with its Siigo code."""
    return ValidationError(summary(what, details), details, subject=what)
