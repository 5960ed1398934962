"""Natural keys that let fixtures load anywhere, and who may read which profiles."""

import json

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core import serializers
from django.core.management import call_command
from model_bakery import baker

from profiles import access
from profiles.models import (
    AssessmentMethod,
    RoleProfile,
    SectionKind,
    Status,
)

NATURAL_MODELS = [
    model
    for app in ("vetting", "competencies", "profiles")
    for model in apps.get_app_config(app).get_models()
    if hasattr(model._default_manager, "get_by_natural_key")
]


def test_every_model_a_fixture_loads_has_a_natural_key():
    labels = {model._meta.label for model in NATURAL_MODELS}
    assert labels == {
        "vetting.VettingLevel",
        "competencies.Framework",
        "competencies.Cluster",
        "competencies.Competency",
        "competencies.CompetencyLevel",
        "competencies.Indicator",
        "competencies.Value",
        "competencies.Skill",
        "competencies.SkillLevel",
        "profiles.Force",
        "profiles.HouseStyle",
        "profiles.Grade",
        "profiles.StandardSection",
        "profiles.WelshLevel",
        "profiles.AssessmentMethod",
        "profiles.RoleProfile",
        "profiles.PostDetail",
        "profiles.Section",
        "profiles.Item",
        "profiles.Criterion",
        "profiles.Behaviour",
        "profiles.SkillRequirement",
        "profiles.NosUnit",
    }


@pytest.fixture
def full_graph(weighted_profile, competency_level, other_force):
    """One object of every model with a natural key, linked as a seed profile links them."""
    profile = weighted_profile
    framework = competency_level.competency.framework
    cluster = baker.make("competencies.Cluster", framework=framework, name="Resolute")
    competency_level.competency.cluster = cluster
    competency_level.competency.save()
    baker.make("competencies.Indicator", level=competency_level, order=1, text="I own it.")
    baker.make("competencies.Value", framework=framework, name="Integrity")
    ppf = baker.make("competencies.Framework", code="ppf", name="PPF")
    skill = baker.make("competencies.Skill", framework=ppf, name="Decision Making")
    skill_level = baker.make("competencies.SkillLevel", skill=skill, name="Practitioner")
    baker.make("profiles.StandardSection", force=profile.force, key="equal-opportunities")
    baker.make("profiles.HouseStyle", force=profile.force, labels={"grade": "Scale"})
    interview = baker.make(AssessmentMethod, name="Interview")
    form = baker.make(AssessmentMethod, name="Application Form")
    baker.make("profiles.PostDetail", profile=profile, order=1, label="Agile working")
    criterion = baker.make("profiles.Criterion", profile=profile, order=1, shortlisting_code="EE2")
    criterion.methods.set([interview, form])
    behaviour = baker.make("profiles.Behaviour", profile=profile, order=1, level=competency_level)
    behaviour.methods.set([interview])
    baker.make("profiles.SkillRequirement", profile=profile, order=1, level=skill_level)
    baker.make("profiles.NosUnit", profile=profile, order=1, code="AA1")
    profile.welsh_level = baker.make("profiles.WelshLevel", force=profile.force, level=1)
    profile.save()
    # The same profile slug and orders in another force: natural keys must tell them apart.
    twin = baker.make(
        RoleProfile,
        force=other_force,
        slug=profile.slug,
        grade=baker.make("profiles.Grade", force=other_force, code="Scale 4"),
    )
    baker.make("profiles.Section", profile=twin, order=1, kind=SectionKind.RESPONSIBILITIES)
    return profile


def serialize_all():
    """Every object, with natural keys only, in the order dumpdata would write them."""
    app_list = [(apps.get_app_config(app), None) for app in ("vetting", "competencies", "profiles")]
    ordered = [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=False)
        if model in NATURAL_MODELS
    ]
    objects = [obj for model in ordered for obj in model._default_manager.all()]
    text = serializers.serialize(
        "json", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    return json.loads(text)


def delete_all():
    for model in reversed(NATURAL_MODELS):
        model._default_manager.all().delete()


@pytest.mark.django_db
def test_natural_keys_round_trip_every_model_into_a_fresh_database(full_graph, tmp_path):
    before = serialize_all()
    assert {record["model"] for record in before} == {
        model._meta.label_lower for model in NATURAL_MODELS
    }
    assert all("pk" not in record for record in before)
    fixture = tmp_path / "everything.json"
    fixture.write_text(json.dumps(before))

    delete_all()
    assert not RoleProfile.objects.exists()
    call_command("loaddata", str(fixture), verbosity=0)

    after = serialize_all()
    key = lambda record: json.dumps(record, sort_keys=True)  # noqa: E731
    assert sorted(after, key=key) == sorted(before, key=key)
    for model in NATURAL_MODELS:
        for obj in model._default_manager.all():
            assert model._default_manager.get_by_natural_key(*obj.natural_key()) == obj


@pytest.mark.django_db
def test_loading_the_same_fixture_twice_updates_rather_than_duplicates(full_graph, tmp_path):
    fixture = tmp_path / "everything.json"
    fixture.write_text(json.dumps(serialize_all()))
    counts = {model: model._default_manager.count() for model in NATURAL_MODELS}
    call_command("loaddata", str(fixture), verbosity=0)
    assert {model: model._default_manager.count() for model in NATURAL_MODELS} == counts


# Who may read which profiles.


@pytest.fixture
def profiles_of_two_forces(force, other_force):
    return {
        "draft": baker.make(RoleProfile, force=force, slug="draft", status=Status.DRAFT),
        "published": baker.make(
            RoleProfile, force=force, slug="published", status=Status.PUBLISHED
        ),
        "elsewhere": baker.make(
            RoleProfile, force=other_force, slug="elsewhere", status=Status.PUBLISHED
        ),
    }


def visible_slugs(user):
    return set(access.readable(RoleProfile.objects.all(), user).values_list("slug", flat=True))


@pytest.mark.django_db
def test_staff_read_every_profile_of_every_force(profiles_of_two_forces, admin_user):
    assert visible_slugs(admin_user) == {"draft", "published", "elsewhere"}


@pytest.mark.django_db
def test_an_hr_editor_reads_every_profile_of_their_force_only(profiles_of_two_forces, hr_user):
    assert visible_slugs(hr_user) == {"draft", "published"}


@pytest.mark.django_db
def test_a_hiring_manager_reads_only_published_profiles_of_their_force(
    profiles_of_two_forces, manager_user
):
    assert visible_slugs(manager_user) == {"published"}


@pytest.mark.django_db
def test_a_user_without_a_membership_reads_nothing(profiles_of_two_forces):
    assert visible_slugs(baker.make("auth.User", username="stranger")) == set()


@pytest.mark.django_db
def test_an_anonymous_visitor_reads_nothing(profiles_of_two_forces):
    assert visible_slugs(AnonymousUser()) == set()
