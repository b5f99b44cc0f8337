"""A stand-alone receiver of Siigo's webhooks, on the standard library's WSGI server.

    SIIGO_COMPANY_KEY=miempresa SIIGO_USERNAME=api@miempresa.com \\
    SIIGO_WEBHOOK_SECRET=$(python -c "import secrets; print(secrets.token_urlsafe(24))") \\
    .venv/bin/python examples/webhook_receiver.py --port 8080

It answers at ``/hooks/siigo/<SIIGO_WEBHOOK_SECRET>`` and prints each product and stock event
once.  Siigo delivers only over HTTPS: in production put it behind a TLS-terminating proxy (or
serve the same ``WebhookReceiver`` with gunicorn, uWSGI, mod_wsgi...) and subscribe
``https://your-host/hooks/siigo/<secret>`` with ``client.webhooks.create``.
"""

from __future__ import annotations

import argparse
import os
import sys
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from siigo.models.webhooks import masked_url
from siigo.webhooks import ProductEvent, ProductStockUpdateEvent, WebhookEvent, WebhookReceiver


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class MaskedLogHandler(WSGIRequestHandler):
    """The standard access log, without the path secret."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.log_message("%s %s %s", self.command, masked_url(self.path), code)

    def log_message(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"{self.address_string()} - {format % args}\n")


def on_event(event: WebhookEvent) -> None:
    """Your code: update the shop.  It runs on the receiver's worker thread, once per event."""
    if isinstance(event, ProductStockUpdateEvent):
        print(f"stock of {event.code}: {event.available_quantity}", flush=True)
    elif isinstance(event, ProductEvent):
        print(f"{event.topic}: {event.code} {event.name}", flush=True)
    else:
        print(f"an event this version does not know: {event.topic}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    secret = os.environ.get("SIIGO_WEBHOOK_SECRET")
    company_key = os.environ.get("SIIGO_COMPANY_KEY")
    if not secret or not company_key:
        print("set SIIGO_WEBHOOK_SECRET (16+ characters) and SIIGO_COMPANY_KEY", file=sys.stderr)
        return 2
    receiver = WebhookReceiver(
        on_event,
        company_key=company_key,
        username=os.environ.get("SIIGO_USERNAME") or None,
        path_secret=secret,
    )
    with make_server(
        args.host, args.port, receiver, server_class=ThreadingWSGIServer, handler_class=MaskedLogHandler
    ) as server:
        print(f"listening on http://{args.host}:{args.port}/hooks/siigo/<secret>", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            receiver.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
