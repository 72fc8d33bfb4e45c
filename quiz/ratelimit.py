"""Counters of refused attempts, in the Redis Stadium already runs.

Only failures are counted (wrong passwords, PINs with no live game): the
crowd's successful requests never are, since thousands of phones in a
stadium share one NAT address. Once a subject (a username, a client
address) has failed ``limit`` times within a window, its attempts are
refused with 429 ``rate_limited`` until the window ends, before any
password is hashed or any PIN is looked up.

Each counter is one key, ``rl:{<kind>:<sha256 of the subject>}``: the hash
tag gives every counter its own slot on a Redis Cluster (one-key commands
only), and hashing keeps user input out of key names. The window is fixed:
it starts at the first failure and the key expires with it.

If Redis cannot be reached the attempt is let through: the limits protect
against guessing, they must not lock every host out during an outage.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from redis.exceptions import RedisError

from quiz.redis import async_engine, redis_sync

from .services import ServiceError

log = logging.getLogger(__name__)

# One failure, atomically: the window starts with the first one. Setting the
# expiry whenever the key has none (not only when INCR returns 1) means a
# counter can never outlive its window, whatever happened before.
FAIL_LUA = """
local n = redis.call('INCR', KEYS[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


@dataclass(frozen=True, slots=True)
class Limit:
    kind: str
    limit: int
    window_s: int
    what: str  # for the refusal's message

    @classmethod
    def named(cls, kind: str, what: str) -> Limit:
        limit, window_s = settings.STADIUM["RATE_LIMITS"][kind]
        return cls(kind, int(limit), int(window_s), what)

    def key(self, subject: str) -> str:
        digest = hashlib.sha256(subject.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return f"rl:{{{self.kind}:{digest}}}"


class RateLimited(ServiceError):
    def __init__(self, limit: Limit, retry_after: int) -> None:
        super().__init__(
            "rate_limited",
            f"too many {limit.what}: retry in {retry_after} s",
            status=429,
        )
        self.retry_after = retry_after


def login_user() -> Limit:
    return Limit.named("login_user", "failed logins for this username")


def login_addr() -> Limit:
    return Limit.named("login_addr", "failed logins from this address")


def pin_probe() -> Limit:
    return Limit.named("pin_probe", "attempts with an unknown PIN from this address")


def client_addr(request: Any) -> str:
    # uvicorn --proxy-headers puts the client's address here when the
    # request came through a trusted proxy (FORWARDED_ALLOW_IPS)
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _retry_after(limit: Limit, count: Any, ttl: Any) -> int | None:
    if count is None or int(count) < limit.limit:
        return None
    return max(1, int(ttl)) if ttl is not None and int(ttl) > 0 else limit.window_s


# --- blocking (sync views) -------------------------------------------------


def check(limit: Limit, subject: str) -> None:
    """Raise :class:`RateLimited` if ``subject`` has used up its failures."""
    if limit.limit <= 0:
        return
    key = limit.key(subject)
    try:
        r = redis_sync()
        count = r.get(key)
        # the TTL only when refusing: a join pays one GET
        ttl = r.ttl(key) if count is not None and int(count) >= limit.limit else None
    except RedisError as e:
        log.warning("rate limit %s not checked: %s", limit.kind, e)
        return
    retry = _retry_after(limit, count, ttl)
    if retry is not None:
        raise RateLimited(limit, retry)


def fail(limit: Limit, subject: str) -> None:
    """Count one failure of ``subject``."""
    if limit.limit <= 0:
        return
    key = limit.key(subject)
    try:
        redis_sync().eval(FAIL_LUA, 1, key, limit.window_s)
    except RedisError as e:
        log.warning("rate limit %s not counted: %s", limit.kind, e)


# --- async (the crowd's views) ---------------------------------------------


async def acheck(limit: Limit, subject: str) -> None:
    if limit.limit <= 0:
        return
    key = limit.key(subject)
    try:
        r = async_engine().redis
        count = await r.get(key)
        ttl = await r.ttl(key) if count is not None and int(count) >= limit.limit else None
    except RedisError as e:
        log.warning("rate limit %s not checked: %s", limit.kind, e)
        return
    retry = _retry_after(limit, count, ttl)
    if retry is not None:
        raise RateLimited(limit, retry)


async def afail(limit: Limit, subject: str) -> None:
    if limit.limit <= 0:
        return
    key = limit.key(subject)
    try:
        await async_engine().redis.eval(FAIL_LUA, 1, key, limit.window_s)
    except RedisError as e:
        log.warning("rate limit %s not counted: %s", limit.kind, e)
