"""The sandbox under hostile input: invalid settings and faults, bodies Siigo would not read,
broken framing, and the Python control plane the README promises — all over loopback HTTP.

Whatever arrives, the sandbox answers in Siigo's envelope (400 for what it cannot take, 500 for
its own bugs) and keeps serving; the Python API raises ``ValueError`` / ``TypeError`` that say
what is allowed.
"""

from __future__ import annotations

import http.client
import math
import socket
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests

from siigo import Client, _json, _patterns
from siigo.sandbox import DEFAULT_ACCESS_KEY, DEFAULT_PARTNER_ID, DEFAULT_USERNAME, Sandbox
from siigo.sandbox import app as sandbox_app
from siigo.sandbox import documents as sandbox_documents
from siigo.sandbox.app import MAX_JSON_DEPTH
from siigo.sandbox.handlers import _common
from siigo.sandbox.handlers import invoices as invoice_handlers
from siigo.sandbox.server import MAX_BODY_BYTES
from siigo.sandbox.state import Fault, SandboxSettings

from ..resources.test_invoices import invoice_body, seed

DEEP = "[" * 100_000


def auth_headers(sandbox: Sandbox, username: str = DEFAULT_USERNAME) -> dict[str, str]:
    answer = requests.post(
        sandbox.url + "/auth", json={"username": username, "access_key": DEFAULT_ACCESS_KEY}, timeout=5
    )
    assert answer.status_code == 200
    return {
        "Authorization": f"Bearer {answer.json()['access_token']}",
        "Partner-Id": DEFAULT_PARTNER_ID,
        "Content-Type": "application/json",
    }


