"""Access tokens: fetched lazily from ``POST /auth``, cached, renewed before they expire.

Siigo has no refresh token: a new token is obtained by posting the credentials again.  The
manager keeps one token per credential pair, renews it a little before ``expires_in`` runs out,
and lets only one thread log in at a time (the others wait and reuse its token).  A
:class:`TokenStore` lets several processes share a token (for example through Redis or a file),
so a fleet of workers does not spend its rate limit on logins.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from pydantic import SecretStr

from ._checks import configuration_error
from ._refusals import refusal

__all__ = ["InMemoryTokenStore", "StoredToken", "TokenManager", "TokenStore"]


@dataclass(frozen=True)
class StoredToken:
    """A token and the wall-clock time (``time.time()``) at which it stops being valid."""

    access_token: SecretStr
    expires_at: float

    def __repr__(self) -> str:
        return f"StoredToken(access_token=SecretStr('**********'), expires_at={self.expires_at!r})"


@runtime_checkable
class TokenStore(Protocol):
    """Where tokens are kept.  ``key`` identifies the credential pair (never the secret)."""

    def get(self, key: str) -> StoredToken | None: ...

    def set(self, key: str, token: StoredToken) -> None: ...

    def delete(self, key: str) -> None: ...


class InMemoryTokenStore:
    """The default store: private to one client (and its ``with_options`` copies)."""

    def __init__(self) -> None:
        self._tokens: dict[str, StoredToken] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> StoredToken | None:
        with self._lock:
            return self._tokens.get(key)

    def set(self, key: str, token: StoredToken) -> None:
        with self._lock:
            self._tokens[key] = token

    def delete(self, key: str) -> None:
        with self._lock:
            self._tokens.pop(key, None)


_TOKEN_CHARACTERS = re.compile(r"[\x21-\x7e]+")


def usable_token(token: str) -> bool:
    """True when ``token`` can travel in an ``Authorization`` header unchanged."""
    return _TOKEN_CHARACTERS.fullmatch(token) is not None


LoginFunction = Callable[[], tuple[str, float]]
"""Posts the credentials; returns ``(access_token, expires_in_seconds)``."""


class TokenManager:
    """Hands out a valid token, logging in at most once per expiry across threads."""

    def __init__(
        self,
        *,
        key: str,
        login: LoginFunction | None,
        store: TokenStore,
        static_token: SecretStr | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._key = key
        self._login = login
        self._store = store
        self._clock = clock
        self._lock = threading.Lock()
        self.logins = 0
        if static_token is not None:
            # A token given by the caller: its lifetime is unknown, assume Siigo's 24 h.
            self.set_token(static_token.get_secret_value())

    def __repr__(self) -> str:
        return f"TokenManager(key={self._key!r})"

    @staticmethod
    def key_for(base_url: str, username: str | None, secret: str | None) -> str:
        """The store key of one credential: the API, the user and a digest of the access key (or
        of the caller's own token), so clients sharing a store only share what they could obtain
        themselves: the same user with another key, or a client given a token, gets its own slot."""
        material = "\0".join((base_url, username or "", secret or ""))
        return "siigo:" + hashlib.sha256(material.encode()).hexdigest()[:32]

    @property
    def can_login(self) -> bool:
        return self._login is not None

    def _fresh(self, token: StoredToken | None) -> bool:
        return token is not None and self._clock() < token.expires_at

    def fresh_token(self) -> str | None:
        """The token kept, if it is valid now; ``None`` instead of logging in."""
        current = self._store.get(self._key)
        return current.access_token.get_secret_value() if self._fresh(current) and current else None

    def token(self) -> str:
        """A token that is valid now, logging in if there is none or it is about to expire."""
        current = self._store.get(self._key)
        if self._fresh(current):
            assert current is not None
            return current.access_token.get_secret_value()
        return self.refresh(stale=current)

    def refresh(self, stale: StoredToken | None = None) -> str:
        """Log in again, unless another thread already replaced ``stale``."""
        with self._lock:
            current = self._store.get(self._key)
            if current is not None and current != stale and self._fresh(current):
                return current.access_token.get_secret_value()
            if self._login is None:
                if current is not None:
                    # A caller-supplied token cannot be renewed: keep using it.
                    return current.access_token.get_secret_value()

                raise configuration_error(refusal("config.no_token"))
            locker = getattr(self._store, "lock", None)
            if locker is None:
                return self._log_in()
            # A store shared by other processes: take its lock, then look again, since another
            # process may have logged in while this one waited.
            with locker(self._key):
                current = self._store.get(self._key)
                if current is not None and current != stale and self._fresh(current):
                    return current.access_token.get_secret_value()
                return self._log_in()

    def _log_in(self) -> str:
        assert self._login is not None
        access_token, expires_in = self._login()
        self.logins += 1
        self.set_token(access_token, expires_in)
        return access_token

    def current(self) -> StoredToken | None:
        return self._store.get(self._key)

    def set_token(self, access_token: str, expires_in: float = 86400.0) -> None:
        """Keep ``access_token``, valid ``expires_in`` seconds from now.  It is renewed early: 5
        minutes before it expires, or a tenth of a short lifetime before."""

        if not isinstance(access_token, str) or not access_token.strip():
            raise configuration_error(refusal("config.token_not_empty", type=type(access_token).__name__))
        if not usable_token(access_token):
            raise configuration_error(refusal("config.token_unusable", length=len(access_token)))
        if (
            isinstance(expires_in, bool)
            or not isinstance(expires_in, (int, float))
            or not math.isfinite(expires_in)
        ):
            raise configuration_error(refusal("config.expires_in", value=repr(expires_in)))
        lifetime = max(float(expires_in), 0.0)
        leeway = min(300.0, lifetime / 10.0)
        token = StoredToken(SecretStr(access_token), self._clock() + lifetime - leeway)
        self._store.set(self._key, token)

    def invalidate(self, token: str) -> None:
        """Forget ``token`` if it is still the current one (after a 401)."""
        with self._lock:
            delete_if = getattr(self._store, "delete_if", None)
            if delete_if is not None:
                # Shared: compare-and-delete in one step, so that processes refused at the same
                # time delete the token once and never a newer one.
                delete_if(self._key, token)
                return
            current = self._store.get(self._key)
            if current is not None and current.access_token.get_secret_value() == token:
                self._store.delete(self._key)


def strip_bearer(token: str) -> str:
    """The token without a ``Bearer`` prefix; a clear error for anything that is not one."""
    if not isinstance(token, str):
        raise configuration_error(refusal("config.token_type", type=type(token).__name__))
    token = token.strip()
    if token.lower() == "bearer" or token.lower().startswith(("bearer ", "bearer\t")):
        token = token[6:].strip()
    if not token:
        raise configuration_error(refusal("config.token_empty"))
    return token
