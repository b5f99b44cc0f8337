"""What every resource shares: path ids, query strings, input bounds and response parsing."""

from __future__ import annotations

import datetime as _dt
import functools
import inspect
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar
from urllib.parse import quote

import pydantic
import requests
from pydantic import BaseModel

from .. import _json
from .._checks import shown
from .._config import coerce_timeout, reads_ahead
from .._patterns import GUID, SANDBOX_HEADER
from .._refusals import refuse
from .._transport import NotNow, Timeout, act_for
from ..errors import APIConnectionError, APIError, ConfigurationError, ErrorDetail, ValidationError
from ..models._base import RequestModel, build
from ..models.common import MoneyInput
from ..pagination import Catalog, Envelope, Page, RawEnvelope, Reader

if TYPE_CHECKING:
    from .._transport import Transport
    from ..client import Client

__all__ = [
    "MAX_NESTING",
    "DateFilter",
    "MoneyInput",
    "PageFactory",
    "RequestTimeout",
    "Resource",
    "bad_filter",
    "body_source",
    "date_filter",
    "guid_list",
    "guid_path",
    "int_path",
    "load_json",
    "plain",
    "plain_json",
    "query",
    "shown",
]

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R", bound=RequestModel)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", re.ASCII)
_INT64 = 2**63 - 1

MAX_NESTING = 32
"""How deep a request body may nest (Siigo's deepest body has 5 levels)."""


def _bad_value(what: str, message_id: str, **args: Any) -> ValidationError:
    return refuse("invalid_value", message_id, what, what=what, **args)


def guid_path(value: object, what: str = "id") -> str:
    """A document id, checked to be a GUID and quoted for the path.

    Raises :class:`~siigo.errors.ValidationError` (a ``ValueError``) for anything else.
    """
    if not isinstance(value, str) or not GUID.fullmatch(value):
        raise _bad_value(what, "resources.not_a_guid", value=shown(value))
    return quote(value, safe="")


def int_path(value: object, what: str = "id") -> str:
    """A catalog id, checked to be a non-negative integer.

    Raises :class:`~siigo.errors.ValidationError` (a ``ValueError``) for anything else.
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _INT64:
        raise _bad_value(what, "resources.not_an_int_id", value=shown(value))
    return str(int(value))


DateFilter = _dt.date | _dt.datetime | str
"""A date filter: a ``date``, a ``datetime`` (sent in UTC), ``'yyyy-MM-dd'`` or ``'yyyy-MM-ddTHH:mm:ssZ'``."""


RequestTimeout = float | Timeout | tuple[float, float] | None
"""A per-call ``timeout=``: the same forms as the client's ``timeout`` (seconds to read, a
``(connect, read)`` pair or a :class:`~siigo.Timeout`); ``None`` keeps the client's."""


def call_timeout(value: RequestTimeout) -> Timeout | None:
    """The transport timeout of one call (``None``: the client's own); a value the client's
    ``timeout`` would not take is refused with a :class:`ValidationError` (nothing is sent)."""
    if value is None:
        return None
    try:
        return coerce_timeout(value)
    except ConfigurationError as exc:
        if exc.refusal is None:
            raise refuse("invalid_value", "resources.bad_timeout", "timeout", reason=exc.message) from None
        problem = ErrorDetail("invalid_value", exc.message, ("timeout",), refusal=exc.refusal)
        raise ValidationError(exc.message, [problem], refusal=exc.refusal) from None


def _too_deep(what: str) -> ValidationError:
    return refuse("invalid_type", "resources.too_deep", subject=what, most=MAX_NESTING)


def _bad_key(what: str, key: object) -> ValidationError:
    return refuse("invalid_type", "resources.key_not_text", subject=what, key=shown(key))


def plain(value: Any, what: str = "body", *, dump_models: bool = False) -> Any:
    """``value`` copied as plain dicts and lists, refused (a :class:`ValidationError`) when it
    nests deeper than :data:`MAX_NESTING` levels, contains itself or has non-string keys.

    With ``dump_models`` pydantic models (at any depth) become wire dicts, so that they can be
    validated as another model; otherwise they are kept as they are (they are already valid).
    Sets, tuples and iterators become lists; strings, bytes and scalars are kept; any other
    object is kept if it can be printed (validators quote the values they refuse).
    """
    return _plain(value, what, dump_models, 0)


_SCALARS = frozenset({str, bytes, bytearray, int, bool, float, Decimal, _dt.date, _dt.datetime, type(None)})


