"""Webhooks: models against Siigo's examples, ``client.webhooks`` over loopback HTTP, and the
sandbox delivering real events to a real receiver server (retries, the log, faults, stock)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest

from siigo import Client, ConfigurationError, NotFoundError, ValidationError, _json
from siigo.models.common import DeleteResult
from siigo.models.webhooks import (
    TOPIC_PRODUCT_CREATE,
    TOPIC_PRODUCT_UPDATE,
    TOPIC_STOCK_UPDATE,
    WEBHOOK_TOPICS,
    Webhook,
    WebhookCreateParams,
    WebhookUpdateParams,
)
from siigo.pagination import Envelope
from siigo.sandbox import DEFAULT_USERNAME, Sandbox
from siigo.webhooks import ProductStockUpdateEvent, WebhookEvent, WebhookReceiver, parse_event

from ..conftest import example, example_bytes
from ..receivers import WAIT, Scripted, serve, wait_for
from .test_invoices import invoice_body, raw

WEBHOOKS = "^/v1/webhooks"


@pytest.fixture
def events() -> Iterator[tuple[list[WebhookEvent], WebhookReceiver]]:
    """A receiver (the SDK's own WSGI app) that records the events it is given."""
    seen: list[WebhookEvent] = []
    receiver = WebhookReceiver(seen.append)
    yield seen, receiver
    receiver.close()


def deliveries_done(sandbox: Sandbox, count: int) -> Callable[[], list[dict[str, Any]] | None]:
    """A check for :func:`wait_for`: ``count`` deliveries, none of them pending."""

    def check() -> list[dict[str, Any]] | None:
        found = sandbox.webhook_deliveries()
        done = len(found) >= count and all(d["state"] != "pending" for d in found)
        return found if done else None

    return check


# --- Siigo's examples --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["post_webhooks__response-201.json", "put_webhooks__response-201.json"])
def test_subscription_examples_parse(name: str) -> None:
    webhook = Webhook.model_validate_json(example_bytes(name))
    assert webhook.id == example(name)["id"]
    assert webhook.topic == TOPIC_PRODUCT_CREATE and webhook.company_key == "siigoapi"
    assert webhook.active is True and webhook.created_at is not None
    assert webhook.created_at.microsecond == 133302  # seven-digit fraction, read to the microsecond


def test_list_and_delete_examples_parse() -> None:
    envelope = Envelope[Webhook].model_validate_json(example_bytes("get_webhooks__response-200.json"))
    assert envelope.pagination is not None and envelope.pagination.total_results == 253
    assert [w.url for w in envelope.results] == ["https://www.siigo.com/"]
    deleted = DeleteResult.model_validate_json(example_bytes("delete_webhooks-id__response-200.json"))
    assert deleted.deleted is True and deleted.id == "63f918c2-ca65-4edc-a7db-66bcdd5159fb"


def test_request_examples_validate() -> None:
    created = WebhookCreateParams.model_validate(example("post_webhooks__request.json"))
    assert created.topic == TOPIC_PRODUCT_CREATE
    updated = WebhookUpdateParams.model_validate(example("put_webhooks__request.json"))
    assert updated.active is False and updated.url == "https://www.siigo.com/"


def test_an_unknown_topic_in_an_answer_still_parses() -> None:
    data = dict(
        example("post_webhooks__response-201.json"), topic="public.siigoapi.customers.create", extra=1
    )
    webhook = Webhook.model_validate(data)
    assert webhook.topic == "public.siigoapi.customers.create"
    assert webhook.model_extra == {"extra": 1}
    assert set(WEBHOOK_TOPICS) == {TOPIC_PRODUCT_CREATE, TOPIC_PRODUCT_UPDATE, TOPIC_STOCK_UPDATE}


def test_a_path_secret_in_a_subscription_url_stays_out_of_its_repr() -> None:
    secret = "Zq3mV9xkT2pL8wRb4nYc"
    webhook = Webhook.model_validate(
        dict(example("post_webhooks__response-201.json"), url=f"https://erp.example.com/hooks/{secret}")
    )
    assert secret not in repr(webhook) and "https://erp.example.com/hooks/Zq…" in repr(webhook)
    assert webhook.url is not None and webhook.url.endswith(secret)  # the value itself is intact


def test_the_documented_event_parses_with_exact_amounts() -> None:
    from ..conftest import EXAMPLES

    body = (EXAMPLES.parent / "events" / "products.stock.update.json").read_bytes()
    event = parse_event(body)
    assert isinstance(event, ProductStockUpdateEvent)
    assert (event.company_key, event.username) == (
        "ferreteriaeltornillo",
        "integraciones@ferreteriaeltornillo.com.co",
    )
    assert event.available_quantity == Decimal(13)
    assert event.warehouses is not None and event.warehouses[0].quantity == Decimal(10)
    assert event.additional_fields is not None and event.additional_fields.barcode == "7701234567891"
    assert event.metadata is not None and event.metadata.stock_updated is not None
    assert event.price() == Decimal(289900)


# --- local refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "code", "field", "words"),
    [
        ({"url": "http://erp.example.com/hooks"}, "invalid_url", "url", "only over HTTPS"),
        ({"url": "erp.example.com/hooks"}, "invalid_url", "url", "absolute https URL"),
        ({"url": "https://user:pw@erp.example.com/hooks"}, "invalid_url", "url", "user name or password"),
        ({"topic": "public.siigoapi.customers.create"}, "invalid_value", "topic", "public.siigoapi"),
        ({"application_id": ""}, "length_min", "application_id", "at least 1"),
    ],
)
def test_bad_subscriptions_are_refused_before_sending(
    siigo_client: Client, siigo_sandbox: Sandbox, fields: dict[str, Any], code: str, field: str, words: str
) -> None:
    body = {"application_id": "ErpTornillo", "topic": TOPIC_STOCK_UPDATE, "url": "https://erp.example.com/h"}
    with pytest.raises(ValidationError) as caught:
        siigo_client.webhooks.create(**{**body, **fields})
    [error] = caught.value.errors
    assert (error.code, error.params) == (code, (field,))
    assert words in error.message
    assert "user:pw" not in str(caught.value)
    assert siigo_sandbox.journal(path=WEBHOOKS) == []


