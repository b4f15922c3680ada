"""Demo accounts for local development. Their passwords are public (README): never in production."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from organizations import services as organizations
from organizations.demo import load_demo_organizations
from organizations.models import Role


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    full_name: str
    profession: str = ""
    organization: str = "SNMMI Demo Site"
    is_superuser: bool = False
    is_staff: bool = False
    groups: tuple[str, ...] = ()
    role_in_organization: str = Role.MEMBER


DEMO_ACCOUNTS = (
    DemoAccount(
        role="administrator",
        email="admin@lms.example",
        password="demo-admin-2026",
        full_name="Avery Admin",
        is_superuser=True,
        is_staff=True,
        groups=("Course reviewers",),
    ),
    DemoAccount(
        role="CTN instructor",
        email="instructor.ctn@lms.example",
        password="demo-instructor-2026",
        full_name="Casey Instructor",
        profession="physicist",
        is_staff=True,
        groups=("CTN instructors",),
    ),
    DemoAccount(
        role="CMIIT instructor",
        email="instructor.cmiit@lms.example",
        password="demo-instructor-2026",
        full_name="Morgan Instructor",
        profession="radiochemist_pharmacist",
        is_staff=True,
        groups=("CMIIT instructors",),
    ),
    DemoAccount(
        role="learner",
        email="learner@lms.example",
        password="demo-learner-2026",
        full_name="Jordan Learner",
        profession="technologist",
        organization="Riverside Imaging Research Center",
    ),
    DemoAccount(
        role="site coordinator",
        email="coordinator@lms.example",
        password="demo-coordinator-2026",
        full_name="Riley Coordinator",
        profession="research_coordinator",
        organization="Riverside Imaging Research Center",
        role_in_organization=Role.COORDINATOR,
    ),
)


def create_demo_accounts() -> list[DemoAccount]:
    """Create (or reset) the demo accounts with verified email addresses; safe to run repeatedly."""
    User = get_user_model()
    load_demo_organizations()
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(email=account.email)
        user.full_name = account.full_name
        user.profession = account.profession
        user.organization = account.organization
        user.is_staff = account.is_staff
        user.is_superuser = account.is_superuser
        user.set_password(account.password)
        user.save()
        for name in account.groups:
            group, _ = Group.objects.get_or_create(name=name)
            user.groups.add(group)
        # The demo staff's "SNMMI Demo Site" is not in the registry: a pending request to approve.
        organizations.affiliate(
            user=user,
            organization=organizations.organization_for_name(name=account.organization),
            role=account.role_in_organization,
        )
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
    return list(DEMO_ACCOUNTS)
