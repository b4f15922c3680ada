"""The SCORM player on a module page (an implementation of ``courses.extension_points``)."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse

from courses.extension_points import Fragment, ModuleAccess, PageAdditions
from courses.models import CoursePage, ModulePage, ScormPackage, is_learner_preview
from enrollments.models import Enrollment, ModuleProgress
from scorm import services

PLAYER = "scorm/player.html"


def _launch_url(package: ScormPackage) -> str:
    return reverse("scorm:file", args=[package.pk, package.launch_path.split("?", 1)[0]]) + (
        "?" + package.launch_path.split("?", 1)[1] if "?" in package.launch_path else ""
    )


def module_page(
    request: HttpRequest,
    module: ModulePage,
    *,
    course: CoursePage,
    modules: Sequence[ModulePage],
    access: ModuleAccess,
) -> PageAdditions | None:
    """The package in an iframe, with the run-time in this page: saved for the enrolled learner,
    fresh and unsaved in an editor's preview."""
    package: ScormPackage | None = module.scorm_package
    if package is None or not access.can_view_content:
        return None
    name = request.user.get_full_name() if request.user.is_authenticated else ""
    learner_id = str(request.user.pk) if request.user.is_authenticated else ""
    config: dict[str, Any] = {
        "version": package.version,
        "launchUrl": _launch_url(package),
        "commitUrl": None,
        "launchPingUrl": None,
        "csrfToken": get_token(request),
    }
    context: dict[str, Any] = {"package": package, "preview": True, "scorm_done": False}
    enrollment = access.grant.record if access.grant is not None else None
    if not is_learner_preview(request) and isinstance(enrollment, Enrollment):
        attempt = services.open_attempt(enrollment, module)
        config["commitUrl"] = reverse("scorm:commit", args=[module.pk])
        config["launchPingUrl"] = reverse("scorm:launch", args=[module.pk])
        config["cmi"] = services.initial_cmi(
            attempt, version=package.version, learner_id=learner_id, learner_name=name
        )
        context["preview"] = False
        context["scorm_done"] = ModuleProgress.objects.filter(
            enrollment=enrollment, cycle=enrollment.cycle, module=module
        ).exists()
    else:
        config["cmi"] = services.initial_cmi(
            None, version=package.version, learner_id=learner_id, learner_name=name
        )
    context["scorm_config"] = config
    return PageAdditions(quiz=Fragment(PLAYER, context))
