"""Shortlisting and interview sheets: the criteria of a stage, a score column per candidate."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from competencies.models import CompetencyLevel
from profiles.models import AssessmentMethod, Criterion, RoleProfile, Status
from profiles.printing import shortlisting


@pytest.fixture
def avon(seed_forces):
    return RoleProfile.objects.select_related("force").get(force__slug="avon-and-somerset")


@pytest.fixture
def published(weighted_profile):
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()
    return weighted_profile


@pytest.fixture
def criteria(weighted_profile, national_data):
    application = AssessmentMethod.objects.get(name="Application Form")
    interview = AssessmentMethod.objects.get(name="Interview")
    made = []
    for order, (requirement, text, methods, minimum) in enumerate(
        [
            ("essential", "Experience of working with the public.", [application], None),
            ("essential", "Full driving licence.", [application, interview], False),
            ("essential", "Calm under pressure.", [interview], None),
            ("desirable", "Welsh at level 2.", [application], None),
        ],
        start=1,
    ):
        criterion = Criterion.objects.create(
            profile=weighted_profile,
            order=order,
            requirement=requirement,
            text=text,
            minimum=minimum,
            shortlisting_code=f"C{order}",
        )
        criterion.methods.set(methods)
        made.append(criterion)
    return made


def url(profile, name="shortlisting"):
    return reverse(f"profiles:{name}", args=[profile.force.slug, profile.slug])


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_avon_sheet_lists_its_criteria_with_codes_and_methods(avon):
    sheet = shortlisting.sheet(avon)

    assert [(row["code"], row["requirement"]) for row in sheet["rows"]] == [
        ("EE2", "essential"),
        ("EE3", "essential"),
        ("EE4", "essential"),
        ("EE5", "essential"),
        ("EE6", "essential"),
        ("EA1", "desirable"),
    ]
    assert {row["methods"] for row in sheet["rows"]} == {"Shortlisting"}
    text = pdf_text(shortlisting.render_pdf(avon))
    for code in ("EE2", "EE3", "EE4", "EE5", "EE6", "EA1"):
        assert code in text
    assert "Be computer literate" in text and "Experience of taking minutes" in text
    assert re.search(r"Candidate\s+6", text) and not re.search(r"Candidate\s+7", text)
    assert "Meets all essential criteria" in text
    assert "Strong evidence" in text


def test_the_avon_workbook_refuses_a_score_above_the_scale(avon):
    book = load_workbook(io.BytesIO(shortlisting.render_xlsx(avon, candidates=3)))
    sheet = book.active

    [validation] = sheet.data_validations.dataValidation
    assert (validation.type, validation.operator) == ("whole", "between")
    assert (validation.formula1, validation.formula2) == ("0", str(shortlisting.TOP))
    assert validation.showErrorMessage
    assert str(validation.sqref) == "G6:I11"
    assert [sheet.cell(row, 1).value for row in range(6, 12)] == [
        "EE2",
        "EE3",
        "EE4",
        "EE5",
        "EE6",
        "EA1",
    ]
    # criteria locked, score cells open, the sheet protected
    assert sheet.protection.sheet
    assert sheet["B6"].protection.locked and not sheet["G6"].protection.locked
    assert sheet["B13"].value == "Meets all essential criteria"
    assert sheet["G13"].value == '=IF(AND(G6>=2,G7>=2,G8>=2,G9>=2,G10>=2),"Yes","No")'


def test_minimum_criteria_default_to_essential_ones_assessed_at_application(criteria):
    assert [shortlisting.is_minimum(c) for c in criteria] == [True, False, False, False]


def test_the_sheet_and_workbook_say_which_criteria_are_minimum(weighted_profile, criteria):
    sheet = shortlisting.sheet(weighted_profile)
    text = pdf_text(shortlisting.render_pdf(weighted_profile, candidates=2))
    book = load_workbook(io.BytesIO(shortlisting.render_xlsx(weighted_profile, candidates=2)))

    assert [(r["code"], r["minimum"]) for r in sheet["rows"]] == [
        ("C1", True),
        ("C2", False),
        ("C4", False),
    ]
    assert "Disability Confident" in text
    ws = book.active
    assert [ws.cell(row, 6).value for row in (6, 7, 8)] == ["Yes", None, None]
    assert ws["B11"].value.startswith("Meets the minimum criteria")
    assert ws["G11"].value == '=IF(AND(G6>=2),"Yes","No")'


def test_the_interview_sheet_has_criteria_and_behaviours_assessed_at_interview_with_notes(
    weighted_profile, criteria
):
    interview = AssessmentMethod.objects.get(name="Interview")
    competency_level = CompetencyLevel.objects.filter(competency__name="We take ownership").first()
    behaviour = weighted_profile.behaviours.create(order=1, level=competency_level)
    behaviour.methods.set([interview])

    sheet = shortlisting.sheet(weighted_profile, shortlisting.INTERVIEW)
    text = pdf_text(shortlisting.render_pdf(weighted_profile, shortlisting.INTERVIEW))

    assert [row["code"] for row in sheet["rows"]] == ["C2", "C3"]
    assert [b["name"] for b in sheet["behaviours_at_stage"]] == ["We take ownership"]
    assert "Notes" in text and "We take ownership" in text


def test_hr_downloads_both_sheets_and_bad_input_is_refused(client, hr_user, weighted_profile):
    client.force_login(hr_user)

    sheet = client.get(url(weighted_profile), {"candidates": "4"})
    book = client.get(url(weighted_profile, "shortlisting_xlsx"), {"stage": "interview"})
    too_many = client.get(url(weighted_profile), {"candidates": "500"})
    bad_stage = client.get(url(weighted_profile, "shortlisting_xlsx"), {"stage": "<b>x"})

    assert sheet.status_code == 200 and sheet["Content-Type"] == "application/pdf"
    assert "shortlisting sheet.pdf" in sheet["Content-Disposition"]
    assert book.status_code == 200
    assert book["Content-Type"] == shortlisting.XLSX_CONTENT_TYPE
    assert "interview sheet.xlsx" in book["Content-Disposition"]
    assert too_many.status_code == 400
    assert too_many.content.decode() == "The number of candidates is a whole number from 1 to 30."
    assert bad_stage.status_code == 400
    assert bad_stage["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("name", ["shortlisting", "shortlisting_xlsx"])
def test_a_manager_gets_published_sheets_only_and_other_forces_get_404(
    client, manager_user, other_hr_user, weighted_profile, name
):
    assert client.get(url(weighted_profile, name))["Location"].startswith("/accounts/login/")
    client.force_login(manager_user)
    assert client.get(url(weighted_profile, name)).status_code == 404
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()
    assert client.get(url(weighted_profile, name)).status_code == 200
    client.force_login(other_hr_user)
    assert client.get(url(weighted_profile, name)).status_code == 404


def test_a_workbook_download_costs_a_fixed_number_of_queries(
    client, manager_user, published, criteria, django_assert_num_queries
):
    client.force_login(manager_user)

    # session, user with membership; the profile; then document_context's fetch: the
    # profile with force, house style, grades, vetting, framework; post details, sections,
    # items, criteria, their methods, behaviours, skills, NOS units; the force's standard
    # sections; the framework's values.
    with django_assert_num_queries(14):
        response = client.get(url(published, "shortlisting_xlsx"))

    assert response.status_code == 200
