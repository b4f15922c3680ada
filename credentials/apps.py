from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    """Open Badges 3.0: every issued certificate is also a signed, portable credential.

    Sits above certificates (beside reports): it reads certificates; nothing below imports it.
    """

    name = "credentials"
    verbose_name = _("Open Badges credentials")
