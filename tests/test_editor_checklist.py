"""The publication checklist beside the editor: what the draft lacks, checked as the user types."""

import pytest
from django.urls import reverse

from profiles.models import Item, RoleProfile, Section
from tests.html_forms import parse_form

pytestmark = pytest.mark.django_db


def edit_url(profile):
    return reverse("profiles:edit", args=[profile.force.slug, profile.slug])


def checklist_url(profile):
    return reverse("profiles:edit_checklist", args=[profile.force.slug, profile.slug])


def editor_form(client, profile):
    response = client.get(edit_url(profile))
    assert response.status_code == 200
    return parse_form(response.content.decode(), "editor")


def test_the_editor_shows_what_the_saved_draft_lacks_for_publication(client, hr_user, full_profile):
    RoleProfile.objects.filter(pk=full_profile.pk).update(vetting_level=None)
    client.force_login(hr_user)
    html = client.get(edit_url(full_profile)).content.decode()
    checklist = html[html.index('id="editor-checklist"') :]
    assert 'aria-live="polite"' in html[html.index('<div class="editor-checklist"') :][:200]
    assert "A grade: done" in checklist
    assert "A vetting level: missing" in checklist
    assert "At least one responsibility: done" in checklist
    assert "Weightings that add up: done" in checklist


def test_the_checklist_follows_unsaved_input_and_saves_nothing(client, hr_user, full_profile):
    client.force_login(hr_user)
    form = editor_form(client, full_profile)
    form["profile-grade"] = ""
    form["sections-0-items-0-weighting"] = "31"
    revision = full_profile.revision
    response = client.post(checklist_url(full_profile), form.data())
    html = response.content.decode()
    assert response.status_code == 200
    assert "A grade: missing" in html
    assert "A vetting level: done" in html
    assert "Weightings that add up: missing" in html
    grade = full_profile.grade_id
    full_profile.refresh_from_db()
    assert (full_profile.grade_id, full_profile.revision) == (grade, revision)
    assert full_profile.audit.count() == 0


def test_a_new_profile_s_checklist_counts_the_responsibility_typed_in(client, hr_user, force):
    client.force_login(hr_user)
    page = client.get(reverse("profiles:new")).content.decode()
    form = parse_form(page, "editor")
    url = f"{reverse('profiles:new_checklist')}?force={force.slug}"
    assert "At least one responsibility: missing" in client.post(url, form.data()).content.decode()
    form["sections-0-items-0-text"] = "Examine crime scenes."
    html = client.post(url, form.data()).content.decode()
    assert "At least one responsibility: done" in html
    assert "A grade: missing" in html
    assert RoleProfile.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"), [("other_hr_user", 404), ("manager_user", 404), (None, 302)]
)
def test_only_the_force_s_hr_editors_ask_for_a_draft_s_checklist(
    client, request, full_profile, who, status
):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.post(checklist_url(full_profile), {})
    assert response.status_code == status


def test_a_checklist_post_that_does_not_describe_the_profile_is_refused(
    client, hr_user, full_profile
):
    client.force_login(hr_user)
    form = editor_form(client, full_profile)
    form["criteria-TOTAL_FORMS"] = "100000"
    assert client.post(checklist_url(full_profile), form.data()).status_code == 400


def test_the_checklist_costs_the_same_queries_for_a_small_and_a_large_profile(
    client, hr_user, full_profile, django_assert_num_queries
):
    client.force_login(hr_user)
    responsibilities = Section.objects.get(profile=full_profile, order=1)
    for size in ("as made", "with 40 more items"):
        data = editor_form(client, full_profile).data()
        # The editor's own validation of a post, nothing more: 1 session, 2 user with
        # membership and force, 3 the profile as the user may see it, 4 the profile for the
        # editor, 5-12 its post details, sections, items, criteria and their methods,
        # behaviours and their methods, skills, 13 competency levels, 14 skill levels,
        # 15 assessment methods, 16 grades, 17 vetting levels, 18 frameworks, 19-21 the
        # grade, vetting level and framework posted exist. Posted rows, levels and methods
        # are checked against the rows and options already read: no query per row.
        with django_assert_num_queries(21):
            response = client.post(checklist_url(full_profile), data)
        assert response.status_code == 200, size
        if size == "as made":
            Item.objects.bulk_create(
                Item(section=responsibilities, order=n, text=f"Duty {n}") for n in range(50, 90)
            )
    assert "A grade: done" in response.content.decode()
