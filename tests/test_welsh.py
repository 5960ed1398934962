"""Cymraeg: Welsh beside English in fixtures, the Welsh Language Standards per post, Welsh
and bilingual PDFs, the force's Welsh language report, the checklist's count of Welsh."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from profiles import rules
from profiles.checklist import publication_checklist
from profiles.draft import ProfileDraft
from profiles.importing.service import import_files
from profiles.models import Force, Item, Role, RoleProfile, Status, WelshCategory, WelshLevel
from profiles.printing import pdf
from tests.conftest import make_member
from tests.patching import patch

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).resolve().parent / "seeds"


@pytest.fixture(autouse=True)
def cache_dir(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path
    return tmp_path


@pytest.fixture
def gwent(national_data):
    """Gwent's fixture: a Welsh force with its levels and one published profile."""
    call_command("load_force", str(ROOT / "fixtures/forces/gwent.json"), verbosity=0)
    return RoleProfile.objects.get(force__slug="gwent", slug="community-support-officer")


@pytest.fixture
def hr_cy(gwent):
    return make_member(gwent.force, Role.HR_EDITOR, "hr-cy")


@pytest.fixture
def manager_cy(gwent):
    return make_member(gwent.force, Role.HIRING_MANAGER, "manager-cy")


def in_welsh(profile):
    """Welsh for the texts the tests read back: title, purpose and the first item."""
    RoleProfile.objects.filter(pk=profile.pk).update(
        purpose_cy="Bod yn rhan o Dîm Plismona yn y Gymdogaeth."
    )
    item = Item.objects.filter(section__profile=profile).order_by("section__order", "order")[0]
    item.text_cy = "Patrolio’r gymdogaeth yn weladwy."
    item.save()
    profile.refresh_from_db()
    return item


def text_of(content):
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def pdf_url(profile, language=None):
    url = reverse("profiles:pdf", args=[profile.force.slug, profile.slug])
    return f"{url}?language={language}" if language else url


# Fixtures and national data -------------------------------------------------------------------


def test_the_gwent_fixture_carries_its_welsh_levels_category_and_title(gwent):
    levels = WelshLevel.objects.filter(force=gwent.force)
    assert [level.level for level in levels] == [1, 2, 3, 4, 5]
    assert all(level.description and level.description_cy for level in levels)
    assert gwent.welsh_category == WelshCategory.DESIRABLE
    assert gwent.welsh_level.level == 1
    assert gwent.title_cy == "Swyddog Cymorth Cymunedol"
    assert gwent.force.document_title_cy == "Disgrifiad Swydd"


