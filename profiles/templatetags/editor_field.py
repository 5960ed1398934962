"""`{{ field|editor_field }}`: a field as `as_crispy_field` prints it, faster (profiles.editor.fields)."""

from django import template

from profiles.editor import fields as editor_fields

register = template.Library()


@register.filter
def editor_field(bound):
    return editor_fields.html(bound)
