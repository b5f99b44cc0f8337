"""The machinery every document resource shares, configured by its kind (:mod:`siigo.kinds`).

:class:`DocumentResource` gives a kind's resource idempotent creation (an ``Idempotency-Key``
generated once per call, reused by every retry, attached to every error the call raises),
retrieve, list with auto-pagination, update, delete, annul, PDF/XML, e-mail, DIAN stamp errors
and waiting for DIAN's answer, plus the preflight: the body checked against the cached catalogs
by :func:`siigo.rules.check_document` under the caller's ``reading``.  A kind's resource
(:mod:`siigo.resources.credit_notes`, :mod:`siigo.resources.quotations`) is typed wrappers over
these protected methods.

Call options are keyword-only and never wire fields: ``preflight``, ``idempotency_key``,
``reading`` (see :func:`reading_pins`).
"""

from __future__ import annotations

import dataclasses
import time
import types
import typing
import uuid
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Generic, Protocol, TypeVar

import requests
from pydantic import BaseModel

from .. import _json
from .._checks import seconds_setting
from .._patterns import IDEMPOTENCY_KEY
from .._refusals import Refusal, detail, refuse
from ..errors import (
    APIError,
    APITimeoutError,
    BadRequestError,
    ErrorDetail,
    NotFoundError,
    SiigoError,
    ValidationError,
)
from ..kinds import KINDS, Kind
from ..models._base import RequestModel, build, refused
from ..models.catalogs import DocumentType, PaymentType, Tax
from ..models.common import DeleteResult
from ..models.documents import (
    AnnulResult,
    DocumentFile,
    MailParams,
    MailResult,
    ReadBackWarning,
    StampErrors,
    StampResult,
    looks_read,
    request_fields,
)
from ..pagination import Page
from ..rules import check_document, undocumented_parts
from ..totals import READING_SETTINGS, DocumentTotals, Reading, ReadingPins, format_amount
from ._base import DateFilter, RequestTimeout, Resource, call_timeout, guid_path, plain, query, shown

__all__ = [
    "FINAL_STAMP_STATUSES",
    "CatalogSource",
    "DocumentCheck",
    "DocumentResource",
    "ReadingArg",
    "check_key",
    "merge_body",
    "new_idempotency_key",
    "reading_of",
    "reading_pins",
]

D = TypeVar("D", bound=BaseModel)
P = TypeVar("P", bound=RequestModel)

FINAL_STAMP_STATUSES = frozenset({"Accepted", "Rejected"})
"""DIAN answers that end a wait for the stamp."""

_LONGEST_SLEEP = 3600.0

ReadingArg = Reading | ReadingPins | Mapping[str, str | None] | None
"""The ``reading=`` of a call that computes or checks totals: a :class:`~siigo.totals.Reading`
(every setting pinned), a dict pinning some settings (``{"rounding": "half_even"}``; a setting
left out or ``None`` stays open), or ``None`` (every setting open)."""


@dataclass(frozen=True)
class DocumentCheck:
    """What :meth:`DocumentResource.check` found in a draft document, nothing sent.

    ``totals`` are Siigo's totals of the draft (``None`` when they cannot be computed: a
    structural problem, an unknown tax); ``problems`` every reason Siigo would refuse it, each with
    Siigo's error code, in the client's language; ``payments_total`` what the draft's payments add
    up to; ``takes_payments`` whether the kind has payments at all (a quotation has none).
    """

    totals: DocumentTotals | None
    problems: list[ErrorDetail] = field(default_factory=list)
    payments_total: Decimal = Decimal(0)
    takes_payments: bool = True

    @property
    def ok(self) -> bool:
        """True when Siigo would accept the document (as far as the local rules can tell)."""
        return not self.problems


def _draft_model(hint: Any) -> type[RequestModel] | None:
    """The request model with totals (``line_inputs``) named in a type hint, if any."""
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        for arg in typing.get_args(hint):
            found = _draft_model(arg)
            if found is not None:
                return found
        return None
    if isinstance(hint, type) and issubclass(hint, RequestModel) and hasattr(hint, "line_inputs"):
        return hint
    return None


