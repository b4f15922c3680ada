"""Reads: a learner's transcript, and certificate lookups for the public pages."""

from collections import OrderedDict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from accounts.models import User
from certificates.models import Certificate, CertificateStatus

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
    return Certificate.objects.filter(code=code).exclude(status=CertificateStatus.PENDING).first()
