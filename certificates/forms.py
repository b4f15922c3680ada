from django import forms
from django.utils.translation import gettext_lazy as _

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
