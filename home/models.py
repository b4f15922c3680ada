import copy

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.documents.models import AbstractDocument, Document
from wagtail.fields import RichTextField
from wagtail.models import Page, Site

from infrastructure import render_cache
from infrastructure.storage import get_private_document_storage


class HomePage(render_cache.SharedRenderMixin, Page):
    """The site's root page: the programs the platform offers."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.ProgramPage"]

    class Meta:
        verbose_name = _("home page")

    def get_programs(self):
        """Live programs, each with ``course_count``: its live, public courses (two queries)."""
        programs = list(self.get_children().live().public().specific())
        courses = Page.objects.live().public().descendant_of(self).filter(depth=self.depth + 2)
        width = len(self.path) + Page.steplen
        counts: dict[str, int] = {}
        for path in courses.values_list("path", flat=True):
            counts[path[:width]] = counts.get(path[:width], 0) + 1
        for program in programs:
            program.course_count = counts.get(program.path, 0)
        return programs

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            context["programs"] = self.get_programs()
        else:  # the same for every visitor: once per content version
            context["programs"] = render_cache.per_version(
                f"home-programs:{self.pk}", self.get_programs
            )
        return context

    def route(self, request, path_components):
        # Every page's route starts here: walked once per content version, then one query.
        return render_cache.route(
            self,
            request,
            path_components,
            lambda: super(HomePage, self).route(request, path_components),
        )


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Who provides the education: printed on pages, certificates and mails."""

    @classmethod
    def for_request(cls, request):
        """Read once per content version (saving the settings moves it), its logo with it."""
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = Site.find_for_request(request)

        def read():
            instance = cls.for_site(site)
            instance.logo  # noqa: B018 - loaded now, kept with the instance
            return instance

        shared = render_cache.per_version(f"site-settings:{getattr(site, 'pk', None)}", read)
        instance = copy.copy(shared)  # the request is attached to this request's copy only
        instance._request = request
        setattr(request, attr_name, instance)
        return instance

    organization_name = models.CharField(
        _("organization name"),
        max_length=200,
        default="Society of Nuclear Medicine and Molecular Imaging",
    )
    organization_short_name = models.CharField(_("short name"), max_length=40, default="SNMMI")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    signatory_name = models.CharField(
        _("certificate signatory"),
        max_length=200,
        blank=True,
        help_text=_("The person who signs certificates, e.g. “Dana R. Whitfield, MD”."),
    )
    signatory_title = models.CharField(
        _("signatory title"),
        max_length=200,
        blank=True,
        help_text=_("Their role, e.g. “Director of Education, SNMMI”."),
    )
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signature image"),
        help_text=_(
            "A PNG or SVG of the signature, on a transparent or white background. New "
            "certificates print it; certificates already issued keep the one they were given."
        ),
    )
    contact_email = models.EmailField(_("contact email"), blank=True, default="")
    # The footer's links: pages a learner looks for (a link is left out while its address is empty).
    contact_url = models.URLField(
        _("contact page"), blank=True, default="",
        help_text=_("Where learners find how to reach the education team."),
    )  # fmt: skip
    privacy_url = models.URLField(_("privacy notice"), blank=True, default="")
    accessibility_url = models.URLField(_("accessibility statement"), blank=True, default="")
    terms_url = models.URLField(_("terms of use"), blank=True, default="")

    panels = [
        FieldPanel("organization_name"),
        FieldPanel("organization_short_name"),
        FieldPanel("logo"),
        FieldPanel("signatory_name"),
        FieldPanel("signatory_title"),
        FieldPanel("signature_image"),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_url"),
                FieldPanel("privacy_url"),
                FieldPanel("accessibility_url"),
                FieldPanel("terms_url"),
            ],
            heading=_("Footer"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")


class LessonDocument(AbstractDocument):
    """A document attached to lessons: stored privately, served only by Wagtail's document view.

    The view checks the collection's privacy settings, so a document in a restricted collection
    never has a URL that works without them (nothing under MEDIA_ROOT, which a proxy may serve).
    """

    file = models.FileField(
        upload_to="documents", storage=get_private_document_storage, verbose_name=_("file")
    )
    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def clean(self):
        # A refused upload leaves no file, and its own error says why: Wagtail's extension check
        # would only add "File extension '' is not allowed" beside it.
        if self.file:
            super().clean()
