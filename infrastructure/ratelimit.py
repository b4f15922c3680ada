"""A fixed-window, per-IP rate limit in the shared cache (Redis in production)."""

import time

from django.conf import settings
from django.core.cache import cache

from infrastructure.caching import CACHE_ERRORS


def client_ip(request) -> str:
    """The client's address, trusting only as many proxies as ALLAUTH_TRUSTED_PROXY_COUNT says."""
    trusted = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    if trusted:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= trusted:
            return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR", "")


def allow(request, scope: str, *, limit: int, window: int) -> bool:
    """True while this IP has made at most ``limit`` requests in the current ``window`` seconds."""
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{client_ip(request)}:{bucket}"
    if cache.add(key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        return True
    except CACHE_ERRORS:  # the cache is down: serve rather than refuse everyone
        return True
    return count <= limit
