from wagtail import hooks

from lti.admin_views import LtiViewSetGroup


@hooks.register("register_admin_viewset")
def register_lti_viewsets():
    return LtiViewSetGroup()
