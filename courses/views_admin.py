from django.db.models import Count, F
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import CreditType
from courses.permissions import permitted_page_paths, within


class CreditTypeViewSet(SnippetViewSet):
    model = CreditType
    icon = "pick"
    menu_label = "Credit types"
    add_to_admin_menu = False
    list_display = ["name", "short_name", "code", "professions_display", "activity_id_label"]
    search_fields = ["name", "code"]
    ordering = ["sort_order", "name"]


class ProgramPageTypesUsageReportView(PageTypesUsageReportView):
    """Wagtail's "Page types usage", counted over the pages the user may see: an instructor's
    programs (Wagtail's own counts every page and names the last edited one, drafts of other
    programs included); an administrator's report is Wagtail's."""

    def get_queryset(self):
        queryset = super().get_queryset()
        self.scope_paths = permitted_page_paths(self.request.user)
        return queryset

    def decorate_paginated_queryset(self, page_types):
        if self.scope_paths is None:
            return super().decorate_paginated_queryset(page_types)
        pages = Page.objects.filter(within(self.scope_paths))
        site_root_path = self.filters.form.cleaned_data.get("site") if self.filters else None
        if site_root_path:
            pages = pages.filter(path__startswith=site_root_path)
        counts = dict(
            pages.order_by()
            .values_list("content_type")
            .annotate(n=Count("pk"))
            .values_list("content_type", "n")
        )
        for item in page_types:
            item.count = counts.get(item.pk, 0)
            item.last_edited_page = (
                pages.filter(content_type=item.pk)
                .order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk")
                .specific()
                .first()
                if item.count
                else None
            )
        return page_types
