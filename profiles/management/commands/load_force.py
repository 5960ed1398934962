"""Load force fixtures: every record checked, every domain rule checked, all or nothing.

Each file is read twice. The first reading checks every record with profiles.fixtures
(its fields against the model's, natural keys only, the forces the file declares,
duplicates, references) and writes nothing; if any record is wrong, every error of
every file is reported together. The second reading writes the records in one
transaction; once all are in, each loaded profile's rules (weightings, shortlisting
codes, behaviour levels, what a published profile needs) are checked, and any error
rolls the whole load back. Loading a force again updates it in place: a loaded
profile's children are replaced by the fixture's, so removed items do not linger.
Limits: profiles.fixtures.MAX_FIXTURE_BYTES and MAX_FIXTURE_RECORDS per file.
"""

import reversion
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from profiles import rules
from profiles.draft import ProfileDraft, fetch_for_draft
from profiles.fixtures import (
    FORCE,
    PARTS,
    FileError,
    Report,
    RunChecker,
    check_record,
    describe_record,
    is_timestamp,
    iter_records,
    read_text,
    show_key,
)
from profiles.models import AuditAction, RoleProfile
from profiles.services import editing


class Abort(Exception):
    """The database refused a write: the transaction cannot go on (PostgreSQL)."""


def profile_children(profile):
    return [
        profile.sections.all(),
        profile.post_details.all(),
        profile.criteria.all(),
        profile.behaviours.all(),
        profile.skills.all(),
        profile.nos_units.all(),
    ]


def validate(instance, new_child):
    """The model's own checks. A new child of a profile needs only clean(): its fields were
    checked before, its parent is new or emptied, and its key is unique in the run; a
    profile's clean() waits for its children (check_profile)."""
    if new_child:
        instance.clean()
    elif isinstance(instance, RoleProfile):
        instance.clean_fields()
        instance.validate_unique()
        instance.validate_constraints()
    else:
        instance.full_clean()


