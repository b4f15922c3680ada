"""Wagtail admin: administrators register each platform (LMS) and its deployments."""

from django import forms
from django.utils.translation import gettext_lazy as _
from lti_tool.models import LtiDeployment, LtiRegistration
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet


class RegistrationForm(WagtailAdminModelForm):
    """The platform's values, as its LTI administrator page shows them (all https)."""

    auth_url = forms.URLField(
        label=_("OIDC authorization (login) URL"), assume_scheme="https", max_length=200
    )
    token_url = forms.URLField(
        label=_("OAuth2 access token URL"), assume_scheme="https", max_length=200
    )
    keyset_url = forms.URLField(
        label=_("Platform keys (JWKS) URL"), assume_scheme="https", max_length=200
    )

    class Meta:
        model = LtiRegistration
        fields = [
            "name", "issuer", "client_id", "audience", "auth_url", "token_url", "keyset_url",
            "is_active",
        ]  # fmt: skip


class RegistrationViewSet(ModelViewSet):
    model = LtiRegistration
    icon = "link"
    menu_label = _("Platforms")
    form_fields = RegistrationForm.Meta.fields

    def get_form_class(self, for_update=False):
        return RegistrationForm

    list_display = ["name", "issuer", "client_id", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "issuer", "client_id"]


class DeploymentViewSet(ModelViewSet):
    model = LtiDeployment
    icon = "site"
    menu_label = _("Deployments")
    form_fields = ["registration", "deployment_id", "is_active"]
    list_display = ["deployment_id", "registration", "is_active"]
    list_filter = ["is_active", "registration"]
    search_fields = ["deployment_id"]


class LtiViewSetGroup(ViewSetGroup):
    menu_label = _("LTI (LMS connections)")
    menu_icon = "link"
    items = (RegistrationViewSet("lti_registrations"), DeploymentViewSet("lti_deployments"))
