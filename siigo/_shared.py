"""A token store and a rate limiter shared by every process that talks to one company.

Two back ends, with the same behaviour:

* **Redis** (``redis://``, ``rediss://``, ``unix://``; needs ``siigo-python[redis]``), for
  processes on several hosts;
* **SQLite** (``sqlite:///path/to/file.db`` or a plain file path), for the processes of one host
  (``multiprocessing``, gunicorn workers, cron jobs).

What each guarantees:

* **One login per token lifetime.**  A refresh takes a lease lock (Redis ``SET NX PX``, or a row
  written inside an immediate SQLite transaction); whoever holds it reads the store again and
  logs in only if nobody else did meanwhile.  A lease that its holder never releases (the
  process died) expires by itself.
* **A 401 invalidates the shared token once.**  The token is deleted only if it is still the one
  that was refused (compare-and-delete, atomic on both back ends), so eight processes refused at
  once delete it once and then share the one new login.
* **The company's budget, with a fair wait.**  Each request *reserves* its start time in one
  atomic step: now, or the earliest moment at which the sliding window has room, counting the
  reservations of every process.  Reservations are served in the order they were made, so no
  process starves, and nobody polls.  Redis' own clock is used, so the hosts' clocks do not
  have to agree.
* **Nothing readable in the store.**  Tokens are sealed with a key derived from a secret the
  processes share (by default the access key, which anyone able to use a token already
  has): HMAC-SHA256 in counter mode for the keystream and HMAC-SHA256 over nonce and ciphertext
  (encrypt-then-MAC), from the standard library.  Keys are digests of the API's address and the
  username: they never contain the access key.
* **No silent fallback.**  When the store cannot be reached every call raises
  :class:`~siigo.SharedStateError` before anything is sent to Siigo.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

from pydantic import SecretStr

from ._auth import StoredToken, TokenStore
from ._checks import configuration_error, seconds_setting
from ._refusals import refusal
from .errors import SharedStateError

if TYPE_CHECKING:
    import redis

__all__ = [
    "RedisRateLimiter",
    "RedisTokenStore",
    "SharedBackend",
    "SharedTokenStore",
    "SqliteRateLimiter",
    "SqliteTokenStore",
    "TokenSealer",
    "company_key",
    "open_shared",
]

DEFAULT_LEASE = 60.0
"""Seconds a login lock is held at most (its holder normally releases it much sooner)."""


def company_key(base_url: str, username: str) -> str:
    """The namespace of one company in a shared store: a digest of the API and the username (it
    never contains the access key)."""
    digest = hashlib.sha256("\0".join((base_url, username)).encode("utf-8", "surrogatepass"))
    return "siigo:" + digest.hexdigest()[:32]


def default_margin(period: float) -> float:
    """Seconds added to a shared window: a request that reserved its start but was scheduled
    late must still not arrive within one window of the next one (1 % of the period, at least
    50 ms)."""
    return max(0.05, period / 100.0)


@runtime_checkable
class SharedTokenStore(TokenStore, Protocol):
    """A :class:`~siigo.TokenStore` that several processes share: it can also lock a key around
    a login and delete a token only if it is still the one given."""

    def lock(self, key: str) -> contextlib.AbstractContextManager[None]: ...

    def delete_if(self, key: str, access_token: str) -> bool: ...


class TokenSealer:
    """Seals tokens for a shared store, so that whoever can read the store cannot read them.

    From ``secret`` two keys are derived (HMAC-SHA256 extract and expand, as in HKDF): one makes
    the keystream (HMAC-SHA256 of a random 16-byte nonce and a block counter, XORed with the
    text), the other the tag (HMAC-SHA256 over version, slot, nonce and ciphertext, checked
    before anything is decrypted).  The slot is part of the tag, so a sealed token cannot be
    moved to another company's key.  Only the standard library is used.
    """

    _VERSION = b"s1"

    def __init__(self, secret: str | bytes | SecretStr) -> None:
        if isinstance(secret, SecretStr):
            secret = secret.get_secret_value()
        if isinstance(secret, str):
            secret = secret.encode("utf-8", "surrogatepass")
        if not isinstance(secret, bytes) or len(secret) < 8:
            raise configuration_error(refusal("config.sealer_secret"))
        master = hmac.new(b"siigo-python shared token store", secret, hashlib.sha256).digest()
        self._encryption = hmac.new(master, b"encryption\x01", hashlib.sha256).digest()
        self._authentication = hmac.new(master, b"authentication\x01", hashlib.sha256).digest()

    def __repr__(self) -> str:
        return "TokenSealer(secret='**********')"

    def _keystream(self, nonce: bytes, length: int) -> bytes:
        blocks = (
            hmac.new(self._encryption, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest()
            for counter in range((length + 31) // 32)
        )
        return b"".join(blocks)[:length]

    def _tag(self, slot: str, nonce: bytes, ciphertext: bytes) -> bytes:
        message = self._VERSION + slot.encode() + b"\0" + nonce + ciphertext
        return hmac.new(self._authentication, message, hashlib.sha256).digest()

    def fingerprint(self, slot: str, access_token: str) -> str:
        """A keyed digest of a token, stored beside it for compare-and-delete (it reveals
        nothing without the secret)."""
        message = b"fingerprint\0" + slot.encode() + b"\0" + access_token.encode()
        return hmac.new(self._authentication, message, hashlib.sha256).hexdigest()

    def seal(self, slot: str, token: StoredToken) -> str:
        plain = json.dumps(
            {"access_token": token.access_token.get_secret_value(), "expires_at": token.expires_at}
        ).encode()
        nonce = secrets.token_bytes(16)
        stream = self._keystream(nonce, len(plain))
        ciphertext = (int.from_bytes(plain, "big") ^ int.from_bytes(stream, "big")).to_bytes(
            len(plain), "big"
        )
        blob = nonce + ciphertext + self._tag(slot, nonce, ciphertext)
        return self._VERSION.decode() + "." + base64.urlsafe_b64encode(blob).decode()

    def open(self, slot: str, sealed: str | bytes) -> StoredToken | None:
        """The token, or ``None`` when ``sealed`` was not sealed by this secret for this slot
        (another access key, a changed secret, or tampering)."""
        if isinstance(sealed, bytes):
            sealed = sealed.decode("ascii", "replace")
        version, _, encoded = sealed.partition(".")
        if version != self._VERSION.decode():
            return None
        try:
            blob = base64.urlsafe_b64decode(encoded)
        except ValueError:
            return None
        if len(blob) < 16 + 32:
            return None
        nonce, ciphertext, tag = blob[:16], blob[16:-32], blob[-32:]
        if not hmac.compare_digest(tag, self._tag(slot, nonce, ciphertext)):
            return None
        stream = self._keystream(nonce, len(ciphertext))
        plain = (int.from_bytes(ciphertext, "big") ^ int.from_bytes(stream, "big")).to_bytes(
            len(ciphertext), "big"
        )
        try:
            data = json.loads(plain)
            return StoredToken(SecretStr(str(data["access_token"])), float(data["expires_at"]))
        except (ValueError, KeyError, TypeError):
            return None


# -- Redis -----------------------------------------------------------------------------------------


def _redis_module() -> Any:
    try:
        import redis
    except ImportError:
        raise configuration_error(refusal("config.redis_missing")) from None
    return redis


def _redis_where(url: str) -> str:
    """``redis://host:port/db`` without user or password, for messages."""
    try:
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
        return parts._replace(netloc=host, query="", fragment="").geturl()
    except ValueError:
        return "redis"


