"""A force fixture changes only the forces it declares, and a bad one is refused whole, with
every error named (issue 10, "load_force must stay inside its force"; issue 13, fixture
creation details)."""

import json

import pytest
from django.core.management import call_command

from profiles import fixtures
from profiles.models import (
    AssessmentMethod,
    Force,
    Item,
    RoleProfile,
    Section,
)
from tests.conftest import FIXTURES
from tests.patching import patch
from tests.test_load_force import find, gwent_records, refuse, row_counts, write

AVON = FIXTURES / "forces" / "avon-and-somerset.json"
PROFILE = ("gwent", "community-support-officer")


def avon_rows():
    """Every column of every row of Avon and Somerset, its profile's children included."""
    profile = RoleProfile.objects.get(force__slug="avon-and-somerset")
    return {
        "force": list(Force.objects.filter(slug="avon-and-somerset").values()),
        "profile": list(RoleProfile.objects.filter(pk=profile.pk).values()),
        "sections": list(Section.objects.filter(profile=profile).order_by("pk").values()),
        "items": list(Item.objects.filter(section__profile=profile).order_by("pk").values()),
        "criteria": list(profile.criteria.order_by("pk").values()),
        "skills": list(profile.skills.order_by("pk").values()),
    }


@pytest.fixture
def avon(national_data):
    call_command("load_force", str(AVON), verbosity=0)
    return RoleProfile.objects.get(force__slug="avon-and-somerset")


def refused_and_unchanged(path, *expected):
    """Load `path` expecting a refusal holding every expected text; nothing may change."""
    before = row_counts()
    message = refuse(path)
    for text in expected:
        assert text in message
    assert row_counts() == before
    return message


def test_a_profile_record_with_the_pk_of_another_forces_profile_is_refused_and_moves_nothing(
    avon, tmp_path
):
    records = gwent_records()
    find(records, "profiles.roleprofile")["pk"] = avon.pk
    before = avon_rows()

    refused_and_unchanged(
        write(tmp_path, records),
        "record 9 profiles.roleprofile ('gwent', 'community-support-officer'): field 'pk': "
        "records are named by their natural key; a force fixture never gives a pk.",
    )

    assert avon_rows() == before


def test_a_section_with_the_pk_of_another_forces_section_is_refused_and_moves_nothing(
    avon, tmp_path
):
    records = gwent_records()
    find(records, "profiles.section", order=1)["pk"] = avon.sections.get().pk
    before = avon_rows()

    refused_and_unchanged(write(tmp_path, records), "profiles.section", "field 'pk'")

    assert avon_rows() == before


def test_a_section_of_another_forces_profile_is_refused_and_changes_nothing(avon, tmp_path):
    records = gwent_records()
    section = find(records, "profiles.section", order=1)
    section["fields"]["profile"] = ["avon-and-somerset", avon.slug]
    section["fields"]["order"] = 9
    before = avon_rows()

    refused_and_unchanged(
        write(tmp_path, records),
        "field 'profile': belongs to force 'avon-and-somerset', which this file does not declare",
    )

    assert avon_rows() == before


def test_a_reference_by_primary_key_is_refused(avon, tmp_path):
    records = gwent_records()
    find(records, "profiles.roleprofile")["fields"]["grade"] = avon.grade_id

    refused_and_unchanged(
        write(tmp_path, records),
        "field 'grade': must be the natural key of a profiles.grade, a list such as "
        '["<slug>", "<code>"], not a number; records are never named by primary key.',
    )


def test_a_grade_of_another_force_is_refused(avon, tmp_path):
    records = gwent_records()
    find(records, "profiles.roleprofile")["fields"]["grade"] = [
        "avon-and-somerset",
        avon.grade.code,
    ]

    refused_and_unchanged(
        write(tmp_path, records),
        "field 'grade': names a profiles.grade of force 'avon-and-somerset', not of 'gwent'.",
    )


