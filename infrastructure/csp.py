"""Content Security Policy: a strict one for the site, and the Wagtail admin's own.

The admin's editor relies on inline scripts and styles; the public site needs neither inline
script nor anything from another origin (bar embedded video players).
"""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class SiteAndAdminCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path.startswith(ADMIN_PREFIXES):
            parts.config = default_config(settings.LMS_ADMIN_CSP_DIRECTIVES)
        return parts
