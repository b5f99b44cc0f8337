"""Resource namespaces of :class:`siigo.Client` (``client.products``, ``client.invoices``...).

:class:`DocumentCheck` is the answer of ``client.<kind>.check(draft)`` for every document kind
with totals (sales invoices, credit notes, quotations...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._documents import DocumentCheck

__all__ = ["DocumentCheck"]


def __getattr__(name: str) -> Any:
    # Imported when first used: ``siigo.resources.<module>`` then imports only what it needs.
    if name == "DocumentCheck":
        from ._documents import DocumentCheck

        globals()[name] = DocumentCheck
        return DocumentCheck
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
