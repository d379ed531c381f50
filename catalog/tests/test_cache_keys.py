"""The catalog's cached reads belong to one database: another database sharing the Redis never sees them."""

import pytest
from django.db import connection

from catalog import cache
from tests.live import redis_test_url


@pytest.mark.django_db
def test_two_databases_sharing_one_redis_never_answer_from_each_other(settings, monkeypatch):
    location, _, prefix = redis_test_url("keys").partition("?key_prefix=")
    redis = {"BACKEND": "kubeshop.redis_cache.RedisCache", "LOCATION": location, "KEY_PREFIX": prefix}
    settings.CACHES = {"default": redis}
    assert cache.enabled()
    monkeypatch.setitem(connection.settings_dict, "NAME", "shop_one")
    cache.move_on()
    assert cache.cached("answer", lambda: "from shop one") == "from shop one"
    assert cache.cached("answer", lambda: "recomputed") == "from shop one"  # a hit, while nothing was written
    monkeypatch.setitem(connection.settings_dict, "NAME", "shop_two")
    assert cache.cached("answer", lambda: "from shop two") == "from shop two"
    monkeypatch.setitem(connection.settings_dict, "NAME", "shop_one")
    cache.changed()
    assert cache.cached("answer", lambda: "after a write") == "after a write"
