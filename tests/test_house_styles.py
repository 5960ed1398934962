"""House styles are data: every option changes the print, a new force needs no template, previews."""

import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from model_bakery import baker
from pypdf import PdfReader

from profiles.models import Force, HouseStyle, Layout, RoleProfile, SectionKind
from profiles.printing import pdf, style_preview, styles
from tests.html_forms import parse_form


@pytest.fixture(autouse=True)
def cache_dir(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path / "pdf-cache"


@pytest.fixture
def styled_profile(full_profile, framework):
    """The full profile with what every option acts on: purpose, a department, values."""
    full_profile.purpose = "To keep the peace."
    full_profile.reference_code = "C1"
    full_profile.department = "Neighbourhoods"
    full_profile.save()
    baker.make("competencies.Value", framework=framework, name="Integrity", order=1)
    baker.make(
        "profiles.StandardSection",
        force=full_profile.force,
        key="values",
        placement="values",
        body="Our values.",
    )
    baker.make("profiles.Section", profile=full_profile, order=3, kind=SectionKind.REQUIREMENTS)
    return full_profile


def render(profile, layout="default", **options):
    html = pdf.render_html(profile, styles.resolve(layout, HouseStyle(**options)))
    return re.sub(r">\s+<", "><", html)


# option → {value: what only that value prints}
MARKERS = {
    "masthead": {
        # The page heading is the job title in every masthead; what follows it differs.
        "title": '<h1>Community Support Officer</h1><p class="muted">Reference C1 · Grade Scale',
        "document": '<h1>Community Support Officer</h1><p class="muted">Gwent Police</p>',
        "document_and_reference": '<p class="reference">C1 Scale 4</p>',
    },
    "headings": {
        "plain": "<h2>Post details</h2>",
        "numbered": '<h2><span class="number">1.</span> Post details</h2>',
        "lettered": '<h2><span class="number">A.</span> Post details</h2>',
    },
    "heading_look": {
        value: f'<body class="layout-default look-{value}">'
        for value, _ in styles.OPTIONS["heading_look"]
    },
    "colons": {
        "none": '<th scope="row">Department</th>',
        "labels": '<h2>Post details</h2><div class="body"><table class="details"><colgroup><col style="width: 30%"><col></colgroup><tr><th scope="row">Grade:</th>',
        "labels_and_headings": "<h2>Purpose:</h2>",
    },
    "post_details": {
        "table": '<table class="details">',
        "grid": '<table class="details details-grid">',
    },
    "key_facts": {
        "details": '<th scope="row">Welsh</th><td>Desirable</td></tr></table></div></section>',
        "after_requirements": '<table class="facts">',
    },
    "purpose": {
        "heading": '<section class="part part-purpose headed"><h2>Purpose</h2>',
        "row": '<th scope="row">Purpose</th><td>To keep the peace.</td>',
    },
    "sections": {
        "headed": '<section class="part part-section section-responsibilities headed">',
        "form": '<table class="form section-responsibilities">',
    },
    "items": {
        "bullets": "<h3>Finance</h3><ul><li>Be cost effective.</li></ul>",
        "numbered": "<h3>Finance</h3><ol><li>Be cost effective.</li></ol>",
        "paragraphs": "<h3>Finance</h3><p>Be cost effective.</p>",
        "run_in": "<p><strong>Finance</strong> Be cost effective.</p>",
    },
    "responsibilities": {
        "table": '<table class="numbered"><colgroup><col style="width: 9mm">',
        "weighted_table": '<table class="weighted">',
        "bullets": '<ul><li>Responsibility 1 <span class="weighting">(30%)</span></li>',
        "numbered": '<ol><li>Responsibility 1 <span class="weighting">(30%)</span></li>',
    },
    "criteria": {
        "grouped": "<h3>Essential criteria</h3><ul><li>Good written communication.",
        "table": '<table class="criteria-table">',
        "assessed": '<table class="assessed"><colgroup><col style="width: 34%"><col></colgroup><tr><th scope="row">Skills',
        "by_requirement": "<h4>Skills</h4><p>Good written communication. <span",
    },
    "behaviours": {
        "list": '<div class="behaviour"><h4>We take ownership</h4>',
        "paragraphs": '<div class="behaviour-paragraph"><h3>We take ownership</h3>',
        "table": '<table class="behaviour-levels">',
        "assessed": '<table class="assessed"><colgroup><col style="width: 34%"><col></colgroup><tr><th scope="row">We take ownership',
    },
    "values": {
        "list": '<ul class="values"><li><strong>Integrity</strong>',
        "table": '<table class="value-names">',
    },
    "skills": {
        "table": '<table class="skills">',
        "list": '<h2>Skills</h2><div class="body"><ul><li>',
    },
    "vetting": {
        "statement": "<strong>Vetting level: Recruitment Vetting (RV)</strong>",
        "texts": '<section class="part part-vetting"></section>',
    },
}


def test_every_option_and_choice_has_a_marker():
    assert {option: set(markers) for option, markers in MARKERS.items()} == {
        option: {value for value, _ in choices} for option, choices in styles.OPTIONS.items()
    }


@pytest.mark.parametrize(
    ("option", "value"),
    [(option, value) for option, markers in MARKERS.items() for value in markers],
)
def test_each_option_changes_the_printed_document(styled_profile, option, value):
    chosen = render(styled_profile, **{option: value})
    others = [
        render(styled_profile, **{option: other}) for other in MARKERS[option] if other != value
    ]

    assert MARKERS[option][value] in chosen
    assert all(MARKERS[option][value] not in other for other in others)


def test_the_title_in_capitals_is_a_flag(styled_profile):
    capitals = render(styled_profile, masthead="document", uppercase_title=True)
    as_written = render(styled_profile, masthead="document", uppercase_title=False)
    assert '<p class="document-title">ROLE PROFILE</p><h1>Community Support Officer</h1>' in (
        capitals
    )
    assert '<p class="document-title">Role Profile</p>' in as_written


def test_the_document_title_in_the_running_header_is_a_flag(styled_profile):
    with_title = render(styled_profile, masthead="document", title_in_header=True)
    without = render(styled_profile, masthead="document", title_in_header=False)
    header = '<span class="running-header">Role Profile · Community Support Officer</span>'
    assert header in with_title and header not in without


def test_every_flag_is_tested():
    assert set(styles.FLAGS) == {"uppercase_title", "title_in_header", "show_empty"}


def test_empty_tables_print_only_when_the_style_asks(profile):
    shown = render(profile, show_empty=True)
    left_out = render(profile, show_empty=False)
    assert "No skills listed." in shown and "No NOS units listed." in shown
    assert "No skills listed." not in left_out and "No NOS units listed." not in left_out


def test_the_parts_print_in_the_order_the_style_lists_and_no_others(styled_profile):
    html = render(styled_profile, blocks="masthead, criteria, post_details")
    assert html.index("<h2>Person specification</h2>") < html.index("<h2>Post details</h2>")
    assert "<h2>Purpose</h2>" not in html and "Responsibility 1" not in html


def test_a_force_names_its_own_labels_and_a_blank_label_drops_the_heading(styled_profile):
    html = render(styled_profile, labels={"department": "Unit", "post_details": ""})
    assert '<th scope="row">Unit</th><td>Neighbourhoods</td>' in html
    assert "Post details" not in html


def test_the_printed_pdf_carries_the_styles_numbers_and_labels(styled_profile):
    style = styles.resolve("default", HouseStyle(headings="numbered", labels={"purpose": "Aim"}))
    reader = PdfReader(io.BytesIO(pdf.html_to_pdf(pdf.render_html(styled_profile, style))))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "1. Post details" in text and "2. Aim" in text
    assert "Purpose" not in text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("blocks", "masthead, letterhead", "Unknown part letterhead"),
        ("blocks", "masthead, masthead", "Name each part once."),
        ("labels", {"motto": "Semper"}, "Unknown label motto"),
    ],
)
def test_a_house_style_refuses_unknown_parts_and_labels(force, field, value, message):
    with pytest.raises(ValidationError, match=message):
        HouseStyle(force=force, **{field: value}).full_clean()


