"""``client.webhooks``: subscriptions to Siigo's product events (``/v1/webhooks``, §B.15).

Siigo takes one topic per subscription: subscribe three times for the three topics.  Reading
the events Siigo POSTs to your URL is :func:`siigo.webhooks.parse_event` and
:class:`siigo.webhooks.WebhookReceiver`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, overload

from typing_extensions import Required, TypedDict, Unpack

from .._config import UPDATE_ROUTES, UpdateRoute
from ..models._base import build
from ..models.common import DeleteResult
from ..models.webhooks import Webhook, WebhookCreateParams, WebhookTopic, WebhookUpdateParams
from ..pagination import Page
from ._base import Resource, body_source, guid_path, query

__all__ = ["UPDATE_ROUTES", "UpdateRoute", "WebhookFields", "Webhooks"]


class WebhookFields(TypedDict, total=False):
    """The fields of ``POST /v1/webhooks`` (§C.14) as keyword arguments of :meth:`Webhooks.create`."""

    application_id: Required[str]
    topic: Required[WebhookTopic]
    url: Required[str]


class Webhooks(Resource):
    """``/v1/webhooks``: subscribe, list, edit and delete subscriptions.

    ``create`` is an upsert: subscribing a topic to a URL that already has that subscription
    returns the existing one (reactivated when it was inactive) instead of adding a second one,
    which would deliver every event twice.  The edit route is the client setting
    ``webhook_update_route`` (``"id"`` by default, see :data:`UpdateRoute`).
    """

    @overload
    def create(
        self, params: WebhookCreateParams | Mapping[str, Any], /, *, upsert: bool = True
    ) -> Webhook: ...

    @overload
    def create(self, *, upsert: bool = True, **fields: Unpack[WebhookFields]) -> Webhook: ...

    def create(self, *args: Any, upsert: bool = True, **fields: Any) -> Webhook:
        """Subscribe ``url`` to ``topic`` (``POST /v1/webhooks``).

        With ``upsert`` (the default) the subscriptions are listed first: one with the same
        topic and URL is returned as it is, or edited when it is inactive or has another
        ``application_id``; nothing is created then.  ``upsert=False`` always POSTs.
        """
        params = build(WebhookCreateParams, body_source(args, fields, "webhooks.create"))
        if upsert:
            existing = next(
                (w for w in self.list() if w.topic == params.topic and w.url == params.url),
                None,
            )
            if existing is not None:
                if existing.active is not False and existing.application_id == params.application_id:
                    return existing
                return self.update(existing, application_id=params.application_id, active=True)
        return self._send("POST", "/v1/webhooks", Webhook, self._body(WebhookCreateParams, params))

    def list(self, *, page: int | None = None, page_size: int | None = None) -> Page[Webhook]:
        """The company's subscriptions; iterating the page walks every following page."""
        return self._list("/v1/webhooks", Webhook, query(page=page, page_size=page_size))

    def update(
        self,
        webhook: str | Webhook,
        /,
        *,
        active: bool | None = None,
        url: str | None = None,
        application_id: str | None = None,
        topic: WebhookTopic | None = None,
        route: UpdateRoute | None = None,
    ) -> Webhook:
        """Edit a subscription: switch it off or on (``active``), or point it to another ``url``.

        ``webhook`` is a :class:`Webhook` (what ``create``/``list`` returned: the fields not given
        are taken from it) or a subscription id (then ``application_id``, ``topic`` and ``url``
        are required, since Siigo's edit body carries the whole subscription).  ``route``
        overrides the client's ``webhook_update_route`` for this call.
        """
        current = webhook if isinstance(webhook, Webhook) else None
        webhook_id = guid_path(current.id if current is not None else webhook)
        data: dict[str, Any] = {
            "id": webhook_id,
            "application_id": application_id
            if application_id is not None
            else _field(current, "application_id"),
            "topic": topic if topic is not None else _field(current, "topic"),
            "url": url if url is not None else _field(current, "url"),
            "active": active if active is not None else _field(current, "active"),
        }
        body = self._body(WebhookUpdateParams, {k: v for k, v in data.items() if v is not None})
        chosen = route if route is not None else self._client.webhook_update_route
        if chosen not in UPDATE_ROUTES:
            raise ValueError(f"route must be one of {', '.join(UPDATE_ROUTES)}, got {chosen!r}")
        path = f"/v1/webhooks/{webhook_id}" if chosen == "id" else "/v1/webhooks"
        return self._send("PUT", path, Webhook, body)

    def delete(self, id: str | Webhook) -> DeleteResult:
        """Unsubscribe (``DELETE /v1/webhooks/{id}``): ``{id, deleted: true}``."""
        path = f"/v1/webhooks/{guid_path(id.id if isinstance(id, Webhook) else id)}"
        return self._send("DELETE", path, DeleteResult)


def _field(current: Webhook | None, name: str) -> Any:
    return getattr(current, name) if current is not None else None