def test_a_file_that_declares_no_force_is_refused(national_data, tmp_path):
    records = [r for r in gwent_records() if r["model"] != "profiles.force"]

    message = refused_and_unchanged(
        write(tmp_path, records),
        "record 1 profiles.grade ('gwent', 'Scale 4'): field 'force': belongs to force "
        "'gwent', which this file does not declare",
    )

    assert message.count("does not declare") == len(records)


def test_a_repeated_natural_key_is_an_error_not_a_silent_win(national_data, tmp_path):
    records = gwent_records()
    grade = find(records, "profiles.grade")
    records.insert(2, {**grade, "fields": {**grade["fields"], "name": "Other"}})

    refused_and_unchanged(
        write(tmp_path, records),
        "record 3 profiles.grade ('gwent', 'Scale 4'): repeats record 2, which has the same "
        "natural key",
    )
    assert not Force.objects.exists()


def test_a_profile_repeated_after_its_children_is_an_error(national_data, tmp_path):
    records = gwent_records()
    records.append(find(records, "profiles.roleprofile"))

    refused_and_unchanged(
        write(tmp_path, records),
        f"record {len(records)} profiles.roleprofile ('gwent', 'community-support-officer'): "
        "repeats record 9",
    )
    assert not RoleProfile.objects.exists()


def test_a_force_fixture_cannot_change_national_data(national_data, tmp_path):
    method = AssessmentMethod.objects.get(name="Interview")
    records = gwent_records()
    records.append(
        {"model": "profiles.assessmentmethod", "fields": {"name": "Interview", "order": 99}}
    )

    refused_and_unchanged(
        write(tmp_path, records),
        "field 'model': profiles.assessmentmethod is national data, which a force fixture may "
        "name but never change; load it with loaddata.",
    )

    assert AssessmentMethod.objects.get(name="Interview").order == method.order


@pytest.mark.parametrize(
    "logo",
    [
        "/etc/passwd.png",
        "../gwent.png",
        "logos/../../etc/passwd.png",
        "logos/sub/gwent.png",
        "gwent.png",
        "logos/.hidden.png",
    ],
)
def test_a_logo_outside_the_logos_folder_is_refused(national_data, tmp_path, settings, logo):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "logos").mkdir(parents=True)
    (tmp_path / "media" / "logos" / "gwent.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    records = gwent_records()
    find(records, "profiles.force")["fields"]["logo"] = logo

    refused_and_unchanged(
        write(tmp_path, records),
        "record 1 profiles.force ('gwent',): field 'logo': must be a plain file name in the "
        "media folder's 'logos/', such as 'logos/force.png': no other folder, no '..', "
        "no absolute path.",
    )


def test_a_logo_must_exist_and_be_an_image(national_data, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "logos").mkdir(parents=True)
    (tmp_path / "media" / "logos" / "gwent.txt").write_text("not an image")
    records = gwent_records()
    find(records, "profiles.force")["fields"]["logo"] = "logos/missing.png"
    missing = write(tmp_path, records, "missing.json")
    find(records, "profiles.force")["fields"]["logo"] = "logos/gwent.txt"
    text = write(tmp_path, records, "text.json")

    refused_and_unchanged(
        missing,
        "field 'logo': there is no file 'logos/missing.png' in the media folder; "
        "put the file there first.",
    )
    refused_and_unchanged(text, "field 'logo': must be a PNG, JPEG, GIF or WebP image.")


# load_force checks a logo is an image within profiles.logos' bounds: a real one-pixel PNG.
ONE_PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6364f8cf50000003010100c9fe92ef0000000049454e44ae426082"
)


def test_a_logo_in_the_logos_folder_loads(national_data, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "logos").mkdir(parents=True)
    (tmp_path / "media" / "logos" / "gwent-police.png").write_bytes(ONE_PIXEL_PNG)
    records = gwent_records()
    find(records, "profiles.force")["fields"]["logo"] = "logos/gwent-police.png"

    call_command("load_force", str(write(tmp_path, records)), verbosity=0)

    assert Force.objects.get().logo.name == "logos/gwent-police.png"


