"""A request whose path or query string carries a NUL character is a 400.

No URL of the site has one, and PostgreSQL refuses NUL in any string it compares, so a lookup
by such a path segment (a credential's id, a content type's app label in Wagtail's admin) was a
500 on PostgreSQL while SQLite answered 404.
"""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class NulCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "").upper():
            return HttpResponseBadRequest(_("The address contains a NUL character."))
        return self.get_response(request)
