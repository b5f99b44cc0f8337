"""The sandbox itself: HTTP control plane, command line, Siigo's wire behaviour."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from siigo.sandbox import Sandbox
from siigo.sandbox.demo import seed_demo
from siigo.sandbox.documents import set_stamp_delay
from siigo.sandbox.persist import load_state, save_state
from siigo.sandbox.server import DEFAULT_USERNAME

from ..cli.runner import run_siigo


def test_control_plane_over_http(siigo_sandbox: Sandbox) -> None:
    base = siigo_sandbox.url + "/_sandbox"
    with requests.Session() as http:
        auth = http.post(siigo_sandbox.url + "/auth", json={"username": "c@example.com", "access_key": "k"})
        assert auth.status_code == 200
        body = auth.json()
        assert body["expires_in"] == 86400 and body["token_type"] == "Bearer" and body["scope"] == "SiigoAPI"
        headers = {"Authorization": f"Bearer {body['access_token']}", "Partner-Id": "MiApp"}

        fault = http.post(base + "/faults", json={"path": "^/v1/taxes$", "status": 503, "count": 1})
        assert fault.status_code == 201 and fault.json()["count"] == 1
        assert http.get(siigo_sandbox.url + "/v1/taxes", headers=headers).status_code == 503
        assert http.get(siigo_sandbox.url + "/v1/taxes", headers=headers).status_code == 200
        assert http.get(base + "/faults").json()[0]["hits"] == 1
        assert http.post(base + "/faults", json={"nonsense": 1}).status_code == 400

        journal = http.get(base + "/journal", params={"path": "taxes"}).json()
        assert [row["status"] for row in journal] == [503, 200]
        assert journal[0]["fault"] == "status_503"

        settings = http.post(base + "/settings", json={"rate_limit": 1}).json()
        assert settings["rate_limit"] == 1
        assert http.get(siigo_sandbox.url + "/v1/cost-centers", headers=headers).status_code == 200
        limited = http.get(siigo_sandbox.url + "/v1/cost-centers", headers=headers)
        assert limited.status_code == 429
        assert limited.json()["Errors"][0]["Code"] == "requests_limit"
        assert "Retry-After" in limited.headers

        clock = http.post(base + "/clock", json={"advance": 90000}).json()
        assert clock["offset"] == 90000
        expired = http.get(siigo_sandbox.url + "/v1/taxes", headers=headers)
        assert expired.status_code == 401

        assert http.post(base + "/reset").json() == {"reset": True}
        assert http.get(base + "/journal").json() == []
        assert http.get(base + "/settings").json()["rate_limit"] is None


def test_unknown_routes_and_methods(siigo_sandbox: Sandbox) -> None:
    client = siigo_sandbox.client()
    token = client._tokens.token()
    headers = {"Authorization": f"Bearer {token}", "Partner-Id": "MiApp"}
    with requests.Session() as http:
        missing = http.get(siigo_sandbox.url + "/v1/cities", headers=headers)
        assert missing.status_code == 404 and missing.json()["Errors"][0]["Code"] == "not_found"
        wrong_method = http.delete(siigo_sandbox.url + "/v1/taxes", headers=headers)
        assert wrong_method.status_code == 405


def test_restricted_credentials(siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.configure(credentials={"solo@example.com": "clave"})
    with requests.Session() as http:
        bad = http.post(
            siigo_sandbox.url + "/auth", json={"username": "otro@example.com", "access_key": "clave"}
        )
        assert bad.status_code == 401
        assert bad.json()["Errors"][0]["Code"] == "unauthorized"
        empty = http.post(siigo_sandbox.url + "/auth", json={"username": "", "access_key": ""})
        assert empty.status_code == 400
        good = http.post(
            siigo_sandbox.url + "/auth", json={"username": "solo@example.com", "access_key": "clave"}
        )
        assert good.status_code == 200


def test_command_line_serves_on_loopback() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "siigo", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert match, line
        url = match.group(0)
        deadline = time.monotonic() + 10
        while True:
            try:
                answer = requests.post(
                    url + "/auth", json={"username": "cli@example.com", "access_key": "k"}, timeout=2
                )
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert answer.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()
        if process.stderr:
            process.stderr.close()


def test_python_api_hands_out_configured_clients() -> None:
    with Sandbox(rate_limit=100) as sandbox:
        assert sandbox.settings.rate_limit == 100
        client = sandbox.client(username="otra@example.com")
        assert client.base_url == sandbox.url
        assert client.taxes.list()
        assert sandbox.journal(path="taxes")[0].tenant == "otra@example.com"


def test_command_line_on_a_taken_port_says_so_in_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        finished = run_siigo(("sandbox", "--port", str(port)), env=dict(os.environ), timeout=60)
    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr.splitlines() == [
        f"port {port} on 127.0.0.1 is taken by another program: stop it or choose another with --port"
    ]


def test_command_line_refuses_a_port_out_of_range() -> None:
    finished = run_siigo(("sandbox", "--port", "70000"), env=dict(os.environ), timeout=60)
    assert finished.returncode == 2
    assert "70000 is not a port number" in finished.stderr
    assert "Traceback" not in finished.stderr


def test_a_list_applies_the_dian_answers_that_came_due_also_after_a_state_file(tmp_path: Path) -> None:
    # A list settles only the documents waiting for DIAN (it no longer visits every document):
    # the ones read from a state file too, and the page it keeps between two lists shows them.
    with Sandbox() as first:
        set_stamp_delay(first.state, DEFAULT_USERNAME, 60)
        with first.client() as client:
            seed_demo(client, 2)
            waiting = [i.id for i in client.invoices.list() if i.stamp and i.stamp.status != "Accepted"]
        assert len(waiting) == 2
        save_state(first.state, tmp_path / "state.json")
        # and as a sandbox without the index of waiting documents wrote it
        first.state.tenant(DEFAULT_USERNAME).extra.pop("document_waiting")
        save_state(first.state, tmp_path / "older.json")
    for name in ("state.json", "older.json"):
        with Sandbox() as second:
            load_state(second.state, tmp_path / name)
            with second.client() as client:
                before = {i.id: i.stamp.status if i.stamp else None for i in client.invoices.list()}
                second.advance_clock(61)
                after = {i.id: i.stamp.status if i.stamp else None for i in client.invoices.list()}
        assert [before[id] for id in waiting] == ["Draft", "Draft"], name
        assert [after[id] for id in waiting] == ["Accepted", "Accepted"], name
