"""A page rendered once for everyone, with each person's parts filled in per request.

Most of a course or module page is the same for every visitor: the outline, the lesson, the
credit statements, the footer. A template marks what is not with ``{% personal %}``
(``infrastructure/templatetags/shell.py``): the header's account links, a course's enrollment
panel, a module's status, a quiz form. The first request for a page renders the template once as
a *shell*: the shared parts as text, each personal region as a marker with its template nodes and
the loop variables it names. Every request after that renders only the personal regions, with
its own context, and joins them into the shell's text.

The shell is kept in this process, under the page's ``render_cache.render_key`` (id, live
revision, content version, language), the template, the host and the caller's ``variant`` (a
module's "may read the lesson" or not), so there is nothing to invalidate per person: publishing
moves the content version and the next request renders a new shell. Only the newest
``SHELL_LIMIT`` shells are kept.

Nothing personal can leak into the shared text: the shell is rendered with the person's context
variables (``PERSONAL``: the user, CSRF token, messages, the apps' slots, ...) and the request's
personal attributes (its user, session, cookies, query string) replaced by stand-ins that raise
``PersonalValueInShell`` when a shared part touches them. Then the page is rendered the ordinary
way, and the template is never shelled again in this process; under ``DEBUG`` or with
``LMS_SHELL_STRICT`` (the tests) the error is raised instead, so a template that would leak fails
its tests.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.base import Template
from django.template.context import make_context
from django.template.response import TemplateResponse
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

SHELL_LIMIT = 512
# PostgreSQL text never holds a NUL (and requests carrying one are refused): a safe delimiter.
DELIMITER = "\x00"
# The context variables that belong to the person asking; never read while rendering a shell.
PERSONAL = frozenset({"user", "perms", "csrf_token", "messages", "slots", "DEFAULT_MESSAGE_LEVELS"})
# The request's attributes that belong to the person asking (or to this one request).
PERSONAL_REQUEST_ATTRIBUTES = frozenset(
    {
        "user",
        "session",
        "COOKIES",
        "GET",
        "POST",
        "FILES",
        "META",
        "headers",
        "body",
        "get_full_path",
        "get_full_path_info",
        "build_absolute_uri",
        "get_signed_cookie",
        "auth",
        "_messages",
    }
)


class PersonalValueInShell(Exception):  # noqa: N818 - a template fault, named for what happened
    """A shared part of a template read something personal (mark that part ``{% personal %}``)."""


@dataclass(frozen=True)
class Region:
    node: Any  # the {% personal %} node (templatetags/shell.py)
    values: dict[str, Any]


@dataclass(frozen=True)
class Shell:
    texts: tuple[str, ...]  # one more than the regions: text, region, text, ..., text
    regions: tuple[Region, ...]


_recording: ContextVar[list[Region] | None] = ContextVar("shell_recording", default=None)
_shells: OrderedDict[tuple, Shell] = OrderedDict()
_unshellable: set[str] = set()


def forget() -> None:
    """Drop this process's shells (tests)."""
    _shells.clear()
    _unshellable.clear()


def recording() -> list[Region] | None:
    """The regions of the shell being rendered now, or None (an ordinary render)."""
    return _recording.get()


def mark(regions: list[Region], node, values: dict[str, Any]) -> SafeString:
    regions.append(Region(node, values))
    return mark_safe(f"{DELIMITER}{len(regions) - 1}{DELIMITER}")


class _StandIn:
    """What a shell sees in place of a personal value: touching it raises."""

    def __init__(self, name: str):
        object.__setattr__(self, "_name", name)

    def _leak(self, *args, **kwargs):
        raise PersonalValueInShell(
            f"A shared part of the template read {self._name!r}; mark it {{% personal %}}."
        )

    __getattr__ = __getitem__ = __iter__ = __len__ = __bool__ = __str__ = __html__ = _leak
    __contains__ = __eq__ = __call__ = __int__ = _leak
    __hash__ = object.__hash__


class _SharedRequest:
    """The request as the shell sees it: its site, language and path, nobody's identity."""

    def __init__(self, request):
        object.__setattr__(self, "_request", request)

    def __getattr__(self, name):
        if name in PERSONAL_REQUEST_ATTRIBUTES:
            raise PersonalValueInShell(
                f"A shared part of the template read request.{name}; mark it {{% personal %}}."
            )
        return getattr(self._request, name)

    def __setattr__(self, name, value):  # Wagtail keeps its per-request caches on the request
        setattr(self._request, name, value)


