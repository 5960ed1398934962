"""A hiring manager downloads the Word file and the shortlisting sheets from a profile's page,
and a developer reads the API's docs page, in Chromium (issue 23)."""

import io

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from profiles.models import Force, Role, RoleProfile, Status
from tests.browser.conftest import log_in, member, start_working_draft

AVON_CODES = ["EE2", "EE3", "EE4", "EE5", "EE6", "EA1"]


@pytest.fixture
def avon_manager(django_user_model, seed_forces):
    force = Force.objects.get(slug="avon-and-somerset")
    return member(django_user_model, force, Role.HIRING_MANAGER, "manager-avon")


def download(page, click):
    with page.expect_download() as event:
        click()
    download = event.value
    with open(download.path(), "rb") as file:
        return download.suggested_filename, file.read()


def test_a_hiring_manager_downloads_the_word_file_and_both_shortlisting_sheets(page, avon_manager):
    avon = RoleProfile.objects.get(force__slug="avon-and-somerset", status=Status.PUBLISHED)
    log_in(page, avon_manager)
    page.goto(avon.get_absolute_url())

    name, content = download(page, page.get_by_role("link", name="Download Word").click)
    assert name.endswith(".docx")
    document = docx.Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any("Citizens in Policing Administrator" in heading for heading in headings)
    assert document.tables, "the criteria and skills are Word tables"
    words = " ".join(p.text for p in document.paragraphs)
    words += " ".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    for code in AVON_CODES:
        assert code in words

    page.get_by_role("button", name="Shortlisting sheet").click()
    page.get_by_label("Candidates").fill("4")
    name, content = download(page, page.get_by_role("button", name="PDF", exact=True).click)
    assert name.endswith(".pdf")
    text = " ".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(content)).pages)
    for code in AVON_CODES:
        assert code in text
    assert "Candidate 4" in text and "Candidate 5" not in text

    page.goto(avon.get_absolute_url())
    page.get_by_role("button", name="Shortlisting sheet").click()
    page.get_by_label("Candidates").fill("4")
    name, content = download(page, page.get_by_role("button", name="Excel").click)
    assert name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    for code in AVON_CODES:
        assert code in cells
    assert sheet.protection.sheet
    [validation] = sheet.data_validations.dataValidation
    assert (validation.type, validation.formula1, validation.formula2) == ("whole", "0", "4")


def test_the_api_docs_page_shows_the_endpoints_under_the_content_security_policy(page):
    page.goto("/api/v1/docs/")

    page.get_by_text("/api/v1/profiles/{force_slug}/{slug}/").wait_for()
    assert page.get_by_role("button", name="Authorize").is_visible()


@pytest.fixture
def avon_hr(django_user_model, seed_forces):
    force = Force.objects.get(slug="avon-and-somerset")
    return member(django_user_model, force, Role.HR_EDITOR, "hr-avon")


def test_hr_marks_the_minimum_criteria_in_the_editor(page, avon_hr):
    avon = RoleProfile.objects.get(force__slug="avon-and-somerset", status=Status.PUBLISHED)
    log_in(page, avon_hr)
    start_working_draft(page, avon.get_absolute_url())
    draft = RoleProfile.objects.get(draft_of=avon)
    criteria = list(draft.criteria.order_by("order"))
    essential = [i for i, c in enumerate(criteria) if c.requirement == "essential"]
    desirable = [i for i, c in enumerate(criteria) if c.requirement == "desirable"]
    box = "#id_criteria-{}-minimum"

    # Avon's criteria name no method: scored at shortlisting, so each essential one is a
    # minimum criterion by the rule; a desirable one has no box to tick.
    for index in essential:
        assert page.locator(box.format(index)).is_checked()
    for index in desirable:
        assert page.locator(box.format(index)).is_hidden()
    page.locator(box.format(essential[0])).uncheck()
    page.locator(f"#id_criteria-{essential[1]}-requirement").select_option("desirable")
    assert page.locator(box.format(essential[1])).is_hidden()
    page.locator(f"#id_criteria-{essential[1]}-requirement").select_option("essential")
    assert page.locator(box.format(essential[1])).is_visible()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**" + avon.get_absolute_url())
    assert page.get_by_role("status").first.inner_text().startswith("Saved")

    marks = [c.minimum for c in draft.criteria.order_by("order")]
    assert marks[essential[0]] is False
    assert all(marks[i] is None for i in essential[1:] + desirable)
