from django.urls import include, path
from wagtail import hooks

from organizations.admin_views import OrganizationViewSet, admin_urlpatterns


@hooks.register("register_admin_viewset")
def register_organization_viewset():
    return OrganizationViewSet("organization_admin")


@hooks.register("register_admin_urls")
def register_organization_actions():
    return [path("", include((admin_urlpatterns, "organization_actions")))]
