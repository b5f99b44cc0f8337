"""Webhooks: subscription bodies (siigo-api.md §C.14), subscriptions and events (§D.10).

Siigo documents three topics, all about products.  A subscription takes one topic; an event is
the product as ``GET /v1/products/{id}`` shows it plus ``company_key``, ``username`` (the API
user) and ``topic``.  Siigo marks the nesting of ``additional_fields`` and ``metadata`` in
events as the product's own (❓), so the event models are the product model with those three
fields, tolerant like every response model.  A topic Siigo adds later still parses: as a
:class:`WebhookEvent` with its fields kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

import pydantic
from pydantic import AfterValidator, Field

from .. import _json
from .._config import is_loopback
from .._patterns import GUID
from .._refusals import detail, refusal
from ..errors import ValidationError
from ._base import RequestModel, ResponseModel, Timestamp, rule_error, validation_error
from .products import Product

__all__ = [
    "MAX_URL_LENGTH",
    "TOPIC_PRODUCT_CREATE",
    "TOPIC_PRODUCT_UPDATE",
    "TOPIC_STOCK_UPDATE",
    "WEBHOOK_TOPICS",
    "ProductCreateEvent",
    "ProductEvent",
    "ProductStockUpdateEvent",
    "ProductUpdateEvent",
    "Webhook",
    "WebhookCreateParams",
    "WebhookEvent",
    "WebhookTopic",
    "WebhookUpdateParams",
    "event_key",
    "load_event",
    "masked_url",
]

WebhookTopic = Literal[
    "public.siigoapi.products.create",
    "public.siigoapi.products.update",
    "public.siigoapi.products.stock.update",
]
"""The topics Siigo documents (§B.15)."""

WEBHOOK_TOPICS: tuple[WebhookTopic, ...] = get_args(WebhookTopic)
TOPIC_PRODUCT_CREATE: WebhookTopic = "public.siigoapi.products.create"
TOPIC_PRODUCT_UPDATE: WebhookTopic = "public.siigoapi.products.update"
TOPIC_STOCK_UPDATE: WebhookTopic = "public.siigoapi.products.stock.update"

MAX_URL_LENGTH = 2048
"""Longest subscription URL accepted (Siigo documents no limit; browsers and proxies agree on this one)."""


def _shown_origin(value: str) -> str:
    """``scheme://host`` of a URL for an error message: the path may hold a secret."""
    try:
        parts = urlsplit(value)
        host = parts.hostname or "?"
        return f"{parts.scheme or '?'}://{host}"
    except ValueError:
        return "an unreadable URL"


def _check_url(value: str) -> str:
    """A receiver URL: absolute, ``https`` (Siigo delivers only over HTTPS), or ``http`` to a
    loopback address (a local receiver of the sandbox); no user info, no fragment."""
    if len(value) > MAX_URL_LENGTH:
        raise rule_error("invalid_url", "models.url_length", most=MAX_URL_LENGTH)
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise rule_error("invalid_url", "models.url_invalid") from None
    if parts.scheme not in ("https", "http") or not host or any(c.isspace() for c in value):
        raise rule_error("invalid_url", "models.url_absolute")
    if "@" in parts.netloc:
        raise rule_error("invalid_url", "models.url_credentials")
    if parts.fragment:
        raise rule_error("invalid_url", "models.url_fragment")
    if parts.scheme == "http" and not is_loopback(host):
        raise rule_error("invalid_url", "models.url_https", origin=_shown_origin(value))
    return value


def masked_url(url: str) -> str:
    """``url`` with the last path segment hidden when it is long enough to be a secret."""
    head, slash, last = url.partition("?")[0].rstrip("/").rpartition("/")
    if not slash or len(last) < 16 or head.endswith("/"):
        return url
    return f"{head}/{last[:2]}…"


ReceiverURL = Annotated[str, AfterValidator(_check_url)]


class WebhookCreateParams(RequestModel):
    """Body of ``POST /v1/webhooks``: one topic per subscription (§C.14)."""

    application_id: Annotated[str, Field(min_length=1, max_length=255)]
    topic: WebhookTopic
    url: ReceiverURL


def _check_guid(value: str) -> str:
    if not GUID.fullmatch(value):
        raise rule_error("invalid_value", "models.subscription_guid")
    return value


