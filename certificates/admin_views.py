"""The certificates area of the Wagtail admin: listing, inspect, revoke and reissue."""

from datetime import timedelta

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates import services
from certificates.constants import EXPIRY_HORIZON_DAYS
from certificates.forms import ReasonForm
from certificates.models import (
    Board,
    Certificate,
    CertificateStatus,
    ExpiryReminder,
    ReminderStatus,
)
from courses.models import CoursePage


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=CertificateStatus.choices)
    course = django_filters.ModelChoiceFilter(
        field_name="enrollment__course",
        queryset=CoursePage.objects.in_default_locale().order_by("code"),
        label=_("Course"),
    )
    issued_at = django_filters.DateFromToRangeFilter(label=_("Issued between"))
    expiring = django_filters.BooleanFilter(
        label=format_lazy(_("Expiring within {days} days"), days=EXPIRY_HORIZON_DAYS),
        method="filter_expiring",
    )

    class Meta:
        model = Certificate
        fields = ["status", "course", "issued_at", "expiring"]

    def filter_expiring(self, queryset, name, value):
        today = timezone.localdate()
        soon = queryset.expiring_between(today, today + timedelta(days=EXPIRY_HORIZON_DAYS))
        return soon if value else queryset.exclude(pk__in=soon.values("pk"))


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Certificates are made by the issuing task, never typed in, and never deleted."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)


class CertificateIndexView(IndexView):
    export_headings = {
        "credits_summary": _("Credits"),
        "activity_ids_summary": _("Activity identifiers"),
    }

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("enrollment__user")

    def get_edit_url(self, instance):
        return None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        can_change = self.permission_policy.user_has_permission(self.request.user, "change")
        if instance.status in (CertificateStatus.ISSUED, CertificateStatus.ARCHIVED,
                               CertificateStatus.REVOKED):  # fmt: skip
            buttons.append(MenuItem(_("Download PDF"), url=instance.get_download_url(),
                                    icon_name="download", priority=40))  # fmt: skip
        if can_change and instance.status != CertificateStatus.REVOKED:
            url = reverse("certificates_admin:revoke", args=[instance.pk])
            buttons.append(MenuItem(_("Revoke"), url=url, icon_name="cross", priority=50))
        if can_change and instance.status in (CertificateStatus.ISSUED, CertificateStatus.ERROR):
            url = reverse("certificates_admin:reissue", args=[instance.pk])
            buttons.append(MenuItem(_("Reissue"), url=url, icon_name="rotate", priority=60))
        return buttons


class CertificateInspectView(InspectView):
    template_name = "certificates/admin/inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = self.object.events.select_related("actor")
        context["files"] = self.object.files.select_related("created_by")
        context["statuses"] = CertificateStatus
        context["can_change"] = self.permission_policy.user_has_permission(
            self.request.user, "change"
        )
        return context


class NoEditView(EditView):
    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "tick-inverse"
    menu_label = _("Certificates")
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "certificates"
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    edit_view_class = NoEditView
    inspect_view_enabled = True
    permission_policy = CertificatePermissionPolicy(Certificate)
    filterset_class = CertificateFilterSet
    search_fields = ["learner_name", "code", "course_code", "course_title",
                     "enrollment__user__email"]  # fmt: skip
    search_backend_name = None
    list_display = ["learner_name", "course_code", "status", "issued_at", "expires_on", "code"]
    list_export = [
        "code", "learner_name", "learner_profession", "course_code", "course_title", "kind",
        "credits_summary", "activity_ids_summary", "status", "completed_on", "issued_at",
        "expires_on", "revoked_at", "revoke_reason",
    ]  # fmt: skip
    export_filename = "certificates"
    ordering = ["-issued_at", "-created_at"]
    form_fields = ["revoke_reason"]
    inspect_view_fields = [
        "code", "status", "kind", "learner_name", "learner_profession", "licence_ids",
        "course_code", "course_title", "credits_summary", "activity_ids_summary", "provider",
        "signatory_name", "signatory_title", "completed_on", "expires_on", "issued_at",
        "emailed_at", "revoked_at", "revoked_by", "revoke_reason", "last_error",
    ]  # fmt: skip


def _action_view(request, pk, *, action):
    policy = CertificateViewSet.permission_policy
    if not policy.user_has_permission(request.user, "change"):
        raise PermissionDenied
    certificate = get_object_or_404(Certificate, pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if action == "revoke":
                services.revoke_certificate(certificate=certificate, actor=request.user,
                                            reason=form.cleaned_data["reason"])  # fmt: skip
                messages.success(request, _("Certificate %s revoked.") % certificate.code)
            else:
                services.reissue_certificate(certificate=certificate, actor=request.user,
                                             reason=form.cleaned_data["reason"])  # fmt: skip
                messages.success(request, _("Certificate %s reissued.") % certificate.code)
        except services.CertificateError as error:
            form.add_error(None, error.message)
        else:
            return redirect("certificate_admin:inspect", certificate.pk)
    return TemplateResponse(
        request,
        "certificates/admin/action.html",
        {"certificate": certificate, "form": form, "action": action,
         "page_title": f"{action.capitalize()} certificate {certificate.code}"},
        status=400 if form.errors else 200,
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
def revoke_view(request, pk):
    return _action_view(request, pk, action="revoke")


@require_http_methods(["GET", "HEAD", "POST"])
def reissue_view(request, pk):
    return _action_view(request, pk, action="reissue")


admin_urlpatterns = [
    path("certificate-actions/<id:pk>/revoke/", revoke_view, name="revoke"),
    path("certificate-actions/<id:pk>/reissue/", reissue_view, name="reissue"),
]


class BoardViewSet(SnippetViewSet):
    """The boards' continuing-education rules: administrators keep them current."""

    model = Board
    icon = "list-ul"
    menu_label = _("Board requirements")
    add_to_admin_menu = False
    list_display = ["name", "for_whom", "credits_required", "cycle_months", "cycle_anchor"]
    search_fields = ["name", "code"]
    ordering = ["sort_order", "name"]
    form_fields = ["code", "name", "for_whom", "credits_required", "cycle_months",
                   "cycle_anchor", "accepted_credit_types", "note", "sort_order"]  # fmt: skip


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Rows a task writes: administrators look, nobody types them in, edits or deletes them."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)


class ExpiryReminderFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=ReminderStatus.choices)

    class Meta:
        model = ExpiryReminder
        fields = ["status", "days_before"]


class ExpiryReminderIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("certificate")


class ExpiryReminderViewSet(ModelViewSet):
    """Every expiry reminder and whether its mail went out: a failed one shows its last error."""

    model = ExpiryReminder
    icon = "mail"
    menu_label = _("Expiry reminders")
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "expiry-reminders"
    index_view_class = ExpiryReminderIndexView
    inspect_view_enabled = True
    permission_policy = ReadOnlyPermissionPolicy(ExpiryReminder)
    filterset_class = ExpiryReminderFilterSet
    form_fields = ["status"]  # required by ModelViewSet; the policy allows no add or edit
    list_display = [
        "certificate", "days_before", "status", "attempts", "last_attempt_at", "sent_at",
        "last_error",
    ]  # fmt: skip
    ordering = ["-last_attempt_at", "-pk"]
    inspect_view_fields = [
        "certificate", "days_before", "status", "attempts", "last_attempt_at", "sent_at",
        "last_error",
    ]  # fmt: skip
