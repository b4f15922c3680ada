"""The "Learning" panel on the Wagtail dashboard: this month's figures and a 12-week chart.

Everything it shows costs four queries, however many enrollments and certificates there are:
one aggregate over enrollments, one over certificates, and one grouped count per chart series.
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from certificates.constants import EXPIRY_HORIZON_DAYS
from certificates.models import Certificate
from enrollments.models import Enrollment

PERMISSION = "reports.view_learning_reports"
ACTIVE_WINDOW_DAYS = 30
CHART_WEEKS = 12


def can_view_learning_reports(user) -> bool:
    return user.is_superuser or user.has_perm(PERMISSION)


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# Reads ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LearningFigures:
    active_learners: int
    enrollments_this_month: int
    completions_this_month: int
    certificates_issued: int
    certificates_expiring: int


def learning_figures(*, now: datetime.datetime) -> LearningFigures:
    """The dashboard's five headline figures, in two aggregate queries."""
    today = timezone.localdate(now)
    month_start = _start_of_day(today.replace(day=1))
    active_since = now - datetime.timedelta(days=ACTIVE_WINDOW_DAYS)
    recent = (
        Q(last_activity_at__gte=active_since)
        | Q(enrolled_at__gte=month_start)
        | Q(completed_at__gte=month_start)
    )
    enrollments = Enrollment.objects.filter(recent).aggregate(
        active_learners=Count("user", distinct=True, filter=Q(last_activity_at__gte=active_since)),
        enrollments=Count("pk", filter=Q(enrolled_at__gte=month_start)),
        completions=Count("pk", filter=Q(completed_at__gte=month_start)),
    )
    # The same window as CertificateQuerySet.expiring_between and the admin's "expiring" filter,
    # folded into one aggregate so that the figure and the filtered listing agree.
    expiring = Q(
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=EXPIRY_HORIZON_DAYS),
    )
    certificates = Certificate.objects.issued().aggregate(
        issued=Count("pk"), expiring=Count("pk", filter=expiring)
    )
    return LearningFigures(
        active_learners=enrollments["active_learners"],
        enrollments_this_month=enrollments["enrollments"],
        completions_this_month=enrollments["completions"],
        certificates_issued=certificates["issued"],
        certificates_expiring=certificates["expiring"],
    )


@dataclass(frozen=True)
class WeekActivity:
    start: datetime.date  # a Monday
    enrollments: int
    completions: int


def _counts_by_week(field: str, since: datetime.datetime) -> dict[datetime.date, int]:
    rows = (
        Enrollment.objects.filter(**{f"{field}__gte": since})
        .annotate(week=TruncWeek(field, output_field=DateField()))
        .values("week")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["week"]: row["count"] for row in rows}


def weekly_activity(*, now: datetime.datetime, weeks: int = CHART_WEEKS) -> list[WeekActivity]:
    """Enrollments and completions per week (Monday to Sunday), oldest first, this week last.

    One grouped query per series; weeks without any activity are filled in with zeros.
    """
    today = timezone.localdate(now)
    this_week = today - datetime.timedelta(days=today.weekday())
    starts = [this_week - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    since = _start_of_day(starts[0])
    enrolled = _counts_by_week("enrolled_at", since)
    completed = _counts_by_week("completed_at", since)
    return [
        WeekActivity(
            start=start, enrollments=enrolled.get(start, 0), completions=completed.get(start, 0)
        )
        for start in starts
    ]


# The chart's geometry ---------------------------------------------------------------------------
# Computed here because templates cannot do arithmetic; the template only places what it is given.


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class Column:
    week: WeekActivity
    x: float  # centre of the week's slot
    bar_x: float
    bar_y: float
    bar_height: float
    point_y: float


def nice_scale(maximum: int, ticks: int = 4) -> tuple[int, int]:
    """(top, step) of a y axis that shows ``maximum`` with at most ``ticks`` round intervals."""
    if maximum <= ticks:
        return ticks, 1
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(maximum / step), step


class WeeklyChart:
    width = 960
    height = 280
    left = 44  # room for the y-axis labels
    right = 12
    top = 14
    bottom = 30  # room for the week labels
    bar_share = 0.56  # of a week's slot

    def __init__(self, weeks: list[WeekActivity]):
        self.weeks = weeks
        self.plot_width = self.width - self.left - self.right
        self.plot_height = self.height - self.top - self.bottom
        self.baseline = self.top + self.plot_height
        self.plot_right = self.left + self.plot_width
        self.label_y = self.baseline + 20
        self.tick_label_x = self.left - 8
        self.centre_x = self.left + self.plot_width / 2
        self.centre_y = self.top + self.plot_height / 2
        self.slot = self.plot_width / len(weeks) if weeks else 0
        self.bar_width = round(self.slot * self.bar_share, 1)
        self.total_enrollments = sum(week.enrollments for week in weeks)
        self.total_completions = sum(week.completions for week in weeks)
        peak = max((max(w.enrollments, w.completions) for w in weeks), default=0)
        self.max_value, step = nice_scale(peak)
        self.ticks = [Tick(value, self._y(value)) for value in range(0, self.max_value + 1, step)]
        self.columns = self._columns()
        self.line_points = " ".join(f"{c.x:.1f},{c.point_y:.1f}" for c in self.columns)

    @property
    def is_empty(self) -> bool:
        return not (self.total_enrollments or self.total_completions)

    @property
    def first_week(self) -> datetime.date | None:
        return self.weeks[0].start if self.weeks else None

    @property
    def last_week(self) -> datetime.date | None:
        return self.weeks[-1].start if self.weeks else None

    def _y(self, value: int) -> float:
        return self.top + self.plot_height * (1 - value / self.max_value)

    def _columns(self) -> list[Column]:
        columns = []
        for index, week in enumerate(self.weeks):
            centre = self.left + self.slot * (index + 0.5)
            bar_y = self._y(week.enrollments)
            columns.append(
                Column(
                    week=week,
                    x=round(centre, 1),
                    bar_x=round(centre - self.bar_width / 2, 1),
                    bar_y=round(bar_y, 1),
                    bar_height=round(self.baseline - bar_y, 1),
                    point_y=round(self._y(week.completions), 1),
                )
            )
        return columns


# The panel --------------------------------------------------------------------------------------


class LearningPanel(Component):
    name = "learning"
    order = 50
    template_name = "reports/learning_panel.html"

    def __init__(self, now: datetime.datetime | None = None):
        self.now = now

    def get_context_data(self, parent_context=None):
        now = self.now or timezone.now()
        request = (parent_context or {}).get("request")
        user = getattr(request, "user", None)
        today = timezone.localdate(now)
        certificates_url = None
        if user is not None and any(
            user.has_perm(f"certificates.{action}_certificate") for action in ("view", "change")
        ):
            certificates_url = reverse("certificate_admin:index")
        return {
            "figures": learning_figures(now=now),
            "chart": WeeklyChart(weekly_activity(now=now)),
            "month_start": today.replace(day=1),
            "active_window_days": ACTIVE_WINDOW_DAYS,
            "expiry_horizon_days": EXPIRY_HORIZON_DAYS,
            "certificates_url": certificates_url,
        }


def add_learning_panel(request, panels):
    """``construct_homepage_panels``: only people who may see learning reports get the panel."""
    if can_view_learning_reports(request.user):
        panels.append(LearningPanel())
