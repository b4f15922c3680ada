from django import forms
from django.utils.translation import gettext_lazy as _

from certificates import codes
from certificates.models import BoardCertification, CycleAnchor

MAX_PDF_BYTES = 5 * 1024 * 1024


class VerifyPdfForm(forms.Form):
    pdf = forms.FileField(label=_("Certificate PDF"), help_text=_("PDF, at most 5 MB."))

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("That file is not a PDF."))
        return upload


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class BoardCertificationForm(forms.ModelForm):
    """A learner records a certification: board, number, and the start of a reporting cycle."""

    class Meta:
        model = BoardCertification
        fields = ["board", "number", "cycle_start"]
        widgets = {"cycle_start": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance.user = user

    def clean(self):
        cleaned = super().clean()
        board, start = cleaned.get("board"), cleaned.get("cycle_start")
        if board and start and board.cycle_anchor == CycleAnchor.BIRTH_MONTH and start.day != 1:
            self.add_error(
                "cycle_start",
                _("%(board)s cycles start on the first day of your birth month.")
                % {"board": board.name},
            )
        if board and BoardCertification.objects.filter(user=self.user, board=board).exists():
            self.add_error("board", _("You have already recorded this board."))
        return cleaned


class VerifyCodeForm(forms.Form):
    """The code printed on a certificate, as a person types it."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=_(
            "As printed on the certificate, for example 7KQ4M-X2H9P-CT5WD-MN8RB-3FZ6A. "
            "Capitals, spaces and dashes do not matter."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not codes.candidates(code):
            raise forms.ValidationError(
                _(
                    "That is not a verification code: a code has 25 letters and digits, "
                    "printed in five groups of five."
                )
            )
        return code
