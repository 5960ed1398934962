"""The editor's rows on a GET, made from the fetched rows without a Django form per row.

A form deep-copies every field and widget its class declares, and a long profile's editor
made a few hundred of them only to print their initial values, each label a lazy
translation looked up again per row. Here the rows of a formset share the fields of one
form, its empty form (choices, widgets, labels translated once); each row brings its
prefix and its initial values, as Django's inline model formsets give them
(`model_to_dict`, the row id, the parent's id and the position), and is printed by the code
that prints a form's row (profiles.editor.rows and fields). A bound formset (a save, a
refused one) keeps its forms: they validate and carry errors.
"""

import copy

from django.forms import BaseForm, BoundField
from django.forms.formsets import ORDERING_FIELD_NAME
from django.forms.models import model_to_dict
from django.forms.utils import ErrorList

from profiles import welsh

NO_ERRORS = ErrorList()


class Pattern:
    """What every row of a formset shares: its empty form's fields and their labels (read once)."""

    def __init__(self, formset):
        form = formset.empty_form
        self.form_class = type(form)
        self.auto_id = form.auto_id
        self.fields = form.fields
        self.labels = {name: str(form[name].label) for name in form.fields}
        self.hidden = [name for name, field in form.fields.items() if field.widget.is_hidden]
        # A Welsh text whose English changed since says so in its label and class
        # (forms.label_welsh): a copy of its field says it for the rows that need it.
        self.welsh = {}
        for name in form.fields:
            english = name.removesuffix(welsh.SUFFIX)
            if english != name and english in form.fields:
                field = copy.deepcopy(form.fields[name])
                welsh.label_twin(field, form.fields[english].label, needs_translation=True)
                self.welsh[name] = (english, field, str(field.label))


class ShownRow:
    """A row as its form prints it unbound: what profiles.editor.rows, page and the section
    template read of a form, and what BoundField reads of its form."""

    is_bound = False
    use_required_attribute = False  # as a formset's forms
    renderer = None

    def __init__(self, pattern, prefix, instance, initial, own):
        self.pattern = pattern
        self.fields = pattern.fields
        self.auto_id = pattern.auto_id
        self.prefix = prefix
        self.instance = instance
        self.initial = initial
        # The values of the fields the formset adds, which a form holds as their `initial`.
        self._own = own
        self._welsh = {
            name: (field, label)
            for name, (english, field, label) in pattern.welsh.items()
            if instance.pk and welsh.needs_translation(instance, english)
        }

    def __getitem__(self, name):
        field, label = self._welsh.get(name) or (self.fields[name], self.pattern.labels[name])
        return ShownField(self, field, name, label)

    def add_prefix(self, name):
        return f"{self.prefix}-{name}"

    def add_initial_prefix(self, name):
        return f"initial-{self.add_prefix(name)}"

    def get_initial_for_field(self, field, name):
        if name in self._own and name not in self.initial:
            return self._own[name]
        return BaseForm.get_initial_for_field(self, field, name)

    def hidden_fields(self):
        return [self[name] for name in self.pattern.hidden]

    def non_field_errors(self):
        return NO_ERRORS

    def has_changed(self):
        return False


class ShownField(BoundField):
    """A field of a shown row: a bound field of its pattern's field, with no errors."""

    def __init__(self, row, field, name, label):
        super().__init__(row, field, name)
        self.label = label

    @property
    def errors(self):
        return NO_ERRORS


class Shown:
    """An editor's shown rows, made once per formset; the formsets of a part (a section's
    items) share one pattern."""

    def __init__(self):
        self._patterns, self._rows = {}, {}

    def rows(self, formset):
        if formset.prefix not in self._rows:
            if formset.form not in self._patterns:
                self._patterns[formset.form] = Pattern(formset)
            self._rows[formset.prefix] = rows(formset, self._patterns[formset.form])
        return self._rows[formset.prefix]


def rows(formset, pattern):
    """The formset's rows as its unbound forms would be: the fetched rows, then the extra
    (blank, or given initial values: a copied profile's)."""
    form_class = pattern.form_class
    meta = form_class._meta
    saved = formset.get_queryset()
    count = formset.initial_form_count()
    extra = formset.initial_extra or []
    pk_name, fk = formset.model._meta.pk.name, formset.fk
    shown = []
    for index in range(formset.total_form_count()):
        if index < count:
            instance = saved[index]
            initial = model_to_dict(instance, meta.fields, meta.exclude)
        else:
            # As a ModelForm without an instance: a new one, and no initial values of it.
            instance = formset.model()
            setattr(instance, fk.get_attname(), formset.instance.pk)
            initial = dict(extra[index - count]) if index - count < len(extra) else {}
        initial.update(form_class.initial_of(instance))
        own = {
            pk_name: instance.pk if index < count else None,
            fk.name: formset.instance.pk,
            ORDERING_FIELD_NAME: index + 1 if index < count else None,
        }
        shown.append(ShownRow(pattern, formset.add_prefix(index), instance, initial, own))
    return shown
