from wagtail import hooks

from courses.access import HOOK_NAME as MODULE_ACCESS_HOOK
from enrollments import page_hooks

hooks.register(MODULE_ACCESS_HOOK, page_hooks.module_access)
hooks.register("lms_course_context", page_hooks.course_context)
hooks.register("lms_module_context", page_hooks.module_context)
