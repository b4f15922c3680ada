"""What the suite checks after every fault: each certificate once, its PDF once, its mail once."""

import email
import email.policy
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from certificates.models import Certificate, CertificateFile, CertificateStatus

SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what Django's file mail backend writes after each message


def certificate_mails(mail_dir: Path) -> Counter:
    """How many "Your certificate" mails each address got, from the file mail backend's files."""
    received = Counter()
    for path in sorted(Path(mail_dir).glob("*.log")):
        for raw in path.read_bytes().split(SEPARATOR):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw, policy=email.policy.default)
            if str(message["Subject"] or "").startswith("Your certificate"):
                received[str(message["To"])] += 1
    return received


@dataclass
class Audit:
    expected: int
    issued: int = 0
    pending: int = 0
    duplicates: int = 0
    pdfs: int = 0
    mails: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def certificates(self) -> str:
        return f"{self.expected}/{self.issued}/{self.duplicates}"


def audit(enrollments, mail_dir: Path) -> Audit:
    """Certificates, PDFs and mails for these enrollments (one each expected)."""
    result = Audit(expected=len(enrollments))
    certificates = list(
        Certificate.objects.filter(enrollment__in=enrollments).select_related("enrollment__user")
    )
    per_enrollment = Counter((c.enrollment_id, c.cycle) for c in certificates)
    result.issued = sum(1 for c in certificates if c.status == CertificateStatus.ISSUED)
    result.pending = sum(1 for c in certificates if c.status == CertificateStatus.PENDING)
    files = list(CertificateFile.objects.filter(certificate__in=certificates))
    per_certificate = Counter(f.certificate_id for f in files)
    result.pdfs = len(files)
    for stored in files:
        if not stored.file.storage.exists(stored.file.name):
            result.problems.append(f"PDF missing on disk: {stored.file.name}")
            continue
        with stored.file.open("rb") as handle:
            if hashlib.sha256(handle.read()).hexdigest() != stored.sha256:
                result.problems.append(f"PDF does not match its SHA-256: {stored.file.name}")
    addresses = {e.user.email for e in enrollments}
    received = certificate_mails(mail_dir)
    result.mails = sum(received[address] for address in addresses)
    result.duplicates = (
        sum(n - 1 for n in per_enrollment.values())
        + sum(n - 1 for n in per_certificate.values())
        + sum(received[address] - 1 for address in addresses if received[address] > 1)
    )
    for certificate in certificates:
        if certificate.status == CertificateStatus.ISSUED and not per_certificate[certificate.pk]:
            result.problems.append(f"issued without a PDF: {certificate.code}")
    return result
