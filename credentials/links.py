"""The links a certificate gets from its credential: downloads and 'add to profile'."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from courses.extension_points import Link
from credentials.services import GENUINE_STATUSES

LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def linkedin_url(certificate) -> str:
    """LinkedIn's 'Add to profile' form for a licence or certification, filled in."""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": f"{certificate.course_code} {certificate.course_title}",
        "organizationName": certificate.provider,
        "issueYear": certificate.issued_at.year,
        "issueMonth": certificate.issued_at.month,
        "certUrl": certificate.verify_url,
        "certId": certificate.code,
    }
    if certificate.expires_on:
        params["expirationYear"] = certificate.expires_on.year
        params["expirationMonth"] = certificate.expires_on.month
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(params)}"


def certificate_links(request, certificate) -> tuple[Link, ...]:
    """For the certificate's owner (and administrators): the credential and the profile link."""
    user = request.user
    if certificate.status not in GENUINE_STATUSES or certificate.issued_at is None:
        return ()
    if not user.is_authenticated or not (
        certificate.enrollment.user_id == user.pk or user.has_perm("certificates.view_certificate")
    ):
        return ()
    return (
        Link(_("Open Badge (JSON)"), reverse("credentials:download_json", args=[certificate.code])),
        Link(_("Open Badge (JWT)"), reverse("credentials:download_jwt", args=[certificate.code])),
        Link(_("Add to LinkedIn profile"), linkedin_url(certificate), external=True),
    )
