from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files that are never served directly: lesson documents, certificate PDFs, report exports.

    The location is read from ``PRIVATE_STORAGE_ROOT`` when used (not at import), and there is
    no base URL: a file leaves only through a view that checks who is asking.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_overwrite", True)
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self):
        return str(self.base_location)

    def url(self, name):
        # NotImplementedError is how a storage says so (Wagtail's document view relies on it).
        raise NotImplementedError("Private files have no public URL.")


private_storage = PrivateStorage()


def get_private_storage():
    return private_storage


class PrivateDocumentStorage(PrivateStorage):
    """Documents keep their own names; a second upload of a name gets a suffix, never overwrites."""

    def __init__(self, **kwargs):
        super().__init__(allow_overwrite=False, **kwargs)


private_document_storage = PrivateDocumentStorage()


def get_private_document_storage():
    return private_document_storage