def _plain(value: Any, what: str, dump_models: bool, depth: int) -> Any:
    if type(value) in _SCALARS:
        return value
    if depth >= MAX_NESTING:
        raise _too_deep(what)
    kind = type(value)
    if kind is dict:
        return _plain_mapping(value, what, dump_models, depth)
    if kind is not list and isinstance(value, BaseModel):
        return value.model_dump(by_alias=True, exclude_none=True) if dump_models else value
    if isinstance(value, Mapping):
        return _plain_mapping(value, what, dump_models, depth)
    if kind is list or isinstance(value, (list, tuple, set, frozenset, Iterator)):
        return [
            item if type(item) in _SCALARS else _plain(item, what, dump_models, depth + 1) for item in value
        ]
    try:
        repr(value)  # validators quote what they refuse: a value must be printable
    except Exception:
        raise refuse(
            "invalid_type", "resources.repr_fails", subject=what, type=type(value).__name__
        ) from None
    return value


def _plain_mapping(value: Mapping[Any, Any], what: str, dump_models: bool, depth: int) -> dict[str, Any]:
    """:func:`_plain` of a mapping at ``depth`` (already checked).  Scalars (most of a body) are
    kept without a call each; a plain list in it (items, payments, taxes) is copied here, and the
    plain dicts in that list go straight to this function."""
    scalars = _SCALARS
    inner = depth + 2
    copied: dict[str, Any] = {}
    for key, item in value.items():
        if type(key) is not str and not isinstance(key, str):
            raise _bad_key(what, key)
        part = type(item)
        if part in scalars:
            copied[key] = item
        elif part is list and inner < MAX_NESTING:
            copied[key] = [
                _plain_mapping(entry, what, dump_models, inner)
                if type(entry) is dict
                else entry
                if type(entry) in scalars
                else _plain(entry, what, dump_models, inner)
                for entry in item
            ]
        else:
            copied[key] = _plain(item, what, dump_models, depth + 1)
    return copied


def body_source(args: tuple[Any, ...], fields: dict[str, Any], what: str) -> Any:
    """The body of a create/update call: one params object (a model or a dict), keyword fields,
    or a params object with keyword fields that replace its fields.

    A dict is copied through :func:`plain` (bounded nesting); a model alone is returned as it is.
    """
    if len(args) > 1:
        raise TypeError(f"{what} takes one positional params object, got {len(args)} positional arguments")
    if args:
        if not fields:
            return plain(args[0], what)
        base = args[0]
        if isinstance(base, BaseModel):
            base = base.model_dump(by_alias=True, exclude_none=True)
        if not isinstance(base, Mapping):
            raise refuse("invalid_type", "resources.not_a_body", subject=what, type=type(base).__name__)
        return plain({**base, **fields}, what, dump_models=True)
    return plain(fields, what)


def _bad_date(name: str, value: object) -> ValidationError:
    return refuse("invalid_date", "resources.bad_date_filter", name, name=name, value=shown(value))


def date_filter(name: str, value: object) -> str:
    """Format a date filter as Siigo documents it (a ``datetime`` is sent in UTC)."""
    if isinstance(value, _dt.datetime):
        try:
            if value.tzinfo is not None:
                value = value.astimezone(_dt.timezone.utc)
        except (OverflowError, ValueError, TypeError, ArithmeticError):
            raise _bad_date(name, value) from None
        return (
            f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
            f"T{value.hour:02d}:{value.minute:02d}:{value.second:02d}Z"
        )
    if isinstance(value, _dt.date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, str):
        try:
            if _DATE.fullmatch(value):
                _dt.date.fromisoformat(value)
                return value
            if _DATETIME.fullmatch(value):
                _dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
                return value
        except ValueError:
            pass
    raise _bad_date(name, value)


def bad_filter(name: str, message_id: str, /, **args: Any) -> ValidationError:
    """The refusal of filter ``name``: ``invalid_value`` with the message ``message_id``."""
    return refuse("invalid_value", message_id, name, subject=name, **args)


def query(**filters: object) -> dict[str, str]:
    """Build a query string: ``None`` dropped, dates formatted, booleans as true/false."""
    params: dict[str, str] = {}
    for name, value in filters.items():
        if value is None:
            continue
        if name.endswith(("_start", "_end")):
            params[name] = date_filter(name, value)
        elif isinstance(value, bool):
            params[name] = "true" if value else "false"
        elif isinstance(value, int):
            if name in ("page", "page_size") and value < 1:
                raise bad_filter(name, "resources.filter_at_least_1", value=shown(value))
            if not -_INT64 <= value <= _INT64:
                raise bad_filter(name, "resources.filter_64_bits", value=shown(value))
            params[name] = str(int(value))
        elif isinstance(value, str):
            if not value.strip():
                raise bad_filter(name, "resources.filter_empty")
            params[name] = value
        else:
            raise bad_filter(name, "resources.filter_unsupported", value=shown(value))
    return params


