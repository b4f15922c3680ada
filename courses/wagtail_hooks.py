from wagtail.snippets.models import register_snippet

from courses.views_admin import CreditTypeViewSet

register_snippet(CreditTypeViewSet)
