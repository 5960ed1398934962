"""Signing in through the identity provider's own login page (a real OpenID provider,
tests/oidc.py), with roles from groups, in Chromium."""

import pytest

from accounts.models import IdentityGroup
from profiles.models import Role
from tests.browser.conftest import PASSWORD, start_working_draft
from tests.oidc import OpenIDProvider, client_metadata

pytestmark = pytest.mark.django_db(transaction=True)

CSO = "/profiles/gwent/community-support-officer/"


@pytest.fixture
def provider(live_server, settings):
    provider = OpenIDProvider([client_metadata(live_server.url)])
    settings.OIDC_PROVIDERS = [provider.settings_entry()]
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**directives, "form-action": [*directives["form-action"], provider.issuer]}
    }
    yield provider
    provider.stop()


@pytest.fixture
def gwent_groups(gwent):
    IdentityGroup.objects.create(force=gwent, group_id="gwent-hr", role=Role.HR_EDITOR)
    IdentityGroup.objects.create(force=gwent, group_id="gwent-managers", role=Role.HIRING_MANAGER)


def sign_in(page, login):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Gwent ID").click()
    # The provider's own login page.
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("their-password-at-the-provider")
    page.get_by_role("button", name="Sign-in").click()


def sign_out(page):
    page.goto("/profiles/")
    page.get_by_role("button", name="Log out").click()
    # The provider asks before ending its own session, then sends the browser back.
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url("**/accounts/login/")


def test_roles_follow_the_providers_groups(page, provider, gwent_groups):
    provider.put_account("hr.person", groups=["gwent-hr"], name="Harriet Roe")
    provider.put_account("manager.person", groups=["gwent-managers"])
    provider.put_account("new.starter", groups=["unmapped"])

    # An HR editor edits.
    sign_in(page, "hr.person")
    page.wait_for_url("**/profiles/")
    start_working_draft(page, CSO)
    page.locator("#id_sections-0-items-0-text").fill("Patrol the beat, on foot.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**" + CSO)
    assert "Patrol the beat, on foot." in page.content()
    sign_out(page)

    # A hiring manager reads and downloads, and may not edit.
    sign_in(page, "manager.person")
    page.wait_for_url("**/profiles/")
    page.goto(CSO)
    assert page.get_by_role("link", name="Edit").count() == 0
    pdf = page.request.get(CSO + "pdf/")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert page.goto(CSO + "edit/").status == 403
    sign_out(page)

    # Someone in no mapped group sees the no-access page and nothing else.
    sign_in(page, "new.starter")
    page.wait_for_url("**/accounts/no-access/")
    assert page.get_by_role("heading", name="You have no access yet").is_visible()
    page.goto(CSO)
    assert page.url.endswith("/accounts/no-access/")
    sign_out(page)

    # The provider moves the HR editor to the managers: the next sign-in takes edit away.
    provider.put_account("hr.person", groups=["gwent-managers"], name="Harriet Roe")
    sign_in(page, "hr.person")
    page.wait_for_url("**/profiles/")
    page.goto(CSO)
    assert page.get_by_role("link", name="Edit").count() == 0
    assert page.goto(CSO + "edit/").status == 403


def test_with_local_login_staff_a_password_is_refused_to_non_staff(
    page, provider, settings, gwent_hr
):
    settings.LOCAL_LOGIN = "staff"
    page.goto("/accounts/login/")
    assert page.get_by_role("link", name="Sign in with Gwent ID").is_visible()
    page.get_by_label("Username").fill(gwent_hr.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert page.locator("#login-errors").inner_text() == (
        "Only administrators sign in with a password here. Use the button above."
    )
    assert page.url.endswith("/accounts/login/")