def guid_list(values: object, what: str = "ids", *, most: int = 20) -> str:
    """A list filter of 1 to ``most`` GUIDs, checked and joined with commas."""
    if isinstance(values, str) or not isinstance(values, (list, tuple, set, frozenset)):
        raise bad_filter(what, "resources.guids_not_a_list", value=shown(values))
    items = list(values)
    if not items or len(items) > most:
        raise bad_filter(what, "resources.guids_count", most=most, count=len(items))
    try:
        return ",".join(guid_path(value, what) for value in items)
    except ValidationError as exc:
        raise bad_filter(what, "resources.guid_in_list", problem=exc.refusal or exc.message) from None


# --- answers -----------------------------------------------------------------------------------


def _unreadable(method: str, path: str, status: int, content: bytes, why: str) -> APIError:
    return APIError(
        f"{method} {path}: Siigo's answer {why}",
        status=status,
        method=method,
        path=path,
        body=content[:2000].decode("utf-8", "replace"),
    )


def _decoded(loads: Callable[[bytes], Any], content: bytes, method: str, path: str, status: int) -> Any:
    try:
        return loads(content)
    except _json.NumberOutOfRange as exc:
        raise _unreadable(method, path, status, content, f"has {exc}") from None
    except (ValueError, RecursionError):
        raise _unreadable(method, path, status, content, "is not JSON") from None


def load_json(content: bytes, method: str, path: str, status: int = 200) -> Any:
    """Siigo's answer decoded with every non-integer number as an exact ``Decimal``."""
    return _decoded(_json.loads, content, method, path, status)


def plain_json(response: requests.Response, method: str, path: str) -> Any:
    """Siigo's answer as the standard library decodes it (non-integers as ``float``): what
    siigo-python 0.1 returned.  An answer that is not JSON raises :class:`APIError`."""
    return _decoded(json.loads, response.content, method, path, response.status_code)


log = logging.getLogger("siigo")


class _Answer(NamedTuple):
    content: bytes
    status: int
    data: Any


class _ReadAhead:
    """A following page requested on a thread of its own (``send``), while the walk uses the
    current one; its answer is decoded (``decode``) on the walk's thread, when it is needed.

    The walk goes on once the request has been written (or has failed): the thread then only
    waits for the answer, without the interpreter lock, while the walk builds its models.  A
    request that fails, or finds no place free in the rate limit, is not retried here: when the
    walk needs the answer, ``again`` (on the walk's thread) either raises that failure, when the
    client's policy would not try again after it, or asks for the page itself with that policy
    (retries, a login, the limiter's wait).  The request made ahead, when it was sent, was that
    call's first attempt: ``again`` is given the seconds of the deadline it used and its error,
    so a page that never answers raises after one deadline and as many attempts as without
    reading ahead, with the same error."""

    __slots__ = (
        "_again",
        "_answered",
        "_decode",
        "_decoded",
        "_failure",
        "_response",
        "_thread",
        "_used",
    )

    def __init__(
        self,
        send: Callable[[Callable[[], None]], requests.Response],
        again: Callable[[float, Exception | None], requests.Response],
        decode: Callable[[requests.Response], Any],
    ) -> None:
        self._response: requests.Response | None = None
        self._again = again
        self._decode = decode
        self._decoded: Any = None
        self._answered = False
        self._used = 0.0
        self._failure: Exception | None = None
        caller = threading.get_ident()
        written = threading.Event()

        def run() -> None:
            act_for(caller)  # recorded by client.raw_responses() as the walk's own
            began = time.monotonic()
            try:
                self._response = send(written.set)
            except NotNow:
                log.debug("reading ahead: no place free in the rate limit; the walk will ask itself")
            except Exception as exc:
                if isinstance(exc, (APIError, APIConnectionError)):  # sent, or tried to be
                    self._used, self._failure = time.monotonic() - began, exc
                log.debug("reading ahead: %s; the walk will ask itself", type(exc).__name__)
            finally:
                written.set()

        self._thread = threading.Thread(target=run, name="siigo-read-ahead", daemon=True)
        self._thread.start()
        written.wait()

    def wait(self) -> None:
        self._thread.join()

    def answer(self) -> Any:
        self._thread.join()
        if not self._answered:
            self._answered = True
            response = self._response
            if response is None:
                failure, self._failure = self._failure, None
                response = self._again(self._used, failure)
            self._response = None
            self._decoded = self._decode(response)
        return self._decoded


