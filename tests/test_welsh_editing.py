"""Cymraeg in the editor and with translators: English and Welsh side by side, "needs
translation" after an English edit, XLIFF 2.0 out and back in by stable ids."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree
from model_bakery import baker
from pypdf import PdfReader

from profiles.checklist import publication_checklist
from profiles.models import Item, Role, RoleProfile, Status, WelshCategory
from profiles.services import translations
from tests.conftest import make_member
from tests.html_forms import parse_form

ROOT = Path(__file__).resolve().parent.parent
NS = {"x": translations.NS}


@pytest.fixture(autouse=True)
def cache_dir(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path
    return tmp_path


@pytest.fixture
def gwent(national_data):
    """Gwent's profile as a draft its HR editor edits directly."""
    call_command("load_force", str(ROOT / "fixtures/forces/gwent.json"), verbosity=0)
    RoleProfile.objects.filter(slug="community-support-officer").update(status=Status.DRAFT)
    return RoleProfile.objects.get(force__slug="gwent", slug="community-support-officer")


@pytest.fixture
def hr_cy(gwent):
    return make_member(gwent.force, Role.HR_EDITOR, "hr-cy")


def edit_url(profile):
    return reverse("profiles:edit", args=[profile.force.slug, profile.slug])


def first_item(profile):
    return Item.objects.filter(section__profile=profile).order_by("section__order", "order")[0]


def stale_count(profile):
    rows = publication_checklist(RoleProfile.objects.get(pk=profile.pk))
    return next(row for row in rows if row.get("welsh"))["stale"]


# The editor ---------------------------------------------------------------------------------------


def test_the_editor_shows_each_text_s_welsh_beside_its_english(client, hr_cy, gwent):
    client.force_login(hr_cy)

    page = client.get(edit_url(gwent)).content.decode()
    form = parse_form(page, "editor")

    for name in (
        "profile-title_cy",
        "profile-purpose_cy",
        "sections-0-heading_cy",
        "sections-0-intro_cy",
        "sections-0-items-0-text_cy",
        "criteria-0-text_cy",
        "details-0-label_cy" if "details-0-label" in form else "criteria-0-method_note_cy",
        "behaviours-0-method_note_cy",
        "profile-welsh_category",
        "profile-welsh_level",
    ):
        assert name in form, name
    assert 'lang="cy"' in page
    # the Welsh comes right after its English
    assert page.index('name="profile-title"') < page.index('name="profile-title_cy"')
    assert page.index('name="profile-title_cy"') < page.index('name="profile-reference_code"')
    assert form["profile-title_cy"] == "Swyddog Cymorth Cymunedol"


def test_a_force_without_welsh_edits_in_english_only(client, hr_user, full_profile):
    client.force_login(hr_user)
    page = client.get(edit_url(full_profile)).content.decode()
    assert "_cy" not in page and "welsh_category" not in page


def test_gwent_s_profile_gets_its_welsh_through_the_editor(client, hr_cy, gwent):
    client.force_login(hr_cy)
    form = parse_form(client.get(edit_url(gwent)).content.decode(), "editor")
    form["profile-purpose_cy"] = "Bod yn rhan o Dîm Plismona yn y Gymdogaeth."
    form["sections-0-items-0-text_cy"] = "Patrolio’r gymdogaeth yn weladwy."
    form["profile-welsh_category"] = WelshCategory.ESSENTIAL

    response = client.post(edit_url(gwent), form.data())

    assert response.status_code == 302, response.content.decode()[:2000]
    gwent.refresh_from_db()
    assert gwent.purpose_cy.startswith("Bod yn rhan")
    assert gwent.welsh_category == WelshCategory.ESSENTIAL
    assert first_item(gwent).text_cy == "Patrolio’r gymdogaeth yn weladwy."
    pdf_url = reverse("profiles:pdf", args=["gwent", gwent.slug])
    welsh = client.get(f"{pdf_url}?language=cy").content
    reader = PdfReader(io.BytesIO(welsh))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert "Patrolio’r gymdogaeth yn weladwy." in text and "Cymraeg yn hanfodol" in text
    both = client.get(f"{pdf_url}?language=bilingual").content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(both)).pages)
    assert "Patrolio’r gymdogaeth yn weladwy." in text
    assert text.index("Bod yn rhan") < text.index("To form part of a Neighbourhood Policing Team")


