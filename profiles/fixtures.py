"""Reads and checks force fixtures, so that a file can change only the forces it declares.

`load_force` reads each file twice with these functions: first to find every error of
every record (nothing is written), then, only if there was none, to build the rows it
writes. Checks are driven by the models' own fields (type, null, blank, choices,
max_length, validators), so a field added to a model is checked without a change here.
The domain rules that span a profile (weightings, what a published profile needs) are
not checked here: load_force calls them once the rows are in.

What a force fixture may hold (the natural key of each record in brackets):

    profiles.force          [slug]                   declares the force the file changes
    profiles.grade          [force, code]
    profiles.welshlevel     [force, level]           the force's Welsh language levels
    profiles.standardsection [force, key]
    profiles.roleprofile    [force, slug]
    profiles.section, postdetail, criterion, behaviour, skillrequirement, nosunit
                            [force, profile slug, order]
    profiles.item           [force, profile slug, section order, order]

It runs past 400 lines because the record-by-record checks and the table of what a force
fixture may hold belong together: a new model is one line here and one check path.
"""

import json
import mimetypes
import re
from dataclasses import dataclass, field
from functools import cache
from inspect import signature

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone

from profiles import logos
from profiles.dates import parse_partial_date

# A file larger than this, or with more records, is refused (split it by force); a file is
# decoded one record at a time, so memory holds its text, never all its records.
# 30,000 records of real profiles are about 10 MB.
MAX_FIXTURE_BYTES = 32 * 1024 * 1024
MAX_FIXTURE_RECORDS = 50_000
# Every error is counted; this many are printed.
MAX_REPORTED_ERRORS = 200


@dataclass(frozen=True)
class Part:
    """A model a force fixture may hold: the field naming what a record belongs to (its
    parent, which comes earlier in the same file), and the fields completing its key."""

    parent: str | None
    own: tuple


PARTS = {
    "profiles.force": Part(None, ("slug",)),
    "profiles.housestyle": Part("force", ()),
    "profiles.grade": Part("force", ("code",)),
    "profiles.welshlevel": Part("force", ("level",)),
    "profiles.standardsection": Part("force", ("key",)),
    "profiles.roleprofile": Part("force", ("slug",)),
    "profiles.section": Part("profile", ("order",)),
    "profiles.item": Part("section", ("order",)),
    "profiles.postdetail": Part("profile", ("order",)),
    "profiles.criterion": Part("profile", ("order",)),
    "profiles.behaviour": Part("profile", ("order",)),
    "profiles.skillrequirement": Part("profile", ("order",)),
    "profiles.nosunit": Part("profile", ("order",)),
}
FORCE = "profiles.force"
# Reference data every force shares: a force fixture may name it, never change it.
NATIONAL_APPS = {"competencies", "vetting"}
NATIONAL_MODELS = {"profiles.assessmentmethod"}
# Integer columns are checked against PostgreSQL's ranges on every database, so that a
# fixture that loads on SQLite also loads on PostgreSQL.
INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges
PLAIN_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