class PageFactory(Protocol[M]):
    """Builds a :class:`Page` from a parsed envelope (see :meth:`Resource._list`)."""

    def __call__(
        self,
        envelope: Envelope[M],
        fetch: Callable[[int, int | None], Page[M]],
        same_origin: Callable[[str], bool],
    ) -> Page[M]: ...


def _page(
    envelope: Envelope[M], fetch: Callable[[int, int | None], Page[M]], same_origin: Callable[[str], bool]
) -> Page[M]:
    return Page(envelope, fetch=fetch, same_origin=same_origin)


def _in_client_language(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` raising its local refusals and configuration errors in the client's language
    (see :mod:`siigo._refusals`)."""

    @functools.wraps(method)
    def call(self: Resource, /, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (ValidationError, ConfigurationError) as exc:
            language = self._client.language
            if exc.language != language:
                exc._localize(language)
            raise

    return call


class Resource:
    """Base of every ``client.<resource>`` namespace.

    Every public method of a resource raises its local refusals
    (:class:`~siigo.errors.ValidationError`) and configuration errors in the client's
    ``language``: the methods of each subclass are wrapped when the class is made, so a new
    resource needs nothing for it.
    """

    def __init__(self, client: Client) -> None:
        self._client = client

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if (
                not name.startswith("_")
                and inspect.isfunction(value)
                and not inspect.isgeneratorfunction(value)
            ):
                setattr(cls, name, _in_client_language(value))

    @property
    def _transport(self) -> Transport:
        return self._client._transport

    def _validate(self, model: type[M], data: Any, content: bytes, method: str, path: str, status: int) -> M:
        try:
            return model.model_validate(data)
        except pydantic.ValidationError as exc:
            first = exc.errors(include_url=False, include_input=False)[0]["msg"]
            raise _unreadable(
                method,
                path,
                status,
                content,
                f"does not match {model.__name__}: {exc.error_count()} problem(s); first: {first}",
            ) from None

    def _parse(self, model: type[M], content: bytes, method: str, path: str, status: int = 200) -> M:
        """Read an answer as ``model``; amounts are read from the JSON text as exact decimals
        (never through ``float``)."""
        data = load_json(content, method, path, status)
        return self._validate(model, data, content, method, path, status)

    def _parse_array(self, model: type[M], content: bytes, path: str, data: Any = None) -> list[M]:
        if data is None:
            data = load_json(content, "GET", path)
        try:
            return _array_adapter(model).validate_python(data)
        except pydantic.ValidationError as exc:
            first = exc.errors(include_url=False, include_input=False)[0]["msg"]
            raise _unreadable(
                "GET", path, 200, content, f"is not a list of {model.__name__}: {first}"
            ) from None

    def _body(self, model: type[R], data: R | Mapping[str, Any]) -> bytes:
        return _json.dumps(build(model, plain(data, model.__name__)).to_wire())

    def _get(
        self,
        path: str,
        model: type[M],
        params: Mapping[str, str] | None = None,
        *,
        timeout: RequestTimeout = None,
    ) -> M:
        response = self._transport.request("GET", path, params=params, timeout=call_timeout(timeout))
        return self._parse(model, response.content, "GET", path, response.status_code)

    def _get_array(
        self,
        path: str,
        model: type[M],
        params: Mapping[str, str] | None = None,
        *,
        timeout: RequestTimeout = None,
    ) -> Catalog[M]:
        response = self._transport.request("GET", path, params=params, timeout=call_timeout(timeout))
        return Catalog(self._parse_array(model, response.content, path))

    def _list(
        self,
        path: str,
        model: type[M],
        params: Mapping[str, str],
        make_page: PageFactory[M] | None = None,
        *,
        timeout: RequestTimeout = None,
        unwrap: Callable[[Any], Any] | None = None,
    ) -> Page[M]:
        """``GET path`` as the first :class:`Page` of ``model``; the page fetches the next ones
        (with the same ``timeout``).

        ``make_page`` builds each page (default :class:`Page`).  A bare JSON array (some of
        Siigo's documents show one where the API pages) is read as a single page.  ``unwrap``
        turns each decoded answer into the envelope (for an endpoint that wraps it).
        """
        envelope_model = _envelope_model(model)
        build_page: PageFactory[M] = make_page or _page
        base = dict(params)
        transport = self._transport
        per_call = call_timeout(timeout)

        def parse(content: bytes, status: int, data: Any = None) -> Envelope[M]:
            if data is None:
                data = load_json(content, "GET", path, status)
                if unwrap is not None:
                    data = unwrap(data)
            if isinstance(data, list):
                return envelope_model(results=self._parse_array(model, content, path, data))
            return self._validate(envelope_model, data, content, "GET", path, status)

        def query_of(page: int, page_size: int | None) -> dict[str, str]:
            current = dict(base)
            current["page"] = str(page)
            if page_size:
                current["page_size"] = str(page_size)
            return current

        answer_time = [0.0]  # of the last page's answer, from sending to its headers
        from_sandbox = [False]  # the last page's answer came from the sandbox

        def decoded(response: requests.Response) -> _Answer:
            answer_time[0] = response.elapsed.total_seconds()
            from_sandbox[0] = SANDBOX_HEADER in response.headers
            content, status = response.content, response.status_code
            data = load_json(content, "GET", path, status)
            return _Answer(content, status, unwrap(data) if unwrap is not None else data)

        def full(answer: _Answer) -> Page[M]:
            page = build_page(parse(answer.content, answer.status, answer.data), fetch, transport.same_origin)
            page._reader = reader
            return page

        def raw(answer: _Answer) -> Page[Any]:
            data = answer.data
            envelope = self._validate(
                RawEnvelope,
                {"results": data} if isinstance(data, list) else data,
                answer.content,
                "GET",
                path,
                answer.status,
            )
            page = Page(
                envelope,
                fetch=fetch_raw,
                same_origin=transport.same_origin,
                fetch_raw=fetch_raw,
                raw=envelope.results,
            )
            page._reader = reader
            return page

        def get(
            params: dict[str, str], used: float = 0.0, failure: Exception | None = None
        ) -> requests.Response:
            """A page, with the client's policy less what a failed request ahead for it
            (``failure``, after ``used`` seconds) spent: it was the call's first attempt."""
            attempts = 0 if failure is None else 1
            if failure is not None and transport.gives_up(failure, attempts):
                raise failure  # what the walk's own request would have raised, and no more
            return transport.request(
                "GET", path, params=params, timeout=per_call, deadline_used=used, attempts_made=attempts
            )

        def fetch(page: int, page_size: int | None) -> Page[M]:
            return full(decoded(get(query_of(page, page_size))))

        def fetch_raw(page: int, page_size: int | None) -> Page[Any]:
            return raw(decoded(get(query_of(page, page_size))))

        def start(page: int, page_size: int | None) -> _ReadAhead | None:
            if not reads_ahead(setting, transport.base_url, answer_time[0], sandbox=from_sandbox[0]):
                return None
            params = query_of(page, page_size)
            return _ReadAhead(
                lambda sent: transport.request(
                    "GET", path, params=params, timeout=per_call, ahead=True, sent=sent
                ),
                functools.partial(get, params),
                decoded,
            )

        limiter = transport.limiter
        setting = self._client.read_ahead
        ahead = (
            setting is not False
            and (limiter is None or hasattr(limiter, "try_slot"))
            and transport.tells_when_sent()
        )
        reader: Reader[M] | None = Reader(start, raw, full) if ahead else None
        answer = decoded(get(base))
        first = full(answer)
        data = answer.data
        if make_page is None and isinstance(data, (dict, list)):
            # Page.iter_raw(): this page's own dicts, then the following pages without models.
            results = data if isinstance(data, list) else data.get("results")
            if isinstance(results, list) and all(isinstance(row, dict) for row in results):
                first._raw = results
                first._fetch_raw = fetch_raw
        return first

    def _send(
        self,
        method: str,
        path: str,
        model: type[M],
        body: bytes | None = None,
        *,
        idempotency_key: str | None = None,
        timeout: RequestTimeout = None,
    ) -> M:
        response = self._transport.request(
            method, path, body=body, idempotency_key=idempotency_key, timeout=call_timeout(timeout)
        )
        return self._parse(model, response.content, method, path, response.status_code)


@functools.cache
def _envelope_model(model: type[M]) -> type[Envelope[M]]:
    return Envelope[model]  # type: ignore[valid-type]


@functools.cache
def _array_adapter(model: type[M]) -> pydantic.TypeAdapter[list[M]]:
    return pydantic.TypeAdapter(list[model])  # type: ignore[valid-type]
