from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage


class CourseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title}"


class StudyForm(forms.Form):
    """Trained on a date, in a set of courses: checked (GET) or saved as a study roster (POST)."""

    on_date = forms.DateField(
        label=_("Trained on"),
        help_text=_("Usually the study's start (site activation) date."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    courses = CourseChoiceField(
        label=_("Courses"),
        queryset=CoursePage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one course.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"].queryset = (
            CoursePage.objects.live().in_default_locale().order_by("code")
        )


class SaveStudyForm(StudyForm):
    """The checked question, saved under the study's name."""

    name = forms.CharField(
        label=_("Study"),
        max_length=200,
        help_text=_("The study's name or protocol number."),
        error_messages={"required": _("Name the study to save its roster.")},
    )
    field_order = ["name", "on_date", "courses"]


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The invitation's link works once, for this address."),
    )