class CatalogSource(Protocol):
    """What the document resources read of the company's catalogs (a
    :class:`~siigo._catalogs.CatalogCache` is one)."""

    def taxes(self) -> dict[int, Tax]: ...
    def document_types(self, type: str = ...) -> dict[int, DocumentType]: ...
    def payment_types(self, document_type: str = ...) -> dict[int, PaymentType]: ...


def new_idempotency_key() -> str:
    """A fresh ``Idempotency-Key``: 30 lowercase hex characters (Siigo allows 1-30 letters and
    digits; a UUID with hyphens is refused)."""
    return uuid.uuid4().hex[:30]


def check_key(key: object) -> str:
    """The caller's ``Idempotency-Key`` (checked) or a new one."""
    if key is None:
        return new_idempotency_key()
    if not isinstance(key, str) or not IDEMPOTENCY_KEY.fullmatch(key):
        raise refuse(
            "invalid_idempotency_key",
            "resources.idempotency_key",
            "Idempotency-Key",
            idempotency_key=key if isinstance(key, str) else None,
            value=shown(key),
        )
    return key


def reading_pins(reading: object, what: str, *, complete: bool = False) -> ReadingPins:
    """``reading`` as the pins of :mod:`siigo.totals`; a :class:`ValidationError`
    (``invalid_value``) for an unknown setting or value.  ``complete`` fills the settings left
    open with their defaults (for a call that computes one answer)."""
    if reading is None:
        pins: dict[str, object] = {}
    elif isinstance(reading, Reading):
        pins = dict(reading._asdict())
    elif isinstance(reading, Mapping):
        pins = dict(reading)
    else:
        raise refuse("invalid_type", "resources.reading_type", "reading", subject=what, value=shown(reading))
    problems: list[ErrorDetail] = []
    for name, value in pins.items():
        allowed = READING_SETTINGS.get(name) if isinstance(name, str) else None
        if allowed is None:
            known = ", ".join(READING_SETTINGS)
            problems.append(
                detail("invalid_value", "resources.reading_setting", "reading", name=shown(name), known=known)
            )
        elif value is not None and value not in allowed:
            choices = " / ".join(repr(a) for a in allowed)
            problems.append(
                detail(
                    "invalid_value",
                    "resources.reading_value",
                    name,
                    name=name,
                    choices=choices,
                    value=shown(value),
                )
            )
    if problems:
        raise refused(what, problems)
    result: dict[str, object] = {name: pins.get(name) for name in READING_SETTINGS}
    if complete:
        result = {name: value or READING_SETTINGS[name][0] for name, value in result.items()}
    return result  # type: ignore[return-value]


def reading_of(pins: ReadingPins) -> Reading:
    """The one reading of complete ``pins`` (:func:`reading_pins` with ``complete=True``)."""
    return Reading(**{name: value for name, value in pins.items() if value is not None})  # type: ignore[arg-type]


def merge_body(params: object, fields: Mapping[str, Any], what: str) -> Any:
    """``params`` (a model or a dict) with the keyword ``fields`` on top, as plain wire dicts; a
    model alone is kept as it is."""
    if params is None:
        return plain(fields, what, dump_models=True)
    if isinstance(params, BaseModel):
        if not fields:
            return params
        base: dict[str, Any] = params.model_dump(by_alias=True, exclude_none=True)
    elif isinstance(params, Mapping):
        base = dict(params)
    else:
        raise refuse("invalid_type", "resources.not_a_model_body", subject=what, type=type(params).__name__)
    base.update(fields)
    return plain(base, what, dump_models=True)


def _seconds(name: str, value: object, *, zero: bool) -> float:
    def refused_seconds(text: Refusal) -> ValidationError:
        problem = ErrorDetail("invalid_value", text.render("en"), (name,), refusal=text)
        return ValidationError(problem.message, [problem], refusal=text)

    return seconds_setting(name, value, zero=zero, refuse=refused_seconds)


def _sleep(seconds: float) -> None:
    while seconds > 0:
        step = min(seconds, _LONGEST_SLEEP)
        time.sleep(step)
        seconds -= step


