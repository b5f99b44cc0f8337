"""``/v1/webhooks`` in the sandbox (siigo-api.md §B.15, §C.14, §D.10) and the events it delivers.

Subscriptions are kept per company, in creation order, and validated with the SDK's own
request models: ``application_id``, ``topic`` (one of the three documented topics, else
``invalid_value``) and ``url`` (``invalid_url``: Siigo delivers only over HTTPS; the sandbox
also takes plain ``http`` to a loopback address, for local receivers).  Edits are accepted on
both documented routes, ``PUT /v1/webhooks`` (``id`` in the body, ``parameter_required``
without it) and ``PUT /v1/webhooks/{id}`` (a body ``id`` must then match, ``invalid_value``).
Unknown ids answer 404 ``not_found``.  Subscribing the same topic and URL twice creates two
subscriptions, as other clients report of Siigo (❓); the SDK's ``create`` upserts instead.

Events: :func:`emit` is called by the product handlers (``products.create`` /
``products.update``) and by the stock hook (``products.stock.update``,
:mod:`siigo.sandbox.handlers.stock`).  It queues the product snapshot plus ``company_key``,
``username`` and ``topic`` for every active subscription of that topic; the
:class:`~siigo.sandbox.delivery.WebhookDispatcher` delivers it in the background.

Control plane: ``GET /_sandbox/webhooks/deliveries`` (filters ``company``, ``topic``;
``body=true`` adds each delivered body), ``GET|POST|DELETE /_sandbox/webhooks/faults``, ``GET|POST /_sandbox/webhooks/policy``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request

from ... import _json
from ...models.webhooks import WebhookCreateParams, WebhookUpdateParams
from ..app import Ctx, SiigoHTTPError, not_found, route
from ..control import control_route
from ..delivery import WebhookDispatcher, WebhookFault
from ..state import SandboxState, Tenant, copy_document
from ._common import envelope, is_guid, new_guid, validate

if TYPE_CHECKING:
    from ..app import SandboxApp

__all__ = ["dispatcher", "emit", "subscriptions"]

_SERVICE = "webhooks"


def dispatcher(state: SandboxState) -> WebhookDispatcher:
    """The sandbox's webhook dispatcher (created on first use)."""
    with state.lock:
        service = state.services.get(_SERVICE)
        if not isinstance(service, WebhookDispatcher):
            service = state.services[_SERVICE] = WebhookDispatcher()
        return service


def subscriptions(tenant: Tenant) -> dict[str, dict[str, Any]]:
    """The company's subscriptions by id (callers hold ``state.lock``)."""
    store: dict[str, dict[str, Any]] = tenant.extra.setdefault("webhooks", {})
    return store


def emit(state: SandboxState, tenant: Tenant, topic: str, product: dict[str, Any]) -> None:
    """Queue the event ``topic`` about ``product`` for every active subscription of ``topic``.
    Called under ``state.lock``; it never waits for a receiver."""
    targets = [s for s in subscriptions(tenant).values() if s["active"] and s["topic"] == topic]
    if not targets:
        return
    event = {"company_key": tenant.company_key, "username": tenant.username, "topic": topic}
    event.update(copy_document(product))
    body = _json.dumps(event)
    queue = dispatcher(state)
    for subscription in targets:
        queue.submit(
            company=tenant.username,
            subscription_id=subscription["id"],
            topic=topic,
            url=subscription["url"],
            body=body,
            product_id=product.get("id"),
        )


def _created_at(state: SandboxState) -> str:
    return state.now_datetime().strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


@route("POST", "/v1/webhooks")
def create_webhook(ctx: Ctx) -> tuple[int, Any]:
    params = validate(WebhookCreateParams, ctx)
    with ctx.state.lock:
        webhook_id = new_guid()
        webhook: dict[str, Any] = {
            "id": webhook_id,
            "application_id": params.application_id,
            "url": params.url,
            "topic": params.topic,
            "company_key": ctx.tenant.company_key,
            "active": True,
            "created_at": _created_at(ctx.state),
        }
        subscriptions(ctx.tenant)[webhook_id] = webhook
        return 201, copy_document(webhook)


@route("GET", "/v1/webhooks")
def list_webhooks(ctx: Ctx) -> tuple[int, Any]:
    with ctx.state.lock:
        rows = [copy_document(w) for w in subscriptions(ctx.tenant).values()]
    return 200, envelope(ctx, rows, "/v1/webhooks")


def _update(ctx: Ctx, webhook_id: str | None) -> tuple[int, Any]:
    params = validate(WebhookUpdateParams, ctx)
    if webhook_id is None:
        if params.id is None:
            raise SiigoHTTPError.one(400, "parameter_required", "The field id is required", ["id"])
        webhook_id = params.id
    elif params.id is not None and params.id.lower() != webhook_id.lower():
        raise SiigoHTTPError.one(
            400, "invalid_value", "The field id does not match the subscription of the URL", ["id"]
        )
    with ctx.state.lock:
        stored = subscriptions(ctx.tenant).get(webhook_id.lower()) if is_guid(webhook_id) else None
        if stored is None:
            raise not_found("webhook")
        stored.update(application_id=params.application_id, topic=params.topic, url=params.url)
        if params.active is not None:
            stored["active"] = params.active
        return ctx.settings.put_status, copy_document(stored)


@route("PUT", "/v1/webhooks")
def update_webhook_in_body(ctx: Ctx) -> tuple[int, Any]:
    return _update(ctx, None)


@route("PUT", "/v1/webhooks/{id}")
def update_webhook(ctx: Ctx) -> tuple[int, Any]:
    return _update(ctx, ctx.params["id"])


@route("DELETE", "/v1/webhooks/{id}")
def delete_webhook(ctx: Ctx) -> tuple[int, Any]:
    webhook_id = ctx.params["id"].lower()
    with ctx.state.lock:
        store = subscriptions(ctx.tenant)
        if not is_guid(webhook_id) or webhook_id not in store:
            raise not_found("webhook")
        del store[webhook_id]
    return 200, {"id": webhook_id, "deleted": True}


# --- control plane -----------------------------------------------------------------------------


@control_route("GET", "/webhooks/deliveries")
def _deliveries(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    return 200, dispatcher(app.state).deliveries(
        company=request.args.get("company") or None,
        topic=request.args.get("topic") or None,
        with_body=request.args.get("body", "").lower() in ("1", "true"),
    )


@control_route("GET", "/webhooks/faults")
def _faults(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    return 200, [f.public() for f in dispatcher(app.state).faults()]


@control_route("POST", "/webhooks/faults")
def _add_fault(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    if not isinstance(body, dict):
        raise TypeError('send a JSON object describing the fault, e.g. {"kind": "duplicate", "count": 1}')
    return 201, dispatcher(app.state).add_fault(WebhookFault.from_fields(body)).public()


@control_route("DELETE", "/webhooks/faults")
def _clear_faults(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    dispatcher(app.state).clear_faults()
    return 200, []


@control_route("GET", "/webhooks/policy")
def _policy(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    return 200, dispatcher(app.state).policy.public()


@control_route("POST", "/webhooks/policy")
def _set_policy(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    if not isinstance(body, dict):
        raise TypeError('send a JSON object of delivery settings, e.g. {"max_attempts": 3}')
    return 200, dispatcher(app.state).configure(**body).public()
