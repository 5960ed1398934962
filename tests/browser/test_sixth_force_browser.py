"""A sixth force's profile, loaded from its fixture, edited and published in a real browser;
its PDF prints every value under its own label."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from profiles.models import Force, Role, RoleProfile, Status
from tests.browser.conftest import PASSWORD, axe_violations, log_in, member

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sixth_force.json"
PROFILE = "/profiles/north-yorkshire/police-staff-investigator/"


@pytest.fixture
def north_yorkshire(national_data):
    call_command("load_force", str(FIXTURE), verbosity=0)
    return Force.objects.get(slug="north-yorkshire")


def pdf_words(page):
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    with open(download_info.value.path(), "rb") as downloaded:
        pdf = PdfReader(io.BytesIO(downloaded.read()))
    return " ".join(" ".join(pg.extract_text().split()) for pg in pdf.pages)


def log_out(page):
    page.context.clear_cookies()


# Each label of the post-detail grid with the value the profile holds once edited.
EXPECTED = {
    "Officer or staff": "Police staff",
    "Home Office function code": "43 – Investigations support",
    "Limited duties category": "Suitable for limited duties (Category B)",
    "Section": "Major Crime Unit, Northallerton",
    "Internal contacts": "Detectives and investigators; Forensic Services;",
    "External contacts": "Witnesses and victims; partner agencies; members of the public.",
    "Grade": "Band C (subject to job evaluation)",
    "Vetting level": "MV",
}


def test_a_sixth_forces_profile_edits_publishes_and_prints_every_value_under_its_label(
    page, django_user_model, north_yorkshire
):
    author = member(django_user_model, north_yorkshire, Role.HR_EDITOR, "hr-north-yorkshire")
    reviewer = member(django_user_model, north_yorkshire, Role.HR_EDITOR, "hr2-north-yorkshire")
    reviewer.first_name, reviewer.last_name = "Alex", "Morgan"
    reviewer.save()
    log_in(page, author)
    page.goto(PROFILE)
    checklist = page.locator("#publication-checklist")
    assert checklist.inner_text().count(": done") == 4

    page.get_by_role("link", name="Edit").click()
    page.wait_for_url("**" + PROFILE + "edit/")
    # The review date was given as a month: the editor shows the month and the year only.
    assert page.get_by_label("Day (optional)").first.input_value() == ""
    assert page.locator("#id_profile-date_reviewed_1").input_value() == "2"
    assert page.locator("#id_profile-date_reviewed_2").input_value() == "2023"
    assert page.get_by_label("Officer or staff").input_value() == "staff"
    page.get_by_label("Section", exact=True).fill("Major Crime Unit, Northallerton")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**" + PROFILE)
    assert page.get_by_role("status").first.inner_text().startswith("Saved")

    draft_words = pdf_words(page)
    assert "Date reviewed February 2023" in draft_words
    assert "Essential criteria • Experience of interviewing witnesses" in draft_words
    assert "Other" not in draft_words

    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url("**" + PROFILE)
    log_out(page)
    log_in(page, reviewer)
    page.goto(PROFILE)
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_url("**" + PROFILE)
    assert page.get_by_role("status").first.inner_text().endswith("is published as version 1.")
    profile = RoleProfile.objects.get(force=north_yorkshire)
    assert profile.status == Status.PUBLISHED

    words = pdf_words(page)
    for label, value in EXPECTED.items():
        assert f"{label} {value}" in words, (label, words)
    # Approval sets the approval fields only: the document's own date reviewed is kept.
    assert "Date reviewed February 2023" in words
    today = date_format(timezone.localdate(), "j F Y")
    assert f"Approved by Alex Morgan, HR editor Date {today}" in words
    assert "hr2-north-yorkshire" not in words
    assert "Essential criteria • Experience of interviewing witnesses" in words
    assert "Desirable criteria • PIP level 1 accreditation." in words
    assert PASSWORD not in words
