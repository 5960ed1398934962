"""Versions of a profile: recorded on every save, listed, compared and restored."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from model_bakery import baker
from reversion.models import Version

from profiles.models import AuditAction, AuditEntry, Requirement, Role, RoleProfile, Status
from profiles.services import copying, editing, lifecycle
from tests.conftest import make_member
from tests.html_forms import form_data

GWENT = Path(__file__).resolve().parent.parent / "fixtures" / "forces" / "gwent.json"


@pytest.fixture
def reviewer(force):
    return make_member(force, Role.HR_EDITOR, "reviewer-gwent")


@pytest.fixture
def full_profile(weighted_profile, competency_level):
    method = baker.make("profiles.AssessmentMethod", name="Interview")
    criterion = baker.make(
        "profiles.Criterion",
        profile=weighted_profile,
        order=1,
        category="skills",
        requirement=Requirement.ESSENTIAL,
        text="Good communication skills.",
        shortlisting_code="EE2",
    )
    criterion.methods.set([method])
    behaviour = baker.make(
        "profiles.Behaviour", profile=weighted_profile, order=1, level=competency_level
    )
    behaviour.methods.set([method])
    baker.make("profiles.PostDetail", profile=weighted_profile, order=1, label="Agile", value="Yes")
    baker.make("profiles.NosUnit", profile=weighted_profile, order=1, code="AA1", name="Duty")
    return weighted_profile


def edit(profile, user, comment="", **changes):
    """Save changes the way the editor does, then read the profile back."""
    profile.refresh_from_db()
    with editing.guarded_save(profile, profile.revision, user, comment):
        for name, value in changes.items():
            setattr(profile, name, value)
        profile.save()
    profile.refresh_from_db()
    return profile


def versions(profile):
    return list(Version.objects.get_for_object(profile).select_related("revision__user"))


def test_an_editor_save_records_the_whole_profile_with_who_and_why(full_profile, hr_user):
    edit(full_profile, hr_user, "Purpose reworded.", purpose="Keeps people safe.")
    version, baseline = versions(full_profile)
    assert baseline.revision.comment == "As it was before its first recorded change."
    assert baseline.field_dict["purpose"] == ""
    assert version.revision.user == hr_user
    assert version.revision.comment == "Purpose reworded."
    assert copying.snapshot_from_version(version) == copying.snapshot_of(full_profile)
    stored = {v.content_type.model_class().__name__ for v in version.revision.version_set.all()}
    assert stored == {
        "RoleProfile",
        "PostDetail",
        "Section",
        "Item",
        "Criterion",
        "Behaviour",
        "NosUnit",
    }
    assert AuditEntry.objects.get().action == AuditAction.EDIT


def test_an_admin_save_records_a_version(client, admin_user, full_profile):
    client.force_login(admin_user)
    url = reverse("admin:profiles_roleprofile_change", args=[full_profile.pk])
    data = form_data(client.get(url).content, "roleprofile_form")
    data["purpose"] = ["Changed by an administrator."]
    assert client.post(url, data).status_code == 302
    (version,) = versions(full_profile)
    assert version.revision.user == admin_user
    assert version.revision.comment == "Saved in the admin."
    assert version.field_dict["purpose"] == "Changed by an administrator."
    snapshot = copying.snapshot_from_version(version)
    assert len(snapshot["sections"][0]["items"]) == 13
    assert snapshot["criteria"][0]["methods"] == [full_profile.criteria.get().methods.get().pk]
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.action) == (admin_user, AuditAction.EDIT)


def test_a_snapshot_written_into_another_row_reads_back_the_same(full_profile, force):
    copy = RoleProfile(force=force, slug="copy")
    copying.apply_snapshot(copy, copying.snapshot_of(full_profile))
    assert copying.snapshot_of(copy) == copying.snapshot_of(full_profile)
    assert copy.behaviours.get().methods.get().name == "Interview"


def test_comparing_two_versions_highlights_fields_and_items(client, full_profile, hr_user):
    edit(full_profile, hr_user)
    section = full_profile.sections.get(order=1)
    with editing.guarded_save(full_profile, full_profile.revision, hr_user) as profile:
        profile.title = "Community <b>Safety</b> Officer"
        profile.save()
        item = section.items.get(order=2)
        item.text = "Responsibility two, reworded"
        item.save()
        baker.make("profiles.Item", section=section, order=14, text="A new duty")
    older, newer = sorted(versions(full_profile), key=lambda v: v.pk)[-2:]
    client.force_login(hr_user)
    response = client.get(
        reverse("profiles:compare", args=["gwent", full_profile.slug]),
        {"from": older.pk, "to": newer.pk},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        '<tr class="diff-changed"><th scope="row">Job title</th>'
        "<td>Community <del>Support</del> Officer</td>"
        "<td>Community <ins>&lt;b&gt;Safety&lt;/b&gt;</ins> Officer</td></tr>"
    ) in page
    assert "<b>Safety</b>" not in page
    assert (
        '<tr class="diff-changed"><td>changed</td>'
        "<td>  • Responsibility <del>2</del> (15 %)</td>"
        "<td>  • Responsibility <ins>two, reworded</ins> (15 %)</td></tr>"
    ) in page
    assert '<tr class="diff-added"><td>added</td><td></td><td>  • A new duty</td></tr>' in page
    assert "3 changes" in page


def test_comparing_with_since_starts_from_the_revision_the_user_saw(client, profile, hr_user):
    edit(profile, hr_user, title="First")
    edit(profile, hr_user, title="Second")
    edit(profile, hr_user, title="Third")
    client.force_login(hr_user)
    response = client.get(reverse("profiles:compare", args=["gwent", profile.slug]), {"since": 2})
    page = response.content.decode()
    assert "<del>Second</del>" in page
    assert "<ins>Third</ins>" in page


def test_restoring_a_version_of_a_published_profile_makes_a_working_draft(
    client, full_profile, hr_user, reviewer
):
    edit(full_profile, hr_user, purpose="The old purpose.")
    old = versions(full_profile)[0]
    lifecycle.submit(full_profile, hr_user)
    published = lifecycle.approve(full_profile, reviewer)
    edit(published, reviewer, purpose="The current purpose.")
    client.force_login(hr_user)
    response = client.post(
        reverse("profiles:restore", args=["gwent", published.slug, old.pk]), follow=True
    )
    assert response.redirect_chain[0][0] == published.get_absolute_url()
    published.refresh_from_db()
    assert (published.purpose, published.status) == ("The current purpose.", Status.PUBLISHED)
    draft = published.working_draft
    assert (draft.purpose, draft.status, draft.version) == ("The old purpose.", Status.DRAFT, 2)
    assert draft.sections.get(order=1).items.count() == 13
    restored = AuditEntry.objects.filter(action=AuditAction.RESTORE).get()
    assert (restored.profile, restored.subject_id, restored.user) == (published, draft.pk, hr_user)


def test_restoring_a_version_of_a_draft_changes_the_draft_itself(full_profile, hr_user):
    edit(full_profile, hr_user, purpose="Before.")
    old = versions(full_profile)[0]
    full_profile.sections.get(order=2).delete()
    edit(full_profile, hr_user, purpose="After.")
    draft = lifecycle.restore(full_profile, old, hr_user)
    assert draft.pk == full_profile.pk
    full_profile.refresh_from_db()
    assert full_profile.purpose == "Before."
    assert full_profile.sections.count() == 2
    assert full_profile.sections.get(order=2).items.get().text == "Be cost effective."
    assert versions(full_profile)[0].revision.comment.startswith("Restored the version of ")


def test_the_history_page_lists_versions_and_the_audit_trail(
    client, full_profile, hr_user, django_assert_num_queries
):
    edit(full_profile, hr_user, "First edit.", purpose="One")
    edit(full_profile, hr_user, "Second edit.", purpose="Two")
    client.force_login(hr_user)
    url = reverse("profiles:history", args=["gwent", full_profile.slug])
    # session, user with membership and force, profile, working-draft ids in the audit,
    # versions with their revisions and users, audit entries with their users
    with django_assert_num_queries(6):
        response = client.get(url)
    page = response.content.decode()
    assert page.count('name="from"') == 3
    assert "Second edit." in page and "First edit." in page
    assert "As it was before its first recorded change." in page
    assert page.count("<td>Edited</td>") == 2


def test_the_history_page_costs_the_same_with_more_versions(
    client, full_profile, hr_user, django_assert_num_queries
):
    for number in range(6):
        edit(full_profile, hr_user, purpose=f"Purpose {number}")
    client.force_login(hr_user)
    with django_assert_num_queries(6):
        client.get(reverse("profiles:history", args=["gwent", full_profile.slug]))


def test_a_version_of_another_profile_is_not_found(client, full_profile, force, hr_user):
    other = baker.make("profiles.RoleProfile", force=force, slug="other", title="Other")
    edit(other, hr_user, purpose="x")
    foreign = versions(other)[0]
    client.force_login(hr_user)
    args = ["gwent", full_profile.slug]
    assert client.get(reverse("profiles:compare", args=args), {"to": foreign.pk}).status_code == 404
    restore = reverse("profiles:restore", args=[*args, foreign.pk])
    assert client.post(restore).status_code == 404


@pytest.mark.parametrize("name", ["history", "compare"])
def test_history_pages_are_for_the_forces_hr_editors_and_administrators(
    client, full_profile, hr_user, manager_user, admin_user, other_force, name
):
    edit(full_profile, hr_user, purpose="x")
    url = reverse(f"profiles:{name}", args=["gwent", full_profile.slug])
    assert client.get(url).status_code == 302
    client.force_login(manager_user)
    assert client.get(url).status_code == 404
    full_profile.status = Status.PUBLISHED
    full_profile.save()
    assert client.get(url).status_code == 403
    client.force_login(make_member(other_force, Role.HR_EDITOR, "hr-lancashire"))
    assert client.get(url).status_code == 404
    for user in (hr_user, admin_user):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_restore_is_post_only_and_refused_to_managers(client, full_profile, hr_user, manager_user):
    edit(full_profile, hr_user, purpose="x")
    full_profile.status = Status.PUBLISHED
    full_profile.save()
    url = reverse(
        "profiles:restore", args=["gwent", full_profile.slug, versions(full_profile)[0].pk]
    )
    client.force_login(hr_user)
    assert client.get(url).status_code == 405
    client.force_login(manager_user)
    assert client.post(url).status_code == 403
    assert not RoleProfile.objects.filter(draft_of=full_profile).exists()


def test_weightings_survive_a_round_trip_through_a_version(full_profile, hr_user):
    edit(full_profile, hr_user)
    snapshot = copying.snapshot_from_version(versions(full_profile)[0])
    assert snapshot["sections"][0]["weighting"] == Decimal(80)
    assert [item["weighting"] for item in snapshot["sections"][0]["items"]][:2] == [
        Decimal(30),
        Decimal(15),
    ]


def test_load_force_records_a_version_and_an_audit_entry_per_profile(national_data):
    call_command("load_force", str(GWENT), verbosity=0)
    profile = RoleProfile.objects.get()
    (version,) = versions(profile)
    assert version.revision.comment == f"Loaded by load_force from {GWENT}."
    assert version.revision.user is None
    assert copying.snapshot_from_version(version) == copying.snapshot_of(profile)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.profile) == (AuditAction.CREATE, None, profile)


def test_reloading_a_force_makes_an_open_editor_form_stale(national_data, hr_user):
    call_command("load_force", str(GWENT), verbosity=0)
    seen = RoleProfile.objects.get()
    call_command("load_force", str(GWENT), verbosity=0)
    with pytest.raises(editing.StaleProfile), editing.guarded_save(seen, seen.revision, hr_user):
        seen.save()
    assert len(versions(seen)) == 2
    assert AuditEntry.objects.first().action == AuditAction.EDIT


def test_history_follows_an_editor_save_after_a_load(client, national_data, reviewer):
    call_command("load_force", str(GWENT), verbosity=0)
    profile = RoleProfile.objects.get()
    draft = lifecycle.start_working_draft(profile, reviewer)
    edit(draft, reviewer, "Reworded the purpose.", purpose="A new purpose.")
    client.force_login(reviewer)
    page = client.get(reverse("profiles:history", args=["gwent", profile.slug])).content.decode()
    assert page.count('name="from"') == 3
    assert "Reworded the purpose." in page
    assert "Loaded by load_force from" in page
    assert page.count("working draft</span>") == 2


def test_the_compare_page_costs_the_same_whatever_the_profiles_size(
    client, full_profile, hr_user, django_assert_num_queries
):
    client.force_login(hr_user)
    url = reverse("profiles:compare", args=["gwent", full_profile.slug])
    section = full_profile.sections.get(order=2)
    for extra in (0, 20):
        for order in range(extra):
            baker.make("profiles.Item", section=section, order=100 + order, text=f"Task {order}")
        edit(full_profile, hr_user, purpose=f"Purpose {extra}")
        # 1 session, 2 user with membership and force, 3 profile, 4 working-draft ids,
        # 5 the newest version, 6 the one before it, 7 and 8 the versions of both
        # revisions, 9 grades, 10 vetting levels, 11 frameworks, 12 competency levels,
        # 13 skill levels, 14 assessment methods, 15 the force's house style (its labels)
        with django_assert_num_queries(15):
            response = client.get(url)
        assert f"{extra}</ins>" in response.content.decode()
