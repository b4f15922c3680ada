"""The xAPI outbox in the Wagtail admin: every statement, its delivery status, and the counts."""

import django_filters
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from xapi import selectors
from xapi.models import DeliveryStatus, OutboxStatement, StatementKind


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Rows the events write and the worker updates: administrators look, nobody edits them."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)


class OutboxFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DeliveryStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Event"), choices=StatementKind.choices)

    class Meta:
        model = OutboxStatement
        fields = ["status", "kind"]


class OutboxIndexView(IndexView):
    template_name = "xapi/admin/outbox_index.html"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user")

    def get_edit_url(self, instance):
        return None  # rows are read, never edited

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = selectors.outbox_counts()
        context["endpoint"] = settings.XAPI_ENDPOINT
        return context


class OutboxViewSet(ModelViewSet):
    """Listing only: pending and failed counts, each row's attempts, next attempt and error."""

    model = OutboxStatement
    icon = "resubmit"
    menu_label = _("xAPI outbox")
    menu_order = 270
    add_to_admin_menu = True
    url_prefix = "xapi-outbox"
    index_view_class = OutboxIndexView
    permission_policy = ReadOnlyPermissionPolicy(OutboxStatement)
    filterset_class = OutboxFilterSet
    form_fields = ["status"]  # required by ModelViewSet; the policy allows no add or edit
    list_display = [
        # A plain first column (not a title link: there is no page to open), wide enough.
        Column("kind", label=_("Event"), accessor="get_kind_display", sort_key="kind"),
        "user", "object_id", "status", "attempts", "next_attempt_at", "delivered_at",
        "error_summary", "statement_id",
    ]  # fmt: skip
    ordering = ["-pk"]