def test_an_english_edit_marks_its_welsh_needs_translation_in_the_editor(client, hr_cy, gwent):
    client.force_login(hr_cy)
    form = parse_form(client.get(edit_url(gwent)).content.decode(), "editor")
    form["sections-0-items-0-text_cy"] = "Patrolio’r gymdogaeth yn weladwy."
    assert client.post(edit_url(gwent), form.data()).status_code == 302
    assert stale_count(gwent) == 0

    form = parse_form(client.get(edit_url(gwent)).content.decode(), "editor")
    form["sections-0-items-0-text"] = "Patrol the neighbourhood on foot."
    assert client.post(edit_url(gwent), form.data()).status_code == 302

    assert stale_count(gwent) == 1
    page = client.get(edit_url(gwent)).content.decode()
    assert "needs translation" in page and 'class="needs-translation' in page
    form = parse_form(page, "editor")
    form["sections-0-items-0-text_cy"] = "Patrolio’r gymdogaeth ar droed."
    assert client.post(edit_url(gwent), form.data()).status_code == 302
    assert stale_count(gwent) == 0


def test_the_welsh_editor_costs_a_fixed_number_of_queries(
    client, hr_cy, gwent, django_assert_num_queries
):
    client.force_login(hr_cy)
    client.get(edit_url(gwent))
    # The English editor's 22 (tests/test_editor.py) and 23 the force's Welsh levels.
    with django_assert_num_queries(23):
        assert client.get(edit_url(gwent)).status_code == 200


def test_a_welsh_profile_is_published_only_with_its_category_and_level(gwent):
    RoleProfile.objects.filter(pk=gwent.pk).update(welsh_category="", welsh_level=None)
    rows = publication_checklist(RoleProfile.objects.get(pk=gwent.pk))
    row = next(row for row in rows if row["label"] == "Welsh language category and level")
    assert not row["done"]
    assert (
        "A published profile of a Welsh force needs its Welsh language category."
        in (row["problems"])
    )


# XLIFF out and back -------------------------------------------------------------------------


