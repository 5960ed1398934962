"""A force's logo (issue 26): checked on upload, scaled once to its printed size, never counted as
the profile's text; a huge one is refused for what it would cost, before it is decoded."""

import io
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from profiles import logos
from profiles.models import Force
from profiles.printing import pdf
from tests.html_forms import parse_form

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def blank_png(width, height):
    """A grey PNG of width × height pixels, written row by row: small on disk, huge decoded."""
    deflater = zlib.compressobj(9)
    row = b"\0" * (width + 1)
    pixels = b"".join(deflater.compress(row) for _ in range(height)) + deflater.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def noise_png(width, height):
    """A PNG of random pixels: it does not compress, so its bytes are about its pixels × 4."""
    out = io.BytesIO()
    Image.frombytes("RGBA", (width, height), os.urandom(width * height * 4)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload_logo(client, force, name, data):
    url = reverse("admin:profiles_force_change", args=[force.pk])
    form = parse_form(client.get(url).content.decode(), "force_form")
    payload = form.data()
    payload["logo"] = SimpleUploadedFile(name, data, content_type="image/png")
    payload["_save"] = "Save"
    return client.post(url, payload)


def test_a_1_mb_logo_is_scaled_to_its_printed_size_and_the_forces_pdf_prints(
    client, admin_user, profile, media
):
    client.force_login(admin_user)
    big = noise_png(700, 400)
    assert len(big) > 2**20

    response = upload_logo(client, profile.force, "crest.png", big)

    assert response.status_code == 302, response.content.decode()[-3000:]
    force = Force.objects.get(pk=profile.force.pk)
    with force.logo.open("rb") as file, Image.open(file) as stored:
        assert stored.size == (385, 220)
    # Its embedded image alone is over the text limit; the PDF prints all the same.
    html = pdf.render_html(profile)
    assert len(html) > pdf.MAX_PDF_HTML_CHARS > pdf.text_length(html)
    download = client.get(reverse("profiles:pdf", args=[force.slug, profile.slug]))
    assert download.status_code == 200
    reader = PdfReader(io.BytesIO(download.content))
    assert len(reader.pages[0].images) == 1


MEASURE = """
import json, resource, sys, time
from profiles import logos
data = open(sys.argv[1], "rb").read()
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.monotonic()
try:
    logos.scaled(data)
    message = ""
except logos.LogoRefused as error:
    message = str(error)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": time.monotonic() - start, "mb": (peak - baseline) / 1024,
                  "message": message}))
"""


def test_a_12000_pixel_square_png_is_refused_before_it_is_decoded(
    client, admin_user, force, media, tmp_path
):
    client.force_login(admin_user)
    huge = blank_png(12_000, 12_000)
    assert len(huge) < 200_000

    response = upload_logo(client, force, "crest.png", huge)

    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "The logo is 12,000 × 12,000 pixels; at most 25,000,000 pixels in all. Save it at "
        "about 600 × 220 pixels, the size it is printed at."
    ) in page
    force.refresh_from_db()
    assert not force.logo
    assert not (media / "logos").exists()
    # What the check costs, in a process of its own.
    (tmp_path / "huge.png").write_bytes(huge)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(tmp_path / "huge.png")],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    measured = json.loads(done.stdout.splitlines()[-1])
    assert measured["message"].startswith("The logo is 12,000 × 12,000 pixels")
    assert measured["seconds"] < 1
    assert measured["mb"] < 20


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"x" * (2 * 2**20 + 1), "The logo is 2.0 MB; at most 2.0 MB."),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "The logo is not an image this site"),
        (noise_png(40, 40)[:3000], "The logo is a damaged image"),
    ],
    ids=["too many bytes", "svg", "damaged"],
)
def test_a_logo_too_large_not_an_image_or_damaged_is_refused_and_nothing_changes(
    client, admin_user, force, media, data, message
):
    client.force_login(admin_user)
    response = upload_logo(client, force, "crest.png", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    force.refresh_from_db()
    assert not force.logo


def test_a_huge_logo_stored_before_uploads_were_checked_is_left_out_and_the_pdf_prints(
    profile, media
):
    (media / "logos").mkdir(parents=True)
    (media / "logos" / "old.png").write_bytes(blank_png(12_000, 12_000))
    profile.force.logo = "logos/old.png"
    profile.force.save()

    assert pdf.logo_data_uri(profile.force) == ""
    assert PdfReader(io.BytesIO(pdf.cached_pdf(profile).content)).pages


def test_a_small_logo_is_stored_as_it_is(profile, media):
    small = blank_png(300, 100)
    content, content_type = logos.scaled(small)
    assert (content, content_type) == (small, "image/png")


def set_logo(force, data):
    force.logo.save("crest.png", ContentFile(data), save=True)


def printed_logo(pdf_bytes):
    """The logo's pixels as the PDF holds them (colour and its alpha mask put back together)."""
    images = PdfReader(io.BytesIO(pdf_bytes)).pages[0].images
    assert len(images) == 1
    return images[0].image.convert("RGBA").tobytes()


@pytest.fixture
def png_encodings(monkeypatch):
    """How many PNGs Pillow encodes: WeasyPrint encodes a PNG logo's colour and alpha apart."""
    calls = []
    save = Image.Image.save

    def counted(image, fp, format=None, **params):
        if (format or "").upper() == "PNG":
            calls.append(image.mode)
        return save(image, fp, format, **params)

    monkeypatch.setattr(Image.Image, "save", counted)
    return calls


def test_a_second_print_with_the_same_logo_reuses_its_image_and_is_the_same_pdf(
    profile, media, png_encodings, monkeypatch
):
    logo = noise_png(60, 22)  # random pixels: no other test's print has kept this image
    set_logo(profile.force, logo)
    html = pdf.render_html(profile)
    png_encodings.clear()

    first = pdf.html_to_pdf(html)
    assert sorted(png_encodings) == ["L", "RGB"]  # colour and alpha, on the first print only
    second = pdf.html_to_pdf(html)
    assert len(png_encodings) == 2
    # The same file as WeasyPrint printing the logo from its data: URI, to the byte.
    monkeypatch.setattr(pdf, "kept_images", lambda html: (html, {}))
    assert second == first == pdf.html_to_pdf(html)
    assert printed_logo(second) == Image.open(io.BytesIO(logo)).tobytes()


def test_a_changed_logo_prints_the_new_one(profile, media):
    old, new = noise_png(60, 22), noise_png(60, 22)
    set_logo(profile.force, old)
    assert printed_logo(pdf.html_to_pdf(pdf.render_html(profile))) == (
        Image.open(io.BytesIO(old)).tobytes()
    )

    set_logo(profile.force, new)
    printed = printed_logo(pdf.html_to_pdf(pdf.render_html(profile)))

    assert printed == Image.open(io.BytesIO(new)).tobytes()
