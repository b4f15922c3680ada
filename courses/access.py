"""Who may read a module's content.

The catalog does not know about enrollments (imports point the other way). An app that does
registers a ``lms_module_access`` Wagtail hook: ``fn(request, module) -> ModuleAccess | None``.
The first hook that answers decides; without one, only the page's editors see the content.
"""

from dataclasses import dataclass, field
from typing import Any

from wagtail import hooks

HOOK_NAME = "lms_module_access"


@dataclass
class ModuleAccess:
    can_view_content: bool
    reason: str  # "editor", "enrolled", "not_enrolled", "anonymous"
    extra: dict[str, Any] = field(default_factory=dict)


def module_access(request, module) -> ModuleAccess:
    user = request.user
    if not user.is_authenticated:
        return ModuleAccess(can_view_content=False, reason="anonymous")
    # The enrolled learner is the common case: ask the hooks before the (costlier) editor check.
    for hook in hooks.get_hooks(HOOK_NAME):
        answer = hook(request, module)
        if answer is not None and answer.can_view_content:
            return answer
    if module.permissions_for_user(user).can_edit():
        return ModuleAccess(can_view_content=True, reason="editor")
    return ModuleAccess(can_view_content=False, reason="not_enrolled")
