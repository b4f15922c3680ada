from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from infrastructure.ratelimit import allow
from organizations import selectors, services
from organizations.constants import (
    INVITATION_SESSION_KEY,
    SEARCH_MIN_LENGTH,
    SEARCH_RATE_LIMIT,
)


@require_safe
def search_view(request):
    """The registry's approved organizations whose name, site identifier or city match ``q``
    (JSON, for the sign-up and profile combobox). Short queries are a 400, floods a 429."""
    query = " ".join(request.GET.get("q", "").split())[:100]
    if len(query) < SEARCH_MIN_LENGTH:
        return JsonResponse(
            {"error": _("Type at least %(count)d characters.") % {"count": SEARCH_MIN_LENGTH}},
            status=400,
        )
    if not allow(request, "organization-search", limit=SEARCH_RATE_LIMIT, window=60):
        return JsonResponse({"error": _("Too many searches: wait a minute.")}, status=429)
    results = [
        {"id": o.pk, "name": o.name, "place": o.place, "kind": o.get_kind_display()}
        for o in selectors.search(query)
    ]
    return JsonResponse({"results": results})


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_view(request, token):
    """An invitation's link. Signed out: sign up (organization preset and locked) or sign in.
    Signed in: join the organization (a POST), when the invitation is for this address."""
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationError as error:
        request.session.pop(INVITATION_SESSION_KEY, None)
        return render(request, "organizations/invitation.html", {"error": str(error)}, status=400)
    context = {"invitation": invitation, "organization": invitation.organization}
    if not request.user.is_authenticated:
        request.session[INVITATION_SESSION_KEY] = token
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, "organizations/invitation.html", context)
    if invitation.email.lower() != request.user.email.lower():
        context["error"] = services.wrong_email_message(invitation)
        return render(request, "organizations/invitation.html", context, status=403)
    if request.method == "POST":
        try:
            services.accept_invitation(token=token, user=request.user)
        except services.InvitationError as error:
            context["error"] = str(error)
            return render(request, "organizations/invitation.html", context, status=400)
        request.session.pop(INVITATION_SESSION_KEY, None)
        messages.success(
            request,
            _("You have joined %(name)s.") % {"name": invitation.organization.name},
        )
        return redirect("profile")
    context["can_accept"] = True
    return render(request, "organizations/invitation.html", context)
