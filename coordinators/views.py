"""The site coordinator's pages (/site/): their organization's people, study rosters and
invitations. Every route names the organization and answers 404 to anyone who does not
coordinate it, whatever else they may be (administrators use the reports)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coordinators import exports, selectors, services
from coordinators.forms import InviteForm, SaveStudyForm, StudyForm
from coordinators.models import StudyRoster
from organizations import services as organizations
from organizations.models import Invitation, Organization
from organizations.selectors import coordinated_organizations


def _organization(request, organization_id: int) -> Organization:
    organization = coordinated_organizations(request.user.pk).filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    return organization


@require_safe
@login_required
def home_view(request):
    """/site/: the coordinator's organization (or a 404 for anyone who coordinates none)."""
    organization = coordinated_organizations(request.user.pk).order_by("name").first()
    if organization is None:
        raise Http404
    return redirect("coordinators:roster", organization_id=organization.pk)


@require_safe
@login_required
def roster_view(request, organization_id):
    organization = _organization(request, organization_id)
    today = timezone.localdate()
    return render(request, "coordinators/roster.html", {
        "organization": organization, "people": selectors.people(organization, today=today),
        "today": today, "standings": selectors.Standing,
    })  # fmt: skip


@require_safe
@login_required
def person_view(request, organization_id, user_id):
    organization = _organization(request, organization_id)
    today = timezone.localdate()
    entry = selectors.person(organization, user_id, today=today)
    if entry is None:
        raise Http404
    return render(request, "coordinators/person.html", {
        "organization": organization, "person": entry, "today": today,
        "standings": selectors.Standing,
    })  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def studies_view(request, organization_id):
    """Check "trained on D in courses S" (a GET with the form's fields), then save it under the
    study's name (a POST) as a study roster."""
    organization = _organization(request, organization_id)
    context = {"organization": organization,
               "rosters": StudyRoster.objects.filter(organization=organization)}  # fmt: skip
    status = 200
    if request.method == "POST":
        save_form = SaveStudyForm(request.POST)
        if save_form.is_valid():
            data = save_form.cleaned_data
            roster = services.create_study_roster(
                organization=organization, name=data["name"], on_date=data["on_date"],
                courses=list(data["courses"]), created_by=request.user,
            )  # fmt: skip
            messages.success(request, _("Study roster saved."))
            return redirect("coordinators:study", organization_id=organization.pk,
                            roster_id=roster.pk)  # fmt: skip
        form = StudyForm(request.POST)
        context["save_form"] = save_form
        status = 400
    elif "on_date" in request.GET or "courses" in request.GET:
        form = StudyForm(request.GET)
        status = 200 if form.is_valid() else 400
    else:
        form = StudyForm(initial={"on_date": timezone.localdate()})
    if form.is_bound and form.is_valid():
        courses = list(form.cleaned_data["courses"])
        context.update(
            courses=courses,
            on_date=form.cleaned_data["on_date"],
            rows=selectors.trained_on(
                organization, on_date=form.cleaned_data["on_date"], courses=courses
            ),
        )
        context.setdefault("save_form", SaveStudyForm(initial={
            "on_date": form.cleaned_data["on_date"], "courses": courses}))  # fmt: skip
    context["form"] = form
    return render(request, "coordinators/studies.html", context, status=status)


def _study(request, organization_id, roster_id):
    organization = _organization(request, organization_id)
    roster = get_object_or_404(StudyRoster, pk=roster_id, organization=organization)
    courses = list(roster.courses.order_by("code"))
    rows = selectors.trained_on(organization, on_date=roster.on_date, courses=courses)
    return organization, roster, courses, rows


@require_safe
@login_required
def study_view(request, organization_id, roster_id):
    organization, roster, courses, rows = _study(request, organization_id, roster_id)
    return render(request, "coordinators/study.html", {
        "organization": organization, "roster": roster, "courses": courses, "rows": rows,
        "trained": sum(1 for row in rows if row.trained),
    })  # fmt: skip


@require_safe
@login_required
def study_csv_view(request, organization_id, roster_id):
    _org, roster, courses, rows = _study(request, organization_id, roster_id)
    return exports.roster_csv(roster, rows, courses)


@require_safe
@login_required
def study_pdf_view(request, organization_id, roster_id):
    _org, roster, courses, rows = _study(request, organization_id, roster_id)
    return exports.roster_pdf(roster, rows, courses)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def invitations_view(request, organization_id):
    organization = _organization(request, organization_id)
    form = InviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            email = form.cleaned_data["email"]
            organizations.invite(organization=organization, email=email, invited_by=request.user)
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})
            return redirect("coordinators:invitations", organization_id=organization.pk)
        status = 400
    invitations = Invitation.objects.filter(organization=organization).select_related(
        "accepted_by"
    )[:200]
    return render(request, "coordinators/invitations.html", {
        "organization": organization, "form": form, "invitations": invitations,
    }, status=status)  # fmt: skip


@require_POST
@login_required
def withdraw_invitation_view(request, organization_id, invitation_id):
    organization = _organization(request, organization_id)
    invitation = get_object_or_404(Invitation, pk=invitation_id, organization=organization)
    if organizations.withdraw_invitation(invitation=invitation):
        messages.success(
            request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email}
        )
    else:
        messages.warning(request, _("That invitation was no longer open."))
    return redirect("coordinators:invitations", organization_id=organization.pk)
