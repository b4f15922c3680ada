"""Redis as a cache that degrades instead of failing: a request never errors because Redis is down.

Wagtail looks up its site root paths in the default cache on every page render, and the page
caches and rate limits read it too. With plain ``RedisCache`` every page is a 500 while Redis
restarts; with this one a read is a miss and a write is skipped (and logged), so pages render from
the database.
``incr`` raises ValueError, as for a key that is not there, which its callers already handle (the
rate limits let the request through while Redis is away).
"""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
# Down, timing out, out of memory (maxmemory with noeviction), read-only after a failover...
UNAVAILABLE = RedisError


def _degrade(method_name, fallback):
    parent = getattr(RedisCache, method_name)

    def method(self, *args, **kwargs):
        try:
            return parent(self, *args, **kwargs)
        except UNAVAILABLE as error:
            logger.warning("Cache unavailable (%s %s): %s", method_name, args[:1], error)
            return fallback(*args) if callable(fallback) else fallback

    method.__name__ = method_name
    return method


class ReusingRedisCacheClient(RedisCacheClient):
    """One ``redis.Redis`` per connection pool, not a new one (and its ~300 response callbacks)
    for every cache operation: a page makes several."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as error:
            logger.warning("Cache unavailable (get %s): %s", key, error)
            return default

    get_many = _degrade("get_many", lambda keys, *rest: {})
    has_key = _degrade("has_key", False)
    set = _degrade("set", None)
    set_many = _degrade("set_many", lambda data, *rest: list(data))  # the keys not stored
    add = _degrade("add", False)
    touch = _degrade("touch", False)
    delete = _degrade("delete", False)
    delete_many = _degrade("delete_many", None)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as error:
            raise ValueError(f"Cache unavailable: {error}") from error
