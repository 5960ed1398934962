"""The editor's fields as crispy-forms' Bootstrap 5 template prints them, built in Python.

A large profile's editor holds a few hundred fields; through crispy's field template and
Django's widget templates (an include per option of every select and checkbox list) they
cost most of the page's time. `render` gives the same elements, attributes, classes, labels
and errors as ``{{ field|as_crispy_field }}`` (only the whitespace between tags is shorter),
for the widgets the editor uses; any other field (a multi-widget, a file, a checkbox with
a help text) is left to crispy. tests/test_editor_fields.py compares the two on every field of the editor.
"""

import html as html_text

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.utils.safestring import mark_safe

ASTERISK = '<span class="asteriskField">*</span>'
TEXT_WIDGETS = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.DateInput,
)
# The widgets whose help text crispy prints below the field (and the errors).
HELP_TEXT_WIDGETS = (forms.Textarea, forms.Select, *TEXT_WIDGETS)


def escape(value):
    """Django's `escape` (and `conditional_escape` of the `stringformat:"s"` the templates
    print attributes with), the same text without Django's check of every argument for a
    lazy string: a long editor escapes some 5,000 values."""
    return html_text.escape(str(value))


def attrs(values):
    """Django's widgets/attrs.html: ` name="value"`, a bare name for True, nothing for False."""
    out = []
    for name, value in values.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {name}")
        else:
            out.append(f' {name}="{escape(value)}"')
    return "".join(out)


def _supported(bound):
    widget = bound.field.widget
    if bound.field.disabled or bound.field.localize:
        return False
    if bound.help_text and type(widget) not in HELP_TEXT_WIDGETS:
        return False
    if widget.attrs.get("id") or widget.attrs.get("aria-describedby") or not bound.auto_id:
        return False
    return type(widget) in (
        forms.Textarea,
        forms.Select,
        forms.CheckboxSelectMultiple,
        forms.CheckboxInput,
        forms.HiddenInput,
        *TEXT_WIDGETS,
    )


def _add_classes(widget, *classes):
    """What crispy's crispy_field tag does to the widget's class (and keeps on it)."""
    name = type(widget).__name__.lower()
    css = widget.attrs.get("class", "")
    if css:
        if css.find(name) == -1:
            css += f" {name}"
    else:
        css = name
    present = css.split()
    for extra in " ".join(classes).split():
        if extra not in present:
            css += f" {extra}"
            present.append(extra)
    widget.attrs["class"] = css


def _widget_attrs(bound):
    """The attributes Django's BoundField.as_widget gives the widget, in its order."""
    widget = bound.field.widget
    extra = bound.build_widget_attrs({})
    if bound.auto_id:
        extra.setdefault("id", bound.auto_id)
    return widget.build_attrs(widget.attrs, extra)


def _errors(bound):
    if not bound.errors:
        return ""
    paragraphs = "".join(
        f'\n<p id="error_{number}_{bound.auto_id}"><strong>{escape(error)}</strong></p>'
        for number, error in enumerate(bound.errors, start=1)
    )
    return (
        f'\n<div id="{bound.errors.field_id}_error" class="invalid-feedback">{paragraphs}\n</div>'
    )


def _label(bound):
    if not bound.label:
        return ""
    required = bound.field.required
    return (
        f'\n<label\n{_for(bound)} class="form-label{" requiredField" if required else ""}">'
        f"\n{escape(bound.label)}"
        f"{ASTERISK if required else ''}\n</label>"
    )


def _for(bound):
    target = bound.id_for_label
    return f'for="{escape(target)}"' if target else ""


def _textarea(bound, values):
    value = bound.value()
    value = bound.field.widget.format_value(value)
    text = escape(value) if value else ""
    return f'<textarea name="{escape(bound.html_name)}"{attrs(values)}>\n{text}</textarea>'


def _input(bound, values):
    widget = bound.field.widget
    value = widget.format_value(bound.value())
    shown = f' value="{escape(value)}"' if value is not None else ""
    return (
        f'<input type="{widget.input_type}" name="{escape(bound.html_name)}"{shown}{attrs(values)}>'
    )


def _options(choices):
    """(value as text, its value attribute, escaped option text) of each choice."""
    return [(str(value), f' value="{escape(value)}"', escape(label)) for value, label in choices]


def _select(bound, values, choices):
    widget = bound.field.widget
    chosen = set(widget.format_value(bound.value()))
    options = []
    found = False
    for value, value_attr, label in _options(choices):
        selected = value in chosen and (widget.allow_multiple_selected or not found)
        found = found or selected
        options.append(
            f"\n  <option{value_attr}{' selected' if selected else ''}>{label}</option>\n"
        )
    return f'<select name="{escape(bound.html_name)}"{attrs(values)}>{"".join(options)}\n</select>'


