"""The interface in Welsh (issue 22): Django's `cy` locale, chosen by Accept-Language or the
header's switch, remembered per user; the list, read, editor and checklist pages leave no
English interface string behind."""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.language import SESSION_KEY
from accounts.models import LanguagePreference
from profiles import welsh, wording
from profiles.draft import ProfileDraft
from profiles.models import AuditAction, Role, RoleProfile, Status
from profiles.printing import styles
from profiles.services import lifecycle
from tests.conftest import make_member
from tests.html_forms import form_data

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"
# Words that read the same in both languages: names of formats and languages, and "Label".
SAME_IN_BOTH = {
    "PDF",
    "Excel",
    "CSV",
    "XLIFF",
    "Word",
    "HTML",
    "Cymraeg",
    "English",
    "PDR",
    "Label",
}
# Attributes a reader hears or sees besides the text.
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "data-outline-label", "label"}


@pytest.fixture
def gwent(national_data):
    call_command("load_force", str(ROOT / "fixtures/forces/gwent.json"), verbosity=0)
    profile = RoleProfile.objects.get(force__slug="gwent", slug="community-support-officer")
    # A draft, so that its page and its editor show the publication checklist.
    RoleProfile.objects.filter(pk=profile.pk).update(status=Status.DRAFT)
    profile.refresh_from_db()
    return profile


@pytest.fixture
def hr_cy(gwent):
    return make_member(gwent.force, Role.HR_EDITOR, "hr-cy")


class Strings(HTMLParser):
    """The page's text nodes and the attributes read aloud, each stripped; not those of an
    element in another language than the page's (`lang="en-GB"` on a Welsh page: a document
    the page shows, such as the advert text)."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "area", "wbr"}

    def __init__(self):
        super().__init__()
        self.found, self.skip, self.open, self.language = [], 0, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.language = attrs.get("lang")
        other_language = tag != "html" and attrs.get("lang", self.language) != self.language
        # <code> holds names a program reads (keys, ids): the same in every language.
        skipped = tag in ("script", "style", "code") or other_language
        if tag not in self.VOID:
            self.open.append((tag, skipped))
            self.skip += skipped
        if not self.skip and not skipped:
            for name, value in attrs.items():
                if name in READ_ATTRIBUTES and value:
                    self.found.append(value.strip())

    def handle_endtag(self, tag):
        # Up to the element this closes: HTML lets <p>, <li> and <option> go unclosed.
        if tag in [name for name, _skipped in self.open]:
            while self.open:
                name, skipped = self.open.pop()
                self.skip -= skipped
                if name == tag:
                    break

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.found.append(" ".join(data.split()))


def strings_of(html):
    parser = Strings()
    parser.feed(html)
    return parser.found


def content(profile):
    """Every text users or fixtures put in the database, and the force's printed labels:
    content of the profile, not the interface."""
    out = set()
    for model in apps.get_models():
        if model._meta.app_label not in ("profiles", "competencies", "vetting", "auth"):
            continue
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if names:
            for row in model.objects.values_list(*names):
                # A JSON field's texts too (a house style's labels).
                row = [
                    v
                    for value in row
                    for v in (value.values() if isinstance(value, dict) else [value])
                ]
                for value in (v for v in row if v and isinstance(v, str)):
                    # Whole, as a field shows it, and by paragraph, as `linebreaks` does.
                    out.add(" ".join(value.split()))
                    out.update(" ".join(part.split()) for part in value.splitlines())
    out.update(styles.style_of(profile.force)["labels"].values())
    out.update(welsh.DEFAULT_LABELS_CY.values())
    out.update(welsh.LANGUAGE_LABEL.values())
    # The words the wording advice quotes from the profile.
    out.update(f.word for f in wording.findings(ProfileDraft.from_profile(profile), {}))
    return sorted((text for text in out if len(text) > 1), key=len, reverse=True)


def without_content(text, known):
    for value in known:
        if value in text:
            # Whole words only: a name like post_details keeps its "details".
            text = re.sub(r"(?<!\w)" + re.escape(value) + r"(?!\w)", " | ", text)
    return text


def leftover_english(text, known):
    """The words of `text` left once the content and words the same in both are taken out."""
    # The house style's names of parts and labels are typed as they are, in any language.
    names = {*styles.BLOCKS, *styles.DEFAULT_LABELS, *styles.OPTIONS}
    words = re.findall(r"[A-Za-z][A-Za-z_’']+", without_content(text, known))
    return [word for word in words if word not in SAME_IN_BOTH and word not in names]


def english_left_on(client, url, profile, method="get", data=None):
    """Strings of the Welsh page that are also on the English page and are not content."""
    call = getattr(client, method)
    english = call(url, data or {}, HTTP_ACCEPT_LANGUAGE="en-GB")
    cymraeg = call(url, data or {}, HTTP_ACCEPT_LANGUAGE="cy")
    assert english.status_code == cymraeg.status_code == 200
    english_strings = set(strings_of(english.content.decode()))
    known = content(profile)
    return sorted(
        {
            text
            for text in strings_of(cymraeg.content.decode())
            if text in english_strings and leftover_english(text, known)
        }
    )


def in_words(phrase, text):
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text) is not None


def translated_msgids():
    """The catalogue's English phrases whose Welsh differs, without placeholders."""
    return [
        entry.msgid
        for entry in polib.pofile(str(PO))
        if entry.msgstr
        and entry.msgstr != entry.msgid
        and "%" not in entry.msgid
        and len(entry.msgid.split()) > 1
    ]


