"""Public documents (issuer, keys, status lists), the learner's downloads, the verification page."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from certificates.models import Certificate
from certificates.views import CODE_PATTERN
from credentials import documents, keys, selectors, services
from credentials.forms import VerifyCredentialForm
from infrastructure.ratelimit import allow

PUBLIC_MAX_AGE = 300
VERIFY_WINDOW = 60


def _public_json(document: dict, *, content_type: str = "application/json") -> HttpResponse:
    """A document any verifier may fetch, from any origin, cached briefly."""
    response = HttpResponse(json.dumps(document, indent=2), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


def _unavailable(request, error: services.CredentialError) -> HttpResponse:
    return render(
        request,
        "enrollments/refused.html",
        {"title": _("Credential unavailable"), "message": error.message, "back_url": "/learning/"},
        status=503,
    )


@require_GET
def issuer_view(request):
    return _public_json(documents.issuer_document(), content_type="application/ld+json")


@require_GET
def jwks_view(request):
    return _public_json(documents.jwks_document(keys.public_keys()))


@require_GET
def key_view(request, kid):
    public = keys.public_keys().get(kid) if keys.is_valid_kid(kid) else None
    if public is None:
        raise Http404("No key has that id.")
    document = documents.multikey_document(kid, public)
    return _public_json(document, content_type="application/ld+json")


@require_GET
def status_list_view(request, number):
    if not selectors.status_list_exists(status_list=number):
        raise Http404("No status list has that number.")
    try:
        document = services.status_list_credential(status_list=number)
    except services.CredentialError as error:
        return JsonResponse({"error": error.message}, status=503)
    return _public_json(document, content_type="application/vc")


@require_GET
def achievement_view(request, course_code):
    certificate = selectors.latest_certificate_for_course(course_code=course_code)
    if certificate is None:
        raise Http404("No achievement has that code.")
    context = [documents.VC_CONTEXT, documents.OB_CONTEXT]
    document = {"@context": context, **documents.achievement(certificate)}
    return _public_json(document, content_type="application/ld+json")


def _owned_certificate(request, code) -> Certificate:
    """The owner and administrators only; to anyone else the certificate does not exist."""
    if not CODE_PATTERN.match(code):
        raise Http404
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrollment__user"),
        code=code,
        status__in=services.GENUINE_STATUSES,
    )
    is_owner = certificate.enrollment.user_id == request.user.pk
    if not (is_owner or request.user.has_perm("certificates.view_certificate")):
        raise Http404
    return certificate


def _attachment(body: str, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def download_json_view(request, code):
    certificate = _owned_certificate(request, code)
    try:
        credential = services.signed_credential(certificate=certificate)
    except services.CredentialError as error:
        return _unavailable(request, error)
    return _attachment(
        json.dumps(credential, indent=2, ensure_ascii=False),
        filename=f"credential-{certificate.course_code}-{certificate.code[:8]}.json",
        content_type="application/vc",
    )


@require_GET
@login_required
def download_jwt_view(request, code):
    certificate = _owned_certificate(request, code)
    try:
        token = services.credential_jwt(certificate=certificate)
    except services.CredentialError as error:
        return _unavailable(request, error)
    return _attachment(
        token,
        filename=f"credential-{certificate.course_code}-{certificate.code[:8]}.jwt",
        content_type="application/vc+jwt",
    )


@require_http_methods(["GET", "POST"])
def verify_view(request):
    """Upload or paste a credential: genuine and valid, revoked, expired, or not ours/altered."""
    form = VerifyCredentialForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if not allow(request, "verify", limit=settings.LMS_VERIFY_RATE_LIMIT, window=VERIFY_WINDOW):
            return render(request, "certificates/rate_limited.html", status=429)
        if form.is_valid():
            result = services.verify_credential(
                data=form.cleaned_data["data"], email=form.cleaned_data["email"]
            )
        else:
            status = 400
    return render(
        request,
        "credentials/verify.html",
        {"form": form, "result": result, "summary": _summary(result),
         "issuer_url": documents.issuer_id(), "jwks_url": documents.absolute("credentials:jwks")},
        status=status,
    )  # fmt: skip


def _summary(result) -> dict | None:
    """What the page lists about a genuine credential, read from its verified content."""
    if result is None or not result.is_genuine:
        return None
    credential = result.credential
    subject = credential.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    names = [
        identity.get("identityHash")
        for identity in subject.get("identifier") or []
        if isinstance(identity, dict) and identity.get("identityType") == "name"
    ]
    issuer = credential.get("issuer")
    return {
        "learner": names[0] if names else "",
        "achievement": achievement.get("name", ""),
        "code": achievement.get("humanCode", ""),
        "description": achievement.get("description", ""),
        "issuer": issuer.get("name", "") if isinstance(issuer, dict) else issuer,
        "completed": (subject.get("activityEndDate") or "")[:10],
        "valid_from": (credential.get("validFrom") or "")[:10],
        "valid_until": (credential.get("validUntil") or "")[:10],
        "id": credential.get("id", ""),
    }
