"""Issuing and verifying Open Badges 3.0 credentials.

A credential is made from an issued certificate's frozen snapshot, signed with the key that signs
now; a copy signed earlier with another key stays valid, since every key stays published. Its
revocation lives in the certificate: revoking the certificate sets the credential's bit in the
published status list, which this page and any other verifier read.
"""

import hashlib
import json
import logging
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from credentials import documents, keys, proofs, selectors
from credentials.models import STATUS_LIST_FILL, STATUS_LIST_SIZE, BadgeCredential

logger = logging.getLogger(__name__)

GENUINE_STATUSES = (CertificateStatus.ISSUED, CertificateStatus.ARCHIVED)
MAX_CREDENTIAL_BYTES = 256 * 1024
INDEX_ATTEMPTS = 20


class CredentialError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def hash_email(email: str, salt: str) -> str:
    """Open Badges identityHash: ``sha256$`` and the hex SHA-256 of the email and the salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


# --- Issuing ----------------------------------------------------------------------------------


def _next_status_list() -> int:
    return BadgeCredential.objects.count() // STATUS_LIST_FILL + 1


def credential_record(*, certificate: Certificate) -> BadgeCredential:
    """The certificate's credential entry, made once: a random free index in the open status list.

    Only a genuine certificate (issued, or archived by a renewal) has a credential. Two requests
    at once make one entry (the one-to-one constraint); an index drawn twice is drawn again.
    """
    if certificate.status not in GENUINE_STATUSES or certificate.issued_at is None:
        raise CredentialError("Only an issued certificate has a credential.")
    existing = BadgeCredential.objects.filter(certificate=certificate).first()
    if existing:
        return existing
    email = certificate.enrollment.user.email
    for _attempt in range(INDEX_ATTEMPTS):
        salt = secrets.token_hex(16)
        try:
            with transaction.atomic():
                return BadgeCredential.objects.create(
                    certificate=certificate,
                    status_list=_next_status_list(),
                    status_index=secrets.randbelow(STATUS_LIST_SIZE),
                    salt=salt,
                    identity_hash=hash_email(email, salt),
                )
        except IntegrityError:
            existing = BadgeCredential.objects.filter(certificate=certificate).first()
            if existing:
                return existing
    raise CredentialError("No free status list entry; try again.")


def _signing_key() -> keys.SigningKey:
    try:
        return keys.signing_key()
    except keys.SigningKeyError as error:
        logger.error("Cannot sign credentials: %s", error.args[0])
        raise CredentialError(error.args[0]) from error


def signed_credential(*, certificate: Certificate) -> dict:
    """The OpenBadgeCredential as JSON with an embedded ``eddsa-jcs-2022`` proof."""
    record = credential_record(certificate=certificate)
    key = _signing_key()
    return proofs.add_data_integrity_proof(
        documents.credential_document(certificate, record),
        key=key,
        verification_method=documents.key_url(key.kid),
        created=documents.iso(timezone.now()),
    )


def credential_jwt(*, certificate: Certificate) -> str:
    """The OpenBadgeCredential as a compact JWT (``vc+jwt``, EdDSA, ``kid`` = the key's URL)."""
    record = credential_record(certificate=certificate)
    key = _signing_key()
    document = documents.credential_document(certificate, record)
    return proofs.encode_jwt(
        document, key=key, kid_url=documents.key_url(key.kid), claims=documents.jwt_claims(document)
    )


def status_list_credential(*, status_list: int) -> dict:
    """The signed Bitstring Status List credential: a set bit is a revoked certificate."""
    key = _signing_key()
    now = timezone.now()
    document = documents.status_list_document(
        status_list, selectors.revoked_indexes(status_list=status_list), now=now
    )
    return proofs.add_data_integrity_proof(
        document,
        key=key,
        verification_method=documents.key_url(key.kid),
        created=documents.iso(now),
    )


# --- Verifying --------------------------------------------------------------------------------


@dataclass
class Verification:
    """What the verification page says about a credential file."""

    state: str  # valid, revoked, expired, not_yet_valid or invalid
    message: str = ""
    credential: dict = field(default_factory=dict)
    recipient_matches: bool | None = None

    @property
    def is_genuine(self) -> bool:
        return self.state in ("valid", "revoked", "expired", "not_yet_valid")


def _published_keys_by_url() -> dict:
    return {documents.key_url(kid): key for kid, key in keys.public_keys().items()}


def _verified_payload(text: str) -> dict:
    """The credential, once its signature (embedded proof or JWT) checks out against our keys."""
    published = _published_keys_by_url()
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except ValueError as error:
            raise proofs.ProofError("The file is not valid JSON.") from error
        if not isinstance(document, dict):
            raise proofs.ProofError("The file is not a credential.")
        proof = proofs.data_integrity_proof(document)
        public = published.get(proof["verificationMethod"])
        if public is None:
            raise proofs.ProofError("The credential was not signed with one of our keys.")
        proofs.verify_data_integrity_proof(document, public)
        return {k: v for k, v in document.items() if k != "proof"}
    return proofs.decode_jwt(text, published)


def _revoked(credential: dict) -> bool:
    """Read the credential's bit from our published status list, as any verifier would."""
    status = credential.get("credentialStatus")
    if not isinstance(status, dict) or status.get("type") != "BitstringStatusListEntry":
        raise proofs.ProofError("The credential has no status list entry.")
    list_url = status.get("statusListCredential", "")
    prefix = documents.status_list_url(1)[: -len("1/")]
    number = list_url[len(prefix) :].rstrip("/") if list_url.startswith(prefix) else ""
    if not number.isdigit():
        raise proofs.ProofError("The credential's status list is not ours.")
    index = int(str(status.get("statusListIndex", "")))
    published = status_list_credential(status_list=int(number))
    return documents.decode_bit(published["credentialSubject"]["encodedList"], index)


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _recipient_matches(credential: dict, email: str) -> bool | None:
    if not email:
        return None
    identifiers = credential.get("credentialSubject", {}).get("identifier", [])
    for identity in identifiers if isinstance(identifiers, list) else []:
        if isinstance(identity, dict) and identity.get("identityType") == "emailAddress":
            return hash_email(email, str(identity.get("salt", ""))) == identity.get("identityHash")
    return False


def verify_credential(*, data: bytes, email: str = "", now: datetime | None = None) -> Verification:
    """Genuine (signed by one of our keys, issued by us), then revoked, expired or valid.

    Anything that is not a credential of ours, or has been altered by one byte, is ``invalid``
    with a reason; nothing is stored.
    """
    now = now or timezone.now()
    if len(data) > MAX_CREDENTIAL_BYTES:
        return Verification("invalid", "The file is too large to be a credential.")
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        return Verification("invalid", "The file is neither a JSON credential nor a JWT.")
    try:
        credential = _verified_payload(text)
        issuer = credential.get("issuer")
        issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
        if issuer != documents.issuer_id():
            raise proofs.ProofError("The credential names another issuer.")
        if "OpenBadgeCredential" not in credential.get("type", []):
            raise proofs.ProofError("The file is not an Open Badges credential.")
        revoked = _revoked(credential)
        valid_from = _moment(credential.get("validFrom"))
        valid_until = _moment(credential.get("validUntil"))
    except proofs.ProofError as error:
        return Verification("invalid", str(error))
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, CredentialError):
        return Verification("invalid", "The file is not a well-formed credential.")
    matches = _recipient_matches(credential, email)
    if revoked:
        return Verification("revoked", credential=credential, recipient_matches=matches)
    if valid_until and valid_until < now:
        return Verification("expired", credential=credential, recipient_matches=matches)
    if valid_from and valid_from > now:
        return Verification("not_yet_valid", credential=credential, recipient_matches=matches)
    return Verification("valid", credential=credential, recipient_matches=matches)
