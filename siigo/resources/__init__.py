"""Resource namespaces of :class:`siigo.Client` (``client.products``, ``client.invoices``...)."""
