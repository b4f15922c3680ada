"""The package's files (to its learners and editors) and the run-time's commits."""

import json
import mimetypes

from csp.decorators import csp
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe

from courses import scorm as packages
from courses.models import ScormPackage
from enrollments import services as enrollment_services
from enrollments.models import Enrollment
from infrastructure.storage import private_storage
from scorm import selectors, services

MAX_COMMIT_BYTES = 512 * 1024

# The package's own policy: authoring tools write inline scripts and eval, so the package may
# run them, but only from this site and only inside our pages (frame-ancestors 'self').
_SELF = "'self'"
PACKAGE_CSP = {
    "default-src": [_SELF],
    "script-src": [_SELF, "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": [_SELF, "'unsafe-inline'"],
    "img-src": [_SELF, "data:", "blob:"],
    "media-src": [_SELF, "data:", "blob:"],
    "font-src": [_SELF, "data:"],
    "connect-src": [_SELF],
    "frame-src": [_SELF],
    "object-src": ["'none'"],
    "base-uri": [_SELF],
    "form-action": [_SELF],
    "frame-ancestors": [_SELF],
}
EXTRA_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".vtt": "text/vtt",
    ".webp": "image/webp",
}


def _content_type(path: str) -> str:
    extension = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if extension in EXTRA_TYPES:
        return EXTRA_TYPES[extension]
    guessed, _ = mimetypes.guess_type(path)
    if guessed is None:
        return "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/xml",):
        return f"{guessed}; charset=utf-8"
    return guessed


@require_safe
@xframe_options_sameorigin
@csp(PACKAGE_CSP)
def package_file_view(request, package_id, path):
    """One file of a package, for a learner enrolled in a course that plays it, or an editor.

    Anyone else, a path outside the package or a missing file: 404 (nothing to probe).
    """
    if not request.user.is_authenticated:
        raise Http404
    package = get_object_or_404(ScormPackage, pk=package_id)
    if not selectors.may_open_package(request.user, package):
        raise Http404
    name = packages.package_file_path(package.storage_key, path)
    if name is None:
        raise Http404
    response = FileResponse(private_storage.open(name), content_type=_content_type(path))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _enrollment_for(request, module_id) -> Enrollment:
    """The learner's enrollment in the course of this SCORM module; anything else is a 404."""
    enrollment = selectors.enrollment_for_module(request.user, module_id)
    if enrollment is None:
        raise Http404
    return enrollment


def _refused(error: enrollment_services.LearningError) -> JsonResponse:
    return JsonResponse(
        {"result": "false", "errorCode": 101, "error": error.message}, status=error.status
    )


@require_POST
@login_required
def commit_view(request, module_id):
    """One commit of the run-time (JSON, CSRF header): saved, then the module's rule applied."""
    enrollment = _enrollment_for(request, module_id)
    if len(request.body) > MAX_COMMIT_BYTES:
        return JsonResponse({"result": "false", "errorCode": 101, "error": "too large"}, status=400)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return JsonResponse({"result": "false", "errorCode": 101, "error": "not JSON"}, status=400)
    terminate = bool(payload.get("terminate")) if isinstance(payload, dict) else False
    try:
        result = services.save_commit(
            enrollment=enrollment, module_id=module_id, payload=payload, terminate=terminate
        )
    except services.BadCommit as error:
        return JsonResponse({"result": "false", "errorCode": 101, "error": str(error)}, status=400)
    except enrollment_services.LearningError as error:
        return _refused(error)
    body: dict = {"result": "true", "errorCode": 0, "moduleDone": result.module_done}
    if result.post_test is not None:
        body["postTest"] = {
            "score": f"{result.post_test.score:.0f}",
            "passed": result.post_test.passed,
        }
    return JsonResponse(body)


@require_POST
@login_required
def launch_view(request, module_id):
    """The package was opened (the page's iframe loaded)."""
    enrollment = _enrollment_for(request, module_id)
    try:
        result = services.record_launch(enrollment=enrollment, module_id=module_id)
    except enrollment_services.LearningError as error:
        return _refused(error)
    return JsonResponse({"result": "true", "errorCode": 0, "moduleDone": result.module_done})
