"""The shared cache (CACHE_URL=redis://…) reuses one Redis client per connection pool."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from kubeshop.redis_cache import RedisCache
from tests.live import redis_test_url


def test_a_redis_cache_url_gets_the_backend_that_reuses_its_client():
    from tests.processes import manage, service_env

    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = service_env(DJANGO_DEBUG="true", CACHE_URL="redis://127.0.0.1:6379/0")
    shown = manage("shell", "--no-imports", "-c", code, env=env)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "kubeshop.redis_cache.RedisCache"


def test_every_call_goes_through_one_client_and_still_reaches_redis():
    url, _, prefix = redis_test_url("reuse").partition("?key_prefix=")
    cache = RedisCache(url, {"KEY_PREFIX": prefix})
    assert isinstance(cache, DjangoRedisCache)
    cache.set("answer", 42)
    assert cache.get_many(["answer", "none"]) == {"answer": 42}
    assert cache.incr("answer") == 43
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete("answer")
    assert cache.get("answer") is None
