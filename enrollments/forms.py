from django import forms
from django.utils.translation import gettext_lazy as _

from enrollments.models import CourseEvaluation, Rating

YES_NO = [(True, _("Yes")), (False, _("No"))]


class EvaluationForm(forms.ModelForm):
    overall = forms.TypedChoiceField(
        label=_("Overall, how would you rate this activity?"),
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    relevance = forms.TypedChoiceField(
        label=_("How relevant was it to your practice?"),
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    objectives_met = forms.TypedChoiceField(
        label=_("Were the stated learning objectives met?"),
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
    )
    free_of_bias = forms.TypedChoiceField(
        label=_("Was the content free of commercial bias?"),
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
    )
    would_recommend = forms.TypedChoiceField(
        label=_("Would you recommend this activity to a colleague?"),
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = CourseEvaluation
        fields = [
            "overall",
            "relevance",
            "objectives_met",
            "free_of_bias",
            "would_recommend",
            "practice_change",
            "comments",
        ]
        widgets = {
            "practice_change": forms.Textarea(attrs={"rows": 3}),
            "comments": forms.Textarea(attrs={"rows": 3}),
        }
