from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Profession
from courses.models import CreditType, Level, ProgramPage


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    program = forms.ChoiceField(label=_("Program"), required=False)
    profession = forms.ChoiceField(
        label=_("Profession"),
        required=False,
        choices=[("", _("Any profession"))] + Profession.choices,
    )
    credit_type = forms.ChoiceField(label=_("Credit"), required=False)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Any level"))] + Level.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [("", _("All programs"))] + [
            (program.code, program.title)
            for program in ProgramPage.objects.live().only("code", "title").order_by("path")
        ]
        self.fields["credit_type"].choices = [("", _("Any credit"))] + [
            (credit.code, credit.name) for credit in CreditType.objects.all()
        ]
