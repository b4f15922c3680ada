from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Profession
from courses.models import CreditType, Level, ProgramPage, default_locale_code


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
            for program in ProgramPage.objects.live()
            .filter(locale__language_code=default_locale_code())
            .only("code", "title")
            .order_by("path")
        ]
        self.fields["credit_type"].choices = [("", _("Any credit"))] + [
            (credit.code, credit.name) for credit in CreditType.objects.all()
        ]


class AddModuleForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=255, help_text=_("The module's title as learners see it.")
    )
    minutes = forms.IntegerField(
        label=_("Estimated time (minutes)"),
        min_value=1,
        max_value=600,
        help_text=_("Counts towards the course total that the credit hours are checked against."),
    )
    position = forms.IntegerField(
        label=_("Position"), min_value=1, help_text=_("1 is first; the post-test stays last.")
    )


class NewEditionForm(forms.Form):
    """What a new edition needs that the old one cannot lend it: its own code and version."""

    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        help_text=_("The new edition's title as the catalog shows it; usually unchanged."),
    )
    code = forms.CharField(
        label=_("New course code"),
        max_length=20,
        help_text=_("Unique across the site, e.g. CTN-101-2027. Certificates show it."),
    )
    version = forms.CharField(
        label=_("New version"),
        max_length=20,
        help_text=_("e.g. 2027. Certificates name the edition by this version."),
    )
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=255,
        required=False,
        help_text=_("The edition's web address in the program; left empty, made from the code."),
    )
