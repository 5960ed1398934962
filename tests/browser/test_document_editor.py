"""The editor reads like the profile it edits: measured, grouped, reordered, never losing work."""

import pytest

from profiles.models import Item, RoleProfile
from tests.browser.conftest import axe_violations, log_in, start_working_draft

pytestmark = pytest.mark.django_db(transaction=True)

CSO = "/profiles/gwent/community-support-officer/"
CLIPPED_TEXTAREAS = """Array.from(document.querySelectorAll('textarea'))
    .filter((t) => t.getClientRects().length && t.scrollHeight > t.clientHeight + 1).length"""


def page_height(page):
    return page.evaluate("document.documentElement.scrollHeight")


def test_the_editor_is_at_most_half_as_tall_again_as_the_read_page_and_clips_no_text(
    page, gwent_hr
):
    # Measured before this editor: 19,730 px against 5,925 px, 22 of 64 text areas clipped.
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, gwent_hr)
    page.goto(CSO)
    read = page_height(page)
    start_working_draft(page, CSO)
    edit = page_height(page)
    assert edit <= 1.5 * read, (edit, read)
    assert page.locator("textarea").count() > 40
    assert page.evaluate(CLIPPED_TEXTAREAS) == 0
    # "Key Activities/Elements" heads 13 responsibilities and is typed once.
    heads = page.locator("#sections-0-items-rows [data-group-input]")
    assert [heads.nth(n).input_value() for n in range(heads.count())] == ["Key Activities/Elements"]
    general = page.locator("#sections-1-items-rows [data-group-input]")
    assert general.count() == 6
    assert general.first.input_value() == "Finance"
    # The outline names each part and its state.
    outline = page.locator("#outline")
    assert "Principal Responsibilities" in outline.inner_text()
    assert "Weighting 80 % of the section's 80 %" in outline.inner_text()


def test_the_editor_fits_320_pixels_and_passes_axe_there(page, gwent_hr):
    page.set_viewport_size({"width": 320, "height": 800})
    log_in(page, gwent_hr)
    start_working_draft(page, CSO)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.evaluate(CLIPPED_TEXTAREAS) == 0
    assert axe_violations(page) == []


def draft_items(section_order):
    profile = RoleProfile.objects.get(draft_of__slug="community-support-officer")
    return list(
        Item.objects.filter(section__profile=profile, section__order=section_order)
        .order_by("order")
        .values_list("subheading", "text")
    )


def save(page, url_glob="**" + CSO):
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(url_glob)


def test_an_hr_editor_renames_reorders_and_adds_groups_of_items(page, gwent_hr):
    log_in(page, gwent_hr)
    start_working_draft(page, CSO)
    before = draft_items(2)
    general = page.locator("#sections-1-items-rows")
    finance = general.locator("[data-group-head]").first
    finance.get_by_label("Subheading").fill("Finance and budgets")
    # "Quality and Compliance" moves above "Finance and budgets" by keyboard.
    quality = general.locator("[data-group-head]").nth(1)
    quality.get_by_role("button", name="Move group up").focus()
    page.keyboard.press("Enter")
    assert page.locator("#editor-announce").inner_text() == "Group moved up."
    # The first finance item moves up, out of its group, into the one above it.
    first_finance_row = (
        general.locator("[data-group-head]").nth(1).locator("xpath=following-sibling::*[1]")
    )
    first_finance_row.get_by_role("button", name="Move up").click()
    assert "Under Quality and Compliance." in page.locator("#editor-announce").inner_text()
    # A new group with one item, at the end.
    page.locator("#part-sections-1").get_by_role("button", name="Add a group").click()
    new_head = general.locator("[data-group-head]").last
    assert page.evaluate("document.activeElement.dataset.groupInput") == ""
    new_head.get_by_label("Subheading").fill("Training")
    new_text = general.locator("[data-row]").last.locator("textarea")
    new_text.wait_for()
    new_text.fill("Complete the force's mandatory training.")
    assert axe_violations(page) == []
    save(page)

    after = draft_items(2)
    quality_items = [text for subheading, text in before if subheading == "Quality and Compliance"]
    finance_items = [text for subheading, text in before if subheading == "Finance"]
    assert after[: len(quality_items) + 1] == [
        ("Quality and Compliance", text) for text in quality_items + finance_items[:1]
    ]
    assert after[len(quality_items) + 1] == ("Finance and budgets", finance_items[1])
    assert after[-1] == ("Training", "Complete the force's mandatory training.")
    assert len(after) == len(before) + 1


def test_an_hr_editor_reorders_responsibilities_by_drag_and_by_keyboard(page, gwent_hr):
    log_in(page, gwent_hr)
    start_working_draft(page, CSO)
    before = [text for _subheading, text in draft_items(1)]
    rows = page.locator("#sections-0-items-rows > [data-row]")
    rows.nth(2).locator(".drag-handle").drag_to(rows.nth(0), target_position={"x": 5, "y": 2})
    assert page.locator("#editor-announce").inner_text().startswith("Moved to position 1 of")
    # Keyboard: the (new) second row moves down with its Move down button.
    rows.nth(1).get_by_role("button", name="Move down").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.textContent").strip().endswith("Move down")
    save(page)
    after = [text for _subheading, text in draft_items(1)]
    assert after[:3] == [before[2], before[1], before[0]]
    assert sorted(after) == sorted(before)
