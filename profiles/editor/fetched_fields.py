"""Model choice fields that validate a post against objects the page already fetched.

A formset's row id, a behaviour's level and a criterion's methods are model choice fields:
Django checks each posted value with a query of its own, a query per row on every save. The
editor fetches the profile's rows and the option lists once (profiles.forms.Choices,
fetch_for_editor); these fields look the posted values up there instead. Without `objects`
they behave as Django's.
"""

from django import forms
from django.core.exceptions import ValidationError


class FetchedChoiceField(forms.ModelChoiceField):
    objects = None  # {str(pk): object}, in the order of the choices

    def to_python(self, value):
        if self.objects is None:
            return super().to_python(value)
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        if isinstance(value, self.queryset.model):
            value = value.pk
        found = self.objects.get(str(value))
        if found is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return found


class FetchedMultipleChoiceField(forms.ModelMultipleChoiceField):
    objects = None

    def _check_values(self, value):
        if self.objects is None:
            return super()._check_values(value)
        try:
            wanted = {str(pk) for pk in value}
        except TypeError:
            raise ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        for pk in wanted:
            self.validate_no_null_characters(pk)
            if pk not in self.objects:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return [obj for key, obj in self.objects.items() if key in wanted]


def use_fetched(field, objects):
    """Make a form's model choice field validate against `objects` ({str(pk): object})."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        field.__class__ = FetchedMultipleChoiceField
    else:
        field.__class__ = FetchedChoiceField
    field.objects = objects


def fetched_names(form):
    """The form's fields that validated against fetched objects: the model need not look
    their values up again (ForeignKey.validate is a query)."""
    return {
        name
        for name, field in form.fields.items()
        if isinstance(field, (FetchedChoiceField, FetchedMultipleChoiceField))
        and field.objects is not None
    }
