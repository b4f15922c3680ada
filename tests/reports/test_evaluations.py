"""The course evaluation reports: rating distributions, yes/no shares, the bias flag, comments."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrollments.models import CourseEvaluation
from reports import selectors
from tests.accounts.factories import UserFactory
from tests.factories import CourseEvaluationFactory, EnrollmentFactory
from tests.reports.test_scoping import ctn_instructor  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SUMMARY = "/admin/learning-reports/evaluations/"
COMMENTS = "/admin/learning-reports/evaluation-comments/"
IN_PERIOD = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)

# (overall, relevance, objectives_met, free_of_bias, would_recommend, comments) for CTN-101.
ANSWERS = [
    (5, 3, True, True, True, "Clear and practical."),
    (4, 3, True, False, True, "The tracer vendor's slides read like an advert."),
    (4, 4, True, True, False, ""),
    (2, 5, False, True, False, "Too long."),
    (5, 1, True, True, True, ""),
]


def body(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return data.decode("utf-8-sig")


def evaluate(course, answers, *, email, when=IN_PERIOD, name="Learner"):
    overall, relevance, objectives, unbiased, recommend, comments = answers
    enrollment = EnrollmentFactory(course=course, user=UserFactory(email=email, full_name=name))
    evaluation = CourseEvaluationFactory(
        enrollment=enrollment, overall=overall, relevance=relevance, objectives_met=objectives,
        free_of_bias=unbiased, would_recommend=recommend, comments=comments,
    )  # fmt: skip
    CourseEvaluation.objects.filter(pk=evaluation.pk).update(submitted_at=when)
    return evaluation


@pytest.fixture
def evaluations(catalog):
    for i, answers in enumerate(ANSWERS):
        evaluate(catalog["gcp"], answers, email=f"ctn{i}@example.org", name=f"Named Learner {i}")
    # Outside the period filtered on below: counted only without the filter.
    evaluate(catalog["gcp"], (1, 1, False, True, False, "Old edition."), email="old@example.org",
             when=datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC))  # fmt: skip
    evaluate(catalog["cmiit_course"], (3, 3, True, True, True, "CMIIT private remark"),
             email="cmiit@example.org", name="Cmiit Person")  # fmt: skip
    return catalog


PERIOD = {"submitted_from": "2026-03-01", "submitted_to": "2026-03-31"}


def summary_rows(**filters):
    rows = selectors.evaluation_summary(
        selectors.EvaluationFilter(scope=selectors.ReportScope.everything(), **filters)
    )
    return {row.code: row for row in rows.decorate(list(rows.queryset))}


def test_the_summary_counts_each_rating_and_yes_no_answer_in_the_period(evaluations):
    rows = summary_rows(
        submitted_from=datetime.date(2026, 3, 1), submitted_to=datetime.date(2026, 3, 31)
    )
    row = rows["CTN-101"]
    assert row.responses == 5
    # overall 5,4,4,2,5: counts 0,1,0,2,2; mean 20 / 5 = 4.0
    assert [getattr(row, f"overall_{v}") for v in range(1, 6)] == [0, 1, 0, 2, 2]
    assert row.overall_mean == 4.0
    # relevance 3,3,4,5,1: counts 1,0,2,1,1; mean 16 / 5 = 3.2
    assert [getattr(row, f"relevance_{v}") for v in range(1, 6)] == [1, 0, 2, 1, 1]
    assert row.relevance_mean == 3.2
    assert row.relevance_distribution == "1 · 0 · 2 · 1 · 1"
    assert (row.objectives_met_yes, row.objectives_met_no, row.objectives_met_yes_percent) == (
        4, 1, 80.0,
    )  # fmt: skip
    assert (row.free_of_bias_no, row.free_of_bias_no_percent, row.bias_reported) == (1, 20.0, 1)
    assert (row.would_recommend_yes, row.would_recommend_yes_percent) == (3, 60.0)
    assert sorted(rows) == ["CMIIT-101", "CTN-101"]


def test_without_a_period_every_evaluation_counts(evaluations):
    row = summary_rows()["CTN-101"]
    # the old one adds an overall 1: 21 / 6 = 3.5
    assert (row.responses, row.overall_1, row.overall_mean) == (6, 1, 3.5)
    assert row.objectives_met_yes_percent == 66.7  # 4 of 6


def test_an_administrator_sees_bias_flagged_names_and_every_program(client, evaluations):
    client.force_login(UserFactory(email="root@example.org", is_superuser=True, is_staff=True))
    response = client.get(SUMMARY, {"submitted_from": "2026-03-01", "submitted_to": "2026-03-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Commercial bias reported" in html
    assert "1 learner answered that the content was not free of commercial bias" in html
    assert "CMIIT-101" in html
    comments = client.get(COMMENTS).content.decode()
    assert "Named Learner 1" in comments and "ctn1@example.org" in comments
    assert "CMIIT private remark" in comments


def test_an_instructor_reads_their_programs_answers_without_names(
    client,
    evaluations,
    ctn_instructor,  # noqa: F811
):
    summary = client.get(SUMMARY).content.decode()
    assert "CTN-101" in summary and "CMIIT-101" not in summary
    page = client.get(COMMENTS).content.decode()
    assert "The tracer vendor&#x27;s slides read like an advert." in page
    assert "Named Learner" not in page and "ctn1@example.org" not in page
    assert "CMIIT private remark" not in page
    export = client.get(COMMENTS, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(body(export))))
    assert rows[0] == [
        "Course code", "Course", "Submitted", "Cycle", "Overall quality (1-5)",
        "Relevance to practice (1-5)", "Objectives met", "Free of commercial bias",
        "Would recommend", "What will change in practice", "Comments",
    ]  # fmt: skip
    assert len(rows) == 7  # six CTN-101 evaluations
    assert "Named Learner" not in body(export)


def test_an_instructor_naming_another_programs_course_gets_a_404(
    client,
    evaluations,
    ctn_instructor,  # noqa: F811
):
    other = evaluations["cmiit_course"].pk
    for url in (SUMMARY, COMMENTS):
        for fmt in ({}, {"export": "csv"}):
            assert client.get(url, {"course": other, **fmt}).status_code == 404
        assert client.get(url, {"course": "9" * 20}).status_code == 404
        assert client.get(url, {"course": evaluations["gcp"].pk}).status_code == 200


def test_the_admins_export_carries_the_distribution_columns(client, evaluations):
    client.force_login(UserFactory(email="root@example.org", is_superuser=True, is_staff=True))
    response = client.get(SUMMARY, {**PERIOD, "export": "csv", "course": evaluations["gcp"].pk})
    rows = list(csv.reader(io.StringIO(body(response))))
    heading, values = rows[0], rows[1]
    assert len(rows) == 2
    found = dict(zip(heading, values, strict=True))
    assert found["Overall quality: 4"] == "2"
    assert found["Relevance to practice: mean"] == "3.2"
    assert found["Commercial bias reported"] == "1"
    assert found["Would recommend: yes (%)"] == "60.0"


def test_the_summary_costs_the_same_queries_for_more_evaluations(client, evaluations):
    client.force_login(UserFactory(email="root@example.org", is_superuser=True, is_staff=True))
    client.get(SUMMARY)  # warm up (content types, site)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(SUMMARY).status_code == 200
            assert client.get(COMMENTS).status_code == 200
        return len(queries)

    before = count()
    for i in range(8):
        evaluate(evaluations["rdrc"], ANSWERS[i % 5], email=f"more{i}@example.org")
    assert count() == before
    assert timezone.now()  # the period filter uses dates, the clock is irrelevant
