"""Whole-page caches: one for anonymous visitors, one per signed-in session.

Anonymous: a request with any session or message cookie is never served from, or stored in, the
shared cache. Publishing, unpublishing, moving or deleting a page, saving site settings, or revoking
a certificate bumps a content version (a database row) that every key includes.

Signed in: a page that opts in (every Wagtail page, through ``before_serve_page``, and views wrapped
in :func:`signed_in_cacheable`) is kept per session and CSRF cookie, under the content version and
the person's ``pages_version``. Anything that changes what their pages show (enrolling, progress,
quiz attempts, evaluations, certificates, their account) calls :func:`bump_user` in the same
transaction, so the next view renders afresh. Pending messages always bypass it.

Both versions live in the database, so a change made while Redis is down is not forgotten when it
comes back.

The cache is an optimisation, never a dependency: if the cache server is down, pages render as if
there were no cache.
"""

import hashlib
import logging
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

try:
    from redis.exceptions import RedisError
except ImportError:  # the embedded default runs without the redis client
    RedisError = OSError

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:content-version"
PUBLIC_EXCEPTIONS = ("/certificates/verify/",)
PRIVATE_PREFIXES = (
    "/admin/", "/django-admin/", "/accounts/", "/learning/", "/certificates/", "/healthz",
    "/documents/", "/static/", "/media/", "/bench/",
)  # fmt: skip
# Never kept for a signed-in person, even by a view that asks.
SIGNED_IN_NEVER = ("/admin/", "/django-admin/", "/accounts/")
# Headers a cached page keeps; the middleware above this one adds the rest on every response.
KEPT_HEADERS = ("Content-Type", "Content-Language")
# What a cache that is down raises: Redis's errors, or the file cache's.
CACHE_ERRORS = (RedisError, OSError)


def _quietly(operation, *args, **kwargs):
    try:
        return operation(*args, **kwargs)
    except CACHE_ERRORS:
        logger.warning("Page cache unavailable", exc_info=True)
        return None


_last_seen_version = None
# Read once per request (``render_cache.SharedSiteMiddleware`` pins it); a bump unpins it.
_pinned_version: ContextVar[int | None] = ContextVar("pinned_content_version", default=None)


def current_version() -> int:
    """The content version: from Redis, where it is copied from the database for a few seconds.

    While the database is down, the last number this process saw keeps cached public pages
    serving.
    """
    global _last_seen_version
    pinned = _pinned_version.get()
    if pinned is not None:
        return pinned
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

    _pinned_version.set(None)
    if not PageCacheVersion.objects.update(version=F("version") + 1):
        PageCacheVersion.objects.get_or_create(defaults={"version": 2})

    def forget():
        _quietly(cache.delete, VERSION_KEY)

    forget()
    transaction.on_commit(forget)


def bump_user(user_id) -> None:
    """Retire every cached page of this person, in the changing transaction.

    Their ``pages_version`` is part of their pages' keys and is read with the user row that every
    signed-in request loads anyway: no extra query, and nothing to lose if Redis is away.
    """
    if user_id is not None:
        get_user_model().objects.filter(pk=user_id).update(pages_version=F("pages_version") + 1)


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
            return self.get_response(request)
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


# --- Signed-in pages ------------------------------------------------------------------------------


def mark_signed_in_cacheable(request) -> None:
    request.lms_signed_in_cacheable = True


def signed_in_cacheable(view):
    """Let the signed-in page cache keep this view's page (it must depend only on the learner)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        mark_signed_in_cacheable(request)
        return view(request, *args, **kwargs)

    return wrapped


def _signed_in_key(request) -> str | None:
    """The cache key for this request, or None when it must not use the cache."""
    if request.method != "GET" or request.path.startswith(SIGNED_IN_NEVER):
        return None
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    # Without a CSRF cookie the page would set one: render it, and cache the next view.
    if not csrf_cookie or request.COOKIES.get("messages"):  # a cleared cookie may linger empty
        return None
    user = request.user
    if not user.is_authenticated or "_messages" in request.session:
        return None
    identity = "\n".join(
        str(part)
        for part in (
            current_version(),
            user.pk,
            getattr(user, "pages_version", 0),
            request.session.session_key,
            csrf_cookie,
            request.get_host(),
            request.get_full_path(),
        )
    )
    return "user-page:" + hashlib.sha256(identity.encode()).hexdigest()


class SignedInPageCacheMiddleware:
    """Serve a signed-in learner's repeat views of the same page from the cache.

    Innermost in MIDDLEWARE, so that security headers, CSP and ``Vary: Cookie`` are added by the
    middleware above it to a cached page exactly as to a fresh one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "LMS_SIGNED_IN_PAGE_CACHE_SECONDS", 0)
        if not seconds:
            return self.get_response(request)
        try:
            key = _signed_in_key(request)
            hit = cache.get(key) if key else None
        except CACHE_ERRORS:
            logger.warning("Signed-in page cache unavailable; rendering", exc_info=True)
            key = hit = None
        if hit is not None:
            return _from_cache(hit, cache_control="private")
        response = self.get_response(request)
        if getattr(request, "lms_signed_in_cacheable", False) and request.user.is_authenticated:
            # Someone's own page: no shared cache (a proxy, a CDN) may keep it.
            patch_cache_control(response, private=True)
            if (
                key
                and _is_plain_page(response, refused_directives=("no-store",))
                and not _messages_pending(request)
            ):
                headers = {name: response[name] for name in KEPT_HEADERS if name in response}
                if _store(key, (headers, response.content), seconds):
                    response["X-Page-Cache"] = "miss"
        return response


def _messages_pending(request) -> bool:
    """Messages added during this request, or left in the session for the next one."""
    storage = getattr(request, "_messages", None)
    return bool(getattr(storage, "_queued_messages", None)) or "_messages" in request.session
