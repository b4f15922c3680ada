import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from certificates import codes, page_hooks, selectors, services
from certificates.forms import BoardCertificationForm, VerifyCodeForm, VerifyPdfForm
from certificates.models import Certificate, CertificateStatus, PublicState
from courses.extension_points import certificate_links
from enrollments.models import Enrollment
from infrastructure.ratelimit import allow
from infrastructure.spreadsheets import csv_writer

# A code as stored (new and older codes both fit): a cheap guard before a look-up by exact code.
CODE_PATTERN = codes.STORED
VERIFY_WINDOW = 60


def _verifiable(code: str) -> Certificate:
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        raise Http404("No certificate has that code.")
    return certificate


def _miss(request, form):
    """No certificate has the typed code: the form again, saying what to check (a 404)."""
    return render(request, "certificates/verify_lookup.html", {"form": form, "miss": True},
                  status=404)  # fmt: skip


def _rate_limited(request):
    if allow(request, "verify", limit=settings.LMS_VERIFY_RATE_LIMIT, window=VERIFY_WINDOW):
        return None
    return render(request, "certificates/rate_limited.html", status=429)


@require_safe
def lookup_view(request):
    """/verify/: type a code from a certificate; a match goes to its verification page."""
    if "code" not in request.GET:
        return render(request, "certificates/verify_lookup.html", {"form": VerifyCodeForm()})
    if limited := _rate_limited(request):
        return limited
    form = VerifyCodeForm(request.GET)
    if not form.is_valid():
        return render(request, "certificates/verify_lookup.html", {"form": form}, status=400)
    certificate = selectors.certificate_by_code(form.cleaned_data["code"])
    if certificate is None:
        return _miss(request, form)
    return redirect(certificate.get_absolute_url())


