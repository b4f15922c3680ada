import copy
import datetime
import json
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Prefetch
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks as wagtail_blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from accounts.models import Profession
from courses import extension_points
from courses.blocks import QuizStreamBlock
from courses.fields import ChoiceListField, ChoiceListPanel
from courses.permissions import permitted_page_paths, within
from courses.scorm import delete_package_files
from courses.statements import fill_statement, validate_statement
from home.blocks import LessonStreamBlock
from infrastructure import render_cache, shell

# What a list of modules shows (title, link, minutes, quiz badge): no lesson or quiz content.
MODULE_LISTING_FIELDS = (
    "id", "title", "slug", "url_path", "path", "depth", "estimated_minutes", "quiz_kind",
    "locale_id", "live", "content_type_id", "translation_key", "scorm_package",
)  # fmt: skip
MAX_ENDURING_YEARS = 3  # ACCME: an enduring activity terminates at most 3 years after release
CREDIT_STEP = Decimal("0.25")


class Level(models.TextChoices):
    BASIC = "basic", _("Basic")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class QuizKind(models.TextChoices):
    NONE = "", _("No quiz")
    KNOWLEDGE_CHECK = "knowledge_check", _("Knowledge check")
    POST_TEST = "post_test", _("Post-test")


class DisclosureRole(models.TextChoices):
    PLANNER = "planner", _("Planner")
    FACULTY = "faculty", _("Faculty")
    REVIEWER = "reviewer", _("Reviewer")


class CreditType(models.Model):
    """A kind of continuing-education credit (AMA PRA Category 1, VOICE CEH, CAMPEP MPCEC...).

    Only the professions it lists may claim it. Another learner's certificate either leaves it off
    or, when the type has a participation statement (AMA PRA Category 1 for non-physicians, as the
    ACCME allows), prints that statement instead of awarding the credit.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=30)
    eligible_professions = ChoiceListField(
        _("professions that may claim it"),
        max_length=200,
        choices=Profession.choices,
        blank=True,
        help_text=_("Learners of other professions do not receive this credit."),
    )
    statement = models.TextField(
        _("default accreditation statement"),
        blank=True,
        help_text=_("May use {provider} and {amount}; a course's credit can override it."),
        validators=[validate_statement],
    )
    participation_statement = models.TextField(
        _("statement for other professions"),
        blank=True,
        help_text=_(
            "Printed, instead of the credit, for learners whose profession may not claim it (for "
            "AMA PRA Category 1: a certificate of participation). May use {provider} and "
            "{amount}. Leave empty to print nothing for them."
        ),
        validators=[validate_statement],
    )
    activity_id_label = models.CharField(
        _("activity identifier label"),
        max_length=60,
        blank=True,
        help_text=_(
            "What the accreditor calls a course's number for this credit, e.g. "
            "“VOICE activity number”, “CAMPEP course number”, “ACCME activity ID”."
        ),
    )
    requires_disclosures = models.BooleanField(
        _("requires disclosures"),
        default=False,
        help_text=_(
            "A course carrying this credit cannot be published without its disclosures "
            "(ACCME Standards for Integrity and Independence)."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("eligible_professions"),
        FieldPanel("statement"),
        FieldPanel("participation_statement"),
        FieldPanel("activity_id_label"),
        FieldPanel("requires_disclosures"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("credit type")
        verbose_name_plural = _("credit types")

    def __str__(self):
        return self.name

    @admin.display(description=_("professions that may claim it"))
    def professions_display(self) -> str:
        return ", ".join(str(label) for label in self.get_eligible_professions_labels())

    def may_claim(self, profession: str) -> bool:
        return bool(profession) and profession in self.eligible_professions


# What changes by saving or publishing, not by editing: left out when two revisions are compared.
_REVISION_BOOKKEEPING = frozenset(
    {
        "pk", "live", "has_unpublished_changes", "latest_revision", "latest_revision_created_at",
        "live_revision", "first_published_at", "last_published_at", "draft_title", "locked",
        "locked_at", "locked_by", "url_path", "numchild", "path", "depth", "expired",
        "wagtail_admin_comments", "owner",
    }
)  # fmt: skip


def _edited_content(content: dict) -> dict:
    content = json.loads(json.dumps(content, cls=DjangoJSONEncoder))  # as a revision stores it
    return {
        key: _parsed(value) for key, value in content.items() if key not in _REVISION_BOOKKEEPING
    }


def _parsed(value):
    """A StreamField is a JSON string in a revision; PostgreSQL's jsonb gives it back with its
    keys in another order, so compare what it says, not how it is spelled."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class NoEmptyRevisionMixin:
    """Saving a page unchanged (save, then submit; an autosave) adds no revision.

    Identical revisions make "Compare" show "no differences" for a real change: the latest
    revision is kept and returned instead.
    """

    def save_revision(self, user=None, *args, **kwargs):
        latest = self.get_latest_revision() if self.pk else None
        plain = not args and not any(
            kwargs.get(name)
            for name in ("approved_go_live_at", "previous_revision", "overwrite_revision")
        )
        if plain and latest is not None:
            if kwargs.get("clean", True):
                self.full_clean()
            if _edited_content(latest.content) == _edited_content(self.serializable_data()):
                return latest
            kwargs["clean"] = False  # cleaned above
        return super().save_revision(user, *args, **kwargs)


