from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profession(models.TextChoices):
    PHYSICIAN = "physician", _("Physician")
    TECHNOLOGIST = "technologist", _("Technologist")
    RADIOCHEMIST_PHARMACIST = "radiochemist_pharmacist", _("Radiochemist / pharmacist")
    PHYSICIST = "physicist", _("Physicist")
    RESEARCH_COORDINATOR = "research_coordinator", _("Research coordinator")
    OTHER = "other", _("Other")


# Licence IDs are printed on certificates and sent to the credentialing bodies, so only the shapes
# those bodies issue are accepted: ARRT IDs are numbers, NMTCB IDs letters and digits.
validate_arrt_id = RegexValidator(
    r"^[0-9]{1,10}\Z",
    _("Enter your ARRT ID as digits only (up to 10), with no spaces or dashes."),
    code="invalid_arrt_id",
)
validate_nmtcb_id = RegexValidator(
    r"^[A-Za-z0-9]{1,12}\Z",
    _("Enter your NMTCB ID as letters and digits only (up to 12), with no spaces or dashes."),
    code="invalid_nmtcb_id",
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with their email address; there are no usernames."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    certificate_name = models.CharField(
        _("name on certificates"),
        max_length=200,
        blank=True,
        help_text=_("Printed on your certificates exactly as written here."),
    )
    profession = models.CharField(
        _("profession"), max_length=32, choices=Profession.choices, blank=True
    )
    organization = models.CharField(_("organization"), max_length=200, blank=True, db_index=True)
    arrt_id = models.CharField(
        _("ARRT ID"), max_length=20, blank=True, validators=[validate_arrt_id]
    )
    nmtcb_id = models.CharField(
        _("NMTCB ID"), max_length=20, blank=True, validators=[validate_nmtcb_id]
    )

    # The language of the site, mails and certificates for this person: set by the header's
    # language switcher when signed in, and on the profile.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the site, your mails and your certificates."),
    )
    receives_announcements = models.BooleanField(
        _("course announcements"),
        default=True,
        help_text=_(
            "Receive the messages instructors send to the learners of your courses. "
            "Certificate and account mails are always sent."
        ),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.email

    def get_full_name(self):
        return self.full_name or f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self):
        return self.first_name or self.get_full_name()

    @property
    def name_for_certificate(self) -> str:
        return self.certificate_name or self.get_full_name()
