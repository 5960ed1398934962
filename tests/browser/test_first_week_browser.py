"""A new force's first week in a real browser: set up on the one-page form, a document of its
own imported, reviewed, published by a second HR editor and downloaded by its hiring manager,
with no invented value and no admin page but the set-up."""

import io

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from profiles.importing import batches
from profiles.models import Force, ImportBatch, RoleProfile, Status
from tests.browser.conftest import PASSWORD, axe_violations, log_in
from vetting.models import VettingLevel

pytestmark = pytest.mark.django_db(transaction=True)

# The force's own document: no vetting level, a month for its date reviewed.
DOCUMENT = """Role Profile
Job Title: Detention Officer
Reference: DO-7
Grade: Scale 4
Department: Custody
Date reviewed: March 2024

Purpose
To keep detained people safe and well.

Key Responsibilities
1. Book detained people in and out of custody.
2. Carry out and record welfare checks.

Essential Criteria
- Experience of working with the public.
Desirable Criteria
- A current first aid certificate.
"""

SET_UP = {
    "#id_name": "Dyfed-Powys Police",
    "#id_slug": "dyfed-powys",
    "#id_grades": "Scale 3\nScale 4",
    "#id_default_working_arrangement": "Shifts, 24/7",
    "#id_hr_username": "hr-dyfed-powys",
    "#id_hr_name": "Sian Price",
    "#id_hr_password": PASSWORD,
    "#id_approver_username": "hr2-dyfed-powys",
    "#id_approver_name": "Rhian Evans",
    "#id_approver_password": PASSWORD,
    "#id_manager_username": "manager-dyfed-powys",
    "#id_manager_name": "Owen Hughes",
    "#id_manager_password": PASSWORD,
}


class Account:
    def __init__(self, username):
        self.username = username


def log_out(page):
    page.context.clear_cookies()


def test_a_new_force_sets_up_imports_reviews_publishes_and_downloads_inventing_nothing(
    page, django_user_model, national_data, settings, tmp_path, live_server
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    admin = django_user_model.objects.create_superuser("admin", password=PASSWORD)

    # Set-up: the one admin page, with the force's defaults and its second approver. The
    # administrator's session is made as after two-factor sign-in (accounts' gate).
    signed_in = Client()
    signed_in.force_login(admin)
    cookie = signed_in.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto("/admin/profiles/force/set-up/")
    for selector, value in SET_UP.items():
        page.fill(selector, value)
    page.select_option("#id_layout", "weighted_table")
    page.select_option("#id_default_vetting_level", str(VettingLevel.objects.get(code="MV").pk))
    page.select_option("#id_default_officer_or_staff", "staff")
    page.get_by_role("button", name="Set up the force").click()
    page.get_by_text(
        "Set up Dyfed-Powys Police with 2 grade(s) and the accounts hr-dyfed-powys, "
        "hr2-dyfed-powys and manager-dyfed-powys."
    ).wait_for()
    log_out(page)

    # Import: the HR editor uploads the force's own document.
    log_in(page, Account("hr-dyfed-powys"))
    document = tmp_path / "detention-officer.txt"
    document.write_text(DOCUMENT, encoding="utf-8")
    page.goto("/profiles/import/")
    page.get_by_label("Files").set_input_files(str(document))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/profiles/import/batches/*/")
    batches.run_batch(ImportBatch.objects.get().pk, "the worker")
    page.get_by_text("Done: 1 of 1 documents.").wait_for()

    # Review: every field in its place; then the profile page, which needs nothing more.
    page.get_by_role("link", name="Detention Officer").click()
    page.get_by_role("heading", name="Review import: Detention Officer").wait_for()
    page.goto("/profiles/dyfed-powys/detention-officer/")
    checklist = page.locator("#publication-checklist").inner_text()
    assert "A vetting level: done (force default: MV)" in checklist
    assert checklist.count(": done") == 4
    assert "Who can approve: Rhian Evans" in page.locator("#who-can-approve").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Submit for review").click()
    # The author cannot approve, and the page offers no Edit while the profile is in review.
    page.get_by_text("Waiting for another HR editor to review it.").wait_for()
    assert page.get_by_role("button", name="Approve and publish").count() == 0
    assert page.get_by_role("link", name="Edit", exact=True).count() == 0
    log_out(page)

    # Publish: the second HR editor approves.
    log_in(page, Account("hr2-dyfed-powys"))
    page.goto("/profiles/dyfed-powys/detention-officer/")
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_text("is published as version 1.").wait_for()
    profile = RoleProfile.objects.get(force=Force.objects.get(slug="dyfed-powys"))
    assert profile.status == Status.PUBLISHED
    log_out(page)

    # Download: the hiring manager finds it and downloads the PDF.
    log_in(page, Account("manager-dyfed-powys"))
    page.get_by_role("link", name="Detention Officer").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    with open(download_info.value.path(), "rb") as downloaded:
        reader = PdfReader(io.BytesIO(downloaded.read()))
    words = " ".join(" ".join(pg.extract_text().split()) for pg in reader.pages)

    today = date_format(timezone.localdate(), "j F Y")
    assert "Date reviewed March 2024" in words
    assert "Vetting level MV" in words
    assert "Officer or staff Police staff" in words
    assert "Working arrangement Shifts, 24/7" in words
    assert f"Approved by Rhian Evans, HR editor Date {today}" in words
    assert "hr2-dyfed-powys" not in words
    assert "Experience of working with the public. (essential)" in words
    assert "Weighting" not in words
    assert PASSWORD not in words