def test_the_sandbox_answers_the_same_rule(siigo_sandbox: Sandbox) -> None:
    answer = raw(
        siigo_sandbox,
        "POST",
        "/v1/webhooks",
        {"application_id": "Erp", "topic": TOPIC_STOCK_UPDATE, "url": "http://erp.example.com/hooks"},
    )
    assert answer.status_code == 400
    [error] = answer.json()["Errors"]
    assert (error["Code"], error["Params"]) == ("invalid_url", ["url"])
    assert "only over HTTPS" in error["Message"]


# --- client.webhooks over the sandbox ----------------------------------------------------------


def test_create_list_update_delete(siigo_client: Client, siigo_sandbox: Sandbox) -> None:
    created = siigo_client.webhooks.create(
        application_id="ErpTornillo", topic=TOPIC_STOCK_UPDATE, url="https://erp.example.com/hooks/stock"
    )
    assert created.topic == TOPIC_STOCK_UPDATE and created.active is True
    assert created.company_key == siigo_sandbox.tenant().company_key
    assert [w.id for w in siigo_client.webhooks.list()] == [created.id]

    off = siigo_client.webhooks.update(created, active=False)
    assert (off.id, off.active, off.url) == (created.id, False, created.url)
    moved = siigo_client.webhooks.update(off, url="https://erp.example.com/hooks/v2")
    assert (moved.active, moved.url) == (False, "https://erp.example.com/hooks/v2")
    [put, _] = siigo_sandbox.journal(method="PUT", path=WEBHOOKS)
    assert put.path == f"/v1/webhooks/{created.id}"

    assert siigo_client.webhooks.delete(created).deleted is True
    assert list(siigo_client.webhooks.list()) == []
    with pytest.raises(NotFoundError) as caught:
        siigo_client.webhooks.delete(created.id)
    assert caught.value.codes == ["not_found"]


def test_the_edit_route_is_a_client_setting(siigo_sandbox: Sandbox) -> None:
    with siigo_sandbox.client(webhook_update_route="collection") as client:
        created = client.webhooks.create(
            application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url="https://e.example/h"
        )
        assert client.webhooks.update(created, active=False).active is False
        assert client.with_options(timeout=5).webhooks.update(created, active=True).active is True
        assert client.webhooks.update(created, active=False, route="id").active is False
    paths = [e.path for e in siigo_sandbox.journal(method="PUT")]
    assert paths == ["/v1/webhooks", "/v1/webhooks", f"/v1/webhooks/{created.id}"]
    with pytest.raises(ConfigurationError, match="webhook_update_route must be one of id, collection"):
        siigo_sandbox.client(webhook_update_route="item")


