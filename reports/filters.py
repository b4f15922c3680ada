"""The report filter forms; their cleaned values become the selectors' typed filters."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from accounts.models import Profession
from courses.models import CoursePage, ModulePage, ProgramPage
from enrollments.models import CourseEvaluation, Enrollment, EnrollmentStatus, QuizAttempt
from reports.selectors import (
    AttemptSet,
    ReportScope,
    course_choices,
    program_choices,
    quiz_choices,
)


def _scope(request: HttpRequest | None) -> ReportScope:
    if request is None or not request.user.is_authenticated:
        return ReportScope(paths=())
    return ReportScope.for_user(request.user)


def scoped_courses(request: HttpRequest | None) -> QuerySet[CoursePage]:
    """An instructor chooses among their programs' courses only (drafts of others never show)."""
    return course_choices(_scope(request))


def scoped_programs(request: HttpRequest | None) -> QuerySet[ProgramPage]:
    return program_choices(_scope(request))


class PassThrough:
    """Filters whose value narrows the enrollments counted, not the rows listed."""

    def passthrough(self, queryset, name, value):
        return queryset


class CourseCompletionFilterSet(PassThrough, WagtailFilterSet):
    program = django_filters.ModelChoiceFilter(
        queryset=scoped_programs, method="filter_program", label=_("Program")
    )
    enrolled = django_filters.DateFromToRangeFilter(
        method="passthrough", label=_("Enrolled between"), widget=DateRangePickerWidget
    )
    profession = django_filters.ChoiceFilter(
        choices=Profession.choices, method="passthrough", label=_("Profession")
    )
    organization = django_filters.CharFilter(method="passthrough", label=_("Organization"))

    class Meta:
        model = CoursePage
        fields = []

    def filter_program(self, queryset, name, value):
        return queryset  # the selector filters: this set only validates the form


class LearnerProgressFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(queryset=scoped_courses, label=_("Course"))
    program = django_filters.ModelChoiceFilter(
        queryset=scoped_programs, method="filter_program", label=_("Program")
    )
    status = django_filters.ChoiceFilter(choices=EnrollmentStatus.choices, label=_("Status"))
    profession = django_filters.ChoiceFilter(
        field_name="user__profession", choices=Profession.choices, label=_("Profession")
    )
    organization = django_filters.CharFilter(
        field_name="user__organization", lookup_expr="icontains", label=_("Organization")
    )
    enrolled_at = django_filters.DateFromToRangeFilter(
        label=_("Enrolled between"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Enrollment
        fields = []

    def filter_program(self, queryset, name, value):
        return queryset  # the selector filters: this set only validates the form


class EvaluationFilterSet(PassThrough, WagtailFilterSet):
    """The evaluation reports' filters: one course (of the reader's programs) and a period.
    The selectors do the filtering; this set validates the form."""

    course = django_filters.ModelChoiceFilter(
        queryset=scoped_courses, method="passthrough", label=_("Course")
    )
    submitted = django_filters.DateFromToRangeFilter(
        method="passthrough", label=_("Submitted between"), widget=DateRangePickerWidget
    )

    class Meta:
        model = CourseEvaluation
        fields = []


def scoped_quizzes(request: HttpRequest | None) -> QuerySet[ModulePage]:
    return quiz_choices(_scope(request))


class QuizChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.course_code} · {obj.title}"  # module titles repeat across courses


class QuizChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = QuizChoiceField


class QuestionStatisticsFilterSet(PassThrough, WagtailFilterSet):
    quiz = QuizChoiceFilter(queryset=scoped_quizzes, method="passthrough", label=_("Quiz"))
    attempts = django_filters.ChoiceFilter(
        choices=[(AttemptSet.FIRST, _("First attempts")), (AttemptSet.ALL, _("All attempts"))],
        method="passthrough",
        label=_("Attempts counted"),
        empty_label=None,
    )

    class Meta:
        model = QuizAttempt
        fields = []
