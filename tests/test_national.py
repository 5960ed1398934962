"""National profiles: every signed-in user reads them, a force derives its own, sees what it
changed, and is told when the national profile has a newer version."""

import pytest
from django.urls import reverse
from model_bakery import baker

from profiles import access
from profiles.models import Force, Role, RoleProfile, SectionKind, Status
from profiles.services import lifecycle, national
from tests.conftest import editor_data, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def college(db):
    return baker.make(Force, slug="college-of-policing", name="College of Policing", national=True)


@pytest.fixture
def pcso(college, vetting_level):
    # A national publisher has grades of its own, as a published profile needs one.
    grade = baker.make("profiles.Grade", force=college, code="PCSO")
    profile = baker.make(
        RoleProfile,
        force=college,
        grade=grade,
        slug="pcso",
        title="Police Community Support Officer",
        purpose="Reassure the public and tackle anti-social behaviour.",
        vetting_level=vetting_level,
        status=Status.PUBLISHED,
    )
    section = baker.make(
        "profiles.Section", profile=profile, order=1, kind=SectionKind.RESPONSIBILITIES
    )
    baker.make("profiles.Item", section=section, order=1, text="Patrol the beat.")
    return profile


@pytest.fixture
def college_editors(college):
    return (
        make_member(college, Role.HR_EDITOR, "hr-college"),
        make_member(college, Role.HR_EDITOR, "hr-college-2"),
    )


def derive_url(profile):
    return reverse("profiles:derive", args=[profile.force.slug, profile.slug])


def national_url(profile):
    return reverse("profiles:national", args=[profile.force.slug, profile.slug])


def test_every_signed_in_user_reads_a_published_national_profile(
    client, pcso, manager_user, other_hr_user
):
    college_slug = pcso.force.slug
    for user in (manager_user, other_hr_user):
        client.force_login(user)
        assert client.get(pcso.get_absolute_url()).status_code == 200
        assert client.get(reverse("profiles:pdf", args=[college_slug, "pcso"])).status_code == 200
        assert access.can_read(user, pcso)
        # Apart from what their force gives them: the list keeps its index on the force.
        assert pcso not in access.readable(RoleProfile.objects.all(), user)
        assert pcso in access.readable_national(RoleProfile.objects.all())
    client.logout()
    assert client.get(pcso.get_absolute_url()).status_code == 302


def test_a_national_draft_stays_with_the_publisher(client, pcso, manager_user, hr_user):
    RoleProfile.objects.filter(pk=pcso.pk).update(status=Status.DRAFT)
    for user in (manager_user, hr_user):
        client.force_login(user)
        assert client.get(pcso.get_absolute_url()).status_code == 404
        assert not access.can_read(user, RoleProfile.objects.get(pk=pcso.pk))


def test_only_hr_editors_of_a_force_see_derive_and_may_derive(client, pcso, manager_user, hr_user):
    client.force_login(manager_user)
    assert 'id="derive"' not in client.get(pcso.get_absolute_url()).content.decode()
    assert client.post(derive_url(pcso)).status_code == 403
    client.force_login(hr_user)
    assert (
        "Derive a profile for Gwent Police" in client.get(pcso.get_absolute_url()).content.decode()
    )


def test_an_hr_editor_derives_a_draft_that_remembers_its_parent_and_version(
    client, pcso, hr_user, force
):
    client.force_login(hr_user)
    response = client.post(derive_url(pcso), follow=True)
    derived = RoleProfile.objects.get(force=force)
    assert response.redirect_chain[-1][0] == reverse("profiles:edit", args=["gwent", derived.slug])
    assert "from version 1 of the national profile, as a draft" in response.content.decode()
    assert (derived.status, derived.derived_from, derived.derived_from_version) == (
        Status.DRAFT,
        pcso,
        1,
    )
    assert derived.purpose == pcso.purpose
    assert list(derived.sections.get().items.values_list("text", flat=True)) == ["Patrol the beat."]
    page = client.get(derived.get_absolute_url()).content.decode()
    assert "Derived from the national profile" in page
    assert "See what Gwent Police changed" in page


def test_the_derived_profile_shows_what_the_force_changed(client, pcso, hr_user, force):
    client.force_login(hr_user)
    client.post(derive_url(pcso))
    derived = RoleProfile.objects.get(force=force)
    data = editor_data(derived)
    data["profile-purpose"] = "Reassure the people of Gwent and tackle anti-social behaviour."
    data["profile-home_office_function"] = "43"
    client.post(reverse("profiles:edit", args=["gwent", derived.slug]), data)
    page = client.get(national_url(derived)).content.decode()
    assert "What Gwent Police changed" in page
    assert "Reassure the <ins>people of Gwent</ins> and tackle" in page
    assert '<th scope="row">Home Office function code</th><td></td><td><ins>43</ins></td>' in page
    assert "The national profile is now at version" not in page


def publish_new_national_version(pcso, college_editors, text):
    author, reviewer = college_editors
    draft = lifecycle.start_working_draft(pcso, author)
    item = draft.sections.get().items.get()
    item.text = text
    item.save()
    lifecycle.submit(draft, author)
    return lifecycle.approve(RoleProfile.objects.get(pk=draft.pk), reviewer)