class FixtureError(Exception):
    """One problem with a field of a record (field None: with the record as a whole)."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field, self.message = field, message


class FileError(Exception):
    """A problem with the file as a whole: nothing after it can be read."""


# Reading ----------------------------------------------------------------------------------


class JSONObject(dict):
    """A JSON object that remembers the names it was given more than once."""

    repeated = ()


def _object(pairs):
    result = JSONObject(pairs)
    if len(result) < len(pairs):
        seen = set()
        result.repeated = sorted({k for k, _ in pairs if k in seen or seen.add(k)})
    return result


def _refuse_constant(name):
    raise ValueError(f"{name} is not a JSON value")


_decoder = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_refuse_constant)
_blank = re.compile(r"[ \t\n\r]*")


def read_text(path):
    """The file's text, refused if it is over the size limit or not UTF-8."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FIXTURE_BYTES + 1)
    except OSError as error:
        raise FileError(f"cannot read the fixture: {error.strerror or error}.") from error
    if len(data) > MAX_FIXTURE_BYTES:
        raise FileError(
            f"the fixture is larger than {MAX_FIXTURE_BYTES // 2**20} MB, the most load_force "
            "reads; split it into one file per force."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileError(
            f"cannot read the fixture: it is not UTF-8 text (byte {error.start})."
        ) from error


def _where(text, pos):
    line = text.count("\n", 0, pos) + 1
    return f"line {line} column {pos - text.rfind(chr(10), 0, pos)}"


def iter_records(text):
    """Yield (number, record) from the JSON list in `text`, decoding one record at a time,
    so that memory holds the text and one record, never every record at once."""
    pos = _blank.match(text).end()
    if text[pos : pos + 1] != "[":
        raise FileError(
            "cannot read the fixture: a force fixture is a JSON list of records, "
            '[{"model": …, "fields": {…}}, …].'
        )
    pos = _blank.match(text, pos + 1).end()
    if text[pos : pos + 1] == "]":
        number = 0
    else:
        number = 1
        while True:
            if number > MAX_FIXTURE_RECORDS:
                raise FileError(
                    f"the fixture holds more than {MAX_FIXTURE_RECORDS:,} records, the most "
                    "load_force reads; split it into one file per force."
                )
            try:
                record, pos = _decoder.raw_decode(text, pos)
            except json.JSONDecodeError as error:
                raise FileError(
                    f"cannot read the fixture: record {number} is not valid JSON "
                    f"({error.msg} at {_where(text, error.pos)})."
                ) from error
            except RecursionError as error:
                raise FileError(
                    f"cannot read the fixture: record {number} is nested too deeply "
                    f"(at {_where(text, pos)})."
                ) from error
            except ValueError as error:
                raise FileError(
                    f"cannot read the fixture: record {number} holds a value JSON does not "
                    f"allow or too long a number (at {_where(text, pos)}): {error}."
                ) from error
            yield number, record
            pos = _blank.match(text, pos).end()
            if text[pos : pos + 1] != ",":
                break
            pos = _blank.match(text, pos + 1).end()
            number += 1
    if text[pos : pos + 1] != "]" or _blank.match(text, pos + 1).end() != len(text):
        raise FileError(
            f"cannot read the fixture: expected ',' or the list's closing ']' after record "
            f"{number} (at {_where(text, pos)})."
        )


# Describing -------------------------------------------------------------------------------


def json_type(value):
    """What a JSON value is, in the words of JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def show(value):
    """A short, safe rendering of a value as a fixture wrote it (never a deep repr)."""
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "…")
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    return f"<{json_type(value)}>"


def show_key(values):
    return "(" + ", ".join(show(v) for v in values) + ("," if len(values) == 1 else "") + ")"


def describe_record(number, record):
    """`record 5 profiles.section ('gwent', 'cso', 1)`, from whatever the record holds."""
    if not isinstance(record, dict):
        return f"record {number}"
    label = record.get("model")
    if not isinstance(label, str) or label.lower() not in PARTS:
        return f"record {number}" + (f" {show(label)}" if isinstance(label, str) else "")
    fields = record.get("fields")
    fields = fields if isinstance(fields, dict) else {}
    return f"record {number} {label.lower()} {show_key(raw_key(label.lower(), fields))}"


def raw_key(label, fields):
    """A record's natural key as written, for messages (nested values are not expanded)."""
    part = PARTS[label]
    key = []
    if part.parent is not None:
        parent = fields.get(part.parent)
        key.extend(parent if isinstance(parent, list) else [parent])
    model = apps.get_model(label)
    for name in part.own:
        key.append(fields.get(name, model._meta.get_field(name).get_default()))
    return key


# Checking values ---------------------------------------------------------------------------


@cache
def key_fields(label):
    """The model fields whose values make up a natural key of `label`, parent's first."""
    part = PARTS[label]
    model = apps.get_model(label)
    fields = []
    if part.parent is not None:
        fields.extend(
            key_fields(model._meta.get_field(part.parent).related_model._meta.label_lower)
        )
    return (*fields, *(model._meta.get_field(name) for name in part.own))


def is_timestamp(field):
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def settable(field):
    """Whether a fixture may set `field`: concrete, not the primary key, not bookkeeping."""
    return (
        getattr(field, "concrete", False)
        and not field.primary_key
        and (field.editable or is_timestamp(field))
    )


def expected_types(field):
    if isinstance(field, models.JSONField):
        # A house style's labels: an object of text (HouseStyle.clean checks names and values).
        return (dict,), "an object"
    if isinstance(field, models.BooleanField):
        return (bool,), "true or false"
    if isinstance(field, models.IntegerField):
        return (int,), "a whole number"
    if isinstance(field, models.DecimalField | models.FloatField):
        return (int, float, str), "a number"
    if isinstance(field, models.CharField | models.TextField | models.FileField):
        return (str,), "text"
    if isinstance(field, models.DateField | models.TimeField | models.DurationField):
        return (str,), "text"
    return (str, int, float, bool), "text, a number or true or false"


def check_text(value):
    if "\x00" in value:
        raise FixtureError(None, "contains a NUL character (\\u0000), which cannot be stored.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise FixtureError(None, "contains a character that is not valid Unicode text.") from error


def check_file(field, value):
    """A file field names a file already in its upload folder, by a plain name."""
    if value == "":
        if field.blank:
            return ""
        raise FixtureError(None, "This field is required.")
    folder = field.upload_to if isinstance(field.upload_to, str) else ""
    name = value[len(folder) :] if folder and value.startswith(folder) else None
    if name is None or ".." in value or not PLAIN_FILE_NAME.fullmatch(name):
        raise FixtureError(
            None,
            f"must be a plain file name in the media folder's {folder!r}, such as "
            f"'{folder}force.png': no other folder, no '..', no absolute path.",
        )
    if isinstance(field, models.ImageField):
        # Imported here: profiles.printing.pdf loads WeasyPrint, which a fixture without logos never needs.
        from profiles.printing.pdf import LOGO_TYPES

        if mimetypes.guess_type(name)[0] not in LOGO_TYPES:
            raise FixtureError(None, "must be a PNG, JPEG, GIF or WebP image.")
    if not field.storage.exists(value):
        raise FixtureError(
            None, f"there is no file {value!r} in the media folder; put the file there first."
        )
    if isinstance(field, models.ImageField):
        with field.storage.open(value, "rb") as file:
            try:
                logos.open_checked(file.read(logos.MAX_BYTES + 1))
            except logos.LogoRefused as error:
                raise FixtureError(None, str(error)) from None
    return value


def convert(field, value):
    """`value` as `field` stores it, or FixtureError: type, text, range and every check
    the field itself makes (null, blank, choices, max_length, validators)."""
    if value is not None:
        types, wanted = expected_types(field)
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            raise FixtureError(None, f"must be {wanted}, not {json_type(value)}.")
        if isinstance(value, str):
            check_text(value)
        if isinstance(value, dict):
            for text in [*value, *value.values()]:
                if isinstance(text, str):
                    check_text(text)
        if isinstance(field, models.FileField):
            return check_file(field, value)
        low, high = INTEGER_RANGES.get(field.get_internal_type(), (None, None))
        if isinstance(value, int) and low is not None and not low <= value <= high:
            raise FixtureError(None, f"must be between {low} and {high}.")
    try:
        result = field.clean(value, None)
    except ValidationError as error:
        raise FixtureError(None, " ".join(error.messages)) from error
    if isinstance(result, timezone.datetime) and timezone.is_naive(result):
        raise FixtureError(None, "needs a time zone, e.g. 2026-01-01T00:00:00Z.")
    return result


@cache
def key_length(model):
    """How many values the model's natural key has (from its manager's get_by_natural_key)."""
    return len(signature(model._default_manager.get_by_natural_key).parameters)


def natural_key(field, value):
    """A reference as a tuple of the values of the natural key it gives."""
    related = field.related_model
    name = related._meta.label_lower
    if not isinstance(value, list):
        raise FixtureError(
            None,
            f"must be the natural key of a {name}, a list such as "
            f"{example_key(related)}, not {json_type(value)}; records are never named by "
            "primary key.",
        )
    if related._meta.label_lower in PARTS:
        fields = key_fields(name)
        if len(value) != len(fields):
            raise FixtureError(
                None, f"the natural key of a {name} has {len(fields)} values, not {len(value)}."
            )
        key = []
        for key_field, part in zip(fields, value, strict=True):
            try:
                key.append(convert(key_field, part))
            except FixtureError as error:
                raise FixtureError(
                    None, f"in the natural key of a {name}: {key_field.name} {error.message}"
                ) from error
        return tuple(key)
    if len(value) != key_length(related):
        raise FixtureError(
            None, f"the natural key of a {name} has {key_length(related)} values, not {len(value)}."
        )
    for part in value:
        if part is None or not isinstance(part, str | int) or isinstance(part, bool):
            raise FixtureError(
                None, f"the natural key of a {name} holds text and whole numbers only."
            )
        if isinstance(part, str):
            check_text(part)
    return tuple(value)


def example_key(model):
    if model._meta.label_lower in PARTS:
        return "[" + ", ".join(f'"<{f.name}>"' for f in key_fields(model._meta.label_lower)) + "]"
    return "[" + ", ".join('"…"' for _ in range(key_length(model))) + "]"


# Checking records --------------------------------------------------------------------------


@dataclass
class Checked:
    """A record as load_force writes it: its values converted, its references as keys."""

    label: str
    key: tuple | None
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    @property
    def model(self):
        return apps.get_model(self.label)

    @property
    def force(self):
        return self.key[0] if self.key else None


def model_label(record):
    """The record's model label, or FixtureError saying why a force fixture may not hold it."""
    label = record.get("model")
    if not isinstance(label, str):
        raise FixtureError(
            "model",
            f'must be a model name such as "profiles.roleprofile", not {json_type(label)}.',
        )
    label = label.lower()
    if label in PARTS:
        return label
    app = label.partition(".")[0]
    if app in NATIONAL_APPS or label in NATIONAL_MODELS:
        raise FixtureError(
            "model",
            f"{label} is national data, which a force fixture may name but never change; "
            "load it with loaddata.",
        )
    raise FixtureError(
        "model",
        f"a force fixture holds only {', '.join(PARTS)}; load national data with loaddata.",
    )


def check_record(record):
    """Convert one record, collecting every error of its fields (no database lookups)."""
    if not isinstance(record, dict):
        checked = Checked("", None)
        checked.errors.append(
            (None, f'a record is a JSON object with "model" and "fields", not {json_type(record)}.')
        )
        return checked
    checked = Checked("", None)
    for name in getattr(record, "repeated", ()):
        checked.errors.append((name, "is given twice in the record."))
    for name in record:
        if name == "pk":
            checked.errors.append(
                ("pk", "records are named by their natural key; a force fixture never gives a pk.")
            )
        elif name not in ("model", "fields"):
            checked.errors.append((name, 'a record holds only "model" and "fields".'))
    try:
        checked.label = model_label(record)
    except FixtureError as error:
        checked.errors.append((error.field, error.message))
        return checked
    fields = record.get("fields")
    if not isinstance(fields, dict):
        checked.errors.append(
            ("fields", f"must be an object of field names and values, not {json_type(fields)}.")
        )
        return checked
    for name in getattr(fields, "repeated", ()):
        checked.errors.append((name, "is given twice."))
    model = checked.model
    for name, value in fields.items():
        try:
            if name in PARTIAL_DATES.get(checked.label, ()) and isinstance(value, str):
                checked.values[name] = read_partial_date(checked, name, value, fields)
            else:
                checked.values[name] = check_field(model, name, value)
        except FixtureError as error:
            checked.errors.append((name, error.message))
    for model_field in model._meta.get_fields():
        if settable(model_field) and model_field.name not in fields and required(model_field):
            checked.errors.append((model_field.name, "This field is required."))
    checked.key = record_key(checked, fields)
    return checked


# Review dates a fixture may write as "YYYY-MM" (a month) or "YYYY-MM-DD" (a day).
PARTIAL_DATES = {"profiles.roleprofile": ("date_reviewed", "review_due")}


def read_partial_date(checked, name, value, fields):
    """The day a review date is stored as; its precision goes beside it unless the record
    gives that too."""
    try:
        day, precision = parse_partial_date(value)
    except ValidationError as error:
        raise FixtureError(name, " ".join(error.messages)) from error
    if f"{name}_precision" not in fields:
        checked.values[f"{name}_precision"] = precision
    return day


def required(model_field):
    return not (
        model_field.blank
        or model_field.null
        or model_field.has_default()
        or is_timestamp(model_field)
    )


def check_field(model, name, value):
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist as error:
        raise FixtureError(name, f"{model._meta.label_lower} has no such field.") from error
    if getattr(model_field, "primary_key", False):
        raise FixtureError(
            name, "records are named by their natural key; a force fixture never gives a pk."
        )
    if not settable(model_field):
        raise FixtureError(
            name,
            f"{model._meta.label_lower} has no such field."
            if not getattr(model_field, "concrete", False)
            else "is kept by the application; a fixture cannot set it.",
        )
    if model_field.many_to_many:
        if not isinstance(value, list):
            raise FixtureError(name, f"must be a list of natural keys, not {json_type(value)}.")
        keys = [natural_key(model_field, key) for key in value]
        if len(set(keys)) < len(keys):
            raise FixtureError(name, "names the same record twice.")
        return keys
    if model_field.is_relation:
        if value is None:
            if not model_field.null:
                raise FixtureError(name, "This field cannot be null.")
            return None
        return natural_key(model_field, value)
    return convert(model_field, value)


def record_key(checked, fields):
    """The record's natural key from its converted values, or None if a part is invalid."""
    part = PARTS[checked.label]
    model = checked.model
    key = []
    if part.parent is not None:
        parent = checked.values.get(part.parent)
        if part.parent not in fields or not isinstance(parent, tuple):
            return None
        key.extend(parent)
    for name in part.own:
        if name in fields:
            if name not in checked.values:
                return None
            key.append(checked.values[name])
        else:
            key.append(model._meta.get_field(name).get_default())
    return tuple(key)


# Checking a run ----------------------------------------------------------------------------


@dataclass
class Problem:
    path: str
    where: str
    field: str | None
    message: str

    def __str__(self):
        field_part = f"field {show(self.field)}: " if self.field else ""
        return f"{self.path}: {self.where}: {field_part}{self.message}"


class Report:
    """Every error of a run, counted; the first MAX_REPORTED_ERRORS kept to print."""

    def __init__(self):
        self.problems, self.count = [], 0

    def add(self, path, where, field, message):
        self.count += 1
        if len(self.problems) < MAX_REPORTED_ERRORS:
            self.problems.append(Problem(str(path), where, field, message))

    def __bool__(self):
        return bool(self.count)

    def __str__(self):
        lines = [str(problem) for problem in self.problems]
        if self.count > len(self.problems):
            lines.append(f"… and {self.count - len(self.problems)} more errors.")
        noun = "error" if self.count == 1 else "errors"
        lines.append(f"{self.count} {noun}; nothing was loaded.")
        return "\n".join(lines)


class RunChecker:
    """Checks the files of one load_force run in order: what each record may name,
    references, scope and duplicates. Holds only keys, never records."""

    def __init__(self):
        self.report = Report()
        self.seen = {label: {} for label in PARTS}  # label -> {key: (path, number)}
        self.found = {}  # (label, key) -> whether the database holds it

    def check_file(self, path):
        declared = set()
        try:
            text = read_text(path)
            number = 0
            for number, record in iter_records(text):
                self.check(path, number, record, declared)
            if not number:
                raise FileError("the fixture holds no records; a force fixture declares its force.")
        except FileError as error:
            self.report.add(path, "the file", None, str(error))

    def check(self, path, number, record, declared):
        where = describe_record(number, record)
        checked = check_record(record)
        for field_name, message in checked.errors:
            self.report.add(path, where, field_name, message)
        if checked.key is None:
            return
        for field_name, message in self.check_scope(path, checked, declared):
            self.report.add(path, where, field_name, message)
        seen = self.seen[checked.label]
        if checked.key in seen:
            other_path, other = seen[checked.key]
            elsewhere = "" if other_path == path else f" of {other_path}"
            self.report.add(
                path,
                where,
                None,
                f"repeats record {other}{elsewhere}, which has the same natural key; "
                "each record appears once, or one of them would silently be lost.",
            )
            return
        seen[checked.key] = (path, number)
        if checked.label == FORCE:
            declared.add(checked.force)

    def check_scope(self, path, checked, declared):
        """The record belongs to a force this file declares, follows its parent in this file,
        and names only its own force's records and existing national data."""
        label, force = checked.label, checked.force
        if label != FORCE and force not in declared:
            yield (
                PARTS[label].parent,
                f"belongs to force {force!r}, which this file does not declare: a force "
                "fixture changes only the forces of its own profiles.force records, which "
                "come before the rest.",
            )
            return
        parent = PARTS[label].parent
        model = checked.model
        for name, value in checked.values.items():
            model_field = model._meta.get_field(name)
            if not model_field.is_relation or value is None:
                continue
            related = model_field.related_model._meta.label_lower
            keys = value if model_field.many_to_many else [value]
            for key in keys:
                if related not in PARTS:
                    if not self.exists(model_field.related_model, key):
                        yield name, f"no {related} with natural key {show_key(key)}."
                elif name == parent:
                    if related != FORCE and self.seen[related].get(key, ("",))[0] != path:
                        yield (
                            name,
                            f"{related} {show_key(key)} does not come before this record in "
                            "this file: a record follows the record it belongs to, in the "
                            "same file.",
                        )
                elif key[0] != force:
                    yield name, f"names a {related} of force {key[0]!r}, not of {force!r}."
                elif key not in self.seen[related] and not self.exists(
                    model_field.related_model, key
                ):
                    yield name, f"no {related} with natural key {show_key(key)}."

    def exists(self, model, key):
        cache_key = (model._meta.label_lower, key)
        if cache_key not in self.found:
            try:
                model._default_manager.get_by_natural_key(*key)
                self.found[cache_key] = True
            except (
                model.DoesNotExist,
                model.MultipleObjectsReturned,
                ValidationError,
                ValueError,
                TypeError,
            ):
                self.found[cache_key] = False
        return self.found[cache_key]
