import pytest

from tests import factories
from tests.factories import UserFactory, completed_enrollment


@pytest.fixture
def gcp_course(db):
    program = factories.program("ctn", "Clinical Trials Network")
    return factories.course(
        program, "CTN-101", modules=1, title="Ethics and GCP in Imaging Research",
        is_gcp=True, course_version="2026.1", ich_e6_revision="E6(R3)",
        certificate_validity_months=36,
        credits=(("AMA_PRA_1", "1.5"), ("VOICE_CEH", "1.5")),
    )  # fmt: skip


@pytest.fixture
def learner(db):
    return UserFactory(
        email="learner@example.org", full_name="Jordan Learner",
        certificate_name="Jordan A. Learner, CNMT", arrt_id="1234567",
    )  # fmt: skip


@pytest.fixture
def enrollment(learner, gcp_course):
    return completed_enrollment(learner, gcp_course)
