from django import forms
from django.db import models
from django.utils.text import capfirst
from wagtail.admin.compare import FieldComparison, diff_text
from wagtail.admin.panels import FieldPanel


class ChoiceListField(models.CharField):
    """Several choices in one column, stored as ",a,b," so ``__contains=",a,"`` finds them.

    Works the same on SQLite and PostgreSQL, and edits as checkboxes in the Wagtail admin.
    """

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value or []
        return [item for item in value.split(",") if item]

    def get_prep_value(self, value):
        if isinstance(value, str):  # a lookup value such as ",physician,"
            return value
        items = [str(item) for item in (value or [])]
        return f",{','.join(items)}," if items else ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        allowed = {key for key, _label in self.choices or []}
        unknown = [item for item in value or [] if item not in allowed]
        if unknown:
            raise forms.ValidationError(f"Unknown choice(s): {', '.join(unknown)}")
        if not value and not self.blank:
            raise forms.ValidationError(self.error_messages["blank"])

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.choices,
            required=not self.blank,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        # CharField's get_FOO_display makes no sense for a list; offer labels instead.
        labels = dict(self.choices or [])
        setattr(
            cls,
            f"get_{name}_labels",
            lambda instance: [labels.get(item, item) for item in getattr(instance, name)],
        )


class ChoiceListComparison(FieldComparison):
    """Wagtail's revision compare for a ChoiceListField: its labels, not a (unhashable) list."""

    def _labels(self, value) -> str:
        labels = dict(self.field.flatchoices)
        return ", ".join(str(labels.get(item, item)) for item in value or [])

    def htmldiff(self):
        return diff_text(self._labels(self.val_a), self._labels(self.val_b)).to_html()


class ChoiceListPanel(FieldPanel):
    """A FieldPanel for a ChoiceListField: Wagtail would compare its revisions as one choice."""

    def get_comparison_class(self):
        return ChoiceListComparison
