from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from wagtail import hooks

from certificates.models import Certificate
from certificates.services import RENEWAL_WINDOW_DAYS


def certificate_links(request, certificate) -> list[dict]:
    """Links apps above certificates offer for a certificate (its Open Badges credential)."""
    found = hooks.get_hooks("lms_certificate_links")
    return [link for hook in found for link in hook(request, certificate)]


def dashboard_context(request, context):
    """Attach each completed course's certificate to its dashboard row (one query)."""
    context["transcript_url"] = reverse("certificates:transcript")
    rows = context["completed"]
    if not rows:
        return
    by_key = {
        (certificate.enrollment_id, certificate.cycle): certificate
        for certificate in Certificate.objects.filter(
            enrollment__in=[row.enrollment for row in rows]
        ).select_related("enrollment")
    }
    horizon = timezone.localdate() + timedelta(days=RENEWAL_WINDOW_DAYS)
    for row in rows:
        certificate = by_key.get((row.enrollment.pk, row.enrollment.cycle))
        row.certificate = certificate
        row.certificate_template = "certificates/dashboard_certificate.html"
        row.certificate_links = certificate_links(request, certificate) if certificate else []
        row.can_renew = bool(
            certificate
            and certificate.status == "issued"
            and certificate.expires_on
            and certificate.expires_on <= horizon
        )
