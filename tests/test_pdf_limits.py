"""What one PDF may cost: a profile too long to print is refused with a clear message."""

import zipfile

import pytest
from django.urls import reverse

from profiles.models import RoleProfile, Status
from profiles.printing import pdf
from tests.patching import patch
from tests.test_pdf import RenderCounter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_dir(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path
    settings.PDF_RENDER_AFTER_SAVE = "inline"
    return tmp_path


def url(profile):
    return reverse("profiles:pdf", args=[profile.force.slug, profile.slug])


def test_a_megabyte_purpose_is_refused_before_it_is_laid_out(
    client, hr_user, weighted_profile, monkeypatch
):
    """Stored past the form's limit (the issue's case: 167 pages, 24 s, 476 MB)."""
    RoleProfile.objects.filter(pk=weighted_profile.pk).update(purpose="Patrol. " * 130_000)
    client.force_login(hr_user)
    counter = RenderCounter(monkeypatch)

    response = client.get(url(weighted_profile))

    assert response.status_code == 422
    page = response.content.decode()
    assert "This profile is too long to print as a PDF" in page
    assert f"at most {pdf.MAX_PDF_HTML_CHARS:,}" in page
    assert (counter.count, counter.html_count) == (1, 1)
    # Asked again, it is refused again from the same HTML without another attempt to print.
    assert client.get(url(weighted_profile)).status_code == 422


def test_a_document_over_the_page_limit_is_refused_after_layout_before_writing(
    client, hr_user, weighted_profile, monkeypatch
):
    patch(monkeypatch, pdf, "MAX_PDF_PAGES", 0)
    client.force_login(hr_user)

    response = client.get(url(weighted_profile))

    assert response.status_code == 422
    assert "pages; at most 0)" in response.content.decode()
    assert list(pdf.cache_root().glob("*/*.pdf")) == []
    refusals = list(pdf.cache_root().glob("*/*.too-large"))
    assert len(refusals) == 1


def test_a_force_zip_names_the_profile_too_long_to_print(weighted_profile):
    RoleProfile.objects.filter(pk=weighted_profile.pk).update(
        purpose="Patrol. " * 130_000, status=Status.PUBLISHED
    )
    pdf._build_zip(weighted_profile.force.pk)  # what the worker's task runs
    with pdf.open_zip(weighted_profile.force) as packed, zipfile.ZipFile(packed) as archive:
        [name] = archive.namelist()
        assert name.endswith(" - not printed.txt")
        assert "too long to print" in archive.read(name).decode()


def test_the_seed_profiles_are_far_inside_the_limits(seed_forces):
    for profile in RoleProfile.objects.select_related("force"):
        assert len(pdf.render_html(profile)) < pdf.MAX_PDF_HTML_CHARS / 4, profile