def test_load_force_checks_every_welsh_value_and_changes_nothing(gwent, tmp_path):
    records = json.loads((ROOT / "fixtures/forces/gwent.json").read_text(encoding="utf-8"))
    profile = next(r for r in records if r["model"] == "profiles.roleprofile")
    profile["fields"]["title_cy"] = "x" * 201
    profile["fields"]["welsh_category"] = "very_desirable"
    item = next(r for r in records if r["model"] == "profiles.item")
    item["fields"]["text_cy"] = 7
    path = tmp_path / "gwent.json"
    path.write_text(json.dumps(records), encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        call_command("load_force", str(path), verbosity=0)

    message = str(refused.value)
    assert "field 'title_cy'" in message
    assert "field 'welsh_category'" in message and "very_desirable" in message
    assert "field 'text_cy'" in message
    gwent.refresh_from_db()
    assert gwent.title_cy == "Swyddog Cymorth Cymunedol"


def test_national_data_takes_welsh_where_it_is_given(national_data):
    from competencies.models import Competency
    from vetting.models import VettingLevel

    vetting = VettingLevel.objects.get(code="RV")
    vetting.name_cy = "Fetio Recriwtio"
    vetting.full_clean()
    vetting.save()
    competency = Competency.objects.first()
    competency.name_cy = "Rydym yn ymwybodol yn emosiynol"
    competency.full_clean()
    assert VettingLevel.objects.get(code="RV").name_cy == "Fetio Recriwtio"


# The Welsh Language Standards per post --------------------------------------------------------


def test_the_gwent_seed_imports_its_welsh_as_desirable(national_data):
    force = Force.objects.create(slug="new-force", name="New Force Police", welsh_language=True)
    WelshLevel.objects.create(force=force, level=1, description="Basic Welsh.")
    name = "002_b3dea0175c6ba269.txt"

    [result] = import_files(force, [(name, (SEEDS / name).read_bytes())], create_grades=True)

    profile = RoleProfile.objects.get(pk=result.profile.pk)
    assert profile.welsh_category == WelshCategory.DESIRABLE
    assert profile.welsh_level.level == 1


def test_there_are_exactly_four_welsh_categories():
    assert WelshCategory.values == ["essential", "to_be_learnt", "desirable", "not_necessary"]


def test_a_welsh_force_publishes_only_with_a_category_and_a_level(gwent):
    gwent.welsh_category, gwent.welsh_level = "", None
    errors = rules.check_profile(ProfileDraft.from_profile(gwent), publishing=True)
    assert {error.location for error in errors} == {("welsh_category",), ("welsh_level",)}

    gwent.welsh_category = WelshCategory.NOT_NECESSARY
    assert rules.check_profile(ProfileDraft.from_profile(gwent), publishing=True) == []


def test_a_welsh_level_of_another_force_is_refused(gwent, other_force):
    foreign = WelshLevel.objects.create(force=other_force, level=3, description="Other.")
    gwent.welsh_level = foreign
    errors = rules.check_profile(ProfileDraft.from_profile(gwent))
    assert [error.location for error in errors] == [("welsh_level",)]


def test_a_force_without_welsh_publishes_as_before(profile):
    assert not profile.force.welsh_language
    rows = publication_checklist(profile)
    assert not any("Welsh" in row["label"] for row in rows)


# PDFs -------------------------------------------------------------------------------------------


def test_the_welsh_pdf_holds_the_welsh_words_and_is_tagged_cy(client, hr_cy, gwent):
    in_welsh(gwent)
    client.force_login(hr_cy)

    response = client.get(pdf_url(gwent, "cy"))

    assert response.status_code == 200
    assert response["Content-Language"] == "cy"
    assert "(Cymraeg).pdf" in response["Content-Disposition"]
    text, reader = text_of(response.content)
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert "Swyddog Cymorth Cymunedol" in text
    assert "Bod yn rhan o Dîm Plismona yn y Gymdogaeth." in text
    assert "Patrolio’r gymdogaeth yn weladwy." in text
    assert "DISGRIFIAD SWYDD" in text.upper()
    assert "Cymraeg yn ddymunol" in text
    assert "Community Support Officer" not in text


def test_the_english_pdf_stays_english(client, hr_cy, gwent):
    in_welsh(gwent)
    client.force_login(hr_cy)

    text, reader = text_of(client.get(pdf_url(gwent)).content)

    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert "Community Support Officer" in text and "Swyddog" not in text
    assert "Welsh desirable. Level 1" in text


def test_the_bilingual_pdf_prints_welsh_first_then_english(client, hr_cy, gwent):
    in_welsh(gwent)
    client.force_login(hr_cy)

    response = client.get(pdf_url(gwent, "bilingual"))

    text, reader = text_of(response.content)
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert text.index("Patrolio’r gymdogaeth") < text.index("Community Support Officer")
    assert "Swyddog Cymorth Cymunedol" in text
    html = pdf.render_html(gwent, language="bilingual")
    assert '<div lang="cy">' in html and '<div class="second-language" lang="en-GB">' in html
    assert '<span lang="cy"' in html and '<span lang="en-GB"' in html


def test_each_language_is_cached_apart_and_reused(client, hr_cy, gwent, cache_dir, monkeypatch):
    client.force_login(hr_cy)
    first = client.get(pdf_url(gwent, "cy"))
    english = client.get(pdf_url(gwent))
    prints = []
    real = pdf.html_to_pdf
    patch(monkeypatch, pdf, "html_to_pdf", lambda html: prints.append(1) or real(html))

    again = client.get(pdf_url(gwent, "cy"))

    assert prints == []
    assert again["ETag"] == first["ETag"] != english["ETag"]
    assert len(list((cache_dir / str(gwent.pk) / "cy").glob("*.pdf"))) == 1
    assert client.get(pdf_url(gwent, "cy"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_change_prints_the_welsh_pdf_again(
    client, hr_cy, gwent, django_capture_on_commit_callbacks
):
    client.force_login(hr_cy)
    first = client.get(pdf_url(gwent, "cy"))
    with django_capture_on_commit_callbacks(execute=True):
        in_welsh(gwent)

    again = client.get(pdf_url(gwent, "cy"))

    assert again["ETag"] != first["ETag"]
    assert "Patrolio’r gymdogaeth" in text_of(again.content)[0]


def test_the_force_default_language_is_the_plain_download(client, hr_cy, gwent):
    Force.objects.filter(pk=gwent.force_id).update(default_language="cy")
    client.force_login(hr_cy)

    response = client.get(pdf_url(gwent))

    assert response["Content-Language"] == "cy"
    assert "Swyddog Cymorth Cymunedol" in text_of(response.content)[0]


def test_an_unknown_language_is_refused_with_the_choices(client, hr_cy, gwent):
    client.force_login(hr_cy)
    response = client.get(pdf_url(gwent, "fr"))
    assert response.status_code == 400
    assert "en, cy, bilingual" in response.content.decode()


def test_the_welsh_pdf_is_scoped_like_the_english_one(client, gwent, other_hr_user):
    client.force_login(other_hr_user)
    assert client.get(pdf_url(gwent, "cy")).status_code == 404
    client.logout()
    assert client.get(pdf_url(gwent, "cy")).status_code == 302


# The force's Welsh language report ------------------------------------------------------------


def report_url(slug="gwent", csv_format=False):
    url = reverse("profiles:welsh_language", args=[slug])
    return f"{url}?format=csv" if csv_format else url


@pytest.fixture
def second_post(gwent):
    """Another published post of Gwent, Welsh essential at level 4; and a draft."""
    RoleProfile.objects.create(
        force=gwent.force,
        slug="call-handler",
        title="Call Handler",
        status=Status.PUBLISHED,
        welsh_category=WelshCategory.ESSENTIAL,
        welsh_level=WelshLevel.objects.get(force=gwent.force, level=4),
    )
    RoleProfile.objects.create(force=gwent.force, slug="a-draft", title="A draft")


def test_the_report_lists_every_published_post_with_category_and_level(
    client, manager_cy, gwent, second_post, django_assert_num_queries
):
    client.force_login(manager_cy)
    client.get(report_url())  # the session and user are read once per request below
    # session, user with membership, force, the posts with grade and level
    with django_assert_num_queries(4):
        response = client.get(report_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Call Handler" in page and "Community Support Officer" in page
    assert "A draft" not in page
    assert "Welsh essential" in page and "Welsh desirable" in page


def test_the_report_downloads_as_csv(client, hr_cy, gwent, second_post):
    client.force_login(hr_cy)

    response = client.get(report_url(csv_format=True))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["Title", "Reference", "Grade", "Welsh category", "Welsh level"]
    assert [row[0] for row in rows[1:]] == ["Call Handler", "Community Support Officer"]
    assert rows[1][3:5] == ["Welsh essential", "4"]
    assert rows[2][3:5] == ["Welsh desirable", "1"]


def test_the_report_is_the_force_s_own(client, gwent, other_hr_user, admin_user):
    client.force_login(other_hr_user)
    assert client.get(report_url()).status_code == 404
    client.force_login(admin_user)
    assert client.get(report_url()).status_code == 200
    # a force that keeps no Welsh language requirements has no report
    english_only = Force.objects.create(slug="english-only", name="English Only Police")
    assert client.get(report_url(english_only.slug)).status_code == 404
    client.logout()
    assert client.get(report_url()).status_code == 302


def test_the_report_keeps_a_formula_out_of_the_spreadsheet(client, hr_cy, gwent):
    RoleProfile.objects.filter(pk=gwent.pk).update(title="=HYPERLINK(1)")
    client.force_login(hr_cy)
    rows = list(csv.reader(io.StringIO(client.get(report_url(csv_format=True)).content.decode())))
    assert rows[1][0] == "'=HYPERLINK(1)"


# The checklist ----------------------------------------------------------------------------------


def welsh_row(profile):
    [row] = [row for row in publication_checklist(profile) if row.get("welsh")]
    return row


def test_the_checklist_names_what_has_no_welsh(gwent):
    row = welsh_row(RoleProfile.objects.get(pk=gwent.pk))
    assert not row["done"]
    assert "No Welsh: Post: Purpose" in row["problems"]
    assert row["untranslated"] > 10 and row["stale"] == 0
    assert "No Welsh: Post: Job title" not in row["problems"]


def test_an_english_edit_marks_its_welsh_needs_translation_until_it_is_written_again(gwent):
    item = in_welsh(gwent)
    item.text = "Patrol the neighbourhood on foot."
    item.save()

    row = welsh_row(RoleProfile.objects.get(pk=gwent.pk))
    assert row["stale"] == 1
    assert "Needs translation: Section 1, item 1: text" in row["problems"]

    item.text_cy = "Patrolio’r gymdogaeth ar droed."
    item.save()
    assert welsh_row(RoleProfile.objects.get(pk=gwent.pk))["stale"] == 0


# Search -------------------------------------------------------------------------------------------


def test_the_list_filters_by_welsh_category_and_finds_welsh_words(
    client, manager_cy, gwent, second_post
):
    from profiles import search

    search.refresh_many(RoleProfile.objects.values_list("pk", flat=True))
    client.force_login(manager_cy)
    url = reverse("profiles:list")

    essential = client.get(f"{url}?welsh=essential").content.decode()
    found = client.get(f"{url}?q=Swyddog").content.decode()

    assert "Call Handler" in essential and "Community Support Officer" not in essential
    assert "Community Support Officer" in found and "Call Handler" not in found
    assert 'name="welsh"' in essential


def test_history_compares_the_welsh_and_names_the_level(gwent):
    from profiles.services import history
    from profiles.services.copying import snapshot_of

    old = snapshot_of(gwent)
    RoleProfile.objects.filter(pk=gwent.pk).update(
        purpose_cy="Diben newydd.", welsh_level=WelshLevel.objects.get(force=gwent.force, level=2)
    )
    rows = {row["label"]: row for row in history.compare(old, snapshot_of(gwent))["fields"]}

    assert "Welsh sources" not in rows
    assert rows["Welsh language level"]["change"] == "changed"
    assert rows["Welsh language level"]["new"] == "Level <ins>2</ins>"
    assert rows["Purpose cy"]["change"] == "changed"


def test_the_welsh_print_takes_national_welsh_and_the_force_s_welsh_labels(gwent):
    from competencies.models import Competency
    from profiles.models import HouseStyle
    from profiles.printing.document import document_context
    from vetting.models import VettingLevel

    competency = gwent.behaviours.order_by("order").first().level.competency
    Competency.objects.filter(pk=competency.pk).update(name_cy="Rydym yn ymwybodol yn emosiynol")
    VettingLevel.objects.filter(code="RV").update(name_cy="Fetio Recriwtio")
    HouseStyle.objects.filter(force=gwent.force).update(labels_cy={"reports_to": "Adrodd i"})

    html = pdf.render_html(gwent, language="cy")
    context = document_context(gwent, language="cy")

    assert "Rydym yn ymwybodol yn emosiynol" in html
    assert competency.name not in html
    assert "Adrodd i" in html
    assert context["vetting"].name == "Fetio Recriwtio"
    assert context["untranslated"] > 0  # the purpose, items … still have no Welsh
    assert '<html lang="cy">' in html
