from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import LogoutView as DjangoLogoutView
from django.db import transaction
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import UpdateView
from django.views.i18n import set_language
from wagtail.admin.views.account import LogoutView as WagtailLogoutView

from accounts.forms import ProfileForm
from organizations import selectors as organization_selectors
from organizations import services as organizations


class ProfileView(LoginRequiredMixin, UpdateView):
    """The signed-in user's own profile; there is no way to name another user."""

    form_class = ProfileForm
    template_name = "accounts/profile.html"
    success_url = reverse_lazy("profile")

    def get_object(self, queryset=None):
        # A copy, not request.user: an invalid form must not leave its values on the request's
        # user (the page header and navigation render from it).
        return get_user_model().objects.get(pk=self.request.user.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totp_active"] = is_mfa_enabled(self.request.user, [Authenticator.Type.TOTP])
        context["membership"] = organization_selectors.membership_of(self.request.user.pk)
        return context

    def get_success_url(self):
        """Back where the learner came from (the name check before a certificate), if ours."""
        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return super().get_success_url()

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        # The typed or chosen name means a record of the registry (a new pending one if none).
        organizations.affiliate(
            user=self.object,
            organization=organizations.organization_for_name(
                name=form.cleaned_data["organization"]
            ),
        )
        messages.success(self.request, _("Your profile has been saved."))
        return response


class AdminLogoutView(WagtailLogoutView):
    """Wagtail's admin sign-out, which deletes the session cookie only when it signed someone out.

    Wagtail's own view deletes the cookie after any answer, so a GET (405) or a POST without a
    CSRF token (403) from a link on another site signed an administrator out.
    """

    def dispatch(self, request, *args, **kwargs):
        response = DjangoLogoutView.dispatch(self, request, *args, **kwargs)
        if request.method != "POST" or request.user.is_authenticated:
            return response  # refused (wrong method or CSRF): the session stays as it was
        messages.success(request, _("You have been successfully logged out."))
        # As Wagtail does: no fresh session cookie, so front-end pages stay cacheable.
        response.delete_cookie(
            settings.SESSION_COOKIE_NAME,
            domain=settings.SESSION_COOKIE_DOMAIN,
            path=settings.SESSION_COOKIE_PATH,
        )
        request.session.modified = False
        return response


@csrf_exempt
@require_POST
def set_language_view(request):
    """Django's ``set_language`` (cookie, then back to ``next`` in the new language); a signed-in
    person's choice is also stored on their account, for their mails and certificates.

    Anonymous visitors switch without a CSRF token (the switcher on public pages sets no cookie,
    so those pages stay in the shared page cache; a forged switch only changes a cookie). A
    signed-in person's switch writes their account, so it is checked like any other form.
    """
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    # Django finds the page in the new language by resolving ``next`` in the current one: a
    # Spanish address (/es/...) is first taken back to its unprefixed English form.
    target = request.POST.get("next", "")
    prefix = translation.get_language_from_path(target)
    if prefix and prefix != settings.LANGUAGE_CODE:
        request.POST = request.POST.copy()
        request.POST["next"] = target.removeprefix(f"/{prefix}") or "/"
    response = set_language(request)
    code = request.POST.get("language", "")
    if request.user.is_authenticated and code in dict(settings.LANGUAGES):
        if request.user.language != code:
            request.user.language = code
            request.user.save(update_fields=["language"])
    return response
