"""Two HR editors change the same profile in two real browsers: nothing is lost."""

import pytest

from profiles.models import Role, RoleProfile
from tests.browser.conftest import (
    axe_violations,
    log_in,
    member,
    start_working_draft,
    watch_for_csp_violations,
)

pytestmark = pytest.mark.django_db(transaction=True)

CSO = "/profiles/gwent/community-support-officer/"


@pytest.fixture
def second_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    refused = watch_for_csp_violations(page)
    yield page
    context.close()
    assert refused == [], "The Content-Security-Policy refused something"


def test_the_second_of_two_editors_is_refused_keeps_their_input_and_sees_the_change(
    page, second_page, gwent_hr, django_user_model, gwent
):
    colleague = member(django_user_model, gwent, Role.HR_EDITOR, "hr-gwent-2")
    log_in(page, gwent_hr)
    log_in(second_page, colleague)
    start_working_draft(page, CSO)
    # The working draft exists now: the colleague's editor opens it directly.
    second_page.goto(CSO + "edit/")

    page.locator("#id_profile-purpose").fill("Keep the neighbourhood safe, first wording.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**" + CSO)

    mine = "Reassure the public, second wording that must not be lost."
    second_page.locator("#id_profile-purpose").fill(mine)
    second_page.get_by_role("button", name="Save").click()
    alert = second_page.locator("#stale-save")
    assert "Someone else saved this profile while you were editing it" in alert.inner_text()
    assert second_page.locator("#id_profile-purpose").input_value() == mine
    draft = RoleProfile.objects.get(draft_of__slug="community-support-officer")
    assert draft.purpose == "Keep the neighbourhood safe, first wording."
    assert axe_violations(second_page) == []

    with second_page.context.expect_page() as new_tab:
        alert.get_by_role("link", name="See what they changed").click()
    changes = new_tab.value
    changes.wait_for_load_state()
    # The compare page names fields by the force's labels: Gwent prints the purpose as this.
    purpose_row = changes.locator("tr.diff-changed", has_text="Position summary")
    assert "first wording" in " ".join(purpose_row.locator("ins").all_inner_texts())
    assert axe_violations(changes) == []

    second_page.get_by_role("button", name="Save").click()
    second_page.wait_for_url("**" + CSO)
    draft.refresh_from_db()
    assert draft.purpose == mine