def test_an_update_by_id_needs_the_whole_subscription(siigo_client: Client, siigo_sandbox: Sandbox) -> None:
    created = siigo_client.webhooks.create(
        application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url="https://e.example/h"
    )
    with pytest.raises(ValidationError) as caught:
        siigo_client.webhooks.update(created.id, active=False)
    assert sorted(e.params[0] for e in caught.value.errors) == ["application_id", "topic", "url"]
    assert {e.code for e in caught.value.errors} == {"parameter_required"}
    assert siigo_sandbox.journal(method="PUT") == []
    done = siigo_client.webhooks.update(
        created.id, application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url="https://e.example/h", active=False
    )
    assert done.active is False


def test_the_sandbox_checks_both_edit_routes(siigo_client: Client, siigo_sandbox: Sandbox) -> None:
    created = siigo_client.webhooks.create(
        application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url="https://e.example/h"
    )
    body = {
        "application_id": "Erp",
        "topic": TOPIC_PRODUCT_CREATE,
        "url": "https://e.example/h",
        "active": False,
    }
    no_id = raw(siigo_sandbox, "PUT", "/v1/webhooks", body)
    assert no_id.status_code == 400
    assert [(e["Code"], e["Params"]) for e in no_id.json()["Errors"]] == [("parameter_required", ["id"])]
    other = "9e6f8516-f256-4f47-a4a7-39b0adad113e"
    mismatch = raw(siigo_sandbox, "PUT", f"/v1/webhooks/{created.id}", {**body, "id": other})
    assert [(e["Code"], e["Params"]) for e in mismatch.json()["Errors"]] == [("invalid_value", ["id"])]
    unknown = raw(siigo_sandbox, "PUT", "/v1/webhooks", {**body, "id": other})
    assert unknown.status_code == 404 and unknown.json()["Errors"][0]["Code"] == "not_found"
    ok = raw(siigo_sandbox, "PUT", "/v1/webhooks", {**body, "id": created.id})
    assert ok.status_code == 200 and ok.json()["active"] is False


def test_subscribing_twice_is_an_upsert(siigo_client: Client, siigo_sandbox: Sandbox) -> None:
    fields: dict[str, Any] = {
        "application_id": "Erp",
        "topic": TOPIC_STOCK_UPDATE,
        "url": "https://e.example/h",
    }
    first = siigo_client.webhooks.create(**fields)
    again = siigo_client.webhooks.create(**fields)
    assert again.id == first.id
    assert len(siigo_sandbox.journal(method="POST", path=WEBHOOKS)) == 1

    siigo_client.webhooks.update(first, active=False)
    revived = siigo_client.webhooks.create(**fields)
    assert (revived.id, revived.active) == (first.id, True)
    renamed = siigo_client.webhooks.create(**{**fields, "application_id": "ErpV2"})
    assert (renamed.id, renamed.application_id) == (first.id, "ErpV2")
    other_topic = siigo_client.webhooks.create(**{**fields, "topic": TOPIC_PRODUCT_UPDATE})
    assert other_topic.id != first.id
    assert len(list(siigo_client.webhooks.list())) == 2

    # Without the upsert (or through the raw API) the same subscription is stored twice.
    siigo_client.webhooks.create(**fields, upsert=False)
    assert [w.topic for w in siigo_client.webhooks.list()].count(TOPIC_STOCK_UPDATE) == 2


