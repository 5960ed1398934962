"""Word downloads: the house style as a real .docx, every word of the PDF, and back again."""

import io

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse
from docx.oxml.ns import qn
from docx.table import Table
from pypdf import PdfReader

from profiles.importing.service import import_files
from profiles.models import Force, RoleProfile, Status
from profiles.printing import pdf, word
from tests.fidelity import coverage, missing


@pytest.fixture
def gwent(seed_forces):
    return RoleProfile.objects.select_related("force").get(force__slug="gwent")


@pytest.fixture
def published(weighted_profile):
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()
    return weighted_profile


def url(profile):
    return reverse("profiles:docx", args=[profile.force.slug, profile.slug])


def opened(data):
    return docx.Document(io.BytesIO(data))


def all_text(document):
    """Body paragraphs and table cells in order, then the running header and footer."""
    parts = []
    for element in document.iter_inner_content():
        if isinstance(element, Table):
            parts += [cell.text for row in element.rows for cell in row.cells]
        else:
            parts.append(element.text)
    section = document.sections[0]
    parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def pdf_text_without_page_furniture(content):
    """The PDF's words, its running header and footer counted once rather than on each page
    (Word repeats its own header and footer on every page from one copy)."""
    pages = [page.extract_text().splitlines() for page in PdfReader(io.BytesIO(content)).pages]
    return "\n".join(["\n".join(pages[0])] + ["\n".join(lines[:-2]) for lines in pages[1:]])


def test_the_gwent_word_file_holds_at_least_98_percent_of_its_pdf_words(gwent):
    document = opened(word.render(gwent))
    printed = pdf_text_without_page_furniture(pdf.cached_pdf(gwent).content)

    text = all_text(document)

    assert coverage(printed, text) >= 0.98, missing(printed, text).most_common(20)


def test_gwent_weighted_responsibilities_are_a_table_with_a_repeating_header_row(gwent):
    document = opened(word.render(gwent))

    [table] = [t for t in document.tables if "Total: 80%" in t.rows[0].cells[-1].text]
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"
    assert [row.cells[-1].text for row in table.rows[1:4]] == ["30%", "15%", "10%"]
    assert table.rows[1].cells[1].text.startswith("To conduct high visibility uniformed foot")


def test_gwent_parts_are_word_headings_with_title_and_language_set(gwent):
    document = opened(word.render(gwent))

    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name[:7] == "Heading"
    ]
    # The page heading is the job title (issue 19); the document's title is a line above it.
    assert ("Heading 1", "Community Support Officer") in headings
    assert ("Heading 2", "Principal Responsibilities (Total: 80%)") in headings
    assert ("Heading 3", "Finance") in headings
    assert document.core_properties.title == (
        "Job Description: Community Support Officer – Gwent Police"
    )
    assert document.core_properties.language == "en-GB"
    lang = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert lang.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets and bullets[0].text == (
        "To be cost effective in all contracts and purchasing undertaken in the department."
    )


def profile_fields(profile):
    """The fields a profile is made of, as the importer places them."""
    return {
        "title": profile.title,
        "reference_code": profile.reference_code,
        "grade": profile.grade and profile.grade.code,
        "purpose": profile.purpose,
        "vetting": profile.vetting_level and profile.vetting_level.code,
        "post_details": list(profile.post_details.values_list("label", "value")),
        "date_reviewed": profile.date_reviewed,
        # Sections with their items; a heading with nothing under it (the one the criteria
        # and the behaviours print beneath) is structure, not a field.
        "sections": [
            (s.kind, s.heading, s.weighting, [(i.subheading, i.text, i.weighting) for i in items])
            for s in profile.sections.order_by("order")
            if (items := list(s.items.order_by("order")))
            and s.heading != "Imported text not placed"
        ],
        "criteria": [
            (c.requirement, c.category, c.text, sorted(m.name for m in c.methods.all()))
            for c in profile.criteria.order_by("order")
        ],
        "behaviours": [
            (b.level.competency.name, b.level.number, sorted(m.name for m in b.methods.all()))
            for b in profile.behaviours.order_by("order")
        ],
    }


def test_the_gwent_word_file_imports_back_to_the_same_fields(gwent):
    force = Force.objects.create(slug="re-import", name="Re-import Police")
    for grade in gwent.force.grades.all():
        force.grades.create(code=grade.code, name=grade.name)

    [result] = import_files(force, [("gwent.docx", word.render(gwent))])

    assert result.ok, result.error
    assert profile_fields(result.profile) == profile_fields(gwent)


def test_the_export_command_writes_one_word_file_per_profile(gwent, tmp_path):
    call_command("export_profiles", "--force", "gwent", "--format", "docx", "--output", tmp_path)

    [path] = tmp_path.iterdir()
    assert path.name == "gwent--community-support-officer.docx"
    assert opened(path.read_bytes()).core_properties.title.startswith("Job Description")


def test_hr_downloads_the_word_file_named_for_people(client, hr_user, weighted_profile):
    client.force_login(hr_user)

    response = client.get(url(weighted_profile))

    assert response.status_code == 200
    assert response["Content-Type"] == word.CONTENT_TYPE
    assert (
        'filename="Gwent Police - Community Support Officer.docx"'
        in (response["Content-Disposition"])
    )
    assert "Responsibility 13" in all_text(opened(response.content))


def test_a_manager_gets_the_published_word_file_and_404_for_a_draft(
    client, manager_user, weighted_profile
):
    client.force_login(manager_user)
    assert client.get(url(weighted_profile)).status_code == 404

    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()

    assert client.get(url(weighted_profile)).status_code == 200


def test_another_forces_user_gets_404_and_anonymous_visitors_log_in(
    client, other_hr_user, published
):
    assert client.get(url(published))["Location"].startswith("/accounts/login/")
    client.force_login(other_hr_user)
    assert client.get(url(published)).status_code == 404


def test_a_word_download_costs_a_fixed_number_of_queries(
    client, manager_user, published, django_assert_num_queries
):
    client.force_login(manager_user)

    # session, user with membership; the profile; then document_context's fetch: the
    # profile with force, house style, grades, vetting, framework; post details, sections,
    # items, criteria, behaviours, skills, NOS units (no criteria or behaviours here, so
    # no methods or indicators); the force's standard sections; the framework's values.
    with django_assert_num_queries(13):
        response = client.get(url(published))

    assert response.status_code == 200
