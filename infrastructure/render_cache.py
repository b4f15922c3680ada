"""What every learner's page shares, looked up or rendered once per content version.

Nothing here depends on who asks: a page's route, whether any page has view restrictions, the
site settings. Each is kept under the content version (``caching.current_version``), which
publishing, unpublishing, moving or deleting a page, a view restriction, a page permission or
saving site settings moves, so there is nothing to invalidate per person. The lesson body is
cached by its template (``{% cache %}`` keyed by page id, live revision and language).

Like the page caches, an optimisation only: if Redis is down, the walk and the queries happen.
"""

import copy
import logging
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.cache import cache

from infrastructure import caching
from infrastructure.caching import CACHE_ERRORS, current_version

logger = logging.getLogger(__name__)

ROUTE_SECONDS = 3600
# Requests that never render a page of the site: no site to look up for them.
NO_SITE_PREFIXES = ("/static/", "/media/", "/healthz", "/bench/floor/", "/favicon.ico")
# This process's copies, under the content version they were read at; only the newest is kept.
_local: dict[str, tuple[int, Any]] = {}
# Routes this process has looked up (keyed by content version and path), oldest first.
_routes: dict[str, tuple[str, int]] = {}
ROUTE_LIMIT = 4096
_generation = 0


def forget() -> None:
    """Drop what this process kept (tests: each rolls the version numbers back)."""
    global _generation
    _local.clear()
    _routes.clear()
    _generation += 1


def _version() -> int | None:
    try:
        return current_version()
    except CACHE_ERRORS:
        logger.warning("Content version unavailable; no shared render cache", exc_info=True)
        return None