def test_a_list_where_text_belongs_is_refused_not_stored_as_its_repr(national_data, tmp_path):
    records = gwent_records()
    find(records, "profiles.force")["fields"]["name"] = ["a", "b"]

    refused_and_unchanged(
        write(tmp_path, records),
        "record 1 profiles.force ('gwent',): field 'name': must be text, not a list.",
    )
    assert not Force.objects.filter(name="['a', 'b']").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("purpose", "Patrols.\x00", "contains a NUL character (\\u0000), which cannot be stored."),
        ("purpose", "Patrols \ud800", "contains a character that is not valid Unicode text."),
        ("number_of_posts", "three", "must be a whole number, not text."),
        ("number_of_posts", True, "must be a whole number, not true or false."),
        ("number_of_posts", 2**40, "must be between 0 and 2147483647."),
        ("title", {"en": "Officer"}, "must be text, not an object."),
        ("title", None, "This field cannot be null."),
        ("title", "", "This field cannot be blank."),
        ("title", "T" * 201, "Ensure this value has at most 200 characters (it has 201)."),
        ("status", "secret", "Value 'secret' is not a valid choice."),
        ("date_reviewed", "2020-13-01", "is not a date in the calendar"),
        ("created_at", "2026-01-01T00:00:00", "needs a time zone, e.g. 2026-01-01T00:00:00Z."),
        ("revision", 7, "is kept by the application; a fixture cannot set it."),
        ("draft_of", ["gwent", "other"], "is kept by the application; a fixture cannot set it."),
        ("sections", [], "profiles.roleprofile has no such field."),
        ("colour", "#fff", "profiles.roleprofile has no such field."),
    ],
)
def test_every_value_is_checked_against_its_field(national_data, tmp_path, field, value, message):
    records = gwent_records()
    find(records, "profiles.roleprofile")["fields"][field] = value

    refused_and_unchanged(
        write(tmp_path, records),
        f"record 9 profiles.roleprofile ('gwent', 'community-support-officer'): field {field!r}: ",
        message,
    )
    assert not RoleProfile.objects.exists()


def test_an_order_out_of_range_is_refused_on_every_database(national_data, tmp_path):
    records = gwent_records()
    find(records, "profiles.section", order=1)["fields"]["order"] = 40000

    refused_and_unchanged(
        write(tmp_path, records),
        "record 10 profiles.section ('gwent', 'community-support-officer', 40000): field 'order': ",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "record 1 is nested too deeply"),
        ('[{"model": ' + "[" * 50_000 + "]" * 50_000 + ', "fields": {}}]', "nested too deeply"),
        ('[{"model": ["profiles.force"], "fields": {}}]', "field 'model': must be a model name"),
        ('[{"model": 7, "fields": {}}]', "field 'model': must be a model name"),
        ('[{"model": "profiles.force", "fields": []}]', "field 'fields': must be an object"),
        ('[{"model": "profiles.force", "fields": {"slug": NaN}}]', "NaN is not a JSON value"),
        ('[{"model": "profiles.force", "fields": {"slug": 1' + "0" * 5000 + "}}]", "number"),
        ('[{"model": "profiles.force", "fields": {}}] trailing', "after record 1"),
        ('{"model": "profiles.force"}', "a force fixture is a JSON list of records"),
        ('["not a record"]', 'a record is a JSON object with "model" and "fields", not text.'),
        ('[{"model": "profiles.force", "fields": {"slug": "a", "slug": "b"}}]', "given twice"),
    ],
)
def test_malformed_json_gets_a_clear_error_never_a_traceback(
    national_data, tmp_path, content, message
):
    path = tmp_path / "odd.json"
    path.write_text(content, encoding="utf-8")

    text = refused_and_unchanged(path, message)

    assert text.startswith(f"{path}: ")
    assert "Traceback" not in text


