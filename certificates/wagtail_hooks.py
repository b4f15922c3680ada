from django.urls import include, path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from certificates import page_hooks
from certificates.admin_views import (
    BoardViewSet,
    CertificateViewSet,
    ExpiryReminderViewSet,
    admin_urlpatterns,
)
from courses import extension_points

hooks.register(extension_points.DASHBOARD, page_hooks.dashboard)
register_snippet(BoardViewSet)
hooks.register(extension_points.COURSE_PAGE, page_hooks.course_page)


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet("certificate_admin")


@hooks.register("register_admin_viewset")
def register_expiry_reminder_viewset():
    return ExpiryReminderViewSet("expiry_reminder_admin")


@hooks.register("register_admin_urls")
def register_certificate_actions():
    return [path("", include((admin_urlpatterns, "certificates_admin")))]