def pages(profile):
    force, slug = profile.force.slug, profile.slug
    return {
        "list": reverse("profiles:list"),
        "read": reverse("profiles:detail", args=[force, slug]),
        "editor": reverse("profiles:edit", args=[force, slug]),
    }


@pytest.mark.parametrize("page", ["list", "read", "editor"])
def test_a_welsh_browser_gets_the_page_in_welsh_with_no_english_interface_left(
    client, gwent, hr_cy, page
):
    client.force_login(hr_cy)
    url = pages(gwent)[page]

    assert english_left_on(client, url, gwent) == []
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert '<html lang="cy">' in html
    # And no phrase the catalogue translates is left in English outside the content.
    known = content(gwent)
    text = " | ".join(without_content(string, known) for string in strings_of(html))
    assert [msgid for msgid in translated_msgids() if in_words(msgid, text)] == []


def more_pages(profile):
    force, slug = profile.force.slug, profile.slug
    return {
        "history": reverse("profiles:history", args=[force, slug]),
        "review": reverse("profiles:review"),
        "import": reverse("profiles:import"),
        "house style": reverse("profiles:house_style", args=[force]),
        "wording": reverse("profiles:wording_report", args=[force]),
        "similar": reverse("profiles:similar_report", args=[force]),
        "similar panel": reverse("profiles:similar_panel", args=[force, slug]),
        "vetting register": reverse("profiles:vetting_register", args=[force]),
        "bulk changes": reverse("profiles:bulk_changes", args=[force]),
        "new profile": reverse("profiles:new"),
        "advert": reverse("profiles:advert", args=[force, slug]),
        "welsh report": reverse("profiles:welsh_language", args=[force]),
        "welsh translations": reverse("profiles:welsh_translations", args=[force]),
    }


@pytest.mark.parametrize(
    "page",
    [
        "history",
        "review",
        "import",
        "house style",
        "wording",
        "similar",
        "similar panel",
        "vetting register",
        "bulk changes",
        "new profile",
        "advert",
        "welsh report",
        "welsh translations",
    ],
)
def test_the_lifecycle_import_house_style_and_consistency_pages_are_welsh_too(
    client, gwent, hr_cy, page
):
    client.force_login(hr_cy)
    assert english_left_on(client, more_pages(gwent)[page], gwent) == []


def test_the_sign_in_page_is_welsh(client, gwent):
    assert english_left_on(client, reverse("login"), gwent) == []


