"""Verification codes people can read aloud and type.

New codes use 31 characters without look-alikes (no 0/O, 1/I/L) and are printed in groups of
five: ``7KQ4M-X2H9P-...``. Whatever a person types is accepted in any case, with or without
spaces or dashes. Codes issued before (22 characters of URL-safe base64, case-sensitive) still
verify exactly as printed.
"""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 25  # 25 x log2(31) = 124 random bits
GROUP = 5
CANONICAL = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")
LEGACY = re.compile(r"^[A-Za-z0-9_-]{16,32}$")
STORED = LEGACY  # every stored code, new or older, has this shape
SEPARATORS = re.compile(r"[\s\-‐‑–—.·_]+")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def grouped(code: str) -> str:
    """A new code in groups of five for print and screen; an older code as it was issued."""
    if not CANONICAL.match(code):
        return code
    return "-".join(code[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def candidates(typed: str) -> list[str]:
    """The stored codes a typed code may mean: as typed (older codes are case-sensitive), and
    without separators in capitals (new codes). Empty when it cannot be a code at all."""
    raw = typed.strip()
    found = []
    if LEGACY.match(raw):
        found.append(raw)
    normalized = SEPARATORS.sub("", raw).upper()
    if CANONICAL.match(normalized) and normalized not in found:
        found.append(normalized)
    return found
