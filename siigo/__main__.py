"""Command line: ``python -m siigo sandbox --port 8765``."""

from __future__ import annotations

import argparse
import contextlib
import errno
import sys
from typing import Any


def _sandbox(args: argparse.Namespace) -> int:
    try:
        from .sandbox import Sandbox
    except ImportError:  # pragma: no cover - depends on the installed extras
        print("the sandbox needs werkzeug: pip install 'siigo-python[sandbox]'", file=sys.stderr)
        return 2
    settings: dict[str, Any] = {}
    if args.rate_limit:
        settings["rate_limit"] = args.rate_limit
    if args.credentials:
        pairs: dict[str, str] = {}
        for item in args.credentials:
            username, sep, key = item.partition(":")
            if not sep or not username or not key:
                print(f"--credentials takes USERNAME:ACCESS_KEY, got {item!r}", file=sys.stderr)
                return 2
            pairs[username] = key
        settings["credentials"] = pairs
    if bool(args.tls_cert) != bool(args.tls_key):
        print("--tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    tls = (args.tls_cert, args.tls_key) if args.tls_cert else None
    sandbox = Sandbox(host=args.host, port=args.port, ssl_context=tls, **settings)

    def ready(url: str) -> None:
        print(f"Siigo sandbox listening on {url}", flush=True)
        accepted = "the --credentials given" if args.credentials else "any username and access key"
        print(f"  export SIIGO_BASE_URL={url}   (accepts {accepted}; Ctrl+C stops it)", flush=True)

    try:
        with contextlib.suppress(KeyboardInterrupt):
            sandbox.serve_forever(on_ready=ready)
    except OSError as exc:
        print(_cannot_listen(args.host, args.port, exc), file=sys.stderr)
        return 1
    return 0


def _cannot_listen(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is taken by another program: stop it or choose another with --port"
    if exc.errno == errno.EACCES:
        return f"not allowed to listen on port {port} on {host}: choose a port above 1023 with --port"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host}: it is not an address of this machine"
    return f"cannot start the sandbox on {host}:{port}: {exc.strerror or exc}"


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0 to 65535; 0 picks a free one)")
    return port


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m siigo", description="siigo-python tools")
    sub = parser.add_subparsers(dest="command", required=True)
    sandbox = sub.add_parser("sandbox", help="run the local Siigo sandbox on 127.0.0.1")
    sandbox.add_argument("--port", type=_port, default=8765, help="port to listen on (default 8765)")
    sandbox.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only)"
    )
    sandbox.add_argument("--rate-limit", type=int, default=None, help="requests per minute per company")
    sandbox.add_argument(
        "--credentials", action="append", metavar="USERNAME:ACCESS_KEY", help="accept only these credentials"
    )
    sandbox.add_argument(
        "--tls-cert", metavar="PEM", help="serve HTTPS with this certificate (with --tls-key)"
    )
    sandbox.add_argument("--tls-key", metavar="PEM", help="the certificate's private key")
    args = parser.parse_args(argv)
    if args.command == "sandbox":
        return _sandbox(args)
    return 2  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