class DocumentResource(Resource, Generic[D]):
    """Base of a document kind's resource: ``kind`` and ``model`` (the response model) configure
    it; ``file_model`` reads its PDF/XML answers."""

    kind: Kind
    model: type[D]
    file_model: type[DocumentFile] = DocumentFile
    create_model: ClassVar[type[RequestModel] | None] = None
    """The body of ``create`` when it has totals; found in ``create``'s signature when not set."""

    new_idempotency_key = staticmethod(new_idempotency_key)

    # -- catalogs and preflight -----------------------------------------------------------------

    @property
    def _catalogs(self) -> CatalogSource:
        catalogs: CatalogSource = self._client.catalog_cache
        return catalogs

    def _document_type(self, what: str, document_id: int) -> DocumentType:
        """The cached document type ``document_id``: one of this kind, else (so that the rules
        answer ``invalid_document``, as Siigo does) one of another kind; ``invalid_reference``
        when the company has none."""
        cache = self._catalogs
        found = cache.document_types(self.kind.code).get(document_id)
        if found is not None:
            return found
        for code in KINDS:
            if code == self.kind.code:
                continue
            try:
                other = cache.document_types(code).get(document_id)
            except NotFoundError:
                continue  # a kind this company cannot list: it holds no such id for us
            if other is not None:
                return other
        problem = detail(
            "invalid_reference",
            "resources.document_type_unknown",
            "document.id",
            id=document_id,
            code=self.kind.code,
        )
        raise refused(what, [problem])

    @classmethod
    def draft_model(cls) -> type[RequestModel] | None:
        """The request model :meth:`check` validates: :attr:`create_model`, else the model of
        ``create``'s body when it has lines and totals; ``None`` for a kind without totals."""
        if cls.create_model is not None:
            return cls.create_model
        create = getattr(cls, "create", None)
        if create is None:
            return None
        try:
            hints = typing.get_type_hints(create)
        except Exception:
            return None
        for name, hint in hints.items():
            found = _draft_model(hint) if name != "return" else None
            if found is not None:
                return found
        return None

    def check(self, params: object = None, /, *, reading: ReadingArg = None, **fields: Any) -> DocumentCheck:
        """Check a draft document as :meth:`create` would, without sending it: its structure,
        the company's catalogs (cached) and Siigo's totals against its payments.

        Never raises for the document's own problems: they are in the answer's ``problems``
        (in the client's language), next to the totals.  Raises :class:`ValueError` for a kind
        without totals, :class:`~siigo.errors.ValidationError` for a bad ``reading`` and the
        API's errors when a catalog cannot be read.
        """
        model = self.draft_model()
        if model is None:
            raise ValueError(f"{type(self).__name__} has no document with totals to check")
        pins = reading_pins(reading, model.__name__)
        takes_payments = self.kind.payment_document_type is not None
        language = self._client.language
        try:
            body = self._build(model, params, fields)
        except ValidationError as exc:
            problems = [d.in_language(language) for d in exc.errors]
            return DocumentCheck(None, problems, takes_payments=takes_payments)
        paid = sum((p.value for p in getattr(body, "payments", None) or ()), Decimal(0))
        try:
            totals, errors = self._checked(body, pins)
        except ValidationError as exc:
            totals, errors = None, exc.errors
        problems = [d.in_language(language) for d in errors]
        if totals is not None and totals.undocumented:
            totals = dataclasses.replace(totals, undocumented=undocumented_parts(body, language))
        return DocumentCheck(totals, problems, payments_total=paid, takes_payments=takes_payments)

    def _check(self, body: Any, **arguments: Any) -> tuple[DocumentTotals | None, list[ErrorDetail]]:
        """The kind's catalog rules and totals (:func:`siigo.rules.check_document`)."""
        return check_document(body, **arguments)

    def _own_rules(self, body: Any) -> list[ErrorDetail]:
        """What the kind checks beyond the shared rules (none by default)."""
        return []

    def _preflight(self, body: Any, pins: ReadingPins) -> DocumentTotals | None:
        """Check ``body`` against the cached catalogs and the payments against the reading
        (pinned settings fixed, any value of the others); raise ValidationError listing every
        problem (nothing is sent)."""
        totals, errors = self._checked(body, pins)
        if errors:
            raise refused(type(body).__name__, errors)
        return totals

    def _checked(self, body: Any, pins: ReadingPins) -> tuple[DocumentTotals | None, list[ErrorDetail]]:
        """The totals of ``body`` and every problem the catalogs and the kind's rules find (a
        :class:`ValidationError` when its document type does not exist)."""
        cache = self._catalogs
        document_type = self._document_type(type(body).__name__, body.document.id)
        payment_kind = self.kind.payment_document_type
        totals, errors = self._check(
            body,
            kind=self.kind,
            document_type=document_type,
            taxes=cache.taxes(),
            payment_types=cache.payment_types(payment_kind) if payment_kind else {},
            **pins,
        )
        return totals, errors + self._own_rules(body)

    def _build(self, model: type[P], params: object, fields: Mapping[str, Any]) -> P:
        """The body: ``params`` with ``fields`` on top.  A document read from Siigo (its model
        or its JSON) is accepted: what Siigo only returns is dropped and expanded references
        become ids, with a :class:`~siigo.models.documents.ReadBackWarning` saying what changed."""
        data: object = params
        if isinstance(params, BaseModel) and not isinstance(params, RequestModel):
            data = params.model_dump(by_alias=True, exclude_none=True)
        if isinstance(data, Mapping) and looks_read(data):
            document_type = self._document_type_of(data)
            data, notes = request_fields(
                data,
                discount_type=document_type.discount_type if document_type else None,
                automatic_number=document_type.automatic_number if document_type else None,
            )
            warnings.warn(
                f"{model.__name__}: a {self.kind.name} read from Siigo was passed back: " + "; ".join(notes),
                ReadBackWarning,
                stacklevel=4,
            )
        body: P = build(model, merge_body(data, fields, model.__name__))
        return body

    def _document_type_of(self, data: Mapping[str, Any]) -> DocumentType | None:
        """The type of the read document (``None`` when it cannot be told)."""
        document = data.get("document")
        document_id = document.get("id") if isinstance(document, Mapping) else None
        if not isinstance(document_id, int):
            return None
        try:
            found = self._catalogs.document_types(self.kind.code).get(document_id)
        except SiigoError:
            return None
        return found

    # -- the calls ------------------------------------------------------------------------------

    def _create_document(
        self,
        model: type[P],
        params: object,
        fields: Mapping[str, Any],
        *,
        preflight: bool,
        reading: object,
        idempotency_key: str | None = None,
        timeout: RequestTimeout = None,
    ) -> D:
        """``POST`` a new document; for an idempotent kind under one ``Idempotency-Key`` that
        every error raised carries."""
        key = check_key(idempotency_key) if self.kind.idempotent else None
        try:
            response = self._post(
                model, params, fields, preflight=preflight, reading=reading, key=key, timeout=timeout
            )
            return self._parse(self.model, response.content, "POST", self.kind.path, response.status_code)
        except SiigoError as exc:
            if key is not None:
                exc.idempotency_key = key
            raise

    def _post(
        self,
        model: type[P],
        params: object,
        fields: Mapping[str, Any],
        *,
        preflight: bool,
        reading: object,
        key: str | None,
        timeout: RequestTimeout = None,
    ) -> requests.Response:
        body: P | None = None
        try:
            pins = reading_pins(reading, model.__name__)
            per_call = call_timeout(timeout)
            body = self._build(model, params, fields)
            if preflight:
                self._preflight(body, pins)
            response: requests.Response = self._transport.request(
                "POST",
                self.kind.path,
                params=self._create_query(body),
                body=_json.dumps(body.to_wire()),
                idempotency_key=key,
                timeout=per_call,
            )
            return response
        except BadRequestError as exc:
            if body is not None:
                _name_payments(exc, body)
            raise

    def _create_query(self, body: P) -> dict[str, str] | None:
        """The query string of a ``POST`` creating ``body`` (none unless a kind needs one)."""
        return None

    def _retrieve(self, id: str, *, timeout: RequestTimeout = None) -> D:
        return self._get(self.kind.item_path(guid_path(id)), self.model, timeout=timeout)

    def _list_documents(
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
    ) -> Page[D]:
        params = query(
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
        )
        return self._list(self.kind.path, self.model, params, timeout=timeout)

    def _update_document(
        self,
        id: str,
        model: type[P],
        params: object,
        fields: Mapping[str, Any],
        *,
        preflight: bool,
        reading: object,
        timeout: RequestTimeout = None,
    ) -> D:
        path = self.kind.item_path(guid_path(id))
        pins = reading_pins(reading, model.__name__)
        call_timeout(timeout)  # a bad timeout is refused before the preflight reads catalogs
        body = self._build(model, params, fields)
        if preflight:
            self._preflight(body, pins)
        try:
            return self._send("PUT", path, self.model, _json.dumps(body.to_wire()), timeout=timeout)
        except BadRequestError as exc:
            _name_payments(exc, body)
            raise

    def _delete(self, id: str, *, timeout: RequestTimeout = None) -> DeleteResult:
        return self._send("DELETE", self.kind.item_path(guid_path(id)), DeleteResult, timeout=timeout)

    def _annul(self, id: str, *, timeout: RequestTimeout = None) -> AnnulResult:
        return self._send("POST", f"{self.kind.item_path(guid_path(id))}/annul", AnnulResult, timeout=timeout)

    def _file(self, id: str, which: str, *, timeout: RequestTimeout = None) -> bytes:
        path = f"{self.kind.item_path(guid_path(id))}/{which}"
        encoded = self._get(path, self.file_model, timeout=timeout)
        try:
            return encoded.content()
        except ValueError as exc:
            raise APIError(f"GET {path}: {exc}", status=200, method="GET", path=path) from None

    def _send_email(
        self, id: str, mail_to: str, copy_to: str | Sequence[str] | None, *, timeout: RequestTimeout = None
    ) -> MailResult:
        path = f"{self.kind.item_path(guid_path(id))}/mail"
        fields: dict[str, Any] = {"mail_to": mail_to}
        if copy_to is not None:
            many = isinstance(copy_to, Iterable) and not isinstance(copy_to, (str, bytes, Mapping))
            fields["copy_to"] = plain(list(copy_to), "copy_to") if many else copy_to
        call_timeout(timeout)
        return self._send("POST", path, MailResult, self._body(MailParams, fields), timeout=timeout)

    def _stamp(self, id: str, *, timeout: RequestTimeout = None) -> StampResult:
        """``POST /v1/<kind>/{id}/stamp``: send the document to DIAN (and mail it).

        No ``Idempotency-Key`` and not retried once the request could have reached Siigo: Siigo
        does not say what a second send does (the sandbox answers the stamp it already has), so
        after a timeout read the document (or :meth:`_wait_for_stamp`) before sending again."""
        path = f"{self.kind.item_path(guid_path(id))}/stamp"
        return self._send("POST", path, StampResult, timeout=timeout)

    def _stamp_errors(self, id: str, *, timeout: RequestTimeout = None) -> StampErrors:
        return self._get(f"{self.kind.item_path(guid_path(id))}/stamp/errors", StampErrors, timeout=timeout)

    def _wait_for_stamp(
        self, id: str, *, timeout: float, interval: float, request_timeout: RequestTimeout = None
    ) -> D:
        guid_path(id)
        call_timeout(request_timeout)
        wait = _seconds("timeout", timeout, zero=True)
        every = _seconds("interval", interval, zero=False)
        deadline = time.monotonic() + wait
        while True:
            document = self._retrieve(id, timeout=request_timeout)
            stamp = getattr(document, "stamp", None)
            status = stamp.status if stamp is not None else None
            if status in FINAL_STAMP_STATUSES:
                return document
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                name = getattr(document, "name", None) or id
                raise APITimeoutError(
                    f"{self.kind.name} {name} has no DIAN answer after {wait:g} s (stamp status "
                    f"{status or 'missing'}); documents created without stamp.send, or of a "
                    "non-electronic document type, stay Draft",
                    method="GET",
                    path=self.kind.item_path(id),
                )
            _sleep(min(every, remaining))


def _name_payments(exc: BadRequestError, body: Any) -> None:
    """Siigo's ``invalid_total_payments`` names its total; add what the payments added up to."""
    total = getattr(body, "payments_total", None)
    if (
        total is not None
        and "invalid_total_payments" in exc.codes
        and "payments add up to" not in exc.message
    ):
        exc.message += f" (the payments sent add up to {format_amount(total())})"
        exc.args = (exc.message,)
