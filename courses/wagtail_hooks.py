from wagtail import hooks
from wagtail.snippets.models import register_snippet

from courses.permissions import refuse_move_to_unpermitted_destination, scope_page_chooser
from courses.views_admin import CreditTypeViewSet

register_snippet(CreditTypeViewSet)
hooks.register("construct_page_chooser_queryset", scope_page_chooser)
hooks.register("before_move_page", refuse_move_to_unpermitted_destination)