# The default layout, as a new force first prints it.


@pytest.fixture
def short_profile(profile):
    """A new force's first profile: three responsibilities, a lead-in with nothing after it."""
    profile.reference_code = "NS12"
    profile.save()
    responsibilities = baker.make(
        "profiles.Section", profile=profile, order=1, kind=SectionKind.RESPONSIBILITIES
    )
    for order in (1, 2, 3):
        baker.make("profiles.Item", section=responsibilities, order=order, text=f"Duty {order}.")
    baker.make(
        "profiles.Section",
        profile=profile,
        order=2,
        kind=SectionKind.REQUIREMENTS,
        heading="Requirements",
        intro="The post holder must:",
    )
    return profile


def test_the_default_title_line_is_the_title_alone(short_profile):
    html = render(short_profile)
    assert "<h1>Community Support Officer</h1>" in html
    assert '<p class="muted">Reference NS12 · Grade Scale 4 · Gwent Police</p>' in html


def test_the_default_responsibilities_table_gives_the_number_a_narrow_column(short_profile):
    html = render(short_profile)
    assert '<table class="numbered"><colgroup><col style="width: 9mm"><col></colgroup>' in html


def test_a_short_profile_in_the_default_layout_prints_no_empty_parts_on_one_page(short_profile):
    reader = PdfReader(io.BytesIO(pdf.cached_pdf(short_profile).content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 1
    assert "Duty 3." in text
    for empty in ("No skills listed.", "No NOS units listed.", "The post holder must:", "NOS"):
        assert empty not in text


# A new force, as data only.


def test_a_new_force_loaded_from_a_fixture_prints_in_its_chosen_style(
    national_data, tmp_path, settings
):
    fixture = tmp_path / "northshire.json"
    records = [
        {
            "model": "profiles.force",
            "fields": {
                "slug": "northshire",
                "name": "Northshire Police",
                "layout": "lettered_form",
            },
        },
        {
            "model": "profiles.housestyle",
            "fields": {
                "force": ["northshire"],
                "headings": "numbered",
                "labels": {"reports_to": "Line manager"},
            },
        },
        {
            "model": "profiles.roleprofile",
            "fields": {
                "force": ["northshire"],
                "slug": "analyst",
                "title": "Analyst",
                "reports_to": "Head of Analysis",
                "purpose": "Make sense of the data.",
                # Until load_force gives timestamps their defaults (issue 13, model part).
                "created_at": "2026-01-05T09:00:00Z",
                "updated_at": "2026-01-05T09:00:00Z",
            },
        },
    ]
    fixture.write_text(json.dumps(records))
    templates = sorted(p.name for p in (settings.BASE_DIR / "templates" / "pdf").rglob("*.html"))

    call_command("load_force", str(fixture), verbosity=0)

    profile = RoleProfile.objects.get(force__slug="northshire")
    html = pdf.render_html(profile)
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.cached_pdf(profile).content)).pages
    )
    assert '<body class="layout-lettered_form look-box">' in html
    assert re.search(r"1\.\s+POST DETAILS:", text) and re.search(r"2\.\s+PURPOSE:", text)
    assert "Line manager: Head of Analysis" in text
    assert sorted(p.name for p in (settings.BASE_DIR / "templates" / "pdf").rglob("*.html")) == (
        templates
    )