def _strict() -> bool:
    return bool(settings.DEBUG or getattr(settings, "LMS_SHELL_STRICT", False))


def render(
    template, context: dict[str, Any], request, *, key: tuple, shared: dict[str, Any] | None = None
) -> str:
    """``template`` (a Django backend template) rendered for ``request``, from its shell."""
    compiled = template.template
    if compiled.name in _unshellable:
        return template.render(context, request)
    full_key = (compiled.name, request.get_host(), *key)
    request_context = make_context(context, request, autoescape=compiled.engine.autoescape)
    with request_context.render_context.push_state(compiled):
        with request_context.bind_template(compiled):
            request_context.template_name = compiled.name
            _announce(compiled, request_context)
            shell = _shells.get(full_key)
            if shell is None:
                try:
                    shell = _render_shell(template, {**context, **(shared or {})}, request)
                except PersonalValueInShell:
                    if _strict():
                        raise
                    logger.exception(
                        "Template %s cannot be shelled; rendered in full", compiled.name
                    )
                    _unshellable.add(compiled.name)
                    return compiled.nodelist.render(request_context)
                _shells[full_key] = shell
                while len(_shells) > SHELL_LIMIT:
                    try:
                        _shells.popitem(last=False)
                    except KeyError:  # another thread emptied it first
                        break
            else:
                try:
                    _shells.move_to_end(full_key)
                except KeyError:  # another thread let it go meanwhile; this request has it
                    pass
            return _fill(shell, request_context)


def _announce(compiled, context) -> None:
    """Under the test runner, report the page's own context first (what ``response.context``
    answers from), as an ordinary render would; the shell's stand-ins come after it."""
    if getattr(Template._render, "__name__", "") == "instrumented_test_render":
        from django.test.signals import template_rendered

        template_rendered.send(sender=compiled, template=compiled, context=context)


def _render_shell(template, context: dict[str, Any], request) -> Shell:
    shared = {
        name: _StandIn(name) if name in PERSONAL else value for name, value in context.items()
    }
    for name in PERSONAL:
        shared.setdefault(name, _StandIn(name))
    shared_request = _SharedRequest(request)
    shared["request"] = shared_request
    compiled = template.template
    # The context processors run on the real request (their values are lazy, and replaced by the
    # stand-ins above); template tags that reach for ``context.request`` get the shared one.
    request_context = make_context(shared, request, autoescape=compiled.engine.autoescape)
    regions: list[Region] = []
    token = _recording.set(regions)
    try:
        with request_context.render_context.push_state(compiled):
            with request_context.bind_template(compiled):
                request_context.template_name = compiled.name
                request_context.request = shared_request
                text = compiled.nodelist.render(request_context)
    finally:
        _recording.reset(token)
    pieces = text.split(DELIMITER)
    texts, indexes = pieces[0::2], pieces[1::2]
    if indexes != [str(i) for i in range(len(regions))]:
        raise PersonalValueInShell(f"Shell markers out of order in {compiled.name}")
    return Shell(tuple(texts), tuple(regions))


def _fill(shell: Shell, context) -> str:
    """The shell's text with each personal region rendered in ``context`` (this request's)."""
    out = [shell.texts[0]]
    for region, text in zip(shell.regions, shell.texts[1:], strict=True):
        with context.push(region.values):
            out.append(region.node.render_region(context))
        out.append(text)
    return "".join(out)


class ShellTemplateResponse(TemplateResponse):
    """A page's response rendered through its shell (``key`` None: rendered the ordinary way).

    ``shared`` replaces context values for the shell only: what the shared parts may know of a
    personal value (a module's "may read the lesson", which is also part of ``key``).
    """

    def __init__(self, request, template, context, *, key: tuple | None, shared=None, **kwargs):
        super().__init__(request, template, context, **kwargs)
        self.shell_key = key
        self.shell_shared = shared or {}

    @property
    def rendered_content(self):
        template = self.resolve_template(self.template_name)
        context = self.resolve_context(self.context_data)
        if self.shell_key is None:
            return template.render(context, self._request)
        return render(
            template, context, self._request, key=self.shell_key, shared=self.shell_shared
        )
