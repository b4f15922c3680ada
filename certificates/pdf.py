"""The certificate as a one-page landscape PDF (WeasyPrint), with a QR code to its verification."""

import functools
import io

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


class RenderError(Exception):
    """The PDF could not be made: a permanent failure, not worth retrying."""


def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def render_certificate_html(certificate) -> str:
    return render_to_string(
        "certificates/certificate_pdf.html",
        {"certificate": certificate, "qr_svg": mark_safe(qr_svg(certificate.verify_url))},  # noqa: S308 - our own SVG
    )


@functools.cache
def _font_config():
    """One font configuration per process: building it costs a third of a render."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_certificate_pdf(certificate) -> bytes:
    from weasyprint import HTML

    try:
        html = HTML(string=render_certificate_html(certificate))
        return html.write_pdf(font_config=_font_config())
    except Exception as exc:  # noqa: BLE001 - any rendering failure is permanent
        raise RenderError(f"{exc.__class__.__name__}: {exc}") from exc
