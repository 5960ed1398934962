"""A browser that asks for Welsh (Accept-Language: cy) gets the list, read page, editor and
checklist in Welsh, `lang="cy"` on the page, and axe finds nothing against WCAG 2.2 AA."""

import pytest

from accounts.models import LanguagePreference
from profiles.models import Force, Role, RoleProfile, Status
from tests.browser.conftest import (
    PASSWORD,
    axe_violations,
    member,
    watch_for_csp_violations,
)

pytestmark = pytest.mark.django_db(transaction=True)

CSO = "/profiles/gwent/community-support-officer/"


@pytest.fixture
def welsh_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="cy")
    page = context.new_page()
    page.set_default_timeout(15000)
    refused = watch_for_csp_violations(page)
    yield page
    context.close()
    assert refused == [], "The Content-Security-Policy refused something"


@pytest.fixture
def gwent_hr(django_user_model, seed_forces):
    """Gwent, a Welsh force, with its Community Support Officer as a draft (the checklist
    shows beside a draft)."""
    gwent = Force.objects.get(slug="gwent")
    RoleProfile.objects.filter(force=gwent, slug="community-support-officer").update(
        status=Status.DRAFT
    )
    return member(django_user_model, gwent, Role.HR_EDITOR, "hr-gwent")


def sign_in(page, user):
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "cy"
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Mewngofnodi").click()
    page.wait_for_url("**/profiles/")


def test_the_welsh_pages_read_in_welsh_and_pass_axe(welsh_page, gwent_hr):
    page = welsh_page
    sign_in(page, gwent_hr)

    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("heading", level=1).inner_text() == "Chwilio am broffiliau rôl"
    assert axe_violations(page) == []

    page.goto(CSO)
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("#checklist-heading").inner_text() == "Cyn y gellir ei gyhoeddi"
    assert page.get_by_role("link", name="Lawrlwytho PDF").count() == 1
    assert axe_violations(page) == []

    page.goto(CSO + "edit/")
    assert page.locator("html").get_attribute("lang") == "cy"
    checklist = page.locator("#editor-checklist #checklist-heading")
    assert checklist.inner_text() == "Cyn y gellir ei gyhoeddi"
    assert page.get_by_role("button", name="Cadw").count() == 1
    # The scripts speak Welsh too: a row moved with its button is announced in Welsh.
    page.locator("#sections-0-items-rows [data-move='down']").first.click()
    announce = page.locator("#editor-announce")
    assert announce.inner_text().startswith("Wedi’i symud i safle 2 o")
    # The checklist is checked again on the moved rows; its answer is in Welsh too.
    page.wait_for_load_state("networkidle")
    assert checklist.inner_text() == "Cyn y gellir ei gyhoeddi"
    assert axe_violations(page) == []


def test_the_switch_in_the_header_turns_the_interface_english_and_remembers_it(
    welsh_page, gwent_hr
):
    page = welsh_page
    sign_in(page, gwent_hr)

    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/profiles/")

    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert page.get_by_role("heading", level=1).inner_text() == "Find role profiles"
    assert LanguagePreference.objects.get(user=gwent_hr).language == "en-gb"
    assert page.get_by_role("button", name="Cymraeg").count() == 1
    assert axe_violations(page) == []


def test_the_history_review_import_and_house_style_pages_in_welsh_pass_axe(welsh_page, gwent_hr):
    page = welsh_page
    sign_in(page, gwent_hr)
    for path, heading in [
        (CSO + "history/", "Hanes Community Support Officer"),
        ("/profiles/review/", "Proffiliau i’w hadolygu: Gwent Police"),
        ("/profiles/import/", "Mewnforio proffiliau"),
        ("/profiles/house-style/gwent/", "Arddull tŷ Gwent Police"),
    ]:
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "cy"
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert axe_violations(page) == [], path
