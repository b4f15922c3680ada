from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from wagtail import hooks

from organizations import services as organizations
from organizations.constants import INVITATION_SESSION_KEY

# Apps above accounts say where a signed-in person should land (enrollments: My learning).
LOGIN_REDIRECT_HOOK = "lms_login_redirect"


def affiliate_new_user(request, user, form) -> None:
    """A new account joins its organization: the invitation's (used up here), or the record the
    typed name means (a new pending record when the registry has none)."""
    invitation = getattr(form, "invitation", None)
    if invitation is not None:
        token = request.session.pop(INVITATION_SESSION_KEY, "")
        try:
            organizations.accept_invitation(token=token, user=user)
            return
        except organizations.InvitationError:  # used or withdrawn meanwhile: the typed name
            pass
    name = form.cleaned_data.get("organization")
    if name:
        organizations.affiliate(
            user=user, organization=organizations.organization_for_name(name=name)
        )


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Store the sign-up profile (full name, profession, organization) with the new user.

        Set before allauth saves, so the user row is written once and complete.
        """
        data = form.cleaned_data
        for name in ("full_name", "profession", "organization"):
            if data.get(name):
                setattr(user, name, data[name])
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            affiliate_new_user(request, user, form)
        return user

    def get_login_redirect_url(self, request):
        """Without a ``next``: the first app hook's answer, else LOGIN_REDIRECT_URL."""
        for hook in hooks.get_hooks(LOGIN_REDIRECT_HOOK):
            if url := hook(request):
                return url
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix, email, context):
        # The sites framework's name is a bare domain; mails greet with the platform's own name.
        context = {
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_url": settings.SITE_URL,
            **context,
        }
        return super().send_mail(template_prefix, email, context)
