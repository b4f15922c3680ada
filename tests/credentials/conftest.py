import pytest

from certificates import services as certificate_services
from tests.certificates.conftest import enrollment, gcp_course, learner  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _key_dir(settings, tmp_path):
    """Every test starts with no key: the first credential makes one, in a directory of its own."""
    settings.CREDENTIALS_KEY_DIR = tmp_path / "keys"
    settings.CREDENTIALS_GENERATE_KEYS = True
    settings.CREDENTIALS_ACTIVE_KEY = ""


@pytest.fixture(autouse=True)
def _own_rate_limits(fresh_cache):
    """The verifier's per-IP limit (30 a minute) counts in the cache: each test its own, so the
    tests that ran before in the same minute on this worker cannot use it up."""


@pytest.fixture
def certificate(enrollment):  # noqa: F811 - the fixture above
    pending = certificate_services.create_pending_certificate(enrollment_id=enrollment.pk)
    return certificate_services.issue_certificate(certificate_id=pending.pk)
