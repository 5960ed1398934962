"""document_context and the HTML export: fixed queries, every part printed, text escaped."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from model_bakery import baker

from profiles.models import RoleProfile
from profiles.printing.document import document_context, render_document_html
from tests.fidelity import visible_text

ALL_FILES = [
    "avon-and-somerset--citizens-in-policing-administrator.html",
    "british-transport-police--governance-process-assistant.html",
    "county-constabulary--police-community-support-officer.html",
    "gwent--community-support-officer.html",
    "lancashire--cse-administration-assistant.html",
]


def export(tmp_path, **options):
    call_command("export_profiles", output=str(tmp_path), verbosity=0, **options)
    return sorted(path.name for path in tmp_path.iterdir())


def test_it_writes_one_standalone_html_file_per_profile(seed_forces, tmp_path):
    assert export(tmp_path, format="html") == ALL_FILES
    document = (tmp_path / ALL_FILES[3]).read_text(encoding="utf-8")
    assert document.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in document
    assert "<title>Job Description: Community Support Officer – Gwent Police</title>" in document
    assert "src=" not in document and "<link" not in document


def test_it_exports_only_the_chosen_force_and_status(seed_forces, tmp_path):
    assert export(tmp_path / "gwent", force="gwent") == [ALL_FILES[3]]
    assert export(tmp_path / "published", status="published") == [
        ALL_FILES[0],
        ALL_FILES[1],
        ALL_FILES[3],
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"force": "atlantis"}, "No force with the slug 'atlantis'."),
        ({"format": "odt"}, "Unknown format 'odt'; choose one of: html, pdf, docx."),
        ({"status": "secret"}, "Unknown status 'secret'"),
    ],
)
def test_it_refuses_bad_arguments_clearly(seed_forces, tmp_path, options, message):
    with pytest.raises(CommandError, match=message):
        export(tmp_path, **options)
    assert not list(tmp_path.iterdir())


def test_dates_print_as_the_documents_print_them(seed_forces):
    gwent = visible_text(render_document_html(RoleProfile.objects.get(force__slug="gwent")))
    lancashire = RoleProfile.objects.get(force__slug="lancashire")
    btp = RoleProfile.objects.get(force__slug="british-transport-police")
    assert "December 2020" in gwent
    assert "November 2019" in visible_text(render_document_html(lancashire))
    # Authorisation dates print as review dates do: one date format on a page.
    btp_text = visible_text(render_document_html(btp))
    assert "2 August 2017" in btp_text and "02 Aug 2017" not in btp_text


def test_the_context_groups_items_criteria_and_behaviours(seed_forces):
    gwent = document_context(RoleProfile.objects.get(force__slug="gwent"))
    general = gwent["sections_by_kind"]["general_tasks"][0]
    assert [group["subheading"] for group in general["groups"]] == [
        "Finance",
        "Quality and Compliance",
        "Administrative / Miscellaneous",
        "Health, Safety and Statutory Compliance",
        "Wellbeing",
        "Sustainability",
    ]
    assert [len(b["indicators"]) for b in gwent["behaviours"]] == [8, 9, 6, 8, 8, 5]
    assert gwent["behaviour_clusters"][0]["cluster"].name == "Resolute, compassionate and committed"
    assert gwent["vetting"].code == "RV" and gwent["vetting"].description

    lancashire = document_context(RoleProfile.objects.get(force__slug="lancashire"))
    qualification = lancashire["criteria_tables"][0]
    assert qualification["label"] == "Qualification"
    first_row = qualification["rows"][0]
    assert [c.text for c in first_row["essential"]] == ["Must possess full UK driving licence"]
    assert len(first_row["desirable"]) == 1
    assert [m.name for m in first_row["methods"]] == ["Application Form", "Typing Test"]
    others = lancashire["criteria_tables"][-1]["rows"][0]
    assert others["method_note"].startswith("Attendance to be checked post interview")
    assert [v.name for v in lancashire["values"]] == [
        "Integrity",
        "Impartiality",
        "Public service",
        "Transparency",
    ]
    assert [s.key for s in lancashire["standard_by_placement"]["values"]] == ["values-intro"]


@pytest.mark.parametrize("slug", ["gwent", "lancashire"])
def test_document_context_issues_a_fixed_number_of_queries(
    seed_forces, django_assert_num_queries, slug
):
    profile = RoleProfile.objects.get(force__slug=slug)
    # 1 profile with force, grades, vetting level and framework; 2 post details; 3 sections;
    # 4 items; 5 criteria; 6 criteria's methods; 7 behaviours with level, competency and
    # cluster; 8 behaviours' methods; 9 indicators; 10 skills with level and skill;
    # 11 NOS units; 12 the force's standard sections; 13 the framework's values.
    with django_assert_num_queries(13):
        context = document_context(profile)
    assert context["behaviours"] and context["criteria"]


def test_document_context_skips_only_the_lookups_of_empty_parents(
    weighted_profile, django_assert_num_queries
):
    # No criteria and no behaviours: their methods and indicators are not looked up.
    with django_assert_num_queries(10):
        document_context(weighted_profile)


def test_rendering_escapes_what_users_type(weighted_profile):
    section = weighted_profile.sections.get(order=2)
    baker.make("profiles.Item", section=section, order=9, text="<script>alert(1)</script>")
    html = render_document_html(weighted_profile)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_default_layout_follows_the_documents_order(seed_forces):
    btp = visible_text(
        render_document_html(RoleProfile.objects.get(force__slug="british-transport-police"))
    )
    headings = ["Dimensions of the Post", "Principal Accountabilities", "Decision Making"]
    headings += ["Contact with Others", "Requirements", "Any Additional Information"]
    positions = [btp.index(heading) for heading in headings]
    assert positions == sorted(positions)
