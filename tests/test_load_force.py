"""load_force validates everything, loads all or nothing, and updates a force in place."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from competencies.models import Competency, Framework
from profiles.models import AssessmentMethod, Force, Item, RoleProfile, Section
from profiles.printing.document import render_document_html
from tests.conftest import FIXTURES
from vetting.models import VettingLevel

GWENT = FIXTURES / "forces" / "gwent.json"
AVON = FIXTURES / "forces" / "avon-and-somerset.json"


def row_counts():
    """Rows in every table of the project's apps but the audit trail, which every load adds to."""
    return {
        model._meta.label: model._default_manager.count()
        for app in ("profiles", "competencies", "vetting")
        for model in apps.get_app_config(app).get_models()
        if model._meta.label != "profiles.AuditEntry"
    }


def empty_database():
    """Delete every row of the project's apps (flush cannot TRUNCATE inside a test's
    transaction on PostgreSQL)."""
    for model in (RoleProfile, Force, AssessmentMethod, Competency, Framework, VettingLevel):
        model._default_manager.all().delete()


def gwent_records():
    return json.loads(GWENT.read_text(encoding="utf-8"))


def write(tmp_path, records, name="gwent.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def refuse(*paths):
    """Load the files, expecting a refusal; return its message."""
    with pytest.raises(CommandError) as error:
        call_command("load_force", *[str(path) for path in paths], verbosity=0)
    return str(error.value)


def find(records, model, **fields):
    return next(
        record
        for record in records
        if record["model"] == model and all(record["fields"].get(k) == v for k, v in fields.items())
    )


def test_it_refuses_a_truncated_fixture_and_changes_nothing(national_data, tmp_path):
    call_command("load_force", str(AVON), verbosity=0)
    text = GWENT.read_text(encoding="utf-8")
    truncated = tmp_path / "gwent.json"
    truncated.write_text(text[: len(text) // 2], encoding="utf-8")
    before = row_counts()

    message = refuse(AVON, truncated)

    assert str(truncated) in message and "cannot read the fixture" in message
    assert row_counts() == before


def test_it_refuses_a_vetting_level_that_does_not_exist_and_changes_nothing(
    national_data, tmp_path
):
    records = gwent_records()
    find(records, "profiles.roleprofile")["fields"]["vetting_level"] = ["NPPV 9"]
    path = write(tmp_path, records)
    before = row_counts()

    message = refuse(AVON, path)

    assert message == (
        f"{path}: record 9 profiles.roleprofile ('gwent', 'community-support-officer'): "
        "field 'vetting_level': no vetting.vettinglevel with natural key ('NPPV 9',).\n"
        "1 error; nothing was loaded."
    )
    assert row_counts() == before
    assert not Force.objects.exists()


def test_it_refuses_weightings_that_exceed_their_section_total_and_changes_nothing(
    national_data, tmp_path
):
    records = gwent_records()
    first = find(records, "profiles.item", section=["gwent", "community-support-officer", 1])
    first["fields"]["weighting"] = "40.00"
    path = write(tmp_path, records)
    before = row_counts()

    message = refuse(AVON, path)

    assert message.startswith(
        f"{path}: record 10 profiles.section ('gwent', 'community-support-officer', 1): "
        "field 'weighting': "
        "The weightings in “Principal Responsibilities” add up to 90 %"
    )
    assert row_counts() == before


def test_it_refuses_a_value_beyond_a_field_limit_naming_the_field(national_data, tmp_path):
    records = gwent_records()
    find(records, "profiles.grade")["fields"]["code"] = "S" * 41
    path = write(tmp_path, records)
    before = row_counts()

    message = refuse(path)

    assert f"{path}: record 2 profiles.grade ('gwent', '{'S' * 41}'): field 'code': " in message
    assert row_counts() == before


def test_it_refuses_a_choice_that_does_not_exist(national_data, tmp_path):
    records = gwent_records()
    find(records, "profiles.section", order=1)["fields"]["kind"] = "chores"
    path = write(tmp_path, records)

    message = refuse(path)

    assert "profiles.section ('gwent', 'community-support-officer', 1): field 'kind'" in message
    assert not Section.objects.exists()


def test_it_refuses_to_publish_a_profile_without_a_vetting_level(national_data, tmp_path):
    records = gwent_records()
    find(records, "profiles.roleprofile")["fields"]["vetting_level"] = None
    path = write(tmp_path, records)

    message = refuse(path)

    assert "profiles.roleprofile ('gwent', 'community-support-officer')" in message
    assert "A published profile needs a vetting level." in message
    assert not RoleProfile.objects.exists()


def test_loading_a_force_twice_updates_it_in_place(national_data, tmp_path):
    call_command("load_force", str(GWENT), verbosity=0)
    force_pk = Force.objects.get().pk
    profile_pk = RoleProfile.objects.get().pk
    once = row_counts()

    call_command("load_force", str(GWENT), verbosity=0)

    assert row_counts() == once
    assert (Force.objects.get().pk, RoleProfile.objects.get().pk) == (force_pk, profile_pk)


def test_reloading_replaces_a_profiles_children_so_removed_items_do_not_linger(
    national_data, tmp_path
):
    call_command("load_force", str(GWENT), verbosity=0)
    records = gwent_records()
    sustainability = find(records, "profiles.item", subheading="Sustainability")
    records.remove(sustainability)
    find(records, "profiles.roleprofile")["fields"]["reports_to"] = "Neighbourhood Inspector"
    before = Item.objects.count()

    call_command("load_force", str(write(tmp_path, records)), verbosity=0)

    assert Item.objects.count() == before - 1
    assert not Item.objects.filter(subheading="Sustainability").exists()
    profile = RoleProfile.objects.get()
    assert profile.reports_to == "Neighbourhood Inspector"
    assert profile.revision == 1


def test_a_dump_with_natural_keys_loads_into_an_empty_database_as_the_same_profiles(
    seed_forces, tmp_path
):
    dump = tmp_path / "dump.json"
    call_command(
        "dumpdata",
        "competencies",
        "vetting",
        "profiles",
        natural_foreign=True,
        natural_primary=True,
        output=str(dump),
        verbosity=0,
    )
    rendered = {str(p.natural_key()): render_document_html(p) for p in RoleProfile.objects.all()}
    counts = row_counts()
    empty_database()
    assert not any(row_counts().values())

    call_command("loaddata", str(dump), verbosity=0)

    assert row_counts() == counts
    assert {
        str(p.natural_key()): render_document_html(p) for p in RoleProfile.objects.all()
    } == rendered


def test_setup_demo_loads_every_force(settings, db):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    assert "Loaded 5 national and 5 force fixtures" in out.getvalue()
    assert RoleProfile.objects.count() == 5


def test_it_refuses_a_value_that_does_not_convert_naming_the_field(national_data, tmp_path):
    records = gwent_records()
    find(records, "profiles.item", section=["gwent", "community-support-officer", 1])["fields"][
        "weighting"
    ] = "thirty"
    path = write(tmp_path, records)

    message = refuse(path)

    assert (
        f"{path}: record 11 profiles.item ('gwent', 'community-support-officer', 1, 1): "
        "field 'weighting': " in message
    )
    assert not RoleProfile.objects.exists()


def test_it_refuses_records_a_force_fixture_may_not_hold(national_data, tmp_path):
    records = gwent_records()
    records.append({"model": "auth.user", "fields": {"username": "intruder", "is_superuser": True}})
    path = write(tmp_path, records)

    message = refuse(path)

    assert "auth.user" in message and "field 'model': a force fixture holds only" in message
    assert not Force.objects.exists()


@pytest.mark.parametrize("content", ['{"model": "profiles.force"}', '["not a record"]'])
def test_it_refuses_json_that_is_not_a_list_of_records(national_data, tmp_path, content):
    path = tmp_path / "odd.json"
    path.write_text(content, encoding="utf-8")

    message = refuse(path)

    assert message.startswith(f"{path}: ")
    assert not Force.objects.exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"no_such_field": "X"}, "No printed field is called no_such_field"),
        ({"reports_to": ""}, "Give reports_to a label of some words"),
        ({"reports_to": 3}, "Give reports_to a label of some words"),
        (7, "must be an object, not a number"),
    ],
)
def test_it_refuses_invalid_label_overrides_in_one_line_and_changes_nothing(
    national_data, tmp_path, overrides, message
):
    records = gwent_records()
    find(records, "profiles.force")["fields"]["label_overrides"] = overrides
    before = row_counts()

    assert message in refuse(write(tmp_path, records))
    assert row_counts() == before
