"""No lost updates: a save based on an old revision of a profile is refused."""

import re
import threading

import pytest
from django.db import OperationalError, connection, transaction
from django.urls import reverse

from profiles.models import AuditEntry, Role, RoleProfile
from profiles.services import editing
from tests.conftest import make_member
from tests.html_forms import form_data


def test_claiming_the_revision_the_user_saw_raises_it(profile):
    editing.claim_revision(profile, profile.revision)
    assert profile.revision == 1
    assert RoleProfile.objects.get().revision == 1


def test_claiming_an_old_revision_is_refused(profile):
    RoleProfile.objects.filter(pk=profile.pk).update(revision=5)
    with pytest.raises(editing.StaleProfile):
        editing.claim_revision(profile, 4)
    assert RoleProfile.objects.get().revision == 5


def test_a_guarded_save_of_a_stale_profile_changes_nothing(profile, hr_user):
    RoleProfile.objects.filter(pk=profile.pk).update(revision=3)
    profile.title = "Lost?"
    with pytest.raises(editing.StaleProfile), editing.guarded_save(profile, 2, hr_user):
        profile.save()
    assert RoleProfile.objects.get().title == "Community Support Officer"
    assert not AuditEntry.objects.exists()


def _in_thread(target):
    """Run `target` on its own thread, hence its own database connection."""
    outcome = {}

    def run():
        try:
            outcome["result"] = target()
        except Exception as error:  # noqa: BLE001 handed back to the test
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.django_db(transaction=True)
def test_of_two_people_who_opened_the_same_revision_only_the_first_saves(profile, hr_user):
    """Two connections read revision 0; one saves and commits; the other is refused."""
    first_read, second_read = threading.Event(), threading.Event()
    first_saved = threading.Event()

    def person(title, read, wait_for, saved):
        seen = RoleProfile.objects.get(pk=profile.pk)
        read.set()
        wait_for.wait(10)
        seen.title = title
        with editing.guarded_save(seen, seen.revision, hr_user):
            seen.save()
        if saved is not None:
            saved.set()
        return title

    first, first_outcome = _in_thread(
        lambda: person("First title", first_read, second_read, first_saved)
    )

    def second_person():
        seen = RoleProfile.objects.get(pk=profile.pk)
        second_read.set()
        first_saved.wait(10)
        seen.title = "Second title"
        with editing.guarded_save(seen, seen.revision, hr_user):
            seen.save()

    second, second_outcome = _in_thread(second_person)
    first.join(20)
    second.join(20)
    assert first_outcome == {"result": "First title"}
    assert isinstance(second_outcome["error"], editing.StaleProfile)
    saved = RoleProfile.objects.get(pk=profile.pk)
    assert (saved.title, saved.revision) == ("First title", 1)


@pytest.mark.django_db(transaction=True)
def test_a_save_racing_an_open_transaction_waits_for_it_then_is_refused(profile, hr_user):
    """The first save holds its transaction open while the second tries the same revision.

    On PostgreSQL the second UPDATE waits for the row lock, then finds the revision moved on
    and is refused as stale. SQLite cannot wait for a table lock held by another connection
    and refuses at once with "database table is locked". Either way only the first saves.
    """
    claimed, release = threading.Event(), threading.Event()

    def first_person():
        seen = RoleProfile.objects.get(pk=profile.pk)
        with transaction.atomic():
            editing.claim_revision(seen, 0)
            seen.title = "First title"
            seen.save()
            claimed.set()
            release.wait(10)

    def second_person():
        claimed.wait(10)
        threading.Timer(1.0, release.set).start()
        seen = RoleProfile(pk=profile.pk, force=profile.force, slug=profile.slug, revision=0)
        with transaction.atomic():
            editing.claim_revision(seen, 0)
            seen.title = "Second title"
            seen.save()

    first, first_outcome = _in_thread(first_person)
    second, second_outcome = _in_thread(second_person)
    first.join(20)
    second.join(20)
    assert first_outcome == {"result": None}
    expected = editing.StaleProfile if connection.vendor == "postgresql" else OperationalError
    assert isinstance(second_outcome["error"], expected), second_outcome
    assert RoleProfile.objects.get(pk=profile.pk).title == "First title"


# In the admin ------------------------------------------------------------------------------


def admin_change_url(profile):
    return reverse("admin:profiles_roleprofile_change", args=[profile.pk])


def test_the_admin_form_carries_the_revision_it_shows(client, admin_user, profile):
    RoleProfile.objects.filter(pk=profile.pk).update(revision=7)
    client.force_login(admin_user)
    data = form_data(client.get(admin_change_url(profile)).content, "roleprofile_form")
    assert data["seen_revision"] == ["7"]


