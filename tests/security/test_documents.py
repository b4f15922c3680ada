"""Lesson documents: stored privately, served only by Wagtail's view, uploads checked."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
Document = get_document_model()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    return client


def upload(client, name, content):
    root = Collection.get_first_root_node()
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": root.pk},
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("protocol.pdf", PDF), ("delegation-log.docx", None), ("roster.csv", b"name,site\nAda,1\n")],
)
def test_a_document_is_stored_outside_media_root(admin_client, settings, name, content):
    response = upload(admin_client, name, docx_bytes() if content is None else content)
    assert response.status_code == 302
    document = Document.objects.get(title=name)
    stored = document.file.path
    assert stored.startswith(str(settings.PRIVATE_STORAGE_ROOT))
    assert not stored.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(NotImplementedError):
        document.file.url  # noqa: B018 - no public URL exists
    assert document.url == reverse("wagtaildocs_serve", args=[document.pk, document.filename])


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("protocol.pdf", b"<html><script>alert(1)</script></html>"),
        ("delegation-log.docx", b"MZ\x90\x00 an executable"),
        ("slides.pptx", None),  # a real Word file renamed to .pptx
        ("roster.csv", b"\x00\x01\x02binary"),
        ("notes.exe", b"MZ\x90\x00"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(admin_client, name, content):
    response = upload(admin_client, name, docx_bytes() if content is None else content)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1  # one clear reason, not a second one about an empty name
    expected = "not allowed" if name.endswith(".exe") else "do not match its type"
    assert expected in errors[0]
    assert not Document.objects.exists()


def test_an_oversized_file_is_refused(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = upload(admin_client, "big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 200
    assert "too big" in str(response.context["form"].errors["file"])
    assert not Document.objects.exists()


@pytest.fixture
def restricted_document():
    collection = Collection.get_first_root_node().add_child(name="Sponsors only")
    group = Group.objects.create(name="Sponsor monitors")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    document = Document(title="Monitoring plan", collection=collection)
    document.file.save("monitoring-plan.pdf", ContentFile(PDF))
    return document, group


def test_a_restricted_document_is_served_only_to_its_group(client, restricted_document):
    document, group = restricted_document
    anonymous = client.get(document.url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/accounts/login/")  # allauth: rate limits and MFA apply
    learner = UserFactory(email="learner@example.org")
    client.force_login(learner)
    refused = client.get(document.url)
    assert refused.status_code in (302, 403)
    assert not getattr(refused, "streaming", False)
    learner.groups.add(group)
    served = client.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF


def test_nothing_of_a_document_is_under_media_root(restricted_document, settings):
    document, _ = restricted_document
    assert (settings.PRIVATE_STORAGE_ROOT / document.file.name).is_file()
    assert not (settings.MEDIA_ROOT / document.file.name).exists()


@pytest.fixture
def lesson_world():
    """CTN and CMIIT with their instructors; a CTN module uses a document of CTN's collection."""
    from courses.permissions import ensure_instructor_group, program_collection
    from tests.courses import factories

    ctn, cmiit = factories.program("ctn"), factories.program("cmiit")
    ensure_instructor_group(ctn)
    ensure_instructor_group(cmiit)
    document = Document(title="Delegation log template", collection=program_collection(ctn))
    document.file.save("delegation-log.pdf", ContentFile(PDF))
    linked = Document(title="Site checklist", collection=program_collection(ctn))
    linked.file.save("site-checklist.pdf", ContentFile(PDF))
    course = factories.course(ctn, "CTN-101")
    factories.module(
        course,
        body=[
            factories.block("document", {"document": document.pk, "title": ""}),
            factories.block(
                "text", f'<p><a linktype="document" id="{linked.pk}">Checklist</a></p>'
            ),
        ],
    )
    unused = Document(title="Unused draft form", collection=program_collection(ctn))
    unused.file.save("draft-form.pdf", ContentFile(PDF))
    people = {}
    for name, group in (("ctn", "CTN instructors"), ("cmiit", "CMIIT instructors")):
        people[name] = UserFactory(email=f"{name}.instructor@example.org")
        people[name].groups.add(Group.objects.get(name=group))
    return {"course": course, "used": [document, linked], "unused": unused, "people": people}


def test_a_lesson_document_goes_to_enrolled_learners_and_its_editors_only(client, lesson_world):
    from enrollments import services

    learner = UserFactory(email="learner@example.org")
    client.force_login(learner)
    for document in [*lesson_world["used"], lesson_world["unused"]]:
        refused = client.get(document.url)
        assert refused.status_code == 404
        assert not getattr(refused, "streaming", False)
    client.force_login(lesson_world["people"]["cmiit"])  # another program's instructor
    assert client.get(lesson_world["used"][0].url).status_code == 404
    services.enroll(user=learner, course=lesson_world["course"])
    client.force_login(learner)
    for document in lesson_world["used"]:  # a document block and a rich-text link
        served = client.get(document.url)
        assert served.status_code == 200
        assert b"".join(served.streaming_content) == PDF
    assert client.get(lesson_world["unused"].url).status_code == 404  # no course uses it
    client.force_login(lesson_world["people"]["ctn"])  # the collection's own editor
    assert client.get(lesson_world["unused"].url).status_code == 200


def test_a_lesson_document_asks_an_anonymous_visitor_to_sign_in(client, lesson_world):
    response = client.get(lesson_world["used"][0].url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("endpoint", ["documents", "images"])
def test_the_admin_api_lists_only_the_collections_a_user_may_see(client, lesson_world, endpoint):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from courses.models import ProgramPage
    from courses.permissions import program_collection

    cmiit = ProgramPage.objects.get(code="cmiit")
    ctn_collection = lesson_world["used"][0].collection
    ctn_image = get_image_model().objects.create(
        title="CTN scanner", file=get_test_image_file(), collection=ctn_collection
    )
    cmiit_image = get_image_model().objects.create(
        title="CMIIT cyclotron", file=get_test_image_file(), collection=program_collection(cmiit)
    )
    cmiit_document = Document(title="CMIIT budget", collection=program_collection(cmiit))
    cmiit_document.file.save("budget.pdf", ContentFile(PDF))
    ctn_ids = {
        "documents": {d.pk for d in Document.objects.filter(collection=ctn_collection)},
        "images": {ctn_image.pk},
    }[endpoint]
    cmiit_ids = {"documents": {cmiit_document.pk}, "images": {cmiit_image.pk}}[endpoint]

    client.force_login(lesson_world["people"]["cmiit"])
    listing = client.get(f"/admin/api/main/{endpoint}/")
    assert listing.status_code == 200
    assert {item["id"] for item in listing.json()["items"]} == cmiit_ids
    for pk in ctn_ids:
        assert client.get(f"/admin/api/main/{endpoint}/{pk}/").status_code == 404
    client.force_login(lesson_world["people"]["ctn"])
    listing = client.get(f"/admin/api/main/{endpoint}/")
    assert {item["id"] for item in listing.json()["items"]} == ctn_ids
