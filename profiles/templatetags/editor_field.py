"""`{{ field|editor_field }}`: a field as `as_crispy_field` prints it, faster (profiles.editor.fields)."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template

from profiles.editor import fields as editor_fields

register = template.Library()


@register.filter
def editor_field(bound):
    rendered = editor_fields.render(bound)
    return as_crispy_field(bound) if rendered is None else rendered
