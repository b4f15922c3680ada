"""SCORM packages: every check a zip passes before anything of it is stored, and its storing.

A package is refused, with a message naming the problem, when it is not a zip, is too large, has
too many files, a path outside the package (absolute, ``..``, a backslash, a symlink), a zip bomb
(total uncompressed size or compression ratio over the limits, also enforced while extracting), a
file type outside the allow-list, no ``imsmanifest.xml`` at its root, a manifest that is not
well-formed XML (parsed with defusedxml: no DTDs, no entity expansion), or no launchable SCO (the
default organization's first item -> a resource of scormtype "sco" with an href in the package).
"""

from __future__ import annotations

import posixpath
import shutil
import stat
import tempfile
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import unquote

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from infrastructure.storage import private_storage

MANIFEST = "imsmanifest.xml"
STORAGE_PREFIX = "scorm"
CHUNK = 64 * 1024

SCORM_12 = "1.2"
SCORM_2004 = "2004"
ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"


@dataclass(frozen=True)
class PackageInfo:
    version: str  # SCORM_12 or SCORM_2004
    edition: str  # the manifest's schemaversion, as written (e.g. "2004 4th Edition")
    title: str
    launch_path: str  # relative to the package root, with any query string kept
    file_count: int
    total_bytes: int


def _limit(name: str):
    return getattr(settings, name)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element, name: str):
    return [child for child in element if _local(child.tag) == name]


