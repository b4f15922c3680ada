from wagtail import hooks

from accounts.adapter import LOGIN_REDIRECT_HOOK
from courses import extension_points
from enrollments import page_hooks

hooks.register(extension_points.MODULE_ACCESS, page_hooks.module_access)
hooks.register(extension_points.COURSE_PAGE, page_hooks.course_page)
hooks.register(extension_points.MODULE_PAGE, page_hooks.module_page)
hooks.register(LOGIN_REDIRECT_HOOK, page_hooks.login_redirect)
