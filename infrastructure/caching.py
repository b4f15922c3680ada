"""The whole-page cache for anonymous visitors, and the content version.

A request with any session or message cookie is never served from, or stored in, the shared
cache. Publishing, unpublishing, moving or deleting a page, saving site settings, or revoking a
certificate bumps a content version (a database row) that every key includes; the shared render
caches (``infrastructure.render_cache``) key on it too. Signed-in pages are rendered for every
request: what they share with everyone comes from the render caches, the learner's own state
from a query or two.

The version lives in the database, so a change made while Redis is down is not forgotten when it
comes back.

The cache is an optimisation, never a dependency: if the cache server is down, pages render as if
there were no cache.
"""

import logging
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F
from django.http import HttpResponse

try:
    from redis.exceptions import RedisError
except ImportError:  # the embedded default runs without the redis client
    RedisError = OSError

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:content-version"
PUBLIC_EXCEPTIONS = ("/certificates/verify/",)
PRIVATE_PREFIXES = (
    "/admin/", "/django-admin/", "/accounts/", "/learning/", "/certificates/", "/healthz",
    "/documents/", "/static/", "/media/", "/bench/floor/",
)  # fmt: skip
# What a cache that is down raises: Redis's errors, or the file cache's.
CACHE_ERRORS = (RedisError, OSError)


def _quietly(operation, *args, **kwargs):
    try:
        return operation(*args, **kwargs)
    except CACHE_ERRORS:
        logger.warning("Page cache unavailable", exc_info=True)
        return None


_last_seen_version = None
# Read at most once per request (``render_cache.SharedSiteMiddleware`` gives each request a box
# to keep it in); a bump empties the box.
_pinned_version: ContextVar[list | None] = ContextVar("pinned_content_version", default=None)


def current_version() -> int:
    """The content version: from Redis, where it is copied from the database for a few seconds.

    While the database is down, the last number this process saw keeps cached public pages
    serving.
    """
    global _last_seen_version
    pinned = _pinned_version.get()
    if pinned is not None and pinned[0] is not None:
        return pinned[0]
    version = cache.get(VERSION_KEY)
    if version is None:
        from infrastructure.models import PageCacheVersion

        try:
            version = PageCacheVersion.objects.values_list("version", flat=True).first() or 0
        except DatabaseError:
            if _last_seen_version is None:
                raise
            return _last_seen_version
        cache.set(VERSION_KEY, version, timeout=settings.LMS_PAGE_CACHE_VERSION_SECONDS)
    _last_seen_version = version
    if pinned is not None:
        pinned[0] = version
    return version


def bump_version_on_change(sender, created=False, **kwargs) -> None:
    """For settings: the first save only stores the defaults pages already showed."""
    if not created:
        bump_version()


def bump_version(**kwargs) -> None:
    """Retire every cached page: content changed (a publish, a revoked certificate...).

    The number lives in the database, in the changing transaction, so a bump made while Redis is
    down still counts once Redis is back (its copy there expires within seconds).
    """
    from infrastructure.models import PageCacheVersion

    pinned = _pinned_version.get()
    if pinned is not None:
        pinned[0] = None
    if not PageCacheVersion.objects.update(version=F("version") + 1):
        PageCacheVersion.objects.get_or_create(defaults={"version": 2})

    def forget():
        _quietly(cache.delete, VERSION_KEY)

    forget()
    transaction.on_commit(forget)


def _cookies_say_personal(request) -> bool:
    names = {settings.SESSION_COOKIE_NAME, "messages", settings.CSRF_COOKIE_NAME}
    return any(name in request.COOKIES for name in names)


def request_is_cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and (
            request.path.startswith(PUBLIC_EXCEPTIONS)
            or not request.path.startswith(PRIVATE_PREFIXES)
        )
        and not _cookies_say_personal(request)
        and not request.META.get("HTTP_AUTHORIZATION")
    )


def _is_plain_page(response, *, refused_directives) -> bool:
    """A whole HTML page that sets no cookie and whose Cache-Control does not forbid keeping it."""
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and not any(directive in cache_control for directive in refused_directives)
    )


def response_is_cacheable(response) -> bool:
    """For everyone: a page marked private (or not to be kept) is never shared."""
    return _is_plain_page(response, refused_directives=("private", "no-store", "no-cache"))


def _from_cache(hit, cache_control: str | None = None) -> HttpResponse:
    headers, content = hit
    response = HttpResponse(content, headers=headers)
    if cache_control:
        response["Cache-Control"] = cache_control
    response["X-Page-Cache"] = "hit"
    return response


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the shared cache (Redis in production)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "LMS_ANONYMOUS_PAGE_CACHE_SECONDS", 0)
        if not seconds or not request_is_cacheable(request):
            response = self.get_response(request)
            if _cookies_say_personal(request) and "Cache-Control" not in response:
                # Someone's own page: no shared cache (a proxy, a CDN) may keep it.
                response["Cache-Control"] = "private"
            return response
        try:
            key = f"anon-page:{current_version()}:{request.get_host()}:{request.get_full_path()}"
            hit = cache.get(key)
        except CACHE_ERRORS:
            logger.warning("Page cache unavailable; rendering", exc_info=True)
            return self.get_response(request)
        if hit is not None:  # its headers: X-Frame-Options, Content-Type, Vary...
            return _from_cache(hit)
        response = self.get_response(request)
        if response_is_cacheable(response):
            headers = {k: v for k, v in response.items() if k.lower() != "set-cookie"}
            if _store(key, (headers, response.content), seconds):
                response["X-Page-Cache"] = "miss"
        return response


def _store(key, value, seconds) -> bool:
    try:
        return cache.set(key, value, timeout=seconds) is not False
    except CACHE_ERRORS:
        logger.warning("Page cache unavailable; not stored", exc_info=True)
        return False
