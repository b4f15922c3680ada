"""Content Security Policy: a strict one for the site, and the Wagtail admin's own.

The admin's editor relies on inline scripts and styles; the public site needs neither inline
script nor anything from another origin (bar embedded video players).
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy, default_config
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
# What a view or decorator may set on a response to change its policy (django-csp's own names).
_RESPONSE_OVERRIDES = (
    "_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
    "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro",
)  # fmt: skip
# (admin?, report only?) -> the header's value: the policies come from settings alone.
_built: dict[tuple[bool, bool], str] = {}


@receiver(setting_changed)
def _forget_policies(*, setting, **kwargs):
    if setting.startswith(("CONTENT_SECURITY_POLICY", "LMS_ADMIN_CSP")):
        _built.clear()


class SiteAndAdminCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path.startswith(ADMIN_PREFIXES):
            parts.config = default_config(settings.LMS_ADMIN_CSP_DIRECTIVES)
        return parts

    def process_response(self, request, response):
        """django-csp's, with the header built once: most responses change nothing in it.

        A response that carries its own policy (django-csp's decorators), a nonce in use,
        excluded prefixes or the debug pages take django-csp's own path.
        """
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _RESPONSE_OVERRIDES)
            or settings.DEBUG
            or (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get(
                "EXCLUDE_URL_PREFIXES"
            )
            or (getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {}).get(
                "EXCLUDE_URL_PREFIXES"
            )
        ):
            return super().process_response(request, response)
        admin = request.path.startswith(ADMIN_PREFIXES)
        for report_only, header in ((False, HEADER), (True, HEADER_REPORT_ONLY)):
            policy = _built.get((admin, report_only))
            if policy is None:
                parts = self.get_policy_parts(request, response, report_only=report_only)
                policy = _built[(admin, report_only)] = build_policy(
                    config=parts.config, report_only=report_only
                )
            if policy and header not in response:
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
