"""The rows of every learning report, one query function per report.

Each function takes a typed, frozen filter object (which carries the reader's scope) and returns
:class:`ReportRows`: a lazy queryset plus the per-batch step that fills in the computed columns.
The admin views page through it; the background export streams it in batches. Neither builds a
request for the other.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import timedelta
from typing import Any, ClassVar, Self

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from accounts.models import Profession, User
from certificates.constants import EXPIRY_HORIZON_DAYS
from certificates.models import Certificate, CertificateStatus
from certificates.selectors import GCP_NOT_VALID, TRANSCRIPT_STATUSES, credit_totals, gcp_standing
from courses.models import CoursePage, ModulePage, ProgramPage, default_locale_code
from courses.selectors import edition_families
from enrollments.models import CourseEvaluation, Enrollment, EnrollmentStatus, QuizAttempt
from enrollments.services import question_snapshot
from reports import item_analysis
from reports import scope as permissions
from reports.aggregates import EpochSeconds, Median

BATCH_SIZE = 2000
# Rows per round trip of an export's server-side cursor.
EXPORT_CHUNK = 10000


@dataclass(frozen=True)
class ReportScope:
    """The course-tree paths a reader may report on; ``None`` means everywhere (administrators)."""

    paths: tuple[str, ...] | None

    @classmethod
    def for_user(cls, user: User) -> ReportScope:
        paths = permissions.course_paths(user)
        return cls(paths=None if paths is None else tuple(paths))

    @classmethod
    def everything(cls) -> ReportScope:
        return cls(paths=None)

    def q(self, path_field: str) -> Q:
        """Rows whose ``path_field`` (a page's tree path) lies in scope."""
        if self.paths is None:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        query = Q()
        for path in self.paths:
            query |= Q(**{f"{path_field}__startswith": path})
        return query


@dataclass(frozen=True)
class ReportFilter:
    """Common ground: the scope, and a JSON form for exports built by the worker.

    The scope is never serialized: the worker works it out again from the requester, so a
    permission taken away meanwhile is respected.
    """

    scope: ReportScope

    def to_params(self) -> dict[str, Any]:
        params = asdict(self)
        params.pop("scope")
        return {
            key: value.isoformat() if isinstance(value, datetime.date) else value
            for key, value in params.items()
        }

    @classmethod
    def from_params(cls, params: Mapping[str, Any], *, scope: ReportScope) -> Self:
        values: dict[str, Any] = {}
        for spec in fields(cls):
            if spec.name == "scope" or spec.name not in params:
                continue
            value = params[spec.name]
            if spec.name in cls.date_fields:
                value = parse_date(value) if value else None
            values[spec.name] = value
        return cls(scope=scope, **values)

    date_fields: ClassVar[tuple[str, ...]] = ()


@dataclass(frozen=True)
class ReportRows:
    """A report's rows: a lazy queryset, and the step that adds computed columns to a batch."""

    queryset: QuerySet | list
    decorate: Callable[[list], list] = field(default=list)
    # For exports: columns computed from others, ``name -> (source lookups, function)``. A report
    # that gives them streams plain tuples (``value_rows``) instead of model instances.
    computed: Mapping[str, tuple[tuple[str, ...], Callable[..., Any]]] | None = None

    def count(self) -> int:
        if isinstance(self.queryset, list):
            return len(self.queryset)
        return self.queryset.count()

    def batches(self, size: int = BATCH_SIZE) -> Iterator[list]:
        """Decorated rows in batches, streaming from the database (for exports of any size)."""
        if isinstance(self.queryset, list):  # rows computed in Python (question statistics)
            yield self.decorate(self.queryset)
            return
        batch: list = []
        for item in self.queryset.iterator(chunk_size=size):
            batch.append(item)
            if len(batch) >= size:
                yield self.decorate(batch)
                batch = []
        if batch:
            yield self.decorate(batch)

    def value_rows(self, names: Iterable[str], size: int = EXPORT_CHUNK) -> Iterator[list]:
        """Each row's cells for ``names`` (``user.email`` style), from a server-side cursor.

        Plain tuples from ``values_list``: no model instance per row. Only for reports that
        give ``computed`` (every other column is a lookup of the queryset's model).
        """
        queryset = self.queryset
        if not isinstance(queryset, QuerySet):
            raise TypeError("value_rows needs a queryset")
        computed = self.computed or {}
        names = list(names)
        plain = [name for name in names if name not in computed]
        sources = list(
            dict.fromkeys(
                source for name in names if name in computed for source in computed[name][0]
            )
        )
        lookups = [name.replace(".", "__") for name in plain] + sources
        at = {name: index for index, name in enumerate(lookups)}
        if len(plain) == len(names):
            for row in queryset.values_list(*lookups).iterator(chunk_size=size):
                yield list(row)
            return
        steps = [
            (None, (at[name.replace(".", "__")],))
            if name not in computed
            else (computed[name][1], tuple(at[source] for source in computed[name][0]))
            for name in names
        ]
        for row in queryset.values_list(*lookups).iterator(chunk_size=size):
            yield [
                row[where[0]] if function is None else function(*[row[i] for i in where])
                for function, where in steps
            ]


def choice_label(field_name: str, choices: Iterable[tuple[Any, Any]]) -> Case:
    """A choice's label computed by the database: ``get_FOO_display`` per row is slow in exports."""
    return Case(
        *[When(**{field_name: value}, then=Value(str(label))) for value, label in choices],
        default=Value(""),
    )


def course_choices(report_scope: ReportScope) -> QuerySet[CoursePage]:
    """Courses a reader may filter by (drafts of their own programs included, no one else's)."""
    # A translation is the same course (its learners are on the source page): listed once.
    return CoursePage.objects.in_default_locale().filter(report_scope.q("path")).order_by("code")


def program_choices(report_scope: ReportScope) -> QuerySet[ProgramPage]:
    return (
        ProgramPage.objects.filter(report_scope.q("path"))
        .filter(locale__language_code=default_locale_code())
        .order_by("path")
    )


# Course completion -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseCompletionFilter(ReportFilter):
    program_id: int | None = None
    enrolled_from: datetime.date | None = None
    enrolled_to: datetime.date | None = None
    profession: str = ""
    organization: str = ""

    date_fields: ClassVar[tuple[str, ...]] = ("enrolled_from", "enrolled_to")

    def enrollment_q(self) -> Q:
        """The enrollments counted (the rows are courses)."""
        query = Q()
        if self.enrolled_from:
            query &= Q(enrollments__enrolled_at__date__gte=self.enrolled_from)
        if self.enrolled_to:
            query &= Q(enrollments__enrolled_at__date__lte=self.enrolled_to)
        if self.profession:
            query &= Q(enrollments__user__profession=self.profession)
        if self.organization:
            query &= Q(enrollments__user__organization__icontains=self.organization)
        return query


def course_completion(filters: CourseCompletionFilter) -> ReportRows:
    """One row per course in scope: enrolled, in progress, completed, scores, certificates."""
    courses = CoursePage.objects.in_default_locale().filter(filters.scope.q("path"))
    if filters.program_id:
        program = program_choices(filters.scope).filter(pk=filters.program_id).first()
        courses = courses.filter(path__startswith=program.path) if program else courses.none()
    f = filters.enrollment_q()
    completed = f & Q(enrollments__status=EnrollmentStatus.COMPLETED)
    queryset = (
        courses.annotate(
            enrolled=Count("enrollments", filter=f),
            in_progress=Count(
                "enrollments", filter=f & Q(enrollments__status=EnrollmentStatus.ACTIVE)
            ),
            completed=Count("enrollments", filter=completed),
            average_score=Avg("enrollments__post_test_best_score", filter=f),
            median_score=Median("enrollments__post_test_best_score", filter=f),
            median_seconds=Median(
                EpochSeconds(F("enrollments__completed_at") - F("enrollments__enrolled_at")),
                filter=completed,
            ),
        )
        .defer_streamfields()
        .order_by("code")
    )

    def decorate(rows: list) -> list:
        _attach_certificate_counts(rows)
        if rows and all(row.median_score is None for row in rows):
            _fill_medians(rows, f)  # not PostgreSQL: one query for the batch's medians
        for row in rows:
            rate = round(100 * row.completed / row.enrolled, 1) if row.enrolled else 0
            row.completion_rate = rate
            row.average_score = round(row.average_score, 1) if row.average_score is not None else ""
            row.median_score = round(row.median_score, 1) if row.median_score is not None else ""
            seconds = getattr(row, "median_seconds", None)
            row.median_days = round(seconds / 86400, 1) if seconds is not None else ""
        return rows

    return ReportRows(queryset=queryset, decorate=decorate)


def _attach_certificate_counts(rows: list) -> None:
    """One grouped query for the batch's courses (subqueries in the main one ran per row)."""
    today = timezone.localdate()
    horizon = today + timedelta(days=EXPIRY_HORIZON_DAYS)
    counts = {
        row["enrollment__course"]: row
        for row in Certificate.objects.filter(enrollment__course__in=[r.pk for r in rows])
        .order_by()
        .values("enrollment__course")
        .annotate(
            issued=Count("pk", filter=Q(status__in=[CertificateStatus.ISSUED,
                                                   CertificateStatus.ARCHIVED])),
            expiring=Count("pk", filter=Q(status=CertificateStatus.ISSUED,
                                         expires_on__gte=today, expires_on__lte=horizon)),
            revoked=Count("pk", filter=Q(status=CertificateStatus.REVOKED)),
        )
    }  # fmt: skip
    for row in rows:
        found: Mapping[str, Any] = counts.get(row.pk, {})
        row.certificates_issued = found.get("issued", 0)
        row.certificates_expiring = found.get("expiring", 0)
        row.certificates_revoked = found.get("revoked", 0)


def _fill_medians(rows: list, enrollment_q: Q) -> None:
    scores, days = defaultdict(list), defaultdict(list)
    enrollments = Enrollment.objects.filter(course__in=rows)
    if enrollment_q:
        enrollments = enrollments.filter(
            pk__in=CoursePage.objects.filter(enrollment_q).values("enrollments")
        )
    for course_id, score, status, enrolled_at, completed_at in enrollments.values_list(
        "course_id", "post_test_best_score", "status", "enrolled_at", "completed_at"
    ):
        if score is not None:
            scores[course_id].append(float(score))
        if status == EnrollmentStatus.COMPLETED and completed_at:
            days[course_id].append((completed_at - enrolled_at).total_seconds())
    for row in rows:
        row.median_score = statistics.median(scores[row.pk]) if scores[row.pk] else None
        row.median_seconds = statistics.median(days[row.pk]) if days[row.pk] else None


# Learner progress ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerProgressFilter(ReportFilter):
    course_id: int | None = None
    program_id: int | None = None
    status: str = ""
    profession: str = ""
    organization: str = ""
    enrolled_from: datetime.date | None = None
    enrolled_to: datetime.date | None = None
    search: str = ""

    date_fields: ClassVar[tuple[str, ...]] = ("enrolled_from", "enrolled_to")


SEARCH_FIELDS = ("user__email", "user__full_name", "user__certificate_name")


def learner_progress(filters: LearnerProgressFilter) -> ReportRows:
    """One row per enrollment in scope, newest first, with its certificate code."""
    certificate = Certificate.objects.filter(
        enrollment=OuterRef("pk"), cycle=OuterRef("cycle")
    ).values("code")[:1]
    enrollments = Enrollment.objects.filter(filters.scope.q("course__path"))
    if filters.course_id:
        enrollments = enrollments.filter(course_id=filters.course_id)
    if filters.program_id:
        program = program_choices(filters.scope).filter(pk=filters.program_id).first()
        enrollments = (
            enrollments.filter(course__path__startswith=program.path)
            if program
            else enrollments.none()
        )
    if filters.status:
        enrollments = enrollments.filter(status=filters.status)
    if filters.profession:
        enrollments = enrollments.filter(user__profession=filters.profession)
    if filters.organization:
        enrollments = enrollments.filter(user__organization__icontains=filters.organization)
    if filters.enrolled_from:
        enrollments = enrollments.filter(enrolled_at__date__gte=filters.enrolled_from)
    if filters.enrolled_to:
        enrollments = enrollments.filter(enrolled_at__date__lte=filters.enrolled_to)
    if filters.search:
        query = Q()
        for name in SEARCH_FIELDS:
            query |= Q(**{f"{name}__icontains": filters.search})
        enrollments = enrollments.filter(query)
    queryset = (
        enrollments.select_related("user", "course")
        # Only what the rows show: a course row is a Wagtail page with ~50 columns.
        .only(
            "status",
            "cycle",
            "enrolled_at",
            "completed_at",
            "modules_completed",
            "post_test_attempts",
            "post_test_best_score",
            "user__full_name",
            "user__email",
            "user__profession",
            "user__organization",
            "course__code",
            "course__title",
            "course__path",
            "course__depth",
        )  # fmt: skip
        .annotate(
            certificate_code=Subquery(certificate),
            status_label=choice_label("status", EnrollmentStatus.choices),
            profession_label=choice_label("user__profession", Profession.choices),
        )
        .order_by("-enrolled_at", "-pk")
    )
    module_counts: dict[int, int] = {}

    def percent_complete(course_id: int, modules_completed: int) -> int:
        if not module_counts:
            module_counts.update(_live_module_counts())
        total = module_counts.get(course_id, 0)
        return min(100, round(100 * modules_completed / total)) if total else 0

    def decorate(rows: list) -> list:
        for row in rows:
            row.percent_complete = percent_complete(row.course_id, row.modules_completed)
        return rows

    return ReportRows(
        queryset=queryset,
        decorate=decorate,
        computed={"percent_complete": (("course_id", "modules_completed"), percent_complete)},
    )


def _live_module_counts() -> dict[int, int]:
    """Live modules per course, in two queries (a per-row subquery scanned the page tree)."""
    counts: dict[str, int] = defaultdict(int)
    for path in ModulePage.objects.live().values_list("path", flat=True):
        counts[path[: -ModulePage.steplen]] += 1
    return {pk: counts.get(path, 0) for pk, path in CoursePage.objects.values_list("pk", "path")}


# Organization roster ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganizationRosterFilter(ReportFilter):
    organization: str = ""
    on_date: datetime.date | None = None

    date_fields: ClassVar[tuple[str, ...]] = ("on_date",)


def organization_roster(filters: OrganizationRosterFilter) -> ReportRows:
    """One organization's enrollments in scope, and whether GCP training is valid on a date."""
    if not filters.organization:
        return ReportRows(queryset=Enrollment.objects.none())
    on_date = filters.on_date or timezone.localdate()
    queryset = (
        Enrollment.objects.filter(
            filters.scope.q("course__path"), user__organization__iexact=filters.organization
        )
        .select_related("user", "course")
        .order_by("user__full_name", "user__email", "course__code")
    )
    families = edition_families()

    def decorate(rows: list) -> list:
        """GCP standing counts every edition of the course and its refreshers (one query)."""
        standing = gcp_standing(
            user_ids={row.user_id for row in rows}, on_date=on_date, families=families
        )
        for row in rows:
            if not row.course.is_gcp:
                row.gcp_status = "—"
            else:
                key = (row.user_id, families.root_of(row.course_id))
                row.gcp_status = standing.get(key, GCP_NOT_VALID)
        return rows

    return ReportRows(queryset=queryset, decorate=decorate)


def roster_organizations(report_scope: ReportScope, limit: int = 500) -> list[str]:
    """Organizations with someone enrolled in scope (the roster's suggestions)."""
    return list(
        Enrollment.objects.filter(report_scope.q("course__path"))
        .exclude(user__organization="")
        .order_by("user__organization")
        .values_list("user__organization", flat=True)
        .distinct()[:limit]
    )


# Learner transcript ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerTranscriptFilter(ReportFilter):
    learner_email: str = ""


def _learner_q(filters: LearnerTranscriptFilter, prefix: str = "") -> Q:
    return Q(**{f"{prefix}email__iexact": filters.learner_email.strip()})


def transcript_learner(filters: LearnerTranscriptFilter) -> User | None:
    """The learner, if the reader may see them: for an instructor, only someone enrolled in
    one of their courses. Anyone else is ``None``, exactly as for an unknown email."""
    if not filters.learner_email.strip():
        return None
    users = User.objects.filter(_learner_q(filters))
    if filters.scope.paths is not None:
        in_scope = Enrollment.objects.filter(filters.scope.q("course__path"), user=OuterRef("pk"))
        users = users.filter(Exists(in_scope))
    return users.first()


def learner_transcript(filters: LearnerTranscriptFilter) -> ReportRows:
    """The learner's enrollments in scope, with each one's current certificate and credits."""
    if not filters.learner_email.strip():
        return ReportRows(queryset=Enrollment.objects.none())
    queryset = (
        Enrollment.objects.filter(filters.scope.q("course__path"), _learner_q(filters, "user__"))
        .select_related("course")
        .order_by("-enrolled_at", "-pk")
    )

    def decorate(rows: list) -> list:
        certificates = {
            (c.enrollment_id, c.cycle): c for c in Certificate.objects.filter(enrollment__in=rows)
        }
        for row in rows:
            certificate = certificates.get((row.pk, row.cycle))
            row.certificate_code = certificate.code if certificate else ""
            row.certificate_state = certificate.public_state if certificate else ""
            row.credits_text = "; ".join(
                f"{c['hours']} {c['short_name']}"
                for c in (certificate.credits if certificate else [])
            )
        return rows

    return ReportRows(queryset=queryset, decorate=decorate)


def transcript_totals(filters: LearnerTranscriptFilter) -> list[dict]:
    """Credit totals per credit type from the certificates in scope (revoked ones earn none)."""
    if not filters.learner_email.strip():
        return []
    certificates = Certificate.objects.filter(
        filters.scope.q("enrollment__course__path"),
        _learner_q(filters, "enrollment__user__"),
        status__in=TRANSCRIPT_STATUSES,
    ).order_by("-completed_on", "-pk")
    return credit_totals(certificates)


# Course evaluations ----------------------------------------------------------------------------

RATING_QUESTIONS = ("overall", "relevance")
RATING_VALUES = (1, 2, 3, 4, 5)
YES_NO_QUESTIONS = ("objectives_met", "free_of_bias", "would_recommend")


@dataclass(frozen=True)
class EvaluationFilter(ReportFilter):
    """Evaluations of the courses in scope, optionally one course, submitted between two dates."""

    course_id: int | None = None
    submitted_from: datetime.date | None = None
    submitted_to: datetime.date | None = None

    date_fields: ClassVar[tuple[str, ...]] = ("submitted_from", "submitted_to")

    def evaluation_q(self, prefix: str = "") -> Q:
        query = Q()
        if self.submitted_from:
            query &= Q(**{f"{prefix}submitted_at__date__gte": self.submitted_from})
        if self.submitted_to:
            query &= Q(**{f"{prefix}submitted_at__date__lte": self.submitted_to})
        return query

    @property
    def shows_learners(self) -> bool:
        """Administrators see who wrote what; instructors read the answers anonymously."""
        return self.scope.paths is None


def _percent(part: int, whole: int) -> float | str:
    return round(100 * part / whole, 1) if whole else ""


def evaluation_summary(filters: EvaluationFilter) -> ReportRows:
    """One row per course in scope with evaluations: each rating's counts per 1..5 and mean,
    each yes/no answer's counts and percent, and whether anyone reported commercial bias."""
    prefix = "enrollments__evaluations__"
    courses = CoursePage.objects.filter(filters.scope.q("path"))
    if filters.course_id:
        courses = courses.filter(pk=filters.course_id)
    f = Q(**{f"{prefix}pk__isnull": False}) & filters.evaluation_q(prefix)
    annotations: dict[str, Any] = {"responses": Count(f"{prefix}pk", filter=f)}
    for question in RATING_QUESTIONS:
        annotations[f"{question}_mean"] = Avg(f"{prefix}{question}", filter=f)
        for value in RATING_VALUES:
            annotations[f"{question}_{value}"] = Count(
                f"{prefix}pk", filter=f & Q(**{f"{prefix}{question}": value})
            )
    for question in YES_NO_QUESTIONS:
        annotations[f"{question}_yes"] = Count(
            f"{prefix}pk", filter=f & Q(**{f"{prefix}{question}": True})
        )
    queryset = (
        courses.annotate(**annotations)
        .filter(responses__gt=0)
        .defer_streamfields()
        .order_by("code")
    )

    def decorate(rows: list) -> list:
        for row in rows:
            for question in RATING_QUESTIONS:
                mean = getattr(row, f"{question}_mean")
                setattr(row, f"{question}_mean", round(mean, 2) if mean is not None else "")
                counts = [str(getattr(row, f"{question}_{value}")) for value in RATING_VALUES]
                setattr(row, f"{question}_distribution", " · ".join(counts))
            for question in YES_NO_QUESTIONS:
                yes = getattr(row, f"{question}_yes")
                setattr(row, f"{question}_no", row.responses - yes)
                setattr(row, f"{question}_yes_percent", _percent(yes, row.responses))
                setattr(row, f"{question}_no_percent", _percent(row.responses - yes, row.responses))
            row.bias_reported = row.free_of_bias_no
        return rows

    return ReportRows(queryset=queryset, decorate=decorate)


def evaluation_bias_reports(filters: EvaluationFilter) -> list[dict[str, Any]]:
    """The courses where any learner reported commercial bias, with how many (one query)."""
    reports = (
        CourseEvaluation.objects.filter(
            filters.scope.q("enrollment__course__path"),
            filters.evaluation_q(),
            free_of_bias=False,
            **({"enrollment__course_id": filters.course_id} if filters.course_id else {}),
        )
        .order_by("enrollment__course__code")
        .values("enrollment__course__code", "enrollment__course__title")
        .annotate(reports=Count("pk"))
    )
    return [dict(row) for row in reports]


def evaluation_responses(filters: EvaluationFilter) -> ReportRows:
    """Each evaluation in scope, newest first: its answers and comments. The learner's name and
    email are selected for administrators only (instructors' rows never carry them)."""
    evaluations = CourseEvaluation.objects.filter(
        filters.scope.q("enrollment__course__path"), filters.evaluation_q()
    )
    if filters.course_id:
        evaluations = evaluations.filter(enrollment__course_id=filters.course_id)
    queryset = evaluations.annotate(
        course_code=F("enrollment__course__code"),
        course_title=F("enrollment__course__title"),
    )
    if filters.shows_learners:
        queryset = queryset.annotate(
            learner_name=F("enrollment__user__full_name"),
            learner_email=F("enrollment__user__email"),
        )
    return ReportRows(queryset=queryset.order_by("-submitted_at", "-pk"))


# Question statistics ---------------------------------------------------------------------------


class AttemptSet:
    FIRST = "first"
    ALL = "all"


@dataclass(frozen=True)
class QuestionStatisticsFilter(ReportFilter):
    quiz_id: int | None = None
    attempts: str = AttemptSet.FIRST


def quiz_choices(report_scope: ReportScope) -> QuerySet[ModulePage]:
    """Quizzes (knowledge checks and post-tests) of the courses a reader may report on."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - ModulePage.steplen)
    return (
        ModulePage.objects.filter(report_scope.q("path"))
        .filter(locale__language_code=default_locale_code())
        .exclude(quiz_kind="")
        .defer_streamfields()
        .annotate(
            course_code=Subquery(CoursePage.objects.filter(path=parent_path).values("code")[:1])
        )
        .order_by("path")
    )


FLAG_LABELS = {
    "too_easy": _("Too easy (facility over 90%)"),
    "too_hard": _("Too hard (facility under 30%)"),
    "negative": _("Negative discrimination"),
}


def question_statistics(filters: QuestionStatisticsFilter) -> ReportRows:
    """Facility, discrimination and option counts per question of one quiz in scope, over its
    first attempts (each learner's attempt number 1 of a cycle) or all attempts. Two queries
    whatever the number of attempts: the quiz, and its attempts' snapshots and answers."""
    if not filters.quiz_id:
        return ReportRows(queryset=[])
    quiz = (
        ModulePage.objects.filter(filters.scope.q("path"), pk=filters.quiz_id)
        .exclude(quiz_kind="")
        .first()
    )
    if quiz is None:
        return ReportRows(queryset=[])
    attempts = QuizAttempt.objects.filter(module_id=quiz.pk)
    if filters.attempts != AttemptSet.ALL:
        attempts = attempts.filter(number=1)
    rows = item_analysis.analyse(
        attempts.order_by("pk").values_list("questions", "answers").iterator(chunk_size=2000),
        current=question_snapshot(quiz),
        labels=FLAG_LABELS,
    )
    return ReportRows(queryset=rows)
