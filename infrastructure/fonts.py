"""Which characters the installed fonts can draw: what a certificate can print without boxes.

WeasyPrint (through Pango and fontconfig) falls back from the certificate's fonts to any installed
font that has a glyph, so a character is printable when some installed font maps it. The union of
their character maps is read once per process.
"""

import functools
import logging
import shutil
import subprocess  # noqa: S404 - fixed arguments, no shell

logger = logging.getLogger(__name__)


@functools.cache
def drawable_codepoints() -> frozenset[int] | None:
    """Every code point some installed font maps; None when fontconfig cannot be asked."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        logger.warning("fc-list not found: names are not checked against the certificate fonts")
        return None
    try:
        listing = subprocess.run(  # noqa: S603 - fixed arguments
            [fc_list, "--format", "%{file}\n"], capture_output=True, text=True, timeout=20,
            check=True,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as error:
        logger.warning("fc-list failed (%s): names are not checked against the fonts", error)
        return None
    codepoints: set[int] = set()
    for path in sorted(set(filter(None, listing.stdout.splitlines()))):
        try:
            fonts = (
                TTCollection(path, lazy=True).fonts
                if path.lower().endswith((".ttc", ".otc"))
                else [TTFont(path, lazy=True)]
            )
            for font in fonts:
                codepoints.update(font.getBestCmap() or {})
        except (OSError, TTLibError, AssertionError, KeyError) as error:
            logger.info("Font %s skipped: %s", path, error)
    return frozenset(codepoints)


def undrawable(text: str) -> list[str]:
    """The characters of ``text`` no installed font can draw (empty when it cannot tell)."""
    codepoints = drawable_codepoints()
    if codepoints is None:
        return []
    return [char for char in dict.fromkeys(text) if ord(char) not in codepoints]
