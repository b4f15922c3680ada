from django.urls import include, path
from wagtail import hooks

from accounts.adapter import LOGIN_REDIRECT_HOOK
from courses import extension_points
from enrollments import documents, page_hooks
from enrollments.urls import preview_urlpatterns

hooks.register(extension_points.MODULE_ACCESS, page_hooks.module_access)
hooks.register(extension_points.COURSE_PAGE, page_hooks.course_page)
hooks.register(extension_points.MODULE_PAGE, page_hooks.module_page)
hooks.register("before_serve_document", documents.before_serve_document)
hooks.register(LOGIN_REDIRECT_HOOK, page_hooks.login_redirect)


@hooks.register("register_admin_urls")
def register_preview_urls():
    return [path("learning-preview/", include((preview_urlpatterns, "enrollments_preview")))]
