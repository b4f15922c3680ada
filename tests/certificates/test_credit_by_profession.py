"""Credit by profession, activity identifiers and the signatory, as the certificate prints them."""

import pytest
from django.core.files.base import ContentFile
from wagtail.images import get_image_model
from wagtail.models import Site

from certificates.models import CertificateKind
from certificates.pdf import render_certificate_html
from courses.models import CreditType
from home.models import SiteSettings
from tests.accounts.factories import UserFactory
from tests.certificates.conftest import completed_enrollment
from tests.certificates.test_issuing import issue, pdf_text
from tests.courses import factories

pytestmark = pytest.mark.django_db

SIGNATURE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 30">'
    b'<path d="M5 20 C 20 5, 40 5, 95 20" stroke="black" fill="none"/></svg>'
)

AMA_STATEMENT = (
    "{provider} designates this enduring material for a maximum of {amount} AMA PRA Category 1 "
    "Credits™. Physicians should claim only the credit commensurate with the extent of their "
    "participation in the activity."
)


@pytest.fixture
def scanner_course(db):
    """Three credit types, each with its accreditor's number (as CTN-301 carries them)."""
    program = factories.program("ctn", "Clinical Trials Network")
    course = factories.course(
        program, "CTN-301", modules=1, title="Site and Scanner Qualification",
        credits=(("AMA_PRA_1", "2.0", "ACCME-555"), ("VOICE_CEH", "2.0", "SNMMI-VOICE-301"),
                 ("CAMPEP_MPCEC", "2.0", "CAMPEP-77")),
    )  # fmt: skip
    CreditType.objects.filter(code="AMA_PRA_1").update(statement=AMA_STATEMENT)
    return course


@pytest.fixture
def signatory(db):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    image = get_image_model()(title="signature")
    image.file.save("signature.svg", ContentFile(SIGNATURE_SVG), save=False)
    image.width, image.height = 100, 30
    image.save()
    site_settings.signatory_name = "Dana R. Whitfield, MD"
    site_settings.signatory_title = "Director of Education"
    site_settings.signature_image = image
    site_settings.save()
    return site_settings


def certificate_for(profession, course, email=None):
    user = UserFactory(email=email or f"{profession}@example.org", profession=profession,
                       full_name=f"A {profession.title()}")  # fmt: skip
    return issue(completed_enrollment(user, course))


def test_a_technologist_a_physician_and_a_physicist_get_the_credit_their_profession_may_claim(
    scanner_course,
):
    technologist = pdf_text(certificate_for("technologist", scanner_course))
    physician = pdf_text(certificate_for("physician", scanner_course))
    physicist = pdf_text(certificate_for("physicist", scanner_course))

    assert "Certificate of Credit" in technologist
    assert "VOICE Continuing Education Hours: 2 hours" in technologist
    assert "VOICE activity number: SNMMI-VOICE-301" in technologist
    # AMA PRA Category 1 is for physicians: the technologist is told it was designated, no more.
    assert "This activity was designated for 2 AMA PRA Category 1 Credits™" in technologist
    assert "maximum of 2 AMA PRA" not in technologist
    assert "AMA PRA Category 1 Credit™: 2 hours" not in technologist
    assert "CAMPEP" not in technologist

    assert "AMA PRA Category 1 Credit™: 2 hours" in physician
    assert "ACCME activity ID: ACCME-555" in physician
    assert "designates this enduring material for a maximum of 2 AMA PRA Category 1" in physician
    assert "was designated for" not in physician
    assert "VOICE" not in physician
    assert "CAMPEP" not in physician

    assert "CAMPEP MPCEC: 2 hours" in physicist
    assert "CAMPEP course number: CAMPEP-77" in physicist
    assert "This activity was designated for 2 AMA PRA Category 1 Credits™" in physicist
    assert "VOICE" not in physicist


