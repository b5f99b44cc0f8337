"""Placeholder: the catalog cache used by the invoice preflight."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .client import Client


class CatalogCache:
    def __init__(self, client: Client, ttl: float = 3600.0) -> None:
        self._client = client
        self.ttl = ttl
