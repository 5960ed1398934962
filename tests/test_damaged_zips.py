"""A damaged zip (a member whose checksum does not match, a member whose compressed data is
broken) is refused with a clear message at /profiles/import/ and by import_profiles, in one
line and without a traceback; nothing is created (issue 26)."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from profiles.models import ImportBatchFile, RoleProfile

pytestmark = pytest.mark.django_db

DOCUMENT = b"Job Title: Custody Detention Officer\nReference: CDO-001\nPurpose\nTo keep detained people safe.\n"


def bad_crc_zip():
    """A stored member whose bytes no longer match the checksum the zip declares."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("cdo.txt", DOCUMENT)
    return out.getvalue().replace(b"Custody", b"Cust0dy", 1)


def corrupt_member_zip():
    """A deflated member whose compressed data is overwritten in the middle."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cdo.txt", DOCUMENT * 50)
    data = bytearray(out.getvalue())
    start = 30 + len("cdo.txt")  # the member's data, after its local header
    data[start + 5 : start + 25] = b"\xff" * 20
    return bytes(data)


DAMAGED = [("crc.zip", bad_crc_zip()), ("corrupt.zip", corrupt_member_zip())]


@pytest.mark.parametrize(("name", "data"), DAMAGED, ids=["bad crc", "corrupt member"])
def test_the_command_refuses_a_damaged_zip_in_one_line_and_creates_nothing(
    national_data, tmp_path, capsys, name, data
):
    path = tmp_path / name
    path.write_bytes(data)

    with pytest.raises(CommandError):
        call_command("import_profiles", "--force", "x", "--force-name", "X", str(path))

    captured = capsys.readouterr()
    [line] = [text for text in captured.out.splitlines() if name in text]
    assert f"{name}: FAILED – the zip file is damaged (cdo.txt cannot be read)" in line
    assert "Traceback" not in captured.out + captured.err
    assert RoleProfile.objects.count() == 0


@pytest.mark.parametrize(("name", "data"), DAMAGED, ids=["bad crc", "corrupt member"])
def test_an_upload_of_a_damaged_zip_says_so_and_creates_no_profile(
    client, hr_user, force, national_data, name, data
):
    client.force_login(hr_user)
    handle = io.BytesIO(data)
    handle.name = name

    page = client.post(reverse("profiles:import"), {"files": [handle]}, follow=True)

    assert page.status_code == 200
    content = page.content.decode()
    assert "Not imported: the zip file is damaged (cdo.txt cannot be read)" in content
    assert RoleProfile.objects.count() == 0
    assert list(ImportBatchFile.objects.values_list("name", "state")) == [(name, "failed")]
