"""Profiles in house styles that no seed uses import with every field in its place, no word lost."""

import io
import time

import docx
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
    for name in ("working_arrangement", "job_family", "officer_or_staff", "home_office_function"):
        if name in expected:
            assert getattr(profile, name) == expected[name], name
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
    if "categories" in expected:
        assert [c.category for c in criteria] == expected["categories"]
    if "codes" in expected:
        assert [c.shortlisting_code for c in criteria] == expected["codes"]
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


def test_no_force_name_is_taken_for_the_title_of_a_headings_style_document(unseen_force):
    """The line under the Heading 1 names a force: here another force in the database."""
    Force.objects.create(slug="other", name="Northmoor Police")
    document = docx.Document()
    document.add_paragraph("NORTHMOOR POLICE")
    document.add_heading("Digital Forensics Technician", level=1)
    document.add_paragraph("Northmoor Police Service")
    document.add_paragraph("Grade: Scale 5")
    document.add_paragraph("Status: Permanent")
    out = io.BytesIO()
    document.save(out)

    [result] = import_files(unseen_force, [("forensics.docx", out.getvalue())])

    assert result.profile.title == "Digital Forensics Technician"
    assert result.unplaced == []
    assert result.profile.officer_or_staff == ""
    assert list(result.profile.post_details.values_list("label", "value")) == [
        ("Status", "Permanent")
    ]


def test_a_criteria_table_under_no_heading_becomes_criteria(unseen_force):
    """ "Criteria | Essential / Desirable" with no heading before it: no glued section text."""
    document = docx.Document()
    document.add_heading("Data Protection Officer", level=1)
    table = document.add_table(rows=0, cols=2)
    for row in [
        ("Criteria", "Essential / Desirable"),
        ("Knowledge of data protection law", "Essential"),
        ("A data protection qualification", "Desirable"),
    ]:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)

    [result] = import_files(unseen_force, [("dpo.docx", out.getvalue())])

    assert list(result.profile.criteria.values_list("requirement", "text")) == [
        ("essential", "Knowledge of data protection law"),
        ("desirable", "A data protection qualification"),
    ]
    assert not result.profile.sections.exclude(kind="requirements").exists()


def test_a_row_the_importer_names_takes_the_forces_own_label(unseen_force):
    """A reference too long for its field is kept as a row named as the force's PDF names it."""
    unseen_force.label_overrides = {"reference_code": "Role code"}
    unseen_force.save()
    long_reference = "UC-" + "7" * 60
    text = f"Job title: Analyst\nReference: {long_reference}\nGrade: Band Q\n"

    [result] = import_files(unseen_force, [("analyst.txt", text.encode())])

    rows = list(result.profile.post_details.values_list("label", "value"))
    assert ("Role code", long_reference) in rows
    assert ("Grade", "Band Q") in rows
    assert f"Role code “{long_reference}” is too long for its field; kept as a post detail." in (
        result.warnings
    )


def test_a_one_line_text_file_of_a_few_mb_is_refused_in_seconds(unseen_force):
    started = time.perf_counter()
    [huge] = import_files(unseen_force, [("one-line.txt", b"Manage the team well " * 150_000)])
    list_run = b"<ul><li>" + b"Manage the Team well and " * 15_000
    [many] = import_files(unseen_force, [("list.txt", list_run)])
    elapsed = time.perf_counter() - started

    assert huge.error == "the text is longer than 400,000 characters"
    assert many.error.startswith("it makes 29,999 rows")
    assert many.error.endswith("more than the 600 a profile's editor holds; split the document")
    assert not unseen_force.profiles.exists()
    assert elapsed < 15  # minutes before: each row of the list was saved as an item
