from django import forms
from django.utils.translation import gettext_lazy as _

from credentials.services import MAX_CREDENTIAL_BYTES


class VerifyCredentialForm(forms.Form):
    credential = forms.FileField(
        label=_("Credential file"),
        required=False,
        help_text=_("The .json or .jwt file the learner downloaded, at most 256 KB."),
    )
    pasted = forms.CharField(
        label=_("Or paste the credential (JSON or JWT)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        max_length=MAX_CREDENTIAL_BYTES,
    )
    email = forms.EmailField(
        label=_("Recipient's email (optional)"),
        required=False,
        help_text=_("We check it against the credential's hashed recipient; it is not stored."),
    )

    def clean_credential(self):
        upload = self.cleaned_data.get("credential")
        if upload and upload.size > MAX_CREDENTIAL_BYTES:
            raise forms.ValidationError(_("The file is larger than 256 KB: not a credential."))
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, pasted = cleaned.get("credential"), (cleaned.get("pasted") or "").strip()
        if not upload and not pasted and not self.errors:
            raise forms.ValidationError(_("Choose a credential file or paste one."))
        cleaned["data"] = upload.read() if upload else pasted.encode()
        return cleaned
