"""Profiles in house styles that no seed uses import with every field in its place, no word lost."""

import pytest

from profiles.importing.parser import parse
from profiles.importing.readers import read_document
from profiles.importing.save import vocabulary_for
from profiles.importing.service import import_files, words
from profiles.models import Force
from tests.house_style_documents import DOCUMENTS


@pytest.fixture
def unseen_force(national_data):
    force = Force.objects.create(slug="unseen", name="Unseen Constabulary")
    for code, name in [
        ("E", "Band E"),
        ("F", "Band F"),
        ("4", "Scale 4"),
        ("5", "Scale 5"),
        ("SO2", "SO2"),
    ]:
        force.grades.create(code=code, name=name)
    return force


def imported(force, style):
    make, expected = DOCUMENTS[style]
    name, data = make()
    [result] = import_files(force, [(name, data)])
    assert result.ok, result.error
    return result, expected, name, data


def section_items(profile, kind):
    section = profile.sections.filter(kind=kind).order_by("order").first()
    if section is None:
        return []
    return [
        (item.text, None if item.weighting is None else int(item.weighting))
        for item in section.items.order_by("order")
    ]


@pytest.mark.parametrize("style", DOCUMENTS)
def test_every_post_field_of_an_unseen_house_style_lands_in_its_place(unseen_force, style):
    result, expected, _, _ = imported(unseen_force, style)
    profile = result.profile

    assert profile.title == expected["title"]
    for name in ("reference_code", "post_number", "reports_to", "department", "location"):
        assert getattr(profile, name) == expected.get(name, ""), name
    if "working_arrangement" in expected:
        assert profile.working_arrangement == expected["working_arrangement"]
    assert (profile.grade and profile.grade.code) == expected["grade"]
    assert profile.vetting_level.code == expected["vetting"]
    assert list(profile.post_details.values_list("label", "value")) == expected["post_details"]
    assert profile.purpose == expected["purpose"]


@pytest.mark.parametrize("style", DOCUMENTS)
def test_each_responsibility_of_an_unseen_house_style_is_one_item_with_its_weighting(
    unseen_force, style
):
    result, expected, _, _ = imported(unseen_force, style)

    assert section_items(result.profile, "responsibilities") == expected["responsibilities"]


@pytest.mark.parametrize("style", DOCUMENTS)
def test_each_criterion_of_an_unseen_house_style_keeps_its_requirement_and_methods(
    unseen_force, style
):
    result, expected, _, _ = imported(unseen_force, style)

    criteria = list(result.profile.criteria.order_by("order").prefetch_related("methods"))
    assert [(c.requirement, c.text) for c in criteria] == [
        tuple(e[:2]) for e in expected["criteria"]
    ]
    for criterion, wanted in zip(criteria, expected["criteria"], strict=True):
        if len(wanted) == 3:
            methods = sorted(m.name for m in criterion.methods.all())
            wanted_methods = wanted[2] if isinstance(wanted[2], list) else wanted[2].split(" / ")
            assert methods == sorted(wanted_methods), criterion.text


@pytest.mark.parametrize("style", DOCUMENTS)
def test_no_word_of_an_unseen_house_style_is_lost_or_left_unplaced(unseen_force, style):
    result, expected, name, data = imported(unseen_force, style)
    document = read_document(name, data)
    parsed = parse(document, vocabulary_for(unseen_force))

    assert words(document.text) == words(parsed.draft_text() + "\n" + "\n".join(parsed.structure))
    assert result.unplaced == expected.get("unplaced", [])


def test_the_national_profile_keeps_its_cvf_behaviours_levels_and_values(unseen_force):
    result, expected, _, _ = imported(unseen_force, "national")
    profile = result.profile

    behaviours = profile.behaviours.select_related("level__competency").order_by("order")
    assert [(b.level.competency.name, b.level.number) for b in behaviours] == expected["behaviours"]
    assert [text for text, _ in section_items(profile, "values")] == expected["values"]
