"""Verification codes anyone can type, a page to type them in, a tagged PDF."""

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certificates import codes, services
from certificates.models import Certificate

# Verification is rate-limited per client: a cache namespace of these tests' own keeps their
# look-ups from counting against the tests that run after them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def issue(enrollment) -> Certificate:
    certificate = services.create_pending_certificate(enrollment_id=enrollment.pk)
    return services.issue_certificate(certificate_id=certificate.pk)


def test_new_codes_have_no_look_alike_characters_and_print_in_groups():
    made = {codes.new_code() for _ in range(200)}
    assert len(made) == 200
    assert all(re.fullmatch(r"[2-9A-HJKMNP-Z]{25}", code) for code in made)
    assert codes.grouped("23456789ABCDEFGHJKMNPQRST") == "23456-789AB-CDEFG-HJKMN-PQRST"
    # An older code is shown exactly as it was issued.
    assert codes.grouped("Ab-c_DEF1234567890xyz") == "Ab-c_DEF1234567890xyz"


@pytest.mark.parametrize(
    "typed",
    [
        "23456789ABCDEFGHJKMNPQRST",
        "23456-789ab-cdefg-hjkmn-pqrst",
        " 23456 789AB cdefg HJKMN pqrst ",
    ],
)
def test_a_new_code_verifies_in_any_case_with_or_without_separators(client, enrollment, typed):
    certificate = issue(enrollment)
    Certificate.objects.filter(pk=certificate.pk).update(code="23456789ABCDEFGHJKMNPQRST")

    response = client.get(reverse("verify_lookup"), {"code": typed})
    assert response.status_code == 302
    assert response.url == "/certificates/verify/23456789ABCDEFGHJKMNPQRST/"
    page = client.get(response.url)
    assert "Valid certificate" in page.content.decode()
    assert "23456-789AB-CDEFG-HJKMN-PQRST" in page.content.decode()
    # The address itself accepts the typed form and goes to the certificate's own.
    as_typed = typed.strip().replace(" ", "-")
    if as_typed != "23456789ABCDEFGHJKMNPQRST":
        typed_url = client.get(f"/certificates/verify/{as_typed}/")
        assert (typed_url.status_code, typed_url.url) == (302, response.url)


def test_an_existing_base64_code_still_verifies_exactly_as_issued(client, enrollment):
    certificate = issue(enrollment)
    Certificate.objects.filter(pk=certificate.pk).update(code="Ab-c_DEF1234567890xyzQ")

    assert client.get("/certificates/verify/Ab-c_DEF1234567890xyzQ/").status_code == 200
    response = client.get(reverse("verify_lookup"), {"code": "Ab-c_DEF1234567890xyzQ"})
    assert response.url == "/certificates/verify/Ab-c_DEF1234567890xyzQ/"
    # Older codes were case-sensitive, and stay so: another case is another code.
    assert (
        client.get(reverse("verify_lookup"), {"code": "AB-C_DEF1234567890XYZQ"}).status_code == 404
    )


def test_a_mistyped_code_explains_itself_with_the_form(client, enrollment):
    issue(enrollment)
    response = client.get(reverse("verify_lookup"), {"code": "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"})
    html = response.content.decode()
    assert response.status_code == 404
    assert "No certificate has this code" in html
    assert "never use the letters O, I or L" in html
    assert 'name="code"' in html
    miss = client.get("/certificates/verify/ZZZZZZZZZZZZZZZZZZZZZZZZZ/")
    assert miss.status_code == 404
    assert "No certificate has this code" in miss.content.decode()


def test_something_that_is_no_code_is_a_form_error(client):
    response = client.get(reverse("verify_lookup"), {"code": "hello?"})
    assert response.status_code == 400
    assert "That is not a verification code" in response.content.decode()
    assert client.get(reverse("verify_lookup")).status_code == 200


def test_the_certificate_pdf_is_tagged_with_a_title_language_and_subject(enrollment):
    certificate = issue(enrollment)
    with certificate.files.first().file.open("rb") as handle:
        data = handle.read()
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-us"  # the learner's language (accounts.User.language)
    assert reader.metadata.title == (
        "Certificate of GCP Training: CTN-101 Ethics and GCP in Imaging Research · "
        "Jordan A. Learner, CNMT"
    )
    assert certificate.display_code in reader.metadata.subject
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{25}", certificate.code)
    if shutil.which("pdfinfo"):
        path = certificate.files.first().file.path
        info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True)
        assert re.search(r"^Tagged:\s+yes$", info.stdout, re.MULTILINE)
