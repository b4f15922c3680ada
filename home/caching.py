"""Whole-page caching of public pages for anonymous visitors, dropped whenever content changes.

A request with any session or message cookie is never served from, or stored in, the cache: a
signed-in person always gets their own page. Publishing, unpublishing, moving or deleting a page,
or saving site settings, bumps a version that every key includes.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

VERSION_KEY = "anon-page-cache:version"
PUBLIC_EXCEPTIONS = ("/certificates/verify/",)
PRIVATE_PREFIXES = (
    "/admin/", "/django-admin/", "/accounts/", "/learning/", "/certificates/", "/healthz",
    "/documents/", "/static/", "/media/", "/bench/",
)  # fmt: skip


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return version


def bump_version_on_change(sender, created=False, **kwargs) -> None:
    """For settings: the first save only stores the defaults pages already showed."""
    if not created:
        bump_version()


def bump_version(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


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


def response_is_cacheable(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and "private" not in cache_control
        and "no-store" not in cache_control
        and "no-cache" not in cache_control
    )


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the shared cache (Redis in production)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "LMS_ANONYMOUS_PAGE_CACHE_SECONDS", 0)
        if not seconds or not request_is_cacheable(request):
            return self.get_response(request)
        key = f"anon-page:{current_version()}:{request.get_host()}:{request.get_full_path()}"
        hit = cache.get(key)
        if hit is not None:
            headers, content = hit
            response = HttpResponse(content)
            for name, value in headers.items():  # X-Frame-Options, Content-Type, Vary...
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if response_is_cacheable(response):
            headers = {k: v for k, v in response.items() if k.lower() != "set-cookie"}
            cache.set(key, (headers, response.content), timeout=seconds)
            response["X-Page-Cache"] = "miss"
        return response