def _attr(element, name: str) -> str:
    """An attribute by local name, whatever its namespace (adlcp:scormtype, scormType...)."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


def _check_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise ValidationError(
            _("The package contains a symbolic link (%(name)s).") % {"name": name}
        )
    if "\\" in name or "\x00" in name:
        raise ValidationError(
            _("The package contains a path with a backslash (%(name)s).") % {"name": name}
        )
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise ValidationError(
            _("The package contains an absolute path (%(name)s).") % {"name": name}
        )
    parts = name.split("/")
    if ".." in parts:
        raise ValidationError(
            _("The package contains a path outside the package (%(name)s).") % {"name": name}
        )
    normal = posixpath.normpath(name)
    if normal.startswith("../") or normal == "..":
        raise ValidationError(
            _("The package contains a path outside the package (%(name)s).") % {"name": name}
        )
    return name


def _check_entries(archive: zipfile.ZipFile) -> tuple[list[zipfile.ZipInfo], int]:
    entries = archive.infolist()
    files = [info for info in entries if not info.is_dir()]
    if len(files) > _limit("SCORM_MAX_FILES"):
        raise ValidationError(
            _("The package has %(count)d files; at most %(limit)d are allowed.")
            % {"count": len(files), "limit": _limit("SCORM_MAX_FILES")}
        )
    allowed = {ext.lower() for ext in _limit("SCORM_ALLOWED_EXTENSIONS")}
    total = 0
    ratio_limit = _limit("SCORM_MAX_COMPRESSION_RATIO")
    for info in entries:
        _check_name(info)
        if info.is_dir():
            continue
        extension = posixpath.splitext(info.filename)[1].lstrip(".").lower()
        if extension not in allowed:
            raise ValidationError(
                _("The package contains a file type that is not allowed (%(name)s).")
                % {"name": info.filename}
            )
        total += info.file_size
        if info.file_size > CHUNK and info.file_size > ratio_limit * max(info.compress_size, 1):
            raise ValidationError(
                _("The package looks like a zip bomb: %(name)s expands more than %(ratio)d times.")
                % {"name": info.filename, "ratio": ratio_limit}
            )
    if total > _limit("SCORM_MAX_UNCOMPRESSED_BYTES"):
        raise ValidationError(
            _("The package expands to %(size)s; at most %(limit)s are allowed.")
            % {"size": _mb(total), "limit": _mb(_limit("SCORM_MAX_UNCOMPRESSED_BYTES"))}
        )
    return files, total


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _parse_manifest(archive: zipfile.ZipFile, names: set[str]) -> tuple[str, str, str, str]:
    if MANIFEST not in names:
        raise ValidationError(
            _("The package has no imsmanifest.xml at its root: is it a SCORM package?")
        )
    limit = 1024 * 1024
    try:
        with archive.open(MANIFEST) as handle:
            raw = handle.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        raise ValidationError(_("The package's imsmanifest.xml could not be read.")) from None
    if len(raw) > limit:
        raise ValidationError(_("The package's imsmanifest.xml is larger than 1 MB."))
    try:
        root = SafeET.fromstring(raw, forbid_dtd=True)
    except DefusedXmlException:
        raise ValidationError(
            _("The package's imsmanifest.xml declares a DTD or entities, which are not allowed.")
        ) from None
    except SafeET.ParseError as error:
        raise ValidationError(
            _("The package's imsmanifest.xml is not well-formed XML (%(error)s).")
            % {"error": error}
        ) from None
    if _local(root.tag) != "manifest":
        raise ValidationError(_("The package's imsmanifest.xml has no <manifest> root."))
    edition = ""
    for metadata in _children(root, "metadata"):
        for version in _children(metadata, "schemaversion"):
            edition = (version.text or "").strip()
    namespaces = {key for element in root.iter() for key in element.attrib} | {
        element.tag for element in root.iter()
    }
    is_2004 = any(ADLCP_2004 in name for name in namespaces) or edition.startswith(
        ("2004", "CAM 1.3")
    )
    version = SCORM_2004 if is_2004 else SCORM_12
    launch, title = _launch(root)
    return version, edition, launch, title


def _first_item(element):
    for item in _children(element, "item"):
        if _attr(item, "identifierref"):
            return item
        nested = _first_item(item)
        if nested is not None:
            return nested
    return None


def _launch(root) -> tuple[str, str]:
    no_sco = _(
        "The package has no launchable SCO: the default organization's first item must point "
        'to a resource of scormtype "sco" with an href.'
    )
    organizations = next(iter(_children(root, "organizations")), None)
    if organizations is None:
        raise ValidationError(no_sco)
    candidates = _children(organizations, "organization")
    default = _attr(organizations, "default")
    organization = next(
        (org for org in candidates if _attr(org, "identifier") == default),
        candidates[0] if candidates else None,
    )
    if organization is None:
        raise ValidationError(no_sco)
    item = _first_item(organization)
    if item is None:
        raise ValidationError(no_sco)
    ref = _attr(item, "identifierref")
    resources = next(iter(_children(root, "resources")), None)
    resource = None
    if resources is not None:
        resource = next(
            (r for r in _children(resources, "resource") if _attr(r, "identifier") == ref), None
        )
    if resource is None or _attr(resource, "scormtype").lower() != "sco":
        raise ValidationError(no_sco)
    href = _attr(resource, "href")
    if not href:
        raise ValidationError(no_sco)
    base = _attr(resources, "base") + _attr(resource, "base")
    title_element = next(iter(_children(organization, "title")), None)
    title = (title_element.text or "").strip() if title_element is not None else ""
    # Kept decoded ("my file.html"): the URL is built (and quoted) from it when served.
    return unquote(base + href) + _attr(item, "parameters"), title


def inspect_package(upload: IO[bytes], *, size: int) -> PackageInfo:
    """Every check, from the zip's directory and the manifest; raises ValidationError.

    Stores nothing."""
    if size > _limit("SCORM_MAX_UPLOAD_BYTES"):
        raise ValidationError(
            _("The package is %(size)s; at most %(limit)s may be uploaded.")
            % {"size": _mb(size), "limit": _mb(_limit("SCORM_MAX_UPLOAD_BYTES"))}
        )
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(_("The file is not a zip archive.")) from None
    with archive:
        files, total = _check_entries(archive)
        names = {info.filename for info in files}
        version, edition, launch, title = _parse_manifest(archive, names)
    launch_file = launch.split("?", 1)[0].split("#", 1)[0]
    if posixpath.normpath(launch_file) not in names or launch_file.startswith(("/", "..")):
        raise ValidationError(
            _("The package's launch file (%(href)s) is not in the package.") % {"href": launch}
        )
    return PackageInfo(
        version=version,
        edition=edition,
        title=title,
        launch_path=launch,
        file_count=len(files),
        total_bytes=total,
    )


def _extract(archive: zipfile.ZipFile, target: Path) -> None:
    """Extract, counting bytes as they come: an entry that lies about its size is refused."""
    budget = _limit("SCORM_MAX_UNCOMPRESSED_BYTES")
    for info in archive.infolist():
        if info.is_dir():
            continue
        name = _check_name(info)
        destination = target / posixpath.normpath(name)
        if target.resolve() not in destination.resolve().parents:
            raise ValidationError(
                _("The package contains a path outside the package (%(name)s).") % {"name": name}
            )
        destination.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with archive.open(info) as source, destination.open("wb") as sink:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                budget -= len(chunk)
                if written > info.file_size or budget < 0:
                    raise ValidationError(
                        _("The package looks like a zip bomb: %(name)s expands beyond its size.")
                        % {"name": name}
                    )
                sink.write(chunk)


def new_storage_key() -> str:
    return uuid.uuid4().hex


class PreparedPackage:
    """A package that passed every check and extracted within its limits into a temporary folder.

    ``store`` copies it into private storage under a new key; ``discard`` removes the folder.
    """

    def __init__(self, info: PackageInfo, folder: Path):
        self.info = info
        self.folder = folder

    def store(self) -> str:
        key = new_storage_key()
        try:
            for path in sorted(p for p in self.folder.rglob("*") if p.is_file()):
                relative = path.relative_to(self.folder).as_posix()
                with path.open("rb") as handle:
                    private_storage.save(f"{STORAGE_PREFIX}/{key}/{relative}", File(handle))
        except BaseException:
            delete_package_files(key)
            raise
        finally:
            self.discard()
        return key

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def prepare_package(upload: IO[bytes], *, size: int) -> PreparedPackage:
    """Check the package, then extract it (limits enforced) to a temporary folder.

    Raises ValidationError naming the problem; nothing is written to the package storage.
    """
    info = inspect_package(upload, size=size)
    upload.seek(0)
    folder = Path(tempfile.mkdtemp(prefix="scorm-"))
    try:
        with zipfile.ZipFile(upload) as archive:
            _extract(archive, folder)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        shutil.rmtree(folder, ignore_errors=True)
        raise ValidationError(
            _("The package is damaged: a file in it could not be extracted.")
        ) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return PreparedPackage(info, folder)


def delete_package_files(key: str) -> None:
    folder = Path(private_storage.path(f"{STORAGE_PREFIX}/{key}"))
    shutil.rmtree(folder, ignore_errors=True)


def package_file_path(key: str, relative: str) -> str | None:
    """The stored name of one file of a package, or None when the path leaves the package."""
    if not relative or "\\" in relative or "\x00" in relative or relative.startswith("/"):
        return None
    parts = relative.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    name = f"{STORAGE_PREFIX}/{key}/{relative}"
    if not private_storage.exists(name):
        return None
    root = Path(private_storage.path(f"{STORAGE_PREFIX}/{key}")).resolve()
    if root not in Path(private_storage.path(name)).resolve().parents:
        return None
    return name