def test_a_new_national_version_flags_every_derived_profile_until_reviewed(
    client, pcso, hr_user, force, other_force, other_hr_user, college_editors
):
    derived = national.derive(pcso, force, hr_user)
    other = national.derive(pcso, other_force, other_hr_user)
    assert not national.flagged(RoleProfile.objects.all()).exists()
    published = publish_new_national_version(pcso, college_editors, "Patrol the beat on foot.")
    assert published.version == 2
    assert set(national.flagged(RoleProfile.objects.all())) == {derived, other}

    client.force_login(hr_user)
    page = client.get(derived.get_absolute_url()).content.decode()
    assert "The national profile is now at version 2: review the differences." in page
    dashboard = client.get(reverse("profiles:review")).content.decode()
    assert national_url(derived) in dashboard
    page = client.get(national_url(derived)).content.decode()
    assert "The national profile is now at version 2" in page
    assert "Patrol the <ins>beat on foot.</ins>" in page

    response = client.post(
        reverse("profiles:national_reviewed", args=["gwent", derived.slug]), follow=True
    )
    assert "Marked version 2 of the national profile as reviewed." in response.content.decode()
    derived.refresh_from_db()
    assert derived.derived_from_version == 2
    assert set(national.flagged(RoleProfile.objects.all())) == {other}
    assert "review the differences" not in client.get(derived.get_absolute_url()).content.decode()


def test_only_the_forces_hr_editors_mark_a_national_version_reviewed(
    client, pcso, hr_user, manager_user, other_hr_user, force
):
    derived = national.derive(pcso, force, hr_user)
    url = reverse("profiles:national_reviewed", args=["gwent", derived.slug])
    client.force_login(other_hr_user)
    assert client.post(url).status_code == 404
    RoleProfile.objects.filter(pk=derived.pk).update(status=Status.PUBLISHED)
    client.force_login(manager_user)
    assert client.post(url).status_code == 403


def test_a_force_profile_cannot_be_derived_from(client, hr_user, other_hr_user, weighted_profile):
    RoleProfile.objects.filter(pk=weighted_profile.pk).update(status=Status.PUBLISHED)
    client.force_login(hr_user)
    response = client.post(derive_url(weighted_profile), follow=True)
    assert "Only a published national profile can be derived from." in response.content.decode()
    assert RoleProfile.objects.count() == 1


def test_the_list_offers_national_profiles_and_their_publisher_as_a_filter(
    client, pcso, manager_user
):
    client.force_login(manager_user)
    response = client.get(reverse("profiles:list"), {"force": "college-of-policing"})
    assert [profile.slug for profile in response.context["profiles"]] == ["pcso"]
    assert '<option value="college-of-policing" selected>' in response.content.decode()


def test_a_derived_profiles_read_page_costs_one_query_more_for_its_parent(
    client, pcso, hr_user, force, django_assert_num_queries
):
    derived = national.derive(pcso, force, hr_user)
    client.force_login(hr_user)
    # 1 session, 2 user with membership and force, 3 the profile, 4 the profile for
    # rendering, 5 post details, 6 sections, 7 items, 8 criteria, 9 behaviours, 10 skills,
    # 11 NOS units, 12 standard sections, 13 values (no criteria or behaviours, so none of
    # their methods or indicators), 14 the national parent with its publisher and 15 the
    # HR editors who may approve the draft. The publication checklist reads what is
    # already fetched.
    with django_assert_num_queries(15):
        response = client.get(derived.get_absolute_url())
    assert "Derived from the national profile" in response.content.decode()
    assert response.context["checklist"]


def test_an_hr_editor_derives_a_profile_in_the_new_profile_editor_on_its_first_save(
    client, hr_user, force, pcso
):
    from tests.html_forms import parse_form

    client.force_login(hr_user)
    page = client.get(reverse("profiles:new")).content.decode()
    # The national profile is offered to start from, with its publisher.
    start_from = parse_form(page, "start-from")
    assert str(pcso.pk) in start_from.options["copy_from"]
    assert "Police Community Support Officer (College of Policing)" in page
    page = client.get(reverse("profiles:new"), {"copy_from": pcso.pk}).content.decode()
    assert "Derived from the national profile <strong>Police Community Support Officer" in page
    form = parse_form(page, "editor")
    assert RoleProfile.objects.filter(derived_from=pcso).count() == 0
    form["profile-title"] = "PCSO (Gwent)"
    form["profile-purpose"] = "Reassure Gwent's public."
    form.post(client, reverse("profiles:new"))
    derived = RoleProfile.objects.get(derived_from=pcso)
    assert (derived.force, derived.title, derived.status) == (
        force,
        "PCSO (Gwent)",
        Status.DRAFT,
    )
    assert (derived.derived_from_version, derived.grade) == (pcso.version, None)
    assert [i.text for i in derived.sections.get().items.all()] == ["Patrol the beat."]
    assert "Derived from the national profile" in derived.audit.get().comment
    # What the force changed is the comparison with the national version it started from.
    changes = national.changes_against_parent(derived)
    changed = [field["label"] for field in changes["fields"] if field["change"] == "changed"]
    assert "Job title" in changed
    assert "Purpose" in changed
