"""The registry in the Wagtail admin: organizations with approve and merge actions."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy

from organizations import services
from organizations.models import Organization, OrganizationStatus

PERMISSIONS = ModelPermissionPolicy(Organization)


class OrganizationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=OrganizationStatus.choices, label=_("Status"))

    class Meta:
        model = Organization
        fields = ["status", "kind"]


class OrganizationIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(member_count=Count("memberships"))

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not self.permission_policy.user_has_permission(self.request.user, "change"):
            return buttons
        if instance.is_pending:
            url = reverse("organization_actions:approve", args=[instance.pk])
            buttons.append(MenuItem(_("Approve"), url=url, icon_name="tick", priority=50))
        url = reverse("organization_actions:merge", args=[instance.pk])
        buttons.append(
            MenuItem(_("Merge into another"), url=url, icon_name="resubmit", priority=60)
        )
        return buttons


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Organization.objects.none(),
        help_text=_(
            "Its members, coordinators, invitations and study rosters move there; this "
            "organization is then deleted."
        ),
    )

    def __init__(self, *args, duplicate: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Organization.objects.exclude(pk=duplicate.pk).order_by(
            "status", "name"
        )


def _changeable(request, pk) -> Organization:
    if not PERMISSIONS.user_has_permission(request.user, "change"):
        raise PermissionDenied
    return get_object_or_404(Organization, pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
def approve_view(request, pk):
    organization = _changeable(request, pk)
    if request.method == "POST":
        services.approve(organization=organization)
        messages.success(request, _("%(name)s approved.") % {"name": organization.name})
        return redirect("organization_admin:index")
    return TemplateResponse(request, "organizations/admin/action.html", {
        "organization": organization, "action": "approve",
        "page_title": _("Approve %(name)s") % {"name": organization.name},
    })  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
def merge_view(request, pk):
    duplicate = _changeable(request, pk)
    form = MergeForm(request.POST or None, duplicate=duplicate)
    if request.method == "POST" and form.is_valid():
        into = form.cleaned_data["into"]
        moved = services.merge(duplicate=duplicate, into=into)
        messages.success(request, _("%(old)s merged into %(new)s (%(count)d members moved).") % {
            "old": duplicate.name, "new": into.name, "count": moved})  # fmt: skip
        return redirect("organization_admin:index")
    return TemplateResponse(request, "organizations/admin/action.html", {
        "organization": duplicate, "action": "merge", "form": form,
        "page_title": _("Merge %(name)s") % {"name": duplicate.name},
    }, status=400 if form.errors else 200)  # fmt: skip


class OrganizationViewSet(ModelViewSet):
    model = Organization
    icon = "group"
    menu_label = _("Organizations")
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "organizations"
    index_view_class = OrganizationIndexView
    filterset_class = OrganizationFilterSet
    search_fields = ["name", "site_identifier", "city", "requested_text"]
    search_backend_name = None
    list_display = ["name", "kind", "site_identifier", "city", "country", "status"]
    list_export = ["name", "kind", "site_identifier", "city", "country", "status",
                   "requested_text"]  # fmt: skip
    export_filename = "organizations"
    ordering = ["status", "name"]
    form_fields = ["name", "kind", "site_identifier", "city", "country", "status"]


admin_urlpatterns = [
    path("organization-actions/<id:pk>/approve/", approve_view, name="approve"),
    path("organization-actions/<id:pk>/merge/", merge_view, name="merge"),
]
