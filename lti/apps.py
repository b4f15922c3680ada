from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtiConfig(AppConfig):
    """LTI 1.3 tool: hospital and university LMSs launch our courses and get grades back.

    Sits above certificates (beside reports): it enrolls through enrollments; nothing imports it.
    """

    name = "lti"
    verbose_name = _("LTI 1.3 tool")

    def ready(self):
        from lti import receivers  # noqa: F401 - connects the course_completed receiver
