"""Both READMEs' resource tables list every resource of the client with every method it has."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

import pytest

from siigo import Client

ROOT = Path(__file__).resolve().parents[2]
# Every document resource has these; the table's note says so once (check and the model it
# validates, draft_model, are on every document resource of this branch).
SHARED = {"model", "file_model", "new_idempotency_key", "check", "draft_model"}


def _table(readme: str, heading: str) -> dict[str, set[str]]:
    text = (ROOT / readme).read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
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


@pytest.mark.parametrize(("readme", "heading"), [("README.md", "Resources"), ("README.es.md", "Recursos")])
def test_every_resource_and_method_is_in_the_readme_table(readme: str, heading: str) -> None:
    table = _table(readme, heading)
    with Client(token="t", partner_id="MiTiendaERP") as client:
        resources = _resources(client)
    assert sorted(resources) == sorted(table)
    for name, methods in resources.items():
        assert methods - SHARED <= table[name], (name, methods - SHARED - table[name])
        assert table[name] <= methods, (name, table[name] - methods)
