"""The admin's document form: a file must be what its name says it is."""

import os
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

OFFICE_EXTENSIONS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
TEXT_EXTENSIONS = {"csv", "txt"}


def _content_matches_extension(upload) -> bool:
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    upload.seek(0)
    try:
        if extension == "pdf":
            return upload.read(1024).lstrip().startswith(b"%PDF-")
        if extension in OFFICE_EXTENSIONS:
            try:
                with zipfile.ZipFile(upload) as archive:
                    names = archive.namelist()
            except zipfile.BadZipFile:
                return False
            return any(name.startswith(OFFICE_EXTENSIONS[extension]) for name in names)
        if extension in TEXT_EXTENSIONS:
            sample = upload.read(64 * 1024)
            if b"\x00" in sample:
                return False
            try:
                sample.decode("utf-8")
            except UnicodeDecodeError as error:
                # A multi-byte character cut by the sample's end is still text.
                return error.start >= len(sample) - 3
            return True
        return True  # not an allowed extension: Wagtail's own check says so
    finally:
        upload.seek(0)


class LessonDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # Only a new upload is checked; an unchanged file on an edit is already stored.
        if upload is not None and hasattr(upload, "content_type"):
            if not _content_matches_extension(upload):
                raise ValidationError(
                    _("The file's contents do not match its type (%(name)s)."),
                    code="content_mismatch",
                    params={"name": os.path.basename(upload.name)},
                )
        return upload
