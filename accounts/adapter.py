from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


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

    def send_mail(self, template_prefix, email, context):
        # The sites framework's name is a bare domain; mails greet with the platform's own name.
        context = {
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_url": settings.SITE_URL,
            **context,
        }
        return super().send_mail(template_prefix, email, context)