@require_safe
def verify_view(request, code):
    """Public, with no form on it: anonymous visitors may be served it from the page cache.

    A code typed another way (small letters, spaces) goes to the certificate's own address; a
    miss explains itself with the lookup form, never a bare 404.
    """
    if limited := _rate_limited(request):
        return limited
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        return _miss(request, VerifyCodeForm({"code": code[:64]}))
    if certificate.code != code:
        return redirect(certificate.get_absolute_url())
    return render(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "state": certificate.public_state,
            "states": PublicState,
            "links": certificate_links(request, certificate),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def verify_pdf_view(request, code):
    """Upload a PDF: does its SHA-256 match a file issued under this code? Nothing is stored."""
    if limited := _rate_limited(request):
        return limited
    certificate = _verifiable(code)
    form = VerifyPdfForm(request.POST or None, request.FILES or None)
    match = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            digest = hashlib.sha256()
            for chunk in form.cleaned_data["pdf"].chunks():
                digest.update(chunk)
            hexdigest = digest.hexdigest()
            current = certificate.files.first()
            if current and current.sha256 == hexdigest:
                match = "current"
            elif certificate.files.filter(sha256=hexdigest).exists():
                match = "superseded"
            else:
                match = "mismatch"
        else:
            status = 400
    return render(
        request,
        "certificates/verify_pdf.html",
        {"certificate": certificate, "state": certificate.public_state, "form": form,
         "match": match},
        status=status,
    )  # fmt: skip


@require_safe
@login_required
def download_view(request, code):
    """The owner and administrators only; to anyone else the certificate does not exist."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrollment"),
        code=code,
        status__in=[CertificateStatus.ISSUED, CertificateStatus.ARCHIVED,
                    CertificateStatus.REVOKED],
    )  # fmt: skip
    is_owner = certificate.enrollment.user_id == request.user.pk
    if not (is_owner or request.user.has_perm("certificates.view_certificate")):
        raise Http404
    stored = certificate.files.first()
    if stored is None:
        raise Http404
    filename = f"certificate-{certificate.course_code}-{certificate.code[:8]}.pdf"
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=filename,
                        content_type="application/pdf")  # fmt: skip


@require_safe
@login_required
def transcript_view(request):
    """The learner's transcript; ``?cycle=<certification>:<n>`` narrows it to one board cycle,
    which exports as CSV or PDF for an audit."""
    cycles = selectors.cycle_choices(request.user, today=timezone.localdate())
    chosen = request.GET.get("cycle", "")
    if chosen:
        cycle_data = selectors.cycle_transcript(request.user, key=chosen)
        if cycle_data is None:
            return render(request, "certificates/transcript.html",
                          {"cycles": cycles, "cycle_error": True, "certificates": [],
                           "totals": []}, status=400)  # fmt: skip
        data = {**cycle_data, "cycles": cycles, "chosen": chosen}
    else:
        data = {**selectors.transcript(request.user), "cycles": cycles}
    export = request.GET.get("format")
    if export == "csv":
        return _transcript_csv(request.user, data)
    if export == "pdf" and chosen:
        return _transcript_pdf(request.user, data)
    return render(request, "certificates/transcript.html", data)


def _transcript_pdf(user, data) -> HttpResponse:
    from certificates.pdf import render_transcript_pdf

    pdf = render_transcript_pdf(user=user, data=data)
    response = HttpResponse(pdf, content_type="application/pdf")
    cycle = data["cycle"]
    name = f"transcript-{data['board'].code}-{cycle.start:%Y%m%d}-{cycle.end:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _transcript_csv(user, data) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="transcript.csv"'
    writer = csv_writer(response)
    writer.writerow(["Learner", user.name_for_certificate, "Email", user.email])
    if data.get("cycle"):
        board, cycle = data["board"], data["cycle"]
        writer.writerow([
            "Board", board.name, "Number", data["certification"].number, "Cycle",
            f"{cycle.start:%Y-%m-%d} to {cycle.end:%Y-%m-%d}", "Earned", data["earned"],
            "Required", board.credits_required,
        ])  # fmt: skip
    writer.writerow([])
    writer.writerow(["Course code", "Course", "Completed", "Expires", "Status", "Credits",
                     "Activity identifiers", "Verification code", "Verification URL"])  # fmt: skip
    for certificate in data["certificates"]:
        writer.writerow([
            certificate.course_code, certificate.course_title, certificate.completed_on,
            certificate.expires_on or "", certificate.public_state, certificate.credits_summary,
            certificate.activity_ids_summary, certificate.code, certificate.verify_url,
        ])  # fmt: skip
    writer.writerow([])
    writer.writerow(["Credit type", "Total hours", "Courses"])
    for total in data["totals"]:
        writer.writerow([total["name"], total["hours"], total["courses"]])
    return response


@require_safe
@login_required
def status_view(request, enrollment_id):
    """JSON for a page waiting for the certificate: is it ready, and its line once it is.

    Polled by static/js/site.js; only the learner's own enrollment (anyone else's is a 404).
    """
    enrollment = get_object_or_404(Enrollment, pk=enrollment_id, user=request.user)
    certificate = Certificate.objects.filter(enrollment=enrollment, cycle=enrollment.cycle).first()
    status = certificate.status if certificate else CertificateStatus.PENDING
    data = {"status": status, "ready": status != CertificateStatus.PENDING}
    if data["ready"]:
        line = page_hooks.certificate_line(
            request, enrollment_id=enrollment.pk, certificate=certificate
        )
        data["html"] = render_to_string(line.template, dict(line.context), request=request)
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def renew_view(request, enrollment_id):
    enrollment = get_object_or_404(Enrollment, pk=enrollment_id, user=request.user)
    try:
        services.renew_enrollment(enrollment=enrollment, user=request.user)
    except services.CertificateError as error:
        messages.error(request, error.message)
        return render(request, "enrollments/refused.html",
                      {"message": error.message, "back_url": "/learning/",
                       "title": "Renewal not started"}, status=409)  # fmt: skip
    messages.success(
        request,
        "Renewal started: complete the course again for a new certificate. "
        "Your current certificate stays on record.",
    )
    return redirect(enrollment.course.url)


@require_http_methods(["GET", "POST"])
@login_required
def boards_view(request):
    """The learner's board certifications: add one, or see what they have recorded."""
    form = BoardCertificationForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_board_certification(user=request.user, **form.cleaned_data)
            except services.CertificateError as error:
                form.add_error("board", error.message)
            else:
                messages.success(request, _("Certification recorded."))
                return redirect("certificates:boards")
    today = timezone.localdate()
    return render(
        request, "certificates/boards.html",
        {"form": form, "progress": selectors.board_progress(request.user, today=today)},
        status=400 if form.errors else 200,
    )  # fmt: skip


@require_POST
@login_required
def board_remove_view(request, certification_id):
    try:
        services.remove_board_certification(user=request.user, certification_id=certification_id)
    except services.CertificateError as error:
        raise Http404(error.message) from error
    messages.success(request, _("Certification removed."))
    return redirect("certificates:boards")
