from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.adapter import LOGIN_REDIRECT_HOOK
from courses import extension_points
from enrollments import admin_views, documents, page_hooks
from enrollments.urls import preview_urlpatterns

hooks.register(extension_points.MODULE_ACCESS, page_hooks.module_access)
hooks.register(extension_points.COURSE_PAGE, page_hooks.course_page)
hooks.register(extension_points.MODULE_PAGE, page_hooks.module_page)
hooks.register("before_serve_document", documents.before_serve_document)
hooks.register(LOGIN_REDIRECT_HOOK, page_hooks.login_redirect)


@hooks.register("register_admin_urls")
def register_preview_urls():
    return [path("learning-preview/", include((preview_urlpatterns, "enrollments_preview")))]


# --- Regrade ----------------------------------------------------------------------------------

hooks.register("before_edit_page", admin_views.warn_before_edit)
hooks.register("after_edit_page", admin_views.warn_after_edit)


@hooks.register("register_admin_urls")
def register_regrade_urls():
    return [path("", include((admin_views.admin_urlpatterns, "enrollments_regrade")))]


class RegradeMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_regrade(request.user)


@hooks.register("register_admin_menu_item")
def register_regrade_menu_item():
    return RegradeMenuItem(
        _("Regrade"), reverse("enrollments_regrade:index"), icon_name="tasks", order=650
    )


@hooks.register("register_permissions")
def register_regrade_permission():
    return Permission.objects.filter(content_type__app_label="enrollments", codename="regrade_quiz")


@hooks.register("register_log_actions")
def register_regrade_log_action(actions):
    actions.register_action(
        admin_views.LOG_ACTION, _("Regrade"), _("Regraded a question; past attempts rescored")
    )
