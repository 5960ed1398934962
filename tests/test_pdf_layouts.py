"""Each seed profile prints in its force's house layout, carries the seed's words and is tagged."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from profiles.models import Layout, RoleProfile
from profiles.printing import pdf
from tests.fidelity import coverage, missing

SEEDS = Path(__file__).resolve().parent / "seeds"

# seed, force, profile, layout
SEED_PROFILES = [
    (
        "000_94024340a64cd7f0.txt",
        "avon-and-somerset",
        "citizens-in-policing-administrator",
        "shortlisting_form",
    ),
    (
        "001_0d0a989b81e28e52.txt",
        "county-constabulary",
        "police-community-support-officer",
        "key_facts_form",
    ),
    ("002_b3dea0175c6ba269.txt", "gwent", "community-support-officer", "weighted_table"),
    ("003_71239bd9c7f6cf67.txt", "lancashire", "cse-administration-assistant", "criteria_tables"),
    (
        "004_c136dcd95c8f927e.txt",
        "british-transport-police",
        "governance-process-assistant",
        "lettered_form",
    ),
]


@pytest.fixture(autouse=True)
def cache_dir(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path / "pdf-cache"


def text_of(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def structure_types(node, found=None):
    """Every structure element type (/H1, /Table, /TH …) under a node of the structure tree."""
    found = set() if found is None else found
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            structure_types(child, found)
    elif hasattr(node, "get"):
        if "/S" in node:
            found.add(str(node["/S"]))
        if "/K" in node:
            structure_types(node["/K"], found)
    return found


@pytest.mark.parametrize(("seed", "force_slug", "slug", "layout"), SEED_PROFILES)
def test_each_seed_prints_in_its_house_layout_with_its_words_tagged(
    seed_forces, seed, force_slug, slug, layout
):
    profile = RoleProfile.objects.select_related("force").get(force__slug=force_slug, slug=slug)
    html = pdf.render_html(profile)

    reader = PdfReader(io.BytesIO(pdf.cached_pdf(profile).content))

    assert profile.force.layout == layout
    assert f'<body class="layout-{layout} ' in html
    seed_text = (SEEDS / seed).read_text(encoding="utf-8")
    text = text_of(reader)
    assert coverage(seed_text, text) >= 0.98, missing(seed_text, text).most_common(20)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).lower() == "en-gb"
    types = structure_types(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/P", "/Table", "/TH", "/TD"} <= types
    assert (
        reader.metadata.title
        == f"{profile.force.document_title}: {profile.title} – {profile.force.name}"
    )
    assert f"Page 1 of {len(reader.pages)}" in text


def test_a_new_force_prints_in_the_default_layout_in_its_own_colours(profile):
    profile.force.primary_colour = "#7a1f5c"
    profile.force.save()

    html = pdf.render_html(profile)

    assert profile.force.layout == Layout.DEFAULT
    assert '<body class="layout-default look-rule">' in html
    assert "--primary: #7a1f5c" in html
    assert PdfReader(io.BytesIO(pdf.cached_pdf(profile).content)).pages


def test_a_logo_is_embedded_as_a_data_uri(profile, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pixel = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6364f8cf50000003010100c9fe92ef0000000049454e44ae426082"
    )
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "crest.png").write_bytes(pixel)
    profile.force.logo = "logos/crest.png"
    profile.force.save()

    html = pdf.render_html(profile)
    reader = PdfReader(io.BytesIO(pdf.cached_pdf(profile).content))

    assert 'src="data:image/png;base64,' in html
    assert len(reader.pages[0].images) == 1


def test_export_writes_the_bytes_a_download_serves(seed_forces, client, admin_user, tmp_path):
    call_command(
        "export_profiles", "--format", "pdf", "--force", "gwent", "--output", str(tmp_path / "out")
    )
    client.force_login(admin_user)

    download = client.get(reverse("profiles:pdf", args=["gwent", "community-support-officer"]))

    written = tmp_path / "out" / "gwent--community-support-officer.pdf"
    assert written.read_bytes() == download.content
    assert download["Content-Disposition"] == (
        'attachment; filename="Gwent Police - Community Support Officer.pdf"'
    )


@pytest.mark.django_db
def test_a_btp_section_prints_its_form_hint_in_the_heading_and_its_own_intro_below(seed_forces):
    profile = RoleProfile.objects.get(force__slug="british-transport-police")
    html = pdf.render_html(profile)
    assert (
        '<span class="hint">What the job is accountable for and required to deliver</span>' in html
    )
    assert "<p>Provide administrative support to the Governance Department by:</p>" in html
