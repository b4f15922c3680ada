"""Reads: a learner's transcript, and certificate lookups for the public pages."""

import calendar
import datetime
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from certificates import codes
from certificates.models import (
    Board,
    BoardCertification,
    Certificate,
    CertificateStatus,
    RevisionNotice,
)
from courses.selectors import EditionFamilies, edition_families, revision_key

TRANSCRIPT_STATUSES = (
    CertificateStatus.ISSUED,
    CertificateStatus.REVOKED,
    CertificateStatus.ARCHIVED,
)


def transcript(user: User) -> dict[str, Any]:
    """Every certificate the learner holds or held, and credit totals per credit type.

    Revoked certificates are listed but earn no credit.
    """
    certificates = list(
        Certificate.objects.for_user(user)
        .filter(status__in=TRANSCRIPT_STATUSES)
        .order_by("-completed_on", "-pk")
    )
    return {"certificates": certificates, "totals": credit_totals(certificates)}


def credit_totals(certificates: Iterable[Certificate]) -> list[dict]:
    """Hours and courses per credit type, in order of first appearance; revoked ones earn none."""
    totals: OrderedDict[str, dict] = OrderedDict()
    for certificate in certificates:
        if certificate.status == CertificateStatus.REVOKED:
            continue
        for credit in certificate.credits:
            entry = totals.setdefault(
                credit["code"], {"name": credit["name"], "short_name": credit["short_name"],
                                 "hours": Decimal(0), "courses": 0},
            )  # fmt: skip
            entry["hours"] += Decimal(credit["hours"])
            entry["courses"] += 1
    return list(totals.values())


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate a typed code names (any case, with or without separators), if issued."""
    candidates = codes.candidates(code)
    if not candidates:
        return None
    return (
        Certificate.objects.filter(code__in=candidates)
        .exclude(status=CertificateStatus.PENDING)
        .first()
    )


@dataclass(frozen=True)
class Cycle:
    """One reporting cycle of a learner's board certification: [start, end], both inclusive."""

    certification_id: int
    index: int  # 0 is the cycle the learner recorded; -1 the one before, 1 the one after
    start: datetime.date
    end: datetime.date

    @property
    def key(self) -> str:
        return f"{self.certification_id}:{self.index}"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def cycle_of(certification: BoardCertification, index: int) -> Cycle:
    months = certification.board.cycle_months
    start = _add_months(certification.cycle_start, months * index)
    end = _add_months(certification.cycle_start, months * (index + 1)) - datetime.timedelta(1)
    return Cycle(certification.pk, index, start, end)


def cycle_containing(certification: BoardCertification, day: datetime.date) -> Cycle:
    months = certification.board.cycle_months
    start = certification.cycle_start
    elapsed = (day.year - start.year) * 12 + day.month - start.month
    index = elapsed // months
    for candidate in (index - 1, index, index + 1):
        cycle = cycle_of(certification, candidate)
        if cycle.start <= day <= cycle.end:
            return cycle
    return cycle_of(certification, index)


def credits_in_cycle(user: User, board: Board, cycle: Cycle) -> tuple[Decimal, list[Certificate]]:
    """Credits the board accepts from certificates completed within the cycle (inclusive).

    Only credit the learner could claim counts (participation statements do not); revoked
    certificates count for nothing; a renewed course's archived certificate still counts in the
    cycle it was earned in.
    """
    accepted = {credit_type.code for credit_type in board.accepted_credit_types.all()}
    certificates = list(
        Certificate.objects.for_user(user)
        .filter(
            status__in=(CertificateStatus.ISSUED, CertificateStatus.ARCHIVED),
            completed_on__gte=cycle.start,
            completed_on__lte=cycle.end,
        )
        .order_by("completed_on", "pk")
    )
    total = Decimal(0)
    counted = []
    for certificate in certificates:
        hours = sum(
            (Decimal(c["hours"]) for c in certificate.credits if c["code"] in accepted),
            Decimal(0),
        )
        if hours:
            total += hours
            counted.append(certificate)
    return total, counted


def hours(value: Decimal) -> str:
    """1.5, 24, 0.75: credit amounts as accreditors write them."""
    return f"{Decimal(value).normalize():f}"