def test_the_admin_refuses_a_stale_save_and_keeps_the_input(client, admin_user, profile):
    client.force_login(admin_user)
    first = form_data(client.get(admin_change_url(profile)).content, "roleprofile_form")
    second = dict(first)
    first["title"] = ["Title from the first administrator"]
    response = client.post(admin_change_url(profile), first)
    assert response.status_code == 302, response.content.decode()[:3000]
    second["title"] = ["Title from the second administrator"]
    response = client.post(admin_change_url(profile), second)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this profile while you were editing it" in page
    assert 'value="Title from the second administrator"' in page
    compare = reverse("profiles:compare", args=[profile.force.slug, profile.slug])
    assert f'href="{compare}?since=0"' in page
    saved = RoleProfile.objects.get()
    assert (saved.title, saved.revision) == ("Title from the first administrator", 1)


def test_an_admin_save_based_on_the_current_revision_goes_through(client, admin_user, profile):
    client.force_login(admin_user)
    for title in ("One", "Two"):
        data = form_data(client.get(admin_change_url(profile)).content, "roleprofile_form")
        data["title"] = [title]
        assert client.post(admin_change_url(profile), data).status_code == 302
    saved = RoleProfile.objects.get()
    assert (saved.title, saved.revision) == ("Two", 2)


# In the browser editor ---------------------------------------------------------------------


def edit_url(profile):
    return reverse("profiles:edit", args=[profile.force.slug, profile.slug])


def test_the_editor_page_carries_the_revision_it_shows(client, hr_user, weighted_profile):
    RoleProfile.objects.filter(pk=weighted_profile.pk).update(revision=4)
    client.force_login(hr_user)
    data = form_data(client.get(edit_url(weighted_profile)).content, "editor")
    assert data["seen_revision"] == ["4"]


def test_the_editor_refuses_a_stale_save_and_keeps_the_input(
    client, hr_user, other_hr_user, weighted_profile, force
):
    second_editor = make_member(force, Role.HR_EDITOR, "hr-gwent-2")
    client.force_login(hr_user)
    first = form_data(client.get(edit_url(weighted_profile)).content, "editor")
    client.force_login(second_editor)
    second = form_data(client.get(edit_url(weighted_profile)).content, "editor")
    first["profile-purpose"] = ["Purpose from the first editor."]
    client.force_login(hr_user)
    assert client.post(edit_url(weighted_profile), first).status_code == 302
    second["profile-purpose"] = ["Purpose from the second editor."]
    client.force_login(second_editor)
    response = client.post(edit_url(weighted_profile), second)
    assert response.status_code == 200
    page = response.content.decode()
    assert editing.STALE_MESSAGE in page
    assert "Purpose from the second editor.</textarea>" in page
    compare = reverse("profiles:compare", args=["gwent", weighted_profile.slug])
    assert f'href="{compare}?since=0"' in page
    assert RoleProfile.objects.get().purpose == "Purpose from the first editor."
    # The refused page carries the new revision: saving again, knowingly, goes through.
    again = form_data(page, "editor")
    assert again["seen_revision"] == ["1"]
    assert client.post(edit_url(weighted_profile), again).status_code == 302
    assert RoleProfile.objects.get().purpose == "Purpose from the second editor."


def test_the_compare_link_of_a_refused_save_shows_what_the_other_person_changed(
    client, hr_user, weighted_profile
):
    client.force_login(hr_user)
    first = form_data(client.get(edit_url(weighted_profile)).content, "editor")
    stale = dict(first)
    first["profile-purpose"] = ["Purpose from the first editor."]
    client.post(edit_url(weighted_profile), first)
    first = form_data(client.get(edit_url(weighted_profile)).content, "editor")
    first["profile-purpose"] = ["Purpose, second wording."]
    client.post(edit_url(weighted_profile), first)
    page = client.post(edit_url(weighted_profile), stale).content.decode()
    link = re.search(r'href="([^"]+\?since=0)"', page).group(1)
    changes = client.get(link.replace("&amp;", "&")).content.decode()
    assert "<ins>Purpose, second wording.</ins>" in changes


def test_a_post_without_the_revision_is_refused(client, hr_user, weighted_profile):
    client.force_login(hr_user)
    data = form_data(client.get(edit_url(weighted_profile)).content, "editor")
    del data["seen_revision"]
    data["profile-purpose"] = ["Sneaky."]
    response = client.post(edit_url(weighted_profile), data)
    assert editing.STALE_MESSAGE in response.content.decode()
    assert RoleProfile.objects.get().purpose != "Sneaky."
