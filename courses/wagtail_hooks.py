from django.urls import include, path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from courses import extension_points, selectors, views_admin
from courses.permissions import refuse_move_to_unpermitted_destination, scope_page_chooser
from courses.views_admin import CreditTypeViewSet, ScormPackageViewSet

register_snippet(CreditTypeViewSet)
register_snippet(ScormPackageViewSet)
hooks.register("construct_page_chooser_queryset", scope_page_chooser)
hooks.register("before_move_page", refuse_move_to_unpermitted_destination)
hooks.register(extension_points.MODULE_ACCESS_DENIAL, selectors.closed_edition_denial)
hooks.register("before_copy_page", views_admin.redirect_course_copy)
hooks.register("register_page_header_buttons", views_admin.course_header_buttons)
hooks.register("register_page_listing_more_buttons", views_admin.course_listing_buttons)


@hooks.register("register_admin_urls")
def register_course_admin_urls():
    return [path("courses/", include((views_admin.admin_urlpatterns, "courses_admin")))]
