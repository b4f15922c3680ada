"""Writes of the organization registry: affiliation, requests, approval, merging, invitations."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import ForeignKey
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.constants import INVITATION_DAYS
from organizations.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationStatus,
    Role,
    normalize_name,
)

INVITATION_SALT = "organizations.invitation"


def organization_for_name(*, name: str) -> Organization:
    """The record a typed name means (case and spaces aside), or a new pending one holding it."""
    cleaned = " ".join(name.split())
    organization, _created = Organization.objects.get_or_create(
        normalized_name=normalize_name(cleaned),
        defaults={"name": cleaned, "status": OrganizationStatus.PENDING, "requested_text": name},
    )
    return organization


@transaction.atomic
def affiliate(*, user: Any, organization: Organization, role: str | None = None) -> Membership:
    """Make ``organization`` the person's organization (their one membership).

    Moving to another organization makes them a member there (a coordinator's role stays with
    the organization it was given for). The user's organization text follows the record's name,
    so every report that reads it agrees.
    """
    membership = Membership.objects.filter(user=user).first()
    if membership is None:
        membership = Membership.objects.create(
            user=user, organization=organization, role=role or Role.MEMBER
        )
    elif membership.organization_id != organization.pk or (role and membership.role != role):
        if membership.organization_id != organization.pk:
            membership.joined_at = timezone.now()
            membership.role = role or Role.MEMBER
        else:
            membership.role = role or membership.role
        membership.organization = organization
        membership.save()
    get_user_model().objects.filter(pk=user.pk).update(organization=organization.name)
    user.organization = organization.name
    return membership


@transaction.atomic
def approve(*, organization: Organization) -> None:
    """A pending organization joins the registry (learners may choose it)."""
    Organization.objects.filter(pk=organization.pk).update(status=OrganizationStatus.APPROVED)
    organization.status = OrganizationStatus.APPROVED


@transaction.atomic
def merge(*, duplicate: Organization, into: Organization) -> int:
    """Move everything of ``duplicate`` (members, coordinators, invitations, and any other app's
    rows that point at it) to ``into``, then delete ``duplicate``. Returns the members moved.

    The duplicate's requested text is kept on ``into`` when that holds none.
    """
    if duplicate.pk == into.pk:
        raise ValueError("An organization cannot be merged into itself.")
    moved = Membership.objects.filter(organization=duplicate).count()
    for relation in Organization._meta.related_objects:
        if isinstance(relation.field, ForeignKey):
            relation.related_model._default_manager.filter(
                **{relation.field.name: duplicate}
            ).update(**{relation.field.name: into})
    get_user_model().objects.filter(membership__organization=into).update(organization=into.name)
    if duplicate.requested_text and not into.requested_text:
        Organization.objects.filter(pk=into.pk).update(requested_text=duplicate.requested_text)
    duplicate.delete()
    return moved


# --- Invitations --------------------------------------------------------------------------------


class InvitationError(Exception):
    """An invitation link that cannot be used; the message says why, for the person holding it."""


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT)


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    token: str


@transaction.atomic
def invite(*, organization: Organization, email: str, invited_by: Any) -> SentInvitation:
    """Invite ``email`` to ``organization``: one open invitation per address (a repeat replaces
    the old link), mailed with a signed link that works once, for INVITATION_DAYS days.
    """
    email = email.strip().lower()
    now = timezone.now()
    Invitation.objects.open().filter(organization=organization, email__iexact=email).update(
        revoked_at=now
    )
    invitation = Invitation.objects.create(
        organization=organization, email=email, invited_by=invited_by,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )  # fmt: skip
    token = invitation_token(invitation)
    context = {
        "organization": organization,
        "inviter": invited_by.get_full_name() if invited_by else "",
        "url": settings.SITE_URL + reverse("organizations:invitation", kwargs={"token": token}),
        "days": INVITATION_DAYS,
    }
    transaction.on_commit(
        lambda: send_mail(
            render_to_string("organizations/email/invitation_subject.txt", context).strip(),
            render_to_string("organizations/email/invitation_message.txt", context),
            None,
            [email],
        )
    )
    return SentInvitation(invitation, token)


def invitation_for_token(token: str) -> Invitation:
    """The open invitation a token names; InvitationError (with the reason) otherwise."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT)
        invitation = Invitation.objects.select_related("organization").get(
            pk=int(data["i"]), nonce=str(data["n"])
        )
    except (signing.BadSignature, Invitation.DoesNotExist, KeyError, TypeError, ValueError):
        raise InvitationError(
            _("This invitation link is not valid. Check that you copied the whole link.")
        ) from None
    if invitation.accepted_at:
        raise InvitationError(
            _("This invitation has already been used. Sign in to see your organization.")
        )
    if invitation.revoked_at:
        raise InvitationError(
            _("This invitation was withdrawn. Ask your site coordinator for a new one.")
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _("This invitation expired on %(date)s. Ask your site coordinator for a new one.")
            % {"date": timezone.localdate(invitation.expires_at).isoformat()}
        )
    return invitation


def wrong_email_message(invitation: Invitation) -> str:
    return _(
        "This invitation was sent to %(email)s. Sign in (or sign up) with that address to accept "
        "it."
    ) % {"email": invitation.email}


@transaction.atomic
def accept_invitation(*, token: str, user: Any) -> Membership:
    """The invited person joins the organization; the invitation works once, for its address."""
    invitation = invitation_for_token(token)
    if invitation.email.lower() != user.email.lower():
        raise InvitationError(wrong_email_message(invitation))
    claimed = (
        Invitation.objects.open()
        .filter(pk=invitation.pk)
        .update(accepted_at=timezone.now(), accepted_by=user)
    )
    if not claimed:  # a concurrent acceptance won
        raise InvitationError(
            _("This invitation has already been used. Sign in to see your organization.")
        )
    return affiliate(user=user, organization=invitation.organization)


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation) -> bool:
    return bool(
        Invitation.objects.open().filter(pk=invitation.pk).update(revoked_at=timezone.now())
    )
