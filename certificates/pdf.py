"""The certificate as a one-page landscape PDF (WeasyPrint), with a QR code to its verification."""

import functools
import io
import math
import unicodedata

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe


class RenderError(Exception):
    """The PDF could not be made: a permanent failure, not worth retrying."""


def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


# Rough advance widths in ems for the serif face: enough to choose a size, not to typeset.
_NARROW = set("iljtfrI.,;:'!|()[] ")
_WIDE = set("MWmw@%")


def _em_width(text: str) -> float:
    width = 0.0
    for char in text:
        if char in _NARROW:
            width += 0.32
        elif char in _WIDE or unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.05
        elif char.isupper() or char.isdigit():
            width += 0.72
        else:
            width += 0.58
    return width


def _fit(text: str, *, sizes, width_pt: float, max_height_pt: float, leading: float) -> float:
    """The largest size whose wrapped lines fit the height (with slack for word wrapping)."""
    em = _em_width(text) * 1.15 + 1
    for size in sizes:
        lines = max(1, math.ceil(em * size / width_pt))
        if lines * size * leading <= max_height_pt:
            return size
    return sizes[-1]


def layout(certificate) -> dict:
    """Font sizes that keep the longest name, title and statements above the footer.

    The page's body has a fixed height; each part gets a share of it, and its text shrinks
    (never below a legible size) until it fits its share.
    """
    name = certificate.learner_name or ""
    wide_name = _em_width(name) > 30
    name_width = 88 if wide_name else 70
    name_pt = _fit(name, sizes=(25, 22, 19, 16, 14, 12, 11, 10), width_pt=662 * name_width / 100,
                   max_height_pt=60, leading=1.15)  # fmt: skip
    course_pt = _fit(certificate.course_title or "", sizes=(14.5, 13, 12, 11, 10, 9),
                     width_pt=662 * 0.88, max_height_pt=44, leading=1.2)  # fmt: skip
    statements = " ".join(
        credit.get("statement", "") for credit in [*certificate.credits,
                                                   *(certificate.participation or [])]
    )  # fmt: skip
    rows = len(certificate.credits) + len(certificate.participation or [])
    statement_budget = (88 if certificate.is_gcp else 130) - rows * 6
    statement_pt = _fit(statements, sizes=(8, 7.5, 7, 6.5, 6, 5.5), width_pt=662 * 0.7,
                        max_height_pt=max(statement_budget, 40), leading=1.25)  # fmt: skip
    return {"name_pt": name_pt, "name_width": name_width, "course_pt": course_pt,
            "statement_pt": statement_pt}  # fmt: skip


def certificate_language(certificate) -> str:
    """The learner's language (accounts.User.language): the certificate is printed in it."""
    enrollment = getattr(certificate, "enrollment", None) if certificate.enrollment_id else None
    user = enrollment.user if enrollment is not None else None
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def localized_course_title(certificate) -> str:
    """The course's title in the active language when the course is translated into it (a
    translated course is the same course); otherwise the title the certificate recorded."""
    from courses.models import CoursePage, in_default_language

    if in_default_language() or not certificate.enrollment_id:
        return certificate.course_title
    course = CoursePage.objects.filter(pk=certificate.enrollment.course_id).first()
    translated = course.localized if course is not None else None
    if translated is None or translated.pk == course.pk:
        return certificate.course_title
    return translated.title


def render_certificate_html(certificate) -> str:
    """Headings, dates and labels in the learner's language; the accreditation statements as
    approved (English), labelled as such on a translated certificate."""
    with translation.override(certificate_language(certificate)):
        return render_to_string(
            "certificates/certificate_pdf.html",
            {
                "certificate": certificate,
                "course_title": localized_course_title(certificate),
                "layout": layout(certificate),
                "qr_svg": mark_safe(qr_svg(certificate.verify_url)),  # noqa: S308 - our own SVG
            },
        )


@functools.cache
def _font_config():
    """One font configuration per process: building it costs a third of a render."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def warm_up() -> None:
    """Load WeasyPrint and the fonts now (a worker process's start), not on its first certificate.

    The first render in a process costs several renders: imports, the font configuration and
    the fonts' first layout.
    """
    from weasyprint import HTML

    HTML(string='<html lang="en"><body style="font-family: serif">Warm</body></html>').write_pdf(
        font_config=_font_config()
    )


# Tagged PDF/UA: a screen reader reads it in order; title, language (<html lang>) and subject
# (<meta name="description">) come from the template.
PDF_VARIANT = "pdf/ua-1"


def render_certificate_pdf(certificate) -> bytes:
    from weasyprint import HTML

    try:
        html = HTML(string=render_certificate_html(certificate))
        return html.write_pdf(font_config=_font_config(), pdf_variant=PDF_VARIANT)
    except Exception as exc:  # noqa: BLE001 - any rendering failure is permanent
        raise RenderError(f"{exc.__class__.__name__}: {exc}") from exc


def render_transcript_pdf(*, user, data: dict) -> bytes:
    """One board cycle of a learner's transcript, for an audit."""
    from weasyprint import HTML

    from home.models import SiteSettings

    site_settings = SiteSettings.objects.filter(site__is_default_site=True).first()
    html = render_to_string(
        "certificates/transcript_pdf.html",
        {
            **data,
            "user": user,
            "provider": site_settings.organization_name if site_settings else "",
        },
    )
    return HTML(string=html).write_pdf(font_config=_font_config())
