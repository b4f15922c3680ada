"""Admin access rules that sit in front of the Wagtail and Django admins.

Both admins ship their own password-only login views. Sign-in goes through allauth instead, so that
email verification, rate limits and the two-factor step apply to staff like everyone else.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

_ADMIN_NAMES = (
    "wagtailadmin_home", "wagtailadmin_login", "wagtailadmin_logout", "wagtailcore_login",
    "admin:index", "admin:login", "admin:logout",
)  # fmt: skip
_reversed: dict[tuple, dict[str, str]] = {}


def _paths() -> dict[str, str]:
    """The admins' paths, reversed once per URL configuration, script prefix and language.

    Every request passes these middlewares; reversing eight names each time was a measurable
    share of a small page's cost.
    """
    key = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), get_language())
    paths = _reversed.get(key)
    if paths is None:
        paths = _reversed[key] = {name: reverse(name) for name in _ADMIN_NAMES}
    return paths


def _admin_prefixes(paths: dict[str, str]) -> tuple[str, ...]:
    return (paths["wagtailadmin_home"], paths["admin:index"])


class AdminLoginRedirectMiddleware:
    """Send the admins' and Wagtail's front-end login pages to allauth's, with a safe ``next``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        paths = _paths()
        admin_home = {
            paths["wagtailadmin_login"]: paths["wagtailadmin_home"],
            paths["admin:login"]: paths["admin:index"],
            # Wagtail's front-end login (private pages and documents): password only, no MFA.
            paths["wagtailcore_login"]: "/",
        }.get(request.path)
        if admin_home:
            next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
            if not url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                next_url = admin_home
            login_url = resolve_url(settings.LOGIN_URL)
            return HttpResponseRedirect(f"{login_url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
        return self.get_response(request)


class StaffMFARequiredMiddleware:
    """Staff reach the admins only once they have an authenticator app (TOTP) activated.

    Anything outside the admins (the MFA pages, sign-out, static files, the public site) passes.
    ``LMS_REQUIRE_STAFF_MFA = False`` turns the rule off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_activate_totp(request):
            messages.warning(
                request,
                _(
                    "Staff accounts need two-factor authentication to open the admin. Set up an "
                    "authenticator app to continue (you may be asked for your password first)."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_activate_totp(self, request) -> bool:
        if not getattr(settings, "LMS_REQUIRE_STAFF_MFA", True):
            return False
        # The path first: other pages never pay for loading the user.
        paths = _paths()
        if not request.path.startswith(_admin_prefixes(paths)):
            return False
        if request.path in (paths["wagtailadmin_logout"], paths["admin:logout"]):
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if not (user.is_staff or user.is_superuser):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class AdminAccessDeniedMiddleware:
    """A signed-in person without admin access gets a 403 at the admins, not a login redirect.

    Wagtail sends such a user to the login page, and allauth sends a signed-in user on to ``next``:
    a redirect loop. Learners see a clear "not allowed" page instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        paths = _paths()
        if request.path.startswith(paths["wagtailadmin_home"]):
            user = getattr(request, "user", None)
            if (
                user is not None
                and user.is_authenticated
                and not user.is_superuser
                and not user.has_perm("wagtailadmin.access_admin")
                and request.path != paths["wagtailadmin_logout"]
            ):
                raise PermissionDenied
        return self.get_response(request)
