from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from accounts.models import Profession
from courses import scorm
from courses.models import CreditType, Level, ProgramPage, default_locale_code


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    program = forms.ChoiceField(label=_("Program"), required=False)
    profession = forms.ChoiceField(
        label=_("Profession"),
        required=False,
        choices=[("", _("Any profession"))] + Profession.choices,
    )
    credit_type = forms.ChoiceField(label=_("Credit"), required=False)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Any level"))] + Level.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [("", _("All programs"))] + [
            (program.code, program.title)
            for program in ProgramPage.objects.live()
            .filter(locale__language_code=default_locale_code())
            .only("code", "title")
            .order_by("path")
        ]
        self.fields["credit_type"].choices = [("", _("Any credit"))] + [
            (credit.code, credit.name) for credit in CreditType.objects.all()
        ]


class AddModuleForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=255, help_text=_("The module's title as learners see it.")
    )
    minutes = forms.IntegerField(
        label=_("Estimated time (minutes)"),
        min_value=1,
        max_value=600,
        help_text=_("Counts towards the course total that the credit hours are checked against."),
    )
    position = forms.IntegerField(
        label=_("Position"), min_value=1, help_text=_("1 is first; the post-test stays last.")
    )


class NewEditionForm(forms.Form):
    """What a new edition needs that the old one cannot lend it: its own code and version."""

    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        help_text=_("The new edition's title as the catalog shows it; usually unchanged."),
    )
    code = forms.CharField(
        label=_("New course code"),
        max_length=20,
        help_text=_("Unique across the site, e.g. CTN-101-2027. Certificates show it."),
    )
    version = forms.CharField(
        label=_("New version"),
        max_length=20,
        help_text=_("e.g. 2027. Certificates name the edition by this version."),
    )
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=255,
        required=False,
        help_text=_("The edition's web address in the program; left empty, made from the code."),
    )


class ScormPackageForm(WagtailAdminModelForm):
    """Upload a SCORM package: every check runs in ``clean``; only a valid package is stored."""

    package = forms.FileField(
        label=_("Package (zip)"),
        required=False,
        help_text=_(
            "A SCORM 1.2 or SCORM 2004 zip with imsmanifest.xml at its root. A package is never "
            "replaced: upload a new one and choose it on the module."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepared: scorm.PreparedPackage | None = None
        if self.instance.pk is None:
            self.fields["package"].required = True
            self.fields["title"].required = False  # the manifest's title when left empty
        else:
            self.fields["package"].disabled = True
        limit = settings.SCORM_MAX_UPLOAD_BYTES // (1024 * 1024)
        self.fields["package"].help_text = f"{self.fields['package'].help_text} " + str(
            _("At most %(limit)d MB.") % {"limit": limit}
        )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("package")
        if self.instance.pk is None and upload:
            try:
                self.prepared = scorm.prepare_package(upload, size=upload.size)
            except ValidationError as error:
                self.add_error("package", error)
                return cleaned
            if not cleaned.get("title"):
                cleaned["title"] = self.prepared.info.title or upload.name
        return cleaned

    def save(self, commit=True):
        package = super().save(commit=False)
        if self.prepared is not None:
            info = self.prepared.info
            package.version = info.version
            package.edition = info.edition[:100]
            package.launch_path = info.launch_path
            package.file_count = info.file_count
            package.total_bytes = info.total_bytes
            if self.for_user is not None and self.for_user.is_authenticated:
                package.uploaded_by = self.for_user
            package.storage_key = self.prepared.store()
            self.prepared = None
        if commit:
            package.save()
        return package
