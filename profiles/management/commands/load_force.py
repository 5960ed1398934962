"""Load force fixtures: every object validated, every domain rule checked, all or nothing.

Each record is deserialised with natural keys, checked with full_clean() and saved;
once every file is in, each loaded profile's rules (weightings, shortlisting codes,
behaviour levels, what a published profile needs) are checked. Any error rolls the
whole load back and names the file, the record (model and natural key) and the field.
Loading a force again updates it in place: a loaded profile's children are replaced
by the fixture's, so removed items do not linger.
"""

import json

import reversion
from django.apps import apps
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

from profiles import rules
from profiles.dates import parse_partial_date
from profiles.draft import ProfileDraft, fetch_for_draft
from profiles.models import AuditAction, RoleProfile
from profiles.services import editing

# The models a force fixture may hold (national data and users are loaded otherwise),
# with the fields that make up each one's natural key, to name a record that could not
# be built.
KEY_FIELDS = {
    "profiles.force": ["slug"],
    "profiles.grade": ["force", "code"],
    "profiles.standardsection": ["force", "key"],
    "profiles.assessmentmethod": ["name"],
    "profiles.roleprofile": ["force", "slug"],
    "profiles.item": ["section", "order"],
    "profiles.postdetail": ["profile", "order"],
    "profiles.section": ["profile", "order"],
    "profiles.criterion": ["profile", "order"],
    "profiles.behaviour": ["profile", "order"],
    "profiles.skillrequirement": ["profile", "order"],
    "profiles.nosunit": ["profile", "order"],
}


class LoadError(Exception):
    def __init__(self, record, field, message):
        self.record, self.field, self.message = record, field, message


def describe(label, key):
    return f"{label} {tuple(key)!r}"


def record_key(record):
    """A record's natural key, read from its fields as written in the fixture."""
    if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
        return []
    fields = record["fields"]
    key = []
    for name in KEY_FIELDS.get(record.get("model", ""), []):
        value = fields.get(name)
        key.extend(value if isinstance(value, list) else [value])
    return key or [record.get("pk")]


def profile_children(profile):
    return [
        profile.sections.all(),
        profile.post_details.all(),
        profile.criteria.all(),
        profile.behaviours.all(),
        profile.skills.all(),
        profile.nos_units.all(),
    ]


# Review dates a fixture may write as "YYYY-MM" (a month) or "YYYY-MM-DD" (a day).
PARTIAL_DATES = {"profiles.roleprofile": ("date_reviewed", "review_due")}


def read_partial_dates(label, fields, record_name):
    """The fields with each review date as a day and its precision beside it."""
    fields = dict(fields)
    for name in PARTIAL_DATES.get(label, ()):
        if isinstance(fields.get(name), str):
            try:
                day, fields[f"{name}_precision"] = parse_partial_date(fields[name])
            except ValidationError as error:
                raise LoadError(record_name, name, " ".join(error.messages)) from error
            fields[name] = day.isoformat()
    return fields


def validate(instance):
    """full_clean(), except that a profile's clean() waits for its children (check_profile)."""
    if isinstance(instance, RoleProfile):
        instance.clean_fields()
        instance.validate_unique()
        instance.validate_constraints()
    else:
        instance.full_clean()


