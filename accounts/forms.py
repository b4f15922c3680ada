from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context as allauth_context
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.models import Profession
from accounts.names import validate_printable_name
from organizations.constants import INVITATION_SESSION_KEY
from organizations.forms import OrganizationInput, organization_field
from organizations.services import InvitationError, invitation_for_token, wrong_email_message

PROFESSION_CHOICES = [("", _("Choose your profession")), *Profession.choices]


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form plus the profile every learner needs for reports and certificates.

    The adapter (``accounts.adapter.AccountAdapter.save_user``) copies these fields onto the user.
    """

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    profession = forms.ChoiceField(label=_("Profession"), choices=PROFESSION_CHOICES)
    organization = organization_field()

    field_order = ["full_name", "email", "profession", "organization", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Arrived by a coordinator's invitation: its organization is preset and locked (a
        # disabled field ignores whatever is posted), and the invited address is filled in.
        self.invitation = self._invitation()
        if self.invitation is not None:
            field = self.fields["organization"]
            field.initial = self.invitation.organization.name
            field.disabled = True
            field.help_text = _("You were invited to join this organization.")
            self.fields["email"].initial = self.invitation.email

    @staticmethod
    def _invitation():
        request = allauth_context.request
        token = request.session.get(INVITATION_SESSION_KEY) if request is not None else None
        if not token:
            return None
        try:
            return invitation_for_token(token)
        except InvitationError:
            return None

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if self.invitation is not None and email and email.lower() != self.invitation.email:
            self.add_error("email", wrong_email_message(self.invitation))
        return cleaned

    def clean_full_name(self):
        name = self.cleaned_data["full_name"]
        validate_printable_name(name)
        return name


class ProfileForm(forms.ModelForm):
    """The learner's own profile. Licence IDs are validated by the model fields' validators."""

    class Meta:
        model = get_user_model()
        fields = [
            "full_name",
            "certificate_name",
            "profession",
            "organization",
            "arrt_id",
            "nmtcb_id",
            "language",
            "receives_announcements",
        ]
        labels = {
            "certificate_name": _("Name as printed on certificates"),
            "receives_announcements": _("Send me my courses' announcements by email"),
        }
        help_texts = {
            "certificate_name": _(
                "Printed on your certificates and transcript exactly as written here, including "
                "credentials (for example “Jordan A. Learner, CNMT”). Leave blank to use your "
                "full name."
            ),
            "arrt_id": _("Digits only, up to 10. Leave blank if you have none."),
            "nmtcb_id": _("Letters and digits only, up to 12. Leave blank if you have none."),
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "organization": OrganizationInput(),
            "arrt_id": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "nmtcb_id": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Optional on the model (staff accounts are created without them), required of learners.
        for name in ("full_name", "profession", "organization"):
            self.fields[name].required = True
        self.fields["profession"].choices = PROFESSION_CHOICES
        self.fields["organization"].help_text = organization_field().help_text
        # Left out (an older form, a script): the language stays as it was.
        self.fields["language"].required = False

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language

    def clean_full_name(self):
        name = self.cleaned_data["full_name"]
        validate_printable_name(name)
        return name

    def clean_certificate_name(self):
        name = self.cleaned_data["certificate_name"]
        if name:  # blank: the full name is printed
            validate_printable_name(name)
        return name
