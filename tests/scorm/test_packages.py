"""Uploading a SCORM package: every refusal names its problem and stores nothing."""

import io
import stat
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from courses import scorm
from courses.models import ScormPackage
from tests import factories

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list[str]:
    root = Path(settings.PRIVATE_STORAGE_ROOT) / "scorm"
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def prepare(data: bytes) -> scorm.PreparedPackage:
    return scorm.prepare_package(io.BytesIO(data), size=len(data))


def refused(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        prepare(data)
    return " ".join(caught.value.messages)


def zip_of(entries) -> bytes:
    """A zip whose entries are ZipInfo or (name, content) pairs, written as given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            if isinstance(entry, tuple):
                archive.writestr(*entry)
            else:
                archive.writestr(entry, b"target")
    return buffer.getvalue()


def package_files(version="1.2"):
    with zipfile.ZipFile(io.BytesIO(factories.scorm_zip(version))) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def test_a_scorm_12_package_is_read_and_stored(settings):
    package = factories.scorm_package("1.2")
    assert (package.version, package.edition, package.launch_path) == ("1.2", "1.2", "index.html")
    assert package.title == "Imaging trials (SCORM 1.2)"
    assert package.file_count == 4
    assert stored_files(settings) == sorted(
        f"{package.storage_key}/{name}"
        for name in ("imsmanifest.xml", "index.html", "js/sco.js", "css/sco.css")
    )


def test_a_scorm_2004_package_finds_the_first_item_in_a_nested_organization():
    package = factories.scorm_package("2004")
    assert (package.version, package.edition) == ("2004", "2004 4th Edition")
    assert package.launch_path == "index.html"


def test_a_zip_that_is_not_a_zip(settings):
    assert refused(b"PK\x03\x04 not really") == "The file is not a zip archive."
    assert stored_files(settings) == []


def test_no_manifest(settings):
    message = refused(factories.scorm_zip(omit=("imsmanifest.xml",)))
    assert message == "The package has no imsmanifest.xml at its root: is it a SCORM package?"
    assert stored_files(settings) == []


def test_a_manifest_that_is_not_xml(settings):
    message = refused(factories.scorm_zip(manifest="<manifest><organizations></manifest>"))
    assert message.startswith("The package's imsmanifest.xml is not well-formed XML (")
    assert stored_files(settings) == []


def test_a_manifest_with_entities_is_refused_without_expanding_them(settings):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<manifest><title>&lol2;</title></manifest>"
    )
    message = refused(factories.scorm_zip(manifest=bomb))
    assert message == (
        "The package's imsmanifest.xml declares a DTD or entities, which are not allowed."
    )
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    "manifest",
    [
        factories.MANIFEST_12.replace('adlcp:scormtype="sco"', 'adlcp:scormtype="asset"'),
        factories.MANIFEST_12.replace('identifierref="res1"', 'identifierref="nothing"'),
        factories.MANIFEST_12.replace(' href="{href}"', ""),
        "<manifest><resources/></manifest>",
    ],
    ids=["asset-not-sco", "unknown-resource", "no-href", "no-organization"],
)
def test_no_launchable_sco(settings, manifest):
    message = refused(factories.scorm_zip(manifest=manifest.replace("{href}", "index.html")))
    assert message == (
        "The package has no launchable SCO: the default organization's first item must point "
        'to a resource of scormtype "sco" with an href.'
    )
    assert stored_files(settings) == []


def test_a_launch_file_missing_from_the_package(settings):
    message = refused(factories.scorm_zip(href="start.html"))
    assert message == "The package's launch file (start.html) is not in the package."
    assert stored_files(settings) == []


def test_too_big_to_upload(settings):
    data = factories.scorm_zip()
    settings.SCORM_MAX_UPLOAD_BYTES = len(data) - 1
    with pytest.raises(ValidationError) as caught:
        scorm.prepare_package(io.BytesIO(data), size=len(data))
    assert caught.value.messages[0].startswith("The package is 0.0 MB; at most 0.0 MB")
    assert stored_files(settings) == []


def test_too_many_files(settings):
    settings.SCORM_MAX_FILES = 5
    extra = {f"img/{n}.png": b"png" for n in range(2)}
    message = refused(factories.scorm_zip(extra=extra))
    assert message == "The package has 6 files; at most 5 are allowed."
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../evil.html", "The package contains a path outside the package (../evil.html)."),
        ("js/../../evil.js", "The package contains a path outside the package (js/../../evil.js)."),
        ("/etc/evil.html", "The package contains an absolute path (/etc/evil.html)."),
        ("C:/evil.html", "The package contains an absolute path (C:/evil.html)."),
        ("js\\evil.js", "The package contains a path with a backslash (js\\evil.js)."),
    ],
)
def test_zip_slip(settings, name, expected):
    info = zipfile.ZipInfo("placeholder")
    info.filename = name  # ZipInfo would normalise some of these: write the name as an attacker
    assert refused(zip_of([*package_files(), info])) == expected
    assert stored_files(settings) == []


def test_a_symlink(settings):
    link = zipfile.ZipInfo("js/link.js")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    assert refused(zip_of([*package_files(), link])) == (
        "The package contains a symbolic link (js/link.js)."
    )
    assert stored_files(settings) == []


def test_a_zip_bomb_by_ratio(settings):
    message = refused(factories.scorm_zip(extra={"media/zeros.txt": b"\0" * (2 * 1024 * 1024)}))
    assert message == (
        "The package looks like a zip bomb: media/zeros.txt expands more than 100 times."
    )
    assert stored_files(settings) == []


def test_a_zip_bomb_by_total_size(settings):
    settings.SCORM_MAX_UNCOMPRESSED_BYTES = 10_000
    message = refused(factories.scorm_zip(extra={"notes.txt": "x" * 10_000}))
    assert message == "The package expands to 0.0 MB; at most 0.0 MB are allowed."
    assert stored_files(settings) == []


def _understate_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size an entry declares (local header and central directory)."""
    raw = bytearray(data)
    encoded = name.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = raw.find(signature + b"")
        while at != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if raw[name_at : name_at + len(encoded)] == encoded:
                raw[at + offset : at + offset + 4] = struct.pack("<I", size)
            at = raw.find(signature, at + 4)
    return bytes(raw)


def test_an_entry_larger_than_it_declares_is_stopped_while_extracting(settings):
    data = factories.scorm_zip(extra={"notes.txt": "".join(f"{n:06d}" for n in range(5000))})
    lying = _understate_size(data, "notes.txt", 100)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("notes.txt").file_size == 100
    message = refused(lying)
    assert message == "The package is damaged: a file in it could not be extracted."
    assert stored_files(settings) == []


@pytest.mark.parametrize("name", ["tools/setup.exe", "server.php", "run.sh", "README"])
def test_a_file_type_outside_the_allow_list(settings, name):
    message = refused(factories.scorm_zip(extra={name: b"x"}))
    assert message == f"The package contains a file type that is not allowed ({name})."
    assert stored_files(settings) == []


# --- Through the admin ------------------------------------------------------------------------

ADD_URL = "/admin/snippets/courses/scormpackage/add/"


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(factories.superuser())
    return client


def test_the_admin_stores_a_valid_upload(admin_client, settings):
    upload = SimpleUploadedFile("trial.zip", factories.scorm_zip("2004"), "application/zip")
    response = admin_client.post(ADD_URL, {"title": "", "package": upload})
    assert response.status_code == 302
    package = ScormPackage.objects.get()
    assert (package.title, package.version, package.file_count) == (
        "Imaging trials (SCORM 2004)",
        "2004",
        4,
    )
    assert len(stored_files(settings)) == 4


def test_the_admin_shows_the_refusal_as_a_form_error_and_stores_nothing(admin_client, settings):
    upload = SimpleUploadedFile(
        "trial.zip", factories.scorm_zip(extra={"server.php": b"<?php"}), "application/zip"
    )
    response = admin_client.post(ADD_URL, {"title": "Trial", "package": upload})
    assert response.status_code == 200
    assert "The package contains a file type that is not allowed (server.php)." in (
        response.content.decode()
    )
    assert ScormPackage.objects.count() == 0
    assert stored_files(settings) == []


def test_an_instructor_may_upload(client, settings):
    from django.contrib.auth.models import Group

    from courses.permissions import ensure_instructor_group

    program = factories.program("ctn")
    ensure_instructor_group(program)
    instructor = factories.UserFactory(email="i@example.org")
    instructor.groups.add(Group.objects.get(name="CTN instructors"))
    client.force_login(instructor)
    upload = SimpleUploadedFile("trial.zip", factories.scorm_zip("1.2"), "application/zip")
    assert client.post(ADD_URL, {"title": "Mine", "package": upload}).status_code == 302
    assert ScormPackage.objects.get().uploaded_by == instructor


def test_a_launch_href_with_an_encoded_space(settings):
    data = factories.scorm_zip(href="my%20lesson.html", extra={"my lesson.html": "<p>x</p>"})
    assert prepare(data).info.launch_path == "my lesson.html"


def test_deleting_an_unused_package_removes_its_files(settings, django_capture_on_commit_callbacks):
    package = factories.scorm_package("1.2")
    assert len(stored_files(settings)) == 4
    with django_capture_on_commit_callbacks(execute=True):
        package.delete()
    assert stored_files(settings) == []
