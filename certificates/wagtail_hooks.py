from wagtail import hooks

from certificates import page_hooks

hooks.register("lms_dashboard_context", page_hooks.dashboard_context)
