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
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _


def _admin_prefixes() -> tuple[str, ...]:
    return (reverse("wagtailadmin_home"), reverse("admin:index"))


class AdminLoginRedirectMiddleware:
    """Send the admins' and Wagtail's front-end login pages to allauth's, with a safe ``next``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin_home = {
            reverse("wagtailadmin_login"): reverse("wagtailadmin_home"),
            reverse("admin:login"): reverse("admin:index"),
            # Wagtail's front-end login (private pages and documents): password only, no MFA.
            reverse("wagtailcore_login"): "/",
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
        if not request.path.startswith(_admin_prefixes()):
            return False
        if request.path in (reverse("wagtailadmin_logout"), reverse("admin:logout")):
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
        if request.path.startswith(reverse("wagtailadmin_home")):
            user = getattr(request, "user", None)
            if (
                user is not None
                and user.is_authenticated
                and not user.is_superuser
                and not user.has_perm("wagtailadmin.access_admin")
                and request.path != reverse("wagtailadmin_logout")
            ):
                raise PermissionDenied
        return self.get_response(request)
