"""Open Badges 3.0: each issued certificate is a signed credential anyone can verify without us.

Signatures are checked here with code that is not the platform's: PyJWT for the JWT, and the
``eddsa-jcs-2022`` steps written out with ``cryptography`` and ``rfc8785`` for the embedded proof.
"""

import base64
import gzip
import hashlib
import json
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import jwt as pyjwt
import pytest
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certificates import services as certificate_services
from certificates.models import Certificate, CertificateStatus
from credentials import keys
from credentials.models import STATUS_LIST_SIZE, BadgeCredential
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + B58.index(char)
    return number.to_bytes((number.bit_length() + 7) // 8, "big")


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def download(client, certificate, kind: str):
    response = client.get(f"/credentials/{certificate.code}/credential.{kind}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content.decode()


def published_keys(client) -> dict:
    """kid URL -> public key, read from the JWKS the way an outside verifier would."""
    jwks = client.get("/credentials/jwks.json").json()
    return {jwk["kid"]: pyjwt.PyJWK(jwk, algorithm="EdDSA") for jwk in jwks["keys"]}


def verify_jwt_independently(client, token: str) -> dict:
    kid = pyjwt.get_unverified_header(token)["kid"]
    key = published_keys(client)[kid]
    return pyjwt.decode(token, key=key, algorithms=["EdDSA"], options={"verify_aud": False})


def verify_proof_independently(client, credential: dict) -> None:
    """eddsa-jcs-2022 "Verify Proof", written out from the specification."""
    proof = dict(credential["proof"])
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    proof_value = proof.pop("proofValue")
    proof["@context"] = unsecured["@context"]
    hash_data = (
        hashlib.sha256(rfc8785.dumps(proof)).digest()
        + hashlib.sha256(rfc8785.dumps(unsecured)).digest()
    )
    jwk = next(
        k for k in client.get("/credentials/jwks.json").json()["keys"]
        if k["kid"] == proof["verificationMethod"]
    )  # fmt: skip
    public = Ed25519PublicKey.from_public_bytes(b64url(jwk["x"]))
    assert proof_value[0] == "z"
    public.verify(b58decode(proof_value[1:]), hash_data)


def status_bit(client, credential: dict) -> bool:
    """Read the credential's revocation bit from the published status list, as a verifier does."""
    entry = credential["credentialStatus"]
    path = urlparse(entry["statusListCredential"]).path
    status_list = json.loads(client.get(path).content)
    verify_proof_independently(client, status_list)
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"
    bits = gzip.decompress(b64url(encoded[1:]))
    assert len(bits) * 8 == STATUS_LIST_SIZE
    index = int(entry["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def verify_page(client, data: bytes | str, *, name="credential.json", email=""):
    if isinstance(data, str):
        data = data.encode()
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post("/credentials/verify/", {"credential": upload, "email": email})


# --- The credential ---------------------------------------------------------------------------


def test_credential_is_an_open_badge_with_the_certificates_achievement_and_hashed_recipient(
    client, certificate, learner
):
    client.force_login(learner)
    credential = json.loads(download(client, certificate, "json"))
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == "http://127.0.0.1:8000/credentials/issuer/"
    assert credential["validUntil"].startswith(certificate.expires_on.isoformat())
    subject = credential["credentialSubject"]
    email_identity, name_identity = subject["identifier"]
    salt = email_identity["salt"]
    expected = "sha256$" + hashlib.sha256(("learner@example.org" + salt).encode()).hexdigest()
    assert email_identity["identityHash"] == expected
    assert "learner@example.org" not in json.dumps(credential)
    assert name_identity["identityHash"] == "Jordan A. Learner, CNMT"
    assert subject["licenseNumber"] == "ARRT ID 1234567"
    achievement = subject["achievement"]
    assert achievement["humanCode"] == "CTN-101"
    assert achievement["creditsAvailable"] == 1.5
    # A technologist claims VOICE hours; AMA PRA Category 1 Credit is a physician's to claim.
    assert "1.5 VOICE Continuing Education Hours" in achievement["description"]
    assert "AMA PRA" not in achievement["description"]
    assert "ICH E6(R3)" in achievement["criteria"]["narrative"]
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusListCredential"] == "http://127.0.0.1:8000/credentials/status/1/"
    assert credential["proof"]["cryptosuite"] == "eddsa-jcs-2022"


def test_the_issuer_profile_and_each_key_are_published_at_their_ids(client, certificate, learner):
    client.force_login(learner)
    credential = json.loads(download(client, certificate, "json"))
    issuer = client.get(urlparse(credential["issuer"]["id"]).path)
    assert issuer.status_code == 200
    assert issuer.json()["id"] == credential["issuer"]["id"]
    assert issuer["Access-Control-Allow-Origin"] == "*"
    method = credential["proof"]["verificationMethod"]
    multikey = client.get(urlparse(method).path).json()
    assert multikey["id"] == method
    assert multikey["controller"] == credential["issuer"]["id"]
    jwk = next(k for k in client.get("/credentials/jwks.json").json()["keys"] if k["kid"] == method)
    assert b58decode(multikey["publicKeyMultibase"][1:]) == b"\xed\x01" + b64url(jwk["x"])


def test_the_jwt_verifies_with_pyjwt_against_the_published_jwks(client, certificate, learner):
    client.force_login(learner)
    token = download(client, certificate, "jwt")
    header = pyjwt.get_unverified_header(token)
    assert (header["alg"], header["typ"]) == ("EdDSA", "vc+jwt")
    assert header["kid"].startswith("http://127.0.0.1:8000/credentials/keys/")
    payload = verify_jwt_independently(client, token)
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["credentialSubject"]["achievement"]["humanCode"] == "CTN-101"
    assert payload["iss"] == payload["issuer"]["id"]
    assert payload["exp"] > payload["nbf"]


def test_the_embedded_proof_verifies_with_the_published_key(client, certificate, learner):
    client.force_login(learner)
    verify_proof_independently(client, json.loads(download(client, certificate, "json")))


def test_one_changed_byte_breaks_either_form(client, certificate, learner):
    client.force_login(learner)
    token = download(client, certificate, "jwt")
    head, payload, signature = token.split(".")
    decoded = bytearray(b64url(payload))
    at = bytes(decoded).index(b"CTN-101")
    decoded[at + 6] = ord("2")  # CTN-101 becomes CTN-102
    forged_payload = base64.urlsafe_b64encode(bytes(decoded)).decode().rstrip("=")
    forged_token = f"{head}.{forged_payload}.{signature}"
    with pytest.raises(pyjwt.InvalidSignatureError):
        verify_jwt_independently(client, forged_token)

    text = download(client, certificate, "json")
    forged_text = text.replace("Jordan A. Learner", "Jordan B. Learner", 1)
    assert len(forged_text) == len(text)
    with pytest.raises(InvalidSignature):
        verify_proof_independently(client, json.loads(forged_text))

    client.logout()
    for data, name in ((token, "c.jwt"), (text, "c.json")):
        assert "Genuine: issued by us" in verify_page(client, data, name=name).content.decode()
    for data, name in ((forged_token, "c.jwt"), (forged_text, "c.json")):
        response = verify_page(client, data, name=name)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Not a genuine credential of ours." in body
        assert "The signature does not match the credential." in body


def test_revoking_the_certificate_sets_its_bit_and_the_page_says_revoked(
    client, certificate, learner, django_user_model
):
    client.force_login(learner)
    credential = json.loads(download(client, certificate, "json"))
    token = download(client, certificate, "jwt")
    other = UserFactory(email="other@example.org")
    assert status_bit(client, credential) is False

    admin = django_user_model.objects.create_superuser("admin@example.org", "pw")
    certificate_services.revoke_certificate(certificate=certificate, actor=admin, reason="Error")
    assert status_bit(client, credential) is True
    client.force_login(other)
    for data, name in ((json.dumps(credential), "c.json"), (token, "c.jwt")):
        body = verify_page(client, data, name=name).content.decode()
        assert "Genuine but revoked" in body
    # The learner can no longer download a revoked certificate's credential.
    client.force_login(learner)
    assert client.get(f"/credentials/{certificate.code}/credential.json").status_code == 404


def test_status_list_indexes_are_random_and_one_per_certificate(client, certificate, learner):
    client.force_login(learner)
    first = json.loads(download(client, certificate, "json"))["credentialStatus"]
    again = json.loads(download(client, certificate, "json"))["credentialStatus"]
    assert first == again
    assert BadgeCredential.objects.count() == 1
    assert 0 <= int(first["statusListIndex"]) < STATUS_LIST_SIZE


def test_an_expired_certificates_credential_verifies_as_expired(client, certificate, learner):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(learner)
    token = download(client, Certificate.objects.get(pk=certificate.pk), "jwt")
    with pytest.raises(pyjwt.ExpiredSignatureError):
        verify_jwt_independently(client, token)
    body = verify_page(client, token, name="c.jwt").content.decode()
    assert "Genuine but expired on" in body


def test_key_rotation_keeps_old_credentials_valid(client, certificate, learner):
    client.force_login(learner)
    old_token = download(client, certificate, "jwt")
    old_json = download(client, certificate, "json")
    old_kid = keys.signing_key().kid
    for _ in range(5):  # each new key signs from the moment it exists, even within one second
        new_kid = keys.generate_key()
        assert keys.signing_key().kid == new_kid != old_kid
    new_token = download(client, certificate, "jwt")
    assert pyjwt.get_unverified_header(new_token)["kid"].endswith(f"/{new_kid}/")
    assert pyjwt.get_unverified_header(old_token)["kid"].endswith(f"/{old_kid}/")

    keys.retire_key(old_kid)  # only its public half is left
    assert old_kid in keys.public_keys()
    assert len(published_keys(client)) == 6
    for token in (old_token, new_token):
        assert verify_jwt_independently(client, token)["credentialSubject"]
    verify_proof_independently(client, json.loads(old_json))
    for data, name in ((old_token, "a.jwt"), (new_token, "b.jwt"), (old_json, "c.json")):
        assert "Genuine: issued by us" in verify_page(client, data, name=name).content.decode()


def test_the_first_key_is_made_on_first_use_with_owner_only_permissions(
    client, certificate, learner, settings
):
    assert not settings.CREDENTIALS_KEY_DIR.exists()
    client.force_login(learner)
    download(client, certificate, "jwt")
    (path,) = settings.CREDENTIALS_KEY_DIR.glob("*.pem")
    assert path.stat().st_mode & 0o777 == 0o600


def test_without_a_key_and_without_generation_the_learner_gets_a_clear_503(
    client, certificate, learner, settings
):
    settings.CREDENTIALS_GENERATE_KEYS = False
    client.force_login(learner)
    response = client.get(f"/credentials/{certificate.code}/credential.jwt")
    assert response.status_code == 503
    assert "No credential signing key" in response.content.decode()
    assert not settings.CREDENTIALS_KEY_DIR.exists()


def test_a_credential_signed_by_another_key_is_not_genuine(client, certificate, learner):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    client.force_login(learner)
    token = download(client, certificate, "jwt")
    header, payload, _ = token.split(".")
    stranger = Ed25519PrivateKey.generate()
    signature = stranger.sign(f"{header}.{payload}".encode())
    forged = f"{header}.{payload}.{base64.urlsafe_b64encode(signature).decode().rstrip('=')}"
    body = verify_page(client, forged, name="c.jwt").content.decode()
    assert "Not a genuine credential of ours." in body


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xfe\x00garbage",
        b"not a credential",
        b"[1, 2, 3]",
        b'{"proof": {"type": "DataIntegrityProof"}}',
        b'{"@context": [], "proof": "x"',
        b"eyJhbGciOiJub25lIn0.eyJhIjoxfQ.",
        b"a.b.c",
        b"x" * (300 * 1024),
    ],
)
def test_bad_input_gets_a_clear_message_never_a_500(client, data):
    response = verify_page(client, data)
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert (
        "Not a genuine credential of ours." in body
        or "Choose a credential file or paste one." in body
        or "larger than 256 KB" in body
        or "The submitted file is empty." in body
    )


def test_the_verifier_can_check_the_recipients_email(client, certificate, learner):
    client.force_login(learner)
    text = download(client, certificate, "json")
    client.logout()
    body = verify_page(client, text, email="LEARNER@example.org").content.decode()
    assert "✓ matches the credential's recipient" in body
    body = verify_page(client, text, email="someone@example.org").content.decode()
    assert "✗ does not match the credential's recipient" in body


def test_a_pasted_credential_is_verified_too(client, certificate, learner):
    client.force_login(learner)
    token = download(client, certificate, "jwt")
    response = client.post("/credentials/verify/", {"pasted": token})
    assert "Genuine: issued by us" in response.content.decode()


# --- Downloads and links ----------------------------------------------------------------------


def test_only_the_owner_and_administrators_download_the_credential(
    client, certificate, django_user_model
):
    url = f"/credentials/{certificate.code}/credential.json"
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(UserFactory(email="other@example.org"))
    assert client.get(url).status_code == 404
    client.force_login(django_user_model.objects.create_superuser("admin@example.org", "pw"))
    assert client.get(url).status_code == 200
    assert client.get("/credentials/not-a-code/credential.json").status_code == 404


def test_a_pending_certificate_has_no_credential(client, enrollment, learner):
    pending = certificate_services.create_pending_certificate(enrollment_id=enrollment.pk)
    client.force_login(learner)
    assert client.get(f"/credentials/{pending.code}/credential.jwt").status_code == 404
    assert pending.status == CertificateStatus.PENDING


def test_my_learning_offers_the_credential_and_a_linkedin_add_to_profile_link(
    client, certificate, learner
):
    client.force_login(learner)
    body = client.get("/learning/").content.decode()
    assert f"/credentials/{certificate.code}/credential.json" in body
    assert f"/credentials/{certificate.code}/credential.jwt" in body
    start = body.index("https://www.linkedin.com/profile/add?")
    url = body[start : body.index('"', start)].replace("&amp;", "&")
    query = parse_qs(urlparse(url).query)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == ["CTN-101 Ethics and GCP in Imaging Research"]
    assert query["certId"] == [certificate.code]
    assert query["certUrl"] == [certificate.verify_url]
    assert query["issueYear"] == [str(certificate.issued_at.year)]
    assert query["expirationYear"] == [str(certificate.expires_on.year)]
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert f"/credentials/{certificate.code}/credential.jwt" in page


def test_anonymous_visitors_see_no_download_links_on_the_verification_page(client, certificate):
    body = client.get(certificate.get_absolute_url()).content.decode()
    assert "/credential.json" not in body


def test_the_key_command_rotates_lists_and_retires(settings):
    from io import StringIO

    from django.core.management import call_command

    first = StringIO()
    call_command("credential_keys", "rotate", stdout=first)
    old_kid = first.getvalue().splitlines()[0]
    second = StringIO()
    call_command("credential_keys", "rotate", stdout=second)
    new_kid = second.getvalue().splitlines()[0]
    listing = StringIO()
    call_command("credential_keys", "retire", old_kid, stdout=listing)
    assert f"{old_kid}  retired (verifies only)" in listing.getvalue()
    assert f"{new_kid}  signing" in listing.getvalue()
    assert not (settings.CREDENTIALS_KEY_DIR / f"{old_kid}.pem").exists()
