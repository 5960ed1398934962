"""A force's published profiles as one zip, built with its progress shown."""

import io
import zipfile

import pytest
from django.urls import reverse
from model_bakery import baker

from profiles.models import Role, Status
from profiles.printing import pdf
from tests.conftest import make_member


@pytest.fixture(autouse=True)
def inline_rendering(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path
    settings.PDF_RENDER_AFTER_SAVE = True


@pytest.fixture
def published(weighted_profile):
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()
    return weighted_profile


def test_hr_builds_and_downloads_the_published_profiles_as_one_zip(
    client, hr_user, published, force
):
    baker.make("profiles.RoleProfile", force=force, slug="draft-post", title="Draft Post")
    client.force_login(hr_user)
    page = client.get(reverse("profiles:zip", args=[force.slug]))
    assert page.status_code == 200 and b"Build the zip" in page.content

    built = client.post(reverse("profiles:zip", args=[force.slug]), HTTP_HX_REQUEST="true")
    download = client.get(reverse("profiles:zip-download", args=[force.slug]))

    assert b"Download the zip (1 profile)" in built.content
    assert download["Content-Disposition"] == (
        'attachment; filename="Gwent Police - role profiles.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    download.close()
    assert archive.namelist() == ["Gwent Police - Community Support Officer.pdf"]
    assert archive.read(archive.namelist()[0]) == pdf.cached_pdf(published).content


def test_the_status_fragment_shows_progress_and_polls_while_building(client, manager_user, force):
    client.force_login(manager_user)
    pdf.write_zip_status(force.pk, "building", 2, 5)

    response = client.get(reverse("profiles:zip-status", args=[force.slug]))

    assert b"Printing profile 3 of 5" in response.content
    assert b'hx-trigger="every 1s"' in response.content


def test_there_is_nothing_to_download_before_a_build(client, hr_user, force):
    client.force_login(hr_user)

    assert client.get(reverse("profiles:zip-download", args=[force.slug])).status_code == 404


@pytest.mark.parametrize("name", ["zip", "zip-status", "zip-download"])
def test_a_user_of_another_force_gets_404(client, other_force, force, published, name):
    client.force_login(make_member(other_force, Role.HR_EDITOR, "hr-lancashire"))
    client.post(reverse("profiles:zip", args=[force.slug]))

    assert client.get(reverse(f"profiles:{name}", args=[force.slug])).status_code == 404
    assert pdf.zip_status(force)["state"] == "none"


@pytest.mark.parametrize("name", ["zip", "zip-status", "zip-download"])
def test_anonymous_visitors_are_sent_to_log_in(client, force, name):
    response = client.get(reverse(f"profiles:{name}", args=[force.slug]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
