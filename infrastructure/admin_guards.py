"""Guards in front of Wagtail's own admin views, for what they leave to their own buttons.

- ``WagtailBadInputMiddleware``: a crafted request that Wagtail's form handling cannot take (a
  missing field, an id that is not a number, an out-of-range number, a record the database must
  keep) is answered 400 with a short reason and logged, instead of a 500. Only views whose code
  is Wagtail's are covered: an error in our own views stays a 500, and a test must find it.
- ``ImageChooserPermissionMiddleware``: Wagtail's image chooser "select format" step shows any
  image by id; here it shows only images the user may choose (the chooser's own rule).
- ``PageChooserScopeMiddleware``: Wagtail's page chooser narrows the pages it lists through the
  ``construct_page_chooser_queryset`` hooks, but browsing "into" a page by id and the "chosen"
  step read any page by id and show its (draft) title; here both answer only for pages those
  hooks leave the user (404 otherwise).
"""

import logging

from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.http import Http404, HttpResponse
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.images import get_image_model
from wagtail.images.permissions import permission_policy as image_policy
from wagtail.models import Page

logger = logging.getLogger(__name__)

BAD_INPUT = (MultiValueDictKeyError, ValidationError, OverflowError, ValueError, KeyError)
# Wagtail fields that read a missing value as None and call a str method on it.
NONE_FIELD_MESSAGE = "'NoneType' object has no attribute"


def _is_wagtail_view(request) -> bool:
    match = getattr(request, "resolver_match", None)
    module = getattr(getattr(match, "func", None), "__module__", "") or ""
    return module == "wagtail" or module.startswith("wagtail.")


class BadRequestPage(HttpResponse):
    status_code = 400

    def __init__(self, reason: str):
        super().__init__(reason, content_type="text/plain; charset=utf-8")


class WagtailBadInputMiddleware(MiddlewareMixin):
    def process_exception(self, request, exception):
        if not _is_wagtail_view(request):
            return None
        if isinstance(exception, ProtectedError):
            logger.warning("Refused a delete of protected records: %s", request.path)
            return BadRequestPage(
                _("This cannot be deleted: records that must be kept refer to it (%(what)s).")
                % {"what": ", ".join(sorted({str(obj) for obj in exception.protected_objects}))}
            )
        crafted = isinstance(exception, BAD_INPUT) or (
            isinstance(exception, AttributeError) and NONE_FIELD_MESSAGE in str(exception)
        )
        if not crafted:
            return None
        logger.warning("Malformed request to a Wagtail view: %s", request.path, exc_info=exception)
        return BadRequestPage(_("The request was malformed or incomplete."))


class ImageChooserPermissionMiddleware(MiddlewareMixin):
    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            match is None
            or match.view_name != "wagtailimages_chooser:select_format"
            or not request.user.is_authenticated  # Wagtail's own check sends them to sign in
        ):
            return None
        image = get_image_model().objects.filter(pk=view_kwargs.get("image_id")).first()
        if image is None or not image_policy.user_has_permission_for_instance(
            request.user, "choose", image
        ):
            raise Http404
        return None


class PageChooserScopeMiddleware(MiddlewareMixin):
    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not request.user.is_authenticated:
            return None
        if match.view_name == "wagtailadmin_choose_page_child":
            wanted = {str(view_kwargs.get("parent_page_id"))}
        elif match.view_name == "wagtailadmin_choose_page_chosen_multiple":
            wanted = set(request.GET.getlist("id"))
        else:
            return None
        if not wanted or not all(pk.isdigit() and len(pk) <= 18 for pk in wanted):
            return None  # WagtailBadInputMiddleware answers a malformed id
        pages = Page.objects.filter(pk__in=wanted)
        for scope in hooks.get_hooks("construct_page_chooser_queryset"):
            pages = scope(pages, request)
        if pages.count() != len(wanted):
            raise Http404
        return None
