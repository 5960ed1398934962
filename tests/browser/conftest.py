"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

import os

import pytest
from playwright.sync_api import sync_playwright

from profiles.models import Force, Membership, Role

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make between browser steps are still ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# Loaded from the app's own static files: the Content-Security-Policy refuses inline scripts.
AXE = "/static/vendor/axe-core-4.14.1/axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "browser-test-password"


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    refused = watch_for_csp_violations(page)
    yield page
    context.close()
    assert refused == [], "The Content-Security-Policy refused something"


def watch_for_csp_violations(page):
    """A list that fills with Chromium's reports of what the Content-Security-Policy refused."""
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    return refused


@pytest.fixture
def gwent(seed_forces):
    """Gwent as the editor's browser tests knew it: one language. Gwent is a Welsh force in the
    seed data, and its editor then shows each Welsh text beside its English one; the Welsh
    editor is tested through the test client (tests/test_welsh_editing.py)."""
    Force.objects.filter(slug="gwent").update(welsh_language=False)
    return Force.objects.get(slug="gwent")


def member(django_user_model, force, role, username):
    user = django_user_model.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, force=force, role=role)
    return user


@pytest.fixture
def gwent_hr(django_user_model, gwent):
    return member(django_user_model, gwent, Role.HR_EDITOR, "hr-gwent")


@pytest.fixture
def gwent_manager(django_user_model, gwent):
    return member(django_user_model, gwent, Role.HIRING_MANAGER, "manager-gwent")


def log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/profiles/")


def axe_violations(page):
    """What axe-core finds against WCAG 2.2 AA on the page as it stands."""
    page.add_script_tag(url=AXE)
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
            }));
        }""",
        WCAG_22_AA,
    )


def start_working_draft(page, profile_path):
    """Open the editor of a published profile and start its working draft, as HR does."""
    page.goto(profile_path + "edit/")
    page.get_by_role("button", name="Start a working draft").click()
    page.wait_for_url("**" + profile_path.rstrip("/") + "--draft/edit/")