def clean_code_of(form, model) -> str:
    """A code names one course (or program) and its translations: unique except among pages
    sharing the ``translation_key``. (Not a database constraint: the locale lives on Wagtail's
    page table, and a translation copies the code.)"""
    code = form.cleaned_data.get("code", "")
    taken = model.objects.filter(code__iexact=code).exclude(
        translation_key=form.instance.translation_key
    )
    if code and taken.exists():
        raise ValidationError(_("Another page already uses this code."), code="unique")
    return code


class ProgramPageForm(WagtailAdminPageForm):
    def clean_code(self):
        return clean_code_of(self, ProgramPage)


class ProgramPage(render_cache.SharedRenderMixin, Page):
    """A curriculum (CTN, CMIIT): the courses it offers, and the instructors who author them."""

    # Unique per locale: a program's translation carries the same code (wagtail-localize).
    code = models.SlugField(_("code"), max_length=20, help_text=_("e.g. CTN"))
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("code"), FieldPanel("intro")]
    base_form_class = ProgramPageForm
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]

    translatable_fields = [
        TranslatableField("title"),
        SynchronizedField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        SynchronizedField("code"),
        TranslatableField("intro"),
    ]

    class Meta:
        verbose_name = _("program")

    def get_courses(self):
        """The program's courses; on a translated program, the source program's courses, each in
        the active language where it is translated."""
        program = self if in_default_language() else source_page(self)
        courses = (
            CoursePage.objects.live()
            .public()
            .current_editions()
            .child_of(program)
            .defer_streamfields()
            .with_card_data()
            .order_by("path")
        )
        return courses if program is self else localize_pages(list(courses))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            context["courses"] = self.get_courses()
        else:  # the same for every visitor: once per content version and language
            context["courses"] = render_cache.per_version(
                f"program-courses:{self.pk}:{translation.get_language()}",
                lambda: list(self.get_courses()),
            )
        return context


def default_locale_code() -> str:
    """The language code of the default Locale (LANGUAGE_CODE), without a query."""
    from wagtail.coreutils import get_supported_content_language_variant

    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


class CoursePageQuerySet(PageQuerySet):
    def with_card_data(self):
        """What a course card shows (credits and their types), in one extra query."""
        return self.prefetch_related(
            Prefetch("credits", queryset=CourseCredit.objects.select_related("credit_type"))
        )

    def with_audience(self, profession: str):
        return self.filter(audience__contains=f",{profession},")

    def in_default_locale(self):
        """The source pages (default locale): a translation is the same course, listed once."""
        return self.filter(locale__language_code=default_locale_code())

    def current_editions(self):
        """Leave out every course a live newer edition replaces: the catalog lists only those."""
        return self.exclude(next_editions__live=True)


CoursePageManager = PageManager.from_queryset(CoursePageQuerySet)


