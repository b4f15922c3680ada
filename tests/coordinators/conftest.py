import datetime

import pytest

from certificates.models import CertificateStatus
from tests import factories
from tests.factories import CertificateFactory, EnrollmentFactory

D = datetime.date(2026, 6, 15)


def certify(user, course, *, completed_on, expires_on=None, status=CertificateStatus.ISSUED):
    enrollment = EnrollmentFactory(user=user, course=course, status="completed")
    return CertificateFactory(enrollment=enrollment, completed_on=completed_on,
                              expires_on=expires_on, status=status)  # fmt: skip


@pytest.fixture
def catalog(db):
    ctn = factories.program("ctn")
    return {
        "gcp": factories.course(ctn, "CTN-101", modules=1, title="GCP basics", is_gcp=True),
        "rdrc": factories.course(ctn, "CTN-102", modules=1, title="RDRC essentials"),
    }


@pytest.fixture
def sites(db):
    riverside = factories.organization(
        "Riverside Imaging Research Center", site_identifier="CTN-0042"
    )
    lakeside = factories.organization("Lakeside University Hospital")
    return {
        "riverside": riverside,
        "lakeside": lakeside,
        "riverside_boss": factories.coordinator(riverside, email="boss@riverside.example",
                                                full_name="Robin Boss"),
        "lakeside_boss": factories.coordinator(lakeside, email="boss@lakeside.example",
                                               full_name="Lee Boss"),
    }  # fmt: skip
