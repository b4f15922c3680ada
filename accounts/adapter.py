from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from wagtail import hooks

# Apps above accounts say where a signed-in person should land (enrollments: My learning).
LOGIN_REDIRECT_HOOK = "lms_login_redirect"


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Store the sign-up profile (full name, profession, organization) with the new user.

        Set before allauth saves, so the user row is written once and complete.
        """
        data = form.cleaned_data
        for name in ("full_name", "profession", "organization"):
            if data.get(name):
                setattr(user, name, data[name])
        return super().save_user(request, user, form, commit=commit)

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
