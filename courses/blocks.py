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
    prompt = blocks.TextBlock(
        label=_("Question"),
        help_text=_(
            "Shown to the learner as written. When more than one option is marked correct, the "
            'learner\'s page adds "(select all that apply)" after it and shows tick boxes '
            "instead of one choice; do not write that yourself."
        ),
    )
    # A new question starts with the fewest options it may have, so the editor shows no error
    # before the instructor has typed anything (ListBlock's own default is a single item).
    options = blocks.ListBlock(
        OptionBlock(),
        min_num=MIN_OPTIONS,
        max_num=MAX_OPTIONS,
        default=[{"text": "", "correct": False}] * MIN_OPTIONS,
        help_text=_(
            "Between 2 and 6 options. Tick every correct one: one ticked makes a single-answer "
            'question; two or more make it "select all that apply", and the learner must '
            "choose exactly the ticked ones to get it right."
        ),
    )
    explanation = blocks.RichTextBlock(
        features=["bold", "italic", "link"],
        help_text=_("Shown to the learner after they submit the attempt."),
    )

    class Meta:
        icon = "help"
        label = _("Question")
        description = _(
            "A question with 2-6 options; tick every correct one. With more than one ticked, "
            'the learner sees "(select all that apply)" after the question.'
        )

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
