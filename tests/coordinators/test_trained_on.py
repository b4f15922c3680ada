"""Trained on date D in course set S: the exact cases."""

import datetime

import pytest

from certificates.models import CertificateStatus
from coordinators.selectors import trained_on
from tests import factories
from tests.coordinators.conftest import D, certify
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def people(catalog, sites):
    riverside = sites["riverside"]
    gcp, rdrc = catalog["gcp"], catalog["rdrc"]
    made = {}

    def person(key):
        made[key] = factories.member(riverside, email=f"{key}@riverside.example",
                                     full_name=key.replace("_", " ").title())  # fmt: skip
        return made[key]

    certify(person("before"), gcp, completed_on=D - 30 * DAY, expires_on=D + 700 * DAY)
    certify(person("on_the_day"), gcp, completed_on=D, expires_on=D + 700 * DAY)
    certify(person("after"), gcp, completed_on=D + 5 * DAY, expires_on=D + 800 * DAY)
    certify(person("expired_the_day_before"), gcp, completed_on=D - 700 * DAY,
            expires_on=D - DAY)  # fmt: skip
    certify(person("expires_on_the_day"), gcp, completed_on=D - 700 * DAY, expires_on=D)
    certify(person("other_course_only"), rdrc, completed_on=D - 30 * DAY)
    certify(person("revoked"), gcp, completed_on=D - 30 * DAY, status=CertificateStatus.REVOKED)
    EnrollmentFactory(user=person("in_progress"), course=gcp)
    person("never_enrolled")
    # Someone of another organization, trained: never on this roster.
    certify(factories.member(sites["lakeside"], email="x@lakeside.example"), gcp,
            completed_on=D - 30 * DAY)  # fmt: skip
    return made


def verdicts(rows):
    return {row.user.email.split("@")[0]: (row.trained, row.reasons) for row in rows}


def test_trained_on_a_date_in_one_course(catalog, sites, people):
    rows = trained_on(sites["riverside"], on_date=D, courses=[catalog["gcp"]])

    assert verdicts(rows) == {
        "before": (True, ""),
        "on_the_day": (True, ""),
        "after": (False, "CTN-101: completed on 2026-06-20, after the date"),
        "expired_the_day_before": (False, "CTN-101: expired on 2026-06-14"),
        "expires_on_the_day": (True, ""),
        "other_course_only": (False, "CTN-101: not enrolled"),
        "revoked": (False, "CTN-101: certificate revoked"),
        "in_progress": (False, "CTN-101: not completed"),
        "never_enrolled": (False, "CTN-101: not enrolled"),
        "boss": (False, "CTN-101: not enrolled"),
    }


def test_every_course_of_the_set_must_be_valid(catalog, sites, people):
    certify(people["before"], catalog["rdrc"], completed_on=D - DAY)

    rows = trained_on(sites["riverside"], on_date=D, courses=[catalog["gcp"], catalog["rdrc"]])
    by_person = verdicts(rows)

    assert by_person["before"] == (True, "")
    assert by_person["on_the_day"] == (False, "CTN-102: not enrolled")
    assert by_person["other_course_only"] == (False, "CTN-101: not enrolled")
    # The other course alone: only those who hold it.
    only_rdrc = verdicts(trained_on(sites["riverside"], on_date=D, courses=[catalog["rdrc"]]))
    assert sorted(k for k, (ok, _) in only_rdrc.items() if ok) == ["before", "other_course_only"]


def test_a_date_before_a_completion_says_not_trained_and_after_says_trained(catalog, sites, people):
    early = verdicts(trained_on(sites["riverside"], on_date=D - 31 * DAY, courses=[catalog["gcp"]]))
    late = verdicts(trained_on(sites["riverside"], on_date=D + 5 * DAY, courses=[catalog["gcp"]]))

    assert early["before"] == (False, "CTN-101: completed on 2026-05-16, after the date")
    assert late["after"] == (True, "")
    assert late["expires_on_the_day"] == (False, "CTN-101: expired on 2026-06-15")


def test_a_refresher_counts_for_the_course_it_refreshes(catalog, sites):
    refresher = factories.course(catalog["gcp"].get_parent(), "CTN-101R", modules=1,
                                 is_gcp=True, refresher_for=catalog["gcp"])  # fmt: skip
    person = factories.member(sites["riverside"], email="refreshed@riverside.example")
    certify(person, refresher, completed_on=D - DAY, expires_on=D + 300 * DAY)

    rows = verdicts(trained_on(sites["riverside"], on_date=D, courses=[catalog["gcp"]]))

    assert rows["refreshed"] == (True, "")


def test_the_answer_takes_a_fixed_number_of_queries(
    catalog, sites, people, django_assert_num_queries
):
    with django_assert_num_queries(5):
        trained_on(sites["riverside"], on_date=D, courses=[catalog["gcp"], catalog["rdrc"]])
    for i in range(20):
        certify(factories.member(sites["riverside"], email=f"more{i}@riverside.example"),
                catalog["gcp"], completed_on=D - DAY)  # fmt: skip
    with django_assert_num_queries(5):
        trained_on(sites["riverside"], on_date=D, courses=[catalog["gcp"], catalog["rdrc"]])