def _connect_redis(url: str) -> redis.Redis:
    module = _redis_module()
    try:
        client: redis.Redis = module.Redis.from_url(
            url, socket_timeout=5.0, socket_connect_timeout=3.0, health_check_interval=30
        )
    except ValueError as exc:
        raise configuration_error(refusal("config.redis_url", reason=str(exc))) from None
    return client


class _RedisBase:
    def __init__(self, redis_client: redis.Redis | str) -> None:
        if isinstance(redis_client, str):
            self.where = _redis_where(redis_client)
            self._redis = _connect_redis(redis_client)
        else:
            kwargs = redis_client.connection_pool.connection_kwargs
            self.where = (
                f"redis://{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}/{kwargs.get('db', 0)}"
            )
            self._redis = redis_client
        self._errors: tuple[type[BaseException], ...] = (_redis_module().RedisError,)

    @contextlib.contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        try:
            yield
        except self._errors as exc:
            raise SharedStateError(
                f"the shared store {self.where} could not be used to {doing}: {type(exc).__name__}; "
                "no request was sent (the company's rate limit cannot be kept without it)",
                where=self.where,
            ) from None


_DELETE_IF = """
if redis.call('HGET', KEYS[1], 'fingerprint') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisTokenStore(_RedisBase):
    """Tokens in Redis, sealed with ``secret`` (see :class:`TokenSealer`), one hash per key
    (``<key>:token``) that expires with the token; ``<key>:login`` is the login lock.

    ``redis_client`` is a URL (``redis://host:6379/0``) or a ``redis.Redis``.  ``lease`` is the
    longest a login may hold the lock before another process may try.
    """

    def __init__(
        self,
        redis_client: redis.Redis | str,
        *,
        secret: str | bytes | SecretStr,
        lease: float = DEFAULT_LEASE,
        poll: float = 0.05,
    ) -> None:
        super().__init__(redis_client)
        self._sealer = TokenSealer(secret)
        self._lease = seconds_setting("the login lock lease", lease)
        self._poll = seconds_setting("the login lock poll interval", poll)
        self._delete_if = self._redis.register_script(_DELETE_IF)
        self._release = self._redis.register_script(_RELEASE)

    def __repr__(self) -> str:
        return f"RedisTokenStore({self.where!r})"

    def get(self, key: str) -> StoredToken | None:
        with self._guard("read the token"):
            sealed = self._redis.hget(key + ":token", "sealed")
        if sealed is None:
            return None
        return self._sealer.open(key, sealed)

    def set(self, key: str, token: StoredToken) -> None:
        ttl_ms = int((token.expires_at - time.time()) * 1000)
        if ttl_ms <= 0:
            self.delete(key)
            return
        fingerprint = self._sealer.fingerprint(key, token.access_token.get_secret_value())
        with self._guard("keep the token"):
            pipe = self._redis.pipeline(transaction=True)
            pipe.delete(key + ":token")
            pipe.hset(
                key + ":token", mapping={"sealed": self._sealer.seal(key, token), "fingerprint": fingerprint}
            )
            pipe.pexpire(key + ":token", ttl_ms)
            pipe.execute()

    def delete(self, key: str) -> None:
        with self._guard("forget the token"):
            self._redis.delete(key + ":token")

    def delete_if(self, key: str, access_token: str) -> bool:
        fingerprint = self._sealer.fingerprint(key, access_token)
        with self._guard("forget the token"):
            return bool(self._delete_if(keys=[key + ":token"], args=[fingerprint]))

    @contextlib.contextmanager
    def lock(self, key: str) -> Iterator[None]:
        owner = secrets.token_hex(16)
        name = key + ":login"
        give_up = time.monotonic() + 2 * self._lease
        with self._guard("take the login lock"):
            while not self._redis.set(name, owner, nx=True, px=int(self._lease * 1000)):
                if time.monotonic() > give_up:
                    raise SharedStateError(
                        f"waited {2 * self._lease:.0f} s for another process's login in {self.where}",
                        where=self.where,
                    )
                time.sleep(self._poll * (0.5 + secrets.randbelow(1000) / 1000))
        try:
            yield
        finally:
            with self._guard("release the login lock"):
                self._release(keys=[name], args=[owner])


_RESERVE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local start = now
local hold = tonumber(redis.call('GET', KEYS[2]) or '0')
if hold > start then start = hold end
local ahead
if ARGV[4] ~= '0' then
  -- A new request queues behind every start, past and reserved.
  ahead = redis.call('ZCARD', KEYS[1])
else
  -- Awake at its reserved time: only the starts up to now are ahead of it (their scores are
  -- their end times once they finished, which is after the server saw them).
  redis.call('ZREM', KEYS[1], ARGV[3])
  ahead = redis.call('ZCOUNT', KEYS[1], '-inf', now)
end
if ahead >= limit then
  local entry = redis.call('ZRANGE', KEYS[1], ahead - limit, ahead - limit, 'WITHSCORES')
  local earliest = tonumber(entry[2]) + window
  if earliest > start then start = earliest end
end
if ARGV[4] == 'try' and start > now then
  -- Only a start free right now is taken: a refusal leaves every reservation as it was.
  return start - now
end
redis.call('ZADD', KEYS[1], start, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil((start - now + window) / 1000) + 1000)
return start - now
"""

_FINISHED = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and now > tonumber(score) then
  redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
end
return 0
"""

_HOLD = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local until_ = now + tonumber(ARGV[1])
local hold = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > hold then
  redis.call('SET', KEYS[1], string.format('%d', until_), 'PX', math.ceil(tonumber(ARGV[1]) / 1000) + 1000)
end
return 0
"""


class _Reservations:
    """What both shared limiters do with their reservations: ask for a start time until it has
    come (``_ask``), and move the entry to the moment the answer arrived (``_answered``)."""

    _sleep: Callable[[float], None]
    _local: threading.local

    def _ask(self, member: str, new: bool) -> float:
        raise NotImplementedError

    def _answered(self, member: str) -> None:
        raise NotImplementedError

    def acquire(self) -> float:
        member = secrets.token_hex(8)
        wait = self._ask(member, new=True)
        waited = 0.0
        while wait > 0:
            self._sleep(wait)
            waited += wait
            wait = self._ask(member, new=False)
        self._local.member = member
        return waited

    def finished(self) -> None:
        """The answer to this thread's last request arrived: its start counts from now on."""
        member = getattr(self._local, "member", None)
        if member is None:
            return
        self._local.member = None
        self._answered(member)

    def _take_now(self, member: str) -> bool:
        """Reserve a start for ``member`` if it may be now, in one atomic step; else reserve
        nothing (the store is left as it was) and return ``False``."""
        raise NotImplementedError

    def try_slot(self) -> contextlib.AbstractContextManager[float] | None:
        """A place for a request that may start right now (what a page read ahead asks for),
        held until the block ends, when its window starts; ``None`` when it would have to wait.
        The check and the reservation are one atomic step in the store, so a refusal reserves
        nothing, not even for a moment: another process is told the same wait as without it."""
        member = secrets.token_hex(8)
        if not self._take_now(member):
            return None
        return self._held(member)

    @contextlib.contextmanager
    def _held(self, member: str) -> Iterator[float]:
        try:
            yield 0.0
        finally:
            self._answered(member)


class RedisRateLimiter(_Reservations, _RedisBase):
    """A sliding-window limit shared through Redis: at most ``limit`` request starts in any
    ``period`` seconds across every process using the same ``name`` (a sorted set of start
    times ``<name>:starts``; ``<name>:hold`` after a 429).

    A request reserves its start first come, first served, on Redis' clock.  When it wakes at
    that time it checks the window again, because a request ahead of it may have reached the
    server later than it had reserved (a busy host, a slow connect): each request's entry is
    moved to the moment its answer came back (:meth:`finished`), a moment at which the server
    had certainly counted it.
    """

    def __init__(
        self,
        redis_client: redis.Redis | str,
        name: str,
        limit: int,
        period: float = 60.0,
        *,
        margin: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(redis_client)
        self.limit, self.period, self.margin = _check_limit(limit, period, margin)
        self.name = name
        self._sleep = sleep
        self._reserve = self._redis.register_script(_RESERVE)
        self._finished = self._redis.register_script(_FINISHED)
        self._hold = self._redis.register_script(_HOLD)
        self._local = threading.local()

    def __repr__(self) -> str:
        return f"RedisRateLimiter({self.where!r}, limit={self.limit}, period={self.period})"

    def _reserve_start(self, member: str, mode: str) -> float:
        window_us = int((self.period + self.margin) * 1_000_000)
        with self._guard("reserve a request in the rate limit"):
            wait_us = int(
                self._reserve(
                    keys=[self.name + ":starts", self.name + ":hold"],
                    args=[self.limit, window_us, member, mode],
                )
            )
        return max(wait_us, 0) / 1_000_000

    def _ask(self, member: str, new: bool) -> float:
        return self._reserve_start(member, "1" if new else "0")

    def _take_now(self, member: str) -> bool:
        return self._reserve_start(member, "try") == 0

    def _answered(self, member: str) -> None:
        with self._guard("record a request in the rate limit"):
            self._finished(keys=[self.name + ":starts"], args=[member])

    def backoff(self, seconds: float) -> None:
        if not (seconds > 0 and seconds < 86400):
            return
        with self._guard("hold the rate limit"):
            self._hold(keys=[self.name + ":hold"], args=[int(seconds * 1_000_000)])


# -- SQLite ----------------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (key TEXT PRIMARY KEY, sealed TEXT NOT NULL,
                                   fingerprint TEXT NOT NULL, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS starts (name TEXT NOT NULL, member TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS starts_by_name ON starts (name, at);
CREATE INDEX IF NOT EXISTS starts_by_member ON starts (name, member);
CREATE TABLE IF NOT EXISTS holds (name TEXT PRIMARY KEY, until REAL NOT NULL);
"""


_BUSY_SECONDS = 30.0
"""How long a process waits for another one's lock on the shared file."""


class _SqliteFile:
    """One SQLite file, opened once per process (a forked child opens its own connection) and
    used by one thread at a time; every change is one immediate transaction."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.path.abspath(os.fspath(path))
        self.where = f"sqlite://{self.path}"
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._pid = -1

    def _connect(self) -> sqlite3.Connection:
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        # Created readable by its owner only (SQLite gives its journal files the same mode).
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        connection = sqlite3.connect(
            self.path, timeout=_BUSY_SECONDS, isolation_level=None, check_same_thread=False
        )
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(_SCHEMA)
        except BaseException:
            connection.close()
            raise
        self._connection, self._pid = connection, os.getpid()
        return connection

    def _begin(self, write: bool) -> sqlite3.Connection:
        """Open the file and begin a transaction.  A writer takes the file's write lock at once
        (no upgrade that could fail half way); a reader does not block the others.  SQLite
        answers "database is locked" without waiting in a few cases (several processes
        switching a new file to WAL at the same moment, a WAL being recovered), so that answer
        is tried again for as long as the busy timeout would have waited."""
        ends = time.monotonic() + _BUSY_SECONDS
        pause = 0.005
        while True:
            try:
                connection = self._connect()
                connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                return connection
            except sqlite3.OperationalError as exc:
                text = str(exc).lower()
                if ("locked" not in text and "busy" not in text) or time.monotonic() + pause > ends:
                    raise
                time.sleep(pause * (0.5 + secrets.randbelow(1000) / 1000))
                pause = min(pause * 2, 0.2)

    @contextlib.contextmanager
    def transaction(self, doing: str, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                connection = self._begin(write)
            except (sqlite3.Error, OSError) as exc:
                raise SharedStateError(
                    f"the shared file {self.path} could not be used to {doing}: {type(exc).__name__}: {exc}; "
                    "no request was sent",
                    where=self.where,
                ) from None
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            try:
                connection.execute("COMMIT")
            except sqlite3.Error as exc:
                raise SharedStateError(
                    f"the shared file {self.path} could not be used to {doing}: {type(exc).__name__}: {exc}",
                    where=self.where,
                ) from None


def _file(path: str | os.PathLike[str] | _SqliteFile) -> _SqliteFile:
    return path if isinstance(path, _SqliteFile) else _SqliteFile(path)


class SqliteTokenStore:
    """Tokens in a local SQLite file (mode 0600), sealed like :class:`RedisTokenStore`'s, with
    the same lease lock and compare-and-delete, for the processes of one host."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        secret: str | bytes | SecretStr,
        lease: float = DEFAULT_LEASE,
        poll: float = 0.05,
    ) -> None:
        self._file = _file(path)
        self.where = self._file.where
        self._sealer = TokenSealer(secret)
        self._lease = seconds_setting("the login lock lease", lease)
        self._poll = seconds_setting("the login lock poll interval", poll)

    def __repr__(self) -> str:
        return f"SqliteTokenStore({self._file.path!r})"

    def get(self, key: str) -> StoredToken | None:
        with self._file.transaction("read the token", write=False) as db:
            row = db.execute(
                "SELECT sealed FROM tokens WHERE key = ? AND expires_at > ?", (key, time.time())
            ).fetchone()
        return self._sealer.open(key, row[0]) if row else None

    def set(self, key: str, token: StoredToken) -> None:
        sealed = self._sealer.seal(key, token)
        fingerprint = self._sealer.fingerprint(key, token.access_token.get_secret_value())
        with self._file.transaction("keep the token") as db:
            db.execute("DELETE FROM tokens WHERE expires_at <= ?", (time.time(),))
            db.execute(
                "INSERT OR REPLACE INTO tokens (key, sealed, fingerprint, expires_at) VALUES (?, ?, ?, ?)",
                (key, sealed, fingerprint, token.expires_at),
            )

    def delete(self, key: str) -> None:
        with self._file.transaction("forget the token") as db:
            db.execute("DELETE FROM tokens WHERE key = ?", (key,))

    def delete_if(self, key: str, access_token: str) -> bool:
        fingerprint = self._sealer.fingerprint(key, access_token)
        with self._file.transaction("forget the token") as db:
            cursor = db.execute("DELETE FROM tokens WHERE key = ? AND fingerprint = ?", (key, fingerprint))
            return cursor.rowcount > 0

    @contextlib.contextmanager
    def lock(self, key: str) -> Iterator[None]:
        owner = secrets.token_hex(16)
        give_up = time.monotonic() + 2 * self._lease
        while True:
            with self._file.transaction("take the login lock") as db:
                now = time.time()
                row = db.execute("SELECT expires_at FROM locks WHERE name = ?", (key,)).fetchone()
                if row is None or row[0] <= now:
                    db.execute(
                        "INSERT OR REPLACE INTO locks (name, owner, expires_at) VALUES (?, ?, ?)",
                        (key, owner, now + self._lease),
                    )
                    break
            if time.monotonic() > give_up:
                raise SharedStateError(
                    f"waited {2 * self._lease:.0f} s for another process's login in {self.where}",
                    where=self.where,
                )
            time.sleep(self._poll * (0.5 + secrets.randbelow(1000) / 1000))
        try:
            yield
        finally:
            with self._file.transaction("release the login lock") as db:
                db.execute("DELETE FROM locks WHERE name = ? AND owner = ?", (key, owner))


class SqliteRateLimiter(_Reservations):
    """:class:`RedisRateLimiter`'s reservations in a local SQLite file, on this host's clock."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        name: str,
        limit: int,
        period: float = 60.0,
        *,
        margin: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._file = _file(path)
        self.where = self._file.where
        self.limit, self.period, self.margin = _check_limit(limit, period, margin)
        self.name = name
        self._sleep = sleep
        self._local = threading.local()

    def __repr__(self) -> str:
        return f"SqliteRateLimiter({self._file.path!r}, limit={self.limit}, period={self.period})"

    def _ask(self, member: str, new: bool) -> float:
        return self._reserve_start(member, new, only_now=False)

    def _take_now(self, member: str) -> bool:
        return self._reserve_start(member, True, only_now=True) == 0

    def _reserve_start(self, member: str, new: bool, *, only_now: bool) -> float:
        """The wait before ``member`` may start, its start reserved in the same transaction
        (with ``only_now``, reserved only when there is no wait)."""
        window = self.period + self.margin
        with self._file.transaction("reserve a request in the rate limit") as db:
            now = time.time()
            db.execute("DELETE FROM starts WHERE name = ? AND at <= ?", (self.name, now - window))
            start = now
            hold = db.execute("SELECT until FROM holds WHERE name = ?", (self.name,)).fetchone()
            if hold is not None:
                start = max(start, hold[0])
            if new:
                (ahead,) = db.execute("SELECT count(*) FROM starts WHERE name = ?", (self.name,)).fetchone()
            else:
                db.execute("DELETE FROM starts WHERE name = ? AND member = ?", (self.name, member))
                (ahead,) = db.execute(
                    "SELECT count(*) FROM starts WHERE name = ? AND at <= ?", (self.name, now)
                ).fetchone()
            if ahead >= self.limit:
                (oldest,) = db.execute(
                    "SELECT at FROM starts WHERE name = ? ORDER BY at LIMIT 1 OFFSET ?",
                    (self.name, ahead - self.limit),
                ).fetchone()
                start = max(start, oldest + window)
            if only_now and start > now:
                return start - now
            db.execute("INSERT INTO starts (name, member, at) VALUES (?, ?, ?)", (self.name, member, start))
        return max(start - now, 0.0)

    def _answered(self, member: str) -> None:
        with self._file.transaction("record a request in the rate limit") as db:
            db.execute(
                "UPDATE starts SET at = max(at, ?) WHERE name = ? AND member = ?",
                (time.time(), self.name, member),
            )

    def backoff(self, seconds: float) -> None:
        if not (seconds > 0 and seconds < 86400):
            return
        with self._file.transaction("hold the rate limit") as db:
            until = time.time() + seconds
            db.execute(
                "INSERT INTO holds (name, until) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET until = max(until, excluded.until)",
                (self.name, until),
            )


def _check_limit(limit: int, period: float, margin: float | None) -> tuple[int, float, float]:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise configuration_error(refusal("config.rate_limit", value=repr(limit)))
    period = seconds_setting("the rate limit period", period)
    margin = (
        default_margin(period)
        if margin is None
        else seconds_setting("the rate limit margin", margin, zero=True)
    )
    return limit, period, margin


# -- wiring ----------------------------------------------------------------------------------------


class SharedBackend:
    """What a ``shared_url`` opens: one Redis connection pool or one SQLite file, from which
    the client makes its token store and its rate limiter."""

    def __init__(self, url: str) -> None:
        if not isinstance(url, str) or not url.strip():
            got = type(url).__name__ if not isinstance(url, str) else refusal("config.empty_string")
            raise configuration_error(refusal("config.shared_url_type", got=got))
        url = url.strip()
        scheme = url.partition("://")[0].lower() if "://" in url else ""
        self._redis: redis.Redis | None = None
        self._file: _SqliteFile | None = None
        if scheme in ("redis", "rediss", "unix"):
            self.kind = "redis"
            self.where = _redis_where(url)
            self._redis = _connect_redis(url)
        elif scheme == "sqlite":
            path = url[len("sqlite://") :]
            if not path or path == "/":
                raise configuration_error(refusal("config.sqlite_file"))
            self.kind = "sqlite"
            self._file = _SqliteFile(path)
            self.where = self._file.where
        elif scheme:
            raise configuration_error(refusal("config.shared_scheme", scheme=repr(scheme)))
        else:
            self.kind = "sqlite"
            self._file = _SqliteFile(url)
            self.where = self._file.where

    def __repr__(self) -> str:
        return f"SharedBackend({self.where!r})"

    def token_store(self, secret: str | bytes | SecretStr) -> SharedTokenStore:
        if self._redis is not None:
            return RedisTokenStore(self._redis, secret=secret)
        assert self._file is not None
        store = SqliteTokenStore(self._file.path, secret=secret)
        store._file = self._file
        return store

    def limiter(self, name: str, limit: int, period: float = 60.0) -> RedisRateLimiter | SqliteRateLimiter:
        if self._redis is not None:
            return RedisRateLimiter(self._redis, name, limit, period)
        assert self._file is not None
        limiter = SqliteRateLimiter(self._file.path, name, limit, period)
        limiter._file = self._file
        return limiter


def open_shared(url: str) -> SharedBackend:
    """The back end named by ``url``: ``redis://``/``rediss://``/``unix://`` (Redis),
    ``sqlite:///path`` or a plain file path (SQLite)."""
    return SharedBackend(url)
