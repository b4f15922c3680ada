"""Content blocks shared by every StreamField of the site."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250, help_text=_("Describe the image for people who cannot see it.")
    )
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "blocks/image_with_caption.html"
        description = _("An image or diagram with a caption")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(help_text=_("A video URL (YouTube, Vimeo) to embed."))
    caption = blocks.CharBlock(required=False, max_length=300)
    transcript = blocks.RichTextBlock(required=False, features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "media"
        template = "blocks/video.html"
        description = _("An embedded video with an optional transcript")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, help_text=_("Defaults to the document's title."))
    description = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        template = "blocks/document.html"
        description = _("A downloadable document (a form, a guidance PDF)")


class CalloutBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        choices=[
            ("info", _("Note")),
            ("warning", _("Caution")),
            ("regulation", _("Regulation")),
        ],
        default="info",
    )
    title = blocks.CharBlock(required=False, max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "blocks/callout.html"
        description = _("A highlighted note, caution or regulatory citation")


class KeyTakeawaysBlock(blocks.StructBlock):
    title = blocks.CharBlock(default="Key takeaways", max_length=80)
    items = blocks.ListBlock(blocks.CharBlock(max_length=400), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "blocks/key_takeaways.html"
        description = _("The points a learner should leave with")


class LessonStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        template="blocks/rich_text.html",
        icon="pilcrow",
        description=_("Paragraphs, headings and lists"),
    )
    image = ImageWithCaptionBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    takeaways = KeyTakeawaysBlock()