def siigo_error(response: requests.Response, status: int) -> dict[str, Any]:
    """The first error of a Siigo envelope, after checking the envelope itself."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["Status"] == status and body["Errors"]
    first: dict[str, Any] = body["Errors"][0]
    assert set(first) == {"Code", "Message", "Params", "Detail"}
    return first


def raw_exchange(sandbox: Sandbox, request: bytes) -> bytes:
    """Send bytes on a fresh connection; everything the sandbox answers until it closes."""
    with socket.create_connection((sandbox.host, sandbox.port), timeout=5) as sock:
        sock.sendall(request)
        chunks: list[bytes] = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


@pytest.fixture
def shop(siigo_sandbox: Sandbox, siigo_client: Client) -> Client:
    seed(siigo_client)
    return siigo_client


# --- 1. one pattern per wire rule --------------------------------------------------------------


def test_the_sandbox_uses_the_shared_patterns() -> None:
    assert vars(sandbox_app)["PARTNER_ID"] is _patterns.PARTNER_ID
    assert vars(_common)["GUID"] is _patterns.GUID
    assert vars(sandbox_documents)["IDEMPOTENCY_KEY"] is _patterns.IDEMPOTENCY_KEY
    assert vars(sandbox_documents)["catalog_entry"] is _common.catalog_entry
    assert "_catalog_row" not in vars(invoice_handlers) and "_PARTNER_ID" not in vars(sandbox_app)
    assert _common.catalog_entry([{"id": 1}, {"id": 2, "name": "b"}], 2) == {"id": 2, "name": "b"}
    assert _common.catalog_entry([{"id": 1}], 3) is None


@pytest.mark.parametrize(
    ("partner_id", "status"),
    [("abc", 200), ("A" * 100, 200), ("ab", 400), ("A" * 101, 400), ("Mi-App", 400), ("Mi App", 400)],
)
def test_partner_id_follows_the_shared_rule(siigo_sandbox: Sandbox, partner_id: str, status: int) -> None:
    headers = {**auth_headers(siigo_sandbox), "Partner-Id": partner_id}
    answer = requests.get(siigo_sandbox.url + "/v1/taxes", headers=headers, timeout=5)
    assert answer.status_code == status
    if status == 400:
        assert siigo_error(answer, 400)["Code"] == "invalid_partner_id"


@pytest.mark.parametrize(("key", "accepted"), [("A" * 30, True), ("A" * 31, False), ("abc-1", False)])
def test_idempotency_key_follows_the_shared_rule(
    shop: Client, siigo_sandbox: Sandbox, key: str, accepted: bool
) -> None:
    answer = requests.post(
        siigo_sandbox.url + "/v1/invoices",
        data=_json.dumps(invoice_body()),
        headers={**auth_headers(siigo_sandbox), "Idempotency-Key": key},
        timeout=5,
    )
    if accepted:
        assert answer.status_code == 201
    else:
        assert siigo_error(answer, 400)["Code"] == "invalid_idempotency_key"
        assert siigo_sandbox.tenant().invoices == {}


def test_a_guid_with_a_trailing_newline_is_not_a_guid(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = shop.invoices.create(**invoice_body())
    headers = auth_headers(siigo_sandbox)
    found = requests.get(f"{siigo_sandbox.url}/v1/invoices/{invoice.id}", headers=headers, timeout=5)
    assert found.status_code == 200
    padded = requests.get(f"{siigo_sandbox.url}/v1/invoices/{invoice.id}%0A", headers=headers, timeout=5)
    assert siigo_error(padded, 404)["Code"] == "not_found"


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("http://localhost:8080/hook?x=1", "http://localhost:8080/hook?x=1"),
        ("https://127.0.0.1:9/a", "http://127.0.0.1:9/a"),
        ("http://[::1]:9", "http://[::1]:9/"),
        ("https://erp.example.com/hook", None),
        ("http://10.0.0.1/hook", None),
        ("http://[::1", None),
    ],
)
def test_batch_notifications_only_go_to_loopback_hosts(url: str, target: str | None) -> None:
    assert invoice_handlers._loopback_url(url) == target


# --- 2. settings are checked -------------------------------------------------------------------


BAD_SETTINGS: list[tuple[dict[str, Any], str, str]] = [
    ({"rate_limit": "x"}, "invalid_type", "rate_limit"),
    ({"rate_limit": 0}, "invalid_value", "rate_limit"),
    ({"rate_limit": True}, "invalid_type", "rate_limit"),
    ({"rate_limit": 2.5}, "invalid_type", "rate_limit"),
    ({"token_ttl": -1}, "invalid_value", "token_ttl"),
    ({"token_ttl": 0}, "invalid_value", "token_ttl"),
    ({"token_ttl": "abc"}, "invalid_type", "token_ttl"),
    ({"token_ttl": None}, "invalid_type", "token_ttl"),
    ({"rounding_mode": "weird"}, "invalid_value", "rounding_mode"),
    ({"rounding_mode": 1}, "invalid_value", "rounding_mode"),
    ({"links_key": "next"}, "invalid_value", "links_key"),
    ({"put_status": 204}, "invalid_value", "put_status"),
    ({"idempotent_replay_status": "201"}, "invalid_type", "idempotent_replay_status"),
    ({"page_size_default": 5}, "invalid_value", "page_size_default"),
    ({"retry_after": "yes"}, "invalid_type", "retry_after"),
    ({"retry_after": 1}, "invalid_type", "retry_after"),
    ({"stamp_outcome": "accepted"}, "invalid_value", "stamp_outcome"),
    ({"links_base": "ftp://example.com"}, "invalid_value", "links_base"),
    ({"links_base": "https://"}, "invalid_value", "links_base"),
    ({"links_base": 5}, "invalid_type", "links_base"),
    ({"credentials": ["a", "b"]}, "invalid_type", "credentials"),
    ({"credentials": {"a@example.com": 5}}, "invalid_value", "credentials"),
    ({"credentials": {"": "key"}}, "invalid_value", "credentials"),
    ({"nonsense": 1}, "invalid_value", "nonsense"),
    ({"rate_limit": 10, "token_ttl": -1}, "invalid_value", "token_ttl"),
]


@pytest.mark.parametrize(("change", "code", "name"), BAD_SETTINGS)
def test_invalid_settings_are_refused_over_http(
    siigo_sandbox: Sandbox, change: dict[str, Any], code: str, name: str
) -> None:
    control = siigo_sandbox.url + "/_sandbox/settings"
    before = requests.get(control, timeout=5).json()
    error = siigo_error(requests.post(control, json=change, timeout=5), 400)
    assert error["Code"] == code
    assert name in error["Message"]
    if name != "nonsense":
        assert "must be" in error["Message"]
    assert requests.get(control, timeout=5).json() == before  # nothing changed, not even rate_limit
    assert requests.get(siigo_sandbox.url + "/v1/taxes", headers=auth_headers(siigo_sandbox)).ok


@pytest.mark.parametrize(("change", "code", "name"), BAD_SETTINGS)
def test_invalid_settings_are_refused_in_python(
    siigo_sandbox: Sandbox, change: dict[str, Any], code: str, name: str
) -> None:
    expected = TypeError if code == "invalid_type" else ValueError
    before = SandboxSettings(**{})
    with pytest.raises(expected, match=name):
        siigo_sandbox.configure(**change)
    assert siigo_sandbox.settings == before
    with pytest.raises(expected, match=name):
        Sandbox(**change)
    if name != "nonsense":
        with pytest.raises(expected, match=name):
            SandboxSettings(**change)
    field, value = next((k, v) for k, v in change.items() if k == name)
    with pytest.raises(expected, match=name):
        setattr(siigo_sandbox.settings, field, value)
    assert siigo_sandbox.settings == before


def test_valid_settings_keep_working(siigo_sandbox: Sandbox) -> None:
    control = siigo_sandbox.url + "/_sandbox/settings"
    change = {
        "rate_limit": 10,
        "token_ttl": 3600.5,
        "rounding_mode": "half_even",
        "links_key": "__links",
        "page_size_default": 10,
        "put_status": 201,
        "retry_after": False,
        "stamp_outcome": "Rejected",
        "links_base": "https://api.siigo.com",
        "credentials": {"solo@example.com": "clave"},
    }
    answer = requests.post(control, json=change, timeout=5)
    assert answer.status_code == 200
    assert {k: answer.json()[k] for k in change} == change
    assert siigo_sandbox.settings.token_ttl == 3600.5 and isinstance(siigo_sandbox.settings.token_ttl, float)
    assert requests.post(control, json={"rate_limit": None, "links_base": None}, timeout=5).status_code == 200
    assert siigo_sandbox.settings.rate_limit is None

    siigo_sandbox.configure(token_ttl=2, rate_limit=100, credentials=None)
    assert siigo_sandbox.settings.token_ttl == 2.0
    siigo_sandbox.settings.strict_due_date = True
    assert requests.get(control, timeout=5).json()["strict_due_date"] is True


def test_settings_need_a_json_object(siigo_sandbox: Sandbox) -> None:
    control = siigo_sandbox.url + "/_sandbox/settings"
    assert siigo_error(requests.post(control, json=[1], timeout=5), 400)["Code"] == "invalid_type"
    not_json = requests.post(control, data=b"{rate_limit: 1}", timeout=5)
    assert "not valid JSON" in siigo_error(not_json, 400)["Message"]


# --- 3. faults are checked ---------------------------------------------------------------------


BAD_FAULTS: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"path": "("}, ValueError, "regular expression"),
    ({"path": 5}, TypeError, "path"),
    ({"status": 200}, ValueError, "400 to 599"),
    ({"status": 600}, ValueError, "400 to 599"),
    ({"status": "503"}, TypeError, "status"),
    ({"status": True}, TypeError, "status"),
    ({"count": 0}, ValueError, "count"),
    ({"count": -1}, ValueError, "count"),
    ({"count": 1.5}, TypeError, "count"),
    ({"delay": -1}, ValueError, "delay"),
    ({"delay": "x"}, TypeError, "delay"),
    ({"delay": 7200}, ValueError, "delay"),
    ({"probability": 1.5}, ValueError, "probability"),
    ({"probability": -0.1}, ValueError, "probability"),
    ({"status": 429, "retry_after": -1}, ValueError, "retry_after"),
    ({"retry_after": 1}, ValueError, "retry_after"),
    ({"drop": "middle"}, ValueError, "drop"),
    ({"drop": "after", "status": 503}, ValueError, "not both"),
    ({"method": "GE T"}, ValueError, "method"),
    ({"method": 5}, ValueError, "method"),
]


@pytest.mark.parametrize(("fields", "error", "words"), BAD_FAULTS)
def test_invalid_faults_are_refused_over_http(
    siigo_sandbox: Sandbox, fields: dict[str, Any], error: type[Exception], words: str
) -> None:
    answer = requests.post(siigo_sandbox.url + "/_sandbox/faults", json=fields, timeout=5)
    found = siigo_error(answer, 400)
    assert found["Code"] == ("invalid_type" if error is TypeError else "invalid_value")
    assert words in found["Message"]
    assert requests.get(siigo_sandbox.url + "/_sandbox/faults", timeout=5).json() == []


@pytest.mark.parametrize(("fields", "error", "words"), BAD_FAULTS)
def test_invalid_faults_are_refused_in_python(
    siigo_sandbox: Sandbox, fields: dict[str, Any], error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        siigo_sandbox.inject_fault(**fields)
    assert siigo_sandbox.faults() == []


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 10**400, Decimal("1e999999999")])
def test_fault_numbers_must_be_finite(value: Any) -> None:
    for name in ("delay", "probability"):
        with pytest.raises(ValueError, match=name):
            Fault(**{name: value})
    with pytest.raises(ValueError, match="retry_after"):
        Fault(status=429, retry_after=value)


def test_unknown_fault_fields_are_named(siigo_sandbox: Sandbox) -> None:
    answer = requests.post(siigo_sandbox.url + "/_sandbox/faults", json={"nonsense": 1, "path": "x"})
    message = siigo_error(answer, 400)["Message"]
    assert "nonsense" in message and "probability" in message
    as_text = requests.post(siigo_sandbox.url + "/_sandbox/faults", json="x", timeout=5)
    assert siigo_error(as_text, 400)["Code"] == "invalid_type"


def test_valid_faults_keep_working(siigo_sandbox: Sandbox) -> None:
    answer = requests.post(
        siigo_sandbox.url + "/_sandbox/faults",
        json={"path": "^/v1/taxes$", "method": "get", "status": 503, "count": 1, "probability": 1.0},
        timeout=5,
    )
    assert answer.status_code == 201 and answer.json()["method"] == "GET"
    [fault] = siigo_sandbox.faults()
    assert (fault.count, fault.hits, fault.probability) == (1, 0, 1.0)
    headers = auth_headers(siigo_sandbox)
    assert requests.get(siigo_sandbox.url + "/v1/taxes", headers=headers, timeout=5).status_code == 503
    assert requests.get(siigo_sandbox.url + "/v1/taxes", headers=headers, timeout=5).status_code == 200
    [fault] = siigo_sandbox.faults()
    assert (fault.count, fault.hits) == (0, 1)

    delayed = siigo_sandbox.inject_fault(path="^/v1/users$", delay=Decimal("0.05"), count=None, probability=0)  # type: ignore[arg-type]
    assert delayed.delay == 0.05 and delayed.count is None
    siigo_sandbox.clear_faults()
    assert siigo_sandbox.faults() == []


def test_journal_path_filter_must_be_a_regex(siigo_sandbox: Sandbox) -> None:
    answer = requests.get(siigo_sandbox.url + "/_sandbox/journal", params={"path": "("}, timeout=5)
    assert "regular expression" in siigo_error(answer, 400)["Message"]
    with pytest.raises(ValueError, match="regular expression"):
        siigo_sandbox.journal(path="(")
    requests.get(siigo_sandbox.url + "/v1/taxes", timeout=5)
    assert [e.path for e in siigo_sandbox.journal(path="^/v1/tax")] == ["/v1/taxes"]


# --- 4. bodies Siigo would not read, and the sandbox's own bugs --------------------------------


@pytest.mark.parametrize(
    "body",
    [
        DEEP.encode(),
        ("[" * 5000 + "]" * 5000).encode(),
        b'{"code": NaN}',
        b'{"code": Infinity}',
        b'{"code": "A1", "name": "x", "account_group": 1e999999999}',
        b'{"code": "A1", "name": "x", "account_group": 1e999999}',
        b'{"code": "A1", "name": "x", "account_group": 1e29}',
        b'{"code": "A1", "name": "x", "account_group": 79228162514264337593543950336}',
        b'{"code": "A1", "name": "x", "account_group": 1e-999999999}',
        b'{"code": "A1", "name": "x", "account_group": 0.00000000000000000000000000001}',
        b'{"code": "A1", "name": "x", "account_group": -' + b"9" * 5000 + b"}",
        b"\xff\xfe{",
    ],
    ids=[
        "deep",
        "deep-closed",
        "nan",
        "infinity",
        "huge-exponent",
        "exponent",
        "1e29",
        "int",
        "tiny-exponent",
        "29-places",
        "int5000",
        "not-utf8",
    ],
)
@pytest.mark.parametrize("path", ["/v1/products", "/v1/customers", "/v1/invoices", "/v1/invoices/batch"])
def test_unreadable_bodies_are_a_400(siigo_sandbox: Sandbox, body: bytes, path: str) -> None:
    answer = requests.post(
        siigo_sandbox.url + path, data=body, headers=auth_headers(siigo_sandbox), timeout=10
    )
    error = siigo_error(answer, 400)
    assert error["Code"] == "invalid_type"
    assert "not valid JSON" in error["Message"]


def test_the_depth_limit_is_the_same_on_every_python(siigo_sandbox: Sandbox) -> None:
    headers = auth_headers(siigo_sandbox)
    url = siigo_sandbox.url + "/v1/products"
    deepest = ("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH).encode()
    read = requests.post(url, data=deepest, headers=headers, timeout=5)
    assert siigo_error(read, 400)["Message"] == "The body must be a JSON object"
    one_more = b"[" + deepest + b"]"
    refused = requests.post(url, data=one_more, headers=headers, timeout=5)
    assert f"more than {MAX_JSON_DEPTH} levels" in siigo_error(refused, 400)["Message"]
    nested_objects = b'{"a":' * (MAX_JSON_DEPTH + 1) + b"1" + b"}" * (MAX_JSON_DEPTH + 1)
    refused = requests.post(url, data=nested_objects, headers=headers, timeout=5)
    assert "nested too deeply" in siigo_error(refused, 400)["Message"]


def test_the_largest_numbers_siigo_reads_are_still_read(siigo_sandbox: Sandbox) -> None:
    headers = auth_headers(siigo_sandbox)
    for number in (b"79228162514264337593543950335", b"-7.9E+28", b"1e-28", b"0.5", b"0e5"):
        body = b'{"code": "A1", "name": "x", "account_group": ' + number + b"}"
        answer = requests.post(siigo_sandbox.url + "/v1/products", data=body, headers=headers, timeout=5)
        assert siigo_error(answer, 400)["Code"] in ("invalid_reference", "invalid_type", "invalid_value")
        assert "not valid JSON" not in answer.text


def test_unreadable_bodies_on_auth_and_control_are_a_400(siigo_sandbox: Sandbox) -> None:
    auth = requests.post(siigo_sandbox.url + "/auth", data=DEEP, timeout=10)
    assert siigo_error(auth, 400)["Code"] == "invalid_type"
    for route in ("/settings", "/faults", "/clock", "/invoices/stamp-delay"):
        answer = requests.post(siigo_sandbox.url + "/_sandbox" + route, data=DEEP, timeout=10)
        assert "nested too deeply" in siigo_error(answer, 400)["Message"]
    assert requests.get(siigo_sandbox.url + "/_sandbox/settings", timeout=5).status_code == 200


def test_numbers_that_overflow_are_a_400_on_invoices(shop: Client, siigo_sandbox: Sandbox) -> None:
    body = _json.dumps(invoice_body()).replace(b'"quantity":10', b'"quantity":1e999999999')
    assert b"1e999999999" in body
    answer = requests.post(
        siigo_sandbox.url + "/v1/invoices", data=body, headers=auth_headers(siigo_sandbox), timeout=10
    )
    assert siigo_error(answer, 400)["Code"] == "invalid_type"
    assert siigo_sandbox.tenant().invoices == {}


class _Exploding:
    """Stands in for the journal: appending to it fails like a bug would."""

    def append(self, entry: Any) -> None:
        raise RuntimeError("journal exploded")

    def clear(self) -> None:
        pass


def test_a_bug_in_a_handler_is_a_500_in_siigo_envelope(siigo_sandbox: Sandbox) -> None:
    headers = auth_headers(siigo_sandbox)
    siigo_sandbox.tenant().catalogs["taxes"] = [object()]
    answer = requests.get(siigo_sandbox.url + "/v1/taxes", headers=headers, timeout=5)
    error = siigo_error(answer, 500)
    assert error["Code"] == "unhandled_error" and "TypeError" in error["Message"]
    assert requests.get(siigo_sandbox.url + "/v1/users", headers=headers, timeout=5).status_code == 200


def test_a_bug_outside_the_handlers_is_a_500_in_siigo_envelope(siigo_sandbox: Sandbox) -> None:
    headers = auth_headers(siigo_sandbox)
    journal = siigo_sandbox.state.journal
    siigo_sandbox.state.journal = _Exploding()  # type: ignore[assignment]
    try:
        with requests.Session() as http:
            answer = http.get(siigo_sandbox.url + "/v1/taxes", headers=headers, timeout=5)
            error = siigo_error(answer, 500)
            assert error["Code"] == "unhandled_error" and "journal exploded" in error["Message"]
            assert http.get(siigo_sandbox.url + "/_sandbox/settings", timeout=5).status_code == 200
    finally:
        siigo_sandbox.state.journal = journal


def test_unknown_control_routes_answer_in_siigo_envelope(siigo_sandbox: Sandbox) -> None:
    answer = requests.get(siigo_sandbox.url + "/_sandbox/nothing", timeout=5)
    assert siigo_error(answer, 404)["Code"] == "not_found"


# --- 5. answers are built under the state lock -------------------------------------------------


class _LockProbe(dict[str, Any]):
    """A catalog row that records, while it is being written out, whether another thread could
    take the state lock at that moment."""

    def __init__(self, lock: Any, seen: list[bool], **fields: Any) -> None:
        super().__init__(**fields)
        self.lock = lock
        self.seen = seen

    def items(self) -> Any:
        def probe() -> None:
            taken = self.lock.acquire(blocking=False)
            if taken:
                self.lock.release()
            self.seen.append(not taken)

        other = threading.Thread(target=probe)
        other.start()
        other.join()
        return super().items()


@pytest.mark.parametrize(
    ("path", "catalog"),
    [
        ("/v1/taxes", "taxes"),
        ("/v1/warehouses", "warehouses"),
        ("/v1/users", "users"),
        ("/v1/document-types?type=FV", "document_types"),
    ],
)
def test_catalog_answers_are_written_under_the_state_lock(
    siigo_sandbox: Sandbox, path: str, catalog: str
) -> None:
    headers = auth_headers(siigo_sandbox)
    seen: list[bool] = []
    rows = siigo_sandbox.tenant().catalogs[catalog]
    rows.append(_LockProbe(siigo_sandbox.state.lock, seen, **rows[0]))
    answer = requests.get(siigo_sandbox.url + path, headers=headers, timeout=5)
    assert answer.status_code == 200
    assert seen == [True]


def test_concurrent_account_group_updates_never_tear_a_list(siigo_sandbox: Sandbox) -> None:
    headers = auth_headers(siigo_sandbox)
    url = siigo_sandbox.url + "/v1/account-groups"
    created = requests.post(url, json={"code": "G0", "name": "Grupo G0"}, headers=headers, timeout=5)
    group_id = created.json()["id"]
    stop = threading.Event()

    def writer() -> None:
        with requests.Session() as http:
            n = 0
            while not stop.is_set():
                n += 1
                http.put(f"{url}/{group_id}", json={"code": f"G{n}", "name": f"Grupo G{n}"}, headers=headers)

    thread = threading.Thread(target=writer)
    thread.start()
    torn = []
    try:
        with requests.Session() as http:
            for _ in range(150):
                for group in http.get(url, headers=headers, timeout=5).json():
                    if group["id"] == group_id and group["name"] != f"Grupo {group['code']}":
                        torn.append(group)
    finally:
        stop.set()
        thread.join()
    assert torn == []


# --- 6. the control plane in Python ------------------------------------------------------------


def test_sandbox_has_every_control_method_the_readme_names() -> None:
    for name in (
        "reset",
        "configure",
        "advance_clock",
        "inject_fault",
        "faults",
        "clear_faults",
        "journal",
        "clear_journal",
        "outbox",
        "stamp",
    ):
        assert callable(getattr(Sandbox, name)), name
    assert isinstance(Sandbox.settings, property)


def test_outbox_lists_mails_per_company(shop: Client, siigo_sandbox: Sandbox) -> None:
    assert siigo_sandbox.outbox() == []
    invoice = shop.invoices.create(**invoice_body(mail={"send": True}))
    shop.invoices.send_email(invoice.id, mail_to="tesoreria@example.com")
    mails = siigo_sandbox.outbox()
    assert [(m["company"], m["invoice_id"]) for m in mails] == [(DEFAULT_USERNAME, invoice.id)] * 2
    assert mails[1]["to"] == "tesoreria@example.com"
    assert siigo_sandbox.outbox(DEFAULT_USERNAME) == mails
    assert siigo_sandbox.outbox("otra@empresa.example.com") == []
    assert "otra@empresa.example.com" not in siigo_sandbox.state.tenants

    mails[0]["to"] = "changed@example.com"
    assert siigo_sandbox.outbox()[0]["to"] != "changed@example.com"
    over_http = requests.get(siigo_sandbox.url + "/_sandbox/outbox", timeout=5).json()
    assert over_http == siigo_sandbox.outbox()
    only = requests.get(
        siigo_sandbox.url + "/_sandbox/outbox", params={"company": "otra@empresa.example.com"}, timeout=5
    )
    assert only.json() == []


def test_stamp_sets_the_dian_answer(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = shop.invoices.create(**invoice_body(document={"id": 28453}))
    assert invoice.stamp is not None and invoice.stamp.status == "Draft"

    rejected = siigo_sandbox.stamp(invoice.id, "Rejected", errors=[{"code": "FAU04", "message": "total"}])
    assert rejected["stamp"]["status"] == "Rejected" and rejected["stamp"]["errors"] == "total"
    errors = shop.invoices.stamp_errors(invoice.id).errors
    assert errors is not None and [(e.code, e.message) for e in errors] == [("FAU04", "total")]

    accepted = siigo_sandbox.stamp(invoice.id, username=DEFAULT_USERNAME)
    assert accepted["stamp"]["status"] == "Accepted" and len(accepted["stamp"]["cufe"]) == 96
    assert shop.invoices.retrieve(invoice.id).cufe == accepted["stamp"]["cufe"]

    with pytest.raises(ValueError, match="Accepted, Rejected or Draft"):
        siigo_sandbox.stamp(invoice.id, "Sent")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="errors must be"):
        siigo_sandbox.stamp(invoice.id, "Rejected", errors="FAU04")
    with pytest.raises(TypeError, match="errors must be"):
        siigo_sandbox.stamp(invoice.id, "Rejected", errors=[5])  # type: ignore[list-item]
    with pytest.raises(KeyError):
        siigo_sandbox.stamp("00000000-0000-4000-8000-000000000000")
    with pytest.raises(KeyError):
        siigo_sandbox.stamp(invoice.id, username="otra@empresa.example.com")
    assert "otra@empresa.example.com" not in siigo_sandbox.state.tenants
    assert shop.invoices.retrieve(invoice.id).cufe == accepted["stamp"]["cufe"]


@pytest.mark.parametrize(
    "body",
    [
        {"status": 5},
        {"status": "Rejected", "errors": "FAU04"},
        {"status": "Rejected", "errors": [["x"]]},
        {"status": "Rejected", "errors": [{"code": "X", "message": {"nested": 1}}]},
        {"status": "Accepted", "company": ["x"]},
        {"status": "Accepted", "other": 1},
    ],
)
def test_stamp_over_http_refuses_invalid_answers(shop: Client, siigo_sandbox: Sandbox, body: Any) -> None:
    invoice = shop.invoices.create(**invoice_body(document={"id": 28453}))
    answer = requests.post(f"{siigo_sandbox.url}/_sandbox/invoices/{invoice.id}/stamp", json=body, timeout=5)
    assert siigo_error(answer, 400)["Code"] in ("invalid_type", "invalid_value")
    assert shop.invoices.retrieve(invoice.id).stamp.status == "Draft"  # type: ignore[union-attr]
    unknown = requests.post(
        f"{siigo_sandbox.url}/_sandbox/invoices/00000000-0000-4000-8000-000000000000/stamp",
        json={"status": "Accepted"},
        timeout=5,
    )
    assert siigo_error(unknown, 404)["Code"] == "not_found"


# --- 7. more input that used to crash or hang the sandbox --------------------------------------


@pytest.mark.parametrize("advance", ["abc", None, True, 1e27, -1e12, [1]])
def test_the_clock_refuses_impossible_moves(siigo_sandbox: Sandbox, advance: Any) -> None:
    answer = requests.post(siigo_sandbox.url + "/_sandbox/clock", json={"advance": advance}, timeout=5)
    assert "clock" in siigo_error(answer, 400)["Message"]
    assert siigo_sandbox.state.clock_offset == 0
    assert requests.get(siigo_sandbox.url + "/v1/taxes", headers=auth_headers(siigo_sandbox)).ok


def test_the_clock_refuses_infinity_in_python_and_json(siigo_sandbox: Sandbox) -> None:
    for value in (math.inf, math.nan, 10**400):
        with pytest.raises(ValueError, match="clock"):
            siigo_sandbox.advance_clock(value)
    as_json = requests.post(siigo_sandbox.url + "/_sandbox/clock", data=b'{"advance": 1e400}', timeout=5)
    assert "out of range" in siigo_error(as_json, 400)["Message"]
    assert siigo_sandbox.state.clock_offset == 0
    siigo_sandbox.advance_clock(3600)
    assert siigo_sandbox.state.clock_offset == 3600


@pytest.mark.parametrize("seconds", ["x", -1, None])
def test_the_stamp_delay_is_checked(siigo_sandbox: Sandbox, seconds: Any) -> None:
    answer = requests.post(
        siigo_sandbox.url + "/_sandbox/invoices/stamp-delay",
        json={"company": DEFAULT_USERNAME, "seconds": seconds},
        timeout=5,
    )
    assert "stamp delay" in siigo_error(answer, 400)["Message"]
    with pytest.raises(ValueError, match="stamp delay"):
        invoice_handlers.set_stamp_delay(siigo_sandbox.state, DEFAULT_USERNAME, math.nan)


def test_non_ascii_access_keys_are_a_401_not_a_500(siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.configure(credentials={"solo@example.com": "clave"})
    for key in ("clav\\u00e9", "\\ud800", "\\u0000"):
        answer = requests.post(
            siigo_sandbox.url + "/auth",
            data=f'{{"username": "solo@example.com", "access_key": "{key}"}}',
            timeout=5,
        )
        assert siigo_error(answer, 401)["Code"] == "unauthorized"
    siigo_sandbox.configure(credentials={"solo@example.com": "clavé"})
    good = requests.post(
        siigo_sandbox.url + "/auth", json={"username": "solo@example.com", "access_key": "clavé"}, timeout=5
    )
    assert good.status_code == 200


@pytest.mark.parametrize(
    ("headers", "status", "words"),
    [
        ("Content-Length: abc", 400, b"Content-Length"),
        ("Content-Length: -5", 400, b"Content-Length"),
        ("Content-Length: 1,1", 400, b"Content-Length"),
        ("Content-Length: \u00b2", 400, b"Content-Length"),
        (f"Content-Length: {MAX_BODY_BYTES + 1}", 413, b"at most"),
        ("Content-Length: 1000000000000", 413, b"at most"),
        ("Content-Length: " + "9" * 40, 413, b"at most"),
        ("Transfer-Encoding: gzip", 400, b"Transfer-Encoding"),
        ("Transfer-Encoding: chunked\r\n\r\nzz", 400, b"chunked"),
        ("Transfer-Encoding: chunked\r\n\r\n-1", 400, b"chunked"),
        (f"Transfer-Encoding: chunked\r\n\r\n{MAX_BODY_BYTES + 1:x}", 413, b"at most"),
    ],
)
def test_a_body_that_cannot_be_read_is_refused_and_the_connection_closed(
    siigo_sandbox: Sandbox, headers: str, status: int, words: bytes
) -> None:
    head, _, rest = headers.partition("\r\n\r\n")
    request = f"POST /v1/products HTTP/1.1\r\nHost: x\r\n{head}\r\n\r\n" + (rest + "\r\n" if rest else "")
    answer = raw_exchange(siigo_sandbox, request.encode("latin-1"))
    assert answer.startswith(f"HTTP/1.1 {status} ".encode())
    assert b"Connection: close" in answer and words in answer
    assert answer.count(b"HTTP/1.1") == 1


def test_a_chunked_body_is_read(siigo_sandbox: Sandbox) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"code": "A1",'
        yield b'"name": "Tornillo", "account_group": 1821}'

    headers = auth_headers(siigo_sandbox)
    with requests.Session() as http:
        answer = http.post(siigo_sandbox.url + "/v1/products", data=chunks(), headers=headers, timeout=5)
        assert answer.status_code == 201 and answer.json()["code"] == "A1"
        again = http.post(siigo_sandbox.url + "/v1/products", data=chunks(), headers=headers, timeout=5)
        assert siigo_error(again, 400)["Code"] == "already_exists"
        assert http.get(siigo_sandbox.url + "/v1/taxes", headers=headers, timeout=5).status_code == 200
    assert [p["code"] for p in siigo_sandbox.tenant().products.values()] == ["A1"]


def test_head_answers_without_a_body_and_keeps_the_connection_usable(siigo_sandbox: Sandbox) -> None:
    headers = auth_headers(siigo_sandbox)
    connection = http.client.HTTPConnection(siigo_sandbox.host, siigo_sandbox.port, timeout=5)
    try:
        connection.request("HEAD", "/v1/taxes", headers=headers)
        head = connection.getresponse()
        assert head.status == 405
        assert head.read() == b""
        connection.request("GET", "/v1/taxes", headers=headers)
        get = connection.getresponse()
        assert get.status == 200 and get.read().startswith(b"[")
    finally:
        connection.close()
