"""Quiz blocks: questions with 2-6 options, one or more correct, and an explanation."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

MIN_OPTIONS = 2
MAX_OPTIONS = 6


class OptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=500)
    correct = blocks.BooleanBlock(required=False, default=False)

    class Meta:
        icon = "radio-full"
        label = _("Option")


class QuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Question"))
    options = blocks.ListBlock(OptionBlock(), min_num=MIN_OPTIONS, max_num=MAX_OPTIONS)
    explanation = blocks.RichTextBlock(
        features=["bold", "italic", "link"],
        help_text=_("Shown to the learner after they submit the attempt."),
    )

    class Meta:
        icon = "help"
        label = _("Question")
        description = _("A question with 2-6 options; tick every correct one")

    def clean(self, value):
        value = super().clean(value)
        options = list(value["options"])
        if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            raise StructBlockValidationError(
                block_errors={
                    "options": ValidationError(
                        _("A question needs between %(min)d and %(max)d options."),
                        params={"min": MIN_OPTIONS, "max": MAX_OPTIONS},
                    )
                }
            )
        if not any(option["correct"] for option in options):
            raise StructBlockValidationError(
                block_errors={"options": ValidationError(_("Mark at least one option as correct."))}
            )
        return value


class QuizStreamBlock(blocks.StreamBlock):
    question = QuestionBlock()
