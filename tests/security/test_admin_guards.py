"""Crafted requests to Wagtail's own admin views: a clear 4xx, never a 500, nothing changed; and
no title of another program's draft or image reaches an instructor through them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from certificates import services as certificate_services
from courses.permissions import ensure_instructor_group, program_collection
from tests.accounts.factories import UserFactory
from tests.certificates.conftest import completed_enrollment
from tests.courses import factories

pytestmark = pytest.mark.django_db
SECRET = "Unreleased PSMA dosimetry"


@pytest.fixture
def world(settings, django_user_model):
    settings.LMS_REQUIRE_STAFF_MFA = False
    ctn, cmiit = factories.program("ctn"), factories.program("cmiit")
    ensure_instructor_group(ctn)
    ensure_instructor_group(cmiit)
    draft = factories.course(ctn, "CTN-950", title=SECRET, publish=False)
    image = get_image_model().objects.create(
        title=SECRET, file=get_test_image_file(), collection=program_collection(ctn)
    )
    learner = UserFactory(email="learner@example.org")
    done = completed_enrollment(learner, factories.course(ctn, "CTN-951", modules=1))
    pending = certificate_services.create_pending_certificate(enrollment_id=done.pk)
    certificate_services.issue_certificate(certificate_id=pending.pk)
    cmiit_instructor = UserFactory(email="cmiit.instructor@example.org")
    cmiit_instructor.groups.add(Group.objects.get(name="CMIIT instructors"))
    return {
        "admin": django_user_model.objects.create_superuser("root@example.org", "pw"),
        "cmiit": cmiit_instructor,
        "ctn_home": ctn,
        "cmiit_home": cmiit,
        "draft": draft,
        "image": image,
        "learner": learner,
    }


# (case, actor, method, url, data, expected)
CASES = [
    ("Wagtail's deliberate error page", "cmiit", "get", "/admin/failwhale/", {}, 404),
    ("page edit without the stream counts", "admin", "post", "/admin/pages/{draft}/edit/",
     {"title": "x"}, 400),
    ("external link without a url", "admin", "post", "/admin/choose-external-link/", {}, 400),
    ("redirect import without a format", "admin", "post", "/admin/redirects/import/process/",
     {}, 400),
    ("snippet chooser create without a form", "admin", "post",
     "/admin/snippets/choose/courses/credittype/create/", {}, 400),
    ("page chooser: ids not numbers", "admin", "get", "/admin/choose-page/chosen-multiple/",
     {"id": "zz"}, 400),
    ("document chooser: id not a number", "admin", "get",
     "/admin/documents/chooser/chosen/%22x/", {}, 400),
    ("image chooser: id not a number", "admin", "get", "/admin/images/chooser/chosen/%22x/",
     {}, 400),
    ("delete a learner whose certificates must be kept", "admin", "post",
     "/admin/users/delete/{learner}/", {}, 400),
    ("another program's image in the chooser", "cmiit", "get",
     "/admin/images/chooser/{image}/select_format/", {}, 404),
    ("move another program's draft (confirm page)", "cmiit", "get",
     "/admin/pages/{draft}/move/{cmiit_home}/confirm/", {}, 302),  # Wagtail's "permission denied"
    ("page chooser: browse into another program's draft", "cmiit", "get",
     "/admin/choose-page/{draft}/", {}, 404),
    ("page chooser: another program's draft as the chosen page", "cmiit", "get",
     "/admin/choose-page/chosen-multiple/?id={draft}", {}, 404),
    ("page chooser: one of the chosen pages is another program's draft", "cmiit", "get",
     "/admin/choose-page/chosen-multiple/?id={cmiit_home}&id={draft}", {}, 404),
    ("page chooser: browse into one's own program", "cmiit", "get",
     "/admin/choose-page/{cmiit_home}/", {}, 200),
]  # fmt: skip


@pytest.mark.parametrize(("case", "actor", "method", "url", "data", "expected"), CASES,
                         ids=[case[0] for case in CASES])  # fmt: skip
def test_a_crafted_admin_request_gets_a_clear_answer(
    world, case, actor, method, url, data, expected
):
    client = Client(raise_request_exception=False)
    client.force_login(world[actor])
    ids = {name: getattr(value, "pk", None) for name, value in world.items()}
    users_before = get_user_model().objects.count()
    response = getattr(client, method)(url.format(**ids), data)
    assert response.status_code == expected
    body = b"" if response.streaming else response.content
    assert SECRET.encode() not in body
    assert get_user_model().objects.count() == users_before


def test_the_image_chooser_still_offers_an_instructor_their_own_images(client, world):
    own = get_image_model().objects.create(
        title="Cyclotron vault", file=get_test_image_file(),
        collection=program_collection(world["cmiit_home"]),
    )  # fmt: skip
    client.force_login(world["cmiit"])
    assert client.get(f"/admin/images/chooser/{own.pk}/select_format/").status_code == 200
