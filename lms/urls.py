from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import Http404
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from accounts.views import AdminLogoutView, set_language_view
from certificates.views import lookup_view as verify_lookup_view
from courses.views_admin import ProgramPageTypesUsageReportView
from infrastructure.health import healthz

# A database outage answers 503 (try again), not 500: infrastructure/errors.py.
handler500 = "infrastructure.errors.server_error"


def not_found(request):
    raise Http404


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The Django admin stays (operators use it for the beat schedule and allauth's records), but
    # its password change is allauth's, which mails the owner a notice: one path for credentials.
    path(
        "django-admin/password_change/",
        RedirectView.as_view(pattern_name="account_change_password"),
    ),
    path(
        "django-admin/password_change/done/",
        RedirectView.as_view(pattern_name="account_change_password"),
    ),
    path("django-admin/", admin.site.urls),
    # Wagtail's "Page types usage" names other programs' drafts: ours counts an instructor's own.
    path(
        "admin/reports/page-types-usage/",
        require_admin_access(ProgramPageTypesUsageReportView.as_view()),
    ),
    path(
        "admin/reports/page-types-usage/results/",
        require_admin_access(ProgramPageTypesUsageReportView.as_view(results_only=True)),
    ),
    # Before Wagtail's own: its sign-out deleted the session cookie even when it refused a GET.
    path("admin/logout/", AdminLogoutView.as_view(), name="wagtailadmin_logout"),
    # Wagtail's deliberate error page (a 500 on purpose, for trying the error handler): any
    # instructor could raise errors and error mail with it.
    path("admin/failwhale/", not_found),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("credentials/", include("credentials.urls")),
    path("lti/", include("lti.urls")),
    # A SCORM package's files (their relative links resolve under /scorm/<id>/) and the run-time's
    # launch and commit endpoints: one address in every language, outside the /es/ prefix.
    path("scorm/", include("scorm.urls")),
    # The language switcher (Django's set_language; also stores the choice on a signed-in user).
    path("i18n/setlang/", set_language_view, name="set_language"),
]

# What learners read: English without a prefix (the URLs stay as they were), Spanish under /es/.
learner_patterns = [
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("learning/", include("enrollments.urls")),
    path("certificates/", include("certificates.urls")),
    path("organizations/", include("organizations.urls")),
    path("site/", include("coordinators.urls")),
    path("verify/", verify_lookup_view, name="verify_lookup"),
    path("catalog/", include("courses.urls")),
]

if settings.LMS_BENCH_FLOOR:
    from lms.bench_views import floor

    urlpatterns += [path("bench/floor/", floor, name="bench_floor")]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    *learner_patterns, path("", include(wagtail_urls)), prefix_default_language=False
)
