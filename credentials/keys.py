"""The Ed25519 keys that sign credentials: files in a directory, never in the database or the repo.

One file per key, named by its key id: ``<kid>.pem`` holds a private key (PKCS#8), and
``<kid>.pub.pem`` a retired key's public half. Key ids start with the date they were made, so the
newest private key signs (unless ``CREDENTIALS_ACTIVE_KEY`` names one); every key, retired or
not, stays published, so a credential signed years ago still verifies.
"""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone

KID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
ED25519_MULTICODEC = b"\xed\x01"
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class SigningKeyError(Exception):
    """No key can sign: the message says what to set."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private: Ed25519PrivateKey


def key_dir() -> Path:
    return Path(settings.CREDENTIALS_KEY_DIR)


def is_valid_kid(kid: str) -> bool:
    return 0 < len(kid) <= 64 and set(kid) <= KID_CHARS


def _new_kid() -> str:
    # Sortable to the microsecond: the newest key sorts last, even two made in one second.
    return f"{timezone.now():%Y%m%d-%H%M%S-%f}-{secrets.token_hex(2)}"


def _write_new(path: Path, data: bytes) -> None:
    # O_EXCL: two processes generating on a first run each write their own file, never half of one.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def generate_key() -> str:
    """Make a new private key in the key directory; being the newest, it signs from now on."""
    directory = key_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    kid = _new_kid()
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write_new(directory / f"{kid}.pem", pem)
    return kid


def retire_key(kid: str) -> None:
    """Keep only the public half of a key: it verifies what it signed and signs nothing more."""
    private_path = key_dir() / f"{kid}.pem"
    if not is_valid_kid(kid) or not private_path.is_file():
        raise SigningKeyError(f"No private key named {kid!r} in the key directory.")
    public = _load_private(private_path).public_key()
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write_new(key_dir() / f"{kid}.pub.pem", pem)
    private_path.unlink()


def _load_private(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path.name} is not an Ed25519 private key.")
    return key


def _load_public(path: Path) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{path.name} is not an Ed25519 public key.")
    return key


def _private_kids() -> list[str]:
    directory = key_dir()
    if not directory.is_dir():
        return []
    names = (p.name[: -len(".pem")] for p in directory.glob("*.pem"))
    return sorted(n for n in names if not n.endswith(".pub") and is_valid_kid(n))


def signing_key() -> SigningKey:
    """The key that signs now; made on first use where ``CREDENTIALS_GENERATE_KEYS`` allows it."""
    kids = _private_kids()
    if not kids:
        if not settings.CREDENTIALS_GENERATE_KEYS:
            raise SigningKeyError(
                "No credential signing key: put an Ed25519 key in CREDENTIALS_KEY_DIR "
                "(manage.py credential_keys rotate makes one)."
            )
        generate_key()
        kids = _private_kids()
    kid = settings.CREDENTIALS_ACTIVE_KEY or kids[-1]
    if kid not in kids:
        raise SigningKeyError(f"CREDENTIALS_ACTIVE_KEY names {kid!r}, which has no private key.")
    return SigningKey(kid=kid, private=_load_private(key_dir() / f"{kid}.pem"))


def public_keys() -> dict[str, Ed25519PublicKey]:
    """Every key ever used, active or retired, by key id (oldest first)."""
    directory = key_dir()
    keys: dict[str, Ed25519PublicKey] = {}
    if not directory.is_dir():
        return keys
    for path in sorted(directory.glob("*.pem")):
        name = path.name[: -len(".pem")]
        if name.endswith(".pub"):
            kid = name[: -len(".pub")]
            if is_valid_kid(kid):
                keys[kid] = _load_public(path)
        elif is_valid_kid(name):
            keys[name] = _load_private(path).public_key()
    return dict(sorted(keys.items()))


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = BASE58_ALPHABET[remainder] + encoded
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + encoded


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = BASE58_ALPHABET.find(char)
        if index < 0:
            raise ValueError("not base58btc")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    leading_zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * leading_zeros + body


def public_key_multibase(key: Ed25519PublicKey) -> str:
    """The Multikey form: multibase base58btc ('z') of the ed25519-pub multicodec and the key."""
    return "z" + base58btc_encode(ED25519_MULTICODEC + raw_public(key))


def describe_keys() -> list[str]:
    """One line per key: its id, and whether it signs, can sign, or only verifies."""
    private = set(_private_kids())
    try:
        active = signing_key().kid if private else None
    except SigningKeyError:
        active = None
    lines = []
    for kid in public_keys():
        if kid == active:
            lines.append(f"{kid}  signing")
        elif kid in private:
            lines.append(f"{kid}  private key present")
        else:
            lines.append(f"{kid}  retired (verifies only)")
    return lines
