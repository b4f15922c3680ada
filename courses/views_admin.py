from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import CreditType


class CreditTypeViewSet(SnippetViewSet):
    model = CreditType
    icon = "pick"
    menu_label = "Credit types"
    add_to_admin_menu = False
    list_display = ["name", "short_name", "code", "professions_display", "activity_id_label"]
    search_fields = ["name", "code"]
    ordering = ["sort_order", "name"]