def board_progress(user: User, *, today: datetime.date) -> list[dict[str, Any]]:
    """For each board certification: its current cycle, credits earned there, what remains."""
    rows = []
    certifications = (
        BoardCertification.objects.filter(user=user)
        .select_related("board")
        .prefetch_related("board__accepted_credit_types")
    )
    for certification in certifications.order_by("board__sort_order", "board__name"):
        board = certification.board
        cycle = cycle_containing(certification, today)
        earned, certificates = credits_in_cycle(user, board, cycle)
        rows.append({
            "certification": certification, "board": board, "cycle": cycle, "earned": earned,
            "required": board.credits_required,
            "remaining": max(board.credits_required - earned, Decimal(0)),
            "earned_display": hours(earned), "required_display": hours(board.credits_required),
            "remaining_display": hours(max(board.credits_required - earned, Decimal(0))),
            "percent": min(int(earned * 100 / board.credits_required), 100)
            if board.credits_required else 100,
            "certificates": certificates,
        })  # fmt: skip
    return rows


CYCLES_LISTED = 3  # the current cycle and the two before it


def cycle_choices(user: User, *, today: datetime.date) -> list[dict[str, Any]]:
    """The cycles a learner may filter their transcript by: current and two before, per board."""
    choices = []
    certifications = BoardCertification.objects.filter(user=user).select_related("board")
    for certification in certifications.order_by("board__sort_order", "board__name"):
        current = cycle_containing(certification, today)
        for index in range(current.index, current.index - CYCLES_LISTED, -1):
            cycle = cycle_of(certification, index)
            choices.append({"key": cycle.key, "board": certification.board, "cycle": cycle,
                            "current": index == current.index})  # fmt: skip
    return choices


def cycle_transcript(user: User, *, key: str) -> dict[str, Any] | None:
    """One board cycle of the learner's transcript, or None for a key that is not theirs."""
    raw_id, _, raw_index = key.partition(":")
    try:
        certification_id, index = int(raw_id), int(raw_index)
    except ValueError:
        return None
    if abs(index) > 1000:
        return None
    certification = (
        BoardCertification.objects.filter(pk=certification_id, user=user)
        .select_related("board")
        .first()
    )
    if certification is None:
        return None
    board = certification.board
    cycle = cycle_of(certification, index)
    earned, certificates = credits_in_cycle(user, board, cycle)
    accepted = {credit_type.code for credit_type in board.accepted_credit_types.all()}
    return {
        "certification": certification, "board": board, "cycle": cycle, "earned": earned,
        "remaining": max(board.credits_required - earned, Decimal(0)),
        "certificates": certificates, "accepted_codes": accepted,
        "earned_display": hours(earned), "required_display": hours(board.credits_required),
        "totals": [{"name": board.name, "short_name": board.name, "hours": earned,
                    "courses": len(certificates)}],
    }  # fmt: skip


GCP_VALID = "valid"
GCP_NOT_VALID = "NOT valid"


def gcp_standing(
    *, user_ids: Iterable[int], on_date: datetime.date, families: EditionFamilies | None = None
) -> dict[tuple[int, int], str]:
    """(user id, first edition id) -> what a site roster says of that person's GCP training.

    Valid: a certificate of any edition of the course, or of a refresher of it, completed by
    ``on_date`` and unexpired on it. Due: valid, but every such certificate covers an older ICH E6
    revision than the course's newest live edition. Otherwise not valid. Two queries.
    """
    families = families or edition_families()
    best: dict[tuple[int, int], str] = {}
    rows = (
        Certificate.objects.filter(
            enrollment__user_id__in=list(user_ids),
            status__in=[CertificateStatus.ISSUED, CertificateStatus.ARCHIVED],
            completed_on__lte=on_date,
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on_date))
        .values_list("enrollment__user_id", "enrollment__course_id", "ich_e6_revision")
    )
    for user_id, course_id, revision in rows:
        key = (user_id, families.root_of(course_id))
        if key not in best or revision_key(revision) > revision_key(best[key]):
            best[key] = revision
    standing = {}
    for (user_id, root), revision in best.items():
        current = families.current_revision.get(root, "")
        if revision and current and revision_key(revision) < revision_key(current):
            standing[(user_id, root)] = _("due: covers %(old)s, the course now covers %(new)s") % {
                "old": revision,
                "new": current,
            }
        else:
            standing[(user_id, root)] = GCP_VALID
    return standing


def revision_notices(user: User) -> list[RevisionNotice]:
    """The learner's notices that a newer edition covers a newer ICH E6 revision."""
    return list(
        RevisionNotice.objects.filter(user=user)
        .select_related("course")
        .only("revision", "previous_revision", "created_at", "course__title", "course__code",
              "course__url_path", "course__path", "course__depth", "course__locale_id")
        .order_by("-created_at")
    )  # fmt: skip
