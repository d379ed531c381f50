"""Catalog reads kept in the shared cache, under a version stamp that every write moves on.

A cached read is stored with the catalog's version it was read under; a write (a product saved, stock
taken or given back) replaces the version, so every worker and replica passes the old entries over at
its next read.
The version moves when the write happens and again once its transaction commits: a read made between
the two that stored the old rows under the new version is passed over too.

Only a cache that every process shares (Redis, CACHE_URL) is used: with the per-process local memory of
`make run` the catalog caches nothing, because no other worker would hear of a write. A cache that does
not answer is passed by: the read goes to the database, a write still happens, and entries then fall
back on their expiry.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction

T = TypeVar("T")
TIMEOUT = 300  # seconds: a bound on staleness should the cache miss a write while it was unreachable
log = logging.getLogger(__name__)


def enabled() -> bool:
    """Whether every process shares the cache: a per-process one would not hear of other processes' writes."""
    return not isinstance(caches[DEFAULT_CACHE_ALIAS], LocMemCache | DummyCache)


@lru_cache(maxsize=8)
def _database_tag(vendor: str, host: str, port: str, name: str) -> str:
    return hashlib.sha256(repr((vendor, host, port, name)).encode()).hexdigest()[:12]


def _key(name: str) -> str:
    """A key of this catalog database's reads: two databases never answer from each other's entries,
    even in one Redis (the test suite's shops and its own test database share one)."""
    s = connection.settings_dict
    return f"catalog:{_database_tag(connection.vendor, s['HOST'], str(s['PORT']), str(s['NAME']))}:{name}"


def _new_version() -> int:
    """A version never used before, even after the cache lost the key: a clock, not a counter from 1."""
    return time.time_ns()


def version() -> int:
    current = cache.get(_key("version"))
    if current is None:
        cache.add(_key("version"), _new_version(), timeout=None)
        current = cache.get(_key("version"))
    return current


def move_on() -> None:
    """Start a new version: whatever was cached before is passed over by every process."""
    try:
        cache.set(_key("version"), _new_version(), timeout=None)
    except Exception:  # the write stands; reads fall back on the entries' expiry
        log.exception("could not move the catalog's cache version on")


def changed() -> None:
    """A write of the catalog: cached reads are over now, and again once the write commits."""
    if enabled():
        move_on()
        transaction.on_commit(move_on)


def cached(key: str, compute: Callable[[], T]) -> T:
    """`compute()`, or what it returned for `key` since the catalog's last write.

    One round trip on a hit: the entry is stored with the version it was computed under, and read
    together with the current version.
    """
    if not enabled():
        return compute()
    version_key, key = _key("version"), _key(key)
    try:
        found = cache.get_many([version_key, key])
        current = found.get(version_key) or version()
    except Exception:
        log.exception("the cache did not answer; reading the database")
        return compute()
    entry = found.get(key)
    if entry is not None and entry[0] == current:
        return entry[1]
    value = compute()
    try:
        cache.set(key, (current, value), timeout=TIMEOUT)
    except Exception:
        log.exception("could not cache a catalog read")
    return value
