"""Certificate PDFs and report exports live in the private storage (infrastructure/storage.py)."""

from infrastructure.storage import PrivateStorage, get_private_storage, private_storage

__all__ = ["PrivateStorage", "get_private_storage", "private_storage"]
