from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files that are never served directly: certificate PDFs and report exports.

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
        raise ValueError("Private files have no public URL.")


private_storage = PrivateStorage()


def get_private_storage():
    return private_storage
