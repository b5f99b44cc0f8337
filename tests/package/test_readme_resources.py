"""The README's resource table lists every resource of the client with every method it has."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from siigo import Client

ROOT = Path(__file__).resolve().parents[2]
# Every document resource has these; the table's note says so once.
SHARED = {"model", "file_model", "new_idempotency_key", "check"}


def _table() -> dict[str, set[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Resources\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, set[str]] = {}
    for line in section.splitlines():
        if not line.startswith("| `client."):
            continue
        names_cell, methods_cell = line.strip("|").split("|")[:2]
        methods = {m.split("(")[0] for m in re.findall(r"`([a-z_]+(?:\([^`]*\))?)`", methods_cell)}
        for name in re.findall(r"`client\.([a-z_]+)`", names_cell):
            rows[name] = methods
    return rows


def _resources(client: Client) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name, attribute in vars(Client).items():
        if not isinstance(attribute, cached_property):
            continue
        resource = getattr(client, name)
        if not hasattr(resource, "_client"):
            continue
        found[name] = {m for m in dir(resource) if not m.startswith("_") and callable(getattr(resource, m))}
    return found


def test_every_resource_and_method_is_in_the_readme_table() -> None:
    table = _table()
    with Client(token="t", partner_id="MiTiendaERP") as client:
        resources = _resources(client)
    assert sorted(resources) == sorted(table)
    for name, methods in resources.items():
        assert methods - SHARED <= table[name], (name, methods - SHARED - table[name])
        assert table[name] <= methods, (name, table[name] - methods)
