"""Command line: ``siigo ...`` (or ``python -m siigo ...``).

``siigo sandbox`` runs the local sandbox and needs only the ``[sandbox]`` extra; every other
command is :mod:`siigo.cli`, which needs the ``[cli]`` extra.
"""

from __future__ import annotations

import _thread
import argparse
import contextlib
import errno
import json
import sys
import threading
from typing import Any

from . import messages
from .messages import Language


def _sandbox(args: argparse.Namespace, language: Language) -> int:
    def t(key: str, **params: object) -> str:
        return messages.text(key, language, **params)

    try:
        from .sandbox import Fault, Sandbox
    except ImportError:  # pragma: no cover - depends on the installed extras
        print(t("cli.needs_sandbox"), file=sys.stderr)
        return 2
    settings: dict[str, Any] = {}
    if args.rate_limit:
        settings["rate_limit"] = args.rate_limit
    if args.credentials:
        pairs: dict[str, str] = {}
        for item in args.credentials:
            username, sep, key = item.partition(":")
            if not sep or not username or not key:
                print(t("sandbox.bad_credentials", item=repr(item)), file=sys.stderr)
                return 2
            pairs[username] = key
        settings["credentials"] = pairs
    for item in args.setting or ():
        name, sep, raw = item.partition("=")
        try:
            if not sep:
                raise ValueError("use NAME=VALUE, e.g. stamp_outcome=Rejected")
            try:
                value: Any = json.loads(raw)
            except ValueError:
                value = raw
            settings[name] = value
        except ValueError as exc:
            print(t("sandbox.bad_setting", item=item, reason=exc), file=sys.stderr)
            return 2
    if bool(args.tls_cert) != bool(args.tls_key):
        print(t("sandbox.tls_pair"), file=sys.stderr)
        return 2
    tls = (args.tls_cert, args.tls_key) if args.tls_cert else None
    try:
        sandbox = Sandbox(host=args.host, port=args.port, ssl_context=tls, **settings)
    except (TypeError, ValueError) as exc:
        print(t("sandbox.bad_setting", item=", ".join(args.setting or ()), reason=exc), file=sys.stderr)
        return 2
    for item in args.fault or ():
        try:
            fields = json.loads(item)
            if not isinstance(fields, dict):
                raise ValueError('a JSON object such as {"path": "^/v1/taxes$", "status": 503}')
            sandbox.state.add_fault(Fault.from_fields(fields))
        except (TypeError, ValueError) as exc:
            print(t("sandbox.bad_fault", item=item, reason=exc), file=sys.stderr)
            return 2
    if args.state:
        from .sandbox.persist import load_state

        try:
            with contextlib.suppress(FileNotFoundError):
                load_state(sandbox.state, args.state)
        except (OSError, ValueError) as exc:
            print(t("sandbox.bad_state", path=args.state, reason=exc), file=sys.stderr)
            return 2

    def seed() -> None:
        from .sandbox.demo import seed_demo
        from .sandbox.server import DEFAULT_USERNAME

        try:
            with sandbox.client() as client:
                counts = seed_demo(client, args.seed)
        except Exception as exc:  # reported, and the sandbox stops: it was asked for demo data
            print(f"siigo sandbox --seed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            _thread.interrupt_main()
            return
        sandbox.clear_journal()
        print(t("sandbox.seeded", username=DEFAULT_USERNAME, **counts), flush=True)

    def ready(url: str) -> None:
        accepted = t("sandbox.accepts_given") if args.credentials else t("sandbox.accepts_any")
        print(t("sandbox.listening", url=url), flush=True)
        print(t("sandbox.export", url=url, accepted=accepted), flush=True)
        print(t("sandbox.inspector", url=url), flush=True)
        if args.seed:
            # Seeding goes through HTTP, so it runs beside the server, which answers from this
            # (the main) thread: Ctrl+C then always lands in the server's loop.
            threading.Thread(target=seed, name="siigo-sandbox-seed", daemon=True).start()

    try:
        with contextlib.suppress(KeyboardInterrupt):
            sandbox.serve_forever(on_ready=ready)
    except OSError as exc:
        print(_cannot_listen(args.host, args.port, exc, language), file=sys.stderr)
        return 1
    finally:
        sandbox.state.close()
        if args.state:
            from .sandbox.persist import save_state

            save_state(sandbox.state, args.state)
            print(t("sandbox.state_saved", path=args.state), file=sys.stderr)
    return 0


def _cannot_listen(host: str, port: int, exc: OSError, language: Language = "en") -> str:
    if exc.errno == errno.EADDRINUSE:
        return messages.text("sandbox.port_taken", language, port=port, host=host)
    if exc.errno == errno.EACCES:
        return messages.text("sandbox.port_forbidden", language, port=port, host=host)
    if exc.errno == errno.EADDRNOTAVAIL:
        return messages.text("sandbox.bad_host", language, host=host)
    return messages.text("sandbox.cannot_start", language, host=host, port=port, reason=exc.strerror or exc)


def _port_type(language: Language) -> Any:
    def port(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                messages.text("sandbox.not_a_port", language, text=repr(text))
            ) from None
        if not 0 <= number <= 65535:
            raise argparse.ArgumentTypeError(messages.text("sandbox.port_range", language, port=number))
        return number

    return port


def _sandbox_parser(language: Language = "en") -> argparse.ArgumentParser:
    def t(key: str) -> str:
        return messages.text(f"sandbox.opt.{key}", language).replace("%", "%%")

    sandbox = argparse.ArgumentParser(prog="siigo sandbox", description=t("description"))
    sandbox.add_argument("--port", type=_port_type(language), default=8765, help=t("port"))
    sandbox.add_argument("--host", default="127.0.0.1", help=t("host"))
    sandbox.add_argument("--rate-limit", type=int, default=None, help=t("rate_limit"))
    sandbox.add_argument(
        "--credentials", action="append", metavar="USERNAME:ACCESS_KEY", help=t("credentials")
    )
    sandbox.add_argument("--tls-cert", metavar="PEM", help=t("tls_cert"))
    sandbox.add_argument("--tls-key", metavar="PEM", help=t("tls_key"))
    sandbox.add_argument(
        "--seed", type=int, nargs="?", const=20, default=0, metavar="INVOICES", help=t("seed")
    )
    sandbox.add_argument("--state", metavar="FILE", help=t("state"))
    sandbox.add_argument("--fault", action="append", metavar="JSON", help=t("fault"))
    sandbox.add_argument("--setting", action="append", metavar="NAME=VALUE", help=t("setting"))
    return sandbox


def sandbox_main(argv: list[str], language: Language | None = None) -> int:
    """``siigo sandbox ...``: works with the ``[sandbox]`` extra alone."""
    language = language or _language()
    args = _sandbox_parser(language).parse_args(argv)
    return _sandbox(args, language)


def _language() -> Language:
    try:
        return messages.resolve_language(system_default=True)
    except ValueError:
        return "en"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["sandbox"]:
        try:
            return sandbox_main(args[1:])
        except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
            return int(exc.code or 0)
    try:
        import click  # noqa: F401
    except ImportError:
        print(messages.text("cli.needs_click", _language()), file=sys.stderr)
        return 2
    from .cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
