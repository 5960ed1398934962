"""The domain rules: each one passes a good case and refuses a bad one with plain words."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from model_bakery import baker

from profiles import rules
from profiles.draft import CriterionDraft, ItemDraft, ProfileDraft, SectionDraft, fetch_for_draft
from profiles.models import Section, SectionKind, Status

# Section weightings add up to the section's declared total.


def test_it_accepts_section_weightings_that_add_up_to_the_declared_total():
    rules.check_section_weightings("Principal responsibilities", 80, [30, 15, 10, 25])


def test_it_accepts_a_section_without_a_declared_total_or_without_weighted_items():
    rules.check_section_weightings("Tasks", None, [30, 15])
    rules.check_section_weightings("General tasks", 20, [None, None])


def test_it_refuses_section_weightings_that_do_not_add_up_with_both_numbers_named():
    with pytest.raises(ValidationError) as caught:
        rules.check_section_weightings("Principal responsibilities", 80, [30, 15, 10, 26])
    message = caught.value.messages[0]
    assert "Principal responsibilities" in message
    assert "81 %" in message
    assert "80 %" in message
    assert caught.value.code == "section_weighting"


def test_a_section_counts_its_declared_total_before_its_items():
    assert rules.section_total(Decimal(20), [None]) == Decimal(20)
    assert rules.section_total(None, [Decimal("2.5"), None, Decimal(3)]) == Decimal("5.5")


def saved_draft(profile):
    return ProfileDraft.from_profile(fetch_for_draft(profile.pk))


def check_rules(profile):
    """Every rule on the profile as saved, raised as one ValidationError (as the services do)."""
    rules.raise_if_any(rules.check_profile(ProfileDraft.saved(profile)))


@pytest.mark.django_db
def test_a_saved_profile_whose_items_add_up_breaks_no_rule(weighted_profile):
    assert rules.check_profile(saved_draft(weighted_profile)) == []


@pytest.mark.django_db
def test_a_saved_section_whose_items_do_not_add_up_is_located_at_its_weighting(
    weighted_profile,
):
    section = weighted_profile.sections.get(kind=SectionKind.RESPONSIBILITIES)
    item = section.items.get(order=13)
    item.weighting = Decimal(2)
    item.save()
    [error] = rules.check_profile(saved_draft(weighted_profile))
    assert error.location == ("sections", 0, "weighting")
    assert error.code == "section_weighting"
    assert "81 %" in error.message and "80 %" in error.message


def test_a_draft_of_plain_values_is_checked_with_every_error_located():
    draft = ProfileDraft(
        fields={"title": "Community Support Officer"},
        sections=[
            SectionDraft(kind=SectionKind.NOTES, items=[ItemDraft(text="A note.")]),
            SectionDraft(
                kind=SectionKind.RESPONSIBILITIES,
                heading="Principal responsibilities",
                weighting=Decimal(80),
                items=[ItemDraft(text="Patrol.", weighting=Decimal(50)), ItemDraft(text="Help.")],
            ),
            SectionDraft(kind=SectionKind.GENERAL_TASKS, weighting=Decimal(30)),
        ],
        criteria=[
            CriterionDraft(
                requirement="essential", category="skills", text="A", shortlisting_code="EE2"
            ),
            CriterionDraft(
                requirement="essential", category="skills", text="B", shortlisting_code="EA1"
            ),
            CriterionDraft(
                requirement="desirable", category="skills", text="C", shortlisting_code="ee2"
            ),
        ],
    )
    errors = rules.check_profile(draft)
    assert [(error.code, error.location) for error in errors] == [
        ("section_weighting", ("sections", 1, "weighting")),
        ("profile_weighting", ("sections",)),
        ("duplicate_shortlisting_code", ("criteria", 0, "shortlisting_code")),
        ("duplicate_shortlisting_code", ("criteria", 2, "shortlisting_code")),
    ]
    assert "“Principal responsibilities” add up to 50 %" in errors[0].message
    assert "110 %" in errors[1].message


def test_the_rules_of_a_published_profile_apply_when_publishing_is_asked_for():
    draft = ProfileDraft(fields={"title": "Draft"})
    assert rules.check_profile(draft) == []
    located = {error.location for error in rules.check_profile(draft, publishing=True)}
    assert located == {("grade",), ("vetting_level",), ("status",)}


def test_a_draft_refuses_a_field_a_profile_does_not_have():
    with pytest.raises(ValueError, match="salary"):
        ProfileDraft(fields={"title": "Draft", "salary": "£25,000"})


# A profile's weightings never exceed 100 %.


def test_it_accepts_a_profile_weighted_at_exactly_100_percent():
    rules.check_profile_weighting([Decimal(80), Decimal(20)])


def test_it_refuses_a_profile_weighted_over_100_percent():
    with pytest.raises(ValidationError) as caught:
        rules.check_profile_weighting([Decimal(81), Decimal(20)])
    message = caught.value.messages[0]
    assert "101 %" in message
    assert "100 %" in message
    assert "may not exceed" in message


@pytest.mark.django_db
def test_the_gwent_profile_passes_every_rule_as_saved(weighted_profile):
    check_rules(weighted_profile)


@pytest.mark.django_db
def test_a_profile_whose_sections_exceed_100_percent_fails_its_rule_check(weighted_profile):
    baker.make(
        Section, profile=weighted_profile, order=3, kind=SectionKind.SPECIFIC_TASKS, weighting=5
    )
    with pytest.raises(ValidationError) as caught:
        check_rules(weighted_profile)
    assert any("105 %" in message for message in caught.value.messages)


@pytest.mark.django_db
def test_a_section_whose_items_do_not_add_up_fails_the_profiles_rule_check(weighted_profile):
    item = weighted_profile.sections.get(order=1).items.get(order=1)
    item.weighting = Decimal(31)
    item.save()
    with pytest.raises(ValidationError) as caught:
        check_rules(weighted_profile)
    assert any(
        "Principal responsibilities" in message and "81 %" in message
        for message in caught.value.messages
    )


# A behaviour's level exists in the profile's framework.


@pytest.mark.django_db
def test_it_accepts_a_behaviour_level_from_the_profiles_framework(framework, competency_level):
    rules.check_behaviour_level(framework, competency_level)


@pytest.mark.django_db
def test_it_accepts_an_empty_level_for_the_form_to_report_as_required(framework):
    rules.check_behaviour_level(framework, None)


@pytest.mark.django_db
def test_it_refuses_a_behaviour_level_from_another_framework(framework, foreign_level):
    with pytest.raises(ValidationError) as caught:
        rules.check_behaviour_level(framework, foreign_level)
    message = caught.value.messages[0]
    assert "We are emotionally aware: level 2" in message
    assert "CVF 2016" in message
    assert "not part of" in message


@pytest.mark.django_db
def test_it_refuses_a_behaviour_on_a_profile_without_a_framework(competency_level):
    with pytest.raises(ValidationError) as caught:
        rules.check_behaviour_level(None, competency_level)
    assert "framework" in caught.value.messages[0]


@pytest.mark.django_db
def test_a_behaviour_at_a_level_of_the_profiles_framework_breaks_no_rule(profile, competency_level):
    baker.make("profiles.Behaviour", profile=profile, level=competency_level)
    assert rules.check_profile(saved_draft(profile)) == []


@pytest.mark.django_db
def test_a_behaviour_at_a_level_of_another_framework_is_located_at_its_level(
    profile, foreign_level
):
    baker.make("profiles.Behaviour", profile=profile, order=1, level=foreign_level)
    [error] = rules.check_profile(saved_draft(profile))
    assert error.location == ("behaviours", 0, "level")
    assert "not part of CVF 2016" in error.message


@pytest.mark.django_db
def test_a_behaviour_from_another_framework_fails_the_profiles_rule_check(profile, foreign_level):
    baker.make("profiles.Behaviour", profile=profile, level=foreign_level)
    with pytest.raises(ValidationError) as caught:
        check_rules(profile)
    assert any("not part of CVF 2016" in message for message in caught.value.messages)


# Shortlisting codes are unique in a profile.


def test_it_accepts_distinct_shortlisting_codes_and_ignores_blank_ones():
    rules.check_unique_shortlisting_codes(["EE2", "EE3", "EA1", "", "  ", None])


def test_it_refuses_a_repeated_shortlisting_code_whatever_its_case_or_spacing():
    with pytest.raises(ValidationError) as caught:
        rules.check_unique_shortlisting_codes(["EE2", "ee2 ", "EA1"])
    message = caught.value.messages[0]
    assert "EE2" in message
    assert "more than once" in message


@pytest.mark.django_db
def test_a_profile_with_distinct_shortlisting_codes_passes_its_rule_check(profile):
    baker.make("profiles.Criterion", profile=profile, order=1, shortlisting_code="EE2")
    baker.make("profiles.Criterion", profile=profile, order=2, shortlisting_code="EA1")
    check_rules(profile)


@pytest.mark.django_db
def test_a_profile_with_a_repeated_shortlisting_code_fails_its_rule_check(profile):
    baker.make("profiles.Criterion", profile=profile, order=1, shortlisting_code="EE2")
    baker.make("profiles.Criterion", profile=profile, order=2, shortlisting_code="EE2")
    with pytest.raises(ValidationError) as caught:
        check_rules(profile)
    assert any(
        "EE2" in message and "more than once" in message for message in caught.value.messages
    )


# A published profile has a grade, a vetting level and at least one responsibility.


@pytest.mark.django_db
def test_it_accepts_publishing_a_complete_profile(grade, vetting_level):
    rules.check_publishable(grade, vetting_level, 1)


def test_it_refuses_publishing_without_grade_vetting_level_or_responsibility_naming_each():
    with pytest.raises(ValidationError) as caught:
        rules.check_publishable(None, None, 0)
    errors = caught.value.message_dict
    assert "grade" in errors["grade"][0]
    assert "vetting level" in errors["vetting_level"][0]
    assert "responsibility" in errors["status"][0]


@pytest.mark.django_db
def test_a_complete_profile_may_be_published(weighted_profile):
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.clean()
    check_rules(weighted_profile)


@pytest.mark.django_db
def test_a_profile_without_responsibilities_cannot_be_published(profile):
    profile.status = Status.PUBLISHED
    with pytest.raises(ValidationError) as caught:
        profile.clean()
    assert list(caught.value.message_dict) == ["status"]
    assert "at least one responsibility" in caught.value.message_dict["status"][0]


@pytest.mark.django_db
def test_a_profile_without_grade_or_vetting_level_cannot_be_published(weighted_profile):
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.grade = None
    weighted_profile.vetting_level = None
    with pytest.raises(ValidationError) as caught:
        weighted_profile.clean()
    assert sorted(caught.value.message_dict) == ["grade", "vetting_level"]


@pytest.mark.django_db
def test_an_incomplete_draft_is_not_held_to_the_publishing_rule(profile):
    profile.grade = None
    profile.vetting_level = None
    profile.clean()


@pytest.mark.django_db
def test_an_unsaved_profile_cannot_be_published(force, grade, vetting_level):
    profile = baker.prepare(
        "profiles.RoleProfile",
        force=force,
        grade=grade,
        vetting_level=vetting_level,
        status=Status.PUBLISHED,
    )
    with pytest.raises(ValidationError) as caught:
        profile.clean()
    assert "at least one responsibility" in caught.value.message_dict["status"][0]


@pytest.mark.django_db
def test_a_profile_cannot_take_the_grade_of_another_force(profile, other_force):
    profile.grade = baker.make("profiles.Grade", force=other_force, code="LC4")
    with pytest.raises(ValidationError) as caught:
        profile.clean()
    assert "another force" in caught.value.message_dict["grade"][0]