def test_a_profession_that_may_claim_no_credit_gets_a_certificate_of_completion(scanner_course):
    certificate = certificate_for("research_coordinator", scanner_course)
    text = pdf_text(certificate)
    assert certificate.kind == CertificateKind.COMPLETION
    assert certificate.credits == []
    assert "Certificate of Completion" in text
    assert "Certificate of Credit" not in text
    assert "hours" not in text
    assert "This activity was designated for 2 AMA PRA Category 1 Credits™" in text


def test_the_verification_page_and_transcript_print_the_professions_credit(client, scanner_course):
    certificate = certificate_for("technologist", scanner_course)
    body = client.get(certificate.get_absolute_url()).content.decode()
    assert "2 VOICE Continuing Education Hours (VOICE activity number SNMMI-VOICE-301)" in body
    assert "This activity was designated for 2 AMA PRA Category 1 Credits™" in body
    assert "2 AMA PRA Category 1 Credit™" not in body

    client.force_login(certificate.enrollment.user)
    response = client.get("/certificates/transcript/")
    assert [t["short_name"] for t in response.context["totals"]] == ["VOICE CEH"]
    page = response.content.decode()
    assert "2 CME: participation only" in page
    assert "VOICE activity number SNMMI-VOICE-301" in page
    rows = client.get("/certificates/transcript/", {"format": "csv"}).content.decode()
    assert "2 VOICE CEH; 2 CME (participation only)" in rows
    assert "VOICE activity number SNMMI-VOICE-301; ACCME activity ID ACCME-555" in rows


def test_a_certificate_keeps_the_credit_it_printed_when_eligibility_changes(scanner_course):
    certificate = certificate_for("technologist", scanner_course)
    CreditType.objects.filter(code="AMA_PRA_1").update(
        eligible_professions=",physician,technologist,"
    )
    certificate.refresh_from_db()
    assert [credit["code"] for credit in certificate.credits] == ["VOICE_CEH"]
    assert [credit["code"] for credit in certificate.participation] == ["AMA_PRA_1"]
    later = certificate_for("technologist", scanner_course, email="later@example.org")
    assert [credit["code"] for credit in later.credits] == ["AMA_PRA_1", "VOICE_CEH"]


def test_the_signatory_is_printed_by_name_and_title_with_the_signature(scanner_course, signatory):
    certificate = certificate_for("physician", scanner_course)
    text = pdf_text(certificate)
    assert "Dana R. Whitfield, MD Director of Education" in text
    assert text.count("Dana R. Whitfield") == 1
    assert certificate.signature is not None
    assert bytes(certificate.signature.data) == SIGNATURE_SVG
    assert 'src="data:image/svg+xml;base64,' in render_certificate_html(certificate)


def test_a_new_signatory_appears_on_new_certificates_only(scanner_course, signatory):
    from certificates import services

    before = certificate_for("physician", scanner_course)
    signatory.signatory_name = "Sam Q. Successor, PhD"
    signatory.signature_image = None
    signatory.save()
    after = certificate_for("physicist", scanner_course)
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    services.reissue_certificate(certificate=before, actor=admin, reason="Name fix")
    before.refresh_from_db()
    assert "Dana R. Whitfield, MD" in pdf_text(before)
    assert before.signature is not None
    assert "Sam Q. Successor, PhD" in pdf_text(after)
    assert after.signature is None


def test_the_certificates_export_lists_credit_and_activity_identifiers(client, scanner_course):
    certificate_for("physicist", scanner_course)
    client.force_login(UserFactory(email="admin@example.org", is_staff=True, is_superuser=True))
    response = client.get("/admin/certificates/", {"export": "csv"})
    rows = b"".join(response.streaming_content).decode()
    header = rows.splitlines()[0]
    assert "Credits" in header and "Activity identifiers" in header
    assert "2 MPCEC; 2 CME (participation only)" in rows
    assert "CAMPEP course number CAMPEP-77; ACCME activity ID ACCME-555" in rows
