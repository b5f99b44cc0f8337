"""The Siigo client.

>>> from siigo import Client
>>> client = Client(username="api@empresa.com", access_key="...", partner_id="MiAplicacion")
>>> for product in client.products.list(created_start="2026-01-01"):
...     print(product.code, product.name)
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import requests
from pydantic import SecretStr
from typing_extensions import Self

from ._auth import InMemoryTokenStore, TokenManager, TokenStore, strip_bearer
from ._catalogs import CatalogCache
from ._checks import configuration_error
from ._compat import LegacyMethods
from ._config import (
    DEFAULT_BASE_URL,
    UPDATE_ROUTES,
    UpdateRoute,
    check_base_url,
    check_partner_id,
    check_read_ahead,
    coerce_deadline,
    coerce_max_response_bytes,
    coerce_rate_limit,
    coerce_retry,
    coerce_timeout,
    coerce_ttl,
)
from ._ratelimit import Limiter
from ._refusals import refusal
from ._transport import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_RESPONSE_BYTES,
    DeadlineAdapter,
    RetryPolicy,
    Timeout,
    Transport,
    _Watchdog,
    caller_thread,
    log_from_environment,
)
from .errors import ConfigurationError, SiigoError
from .messages import Language, describe, explain, resolve_language

if TYPE_CHECKING:
    from ._shared import SharedBackend
    from .resources.catalogs import (
        AccountGroups,
        AssetGroups,
        AvailableDocuments,
        CostCenters,
        DocumentTypes,
        Expenses,
        FixedAssets,
        MiscIncomes,
        PaymentTypes,
        PriceLists,
        Taxes,
        Users,
        Warehouses,
    )
    from .resources.credit_notes import CreditNotes
    from .resources.customers import Customers
    from .resources.invoices import Invoices
    from .resources.journals import Journals
    from .resources.products import Products
    from .resources.purchases import Purchases, PurchaseSupportDocuments
    from .resources.quotations import Quotations
    from .resources.receipts import PaymentReceipts, Vouchers
    from .resources.reports import AccountsPayable, Reports
    from .resources.webhooks import Webhooks

__all__ = ["DEFAULT_BASE_URL", "Client", "RawResponse"]


@dataclass(frozen=True)
class RawResponse:
    """One HTTP answer as it came: what :meth:`Client.raw_responses` records."""

    method: str
    url: str
    status_code: int
    headers: Mapping[str, str]
    content: bytes


_UNSET: Any = object()


class Client(LegacyMethods):
    """A connection to one Siigo company.

    Credentials come from the arguments or the environment (``SIIGO_USERNAME``,
    ``SIIGO_ACCESS_KEY``, ``SIIGO_PARTNER_ID``, ``SIIGO_BASE_URL``).  ``token=`` uses an existing
    access token instead of logging in.

    ``webhook_update_route`` is where ``client.webhooks.update`` sends an edit: ``"id"``
    (``PUT /v1/webhooks/{id}``) or ``"collection"`` (``PUT /v1/webhooks``); Siigo's sources
    disagree on it.

    ``rate_limit`` is requests per minute (100 for production companies, 10 for a test
    company); ``None`` switches the client-side limiter off; a :class:`RateLimiter` instance can
    be shared by several clients of the same company.

    ``shared_url`` (or ``SIIGO_SHARED_URL``) shares the token and the rate limit with every other
    process of the same company: ``"redis://host:6379/0"`` (needs ``siigo-python[redis]``), or
    ``"sqlite:///path/siigo.db"`` / a file path for the processes of one host.  Tokens are sealed
    in the store with ``shared_key`` (or ``SIIGO_SHARED_KEY``; by default a key derived from the
    access key).  See ``docs/shared-state.md``.

    ``deadline`` bounds one call in all, in seconds (connecting, sending, the answer's headers
    and body, every retry and its wait; not the client-side rate limiter's wait): 300 by
    default, ``None`` for none; past it the call raises :class:`APITimeoutError`, however slowly
    the server trickles bytes.  ``max_response_bytes`` (64 MiB by default, ``None`` for no
    limit) caps an answer once decompressed: reading stops there with
    :class:`ResponseTooLargeError`.

    ``read_ahead``: a walk over every page (``for item in page``, ``to_list()``,
    ``iter_pages()``, ``iter_raw()``, ``iter_json()``) may request the following page while the
    current one is being read.  ``None`` (the default) does so where it pays: once a page took
    10 ms or more to answer, and never when the API is on loopback or is the sandbox (whose
    answers carry ``X-Siigo-Sandbox: 1``, whatever host name it is reached by), so a test
    suite sees the same requests on any machine; ``True`` always; ``False`` never.  At most one
    page is ahead; it is sent only when the rate limiter has a place free at that moment, with
    one attempt, no retry and no login (on any failure the walk asks for the page itself, with
    what the request ahead left of the deadline and of the retries, and sees its errors).
    A walk left early still waits for that request, so it costs one request more
    than the pages used.  On a ``session=`` of your own, behind a proxy, or with a limiter that
    has no ``try_slot()``, nothing is read ahead.
    """

    def __init__(
        self,
        username: str | None = None,
        access_key: str | None = None,
        partner_id: str | None = None,
        *,
        token: str | None = None,
        email: str | None = None,
        base_url: str | None = None,
        timeout: float | Timeout | tuple[float, float] | None = None,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: int | Limiter | None = 100,
        token_store: TokenStore | None = None,
        session: requests.Session | None = None,
        catalog_ttl: float = 3600.0,
        webhook_update_route: UpdateRoute = "id",
        shared_url: str | None = None,
        shared_key: str | None = None,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        language: str | None = None,
        read_ahead: bool | None = None,
    ) -> None:
        if email is not None:
            if username is not None and username != email:
                raise configuration_error(refusal("config.username_or_email"))
            username = email
        if partner_id is not None and token is None and _looks_like_token(partner_id):
            # siigo-python 0.1 took ``Client(email, access_key, token)``: a JWT cannot be a
            # valid Partner-Id (it has dots), so the third positional argument is read as a token.
            warnings.warn(
                "Client(email, access_key, token) is the siigo-python 0.1 call; use "
                "Client(username, access_key, partner_id, token=...)",
                DeprecationWarning,
                stacklevel=2,
            )
            token, partner_id = partner_id, None

        log_from_environment(os.environ.get("SIIGO_LOG"))
        self.language: Language = resolve_language(language)
        """``"en"`` or ``"es"`` (``language=``, else ``SIIGO_LANG``, else English): the language of
        :meth:`describe`, :meth:`explain` and of the local refusals (:class:`ValidationError`) the
        resources' methods raise."""
        username = (
            _text("username", username) if username is not None else os.environ.get("SIIGO_USERNAME") or None
        )
        access_key = (
            _text("access_key", access_key)
            if access_key is not None
            else os.environ.get("SIIGO_ACCESS_KEY") or None
        )
        partner_id = partner_id if partner_id is not None else os.environ.get("SIIGO_PARTNER_ID") or None
        base_url = base_url if base_url is not None else os.environ.get("SIIGO_BASE_URL") or DEFAULT_BASE_URL
        static_token = _strip_bearer(token) if token is not None else None

        _require_credentials(username, access_key, static_token)
        if partner_id is None:
            raise configuration_error(
                refusal("config.partner_id_missing", rule=refusal("config.partner_id_rule"))
            )

        self.base_url = check_base_url(base_url)
        self.username = username
        self._access_key = SecretStr(access_key) if access_key is not None else None
        self.partner_id = check_partner_id(partner_id) if partner_id is not None else None

        self.timeout = coerce_timeout(timeout)
        self.retry = coerce_retry(retry if retry is not None else RetryPolicy(), max_retries)
        self.deadline = coerce_deadline(deadline)
        self.max_response_bytes = coerce_max_response_bytes(max_response_bytes)
        self.read_ahead = check_read_ahead(read_ahead)
        self._watchdog = _Watchdog()
        shared_url = shared_url if shared_url is not None else os.environ.get("SIIGO_SHARED_URL") or None
        shared_key = shared_key if shared_key is not None else os.environ.get("SIIGO_SHARED_KEY") or None
        self._shared: SharedBackend | None = None
        self._shared_name = ""
        if shared_url is not None:
            if token_store is not None:
                raise configuration_error(refusal("config.store_or_shared"))
            if not username:
                raise configuration_error(refusal("config.shared_needs_username"))
            if shared_key is not None and (not isinstance(shared_key, str) or len(shared_key) < 16):
                raise configuration_error(refusal("config.shared_key"))
            from ._shared import company_key, open_shared  # sqlite3 and friends, when asked for

            self._shared = open_shared(shared_url)
            self._shared_name = company_key(self.base_url, username)
            if access_key:
                token_store = self._shared.token_store(shared_key or access_key)
        self.rate_limiter = self._rate_limiter(rate_limit)
        ttl = coerce_ttl(catalog_ttl)
        if session is not None and not isinstance(session, requests.Session):
            raise configuration_error(refusal("config.session_type", type=type(session).__name__))
        if token_store is not None and not isinstance(token_store, TokenStore):
            raise configuration_error(refusal("config.token_store_methods"))

        if webhook_update_route not in UPDATE_ROUTES:
            raise configuration_error(
                refusal(
                    "config.update_route", routes=", ".join(UPDATE_ROUTES), value=repr(webhook_update_route)
                )
            )
        self.webhook_update_route: UpdateRoute = webhook_update_route
        self._owns_session = session is None
        if session is None:
            session = requests.Session()
            # Connections that a deadline can cut (a user's own session keeps its adapters: there
            # the deadline is checked between reads of the body).
            session.mount("https://", DeadlineAdapter())
            session.mount("http://", DeadlineAdapter())
        self._session = session
        self._token_store: TokenStore = token_store or InMemoryTokenStore()
        login = self._login if (username and access_key) else None
        key = (
            self._shared_name
            if self._shared is not None and access_key
            else TokenManager.key_for(self.base_url, username, static_token or access_key)
        )
        self._tokens = TokenManager(
            key=key,
            login=login,
            store=self._token_store,
            static_token=SecretStr(static_token) if static_token else None,
        )
        self._transport = self._build_transport()
        self.catalog_cache = CatalogCache(self, ttl=ttl)
        """Taxes, document types and payment types, fetched once and kept ``catalog_ttl`` seconds
        (the invoice preflight reads them from here)."""

    def __repr__(self) -> str:
        return (
            f"Client(base_url={self.base_url!r}, username={self.username!r}, partner_id={self.partner_id!r})"
        )

    # -- lifecycle ------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool (only if this client created it)."""
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def with_options(
        self,
        *,
        timeout: float | Timeout | tuple[float, float] | None = None,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: int | Limiter | None = _UNSET,
        partner_id: str | None = None,
        deadline: float | None = _UNSET,
        max_response_bytes: int | None = _UNSET,
        read_ahead: bool | None = _UNSET,
    ) -> Client:
        """A copy with other settings that shares this client's connections and token."""
        clone = Client.__new__(Client)
        clone.__dict__.update(
            {
                k: v
                for k, v in self.__dict__.items()
                if not isinstance(getattr(type(self), k, None), cached_property)
            }
        )
        if timeout is not None:
            clone.timeout = coerce_timeout(timeout)
        clone.retry = coerce_retry(retry if retry is not None else self.retry, max_retries)
        if rate_limit is not _UNSET:
            clone.rate_limiter = clone._rate_limiter(rate_limit)
        if partner_id is not None:
            clone.partner_id = check_partner_id(partner_id)
        if deadline is not _UNSET:
            clone.deadline = coerce_deadline(deadline)
        if max_response_bytes is not _UNSET:
            clone.max_response_bytes = coerce_max_response_bytes(max_response_bytes)
        if read_ahead is not _UNSET:
            clone.read_ahead = check_read_ahead(read_ahead)
        clone._owns_session = False
        clone._transport = clone._build_transport()
        # Same company, same catalogs: share the cached entries, but fetch through the copy.
        clone.catalog_cache = self.catalog_cache.bound_to(clone)
        return clone

    def _rate_limiter(self, rate_limit: int | Limiter | None) -> Limiter | None:
        """A number of requests per minute is kept in the shared store when there is one."""
        if self._shared is not None and isinstance(rate_limit, int) and not isinstance(rate_limit, bool):
            return self._shared.limiter(self._shared_name + ":rate", rate_limit)
        return coerce_rate_limit(rate_limit)

    def _build_transport(self) -> Transport:
        return Transport(
            base_url=self.base_url,
            partner_id=self.partner_id,
            tokens=self._tokens,
            session=self._session,
            timeout=self.timeout,
            retry=self.retry,
            limiter=self.rate_limiter,
            deadline=self.deadline,
            max_response_bytes=self.max_response_bytes,
            secrets=self._own_secrets,
            watchdog=self._watchdog,
        )

    def _own_secrets(self) -> tuple[str, ...]:
        """What a server must not get to echo into an error: the access key."""
        return (self._access_key.get_secret_value(),) if self._access_key is not None else ()

    # -- authentication -------------------------------------------------------------------------

    def _login(self) -> tuple[str, float]:
        assert self.username is not None and self._access_key is not None
        token, expires_in, _ = self._transport.login(self.username, self._access_key.get_secret_value())
        return token, expires_in

    def describe(self, error: SiigoError) -> str:
        """One line about ``error`` in :attr:`language`: its kind, its Siigo code, the field and
        what to fix (see :mod:`siigo.messages`)."""
        return describe(error, self.language)

    def explain(self, error: SiigoError) -> list[str]:
        """Every line about ``error`` in :attr:`language`: each problem with its hint, the Siigo
        Nube menu where a company setting is changed, Siigo's page for the code, the detail."""
        return explain(error, self.language)

    def authenticate(self) -> None:
        """Log in now (normally done lazily on the first call)."""
        self._tokens.refresh(stale=self._tokens.current())

    # -- what the SDK does not model yet ----------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        idempotency_key: str | None = None,
    ) -> Any:
        """Call any ``/v1`` endpoint and return Siigo's JSON answer parsed (every non-integer
        number as an exact ``Decimal``; ``None`` for an empty answer).

        The call goes through the same transport as the resources: authentication, Partner-Id,
        rate limit, retries, typed errors.  ``params`` is the query string (dates formatted as
        Siigo wants them), ``body`` a dict or list (models are sent with their wire names).  A
        ``POST`` to the collection of a document kind that takes an ``Idempotency-Key``
        (:mod:`siigo.kinds`) gets one (``idempotency_key`` or a new one), so it is retried
        safely, and every error carries it.
        """
        from . import _json
        from .kinds import KINDS
        from .resources._base import load_json, plain, query
        from .resources._documents import check_key

        verb = method.upper() if isinstance(method, str) else method
        if verb not in ("GET", "POST", "PUT", "DELETE", "PATCH"):
            raise ValueError(f"method must be GET, POST, PUT, DELETE or PATCH, got {method!r}")
        if not isinstance(path, str) or not path.startswith("/v1/"):
            raise ValueError(f"path must be an API path starting with /v1/, got {path!r}")
        key = idempotency_key
        if verb == "POST" and any(kind.idempotent and kind.path == path for kind in KINDS.values()):
            key = check_key(idempotency_key)
        elif key is not None:
            key = check_key(key)
        encoded = None if body is None else _json.dumps(plain(body, "body", dump_models=True))
        try:
            response = self._transport.request(
                verb, path, params=query(**params) if params else None, body=encoded, idempotency_key=key
            )
            if not response.content.strip():
                return None
            return load_json(response.content, verb, path, response.status_code)
        except SiigoError as exc:
            if key is not None:
                exc.idempotency_key = key
            raise

    @contextlib.contextmanager
    def raw_responses(self) -> Iterator[list[RawResponse]]:
        """Record every HTTP answer this thread gets through the client while the block runs
        (retried attempts included, oldest first): status, headers and the bytes as sent.

        >>> with client.raw_responses() as seen:
        ...     client.invoices.retrieve(invoice_id)
        >>> seen[-1].status_code, seen[-1].headers["Content-Type"]
        """
        seen: list[RawResponse] = []
        thread = threading.get_ident()

        def record(response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
            if caller_thread() == thread:
                request = response.request
                seen.append(
                    RawResponse(
                        method=str(request.method),
                        url=str(request.url),
                        status_code=response.status_code,
                        headers=dict(response.headers),
                        content=response.content,
                    )
                )
            return response

        hooks = self._session.hooks.setdefault("response", [])
        hooks.append(record)
        try:
            yield seen
        finally:
            hooks.remove(record)

    # -- resources ------------------------------------------------------------------------------
    # Each resource module (and the models it uses) is imported on first use of the property.

    @cached_property
    def users(self) -> Users:
        from .resources.catalogs import Users

        return Users(self)

    @cached_property
    def account_groups(self) -> AccountGroups:
        from .resources.catalogs import AccountGroups

        return AccountGroups(self)

    @cached_property
    def taxes(self) -> Taxes:
        from .resources.catalogs import Taxes

        return Taxes(self)

    @cached_property
    def price_lists(self) -> PriceLists:
        from .resources.catalogs import PriceLists

        return PriceLists(self)

    @cached_property
    def warehouses(self) -> Warehouses:
        from .resources.catalogs import Warehouses

        return Warehouses(self)

    @cached_property
    def cost_centers(self) -> CostCenters:
        from .resources.catalogs import CostCenters

        return CostCenters(self)

    @cached_property
    def fixed_assets(self) -> FixedAssets:
        from .resources.catalogs import FixedAssets

        return FixedAssets(self)

    @cached_property
    def document_types(self) -> DocumentTypes:
        from .resources.catalogs import DocumentTypes

        return DocumentTypes(self)

    @cached_property
    def payment_types(self) -> PaymentTypes:
        from .resources.catalogs import PaymentTypes

        return PaymentTypes(self)

    @cached_property
    def products(self) -> Products:
        from .resources.products import Products

        return Products(self)

    @cached_property
    def customers(self) -> Customers:
        from .resources.customers import Customers

        return Customers(self)

    @cached_property
    def invoices(self) -> Invoices:
        from .resources.invoices import Invoices

        return Invoices(self)

    @cached_property
    def credit_notes(self) -> CreditNotes:
        from .resources.credit_notes import CreditNotes

        return CreditNotes(self)

    @cached_property
    def quotations(self) -> Quotations:
        from .resources.quotations import Quotations

        return Quotations(self)

    @cached_property
    def vouchers(self) -> Vouchers:
        from .resources.receipts import Vouchers

        return Vouchers(self)

    @cached_property
    def payment_receipts(self) -> PaymentReceipts:
        from .resources.receipts import PaymentReceipts

        return PaymentReceipts(self)

    @cached_property
    def purchases(self) -> Purchases:
        from .resources.purchases import Purchases

        return Purchases(self)

    @cached_property
    def purchase_support_documents(self) -> PurchaseSupportDocuments:
        from .resources.purchases import PurchaseSupportDocuments

        return PurchaseSupportDocuments(self)

    @cached_property
    def webhooks(self) -> Webhooks:
        from .resources.webhooks import Webhooks

        return Webhooks(self)

    @cached_property
    def journals(self) -> Journals:
        from .resources.journals import Journals

        return Journals(self)

    @cached_property
    def expenses(self) -> Expenses:
        from .resources.catalogs import Expenses

        return Expenses(self)

    @cached_property
    def misc_incomes(self) -> MiscIncomes:
        from .resources.catalogs import MiscIncomes

        return MiscIncomes(self)

    @cached_property
    def asset_groups(self) -> AssetGroups:
        from .resources.catalogs import AssetGroups

        return AssetGroups(self)

    @cached_property
    def available_documents(self) -> AvailableDocuments:
        from .resources.catalogs import AvailableDocuments

        return AvailableDocuments(self)

    @cached_property
    def reports(self) -> Reports:
        from .resources.reports import Reports

        return Reports(self)

    @cached_property
    def accounts_payable(self) -> AccountsPayable:
        from .resources.reports import AccountsPayable

        return AccountsPayable(self)


def _require_credentials(username: str | None, access_key: str | None, token: str | None) -> None:
    """A client needs a username and access key to log in, or a token it was given."""
    if token is not None or (username and access_key):
        return
    if username and not access_key:
        missing = refusal("config.access_key_missing")
    elif access_key and not username:
        missing = refusal("config.username_missing")
    else:
        missing = refusal("config.no_credentials")
    raise configuration_error(refusal("config.credentials", missing=missing))


def _looks_like_token(value: object) -> bool:
    if not isinstance(value, str):
        return False
    value = value.strip()
    return value.lower().startswith("bearer ") or value.count(".") == 2


def _text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise configuration_error(refusal("config.string_type", name=name, type=type(value).__name__))
    return value


_strip_bearer = strip_bearer


def _chosen_language(value: object) -> Language:
    """The language of a client's configuration errors while it is being made: ``language=``
    when it is valid, English when it is not (the argument overrides ``SIIGO_LANG``, even
    wrong), ``SIIGO_LANG`` when no ``language=`` is given and it is valid, else English."""
    try:
        return resolve_language(value) if isinstance(value, str) and value else resolve_language()
    except ConfigurationError:
        return "en"


def _in_client_language(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` of :class:`Client` raising its configuration errors in the client's language
    (the one being chosen, when the client is still being made)."""

    @functools.wraps(method)
    def call(self: Client, /, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except ConfigurationError as exc:
            language = vars(self).get("language") or _chosen_language(kwargs.get("language"))
            if exc.language != language:
                exc._localize(language)
            raise

    return call


for _name, _method in [*vars(LegacyMethods).items(), *vars(Client).items()]:
    if (_name == "__init__" or not _name.startswith("_")) and inspect.isfunction(_method):
        setattr(Client, _name, _in_client_language(_method))
del _name, _method
