"""The Redis cache is an optimisation: with Redis down, reads miss, writes drop, pages render."""

import pytest

from infrastructure.cache import FailSoftRedisCache
from tests.courses import factories

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1
OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def test_a_cache_that_does_not_answer_misses_instead_of_raising():
    cache = FailSoftRedisCache(DEAD_REDIS, {"OPTIONS": OPTIONS})
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("key", 1) is False
    assert cache.set("key", 1) is None
    assert cache.set_many({"a": 1}) == ["a"]
    assert cache.has_key("key") is False
    assert cache.touch("key") is False
    assert cache.delete("key") is False
    with pytest.raises(ValueError):
        cache.incr("key")


@pytest.mark.django_db
def test_pages_render_while_the_cache_server_is_down(client, settings):
    course = factories.course(factories.program("ctn"), "CTN-101", modules=1)
    settings.CACHES = {
        "default": {
            "BACKEND": "infrastructure.cache.FailSoftRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": OPTIONS,
        }
    }
    settings.LMS_ANONYMOUS_PAGE_CACHE_SECONDS = 300
    for url in ("/", "/catalog/", course.url):
        assert client.get(url).status_code == 200