class Command(BaseCommand):
    help = "Load force fixtures, validating everything; on any error nothing is loaded."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Force fixture files (JSON).")

    def handle(self, *args, **options):
        files = options["files"]
        self.resolved = {}
        # One reversion revision for the whole load, so each profile's history shows it.
        with transaction.atomic(), reversion.create_revision():
            reversion.set_comment(f"Loaded by load_force from {', '.join(files)}.")
            profiles = {}
            for path in files:
                for profile in self.load_file(path):
                    profiles[profile.pk] = (path, profile)
            for path, profile in profiles.values():
                self.check_profile(path, profile)
                action = AuditAction.CREATE if profile.loaded_new else AuditAction.EDIT
                editing.record(profile, None, action, f"Loaded by load_force from {path}.")
        if options["verbosity"]:
            self.stdout.write(f"Loaded {len(files)} file(s), {len(profiles)} profile(s).")

    def load_file(self, path):
        try:
            with open(path, encoding="utf-8") as handle:
                records = json.load(handle)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path}: cannot read the fixture: {error}") from error
        if not isinstance(records, list):
            raise CommandError(f"{path}: a fixture is a JSON list of records.")
        profiles = []
        for number, record in enumerate(records, start=1):
            try:
                loaded = self.load_record(record)
            except LoadError as error:
                raise CommandError(
                    f"{path}: {error.record}: field {error.field!r}: {error.message}"
                ) from error
            except (DeserializationError, DatabaseError, ValueError, TypeError) as error:
                model = record.get("model") if isinstance(record, dict) else None
                raise CommandError(
                    f"{path}: record {number} ({describe(model, record_key(record))}): {error}"
                ) from error
            if isinstance(loaded, RoleProfile):
                profiles.append(loaded)
        return profiles

    def load_record(self, record):
        if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
            raise DeserializationError("a record is an object with 'model' and 'fields'.")
        label = str(record.get("model", "")).lower()
        name = describe(label, record_key(record))
        if label not in KEY_FIELDS:
            raise LoadError(
                name,
                "model",
                f"a force fixture holds only {', '.join(KEY_FIELDS)}; "
                "load national data with loaddata.",
            )
        model = apps.get_model(label)
        fields = read_partial_dates(label, record["fields"], name)
        fields = self.check_references(model, fields, name)
        deserialized = next(iter(serializers.deserialize("python", [{**record, "fields": fields}])))
        instance = deserialized.object
        # A record found by its natural key updates that row: validate it as such.
        instance._state.adding = not (
            instance.pk is not None and model._default_manager.filter(pk=instance.pk).exists()
        )
        try:
            validate(instance)
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise LoadError(name, field, " ".join(messages)) from error
        if isinstance(instance, RoleProfile):
            instance.loaded_new = instance._state.adding
        if isinstance(instance, RoleProfile) and not instance._state.adding:
            for children in profile_children(instance):
                children.delete()
            self.resolved.clear()
            # A reload is a change: an editor still holding the old revision must be refused.
            stored = RoleProfile.objects.filter(pk=instance.pk).values_list("revision", flat=True)
            instance.revision = stored.get() + 1
        deserialized.save()
        return instance

    def resolve(self, related, key):
        """The primary key of the `related` row with natural key `key`, looked up once."""
        cache_key = (related._meta.label_lower, tuple(key))
        if cache_key not in self.resolved:
            self.resolved[cache_key] = related._default_manager.get_by_natural_key(*key).pk
        return self.resolved[cache_key]

    def check_references(self, model, fields, name):
        """Every field exists, every value converts, and every natural key it names resolves.

        Returns the fields with each natural key replaced by the primary key it names.
        """
        checked = {}
        for field_name, value in fields.items():
            checked[field_name] = value
            try:
                field = model._meta.get_field(field_name)
            except FieldDoesNotExist as error:
                raise LoadError(name, field_name, "no such field.") from error
            if value is None:
                continue
            if not field.is_relation:
                try:
                    field.to_python(value)
                except ValidationError as error:
                    raise LoadError(name, field_name, " ".join(error.messages)) from error
                continue
            keys = value if field.many_to_many else [value]
            pks = []
            for key in keys:
                if not isinstance(key, list):
                    pks.append(key)
                    continue
                related = field.related_model
                try:
                    pks.append(self.resolve(related, key))
                except (ObjectDoesNotExist, TypeError, ValueError) as error:
                    raise LoadError(
                        name,
                        field_name,
                        f"no {related._meta.label_lower} with natural key {tuple(key)!r}.",
                    ) from error
            checked[field_name] = pks if field.many_to_many else pks[0]
        return checked

    def check_profile(self, path, profile):
        """The rules that span a profile's children, once all of them are in."""
        profile = fetch_for_draft(profile.pk)
        errors = rules.check_profile(ProfileDraft.from_profile(profile))
        if not errors:
            return
        sections = [e for e in errors if e.location[:1] == ("sections",) and len(e.location) == 3]
        if sections:
            # A section's items do not add up: name the section and its field.
            error = sections[0]
            section = profile.sections.all()[error.location[1]]
            raise CommandError(
                f"{path}: {describe('profiles.section', section.natural_key())}: "
                f"field {error.location[2]!r}: {error.message}"
            )
        raise CommandError(
            f"{path}: {describe('profiles.roleprofile', profile.natural_key())}: "
            f"{' '.join(rules.messages_of(errors))}"
        )
