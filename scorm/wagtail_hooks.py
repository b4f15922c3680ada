from wagtail import hooks

from courses import extension_points
from scorm import page_hooks

hooks.register(extension_points.MODULE_PAGE, page_hooks.module_page)