def _help_text(bound):
    """crispy's help_text.html: the help text as given (trusted, from the form's code)."""
    if not bound.help_text:
        return ""
    return f'\n<div id="{bound.auto_id}_helptext" class="form-text">{bound.help_text}</div>'


def _wrapped(bound, inner):
    css = bound.css_classes()
    return (
        f'\n<div id="div_{bound.auto_id}" class="mb-3{" " + css if css else ""}">'
        f"{_label(bound)}\n{inner}{_errors(bound)}{_help_text(bound)}\n</div>\n"
    )


def _checkbox(bound):
    widget = bound.field.widget
    _add_classes(widget, "form-check-input", "is-invalid" if bound.errors else "")
    values = _widget_attrs(bound)
    value = bound.value()
    if widget.check_test(value):
        values["checked"] = True
    value = widget.format_value(value)
    shown = f' value="{escape(value)}"' if value is not None else ""
    control = f'<input type="checkbox" name="{escape(bound.html_name)}"{shown}{attrs(values)}>'
    required = bound.field.required
    label = (
        f'\n<label for="{escape(bound.id_for_label)}" class="form-check-label'
        f'{" requiredField" if required else ""}">\n{escape(bound.label)}'
        f"{ASTERISK if required else ''}\n</label>"
    )
    return (
        f'\n<div class="mb-3">\n<div id="div_{bound.auto_id}" class="form-check">\n{control}'
        f"{label}{_errors(bound)}\n</div>\n</div>\n"
    )


def _checkbox_list(bound):
    """crispy's radio_checkbox_select.html under a fieldset and legend."""
    widget = bound.field.widget
    base = bound.build_widget_attrs({"id": bound.auto_id})
    chosen = set(widget.format_value(bound.value()))
    invalid = " is-invalid" if bound.errors else ""
    choices = [choice for choice in bound.field.choices]
    rows = []
    for index, (value, label) in enumerate(choices):
        # ChoiceWidget.create_option's attributes, in its order.
        option = widget.build_attrs(widget.attrs, base)
        if str(value) in chosen:
            option["checked"] = True
        option["id"] = widget.id_for_label(option["id"], index)
        last = index == len(choices) - 1
        rows.append(
            f'\n<div class="form-check">\n<input type="checkbox" class="form-check-input{invalid}"'
            f'  name="{escape(bound.html_name)}" value="{escape(value)}" {attrs(option)}>'
            f'\n<label for="{escape(option.get("id", ""))}" class="form-check-label">\n{escape(label)}\n</label>'
            f"{_errors(bound) if last else ''}\n</div>"
        )
    described = f' aria-describedby="{bound.aria_describedby}"' if bound.aria_describedby else ""
    required = bound.field.required
    legend = (
        f'\n<fieldset{described}>\n<legend\n class="form-label{" requiredField" if required else ""} fs-6">'
        f"\n{escape(bound.label)}{ASTERISK if required else ''}\n</legend>"
        if bound.label
        else ""
    )
    close = "\n</fieldset>" if bound.label else ""
    return f'\n<div id="div_{bound.auto_id}" class="mb-3">{legend}\n<div >{"".join(rows)}\n</div>{close}\n</div>\n'


def render(bound):
    """The field as crispy-forms' Bootstrap 5 field template prints it (None: not handled)."""
    if not _supported(bound):
        return None
    widget = bound.field.widget
    if isinstance(widget, forms.HiddenInput):
        return mark_safe(_input(bound, _widget_attrs(bound)))
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return mark_safe(_checkbox_list(bound))
    if isinstance(widget, forms.CheckboxInput):
        return mark_safe(_checkbox(bound))
    invalid = "is-invalid" if bound.errors else ""
    if isinstance(widget, forms.Select):
        # Read once: a model choice field's choices are a query each time (and list()
        # would ask its len(), a COUNT query more).
        choices = [choice for choice in bound.field.choices]  # noqa: C416
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return None  # option groups
        _add_classes(widget, "form-select", invalid)
        return mark_safe(_wrapped(bound, _select(bound, _widget_attrs(bound), choices)))
    _add_classes(widget, "form-control", invalid)
    values = _widget_attrs(bound)
    if isinstance(widget, forms.Textarea):
        return mark_safe(_wrapped(bound, _textarea(bound, values)))
    return mark_safe(_wrapped(bound, _input(bound, values)))


def html(bound):
    """The field as crispy prints it: built here where `render` can, else by crispy."""
    rendered = render(bound)
    return as_crispy_field(bound) if rendered is None else rendered
