"""The editor reads like the profile it edits: measured, grouped, reordered, never losing work."""

import pytest

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
