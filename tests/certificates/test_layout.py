"""Finding 6: the certificate's layout holds for every name the profile accepts.

Each certificate is rendered with the longest and the widest names the profile takes, on the longest
course title a page can have, with a GCP course's statement and three credit statements, and its
text layout read back: one page, no glyph printed over another, none off the page.
"""

import datetime

import pytest

from accounts.models import User
from certificates.models import Certificate
from certificates.pdf import render_certificate_pdf
from tests.certificates.layout import outside, overlaps, pages

NAME_MAX = User._meta.get_field("certificate_name").max_length
TITLE_MAX = 255  # Wagtail's Page.title
PROVIDER = "Society of Nuclear Medicine and Molecular Imaging"
STATEMENTS = {
    "AMA_PRA_1": f"{PROVIDER} is accredited by the Accreditation Council for Continuing Medical "
    f"Education (ACCME) to provide continuing medical education for physicians. {PROVIDER} "
    "designates this enduring material for a maximum of 12.75 AMA PRA Category 1 Credits™. "
    "Physicians should claim only the credit commensurate with the extent of their participation "
    "in the activity.",
    "VOICE_CEH": f"{PROVIDER} offers this activity through the SNMMI Technologist Section, an "
    "ARRT-recognized continuing education evaluation mechanism, which has approved it for 12.75 "
    "Category A continuing education hours through the VOICE program. Credit is posted to the "
    "participant's VOICE transcript; NMTCB accepts VOICE transcripts.",
    "CAMPEP_MPCEC": f"{PROVIDER} has received approval from the Commission on Accreditation of "
    "Medical Physics Education Programs (CAMPEP) for 12.75 hours of Medical Physics Continuing "
    "Education Credit (MPCEC) for this activity.",
}
NAMES = {
    "longest, with spaces": ("Maximiliana Wilhelmina " * 20)[:NAME_MAX].strip(),
    "widest, no spaces": "W" * NAME_MAX,
    "wide with spaces": ("WMWMWMWMW " * 40)[:NAME_MAX],
    "accented, no spaces": "Ŵ" * NAME_MAX,
    "short": "Jo Lee",
}
TITLES = {
    "longest title": ("Quantitative Harmonization of Multicenter PET/CT " * 10)[:TITLE_MAX],
    "ordinary title": "Ethics and Good Clinical Practice in Molecular Imaging Research",
}


def certificate(name: str, title: str, *, gcp: bool) -> Certificate:
    credits = [
        {"code": code, "name": name_, "short_name": code, "hours": "12.75",
         "activity_id": "ACT-2026-000000123456", "activity_id_label": "Activity number",
         "statement": STATEMENTS[code]}
        for code, name_ in (("AMA_PRA_1", "AMA PRA Category 1 Credit™"),
                            ("VOICE_CEH", "VOICE Continuing Education Hours (ARRT Category A)"),
                            ("CAMPEP_MPCEC", "CAMPEP Medical Physics Continuing Education Credit"))
    ]  # fmt: skip
    return Certificate(
        code="A" * 22, learner_name=name, licence_ids="ARRT ID 1234567890 · NMTCB ID ABCDEF123456",
        course_code="CTN-30000000001", course_title=title, provider=PROVIDER,
        program_title="SNMMI Clinical Trials Network — Clinical Research Education",
        signatory_name="Dana R. Whitfield, MD, PhD",
        signatory_title="Director of Education, SNMMI Clinical Trials Network",
        is_gcp=gcp, course_version="2026.1", ich_e6_revision="E6(R3)", kind="credit",
        credits=credits[:2], participation=credits[2:],
        completed_on=datetime.date(2026, 9, 30), expires_on=datetime.date(2029, 9, 30),
    )  # fmt: skip


@pytest.mark.parametrize("title", TITLES.values(), ids=TITLES.keys())
@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
@pytest.mark.parametrize("gcp", [True, False], ids=["GCP", "CE"])
def test_no_text_overlaps_or_leaves_the_page(name, title, gcp, settings):
    settings.SITE_URL = "https://learning.snmmi.example.org"
    rendered = pages(render_certificate_pdf(certificate(name, title, gcp=gcp)))
    assert len(rendered) == 1
    page, glyphs = rendered[0]
    printed = "".join(glyph.text for glyph in glyphs)
    assert name.replace(" ", "") in printed
    assert overlaps(glyphs) == []
    assert outside(page, glyphs, margin=18) == []
