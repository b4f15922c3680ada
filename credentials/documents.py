"""The JSON documents: a certificate's OpenBadgeCredential, the issuer's profile, its keys and
the revocation status list. Built from what the certificate froze when it was issued."""

import base64
import gzip
from datetime import UTC, datetime, time
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse
from wagtail.models import Site

from credentials.keys import public_key_multibase, raw_public
from credentials.models import STATUS_LIST_SIZE
from home.models import SiteSettings

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"


def absolute(name: str, *args) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def issuer_id() -> str:
    return absolute("credentials:issuer")


def key_url(kid: str) -> str:
    return absolute("credentials:key", kid)


def status_list_url(number: int) -> str:
    return absolute("credentials:status_list", number)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _hours(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _credit_lines(credits: list) -> list[str]:
    lines = []
    for credit in credits:
        line = f"{credit.get('hours', '')} {credit.get('name', '')}".strip()
        if credit.get("activity_id"):
            line += f" (activity {credit['activity_id']})"
        lines.append(line)
    return lines


def issuer_profile(provider: str = "") -> dict:
    """The issuer's Open Badges Profile (published at its own id)."""
    name = provider
    if not name:
        site = Site.objects.filter(is_default_site=True).first()
        name = SiteSettings.for_site(site).organization_name if site else ""
    return {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": name or settings.WAGTAIL_SITE_NAME,
        "url": settings.SITE_URL,
    }


def issuer_document() -> dict:
    return {"@context": [VC_CONTEXT, OB_CONTEXT], **issuer_profile()}


def _max_hours(certificate) -> Decimal | None:
    credits = certificate.credits or []
    hours = [h for h in (_hours(c.get("hours")) for c in credits) if h is not None]
    return max(hours) if hours else None


def achievement(certificate) -> dict:
    """The course as an Open Badges Achievement: what was done, the credit, the criteria."""
    credit_lines = _credit_lines(list(certificate.credits or []))
    description = certificate.course_title
    if credit_lines:
        description += ". Credit: " + "; ".join(credit_lines) + "."
    criteria = (
        f"Completed every required module of {certificate.course_code} "
        f"{certificate.course_title}, passed its post-test and submitted its evaluation."
    )
    if certificate.is_gcp:
        criteria += (
            f" Good Clinical Practice course, version {certificate.course_version}, covering "
            f"ICH {certificate.ich_e6_revision} and the TransCelerate minimum GCP topics."
        )
    document = {
        "id": absolute("credentials:achievement", certificate.course_code),
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": certificate.course_title,
        "description": description,
        "criteria": {"narrative": criteria},
        "humanCode": certificate.course_code,
        "fieldOfStudy": certificate.program_title,
        "creator": issuer_profile(certificate.provider),
    }
    if certificate.course_version:
        document["version"] = certificate.course_version
    hours = _max_hours(certificate)
    if hours is not None:
        document["creditsAvailable"] = float(hours)
    return document


def credential_document(certificate, record) -> dict:
    """The unsigned OpenBadgeCredential for an issued certificate."""
    identifiers = [
        {
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": True,
            "identityHash": record.identity_hash,
            "salt": record.salt,
        },
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": certificate.learner_name,
        },
    ]
    subject = {
        "type": ["AchievementSubject"],
        "identifier": identifiers,
        "achievement": achievement(certificate),
    }
    if certificate.completed_on:
        subject["activityEndDate"] = iso(datetime.combine(certificate.completed_on, time.min, UTC))
    hours = _max_hours(certificate)
    if hours is not None:
        subject["creditsEarned"] = float(hours)
    if certificate.licence_ids:
        subject["licenseNumber"] = certificate.licence_ids
    document = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": certificate.verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{certificate.course_code} {certificate.course_title}",
        "issuer": issuer_profile(certificate.provider),
        "validFrom": iso(certificate.issued_at),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{status_list_url(record.status_list)}#{record.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(record.status_index),
            "statusListCredential": status_list_url(record.status_list),
        },
        "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if certificate.expires_on:
        # Valid through the last day the certificate names.
        document["validUntil"] = iso(datetime.combine(certificate.expires_on, time.max, UTC))
    return document


def jwt_claims(document: dict) -> dict:
    """JWT registered claims mirroring the credential, for JOSE libraries that read only them."""
    claims = {"iss": document["issuer"]["id"], "jti": document["id"]}
    valid_from = datetime.fromisoformat(document["validFrom"])
    claims["nbf"] = claims["iat"] = int(valid_from.timestamp())
    if "validUntil" in document:
        claims["exp"] = int(datetime.fromisoformat(document["validUntil"]).timestamp())
    return claims


def encode_bitstring(indexes: list[int]) -> str:
    """Bitstring Status List encoding: bit 0 is the first byte's high bit; GZIP; base64url ('u')."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode_bit(encoded: str, index: int) -> bool:
    if not encoded.startswith("u"):
        raise ValueError("The status list is not base64url multibase.")
    body = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    if not 0 <= index < len(bits) * 8:
        raise ValueError("The status list index is outside the list.")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_document(number: int, revoked_indexes: list[int], *, now: datetime) -> dict:
    url = status_list_url(number)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": iso(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(revoked_indexes),
        },
    }


def jwks_document(public_keys: dict) -> dict:
    return {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": base64.urlsafe_b64encode(raw_public(key)).decode().rstrip("="),
                "kid": key_url(kid),
                "alg": "EdDSA",
                "use": "sig",
            }
            for kid, key in public_keys.items()
        ]
    }


def multikey_document(kid: str, key) -> dict:
    return {
        "@context": [MULTIKEY_CONTEXT],
        "id": key_url(kid),
        "type": "Multikey",
        "controller": issuer_id(),
        "publicKeyMultibase": public_key_multibase(key),
    }
