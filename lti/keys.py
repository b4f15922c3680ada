"""The tool's RSA keys (LTI 1.3 requires RS256): files in a directory, never in the database.

One PKCS#8 PEM per key, named by its key id; the newest signs (deep-linking responses, the
client-credentials assertion for grade passback), and every key is published in the tool's JWKS.
"""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.utils import timezone
from pylti1p3.registration import Registration

KID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


class ToolKeyError(Exception):
    """No tool key: the message says what to set."""


@dataclass(frozen=True)
class ToolKey:
    kid: str
    private_pem: str
    public_pem: str
    public_key: rsa.RSAPublicKey


def key_dir() -> Path:
    return Path(settings.LTI_KEY_DIR)


def generate_key() -> str:
    directory = key_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    kid = f"{timezone.now():%Y%m%d-%H%M%S-%f}-{secrets.token_hex(2)}"
    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(directory / f"{kid}.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return kid


def _load(path: Path) -> ToolKey:
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private, rsa.RSAPrivateKey):
        raise ToolKeyError(f"{path.name} is not an RSA private key.")
    public = private.public_key()
    return ToolKey(
        kid=path.name[: -len(".pem")],
        private_pem=path.read_text(),
        public_pem=public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode(),
        public_key=public,
    )


def all_keys() -> list[ToolKey]:
    directory = key_dir()
    if not directory.is_dir():
        return []
    paths = sorted(p for p in directory.glob("*.pem") if set(p.name[:-4]) <= KID_CHARS)
    return [_load(path) for path in paths]


def signing_key() -> ToolKey:
    """The newest key; made on first use where ``LTI_GENERATE_KEYS`` allows it."""
    found = all_keys()
    if not found:
        if not settings.LTI_GENERATE_KEYS:
            raise ToolKeyError("No LTI tool key: put an RSA key in LTI_KEY_DIR.")
        generate_key()
        found = all_keys()
    return found[-1]


def jwks() -> dict:
    """Every tool key, with the thumbprint key ids pylti1p3 puts in the JWTs it signs."""
    if not all_keys():
        signing_key()  # the embedded default publishes a key before the first launch
    return {"keys": [Registration.get_jwk(key.public_pem) for key in all_keys()]}
