from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XapiConfig(AppConfig):
    """xAPI statements to a learning record store, through an outbox the worker empties.

    Sits at the top beside reports, credentials and lti: it listens to the in-transaction signals
    of enrollments and certificates; nothing imports it.
    """

    name = "xapi"
    verbose_name = _("xAPI (learning record store)")

    def ready(self):
        from xapi import receivers  # noqa: F401 - connects the in-transaction receivers
