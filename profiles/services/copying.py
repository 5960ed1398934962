"""Copying a profile's content: one snapshot -> apply path for every copy.

A *snapshot* is the plain-data form of one profile's content: its content fields and its
children as lists of dicts, references as ids, without row ids. It is read from the database
(`snapshot_of`), from a stored django-reversion version (`snapshot_from_version`) or from a
ProfileDraft (`ProfileDraft.to_snapshot`), and written into a row by `apply_snapshot`. Copying
a profile, starting a working draft, publishing one, restoring an old version and creating a
profile from an imported document all go through `apply_snapshot`.
"""

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import transaction

from profiles import rules
from profiles.draft import CHILDREN, CONTENT_FIELDS, PROFILE_PREFETCH, content_fields
from profiles.models import (
    Item,
    NosUnit,
    RoleProfile,
    Section,
    Status,
)
from profiles.services import editing
from profiles.services.addresses import unique_slug

CHILD_FIELDS = {name: content_fields(model, {"id", "profile"}) for name, model in CHILDREN.items()}
ITEM_FIELDS = content_fields(Item, {"id", "section"})


def _values(obj, fields):
    values = {}
    for field in fields:
        if field.many_to_many:
            values[field.name] = sorted(related.pk for related in getattr(obj, field.name).all())
        else:
            values[field.attname] = getattr(obj, field.attname)
    return values


def snapshot_of(profile):
    """The profile's content as plain data, read from the database."""
    profile = RoleProfile.objects.filter(pk=profile.pk).prefetch_related(*PROFILE_PREFETCH).get()
    snapshot = {"fields": _values(profile, CONTENT_FIELDS)}
    for name, fields in CHILD_FIELDS.items():
        rows = []
        for child in getattr(profile, name).all():
            row = _values(child, fields)
            if name == "sections":
                row["items"] = [_values(item, ITEM_FIELDS) for item in child.items.all()]
            rows.append(row)
        snapshot[name] = rows
    return snapshot


def _version_values(version, fields):
    data = version.field_dict
    return {
        field.name if field.many_to_many else field.attname: (
            sorted(data.get(field.attname, [])) if field.many_to_many else data[field.attname]
        )
        for field in fields
        if field.many_to_many or field.attname in data
    }


def snapshot_from_version(version):
    """The profile's content as it was in a stored version (one query for the revision)."""
    versions = list(version.revision.version_set.select_related("content_type"))
    by_model = {}
    for stored in versions:
        by_model.setdefault(stored.content_type.model_class(), []).append(stored)
    profile_id = int(version.object_id)
    snapshot = {"fields": _version_values(version, CONTENT_FIELDS)}
    section_rows = {}
    for name, model in CHILDREN.items():
        rows = []
        for stored in by_model.get(model, []):
            if stored.field_dict["profile_id"] != profile_id:
                continue
            row = _version_values(stored, CHILD_FIELDS[name])
            if model is Section:
                row["items"] = []
                section_rows[int(stored.object_id)] = row
            rows.append(row)
        snapshot[name] = sorted(rows, key=lambda row: row["order"])
    for stored in by_model.get(Item, []):
        section = section_rows.get(stored.field_dict["section_id"])
        if section is not None:
            section["items"].append(_version_values(stored, ITEM_FIELDS))
    for section in section_rows.values():
        section["items"].sort(key=lambda row: row["order"])
    return snapshot


def _assign(obj, values):
    many = {}
    for key, value in values.items():
        if isinstance(value, list):
            many[key] = value
        else:
            setattr(obj, key, value)
    return many


def apply_snapshot(profile, snapshot, status=None):
    """Make `profile` hold the snapshot's content, replacing all its children.

    Call inside a transaction; saves the profile (not its revision: see
    editing.claim_revision).
    """
    _assign(profile, snapshot["fields"])
    if status is not None:
        profile.status = status
    profile.save()
    for name, model in CHILDREN.items():
        getattr(profile, name).all().delete()
        for values in snapshot[name]:
            values = dict(values)
            items = values.pop("items", None)
            child = model()
            many = _assign(child, values)
            editing.write_row(child, many=many, profile=profile)
            for item_values in items or []:
                item = Item()
                _assign(item, item_values)
                editing.write_row(item, section=child)
    return profile


def working_draft_row(profile):
    """A new (unsaved) working-draft row of a published profile; see services.lifecycle."""
    return RoleProfile(
        force=profile.force,
        slug=f"{profile.slug[:113]}--draft",
        draft_of=profile,
        status=Status.DRAFT,
        version=profile.version + 1,
    )


def create_profile(force, title, *, user, source=None):
    """A new draft profile in `force`: blank, or a copy of `source` with every child."""
    with transaction.atomic():
        profile = RoleProfile(force=force, title=title, slug=unique_slug(force, title))
        if source is None:
            profile.save()
        else:
            snapshot = snapshot_of(source)
            snapshot["fields"]["title"] = title
            if source.force_id != force.pk:
                # Grades belong to a force; a copy into another force keeps the text only.
                snapshot["fields"]["grade_id"] = snapshot["fields"]["grade_to_id"] = None
            apply_snapshot(profile, snapshot, status=Status.DRAFT)
        editing.record_creation(profile, user, f"Copied from “{source}”." if source else "")
    return profile


def create_from_editor(editor, *, user, comment="", nos_units=()):
    """A new profile from a validated editor over an unsaved one (profiles.editor.new_profile): the
    profile, every row, its first version and audit entry, in one transaction.

    `nos_units` are snapshot rows (services.copying) of the NOS units to give it: the editor
    does not show them, so a copy brings its source's this way.
    """
    with transaction.atomic():
        profile = editor.form.instance
        profile.slug = unique_slug(profile.force, editor.form.cleaned_data["title"])
        profile.status = Status.DRAFT
        editing.write_editor(editor)
        for values in nos_units:
            unit = NosUnit()
            _assign(unit, values)
            editing.write_row(unit, profile=profile)
        editing.record_creation(profile, user, comment)
    return profile


class DraftRefused(ValidationError):
    """A ProfileDraft breaks rules; `errors` holds every RuleError (code, message, location)."""

    def __init__(self, errors):
        super().__init__(rules.messages_of(errors), code="rules")
        self.errors = errors


def create_from_draft(force, draft, *, user=None, slug=None, comment=""):
    """A new draft profile in `force` holding everything in `draft` (a profiles.draft.ProfileDraft).

    The draft is checked first (`rules.check_profile`, its grades against `force`): on any
    broken rule DraftRefused is raised and nothing is written. The profile, every row and its
    first version and audit entry are written in one transaction. `slug` defaults to one made
    from the title, unique in the force. Returns the new RoleProfile.
    """
    draft = replace(draft, force_id=force.pk, status=Status.DRAFT)
    errors = rules.check_profile(draft)
    if errors:
        raise DraftRefused(errors)
    with transaction.atomic():
        profile = RoleProfile(force=force, slug=slug or unique_slug(force, draft.title))
        apply_snapshot(profile, draft.to_snapshot(), status=Status.DRAFT)
        editing.record_creation(profile, user, comment)
    return profile
