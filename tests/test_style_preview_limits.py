"""'Preview as PDF' on the house style page refuses a preview too long to print as the profile's
own PDF does (422 and the same message), saving nothing (issue 26)."""

import time

import pytest
from django.urls import reverse

from profiles.models import Force, HouseStyle, Layout
from profiles.printing import pdf
from tests.html_forms import parse_form

pytestmark = pytest.mark.django_db


def test_a_preview_too_long_to_print_answers_422_with_the_pdfs_message_and_saves_nothing(
    client, hr_user, profile
):
    profile.purpose = "Keep the peace. " * 30_000  # 480,000 characters, over the HTML limit
    profile.save()
    client.force_login(hr_user)
    url = reverse("profiles:house_style", args=[profile.force.slug])
    form = parse_form(client.get(url).content.decode(), "house-style")
    form["force-layout"] = Layout.LETTERED_FORM

    started = time.monotonic()
    response = form.post(client, url, submit="preview")

    assert time.monotonic() - started < 10
    assert response.status_code == 422
    page = response.content.decode()
    assert "This profile is too long to print as a PDF (" in page
    assert "characters of HTML; at most 400,000). Shorten its text" in page
    assert f"at most {pdf.MAX_PDF_HTML_CHARS:,}" in page
    assert "Community Support Officer</a>, the force's first profile by title" in page
    assert "The house style was not saved." in page
    assert Force.objects.get().layout == Layout.DEFAULT
    assert not HouseStyle.objects.exists()
