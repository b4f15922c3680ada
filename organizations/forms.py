from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from organizations.constants import SEARCH_MIN_LENGTH
from organizations.models import Organization

# The no-script fallback offers at most this many names in the input's own suggestion list.
DATALIST_LIMIT = 500


class OrganizationInput(forms.TextInput):
    """A text input that suggests the registry's organizations.

    Without script: the browser's own suggestion list (a datalist of approved organizations).
    With script (static/js/site.js): an accessible combobox that searches as you type.
    """

    template_name = "organizations/widgets/organization_input.html"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "autocomplete": "off",
                "data-organization-search": reverse_lazy("organizations:search"),
                "data-min-length": str(SEARCH_MIN_LENGTH),
                "data-listbox-label": _("Suggestions"),
                # Read out by the combobox's status region (%s: how many).
                "data-results-text": _("%s organizations found; use the arrow keys to choose."),
                "data-no-results-text": _(
                    "No organization of the registry matches: your typed name will be asked for."
                ),
                **(attrs or {}),
            }
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if widget_attrs.get("disabled"):
            return context
        names = Organization.objects.approved().values_list("name", flat=True)[:DATALIST_LIMIT]
        context["names"] = list(names)
        if context["names"]:
            context["datalist_id"] = f"{widget_attrs.get('id') or name}-options"
            widget_attrs["list"] = context["datalist_id"]
        return context


ORGANIZATION_HELP = _(
    "Start typing to choose your hospital, site, company or university from the network's "
    "registry. Not listed? Type its full name: an administrator will add it."
)


def organization_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label=_("Organization"),
        max_length=200,
        help_text=ORGANIZATION_HELP,
        widget=OrganizationInput(),
        **kwargs,
    )
