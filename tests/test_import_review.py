"""The review page of an import shows every field and warning; a corrected title moves a
profile that was never published to the slug of its new title, and its old address redirects."""

import io

import pytest
from django.urls import reverse
from model_bakery import baker

from profiles.models import AuditAction, AuditEntry, FormerSlug, RoleProfile, Status
from profiles.services import addresses
from tests.conftest import editor_data
from tests.html_forms import parse_form

DOCUMENT = b"""GWENT POLICE
Job Title: Force Control Room Supervisr
Department: Contact Management
Job family: Operational Support
Date reviewed: 12 March 2024
Grade: Band Q
Status: Police staff
Home Office Function: 43
"""


def upload(client, name, data):
    handle = io.BytesIO(data)
    handle.name = name
    return client.post(reverse("profiles:import"), {"files": [handle]}, follow=True)


@pytest.fixture
def imported(client, hr_user, force, national_data):
    client.force_login(hr_user)
    upload(client, "control-room.txt", DOCUMENT)
    return RoleProfile.objects.get(force=force)


def review_url(profile):
    return reverse("profiles:import_review", args=[profile.force.slug, profile.slug])


def test_the_review_page_shows_every_stored_field_and_each_warning(client, imported, force):
    page = client.get(review_url(imported)).content.decode()

    for label, value in [
        ("Department", "Contact Management"),
        ("Job family", "Operational Support"),
        ("Date reviewed", "12 March 2024"),
        ("Officer or staff", "Police staff"),
        ("Home Office function code", "43"),
    ]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in page, label
    warning = f"Grade “Band Q” matches none of {force}&#x27;s grades; kept as a post detail."
    assert warning in page
    # the unmatched grade is one row, as written, and no "Grade –"
    assert page.count("<dt>Grade</dt>") == 1
    assert "<dt>Grade</dt><dd>Band Q</dd>" in page
    assert "–</dd>" not in page


def test_correcting_the_title_on_review_moves_the_slug_and_the_old_address_redirects(
    client, imported, force
):
    old_detail = imported.get_absolute_url()
    form = parse_form(client.get(review_url(imported)).content, "title-form")
    form["title"] = "Force Control Room Supervisor"

    response = client.post(review_url(imported), form.data(), follow=True)

    imported.refresh_from_db()
    assert imported.title == "Force Control Room Supervisor"
    assert imported.slug == "force-control-room-supervisor"
    assert response.redirect_chain[-1][0] == review_url(imported)
    assert "The title is now “Force Control Room Supervisor”." in response.content.decode()
    moved = client.get(old_detail)
    assert moved.status_code == 302 and moved["Location"] == imported.get_absolute_url()
    old_pdf = reverse("profiles:pdf", args=[force.slug, "force-control-room-supervisr"])
    assert client.get(old_pdf)["Location"] == reverse(
        "profiles:pdf", args=[force.slug, imported.slug]
    )


def test_an_old_address_redirects_no_one_who_may_not_read_the_profile(
    client, imported, other_hr_user, manager_user
):
    old_detail = imported.get_absolute_url()
    addresses_moved(imported, "Force Control Room Supervisor")

    client.force_login(other_hr_user)
    assert client.get(old_detail).status_code == 404
    client.force_login(manager_user)  # a draft: managers read published profiles only
    assert client.get(old_detail).status_code == 404
    client.logout()
    assert client.get(old_detail).status_code == 302  # to the login page, as any address
    assert "login" in client.get(old_detail)["Location"]


def test_a_post_to_an_old_address_is_not_redirected(client, imported):
    old_edit = reverse("profiles:edit", args=[imported.force.slug, imported.slug])
    addresses_moved(imported, "Force Control Room Supervisor")

    assert client.post(old_edit, {}).status_code == 404


def addresses_moved(profile, title):
    profile.title = title
    profile.save()
    addresses.follow_title(profile)


def test_correcting_the_title_in_the_editor_moves_a_draft_that_was_never_published(
    client, hr_user, full_profile
):
    client.force_login(hr_user)
    old_detail = full_profile.get_absolute_url()
    data = editor_data(full_profile)
    [title_key] = [key for key in data if key.endswith("title") and "-" not in key[:-6]]
    data[title_key] = "Police Community Support Officer"

    response = client.post(
        reverse("profiles:edit", args=[full_profile.force.slug, full_profile.slug]), data
    )

    full_profile.refresh_from_db()
    assert full_profile.slug == "police-community-support-officer"
    assert response["Location"] == full_profile.get_absolute_url()
    assert client.get(old_detail)["Location"] == full_profile.get_absolute_url()


def test_a_profile_once_published_keeps_its_slug(force, hr_user):
    published = baker.make(
        RoleProfile, force=force, slug="analyst", title="Senior Analyst", status=Status.PUBLISHED
    )
    returned = baker.make(
        RoleProfile, force=force, slug="clerk", title="Court Clerk", status=Status.DRAFT
    )
    AuditEntry.objects.create(
        profile=returned, subject_id=returned.pk, action=AuditAction.PUBLISH, version=1
    )

    for profile in (published, returned):
        addresses.follow_title(profile)
        profile.refresh_from_db()

    assert (published.slug, returned.slug) == ("analyst", "clerk")
    assert not FormerSlug.objects.exists()


def test_a_slug_taken_back_no_longer_redirects(force):
    profile = baker.make(RoleProfile, force=force, slug="clerk", title="Clerk")
    addresses_moved(profile, "Court Clerk")
    addresses_moved(profile, "Clerk")

    assert profile.slug == "clerk"
    assert list(FormerSlug.objects.values_list("slug", flat=True)) == ["court-clerk"]