def export(client, force_slug="gwent"):
    response = client.get(reverse("profiles:welsh_translations_export", args=[force_slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xliff+xml; charset=utf-8"
    return etree.fromstring(response.content)


def translate(root, welsh):
    """Fill each unit's target the way a translation tool would."""
    for unit in root.iterfind(".//x:unit", NS):
        target = unit.find("x:segment/x:target", NS)
        target.text = welsh(unit.get("id"), unit.find("x:segment/x:source", NS).text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def upload(client, data, force_slug="gwent"):
    url = reverse("profiles:welsh_translations", args=[force_slug])
    return client.post(url, {"file": io.BytesIO(data)}, follow=False)


def test_export_translate_import_writes_the_welsh_and_clears_needs_translation(
    client, hr_cy, gwent
):
    item = first_item(gwent)
    item.text_cy = "Hen gyfieithiad."
    item.save()
    item.text = "Patrol the neighbourhood on foot."
    item.save()
    assert stale_count(gwent) == 1
    client.force_login(hr_cy)

    root = export(client)
    ids = [unit.get("id") for unit in root.iterfind(".//x:unit", NS)]
    assert root.get("version") == "2.0" and root.get("trgLang") == "cy-GB"
    assert f"item.{item.pk}.text" in ids
    assert f"profile.{gwent.pk}.purpose" in ids
    assert f"profile.{gwent.pk}.title" not in ids  # its Welsh is written and current
    response = upload(client, translate(root, lambda unit_id, source: f"CY {source}"))

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text_cy == "CY Patrol the neighbourhood on foot."
    assert stale_count(gwent) == 0
    gwent.refresh_from_db()
    assert gwent.purpose_cy.startswith("CY To form part")
    # nothing is left to translate
    assert export(client).find(".//x:unit", NS) is None


def test_a_stale_import_is_refused_with_the_ids_named_and_changes_nothing(client, hr_cy, gwent):
    client.force_login(hr_cy)
    root = export(client)
    item = first_item(gwent)
    item.text = "Patrol on foot."
    item.save()

    response = upload(client, translate(root, lambda unit_id, source: "Cymraeg"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "changed after the export" in page and f"item.{item.pk}.text" in page
    gwent.refresh_from_db()
    assert gwent.purpose_cy == ""


def test_an_import_naming_texts_of_another_force_is_refused(client, hr_cy, gwent, other_force):
    client.force_login(hr_cy)
    root = export(client)
    elsewhere = baker.make(RoleProfile, force=other_force, slug="elsewhere")
    section = baker.make("profiles.Section", profile=elsewhere, order=1, kind="responsibilities")
    other = baker.make(Item, section=section, order=1, text="Not Gwent's.")
    unit = root.find(".//x:unit", NS)
    unit.set("id", f"item.{other.pk}.text")
    data = translate(root, lambda unit_id, source: "Cymraeg")

    response = upload(client, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "not texts of this force" in page and f"item.{other.pk}.text" in page
    other.refresh_from_db()
    assert other.text_cy == ""


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not xml", "not well-formed XML"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', "DTD"),
        (b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"/>', "XLIFF 2.0"),
    ],
)
def test_a_file_that_is_not_xliff_2_is_refused(client, hr_cy, gwent, data, message):
    client.force_login(hr_cy)
    response = upload(client, data)
    assert response.status_code == 400 and message in response.content.decode()


def test_translations_are_the_force_s_hr_editors_own(client, gwent, other_hr_user):
    url = reverse("profiles:welsh_translations", args=["gwent"])
    export_url = reverse("profiles:welsh_translations_export", args=["gwent"])
    manager = make_member(gwent.force, Role.HIRING_MANAGER, "manager-cy")
    client.force_login(manager)
    assert client.get(url).status_code == 403
    assert client.get(export_url).status_code == 403
    client.force_login(other_hr_user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(export_url).status_code == 302


def test_the_translations_page_counts_what_needs_welsh(client, hr_cy, gwent):
    client.force_login(hr_cy)
    item = first_item(gwent)
    item.text_cy = "Hen gyfieithiad."
    item.save()
    Item.objects.filter(pk=item.pk).update(text="Changed without a signal.")

    page = client.get(reverse("profiles:welsh_translations", args=["gwent"])).content.decode()

    assert "1 Welsh text needs translation" in page
    assert "texts have no Welsh" in page


def test_the_translation_pages_cost_a_fixed_number_of_queries(
    client, hr_cy, gwent, django_assert_num_queries
):
    client.force_login(hr_cy)
    page = reverse("profiles:welsh_translations", args=["gwent"])
    export_url = reverse("profiles:welsh_translations_export", args=["gwent"])
    client.get(page)
    # 1 session, 2 user with membership, 3 force, then the force's rows of each kind that
    # has Welsh: 4 profiles, 5 post details, 6 sections, 7 items, 8 criteria, 9 behaviours,
    # 10 standard sections
    with django_assert_num_queries(10):
        assert client.get(page).status_code == 200
    with django_assert_num_queries(10):
        assert client.get(export_url).status_code == 200


def test_a_published_profile_s_welsh_goes_through_its_working_draft(client, national_data):
    from profiles.services import lifecycle

    call_command("load_force", str(ROOT / "fixtures/forces/gwent.json"), verbosity=0)
    published = RoleProfile.objects.get(slug="community-support-officer")
    author = make_member(published.force, Role.HR_EDITOR, "hr-cy")
    reviewer = make_member(published.force, Role.HR_EDITOR, "hr-cy-2")
    draft = lifecycle.start_working_draft(published, author)
    client.force_login(author)
    form = parse_form(client.get(edit_url(draft)).content.decode(), "editor")
    form["sections-0-items-0-text_cy"] = "Patrolio’r gymdogaeth yn weladwy."
    assert client.post(edit_url(draft), form.data()).status_code == 302
    form = parse_form(client.get(edit_url(draft)).content.decode(), "editor")
    form["sections-0-items-0-text"] = "Patrol the neighbourhood on foot."
    assert client.post(edit_url(draft), form.data()).status_code == 302

    lifecycle.submit(RoleProfile.objects.get(pk=draft.pk), author)
    lifecycle.approve(RoleProfile.objects.get(pk=draft.pk), reviewer)

    item = first_item(published)
    assert item.text_cy == "Patrolio’r gymdogaeth yn weladwy."
    # published, and still marked: its English changed after the Welsh was written
    assert stale_count(published) == 1
