"""Reads for the published documents."""

from certificates.models import Certificate, CertificateStatus
from credentials.models import BadgeCredential


def revoked_indexes(*, status_list: int) -> list[int]:
    """The entries of one status list whose certificate is revoked (one query)."""
    return list(
        BadgeCredential.objects.filter(
            status_list=status_list, certificate__status=CertificateStatus.REVOKED
        ).values_list("status_index", flat=True)
    )


def status_list_exists(*, status_list: int) -> bool:
    return status_list == 1 or BadgeCredential.objects.filter(status_list=status_list).exists()


def latest_certificate_for_course(*, course_code: str) -> Certificate | None:
    """The newest issued certificate of a course: the source of its public Achievement."""
    return (
        Certificate.objects.issued()
        .filter(course_code=course_code)
        .order_by("-issued_at", "-pk")
        .first()
    )
