"""Board cycles: a learner's credits counted per board, cycle by cycle, exactly."""

import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from certificates import selectors
from certificates.models import Board, BoardCertification, Certificate, CertificateStatus
from tests.accounts.factories import UserFactory
from tests.certificates.conftest import completed_enrollment
from tests.courses import factories

pytestmark = pytest.mark.django_db


def credit(code, hours):
    return {"code": code, "name": code, "short_name": code, "hours": hours, "statement": ""}


@pytest.fixture
def technologist(db):
    return UserFactory(email="rt@example.org", profession="technologist",
                       certificate_name="=HYPERLINK(\"x\")")  # fmt: skip


@pytest.fixture
def program(db):
    return factories.program("ctn", "Clinical Trials Network")


def earn(user, program, completed_on, credits, status=CertificateStatus.ISSUED,
         participation=()):  # fmt: skip
    course = factories.course(program, credits=(("VOICE_CEH", "1.0"),))
    return Certificate.objects.create(
        enrollment=completed_enrollment(user, course), status=status, course_code=course.code,
        course_title=course.title, completed_on=completed_on, credits=list(credits),
        participation=list(participation), kind="credit",
    )  # fmt: skip


def test_the_boards_are_seeded_with_their_real_rules():
    arrt = Board.objects.get(code="arrt")
    assert (arrt.credits_required, arrt.cycle_months, arrt.cycle_anchor) == (
        Decimal("24.00"), 24, "birth_month",
    )  # fmt: skip
    rules = {
        board.code: (board.credits_required, board.cycle_months,
                     sorted(t.code for t in board.accepted_credit_types.all()))
        for board in Board.objects.all()
    }  # fmt: skip
    assert rules == {
        "arrt": (Decimal("24.00"), 24, ["VOICE_CEH"]),
        "nmtcb": (Decimal("24.00"), 24, ["VOICE_CEH"]),
        "abnm": (Decimal("75.00"), 36, ["AMA_PRA_1"]),
        "abr-physics": (Decimal("75.00"), 36, ["CAMPEP_MPCEC"]),
    }


def test_totals_are_exact_across_cycle_boundaries(technologist, program):
    arrt = BoardCertification.objects.create(
        user=technologist, board=Board.objects.get(code="arrt"),
        cycle_start=datetime.date(2025, 3, 1),  # born in March
    )  # fmt: skip
    day = datetime.date
    earn(technologist, program, day(2025, 2, 28), [credit("VOICE_CEH", "1.5")])  # last day before
    earn(technologist, program, day(2025, 3, 1), [credit("VOICE_CEH", "1.25")])  # first day
    earn(technologist, program, day(2027, 2, 28), [credit("VOICE_CEH", "2")])  # last day
    earn(technologist, program, day(2027, 3, 1), [credit("VOICE_CEH", "1")])  # next cycle
    earn(technologist, program, day(2026, 1, 5), [credit("VOICE_CEH", "3")],
         status=CertificateStatus.REVOKED)  # fmt: skip
    earn(
        technologist,
        program,
        day(2026, 2, 5),
        [credit("VOICE_CEH", "0.75")],
        status=CertificateStatus.ARCHIVED,
    )  # renewed later: still earned in this cycle
    earn(technologist, program, day(2026, 4, 5), [credit("CAMPEP_MPCEC", "5")],
         participation=[credit("AMA_PRA_1", "7")])  # fmt: skip

    [row] = selectors.board_progress(technologist, today=day(2026, 6, 1))
    assert (row["cycle"].start, row["cycle"].end) == (day(2025, 3, 1), day(2027, 2, 28))
    assert row["earned"] == Decimal("4.00")  # 1.25 + 2 + 0.75
    assert row["remaining"] == Decimal("20.00")
    previous = selectors.cycle_transcript(technologist, key=f"{arrt.pk}:-1")
    assert (previous["cycle"].start, previous["cycle"].end) == (day(2023, 3, 1), day(2025, 2, 28))
    assert previous["earned"] == Decimal("1.5")
    following = selectors.cycle_transcript(technologist, key=f"{arrt.pk}:1")
    assert following["earned"] == Decimal("1")
    # On the boundary days the cycle changes exactly.
    assert selectors.cycle_containing(arrt, day(2027, 2, 28)).index == 0
    assert selectors.cycle_containing(arrt, day(2027, 3, 1)).index == 1
    assert selectors.cycle_containing(arrt, day(2025, 2, 28)).index == -1


def test_my_learning_and_the_transcript_show_the_current_cycle_and_export_it(
    client, technologist, program
):
    today = datetime.date.today()
    start = today.replace(day=1)
    certification = BoardCertification.objects.create(
        user=technologist, board=Board.objects.get(code="arrt"), cycle_start=start, number="123"
    )
    earn(technologist, program, today, [credit("VOICE_CEH", "1.5")])
    earn(technologist, program, start - datetime.timedelta(days=1), [credit("VOICE_CEH", "9")])
    client.force_login(technologist)

    dashboard = client.get("/learning/").content.decode()
    assert "1.5 of 24 credits" in dashboard

    key = f"{certification.pk}:0"
    page = client.get("/certificates/transcript/", {"cycle": key})
    assert page.status_code == 200
    assert [c.completed_on for c in page.context["certificates"]] == [today]
    rows = client.get("/certificates/transcript/", {"cycle": key, "format": "csv"})
    text = rows.content.decode()
    assert "ARRT" in text and "1.5" in text
    assert "'=HYPERLINK" in text  # the spreadsheet-safety helper ran on the learner's name
    pdf = client.get("/certificates/transcript/", {"cycle": key, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    extracted = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "earned in the cycle: 1.5 of 24 required" in extracted


def test_a_cycle_that_is_not_the_learners_is_a_400(client, technologist):
    other = UserFactory(email="other@example.org")
    theirs = BoardCertification.objects.create(
        user=other, board=Board.objects.get(code="nmtcb"), cycle_start=datetime.date(2025, 1, 1)
    )
    client.force_login(technologist)
    for key in (f"{theirs.pk}:0", "x", "1:", ":", "9" * 30 + ":0", "1:99999999999"):
        assert client.get("/certificates/transcript/", {"cycle": key}).status_code == 400


def test_recording_a_certification_checks_the_board_rules(client, technologist):
    client.force_login(technologist)
    arrt = Board.objects.get(code="arrt")
    response = client.post("/certificates/boards/", {"board": arrt.pk, "cycle_start": "2025-03-15"})
    assert response.status_code == 400
    assert response.context["form"].errors["cycle_start"] == [
        "ARRT cycles start on the first day of your birth month."
    ]
    response = client.post("/certificates/boards/", {"board": arrt.pk, "cycle_start": "2025-03-01",
                                                     "number": "1234567"})  # fmt: skip
    assert response.status_code == 302
    again = client.post("/certificates/boards/", {"board": arrt.pk, "cycle_start": "2025-03-01"})
    assert again.context["form"].errors["board"] == ["You have already recorded this board."]
    assert BoardCertification.objects.filter(user=technologist).count() == 1


def test_a_learner_cannot_remove_anothers_certification(client, technologist):
    other = UserFactory(email="other@example.org")
    theirs = BoardCertification.objects.create(
        user=other, board=Board.objects.get(code="nmtcb"), cycle_start=datetime.date(2025, 1, 1)
    )
    client.force_login(technologist)
    assert client.post(f"/certificates/boards/{theirs.pk}/remove/").status_code == 404
    assert BoardCertification.objects.filter(pk=theirs.pk).exists()
