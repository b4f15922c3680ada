"""The registry of organizations (imaging sites, manufacturers, sponsors, core labs, academic
centres), who belongs to which, who coordinates it, and invitations to join one."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalize_name(name: str) -> str:
    """The form two names are compared in: case and runs of spaces do not count."""
    return " ".join(name.split()).casefold()


class OrganizationKind(models.TextChoices):
    IMAGING_SITE = "imaging_site", _("Imaging site")
    MANUFACTURER = "manufacturer", _("Radiopharmaceutical manufacturer")
    SPONSOR = "sponsor", _("Sponsor")
    CORE_LAB = "core_lab", _("Core lab")
    ACADEMIC = "academic", _("Academic")


class OrganizationStatus(models.TextChoices):
    APPROVED = "approved", _("Approved")
    PENDING = "pending", _("Pending")


class OrganizationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=OrganizationStatus.APPROVED)

    def pending(self):
        return self.filter(status=OrganizationStatus.PENDING)


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200)
    # Unique: one record per name, whatever its case and spacing (see normalize_name).
    normalized_name = models.CharField(max_length=200, unique=True, editable=False)
    kind = models.CharField(_("type"), max_length=32, choices=OrganizationKind.choices, blank=True)
    site_identifier = models.CharField(
        _("site identifier"),
        max_length=50,
        blank=True,
        help_text=_("The identifier the network's registry gives the site (e.g. CTN-0042)."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.APPROVED,
        db_index=True,
    )
    # The text a learner typed (or the old free-text field held) when this record was requested:
    # kept so that nothing typed is lost when an administrator renames or merges it.
    requested_text = models.CharField(_("requested as"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.normalized_name = normalize_name(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "normalized_name"}
        super().save(*args, **kwargs)

    @property
    def is_pending(self) -> bool:
        return self.status == OrganizationStatus.PENDING

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.city, self.country) if part)


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    COORDINATOR = "coordinator", _("Site coordinator")


class Membership(models.Model):
    """A person's organization (one each) and their role there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.organization} ({self.role})"

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class InvitationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """A coordinator's invitation to one email address; its link is signed and works once."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.email} → {self.organization}"

    @property
    def state(self) -> str:
        if self.accepted_at:
            return _("accepted")
        if self.revoked_at:
            return _("withdrawn")
        if self.expires_at <= timezone.now():
            return _("expired")
        return _("open")