def test_the_editors_checklist_checked_as_the_user_types_is_welsh(client, gwent, hr_cy):
    client.force_login(hr_cy)
    editor = reverse("profiles:edit", args=[gwent.force.slug, gwent.slug])
    data = form_data(client.get(editor).content.decode(), "editor")
    url = reverse("profiles:edit_checklist", args=[gwent.force.slug, gwent.slug])

    assert english_left_on(client, url, gwent, method="post", data=data) == []
    welsh_page = client.post(url, data, HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Cyn y gellir ei gyhoeddi" in welsh_page


def test_an_english_browser_keeps_english(client, gwent, hr_cy):
    client.force_login(hr_cy)
    html = client.get(reverse("profiles:list"), HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert '<html lang="en-GB">' in html
    assert "Find role profiles" in html
    assert 'name="language" value="cy" lang="cy">Cymraeg</button>' in html


def test_the_switch_stores_the_choice_and_the_next_sign_in_gets_welsh(client, gwent, hr_cy):
    client.force_login(hr_cy)
    list_url = reverse("profiles:list")

    response = client.post(reverse("set_language"), {"language": "cy", "next": list_url})

    assert response.status_code == 302 and response.url == list_url
    assert LanguagePreference.objects.get(user=hr_cy).language == "cy"
    client.logout()
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    client.force_login(hr_cy)
    # force_login sends user_logged_in too: the stored language is on the session now.
    assert client.session[SESSION_KEY] == "cy"
    html = client.get(list_url, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert '<html lang="cy">' in html and "Chwilio am broffiliau rôl" in html


def test_switching_back_to_english_is_stored_too(client, gwent, hr_cy):
    LanguagePreference.objects.create(user=hr_cy, language="cy")
    client.force_login(hr_cy)
    client.post(reverse("set_language"), {"language": "en-gb", "next": "/profiles/"})
    assert LanguagePreference.objects.get(user=hr_cy).language == "en-gb"
    html = client.get("/profiles/", HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert '<html lang="en-GB">' in html


def test_an_unknown_language_is_refused_and_nothing_is_stored(client, gwent, hr_cy):
    client.force_login(hr_cy)
    client.post(reverse("set_language"), {"language": "xx", "next": "/profiles/"})
    assert not LanguagePreference.objects.filter(user=hr_cy).exists()
    assert SESSION_KEY not in client.session


def test_the_switch_needs_post(client, gwent, hr_cy):
    client.force_login(hr_cy)
    assert client.get(reverse("set_language"), {"language": "cy"}).status_code == 405
    assert not LanguagePreference.objects.filter(user=hr_cy).exists()


def test_a_signed_out_visitor_chooses_welsh_by_the_cookie(client, db):
    response = client.post(reverse("set_language"), {"language": "cy", "next": "/accounts/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    assert '<html lang="cy">' in client.get("/accounts/login/").content.decode()


def test_the_stored_language_costs_no_query_per_request(client, gwent, hr_cy):
    """The language comes from the session: pages keep their pinned counts."""
    LanguagePreference.objects.create(user=hr_cy, language="cy")
    client.force_login(hr_cy)
    url = reverse("profiles:list")
    with CaptureQueriesContext(connection) as counted:
        html = client.get(url).content.decode()
    assert '<html lang="cy">' in html
    assert not [q["sql"] for q in counted.captured_queries if "languagepreference" in q["sql"]]


def test_every_message_of_the_catalogue_is_translated_and_compiled():
    catalogue = polib.pofile(str(PO))
    assert catalogue.percent_translated() == 100
    assert not [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    # The committed .mo is compiled from this .po (manage.py compilemessages).
    compiled = polib.mofile(str(PO.with_suffix(".mo")))
    assert {(e.msgctxt, e.msgid, e.msgstr) for e in compiled if e.msgid} == {
        (e.msgctxt, e.msgid, e.msgstr) for e in catalogue if not e.msgid_plural
    } | {(e.msgctxt, e.msgid, e.msgstr) for e in compiled if e.msgid_plural}


def test_a_message_after_an_action_is_welsh_too(client, gwent, hr_cy):
    """A refused house style (no layout) says so in Welsh, and nothing is saved."""
    client.force_login(hr_cy)
    url = reverse("profiles:house_style", args=[gwent.force.slug])
    layout = gwent.force.layout

    response = client.post(url, {"save": "1"}, HTTP_ACCEPT_LANGUAGE="cy")

    assert "Ni chadwyd arddull y tŷ: gweler y gwallau isod." in response.content.decode()
    gwent.force.refresh_from_db()
    assert gwent.force.layout == layout


def test_what_the_record_keeps_stays_in_english_when_the_user_reads_welsh(gwent, hr_cy):
    """An approval's signature is printed on the profile: a Welsh interface does not change it."""
    with translation.override("cy"):
        assert str(Role.HR_EDITOR.label) == "Golygydd AD"
        assert lifecycle.approver_name(hr_cy) == "hr-cy, HR editor"
        assert lifecycle.stored_words(AuditAction.PUBLISH.label) == "Approved and published"