class WebhookUpdateParams(WebhookCreateParams):
    """Body of ``PUT /v1/webhooks`` (``id`` in the body) and ``PUT /v1/webhooks/{id}``:
    the subscription again, with ``active``."""

    id: Annotated[str, AfterValidator(_check_guid)] | None = None
    active: bool | None = None


# --- responses ---------------------------------------------------------------------------------


class Webhook(ResponseModel):
    """A subscription (POST/PUT answers, ``GET /v1/webhooks`` results)."""

    id: str
    application_id: str | None = None
    url: str | None = None
    topic: WebhookTopic | str | None = None
    """One of :data:`WEBHOOK_TOPICS`; a topic Siigo adds later is kept as a plain string."""
    company_key: str | None = None
    active: bool | None = None
    created_at: Timestamp = None

    def __repr_args__(self) -> Any:
        # The last segment of a receiver's path is often its secret: keep it out of reprs and logs.
        for name, value in super().__repr_args__():
            yield name, (masked_url(value) if name == "url" and isinstance(value, str) else value)


class WebhookEvent(ResponseModel):
    """What Siigo POSTs to a subscription's URL: ``company_key``, ``username``, ``topic`` and
    the topic's data (kept as extra fields for a topic this version does not know)."""

    company_key: str
    username: str | None = None
    topic: str


class ProductEvent(Product, WebhookEvent):
    """An event about a product: the product as ``GET /v1/products/{id}`` shows it (§D.3)."""


class ProductCreateEvent(ProductEvent):
    topic: Literal["public.siigoapi.products.create"]


class ProductUpdateEvent(ProductEvent):
    topic: Literal["public.siigoapi.products.update"]


class ProductStockUpdateEvent(ProductEvent):
    """The product after a stock movement: ``available_quantity`` and ``warehouses`` are the new stock."""

    topic: Literal["public.siigoapi.products.stock.update"]


_EVENT_MODELS: Mapping[str, type[WebhookEvent]] = {
    TOPIC_PRODUCT_CREATE: ProductCreateEvent,
    TOPIC_PRODUCT_UPDATE: ProductUpdateEvent,
    TOPIC_STOCK_UPDATE: ProductStockUpdateEvent,
}


def _refused(code: str, message_id: str, *params: str, **args: object) -> ValidationError:
    problem = detail(code, message_id, *params, **args)
    top = refusal("webhooks.not_an_event", problem=problem.refusal)
    return ValidationError(top.render("en"), [problem], refusal=top)


def load_event(data: bytes | bytearray | str | Mapping[str, Any]) -> WebhookEvent:
    """An event from its JSON (amounts read as exact decimals) or from the decoded object.

    The model is chosen by ``topic``: :class:`ProductCreateEvent`, :class:`ProductUpdateEvent`,
    :class:`ProductStockUpdateEvent`, or :class:`WebhookEvent` for a topic not in
    :data:`WEBHOOK_TOPICS`.  Anything else raises :class:`~siigo.errors.ValidationError`.
    """
    decoded: object = data
    if isinstance(data, (bytes, bytearray, str)):
        try:
            decoded = _json.loads(bytes(data) if isinstance(data, bytearray) else data)
        except (ValueError, RecursionError) as exc:
            raise _refused("invalid_type", "webhooks.body_not_json", reason=type(exc).__name__) from None
    if not isinstance(decoded, Mapping):
        raise _refused("invalid_type", "webhooks.not_an_object", type=type(decoded).__name__)
    for name in ("topic", "company_key"):
        value = decoded.get(name)
        if not isinstance(value, str) or not value.strip():
            raise _refused("parameter_required", "webhooks.field_required", name, name=name)
    model = _EVENT_MODELS.get(decoded["topic"], WebhookEvent)
    try:
        return model.model_validate(decoded)
    except pydantic.ValidationError as exc:
        raise validation_error(f"{model.__name__} (not a Siigo webhook event)", exc) from None
    except RecursionError:
        raise _refused("invalid_type", "webhooks.too_deep") from None


def event_key(event: WebhookEvent) -> str:
    """A fingerprint of an event: the same event delivered twice has the same key.

    Siigo sends no delivery id, so the key is a SHA-256 of the event's content (topic, company,
    product and its ``metadata`` timestamps included); key order and spacing do not matter.
    """
    canonical = json.dumps(
        event.model_dump(mode="json", by_alias=True), sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
