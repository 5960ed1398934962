"""An HR editor and a hiring manager at work in a real browser, checked by axe-core."""

import io

import pytest
from pypdf import PdfReader

from profiles.models import Item, RoleProfile
from tests.browser.conftest import axe_violations, log_in, start_working_draft

pytestmark = pytest.mark.django_db(transaction=True)

CSO = "/profiles/gwent/community-support-officer/"


def first_responsibility():
    # The seed profile is published: the editor changes its working draft (profiles.workflow).
    return Item.objects.filter(
        section__profile__draft_of__force__slug="gwent",
        section__profile__draft_of__slug="community-support-officer",
        section__order=1,
    ).order_by("order")


def published_responsibilities():
    return list(
        Item.objects.filter(
            section__profile__force__slug="gwent",
            section__profile__slug="community-support-officer",
            section__order=1,
        )
        .order_by("order")
        .values_list("text", "weighting")
    )


def test_an_hr_editor_changes_a_responsibility_and_the_pdf_carries_it(page, gwent_hr):
    published = published_responsibilities()
    log_in(page, gwent_hr)
    page.goto(CSO)
    page.get_by_role("link", name="Edit").click()
    # Opening the editor of the published profile starts nothing: it asks first.
    page.get_by_role("heading", name="This profile is published").wait_for()
    assert not RoleProfile.objects.filter(draft_of__slug="community-support-officer").exists()
    page.get_by_role("button", name="Start a working draft").click()
    page.wait_for_url("**/community-support-officer--draft/edit/")
    assert page.get_by_role("status").first.inner_text().startswith("Started a working draft")
    text = page.locator("#id_sections-0-items-0-text")
    text.fill("Patrol the neighbourhood on foot and by bicycle, reassuring the public.")
    total = page.locator("#sections-0-items-total")
    page.locator("#id_sections-0-items-0-weighting").fill("25")
    assert (
        total.inner_text() == "75 % of the section's 80 %: they must add up to the section's total"
    )
    page.locator("#id_sections-0-items-1-weighting").fill("20")
    assert total.inner_text() == "80 % of the section's 80 %"
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**" + CSO)
    assert page.get_by_role("status").first.inner_text().startswith("Saved")
    assert "reassuring the public" in page.locator("main").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    with open(download_info.value.path(), "rb") as downloaded:
        pdf = PdfReader(io.BytesIO(downloaded.read()))
    words = " ".join(" ".join(pg.extract_text().split()) for pg in pdf.pages)
    assert "reassuring the public" in words
    item = first_responsibility().first()
    assert item.weighting == 25
    # Hiring managers still read the published profile as it was.
    assert published_responsibilities() == published


def test_a_weighting_that_breaks_the_total_is_refused_next_to_it(page, gwent_hr):
    log_in(page, gwent_hr)
    start_working_draft(page, CSO)
    page.locator("#id_sections-0-items-0-weighting").fill("31")
    assert page.locator("#sections-0-items-total").evaluate("e => e.classList.contains('is-wrong')")
    page.get_by_role("button", name="Save").click()
    error = page.locator("#sections-0-items-errors")
    assert "add up to 81 %, but the section’s total is 80 %" in error.inner_text()
    # The message is in the same block as the weighting that broke the total.
    block = page.locator("[data-section-items]").filter(has=error)
    assert block.locator("#id_sections-0-items-0-weighting").input_value() == "31"
    assert first_responsibility().first().weighting == 30


def test_an_hr_editor_reorders_by_keyboard_and_adds_an_item_with_htmx(page, gwent_hr):
    log_in(page, gwent_hr)
    start_working_draft(page, CSO)
    second_before = first_responsibility()[1].text
    first_row = page.locator("#sections-0-items-rows > [data-row]").first
    move_down = first_row.get_by_role("button", name="Move down")
    move_down.focus()
    page.keyboard.press("Enter")
    assert page.locator("#editor-announce").inner_text().startswith("Moved to position 2")
    general = page.locator("#sections-rows > [data-row]").nth(1)
    total_forms = page.locator("#id_sections-1-items-TOTAL_FORMS")
    index = int(total_forms.input_value())
    general.get_by_role("button", name="Add an item").click()
    new_text = page.locator(f"#id_sections-1-items-{index}-text")
    new_text.wait_for()
    assert total_forms.input_value() == str(index + 1)
    assert page.evaluate("document.activeElement.id") == f"id_sections-1-items-{index}-text"
    # Gwent's general tasks carry no item weightings: an unweighted item fits.
    new_text.fill("Keep the station's lost property log.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**" + CSO)
    assert first_responsibility().first().text == second_before
    profile = RoleProfile.objects.get(
        force__slug="gwent", draft_of__slug="community-support-officer"
    )
    assert Item.objects.filter(
        section__profile=profile, text="Keep the station's lost property log."
    ).exists()


def test_a_hiring_manager_has_no_edit_button_and_is_refused_the_editor(page, gwent_manager):
    log_in(page, gwent_manager)
    page.goto(CSO)
    assert page.get_by_role("link", name="Download PDF").is_visible()
    assert page.get_by_role("link", name="Edit").count() == 0
    response = page.goto(CSO + "edit/")
    assert response.status == 403


def test_the_login_list_read_and_edit_pages_pass_axe(page, gwent_hr):
    page.goto("/accounts/login/")
    assert axe_violations(page) == []
    log_in(page, gwent_hr)
    # The editor of the published profile first offers a working draft, then opens it.
    for url in ("/profiles/", "/profiles/?q=patrol", CSO, CSO + "edit/"):
        page.goto(url)
        assert axe_violations(page) == [], url
    page.get_by_role("button", name="Start a working draft").click()
    page.wait_for_url("**/community-support-officer--draft/edit/")
    assert axe_violations(page) == []