class Command(BaseCommand):
    help = (
        "Load force fixtures, checking everything; on any error nothing is loaded and every "
        "error is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Force fixture files (JSON).")

    def handle(self, *args, **options):
        files = options["files"]
        checker = RunChecker()
        for path in files:
            checker.check_file(path)
        if checker.report:
            raise CommandError(str(checker.report))
        report = Report()
        with transaction.atomic():
            profiles = self.write(files, report)
            if not report:
                for path, number, profile in profiles.values():
                    self.check_profile(path, number, profile, report)
            if report:
                transaction.set_rollback(True)
            else:
                for path, _number, profile in profiles.values():
                    self.record_history(path, profile)
        if report:
            raise CommandError(str(report))
        if options["verbosity"]:
            self.stdout.write(f"Loaded {len(files)} file(s), {len(profiles)} profile(s).")

    def write(self, files, report):
        """Write every record; returns {profile pk: (path, record number, profile)}."""
        # (label, natural key) -> (pk, record number) of what this run wrote.
        self.written = {}
        self.pks = {}
        # label -> (natural key, instance) of the last record written of each model.
        self.recent = {}
        profiles = {}
        for path in files:
            try:
                self.write_file(path, report, profiles)
            except FileError as error:  # the file changed since it was checked
                report.add(path, "the file", None, str(error))
            except Abort:
                break
        return profiles

    def write_file(self, path, report, profiles):
        for number, record in iter_records(read_text(path)):
            checked = check_record(record)
            if checked.errors or checked.key is None:  # the file changed since it was checked
                for field, message in checked.errors or [(None, "cannot be read again.")]:
                    report.add(path, describe_record(number, record), field, message)
                continue
            try:
                instance = self.write_record(checked, number)
            except ValidationError as error:
                # message_dict holds strings (update_error_dict holds ValidationErrors)
                details = (
                    error.message_dict
                    if hasattr(error, "error_dict")
                    else {"__all__": error.messages}
                )
                for field, messages in details.items():
                    report.add(
                        path,
                        describe_record(number, record),
                        None if field == "__all__" else field,
                        " ".join(messages),
                    )
                continue
            except Abort as error:
                report.add(path, describe_record(number, record), None, str(error))
                raise
            if isinstance(instance, RoleProfile):
                profiles[instance.pk] = (path, number, instance)

    def pk_of(self, model, key):
        """The primary key of the `model` row with natural key `key`, looked up once."""
        label = model._meta.label_lower
        if (label, key) in self.written:
            return self.written[label, key][0]
        if (label, key) not in self.pks:
            self.pks[label, key] = model._default_manager.get_by_natural_key(*key).pk
        return self.pks[label, key]

    def write_record(self, checked, number):
        label, model = checked.label, checked.model
        parent = PARTS[label].parent
        parent_label = parent and model._meta.get_field(parent).related_model._meta.label_lower
        # The parent's key is the record's key without its own fields (none for a house style).
        parent_key = checked.key[: len(checked.key) - len(PARTS[label].own)]
        if parent_label and (parent_label, parent_key) not in self.written:
            # Its parent could not be written; that error is reported already.
            raise ValidationError({})
        # A child of a profile follows its profile, which this run wrote new or emptied.
        new_child = parent_label not in (None, FORCE)
        values, many = {}, {}
        for name, value in checked.values.items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                many[name] = [self.pk_of(field.related_model, key) for key in value]
            elif name == parent and self.recent.get(parent_label, (None,))[0] == value:
                # The parent object itself, so the model's clean() and the signals of the
                # save find it without a query.
                values[name] = self.recent[parent_label][1]
            elif field.is_relation:
                values[field.attname] = (
                    None if value is None else self.pk_of(field.related_model, value)
                )
            else:
                values[name] = value
        instance = model(**values)
        stored = None
        if not new_child and self.exists(model, checked.key):
            instance.pk = self.pk_of(model, checked.key)
            instance._state.adding = False
            stored = model._default_manager.filter(pk=instance.pk)
        self.fill_timestamps(instance, checked, stored)
        validate(instance, new_child)
        if isinstance(instance, RoleProfile):
            instance.loaded_new = stored is None
            if stored is not None:
                for children in profile_children(instance):
                    children.delete()
                # A reload is a change: an editor still holding the old revision is refused.
                instance.revision = stored.values_list("revision", flat=True).get() + 1
        try:
            models.Model.save_base(instance, raw=True)
            for name, pks in many.items():
                getattr(instance, name).set(pks)
        except DatabaseError as error:
            raise Abort(f"the database refused the record: {error}") from error
        self.written[label, checked.key] = (instance.pk, number)
        self.recent[label] = (checked.key, instance)
        return instance

    def exists(self, model, key):
        try:
            self.pk_of(model, key)
        except model.DoesNotExist:
            return False
        return True

    def fill_timestamps(self, instance, checked, stored):
        """A timestamp the record leaves out: now, or kept as stored for a row it updates."""
        for field in instance._meta.concrete_fields:
            if not is_timestamp(field) or field.name in checked.values:
                continue
            if stored is not None and field.auto_now_add:
                value = stored.values_list(field.attname, flat=True).get()
            else:
                value = timezone.now()
            setattr(instance, field.attname, value)

    def check_profile(self, path, number, profile, report):
        """The rules that span a profile's children (rules.check_profile), once all are in;
        a section's broken rule is named by the section's record."""
        profile = fetch_for_draft(profile.pk)
        errors = rules.check_profile(ProfileDraft.from_profile(profile))
        sections = list(profile.sections.all())
        others = []
        for error in errors:
            if error.location[:1] == ("sections",) and len(error.location) == 3:
                key = sections[error.location[1]].natural_key()
                _pk, section_number = self.written["profiles.section", key]
                where = f"record {section_number} profiles.section {show_key(key)}"
                report.add(path, where, error.location[2], error.message)
            else:
                others.append(error)
        if others:
            where = f"record {number} profiles.roleprofile {show_key(profile.natural_key())}"
            report.add(path, where, None, " ".join(rules.messages_of(others)))

    def record_history(self, path, profile):
        """One version per loaded profile (with its children) and an audit entry."""
        comment = f"Loaded by load_force from {path}."
        with reversion.create_revision():
            reversion.set_comment(comment)
            reversion.add_to_revision(profile)
        action = AuditAction.CREATE if profile.loaded_new else AuditAction.EDIT
        editing.record(profile, None, action, comment)