def test_a_file_over_the_size_limits_is_refused_before_it_is_read(
    national_data, tmp_path, monkeypatch
):
    path = write(tmp_path, gwent_records())
    patch(monkeypatch, fixtures, "MAX_FIXTURE_RECORDS", 10)
    refused_and_unchanged(path, "the fixture holds more than 10 records, the most load_force")
    patch(monkeypatch, fixtures, "MAX_FIXTURE_BYTES", 2**20)
    path.write_text(" " * 2**20 + json.dumps(gwent_records()), encoding="utf-8")
    refused_and_unchanged(path, "the fixture is larger than 1 MB, the most load_force reads")


def test_every_error_of_every_file_is_reported_together(avon, tmp_path):
    records = gwent_records()
    find(records, "profiles.force")["fields"]["name"] = ["a"]
    find(records, "profiles.section", order=2)["fields"]["kind"] = "chores"
    find(records, "profiles.item", subheading="Sustainability")["fields"]["weighting"] = "lots"
    section = records.index(find(records, "profiles.section", order=2)) + 1
    gwent = write(tmp_path, records)
    other = write(tmp_path, [{"model": "auth.user", "fields": {"username": "x"}}], "user.json")
    before, avon_before = row_counts(), avon_rows()

    lines = refuse(gwent, other).splitlines()

    assert lines[0] == (
        f"{gwent}: record 1 profiles.force ('gwent',): field 'name': must be text, not a list."
    )
    assert lines[1] == (
        f"{gwent}: record {section} profiles.section "
        "('gwent', 'community-support-officer', 2): "
        "field 'kind': Value 'chores' is not a valid choice."
    )
    assert lines[2].endswith("field 'weighting': “lots” value must be a decimal number.")
    assert lines[3].startswith(f"{other}: record 1 'auth.user': field 'model': ")
    assert lines[4] == "4 errors; nothing was loaded."
    assert (row_counts(), avon_rows()) == (before, avon_before)


def test_a_child_must_follow_its_profile_in_the_same_file(avon, tmp_path):
    records = gwent_records()
    profile = find(records, "profiles.roleprofile")
    records.remove(profile)
    records.append(profile)

    refused_and_unchanged(
        write(tmp_path, records),
        "record 9 profiles.section ('gwent', 'community-support-officer', 1): field 'profile': "
        "profiles.roleprofile ('gwent', 'community-support-officer') does not come before this "
        "record in this file",
    )


def test_a_profile_may_leave_out_timestamps_and_every_field_that_may_be_blank(
    national_data, tmp_path
):
    records = [
        find(gwent_records(), "profiles.force"),
        {
            "model": "profiles.roleprofile",
            "fields": {"force": ["gwent"], "slug": "analyst", "title": "Analyst"},
        },
        {
            "model": "profiles.section",
            "fields": {"profile": ["gwent", "analyst"], "kind": "responsibilities"},
        },
        {
            "model": "profiles.item",
            "fields": {"section": ["gwent", "analyst", 0], "text": "Analyse."},
        },
    ]

    call_command("load_force", str(write(tmp_path, records)), verbosity=0)

    profile = RoleProfile.objects.get()
    assert profile.created_at is not None and profile.updated_at is not None
    assert (profile.status, profile.purpose, profile.grade) == ("draft", "", None)
    assert list(Item.objects.values_list("text", flat=True)) == ["Analyse."]


def test_reloading_without_timestamps_keeps_when_a_profile_was_created(national_data, tmp_path):
    records = gwent_records()
    call_command("load_force", str(write(tmp_path, records)), verbosity=0)
    created = RoleProfile.objects.get().created_at
    for field in ("created_at", "updated_at"):
        del find(records, "profiles.roleprofile")["fields"][field]

    call_command("load_force", str(write(tmp_path, records)), verbosity=0)

    profile = RoleProfile.objects.get()
    assert profile.created_at == created
    assert profile.updated_at > created


def test_a_required_field_left_out_is_named(national_data, tmp_path):
    records = gwent_records()
    del find(records, "profiles.roleprofile")["fields"]["title"]

    refused_and_unchanged(
        write(tmp_path, records),
        "record 9 profiles.roleprofile ('gwent', 'community-support-officer'): field 'title': "
        "This field is required.",
    )
