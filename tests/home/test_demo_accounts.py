import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from home.demo import DEMO_ACCOUNTS, create_demo_accounts

pytestmark = pytest.mark.django_db


def test_demo_accounts_can_sign_in_with_verified_email(client):
    create_demo_accounts()
    for account in DEMO_ACCOUNTS:
        assert client.login(email=account.email, password=account.password) is True
        assert EmailAddress.objects.get(email=account.email).verified is True
        client.logout()


def test_creating_demo_accounts_twice_leaves_one_of_each():
    create_demo_accounts()
    create_demo_accounts()
    User = get_user_model()
    assert User.objects.count() == len(DEMO_ACCOUNTS)
    assert EmailAddress.objects.count() == len(DEMO_ACCOUNTS)
    admin = User.objects.get(email="admin@lms.example")
    assert (admin.is_staff, admin.is_superuser) == (True, True)
    learner = User.objects.get(email="learner@lms.example")
    assert (learner.is_staff, learner.is_superuser) == (False, False)


def test_demo_account_command_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("create_demo_accounts")
    assert get_user_model().objects.count() == 0


def test_the_demo_coordinator_coordinates_a_demo_organization_of_the_registry():
    from organizations.models import Membership, Organization, OrganizationStatus, Role

    create_demo_accounts()
    create_demo_accounts()

    coordinator = Membership.objects.get(user__email="coordinator@lms.example")
    assert (coordinator.organization.name, coordinator.role) == (
        "Riverside Imaging Research Center", Role.COORDINATOR)  # fmt: skip
    learner = Membership.objects.get(user__email="learner@lms.example")
    assert (learner.organization, learner.role) == (coordinator.organization, Role.MEMBER)
    assert Organization.objects.filter(status=OrganizationStatus.APPROVED).count() == 7
    assert list(Organization.objects.filter(status=OrganizationStatus.PENDING).values_list(
        "name", flat=True)) == ["SNMMI Demo Site"]  # fmt: skip