class CoursePageForm(WagtailAdminPageForm):
    def clean_code(self):
        return clean_code_of(self, CoursePage)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An instructor picks prerequisites among their own programs' courses and sees no other
        # title; a prerequisite an administrator chose elsewhere is kept as it is (see clean).
        field = self.fields.get("prerequisites")
        paths = permitted_page_paths(self.for_user) if self.for_user is not None else None
        self._hidden_prerequisites = []
        if field is not None and paths is not None:
            field.queryset = field.queryset.filter(within(paths))
            if self.instance.pk:
                chosen = [course.pk for course in self.instance.prerequisites.all()]
                self._hidden_prerequisites = list(
                    CoursePage.objects.filter(pk__in=chosen).exclude(within(paths))
                )

    def clean(self):
        cleaned = super().clean()
        if "prerequisites" in cleaned and self._hidden_prerequisites:
            cleaned["prerequisites"] = list(cleaned["prerequisites"]) + self._hidden_prerequisites
        release = cleaned.get("release_date")
        termination = cleaned.get("termination_date")
        review = cleaned.get("last_review_date")
        if release and termination:
            if termination <= release:
                self.add_error("termination_date", _("The termination date must follow release."))
            elif termination > _add_years(release, MAX_ENDURING_YEARS):
                self.add_error(
                    "termination_date",
                    _("An enduring activity terminates at most 3 years after release."),
                )
        if release and review and review < release:
            self.add_error("last_review_date", _("The last review cannot precede release."))
        if cleaned.get("is_gcp"):
            for name in ("course_version", "ich_e6_revision"):
                if not cleaned.get(name):
                    self.add_error(name, _("A GCP course states its version and ICH E6 revision."))
        self._check_disclosures()
        prerequisites = cleaned.get("prerequisites")
        if prerequisites and self.instance.pk and self.instance in prerequisites:
            self.add_error("prerequisites", _("A course cannot be its own prerequisite."))
        return cleaned

    def _is_publishing(self) -> bool:
        # Publishing, submitting for review or acting in a workflow may all make the page live.
        return any(
            self.data.get(action)
            for action in ("action-publish", "action-submit", "action-workflow-action")
        )

    def _live_rows(self, name: str) -> list[dict]:
        formset = self.formsets.get(name)
        if formset is None or not formset.is_valid():
            return []
        return [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def _check_disclosures(self) -> None:
        """A course carrying credit that requires disclosures names a planner and a faculty."""
        if not self._is_publishing():
            return
        demanding = [
            row["credit_type"]
            for row in self._live_rows("credits")
            if row.get("credit_type") and row["credit_type"].requires_disclosures
        ]
        if not demanding:
            return
        roles = {row.get("role") for row in self._live_rows("disclosures")}
        missing = [
            str(label)
            for role, label in ((DisclosureRole.PLANNER, _("a planner")),
                                (DisclosureRole.FACULTY, _("a faculty member")))
            if role not in roles
        ]  # fmt: skip
        if missing:
            raise ValidationError(
                _(
                    "A course carrying %(credit)s cannot be published without its disclosures: "
                    "add %(missing)s under Disclosures, each with their financial relationships "
                    "(or none). You can save a draft meanwhile."
                )
                % {"credit": demanding[0].name, "missing": _(" and ").join(missing)}
            )


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class CoursePage(render_cache.SharedRenderMixin, NoEmptyRevisionMixin, Page):
    """A course: overview, credits, rules of the post-test and certificate; modules as children."""

    code = models.CharField(_("course code"), max_length=20, help_text=_("e.g. CTN-101"))
    summary = models.TextField(
        _("summary"),
        max_length=600,
        help_text=_("Shown on the course card in the catalog and under the title; 600 characters."),
    )
    objectives = StreamField(
        [("objective", wagtail_blocks.CharBlock(max_length=300, icon="tick"))],
        verbose_name=_("learning objectives"),
        help_text=_(
            'Shown on the course page as "After this activity, participants should be able to"; '
            "one measurable objective each (accreditors ask for them)."
        ),
        blank=True,
    )
    audience = ChoiceListField(
        _("audience"),
        max_length=200,
        choices=Profession.choices,
        blank=True,
        help_text=_("Who the course is for: the catalog's profession filter uses it."),
    )
    level = models.CharField(
        _("level"),
        max_length=20,
        choices=Level.choices,
        help_text=_("Shown as a badge on the course card; the catalog filters by it."),
    )
    estimated_minutes = models.PositiveIntegerField(
        _("estimated time (minutes)"),
        validators=[MinValueValidator(1)],
        help_text=_("Shown on the course card; one credit hour per 60 minutes of learning."),
    )
    faculty = models.TextField(
        _("faculty"),
        blank=True,
        help_text=_(
            "Names and credentials, shown on the course page (enduring activities must list them)."
        ),
    )
    release_date = models.DateField(
        _("release date"),
        help_text=_("Shown on the course page. The termination date is at most 3 years later."),
    )
    last_review_date = models.DateField(
        _("last review date"),
        null=True,
        blank=True,
        help_text=_("When the content was last reviewed; not before release. Shown on the page."),
    )
    termination_date = models.DateField(
        _("termination date"),
        help_text=_(
            "After release and at most 3 years after it (the enduring-activity rule). A replaced "
            "edition closes to its learners on this date."
        ),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("post-test pass mark (%)"),
        default=75,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("SNMMI CE tests use 75%; CAMPEP and GCP courses 80%. Learners see it."),
    )
    attempt_limit = models.PositiveSmallIntegerField(
        _("post-test attempts allowed"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Knowledge checks may be retried freely; this limits the post-test only."),
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty when the certificate does not expire."),
    )
    is_gcp = models.BooleanField(
        _("GCP course"),
        default=False,
        help_text=_("Covers the TransCelerate minimum GCP topics; the certificate says so."),
    )
    course_version = models.CharField(_("course version"), max_length=20, blank=True)
    ich_e6_revision = models.CharField(
        _("ICH E6 revision"), max_length=20, blank=True, help_text=_("e.g. E6(R3)")
    )
    commercial_support = models.TextField(
        _("commercial support"),
        blank=True,
        help_text=_(
            "Leave empty when the activity received no commercial support; otherwise name each "
            "ineligible company and what it gave (an educational grant, in-kind support)."
        ),
    )
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        blank=True,
        related_name="required_by",
        symmetrical=False,
        verbose_name=_("prerequisites"),
        help_text=_(
            "Courses a learner completes first. A prerequisite counts only once it is published: "
            "until then learners neither see it nor need it."
        ),
    )
    enrollment_open = models.BooleanField(
        _("enrollment open"),
        default=True,
        help_text=_("Untick to stop new enrollments; enrolled learners keep going."),
    )
    previous_edition = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("previous edition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_editions",
        help_text=_(
            'Set by "New edition". Once this edition is published, the catalog lists it instead '
            "of the previous one, which stays open to its enrolled learners until its "
            "termination date."
        ),
    )
    refresher_for = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("Refresher of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refreshers",
        help_text=_(
            "A GCP refresher: completing it renews the certificate of that course (any edition) "
            "for a learner whose certificate is expiring or covers an older ICH E6 revision."
        ),
    )
    module_order = models.JSONField(
        _("module order"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Set by the outline; applied to the page tree when the course is published."),
    )
    evaluation_required = models.BooleanField(
        _("evaluation required"),
        default=True,
        help_text=_("CE accreditors require an evaluation before the certificate."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("code"), FieldPanel("level")]),
                FieldPanel("summary"),
                FieldPanel("objectives"),
                ChoiceListPanel("audience"),
                FieldPanel("estimated_minutes"),
                FieldPanel("faculty"),
            ],
            heading=_("Overview"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("release_date"),
                        FieldPanel("last_review_date"),
                        FieldPanel("termination_date"),
                    ]
                ),
            ],
            heading=_("Enduring activity dates"),
        ),
        InlinePanel("credits", heading=_("Credit"), label=_("Credit"), min_num=1),
        MultiFieldPanel(
            [
                InlinePanel("disclosures", label=_("Person in control of content")),
                FieldPanel("commercial_support"),
            ],
            heading=_("Disclosures"),
            help_text=_(
                "ACCME Standards for Integrity and Independence: everyone in control of content "
                "(planners, faculty, reviewers), their relevant financial relationships with "
                "ineligible companies in the past 24 months (or none) and how they were "
                "mitigated. Learners see them before they start. Required to publish a course "
                "that carries AMA PRA Category 1 Credit™."
            ),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("attempt_limit")]),
                FieldPanel("evaluation_required"),
                FieldPanel("certificate_validity_months"),
                FieldRowPanel(
                    [
                        FieldPanel("is_gcp"),
                        FieldPanel("course_version"),
                        FieldPanel("ich_e6_revision"),
                    ]
                ),
            ],
            heading=_("Completion and certificate"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("enrollment_open"),
                FieldPanel("prerequisites", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Enrollment"),
        ),
        MultiFieldPanel(
            [FieldPanel("previous_edition", read_only=True), FieldPanel("refresher_for")],
            heading=_("Editions and refreshers"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("code", boost=3),
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.SearchField("faculty"),
        index.FilterField("level"),
        index.FilterField("enrollment_open"),
    ]
    parent_page_types = ["courses.ProgramPage"]
    subpage_types = ["courses.ModulePage"]
    base_form_class = CoursePageForm

    objects = CoursePageManager()

    # A translation is the same course (same code, credits, rules): only its text is translated.
    # Learners' records always point at the default-locale page (courses.selectors.source_page).
    translatable_fields = [
        TranslatableField("title"),
        SynchronizedField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        SynchronizedField("code"),
        TranslatableField("summary"),
        TranslatableField("objectives"),
        TranslatableField("faculty"),
        TranslatableField("commercial_support"),
        *(
            SynchronizedField(name)
            for name in (
                "level", "estimated_minutes", "release_date", "last_review_date",
                "termination_date", "pass_mark", "attempt_limit", "certificate_validity_months",
                "is_gcp", "course_version", "ich_e6_revision", "enrollment_open", "audience",
            )
        ),
    ]  # fmt: skip

    class Meta:
        verbose_name = _("course")

    def __str__(self):
        return f"{self.code} {self.title}"

    def is_closed_to_learners(self, today: datetime.date | None = None) -> bool:
        """A replaced edition serves its enrolled learners only until its termination date."""
        today = today or timezone.localdate()
        return self.termination_date < today and self.next_editions.filter(live=True).exists()

    def get_modules(self):
        return (
            ModulePage.objects.live()
            .child_of(self)
            .defer_streamfields()
            .only(*MODULE_LISTING_FIELDS)
            .order_by("path")
        )

    def get_outline(self) -> list["ModulePage"]:
        """The live modules as listed (no lesson content), once per content version: the same
        for every learner, and read-only (a preview lists its own)."""
        return render_cache.per_version(f"outline:{self.pk}", self._modules_in_source_order)

    def _modules_in_source_order(self) -> list["ModulePage"]:
        """The live modules; a translated course's in its source course's order.

        The outline orders the source course's page tree (``module_order`` holds its ids); a
        translation's pages sit in the order they were translated, so they follow their source
        modules' order, found through ``translation_key`` (the post-test last, as there)."""
        modules = list(self.get_modules())
        default_locale_id = render_cache.default_locale_id()
        if not modules or self.locale_id == default_locale_id:
            return modules
        source_paths = dict(
            ModulePage.objects.filter(
                translation_key__in=[module.translation_key for module in modules],
                locale_id=default_locale_id,
            ).values_list("translation_key", "path")
        )
        return sorted(
            modules,
            key=lambda m: (
                m.quiz_kind == QuizKind.POST_TEST,
                source_paths.get(m.translation_key, "~"),
                m.path,
            ),
        )

    def _overview(self, request) -> dict:
        provider = _provider_name(request)
        credits = list(self.credits.select_related("credit_type"))
        for credit in credits:
            credit.statement_text = credit.statement_for(provider)
            credit.participation_text = credit.participation_statement_for(provider)
        return {
            "credits": credits,
            "prerequisites": list(self.get_prerequisites()),
            "disclosures": list(self.disclosures.all()),
        }

    def get_modules_for_preview(self, current=None):
        """Every module, drafts included (marked ``is_draft``), as a preview lists them.

        ``current`` is the module being previewed: its unsaved title and settings replace the
        stored ones.
        """
        modules = list(
            ModulePage.objects.child_of(self)
            .defer_streamfields()
            .only(*MODULE_LISTING_FIELDS, "has_unpublished_changes", "draft_title")
            .order_by("path")
        )
        for module in modules:
            module.is_draft = not module.live
            module.title = module.draft_title or module.title
        if current is not None:
            current.is_draft = not current.live
            modules = [current if m.pk == current.pk else m for m in modules]
            if current.pk is None:
                modules.append(current)
        # The order the outline gave the draft (in a course's own preview, ``self`` is the draft).
        draft = self if current is None else self.get_latest_revision_as_object()
        order = {pk: index for index, pk in enumerate(draft.module_order)}
        return sorted(
            modules,
            key=lambda m: (m.quiz_kind == QuizKind.POST_TEST, order.get(m.pk, len(order))),
        )

    def get_prerequisites(self):
        """The prerequisites that count: live ones. A draft (or unpublished) prerequisite is
        ignored until it is live, by the course page and by enrollment alike."""
        # Through the ids: in a preview, ``prerequisites`` is modelcluster's in-memory queryset.
        ids = [course.pk for course in self.prerequisites.all()]
        return (
            CoursePage.objects.live()
            .filter(pk__in=ids)
            .order_by("code")
            .only("id", "title", "code", "url_path", "path", "depth", "locale_id", "live")
        )

    @property
    def preview_modes(self):
        count = ModulePage.objects.child_of(self).count() if self.pk else 0
        return learner_preview_modes(count)

    @property
    def default_preview_mode(self):
        return ""  # no progress (without counting the modules)

    def serve_preview(self, request, mode_name):
        check_preview_mode(mode_name)
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if not is_learner_preview(request) and self.pk:
            # The breadcrumb's program: once per content version (a move changes it).
            self._cached_parent_obj = render_cache.per_version(
                f"parent:{self.pk}", lambda: self.get_parent().specific
            )
        if is_learner_preview(request):
            context["modules"] = self.get_modules_for_preview()
            context.update(self._overview(request))
        else:
            context["modules"] = self.get_outline()
            # The same for every visitor: once per content version (publishing moves it).
            context.update(
                render_cache.per_version(f"overview:{self.pk}", lambda: self._overview(request))
            )
        # What the apps above the catalog (enrollments) add: see courses.extension_points.
        context["slots"] = extension_points.course_page_slots(
            request, self, modules=context["modules"]
        )
        return context


def is_learner_preview(request) -> bool:
    """Every preview (editor preview, "View draft", a reviewer's workflow preview) shows the page as
    an enrolled learner sees it, drafts included; apps that record progress record nothing."""
    return bool(getattr(request, "is_preview", False))


# The preview modes of a course and its modules: an enrolled learner with the first N modules (in
# course order) done. "" (the default) is no progress; "completed", every module and the post-test.
PREVIEW_DONE_PREFIX = "done-"
PREVIEW_COMPLETED = "completed"


def learner_preview_modes(module_count: int) -> list[tuple[str, str]]:
    """The preview modes of a course with ``module_count`` modules, as Wagtail wants them."""
    modes = [("", gettext("No modules done"))]
    modes += [
        (
            f"{PREVIEW_DONE_PREFIX}{done}",
            ngettext("%(done)d module done", "%(done)d modules done", done) % {"done": done},
        )
        for done in range(1, module_count)
    ]
    if module_count:
        modes.append((PREVIEW_COMPLETED, gettext("Course completed")))
    return modes


def _preview_done_count(mode_name: str | None) -> int | None:
    """How many modules a preview mode counts as done (``-1``: all); ``None``: no such mode."""
    mode_name = mode_name or ""
    if mode_name == "":
        return 0
    if mode_name == PREVIEW_COMPLETED:
        return -1
    number = mode_name.removeprefix(PREVIEW_DONE_PREFIX)
    if mode_name.startswith(PREVIEW_DONE_PREFIX) and number.isdigit() and int(number) > 0:
        return int(number)
    return None


def check_preview_mode(mode_name: str | None) -> None:
    """A preview mode that no course offers (a hand-made ``?mode=``) is a 404."""
    if _preview_done_count(mode_name) is None:
        raise Http404(gettext("No such preview mode."))


def learner_preview_done(request, modules) -> frozenset:
    """The ids of the modules a learner preview counts as done: the first N of ``modules`` (in
    course order) for the request's preview mode. Nothing is recorded anywhere."""
    if not is_learner_preview(request):
        return frozenset()
    done = _preview_done_count(getattr(request, "preview_mode", "")) or 0
    chosen = modules if done < 0 else modules[:done]
    return frozenset(module.pk for module in chosen)


def _provider_name(request) -> str:
    from home.models import SiteSettings

    return SiteSettings.for_request(request).organization_name


class CourseCredit(Orderable):
    """One kind of credit a course carries, with its amount and accreditation statement."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="credits")
    credit_type = models.ForeignKey(
        CreditType, on_delete=models.PROTECT, related_name="+", verbose_name=_("credit type")
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(CREDIT_STEP), MaxValueValidator(Decimal("100"))],
        help_text=_("In steps of 0.25 (one credit per 60 minutes of learning)."),
    )
    statement = models.TextField(
        _("accreditation statement"),
        blank=True,
        help_text=_(
            "Leave empty to use the credit type's statement. May use {provider} and {amount}."
        ),
        validators=[validate_statement],
    )
    activity_id = models.CharField(
        _("activity identifier"),
        max_length=60,
        blank=True,
        help_text=_(
            "The accreditor's number for this course and credit (VOICE activity number, CAMPEP "
            "course number, ACCME activity ID): printed on certificates and transcripts."
        ),
    )

    panels = [
        FieldPanel("credit_type"),
        FieldPanel("hours"),
        FieldPanel("activity_id"),
        FieldPanel("statement"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("credit")
        constraints = [
            models.UniqueConstraint(fields=["course", "credit_type"], name="one_credit_per_type"),
        ]

    def __str__(self):
        return f"{self.hours} {self.credit_type.short_name}"

    def clean(self):
        super().clean()
        if self.hours is not None and self.hours % CREDIT_STEP:
            raise ValidationError({"hours": _("Credit hours come in steps of 0.25.")})

    @property
    def hours_display(self) -> str:
        """1.5, not 1.50: as the accreditation statement words it."""
        return _hours(self.hours)

    def statement_for(self, provider: str) -> str:
        template = self.statement or self.credit_type.statement
        return fill_statement(template, provider=provider, amount=_hours(self.hours))

    def participation_statement_for(self, provider: str) -> str:
        """The statement other professions receive; placeholders are replaced, never formatted."""
        return fill_statement(
            self.credit_type.participation_statement, provider=provider, amount=_hours(self.hours)
        )


class CourseDisclosure(Orderable):
    """One person in control of a course's content and their relevant financial relationships."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="disclosures")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=DisclosureRole.choices)
    relationships = models.TextField(
        _("relevant financial relationships"),
        blank=True,
        help_text=_(
            "Each ineligible company and the nature of the relationship in the past 24 months "
            "(e.g. “Acme Isotopes: consultant”). Leave empty when there were none."
        ),
    )
    mitigation = models.TextField(
        _("mitigation"),
        blank=True,
        help_text=_("How the relationships were mitigated (required when there are any)."),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("role")]),
        FieldPanel("relationships"),
        FieldPanel("mitigation"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.relationships.strip() and not self.mitigation.strip():
            raise ValidationError({"mitigation": _("Say how the relationships were mitigated.")})


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


class ScormVersion(models.TextChoices):
    SCORM_12 = "1.2", _("SCORM 1.2")
    SCORM_2004 = "2004", _("SCORM 2004")


class ScormCompletion(models.TextChoices):
    """What completes a module played from a SCORM package (the package may report little)."""

    COMPLETED = "completed", _("The package reports it completed (or passed)")
    PASSED = "passed", _("The package reports it passed")
    SCORE = "score", _("The package's score reaches the course's pass mark")
    LAUNCHED = "launched", _("The learner opened it (for packages that report nothing)")


class ScormPackage(models.Model):
    """An uploaded SCORM 1.2 or 2004 package, checked and extracted into private storage.

    Files live under ``scorm/<storage_key>/`` of the private storage and leave only through
    ``scorm``'s view, to learners enrolled in a course whose module plays it (and to editors).
    A package is never replaced: upload a new one and choose it on the module.
    """

    title = models.CharField(_("title"), max_length=255)
    version = models.CharField(_("SCORM version"), max_length=10, choices=ScormVersion.choices)
    edition = models.CharField(_("schema version"), max_length=100, blank=True)
    launch_path = models.CharField(_("launch file"), max_length=1000)
    file_count = models.PositiveIntegerField(_("files"))
    total_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    storage_key = models.CharField(max_length=32, unique=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.title} ({self.get_version_display()})"

    def delete(self, *args, **kwargs):
        # A package in use cannot be deleted (PROTECT); its files go once the row has gone.
        key = self.storage_key
        result = super().delete(*args, **kwargs)
        transaction.on_commit(lambda: delete_package_files(key))
        return result


@dataclass(frozen=True)
class SharedAccess:
    """What a module page's shared parts know of the visitor's access: only whether the lesson
    is shown (the reason and message are for its personal regions)."""

    can_view_content: bool


class ModulePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "scorm_completion" in self.fields:  # only asked of a module with a package
            self.fields["scorm_completion"].required = False

    def clean(self):
        cleaned = super().clean()
        if "scorm_completion" in self.fields and not cleaned.get("scorm_completion"):
            cleaned["scorm_completion"] = ScormCompletion.COMPLETED
        kind = cleaned.get("quiz_kind")
        questions = cleaned.get("questions")
        package = cleaned.get("scorm_package")
        if package is not None:
            if questions:
                self.add_error(
                    "questions",
                    _("A module played from a SCORM package has no questions of its own."),
                )
            if kind == QuizKind.KNOWLEDGE_CHECK:
                self.add_error(
                    "quiz_kind",
                    _("A SCORM module is a lesson or the post-test, not a knowledge check."),
                )
            if kind == QuizKind.POST_TEST and cleaned.get("scorm_completion") != (
                ScormCompletion.SCORE
            ):
                self.add_error(
                    "scorm_completion",
                    _("A SCORM post-test completes when its score reaches the pass mark."),
                )
            kind = None  # the package is the quiz: no questions needed
        if kind and not questions:
            self.add_error("questions", _("A quiz needs at least one question."))
        if questions and not kind:
            self.add_error("quiz_kind", _("Choose the kind of quiz these questions make."))
        draw = cleaned.get("draw_count")
        if draw and questions is not None and draw > len(questions):
            self.add_error(
                "draw_count",
                _(
                    "The quiz has %(count)d questions: it cannot draw %(draw)d per attempt. "
                    "Add questions or lower the number."
                )
                % {"count": len(questions), "draw": draw},
            )
        if kind == QuizKind.POST_TEST and self.parent_page is not None:
            siblings = ModulePage.objects.child_of(self.parent_page).filter(
                quiz_kind=QuizKind.POST_TEST
            )
            if self.instance.pk:
                siblings = siblings.exclude(pk=self.instance.pk)
            if siblings.exists():
                self.add_error(
                    "quiz_kind",
                    _("This course already has a post-test (%(title)s).")
                    % {"title": siblings.first().title},
                )
        return cleaned


class ModulePage(render_cache.SharedRenderMixin, NoEmptyRevisionMixin, Page):
    """A lesson of a course; optionally a knowledge check or the course's post-test."""

    # A preview marks its unpublished modules; a lookup that fails costs the template a dir().
    is_draft = False

    body = StreamField(
        LessonStreamBlock(),
        verbose_name=_("lesson"),
        blank=True,
        help_text=_("What enrolled learners read; preview shows it as they see it."),
    )
    estimated_minutes = models.PositiveIntegerField(
        _("estimated time (minutes)"),
        validators=[MinValueValidator(1)],
        help_text=_("Shown beside the module; the outline adds these up against the credit hours."),
    )
    quiz_kind = models.CharField(
        _("quiz"),
        max_length=20,
        choices=QuizKind.choices,
        blank=True,
        default=QuizKind.NONE,
        help_text=_(
            "A knowledge check may be retried freely; the post-test (one per course, always last) "
            "is graded against the course's pass mark and attempts."
        ),
    )
    questions = StreamField(QuizStreamBlock(), verbose_name=_("questions"), blank=True)
    draw_count = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Leave blank to ask every question. A number draws that many questions at random "
            "from the questions above for each attempt; a retake draws again."
        ),
    )
    shuffle_options = models.BooleanField(
        _("shuffle the options"),
        default=False,
        help_text=_("Show each question's options in a random order in every attempt."),
    )
    scorm_package = models.ForeignKey(
        ScormPackage,
        verbose_name=_("SCORM package"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="modules",
        help_text=_(
            "Played in place of a quiz, below the lesson; its results are saved as the learner "
            "goes. Upload packages under Snippets › SCORM packages."
        ),
    )
    scorm_completion = models.CharField(
        _("the module is complete when"),
        max_length=20,
        choices=ScormCompletion.choices,
        default=ScormCompletion.COMPLETED,
        help_text=_("For a post-test: the score reaching the course's pass mark."),
    )
    retired = models.BooleanField(
        _("retired"),
        default=False,
        editable=False,
        help_text=_(
            "Set by the outline. Once the course's review approves it, the module is unpublished: "
            "hidden from new progress, while learners' records of it are kept."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("quiz_kind"),
                FieldPanel("questions"),
                FieldPanel("draw_count"),
                FieldPanel("shuffle_options"),
            ],
            heading=_("Quiz"),
            help_text=_(
                "Learners never see which options are correct until they submit an attempt."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("scorm_package"), FieldPanel("scorm_completion")],
            heading=_("SCORM package"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    # The editor's status panel and "Live" tag say who may open a module (see the overrides of
    # Wagtail's templates): only learners enrolled in its course, not "Visible to all".
    admin_privacy_status_template = "courses/admin/module_privacy_status.html"
    admin_live_status_template = "courses/admin/module_live_status_tag.html"
    base_form_class = ModulePageForm

    # Prompts, options and explanations are translated; which options are correct, the quiz kind
    # and the minutes stay the source's (the StreamField's block ids are kept, so answers match).
    translatable_fields = [
        TranslatableField("title"),
        SynchronizedField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("body"),
        TranslatableField("questions"),
        SynchronizedField("estimated_minutes"),
        SynchronizedField("quiz_kind"),
        SynchronizedField("retired"),
    ]

    class Meta:
        verbose_name = _("module")

    @property
    def has_quiz(self) -> bool:
        """Questions of our own (a SCORM post-test's questions are in its package)."""
        return bool(self.quiz_kind) and self.scorm_package_id is None

    @property
    def is_scorm(self) -> bool:
        return self.scorm_package_id is not None

    @property
    def is_post_test(self) -> bool:
        return self.quiz_kind == QuizKind.POST_TEST

    @property
    def draws_questions(self) -> bool:
        """Each attempt gets its own set (a drawn pool, or shuffled options), stored when the
        attempt starts."""
        return bool(self.draw_count) or self.shuffle_options

    def get_course(self) -> CoursePage:
        # Asked by the access check, the context and the hooks of one request: look it up once.
        # Not shared across requests: the course's draft state (its latest revision, the draft
        # order of its modules) moves without a publish, and an editor's request reads it.
        if getattr(self, "_course", None) is None:
            self._course = CoursePage.objects.parent_of(self).get()
        return self._course

    def public_questions(self):
        """The questions as a learner may see them before submitting: no correctness."""
        return [
            {
                "id": block.id,
                "prompt": block.value["prompt"],
                "multiple": sum(1 for option in block.value["options"] if option["correct"]) > 1,
                "options": [
                    {"index": position, "text": option["text"]}
                    for position, option in enumerate(block.value["options"])
                ],
            }
            for block in self.questions
        ]

    def serve(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD") and getattr(self, "_course", None) is None:
            # A reader of the live module gets its live course as this process read it in this
            # content version (publishing or moving a page moves it), a copy of its own.
            kept = render_cache.per_version(
                f"course-of:{self.pk}", lambda: CoursePage.objects.parent_of(self).get()
            )
            self._course = copy.copy(kept)
        # Decided once, before rendering, and handed to get_context (never through the request).
        access = extension_points.module_access(request, self)
        request.is_preview = False
        context = self.get_context(request, *args, access=access, **kwargs)
        key = render_cache.render_key(self)
        # Shared by every learner who may (or every visitor who may not) read the lesson; the
        # quiz, actions, locked panel and statuses are the template's personal regions.
        return shell.ShellTemplateResponse(
            request,
            self.get_template(request, *args, **kwargs),
            context,
            key=None if key is None else (key, access.can_view_content),
            shared={"access": SharedAccess(access.can_view_content)},
        )

    @property
    def preview_modes(self):
        if self.pk is None:  # a new module, not yet in its course: a learner with no progress
            return learner_preview_modes(0)
        return learner_preview_modes(ModulePage.objects.child_of(self.get_course()).count())

    @property
    def default_preview_mode(self):
        return ""  # no progress (without counting the modules)

    def serve_preview(self, request, mode_name):
        check_preview_mode(mode_name)
        # Whoever may preview (an editor, a reviewer of its workflow) sees the lesson and quiz.
        access = extension_points.ModuleAccess(can_view_content=True, reason="preview")
        return TemplateResponse(
            request,
            self.get_preview_template(request, mode_name),
            self.get_context(request, access=access),
        )

    def get_context(self, request, *args, access=None, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course = self.get_course()
        context["course"] = course
        if access is None:  # a preview: Wagtail calls get_context without serve
            access = extension_points.module_access(request, self)
        context["access"] = access
        if is_learner_preview(request):
            siblings = course.get_modules_for_preview(current=self)
        else:
            siblings = course.get_outline()
        position = next(
            (i for i, m in enumerate(siblings) if m is self or (self.pk and m.pk == self.pk)), 0
        )
        context["modules"] = siblings
        context["position"] = position + 1
        context["previous_module"] = siblings[position - 1] if position > 0 else None
        context["next_module"] = siblings[position + 1] if position + 1 < len(siblings) else None
        if position == 0:  # before the learner engages with the content (ACCME)
            if is_learner_preview(request):
                context["disclosures"] = list(course.disclosures.all())
            else:
                context["disclosures"] = render_cache.per_version(
                    f"disclosures:{course.pk}", lambda: list(course.disclosures.all())
                )
        context["slots"] = extension_points.module_page_slots(
            request, self, course=course, modules=siblings, access=access
        )
        # The lesson body is the same for every learner: rendered once per live revision,
        # content version (links to moved pages) and language; never a preview's draft.
        if not is_learner_preview(request):
            context["shared_render_key"] = render_cache.render_key(self)
        return context


# --- Translations (wagtail-localize) -----------------------------------------------------------


def in_default_language() -> bool:
    """Whether the active language is the default one (English pages, no URL prefix)."""
    from django.utils import translation

    return (translation.get_language() or settings.LANGUAGE_CODE).lower() in {
        settings.LANGUAGE_CODE.lower(),
        default_locale_code().lower(),
    }


def source_page(page):
    """The default-locale page a translation was made from (the page itself when it is one).

    A translated course is the same course: enrollments, progress, attempts and certificates are
    recorded against the source page, found through the shared ``translation_key``.
    """
    source = (
        type(page)
        .objects.filter(
            translation_key=page.translation_key, locale__language_code=default_locale_code()
        )
        .first()
    )
    return source or page


def localized_page(page):
    """The live translation of ``page`` in the active language, or ``page`` itself.

    No query while the active language is the default one."""
    if page is None or in_default_language():
        return page
    return page.localized


def localize_pages(pages: list) -> list:
    """``pages`` (default-locale pages) with each one that has a live translation in the active
    language replaced by it: one query, none in the default language."""
    if in_default_language() or not pages:
        return pages
    from django.utils import translation

    model = type(pages[0])
    translated = {
        page.translation_key: page
        for page in model.objects.live()
        .filter(
            translation_key__in=[page.translation_key for page in pages],
            locale__language_code=translation.get_language(),
        )
        .specific(defer=True)
    }
    return [translated.get(page.translation_key, page) for page in pages]
