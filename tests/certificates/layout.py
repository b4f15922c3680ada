"""Reading a certificate PDF's text layout (pdfminer.six): where every glyph sits on the page."""

import io
from dataclasses import dataclass

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTPage, LTTextContainer


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def _glyphs(element):
    if isinstance(element, LTChar):
        if element.get_text().strip():
            yield Glyph(element.get_text(), element.x0, element.y0, element.x1, element.y1)
        return
    if isinstance(element, (LTTextContainer, LTPage)) or hasattr(element, "__iter__"):
        for child in element:
            yield from _glyphs(child)


def pages(pdf: bytes) -> list[tuple[LTPage, list[Glyph]]]:
    return [(page, list(_glyphs(page))) for page in extract_pages(io.BytesIO(pdf))]


def overlaps(glyphs: list[Glyph]) -> list[tuple[Glyph, Glyph]]:
    """Pairs of glyphs printed over each other.

    Neighbours on one baseline touch or kern ("Tr"): only more than half of the narrower one
    covered counts. Glyphs on different baselines may share their boxes' leading; more than a
    third of the shorter one's height, across any width, is text printed over text.
    """
    found = []
    ordered = sorted(glyphs, key=lambda glyph: glyph.y0)
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            if second.y0 >= first.y1:
                break
            width = min(first.x1, second.x1) - max(first.x0, second.x0)
            height = min(first.y1, second.y1) - max(first.y0, second.y0)
            if width <= 0.5 or height <= 0:
                continue
            if abs(first.y0 - second.y0) < 0.5:
                narrower = min(first.x1 - first.x0, second.x1 - second.x0)
                if width > 0.5 * narrower:
                    found.append((first, second))
            elif height > min(first.y1 - first.y0, second.y1 - second.y0) / 3:
                found.append((first, second))
    return found


def outside(page: LTPage, glyphs: list[Glyph], *, margin: float = 0) -> list[Glyph]:
    """Glyphs not wholly on the page (inside ``margin`` points of its edges)."""
    return [
        glyph
        for glyph in glyphs
        if glyph.x0 < page.x0 + margin or glyph.y0 < page.y0 + margin
        or glyph.x1 > page.x1 - margin or glyph.y1 > page.y1 - margin
    ]  # fmt: skip