def per_version(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per content version in this process (read-only values only)."""
    version = _version()
    if version is None:
        return compute()
    kept = _local.get(name)
    if kept is not None and kept[0] == version:
        return kept[1]
    value = compute()
    _local[name] = (version, value)
    return value


def per_version_many(prefix: str, ids, fetch: Callable[[list], dict]) -> dict:
    """``{id: value}``, each kept per content version in this process; the ones not kept yet
    come from one ``fetch(missing_ids)`` (read-only values only)."""
    version = _version()
    found, missing = {}, []
    for pk in ids:
        kept = _local.get(f"{prefix}:{pk}")
        if version is not None and kept is not None and kept[0] == version:
            found[pk] = kept[1]
        else:
            missing.append(pk)
    if missing:
        for pk, value in fetch(missing).items():
            found[pk] = value
            if version is not None:
                _local[f"{prefix}:{pk}"] = (version, value)
    return found


def route(root, request, path_components: list[str], walk: Callable[[], Any]):
    """The page a path leads to from ``root``: Wagtail's walk (two queries a level) once per
    content version, then the page itself: read once per content version for GET and HEAD.

    Only plain routes are kept (the page, no extra arguments); a page that is no longer live, or
    a cache that is away, falls back to the walk.
    """
    from wagtail.models import Page
    from wagtail.url_routing import RouteResult

    version = _version()
    if version is None or not path_components:
        return walk()
    key = f"route:{version}.{_generation}:{root.pk}:{'/'.join(path_components)}"
    # This process's copy first (no round trip), then the one the processes share.
    hit = _routes.get(key)
    if hit is None:
        try:
            hit = cache.get(key)
        except CACHE_ERRORS:
            hit = None
        if hit is not None:
            _keep_route(key, hit)
    if hit is not None:
        model = apps.get_model(hit[0])
        if request.method in ("GET", "HEAD"):
            # A reading request serves the page as this process last read it in this content
            # version (publishing moves the version), a copy of its own; a form's POST reads
            # the row afresh.
            kept = per_version(
                f"page:{hit[0]}:{hit[1]}", lambda: model.objects.live().filter(pk=hit[1]).first()
            )
            page = copy.copy(kept) if kept is not None else None
        else:
            page = model.objects.live().filter(pk=hit[1]).first()
        if page is not None and isinstance(page, Page):
            return RouteResult(page)
    result = walk()
    page, args, kwargs = result
    if not args and not kwargs:
        hit = (page._meta.label_lower, page.pk)
        _keep_route(key, hit)
        if request.method in ("GET", "HEAD") and page.live:
            # The page as walked to, for the next reading request (before this one changes it).
            _local[f"page:{hit[0]}:{hit[1]}"] = (version, copy.copy(page))
        try:
            cache.set(key, hit, timeout=ROUTE_SECONDS)
        except CACHE_ERRORS:
            logger.warning("Route cache unavailable; not stored", exc_info=True)
    return result


def _keep_route(key: str, hit: tuple[str, int]) -> None:
    """Keep a route in this process: its key holds the content version, so an old one is never
    asked again; the oldest go first past ROUTE_LIMIT."""
    _routes[key] = hit
    while len(_routes) > ROUTE_LIMIT:
        del _routes[next(iter(_routes))]


def render_key(page) -> str | None:
    """The key of what a page shows everyone alike: its id, live revision, the content version
    and the language; None (render afresh) without a live revision or a content version."""
    if not page.live_revision_id:
        return None
    return shared_key(f"{page.pk}.{page.live_revision_id}")


def shared_key(name: str) -> str | None:
    """The key of what a page that is not in Wagtail's tree (My learning) shows everyone alike:
    its name, the content version and the language; None (render afresh) without a version."""
    from django.utils.translation import get_language

    version = _version()
    if version is None:
        return None
    return f"{name}.{version}.{_generation}.{get_language()}"


def any_view_restriction() -> bool:
    """Whether any page has a view restriction (a saved or deleted one moves the version)."""
    from wagtail.models import PageViewRestriction

    return per_version("any-view-restriction", PageViewRestriction.objects.exists)


def default_locale_id() -> int:
    """The id of the default Locale (LANGUAGE_CODE's), once per content version."""
    from wagtail.models import Locale

    return per_version("default-locale-id", lambda: Locale.get_default().pk)


def active_locale_id() -> int | None:
    """The id of the Locale of the active language, once per content version (None: none)."""
    from django.utils.translation import get_language
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale

    try:
        code = get_supported_content_language_variant(get_language())
    except LookupError:
        return None
    return per_version(
        f"locale:{code}",
        lambda: Locale.objects.filter(language_code=code).values_list("pk", flat=True).first(),
    )


class SharedRenderMixin:
    """For the site's page types: rendered from a shell per live revision (``serve``), no
    view-restriction queries while no page has one, and no Locale query to find that a page is
    already in the active language (Wagtail's routing asks ``site.root_page.localized`` on every
    request)."""

    def serve(self, request, *args, **kwargs):
        """Wagtail's serve, rendered from the page's shell (infrastructure.shell): the header's
        account links and the templates' other ``{% personal %}`` regions per request."""
        from infrastructure import shell

        request.is_preview = False
        key = render_key(self)
        return shell.ShellTemplateResponse(
            request,
            self.get_template(request, *args, **kwargs),  # type: ignore[attr-defined]
            self.get_context(request, *args, **kwargs),  # type: ignore[attr-defined]
            key=None if key is None else (key,),
        )

    @property
    def localized(self):
        if self.locale_id is not None and active_locale_id() == self.locale_id:  # type: ignore[attr-defined]
            return self
        return super().localized  # type: ignore[misc]

    def get_url_parts(self, request=None):
        """Wagtail's answer once per content version (moving a page or saving a site moves it),
        for this page's path, the active language and the request's site."""
        from django.utils.translation import get_language

        if self.pk is None or getattr(request, "is_preview", False):  # type: ignore[attr-defined]
            return super().get_url_parts(request)  # type: ignore[misc]
        site = getattr(request, "_wagtail_site", None)
        key = (
            f"url-parts:{self.pk}:{self.url_path}:{get_language()}:"  # type: ignore[attr-defined]
            f"{site.pk if site is not None else ''}"
        )
        return per_version(key, lambda: super(SharedRenderMixin, self).get_url_parts(request))

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        if not any_view_restriction():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()  # type: ignore[misc]


class SharedSiteMiddleware:
    """Wagtail's site for the request, with its root page, read once per content version.

    Wagtail looks the site up (a query), then its root page and that page's specific object (two
    more) on every page it serves; saving a site or publishing the root page moves the version.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = caching._pinned_version.set([None])
        try:
            if not request.path.startswith(NO_SITE_PREFIXES):
                self.attach_site(request)
            return self.get_response(request)
        finally:
            caching._pinned_version.reset(token)

    @staticmethod
    def attach_site(request) -> None:
        from wagtail.models import Site

        host = request._get_raw_host()

        def find():
            site = Site._find_for_request(request)
            if site is not None:
                # The specific page, kept with the site (its ``localized`` needs no query).
                site.root_page = site.root_page.specific
            return site

        try:
            site = per_version(f"site:{host}:{request.get_port()}", find)
        except Exception:  # noqa: BLE001 - a bad Host is Django's to refuse, later
            site = None
        if site is not None:
            request._wagtail_site = copy.copy(site)
