from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage


def _one_line(value: str) -> None:
    if "\n" in value or "\r" in value:
        raise ValidationError(_("The subject must be a single line."), code="newline")


class AnnouncementForm(forms.Form):
    """Course, subject and message. The course may be any course here: the view answers 403
    for one the sender may not mail (the choices offered are only theirs)."""

    course = forms.ModelChoiceField(
        queryset=CoursePage.objects.defer_streamfields().order_by("code"),
        label=_("Course"),
        help_text=_("Every learner enrolled in it receives the message, except those who "
                    "turned course announcements off in their profile."),
    )  # fmt: skip
    subject = forms.CharField(
        label=_("Subject"), max_length=150, validators=[_one_line], strip=True
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text. A line telling how to stop these messages is added below it."),
    )

    def __init__(self, *args, offered=None, **kwargs):
        super().__init__(*args, **kwargs)
        if offered is not None:
            self.fields["course"].widget.choices = [("", "---------")] + [
                (course.pk, f"{course.code} · {course.title}") for course in offered
            ]
