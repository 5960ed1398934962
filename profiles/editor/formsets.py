"""Inline formsets of a profile's parts, and how a broken rule is said next to its field.

Forms only validate. The rules are one call, `rules.check_profile(draft)`, on the
ProfileDraft the save would leave; `report` puts each error it returns where its location
points: next to a row's field, or above the rows. The admin's inlines (`CheckedFormSet`
subclasses) each check the draft of the part they edit; the browser editor posts every part
at once and checks one draft of them all (profiles.editor.forms.ProfileEditor).
"""

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet

from profiles import rules
from profiles.draft import BehaviourDraft, CriterionDraft, ItemDraft, ProfileDraft, SectionDraft
from profiles.models import Section


def report(errors, forms, rows_at, general=(), field_forms=()):
    """Say each error where its location points; returns those said above the rows.

    `forms[i]` edits row `i` of the draft part at location `rows_at`: an error located at
    ``(*rows_at, i, field)`` goes next to that form's field. Errors located exactly at one
    of `general` are returned, for the caller to show above the rows. `field_forms` are
    forms whose own fields an error located at ``(field,)`` names (the profile's form).
    Other errors belong to another part and are left to it.
    """
    above = []
    depth = len(rows_at)
    for error in errors:
        location = error.location
        message = ValidationError(error.message, code=error.code)
        row = location[depth] if len(location) > depth else None
        if location[:depth] == rows_at and isinstance(row, int) and row < len(forms):
            form = forms[row]
            rest = location[depth + 1 :]
            form.add_error(rest[0] if len(rest) == 1 and rest[0] in form.fields else None, message)
        elif location in general:
            above.append(message)
        elif len(location) == 1:
            for form in field_forms:
                if location[0] in form.fields:
                    form.add_error(location[0], message)
    return above


class PartFormSet(BaseInlineFormSet):
    """The rows of one part of a profile."""

    def is_deleted(self, form):
        return self.can_delete and bool(getattr(form, "cleaned_data", {}).get("DELETE"))

    def kept_forms(self):
        """Forms whose rows will be saved, in the order the user gave them.

        With ORDER fields (the editor): by ORDER, rows without one last, then by position;
        a blank new row is not kept.
        """
        kept = [
            (index, form)
            for index, form in enumerate(self.forms)
            if getattr(form, "cleaned_data", None)
            and not self.is_deleted(form)
            and (form.instance.pk is not None or form.has_changed())
        ]
        if self.can_order:

            def position(pair):
                index, form = pair
                order = form.cleaned_data.get("ORDER")
                return (order is None, order if order is not None else 0, index)

            kept.sort(key=position)
        return [form for _index, form in kept]

    def removed_forms(self):
        """Forms of saved rows the user removed."""
        return [
            form for form in self.forms if form.instance.pk is not None and self.is_deleted(form)
        ]


def saved_sections(profile):
    """The profile's sections as saved, with their items (two queries; none when unsaved)."""
    if profile is None or profile.pk is None:
        return []
    sections = Section.objects.filter(profile=profile).order_by("order").prefetch_related("items")
    return [
        SectionDraft.from_model(
            section,
            items=[ItemDraft.from_model(item) for item in sorted(section.items.all(), key=_order)],
        )
        for section in sections
    ]


def _order(row):
    return row.order


def still_publishable(errors, saved):
    """A published profile keeps a responsibility: the part whose rows would take the saved
    ones away says so. Without any saved, the profile's own form (its clean()) does."""
    if saved.responsibility_count():
        return errors
    return [error for error in errors if error.location != ("status",)]


class CheckedFormSet(PartFormSet):
    """A formset of the admin that checks the profile's rules with its rows as posted."""

    part = None  # the ProfileDraft attribute its rows are: "criteria", "behaviours" …
    row_class = None  # the draft row each form is

    def profile(self):
        return self.instance

    def saved(self):
        """What the check needs of the profile as saved: its fields as the form left them."""
        profile = self.profile()
        if profile is None:
            return ProfileDraft()
        return ProfileDraft.from_profile(profile, children=False)

    def draft_row(self, form, saved):
        return self.row_class.from_data(form.cleaned_data)

    def draft(self, saved, rows):
        return replace(saved, **{self.part: rows})

    def report(self, errors, forms, saved):
        return report(errors, forms, (self.part,))

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        forms = self.kept_forms()
        saved = self.saved()
        draft = self.draft(saved, [self.draft_row(form, saved) for form in forms])
        above = self.report(rules.check_profile(draft), forms, saved)
        if above:
            raise ValidationError(above)


class SectionFormSet(CheckedFormSet):
    """Sections of one profile, each with its saved items."""

    part = "sections"

    def saved(self):
        return replace(super().saved(), sections=saved_sections(self.instance))

    def draft_row(self, form, saved):
        items = next(
            (section.items for section in saved.sections if section.pk == form.instance.pk), []
        )
        return SectionDraft.from_data(form.cleaned_data, items=items)

    def report(self, errors, forms, saved):
        errors = still_publishable(errors, saved)
        return report(errors, forms, ("sections",), general=[("sections",), ("status",)])


class ItemFormSet(CheckedFormSet):
    """Items of one section, checked with the section as its form left it and its siblings
    as saved."""

    part = "items"

    def profile(self):
        return self.instance.profile if self.instance.profile_id else None

    def saved(self):
        return replace(super().saved(), sections=saved_sections(self.profile()))

    def position(self, saved):
        pks = [section.pk for section in saved.sections]
        return pks.index(self.instance.pk) if self.instance.pk in pks else len(pks)

    def draft_row(self, form, saved):
        return ItemDraft.from_data(form.cleaned_data)

    def draft(self, saved, rows):
        sections = list(saved.sections)
        section = SectionDraft.from_model(self.instance, items=rows)
        sections[self.position(saved) : self.position(saved) + 1] = [section]
        return replace(saved, sections=sections)

    def report(self, errors, forms, saved):
        at = ("sections", self.position(saved))
        errors = still_publishable(errors, saved)
        general = [(*at, "weighting"), at, ("sections",), ("status",)]
        return report(errors, forms, (*at, "items"), general=general)


class CriterionFormSet(CheckedFormSet):
    """Criteria of one profile (shortlisting codes: next to every use of a repeated one)."""

    part = "criteria"
    row_class = CriterionDraft


class BehaviourFormSet(CheckedFormSet):
    """Behaviours of one profile (each level in the framework the profile's form gives)."""

    part = "behaviours"
    row_class = BehaviourDraft
