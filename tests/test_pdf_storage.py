"""The PDF cache and zips go through Django's storage API, so that machines can share them."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from profiles.models import Status
from profiles.storage import PdfCacheStorage
from tests.test_settings import PRODUCTION, run_python


@pytest.fixture
def memory_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "pdfs": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.PDF_CACHE_DIR = tmp_path  # must stay empty
    yield storages["pdfs"]


def test_downloads_and_zips_are_kept_in_the_configured_storage(
    memory_storage, settings, client, hr_user, weighted_profile, tmp_path
):
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()
    client.force_login(hr_user)
    url = reverse("profiles:pdf", args=[weighted_profile.force.slug, weighted_profile.slug])

    first = client.get(url)
    second = client.get(url)
    client.post(reverse("profiles:zip", args=[weighted_profile.force.slug]))
    download = client.get(reverse("profiles:zip-download", args=[weighted_profile.force.slug]))

    assert first.content == second.content and first["ETag"] == second["ETag"]
    key = first["ETag"].strip('"')
    assert sorted(memory_storage.listdir(str(weighted_profile.pk))[1]) == [f"{key}.pdf", "pointer"]
    assert memory_storage.exists(f"zips/{weighted_profile.force_id}/profiles.zip")
    assert b"".join(download.streaming_content).startswith(b"PK")
    download.close()
    assert list(tmp_path.iterdir()) == []


def test_s3_is_chosen_by_configuration():
    script = "from django.conf import settings; print(settings.STORAGES['pdfs'])"
    result = run_python(
        {**PRODUCTION, "PDF_STORAGE": "s3", "PDF_S3_BUCKET": "role-profiles"}, "-c", script
    )
    assert result.returncode == 0, result.stderr
    assert "storages.backends.s3.S3Storage" in result.stdout
    assert "'bucket_name': 'role-profiles'" in result.stdout


def test_an_unknown_storage_stops_start_up():
    result = run_python(
        {**PRODUCTION, "PDF_STORAGE": "floppy"}, "-c", "import django; django.setup()"
    )
    assert result.returncode != 0
    assert "PDF_STORAGE" in result.stderr


def test_the_file_cache_reads_a_pdf_and_its_time_in_one_open(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path
    storage = PdfCacheStorage()
    storage.save("7/key.pdf", ContentFile(b"%PDF-1.7 stored"))

    content, modified = storage.read_with_time("7/key.pdf")

    assert content == b"%PDF-1.7 stored"
    assert modified == storage.get_modified_time("7/key.pdf")
    assert storage.location == str(tmp_path)
    with pytest.raises(FileNotFoundError):
        storage.read_with_time("7/gone.pdf")
