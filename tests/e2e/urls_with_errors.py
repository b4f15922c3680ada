"""The site's URLs plus one view that fails, so a browser test can see the 500 page."""

from django.urls import path

from lms.urls import handler500
from lms.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def boom(request):
    raise RuntimeError("A deliberate failure for the 500 page")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