def test_a_new_force_without_a_house_style_prints_in_the_default_layout(short_profile):
    assert not HouseStyle.objects.exists()
    assert '<body class="layout-default look-rule">' in pdf.render_html(short_profile)


def test_saving_a_house_style_prints_the_forces_pdfs_afresh(
    short_profile, django_capture_on_commit_callbacks
):
    before = pdf.cached_pdf(short_profile).key
    with django_capture_on_commit_callbacks(execute=True):
        HouseStyle.objects.create(force=short_profile.force, headings="lettered")
    after = pdf.cached_pdf(short_profile)
    assert after.key != before
    assert "A. Post details" in PdfReader(io.BytesIO(after.content)).pages[0].extract_text()


# The force style page: preview before saving.


def style_url(force):
    return reverse("profiles:house_style", args=[force.slug])


def test_an_hr_editor_previews_a_style_without_saving_it(client, hr_user, short_profile):
    force = short_profile.force
    client.force_login(hr_user)
    form = parse_form(client.get(style_url(force)).content.decode(), "house-style")
    form["force-layout"] = Layout.LETTERED_FORM
    form["force-document_title"] = "Job Description"
    form["headings"] = "numbered"

    response = form.post(client, style_url(force), submit="preview")

    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "JOB DESCRIPTION" not in text  # the lettered form's title is as written
    assert "Job Description" in text and "Duty 1." in text
    assert re.search(r"1\.\s+POST DETAILS:", text)
    force.refresh_from_db()
    assert force.layout == Layout.DEFAULT and force.document_title == "Role Profile"
    assert not HouseStyle.objects.exists()


