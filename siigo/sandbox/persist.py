"""Keeping a sandbox's companies between runs: ``python -m siigo sandbox --state FILE``.

The companies (catalogs, documents, idempotency records, e-mails and the sandbox's own notes on
them) are written as JSON, with amounts as exact decimals.  Tokens, faults, the journal and the
rate-limit windows are not kept: a restarted sandbox starts with none, as after a reset.
"""

from __future__ import annotations

import collections
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from .state import SandboxState, Store, Tenant

__all__ = ["load_state", "save_state"]

_SKIPPED = frozenset({"requests"})
FORMAT = 1


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, (set, frozenset)):
        return {"$set": [_encode(v) for v in sorted(value, key=repr)]}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__} in the state file")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$decimal"}:
            return Decimal(value["$decimal"])
        if set(value) == {"$set"}:
            return {_decode(v) for v in value["$set"]}
        if set(value) == {"$tuple"}:
            return tuple(_decode(v) for v in value["$tuple"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def save_state(state: SandboxState, path: str | os.PathLike[str]) -> None:
    """Write every company of ``state`` to ``path`` (atomically: a temporary file renamed)."""
    with state.lock:
        companies = {
            name: {k: _encode(v) for k, v in vars(tenant).items() if k not in _SKIPPED}
            for name, tenant in state.tenants.items()
        }
        data = {"format": FORMAT, "clock_offset": state.clock_offset, "companies": companies}
    target = Path(path)
    fd, temporary = tempfile.mkstemp(dir=target.parent or Path("."), prefix=".siigo-state-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
    os.replace(temporary, target)


def load_state(state: SandboxState, path: str | os.PathLike[str]) -> int:
    """Read the companies written by :func:`save_state` into ``state``; how many.  Raises
    ``OSError`` or ``ValueError`` for a file that cannot be read."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or not isinstance(raw.get("companies"), dict):
        raise ValueError("not a siigo sandbox state file")
    from .documents import rebuild_waiting

    with state.lock:
        for name, fields in raw["companies"].items():
            tenant = Tenant(name)
            for key, value in fields.items():
                decoded = _decode(value)
                if key == "idempotency":
                    decoded = collections.defaultdict(dict, decoded)
                elif key == "products":
                    decoded = Store(decoded)
                elif key == "documents":
                    decoded = {code: Store(kept, key="name") for code, kept in decoded.items()}
                setattr(tenant, key, decoded)
            rebuild_waiting(tenant)
            state.tenants[name] = tenant
        state.clock_offset = float(raw.get("clock_offset") or 0.0)
    return len(raw["companies"])
