"""The tool's endpoints: keys and configuration, OIDC login, launch, deep linking.

Launches arrive as cross-site form posts carrying a signed id_token, which is their proof of
origin: they are exempt from CSRF, and every check the specification asks for is made before
anything is written.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import login
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException

from courses.models import CoursePage
from lti import keys, services
from lti.http import PlatformSession
from lti.tool import LmsToolConfig

logger = logging.getLogger(__name__)

DEEP_LINK_SESSION_KEY = "lti_deep_link_launch_id"
LAUNCH_ERRORS = (LtiException, OIDCException, ValueError, TypeError, KeyError, AssertionError)


def _absolute(name: str) -> str:
    return f"{settings.SITE_URL}{reverse(name)}"


def _refused(request, message: str, status: int = 403):
    return render(request, "lti/error.html", {"message": message}, status=status)


@require_GET
def jwks_view(request):
    response = JsonResponse(keys.jwks())
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def config_view(request):
    """The tool's registration data, shaped as an LTI Dynamic Registration client request."""
    launch = _absolute("lti:launch")
    return JsonResponse(
        {
            "application_type": "web",
            "client_name": settings.WAGTAIL_SITE_NAME,
            "response_types": ["id_token"],
            "grant_types": ["implicit", "client_credentials"],
            "initiate_login_uri": _absolute("lti:login"),
            "redirect_uris": [launch],
            "jwks_uri": _absolute("lti:jwks"),
            "token_endpoint_auth_method": "private_key_jwt",
            "scope": services.SCORE_SCOPE
            + " https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
            "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                "domain": urlsplit(settings.SITE_URL).netloc,
                "target_link_uri": launch,
                "description": _("Clinical research education courses with CE credit."),
                "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
                "messages": [
                    {"type": "LtiResourceLinkRequest", "target_link_uri": launch},
                    {
                        "type": "LtiDeepLinkingRequest",
                        "target_link_uri": launch,
                        "placements": ["link_selection", "assignment_selection"],
                    },
                ],
            },
        }
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def login_view(request):
    """OIDC third-party login initiation: back to the platform with state and nonce."""
    params = request.POST if request.method == "POST" else request.GET
    if not params.get("iss") or not params.get("login_hint"):
        return _refused(request, _("The LMS sent an incomplete login request."), status=400)
    oidc = DjangoOIDCLogin(request, LmsToolConfig(), launch_data_storage=DjangoCacheDataStorage())
    try:
        # Always our own launch URL: never a target the request names.
        return oidc.redirect(_absolute("lti:launch"))
    except LAUNCH_ERRORS as error:
        logger.info("LTI login refused: %s", error)
        return _refused(request, _("This LMS is not registered with us."), status=400)


@csrf_exempt
@require_POST
def launch_view(request):
    tool_config = LmsToolConfig()
    message_launch = DjangoMessageLaunch(
        request,
        tool_config,
        launch_data_storage=DjangoCacheDataStorage(),
        requests_session=PlatformSession(),
    )
    try:
        claims = message_launch.get_launch_data()
        services.consume_nonce(issuer=claims["iss"], nonce=claims["nonce"])
    except services.LaunchRefused as error:
        return _refused(request, error.message, error.status)
    except LAUNCH_ERRORS as error:
        logger.info("LTI launch refused: %s", error)
        return _refused(
            request,
            _("This launch could not be verified (%(reason)s). Start again from your LMS.")
            % {"reason": str(error)[:200]},
        )
    registration = tool_config.lti_registration
    if message_launch.is_deep_link_launch():
        if not services.may_deep_link(claims):
            return _refused(request, _("Only instructors can choose a course to place."))
        request.session[DEEP_LINK_SESSION_KEY] = message_launch.get_launch_id()
        return redirect("lti:deep_link")
    if not message_launch.is_resource_launch():
        return _refused(request, _("This kind of LTI message is not supported."), status=400)
    try:
        result = services.resource_launch(lti_registration=registration, claims=claims)
    except services.LaunchRefused as error:
        return _refused(request, error.message, error.status)
    login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(result.course.url)


@require_http_methods(["GET", "POST"])
def deep_link_view(request):
    """The platform's instructor picks a course; we answer with a signed content item."""
    launch_id = request.session.get(DEEP_LINK_SESSION_KEY)
    tool_config = LmsToolConfig()
    try:
        if not launch_id:
            raise LtiException("no deep-linking launch in this session")
        message_launch = DjangoMessageLaunch.from_cache(
            launch_id, request, tool_config, launch_data_storage=DjangoCacheDataStorage()
        )
    except LAUNCH_ERRORS:
        return _refused(request, _("Start again from your LMS: this choice has expired."), 400)
    courses = CoursePage.objects.live().public().in_default_locale().order_by("title")
    if request.method == "GET":
        return render(request, "lti/deep_link.html", {"courses": courses})
    course = (
        courses.filter(pk=request.POST.get("course") or 0).first()
        if (str(request.POST.get("course", "")).isdigit())
        else None
    )
    if course is None:
        return render(
            request, "lti/deep_link.html",
            {"courses": courses, "error": _("Choose one of the courses.")}, status=400,
        )  # fmt: skip
    resource = (
        DeepLinkResource()
        .set_url(_absolute("lti:launch"))
        .set_title(f"{course.code} {course.title}")
        .set_custom_params({"course": course.code})
    )
    deep_link = message_launch.get_deep_link()
    token = deep_link.get_response_jwt([resource])
    return_url = deep_link._deep_link_settings["deep_link_return_url"]
    del request.session[DEEP_LINK_SESSION_KEY]
    response = render(
        request, "lti/deep_link_return.html",
        {"return_url": return_url, "jwt": token, "course": course},
    )  # fmt: skip
    # The form goes back to the platform: allow that one origin as a form target.
    parts = urlsplit(return_url)
    response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
    return response