def test_a_preview_for_a_force_without_profiles_prints_a_sample_and_keeps_nothing(
    client, admin_user, force
):
    client.force_login(admin_user)
    form = parse_form(client.get(style_url(force)).content.decode(), "house-style")

    response = form.post(client, style_url(force), submit="preview")

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Sample Role" in text
    assert not RoleProfile.objects.exists()


def test_an_hr_editor_saves_the_style_and_the_pdf_follows_it(client, hr_user, short_profile):
    force = short_profile.force
    client.force_login(hr_user)
    form = parse_form(client.get(style_url(force)).content.decode(), "house-style")
    form["force-layout"] = Layout.WEIGHTED_TABLE
    form["labels"] = "reports_to: Line manager\npost_details:"

    response = form.post(client, style_url(force), submit="save", follow=True)

    assert f"The house style of {force.name} is saved." in response.content.decode()
    style = HouseStyle.objects.get(force=force)
    assert style.labels == {"reports_to": "Line manager", "post_details": ""}
    assert Force.objects.get(pk=force.pk).layout == Layout.WEIGHTED_TABLE
    short_profile.refresh_from_db()
    assert '<table class="weighted">' in pdf.render_html(short_profile)


def test_a_bad_style_is_refused_with_its_message_and_nothing_saved(client, hr_user, force):
    client.force_login(hr_user)
    form = parse_form(client.get(style_url(force)).content.decode(), "house-style")
    form["blocks"] = "masthead, letterhead"
    form["labels"] = "motto"

    response = form.post(client, style_url(force), submit="save")

    page = response.content.decode()
    assert response.status_code == 200
    assert "The house style was not saved: see the errors below." in page
    assert "Unknown part letterhead" in page
    assert "Line 1: write a label as name: text" in page
    assert not HouseStyle.objects.exists()


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("hr_user", 200),
        ("admin_user", 200),
        ("manager_user", 403),
        ("other_hr_user", 404),
        (None, 302),
    ],
)
def test_only_the_forces_hr_editors_and_administrators_open_the_style_page(
    client, request, force, user, status
):
    if user is not None:
        client.force_login(request.getfixturevalue(user))
    assert client.get(style_url(force)).status_code == status
    response = client.post(style_url(force), {"preview": "1"})
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


def test_the_force_admin_shows_the_house_style_inline_with_a_link_to_preview(
    client, admin_user, force
):
    client.force_login(admin_user)
    page = client.get(reverse("admin:profiles_force_change", args=[force.pk])).content.decode()
    assert 'name="house_style-TOTAL_FORMS"' in page
    assert style_url(force) in page


def test_a_preview_of_a_sample_queues_no_pdf(force, settings):
    settings.PDF_RENDER_AFTER_SAVE = "inline"
    html = style_preview.preview_html(force, styles.style_of(force))
    assert "Sample Role" in html
    assert not (pdf.cache_root()).exists()