def test_subscriptions_are_paginated_and_per_company(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    urls = [f"https://e.example/h/{i}" for i in range(12)]
    for url in urls:
        siigo_client.webhooks.create(application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url=url, upsert=False)
    page = siigo_client.webhooks.list(page_size=10)
    assert (page.total_results, len(page.items), page.has_next_page()) == (12, 10, True)
    assert [w.url for w in page] == urls
    with siigo_sandbox.client(username="otra@empresa.example.com") as other:
        assert list(other.webhooks.list()) == []


# --- delivery ----------------------------------------------------------------------------------


def test_product_and_stock_events_reach_a_real_receiver(
    shop: Client, siigo_sandbox: Sandbox, events: tuple[list[WebhookEvent], WebhookReceiver]
) -> None:
    seen, receiver = events
    with serve(receiver) as url:
        for topic in WEBHOOK_TOPICS:
            shop.webhooks.create(application_id="ErpTornillo", topic=topic, url=url)
        product = shop.products.create(
            code="MART-16",
            name="Martillo 16 oz",
            account_group=1821,
            stock_control=True,
            taxes=[{"id": 18401}],
        )
        siigo_sandbox.set_stock(product.id, 25, warehouse=3301)
        shop.products.update(
            product.id, product.to_update_params().model_copy(update={"name": "Martillo 16 oz mango"})
        )
        item = {"code": "MART-16", "quantity": 10, "price": Decimal("100.00"), "discount": Decimal("50.00")}
        shop.invoices.create(**invoice_body(items=[{**item, "taxes": [{"id": 18401}], "warehouse": 3301}]))

        wait_for(lambda: len(seen) >= 4 and receiver.wait(WAIT), what="four events")
    created, adjusted, updated, sold = seen
    assert [e.topic for e in seen] == [
        TOPIC_PRODUCT_CREATE,
        TOPIC_STOCK_UPDATE,
        TOPIC_PRODUCT_UPDATE,
        TOPIC_STOCK_UPDATE,
    ]
    tenant = siigo_sandbox.tenant()
    for event in seen:
        assert (event.company_key, event.username) == (tenant.company_key, DEFAULT_USERNAME)
        assert getattr(event, "id", None) == product.id and getattr(event, "code", None) == "MART-16"
    assert (
        getattr(created, "name", None) == "Martillo 16 oz"
        and getattr(created, "available_quantity", None) == 0
    )
    assert getattr(adjusted, "available_quantity", None) == Decimal(25)
    assert getattr(updated, "name", None) == "Martillo 16 oz mango"
    assert getattr(updated, "available_quantity", None) == Decimal(25)  # a PUT does not touch the stock
    assert isinstance(sold, ProductStockUpdateEvent)
    assert sold.available_quantity == Decimal(15)
    assert sold.warehouses is not None and [(w.id, w.quantity) for w in sold.warehouses] == [
        (3301, Decimal(15))
    ]
    assert sold.metadata is not None and sold.metadata.stock_updated is not None
    assert shop.products.retrieve(product.id).available_quantity == Decimal(15)

    log = wait_for(deliveries_done(siigo_sandbox, 4), what="the delivery log")
    assert [d["state"] for d in log] == ["delivered"] * 4
    assert all(len(d["attempts"]) == 1 and d["attempts"][0]["status"] == 200 for d in log)
    assert all(d["attempts"][0]["latency_ms"] >= 0 for d in log)


def test_a_failing_receiver_is_retried_until_it_succeeds(
    siigo_client: Client, siigo_sandbox: Sandbox
) -> None:
    siigo_sandbox.configure_webhooks(backoff=0.05, max_backoff=0.2)
    app = Scripted(500, 503)
    with serve(app) as url:
        siigo_client.webhooks.create(application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url=url)
        product = siigo_client.products.create(code="RET-1", name="Retry", account_group=1821)
        [delivery] = wait_for(deliveries_done(siigo_sandbox, 1), what="the delivery")
    assert delivery["state"] == "delivered" and delivery["product_id"] == product.id
    assert [a["status"] for a in delivery["attempts"]] == [500, 503, 200]
    assert [a["error"] for a in delivery["attempts"]] == [
        "the receiver answered 500",
        "the receiver answered 503",
        None,
    ]
    assert len(app.bodies) == 3 and len(set(app.bodies)) == 1  # the same event each time
    assert _json.loads(app.bodies[0])["code"] == "RET-1"


def test_delivery_gives_up_after_the_bounded_tries(siigo_client: Client, siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.configure_webhooks(max_attempts=3, backoff=0.05, max_backoff=0.1)
    app = Scripted(500, 500, 500, 500, 500)
    with serve(app) as url:
        siigo_client.webhooks.create(application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url=url)
        siigo_client.products.create(code="DEAD-1", name="Dead", account_group=1821)
        [delivery] = wait_for(deliveries_done(siigo_sandbox, 1), what="the delivery to fail")
        time.sleep(0.3)  # longer than any backoff left: no fourth attempt comes
    assert delivery["state"] == "failed"
    assert [a["status"] for a in delivery["attempts"]] == [500, 500, 500]
    assert len(app.bodies) == 3


def test_a_slow_receiver_never_blocks_the_api_and_is_retried(
    siigo_client: Client, siigo_sandbox: Sandbox
) -> None:
    siigo_sandbox.configure_webhooks(timeout=0.5, backoff=0.05)
    release = threading.Event()
    app = Scripted(hold=release, hold_first=1)
    with serve(app) as url:
        siigo_client.webhooks.create(application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url=url)
        siigo_client.products.create(code="SLOW-1", name="Slow", account_group=1821)
        # The API call has returned although the receiver is still holding the first delivery.
        assert len(siigo_client.products.list(code="SLOW-1").items) == 1
        wait_for(lambda: len(app.bodies) >= 2, what="a second attempt")
        release.set()
        [delivery] = wait_for(deliveries_done(siigo_sandbox, 1), what="the delivery")
    first, second = delivery["attempts"][:2]
    assert first["status"] is None and "timed out" in first["error"]
    assert first["latency_ms"] >= 450
    assert second["status"] == 200 and delivery["state"] == "delivered"


def test_only_loopback_receivers_are_contacted(siigo_client: Client, siigo_sandbox: Sandbox) -> None:
    siigo_client.webhooks.create(
        application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url="https://erp.example.com/h"
    )
    siigo_client.products.create(code="OUT-1", name="Outside", account_group=1821)
    [delivery] = wait_for(deliveries_done(siigo_sandbox, 1), what="the delivery")
    assert delivery["state"] == "skipped"
    assert "only to loopback addresses" in delivery["attempts"][0]["error"]


def test_inactive_subscriptions_and_other_topics_get_nothing(
    siigo_client: Client, siigo_sandbox: Sandbox
) -> None:
    app = Scripted()
    with serve(app) as url:
        off = siigo_client.webhooks.create(application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url=url)
        siigo_client.webhooks.update(off, active=False)
        siigo_client.webhooks.create(application_id="Erp", topic=TOPIC_PRODUCT_UPDATE, url=url)
        siigo_client.products.create(code="NONE-1", name="None", account_group=1821)
        assert siigo_sandbox.wait_for_webhooks(WAIT)
    assert siigo_sandbox.webhook_deliveries() == [] and app.bodies == []


# --- faults ------------------------------------------------------------------------------------


def test_a_duplicated_event_is_handled_once_by_the_receiver(
    siigo_client: Client, siigo_sandbox: Sandbox, events: tuple[list[WebhookEvent], WebhookReceiver]
) -> None:
    seen, receiver = events
    siigo_sandbox.webhook_fault("duplicate")
    with serve(receiver) as url:
        siigo_client.webhooks.create(application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url=url)
        siigo_client.products.create(code="DUP-1", name="Twice", account_group=1821)
        siigo_client.products.create(code="DUP-2", name="Once", account_group=1821)
        log = wait_for(deliveries_done(siigo_sandbox, 3), what="three deliveries")
        assert receiver.wait(WAIT)
    assert [d["fault"] for d in log] == ["duplicate", "duplicate", None]
    assert [d["state"] for d in log] == ["delivered"] * 3
    assert [getattr(e, "code", None) for e in seen] == ["DUP-1", "DUP-2"]
    assert receiver.stats["duplicates"] == 1 and receiver.stats["handled"] == 2


def test_a_reordered_event_arrives_after_the_next_one(siigo_client: Client, siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.webhook_fault("reorder", delay=30)
    app = Scripted()
    with serve(app) as url:
        siigo_client.webhooks.create(application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url=url)
        siigo_client.products.create(code="FIRST", name="First", account_group=1821)
        siigo_client.products.create(code="SECOND", name="Second", account_group=1821)
        wait_for(deliveries_done(siigo_sandbox, 2), what="two deliveries")
    assert [_json.loads(b)["code"] for b in app.bodies] == ["SECOND", "FIRST"]
    assert [d["fault"] for d in siigo_sandbox.webhook_deliveries()] == ["reorder", None]


def test_a_late_event_arrives_after_its_delay(siigo_client: Client, siigo_sandbox: Sandbox) -> None:
    delay = 2.0  # far longer than the second creation takes, even on a busy machine
    siigo_sandbox.webhook_fault("delay", delay=delay)
    app = Scripted()
    with serve(app) as url:
        siigo_client.webhooks.create(application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url=url)
        siigo_client.products.create(code="LATE", name="Late", account_group=1821)
        siigo_client.products.create(code="ON-TIME", name="On time", account_group=1821)
        [late, on_time] = wait_for(deliveries_done(siigo_sandbox, 2), what="two deliveries")
    assert _seconds(on_time["queued_at"]) - _seconds(late["queued_at"]) < delay
    assert [_json.loads(b)["code"] for b in app.bodies] == ["ON-TIME", "LATE"]
    waited = _seconds(late["attempts"][0]["at"]) - _seconds(late["queued_at"])
    assert late["fault"] == "delay" and waited >= delay
    assert on_time["fault"] is None


def _seconds(iso: str) -> float:
    import datetime as dt

    return dt.datetime.fromisoformat(iso).timestamp()


def test_faults_and_policy_through_the_control_plane(siigo_sandbox: Sandbox) -> None:
    import requests

    base = siigo_sandbox.url + "/_sandbox/webhooks"
    added = requests.post(base + "/faults", json={"kind": "duplicate", "count": 2}, timeout=5)
    assert added.status_code == 201 and added.json()["kind"] == "duplicate"
    bad = requests.post(base + "/faults", json={"kind": "lose"}, timeout=5)
    assert (
        bad.status_code == 400 and "'duplicate', 'reorder' or 'delay'" in bad.json()["Errors"][0]["Message"]
    )
    policy = requests.post(base + "/policy", json={"max_attempts": 2}, timeout=5)
    assert policy.json()["max_attempts"] == 2
    wrong = requests.post(base + "/policy", json={"max_attempts": 0}, timeout=5)
    assert wrong.status_code == 400 and "from 1 to 50" in wrong.json()["Errors"][0]["Message"]
    assert [f["count"] for f in requests.get(base + "/faults", timeout=5).json()] == [2]
    siigo_sandbox.reset()
    assert requests.get(base + "/faults", timeout=5).json() == []
    assert requests.get(base + "/policy", timeout=5).json()["max_attempts"] == 5


def test_the_delivery_log_through_the_control_plane(siigo_client: Client, siigo_sandbox: Sandbox) -> None:
    import requests

    app = Scripted()
    with serve(app) as url:
        siigo_client.webhooks.create(application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url=url)
        siigo_client.products.create(code="LOG-1", name="Logged", account_group=1821)
        wait_for(deliveries_done(siigo_sandbox, 1), what="the delivery")
    answer = requests.get(
        siigo_sandbox.url + "/_sandbox/webhooks/deliveries",
        params={"topic": TOPIC_PRODUCT_CREATE, "body": "true"},
        timeout=5,
    )
    [entry] = answer.json()
    assert entry["state"] == "delivered" and entry["attempts"][0]["status"] == 200
    assert _json.loads(entry["body"])["code"] == "LOG-1"


# --- stock -------------------------------------------------------------------------------------


def test_deleting_or_annulling_an_invoice_gives_the_stock_back(shop: Client, siigo_sandbox: Sandbox) -> None:
    product = shop.products.create(code="CAJA-1", name="Caja", account_group=1821, stock_control=True)
    siigo_sandbox.set_stock(product.id, 30)
    item = {
        "code": "CAJA-1",
        "quantity": 10,
        "price": Decimal("100.00"),
        "discount": Decimal("50.00"),
        "taxes": [{"id": 18401}],
    }
    sold = shop.invoices.create(**invoice_body(items=[item]))
    assert shop.products.retrieve(product.id).available_quantity == Decimal(20)
    shop.invoices.delete(sold.id)
    assert shop.products.retrieve(product.id).available_quantity == Decimal(30)
    again = shop.invoices.create(**invoice_body(items=[item]))
    shop.invoices.annul(again.id)
    stored = shop.products.retrieve(product.id)
    assert stored.available_quantity == Decimal(30)
    assert stored.warehouses is not None and [(w.id, w.quantity) for w in stored.warehouses] == [
        (3301, Decimal(30))
    ]


def test_stock_of_a_product_without_stock_control_cannot_be_set(shop: Client, siigo_sandbox: Sandbox) -> None:
    import requests

    service = shop.products.create(code="SRV-9", name="Servicio", account_group=1822, type="Service")
    with pytest.raises(ValueError, match="has no stock control"):
        siigo_sandbox.set_stock(service.id, 3)
    answer = requests.post(
        siigo_sandbox.url + f"/_sandbox/products/{service.id}/stock", json={"quantity": 3}, timeout=5
    )
    assert answer.status_code == 400 and "has no stock control" in answer.json()["Errors"][0]["Message"]


# --- lifecycle ---------------------------------------------------------------------------------


def test_stop_ends_the_delivery_worker() -> None:
    def workers() -> set[threading.Thread]:
        return {t for t in threading.enumerate() if t.name == "siigo-sandbox-webhooks"}

    others = workers()  # of the sandboxes of other tests
    app = Scripted()
    with serve(app) as url, Sandbox() as sandbox, sandbox.client() as client:
        client.webhooks.create(application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url=url)
        client.products.create(code="STOP-1", name="Stop", account_group=1821)
        assert sandbox.wait_for_webhooks(WAIT)
        [mine] = workers() - others
        sandbox.stop()
        assert not mine.is_alive()
    assert len(app.bodies) == 1


def test_reset_drops_queued_deliveries(siigo_client: Client, siigo_sandbox: Sandbox) -> None:
    app = Scripted()
    with serve(app) as url:
        siigo_sandbox.webhook_fault("delay", delay=0.5)
        siigo_client.webhooks.create(application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url=url)
        siigo_client.products.create(code="GONE", name="Gone", account_group=1821)
        siigo_sandbox.reset()
        time.sleep(0.8)  # past the delay: the event would have been delivered by now
    assert app.bodies == [] and siigo_sandbox.webhook_deliveries() == []


def test_a_subscription_id_must_be_a_guid(siigo_client: Client, siigo_sandbox: Sandbox) -> None:
    with pytest.raises(ValidationError) as caught:
        siigo_client.webhooks.delete("not-a-guid")
    assert caught.value.errors[0].params == ("id",) and "must be a Siigo GUID" in str(caught.value)
    assert siigo_sandbox.journal(path=WEBHOOKS) == []


# --- the receiver helper against the sandbox --------------------------------------------------------------------------


def test_a_receiver_for_the_sandbox_company_takes_its_events(
    siigo_client: Client, siigo_sandbox: Sandbox
) -> None:
    tenant = siigo_sandbox.tenant()
    seen: list[WebhookEvent] = []
    mine = WebhookReceiver(seen.append, company_key=tenant.company_key, username=tenant.username)
    other = WebhookReceiver(seen.append, company_key="otraempresa")
    with serve(mine) as good, serve(other) as wrong:
        siigo_client.webhooks.create(application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url=good)
        siigo_client.webhooks.create(application_id="Erp", topic=TOPIC_PRODUCT_CREATE, url=wrong)
        siigo_sandbox.configure_webhooks(max_attempts=2, backoff=0.05)
        siigo_client.products.create(code="RCV-1", name="Recibido", account_group=1821)
        wait_for(
            lambda: [d["state"] for d in siigo_sandbox.webhook_deliveries()] == ["delivered", "failed"],
            what="one delivery and one refusal",
        )
        assert mine.wait(WAIT)
    mine.close()
    other.close()
    [accepted, refused] = siigo_sandbox.webhook_deliveries(with_body=True)
    assert [a["status"] for a in refused["attempts"]] == [403, 403]
    assert [getattr(e, "code", None) for e in seen] == ["RCV-1"]
    assert _json.loads(accepted["body"])["company_key"] == tenant.company_key
    assert other.stats["refused"] == 2 and mine.stats["handled"] == 1


# --- the example ---------------------------------------------------------------------------------


def test_the_webhooks_quickstart_prints_the_stock_of_the_events() -> None:
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "examples" / "webhooks_quickstart.py"
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    stock_lines = [line for line in done.stdout.splitlines() if "in stock" in line]
    assert [line.split(" has ")[1].split(" in stock")[0] for line in stock_lines] == ["20", "17"]
    assert "Last delivery: delivered, HTTP 200" in done.stdout
