"""Resource namespaces of :class:`siigo.Client` (``client.products``, ``client.invoices``...).

:class:`DocumentCheck` is the answer of ``client.<kind>.check(draft)`` for every document kind
with totals (sales invoices, credit notes, quotations...).
"""

from ._documents import DocumentCheck

__all__ = ["DocumentCheck"]
