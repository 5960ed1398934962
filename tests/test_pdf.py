"""Role profile PDFs: download, permissions, cache, tagging and escaping."""

import gc
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from fontTools.ttLib import TTFont
from model_bakery import baker
from pypdf import PdfReader

from profiles.models import Force, Item, Role, Status
from profiles.printing import pdf
from profiles.services import lifecycle
from tests.conftest import make_member
from tests.patching import patch


@pytest.fixture(autouse=True)
def cache_dir(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path
    return tmp_path


@pytest.fixture
def published(weighted_profile):
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()
    return weighted_profile


def url(profile):
    return reverse("profiles:pdf", args=[profile.force.slug, profile.slug])


def text_of(content):
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def cached_files(profile):
    return sorted(path.name for path in (pdf.cache_root() / str(profile.pk)).glob("*.pdf"))


class RenderCounter:
    """Counts HTML renders and real WeasyPrint prints (it calls through; nothing is faked)."""

    def __init__(self, monkeypatch):
        self.count = self.html_count = 0
        real_pdf, real_html = pdf.html_to_pdf, pdf.render_html

        def counting_pdf(html):
            self.count += 1
            return real_pdf(html)

        def counting_html(profile, **options):
            self.html_count += 1
            return real_html(profile, **options)

        patch(monkeypatch, pdf, "html_to_pdf", counting_pdf)
        patch(monkeypatch, pdf, "render_html", counting_html)


def test_hr_downloads_a_draft_named_for_people_and_marked_draft(client, hr_user, weighted_profile):
    client.force_login(hr_user)

    response = client.get(url(weighted_profile))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Gwent Police - Community Support Officer.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    text = text_of(response.content)
    assert "DRAFT" in text
    assert "Responsibility 13" in text


def test_a_published_pdf_carries_no_draft_mark(client, hr_user, published):
    client.force_login(hr_user)

    text = text_of(client.get(url(published)).content)

    assert "DRAFT" not in text
    assert "Community Support Officer" in text


def test_a_manager_of_the_force_gets_published_profiles_only(client, manager_user, profile):
    client.force_login(manager_user)
    assert client.get(url(profile)).status_code == 404

    Item.objects.create(
        section=baker.make("profiles.Section", profile=profile, kind="responsibilities"),
        text="Patrol.",
    )
    profile.status = Status.PUBLISHED
    profile.save()

    assert client.get(url(profile)).status_code == 200


def test_a_user_of_another_force_gets_404(client, other_force, published):
    client.force_login(make_member(other_force, Role.HR_EDITOR, "hr-lancashire"))

    assert client.get(url(published)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, published):
    response = client.get(url(published))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_answers_304_to_a_matching_etag(client, hr_user, published):
    client.force_login(hr_user)
    first = client.get(url(published))

    again = client.get(url(published), HTTP_IF_NONE_MATCH=first["ETag"])
    since = client.get(url(published), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert re.fullmatch(r'"[0-9a-f]{64}"', first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert since.status_code == 304
    assert client.get(url(published), HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_an_unchanged_profile_is_served_from_the_cache(client, hr_user, published, monkeypatch):
    client.force_login(hr_user)
    renders = RenderCounter(monkeypatch)

    first = client.get(url(published))
    second = client.get(url(published))

    assert renders.count == 1
    assert renders.html_count == 1
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_changed_item_gives_a_fresh_pdf(
    client, hr_user, published, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(hr_user)
    renders = RenderCounter(monkeypatch)
    first = client.get(url(published))
    item = Item.objects.get(section__profile=published, order=13)
    with django_capture_on_commit_callbacks(execute=True):
        item.text = "Keep the beat book up to date."
        item.save()

    second = client.get(url(published))

    assert renders.count == 2
    assert second["ETag"] != first["ETag"]
    assert "Keep the beat book up to date." in text_of(second.content)
    assert cached_files(published) == [second["ETag"].strip('"') + ".pdf"]


def test_a_change_to_the_force_or_its_standard_texts_gives_a_fresh_pdf(
    client, hr_user, published, django_capture_on_commit_callbacks
):
    client.force_login(hr_user)
    first = client.get(url(published))
    force = published.force
    with django_capture_on_commit_callbacks(execute=True):
        force.name = "Heddlu Gwent Police"
        force.save()
    second = client.get(url(published))
    with django_capture_on_commit_callbacks(execute=True):
        baker.make(
            "profiles.StandardSection", force=force, key="welsh", body="Croeso.", placement="end"
        )

    third = client.get(url(published))

    assert len({first["ETag"], second["ETag"], third["ETag"]}) == 3
    assert "Heddlu Gwent Police" in text_of(second.content)
    assert "Croeso." in text_of(third.content)


def test_a_change_to_national_framework_text_gives_a_fresh_pdf(
    client, hr_user, published, competency_level, django_capture_on_commit_callbacks
):
    client.force_login(hr_user)
    baker.make("profiles.Behaviour", profile=published, level=competency_level, order=1)
    first = client.get(url(published))
    with django_capture_on_commit_callbacks(execute=True):
        baker.make("competencies.Indicator", level=competency_level, text="I listen first.")

    second = client.get(url(published))

    assert second["ETag"] != first["ETag"]
    assert "I listen first." in text_of(second.content)


def test_the_pdf_is_tagged_with_language_and_structure(client, hr_user, published):
    client.force_login(hr_user)

    reader = PdfReader(io.BytesIO(client.get(url(published)).content))

    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).lower() == "en-gb"
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert reader.metadata.title.startswith(published.force.document_title)


def test_a_save_prints_the_pdf_after_commit(
    settings, published, django_capture_on_commit_callbacks
):
    settings.PDF_RENDER_AFTER_SAVE = True
    item = Item.objects.get(section__profile=published, order=2)

    with django_capture_on_commit_callbacks(execute=True):
        item.text = "Patrol on foot."
        item.save()

    key = pdf.content_key(pdf.render_html(published))
    assert cached_files(published) == [f"{key}.pdf"]
    assert pdf.current_key(published) == key


def test_user_text_is_printed_as_text_never_as_markup(hr_user, published):
    published.title = '<script>alert("x")</script><b>Officer</b>'
    published.save()

    html = pdf.render_html(published)
    text = text_of(pdf.cached_pdf(published).content)

    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<script>alert("x")</script><b>Officer</b>' in text.replace("\n", "")


def test_a_colour_field_accepts_only_colours(force):
    force.primary_colour = "red; background: url(http://127.0.0.1/x)"

    with pytest.raises(ValidationError, match="six hexadecimal digits"):
        force.full_clean()
    force.primary_colour = "#12ab3F"
    force.full_clean()


def test_a_colour_saved_past_the_validator_never_reaches_the_css(published):
    # Seven characters at most fit the column (PostgreSQL enforces it), still enough for CSS.
    Force.objects.filter(pk=published.force_id).update(
        primary_colour="red;}*{", accent_colour="url(x)"
    )
    published.refresh_from_db()

    html = pdf.render_html(published)

    assert "red;}" not in html and "url(x)" not in html
    assert "--primary: #1d3c6e; --accent: #e8eef7;" in html


@pytest.mark.django_db(transaction=True)
def test_a_committed_save_is_printed_by_the_task_worker(settings, weighted_profile):
    settings.PDF_RENDER_AFTER_SAVE = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    item = Item.objects.get(section__profile=weighted_profile, order=2)
    assert pdf.current_key(weighted_profile) is None

    item.text = "Printed by the task worker."
    item.save()
    assert pdf.current_key(weighted_profile) is None
    call_command("run_tasks", "--batch", "--interval", "0")

    key = pdf.current_key(weighted_profile)
    assert key is not None
    assert "Printed by the task worker." in text_of(pdf.cached_pdf(weighted_profile).content)


def test_a_cached_download_costs_three_queries(
    client, manager_user, published, django_assert_num_queries
):
    client.force_login(manager_user)
    client.get(url(published))

    # session, user with membership and force, the profile with its force and working draft
    with django_assert_num_queries(3):
        response = client.get(url(published))

    assert response.status_code == 200


def test_an_hr_editors_cached_download_of_a_working_draft_costs_three_queries_too(
    client, hr_user, published, django_assert_num_queries
):
    draft = lifecycle.start_working_draft(published, hr_user)
    client.force_login(hr_user)
    client.get(url(published))

    with django_assert_num_queries(3):
        response = client.get(url(published))

    assert response["ETag"] == f'"{pdf.current_key(draft)}"'
    assert pdf.current_key(published) != pdf.current_key(draft)


def test_the_debug_switch_shows_the_html_only_when_debug_is_on(
    client, hr_user, published, settings
):
    client.force_login(hr_user)

    off = client.get(url(published), {"debug": "html"})
    settings.DEBUG = True
    on = client.get(url(published), {"debug": "html"})

    assert off["Content-Type"] == "application/pdf"
    assert on["Content-Type"].startswith("text/html")
    assert b'<body class="layout-default look-rule">' in on.content


def test_the_collector_waits_for_more_allocations_only_while_rendering():
    before = gc.get_threshold()
    with pdf.fewer_collections():
        during = gc.get_threshold()
        with pdf.fewer_collections():  # a second thread rendering at the same time
            pass
        assert gc.get_threshold() == during
    assert during == (pdf.RENDER_GC_THRESHOLD, *before[1:])
    assert gc.get_threshold() == before


def test_a_failed_render_gives_the_collector_its_thresholds_back():
    before = gc.get_threshold()
    with pytest.raises(ValueError), pdf.fewer_collections():
        raise ValueError("the renderer failed")
    pdf.html_to_pdf("<p>printed</p>")
    assert gc.get_threshold() == before


def test_the_layout_style_is_parsed_once_and_still_styles_the_document(monkeypatch):
    parsed = []
    real_css = pdf.CSS
    # WeasyPrint's class, as profiles.printing.pdf reads it (tests.patching is for the project's).
    monkeypatch.setattr(pdf, "CSS", lambda **kwargs: parsed.append(1) or real_css(**kwargs))
    layout = '<style class="layout">.hidden { display: none } p { color: #c00 }</style>'
    page = (
        f"<html><head>{layout}<style>:root {{ --primary: #123456 }}</style></head>"
        '<body><p class="hidden">Left out by the layout</p><p>TEXT</p></body></html>'
    )
    first = pdf.html_to_pdf(page.replace("TEXT", "First print"))
    second = pdf.html_to_pdf(page.replace("TEXT", "Second print"))
    assert "First print" in text_of(first) and "Second print" in text_of(second)
    # The layout style still applies once it is lifted out of the HTML and parsed apart.
    assert "Left out" not in text_of(first) and "Left out" not in text_of(second)
    assert len(parsed) == 1
    pdf.html_to_pdf(page.replace("#c00", "#0c0"))
    assert len(parsed) == 2


def test_a_document_prints_its_layout_style_as_its_only_variable_free_style(published):
    published.force.primary_colour = "#0a7b3c"
    published.force.save()
    html = pdf.render_html(published)
    layouts = pdf.LAYOUT_STYLE.findall(html)
    assert len(layouts) == 1 and "{{" not in layouts[0]
    # The force's colours are not in the shared layout text but in the document's own style.
    assert "#0a7b3c" not in layouts[0] and "--primary: #0a7b3c" in html


def test_its_pages_and_fonts_are_compressed_and_read_back(published):
    content = pdf.html_to_pdf(pdf.render_html(published))

    reader = PdfReader(io.BytesIO(content))
    for page in reader.pages:
        contents = page["/Contents"].get_object()
        assert contents["/Filter"] == "/FlateDecode" and b"BT" in contents.get_data()
        for font in page["/Resources"]["/Font"].values():
            (descendant,) = font.get_object()["/DescendantFonts"]
            program = descendant.get_object()["/FontDescriptor"]["/FontFile2"].get_object()
            assert program["/Filter"] == "/FlateDecode"
            assert TTFont(io.BytesIO(program.get_data()))["glyf"]  # a font program that opens
    assert "Community Support Officer" in text_of(content)


def test_list_markers_are_written_before_each_items_text():
    html = (
        "<ul><li>Outer<ul><li>Inner</li></ul></li><li>Second</li></ul>"
        '<ol><li>First</li><li class="x">Next<ol><li>Sub</li></ol><ul><li>Aside</li></ul></li>'
        "<li>Last</li></ol>"
    )
    bullet, hollow, space = "\u2022", "\u25e6", "\u00a0\u00a0"
    assert pdf.list_markers(html) == (
        f"<ul><li>{bullet}{space}Outer<ul><li>{hollow}{space}Inner</li></ul></li>"
        f"<li>{bullet}{space}Second</li></ul>"
        f'<ol><li>1.{space}First</li><li class="x">2.{space}Next<ol><li>1.{space}Sub</li></ol>'
        f"<ul><li>{bullet}{space}Aside</li></ul></li><li>3.{space}Last</li></ol>"
    )


def test_a_printed_list_has_each_marker_once_in_the_layouts_type(published):
    lists = (
        "<ul><li>Outer item<ul><li>Inner item</li></ul></li><li>Second item</li></ul>"
        "<ol><li>First step</li><li>Next step</li></ol>"
    )
    html = re.sub(
        r"(<body[^>]*>).*(</body>)", rf"\g<1>{lists}\g<2>", pdf.render_html(published), flags=re.S
    )
    # The layout draws markers with ::before on a screen only; the PDF has them as text.
    assert "li::before" in pdf.LAYOUT_STYLE.search(html).group(1)

    lines = [" ".join(line.split()) for line in text_of(pdf.html_to_pdf(html)).splitlines()]
    assert [line for line in lines if "item" in line or "step" in line] == [
        "\u2022 Outer item",
        "\u25e6 Inner item",
        "\u2022 Second item",
        "1. First step",
        "2. Next step",
    ]
