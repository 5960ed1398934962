"""The browser editor: one page saves every part of a profile, all or nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse
from model_bakery import baker
from reversion.models import Version

from profiles.models import Item, RoleProfile, Section
from profiles.services import copying
from tests.conftest import editor_data
from tests.html_forms import parse_form

pytestmark = pytest.mark.django_db


def edit_url(profile):
    return reverse("profiles:edit", args=[profile.force.slug, profile.slug])


def responsibilities(profile):
    return Section.objects.get(profile=profile, order=1)


def item_key(index, field):
    return f"sections-0-items-{index}-{field}"


def test_it_saves_a_changed_responsibility_text_and_weighting(client, hr_user, full_profile):
    client.force_login(hr_user)
    data = editor_data(full_profile)
    data[item_key(0, "text")] = "Patrol the neighbourhood on foot."
    data[item_key(0, "weighting")] = "25"
    data[item_key(1, "weighting")] = "20"
    response = client.post(edit_url(full_profile), data)
    assert response.status_code == 302
    assert response["Location"] == full_profile.get_absolute_url()
    first, second = Item.objects.filter(section=responsibilities(full_profile))[:2]
    assert (first.text, first.weighting) == ("Patrol the neighbourhood on foot.", Decimal(25))
    assert second.weighting == Decimal(20)


def test_it_refuses_weightings_that_break_the_section_total_and_saves_nothing(
    client, hr_user, full_profile
):
    client.force_login(hr_user)
    data = editor_data(full_profile)
    data["profile-title"] = "A title that must not be saved"
    data[item_key(0, "text")] = "Changed text that must stay on the page"
    data[item_key(0, "weighting")] = "31"
    response = client.post(edit_url(full_profile), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "add up to 81 %, but the section’s total is 80 %" in html
    # The message sits in the section's items block, next to the live total.
    assert html.index('id="sections-0-items-total"') < html.index('id="sections-0-items-errors"')
    assert "Changed text that must stay on the page" in html
    assert 'value="A title that must not be saved"' in html
    full_profile.refresh_from_db()
    assert full_profile.title == "Community Support Officer"
    assert Item.objects.get(section=responsibilities(full_profile), order=1).weighting == 30


def test_it_puts_a_field_error_next_to_its_field(client, hr_user, full_profile):
    client.force_login(hr_user)
    data = editor_data(full_profile)
    data["profile-title"] = ""
    data["criteria-0-text"] = ""
    response = client.post(edit_url(full_profile), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error_1_id_profile-title"' in html
    assert 'id="error_1_id_criteria-0-text"' in html
    assert "Nothing was saved" in html


def test_it_reorders_items_by_their_position_numbers(client, hr_user, full_profile):
    client.force_login(hr_user)
    data = editor_data(full_profile)
    data[item_key(0, "ORDER")] = "2"
    data[item_key(1, "ORDER")] = "1"
    assert client.post(edit_url(full_profile), data).status_code == 302
    texts = list(
        Item.objects.filter(section=responsibilities(full_profile)).values_list("text", flat=True)
    )
    assert texts[:3] == ["Responsibility 2", "Responsibility 1", "Responsibility 3"]
    orders = list(
        Item.objects.filter(section=responsibilities(full_profile)).values_list("order", flat=True)
    )
    assert orders == list(range(1, 14))


def test_it_reorders_sections_and_keeps_their_items(client, hr_user, full_profile):
    client.force_login(hr_user)
    data = editor_data(full_profile)
    data["sections-0-ORDER"] = "2"
    data["sections-1-ORDER"] = "1"
    assert client.post(edit_url(full_profile), data).status_code == 302
    first, second = Section.objects.filter(profile=full_profile).order_by("order")
    assert first.heading == "General tasks – staff level"
    assert second.items.count() == 13


def test_it_removes_and_adds_items_in_one_save(client, hr_user, full_profile):
    client.force_login(hr_user)
    data = editor_data(full_profile)
    # Remove "Responsibility 13" (1 %) and add a new one worth 1 % at the end.
    data[item_key(12, "DELETE")] = "on"
    data[item_key(13, "text")] = "Attend community meetings."
    data[item_key(13, "weighting")] = "1"
    assert client.post(edit_url(full_profile), data).status_code == 302
    items = list(Item.objects.filter(section=responsibilities(full_profile)))
    assert len(items) == 13
    assert items[-1].text == "Attend community meetings."
    assert "Responsibility 13" not in [item.text for item in items]


def test_it_adds_a_section_with_its_items(client, hr_user, full_profile):
    client.force_login(hr_user)
    data = editor_data(full_profile)
    data["sections-1-weighting"] = ""
    data.update(
        {
            "sections-2-kind": "contacts",
            "sections-2-heading": "Contacts",
            "sections-2-items-0-text": "Local councillors",
        }
    )
    assert client.post(edit_url(full_profile), data).status_code == 302
    contacts = Section.objects.get(profile=full_profile, kind="contacts")
    assert contacts.order == 3
    assert [item.text for item in contacts.items.all()] == ["Local councillors"]


def test_it_refuses_sections_weighted_over_one_hundred_per_cent(client, hr_user, full_profile):
    client.force_login(hr_user)
    data = editor_data(full_profile)
    data["sections-1-weighting"] = "30"
    data["sections-1-items-0-weighting"] = "30"
    response = client.post(edit_url(full_profile), data)
    assert response.status_code == 200
    assert "weighted 110 % in all" in response.content.decode()
    assert responsibilities(full_profile).profile.sections.get(order=2).weighting == 20


def test_it_refuses_a_behaviour_level_from_another_framework(
    client, hr_user, full_profile, competency_level
):
    other = baker.make("competencies.CompetencyLevel", number=2)
    client.force_login(hr_user)
    data = editor_data(full_profile)
    data["behaviours-0-level"] = str(other.pk)
    response = client.post(edit_url(full_profile), data)
    assert response.status_code == 200
    assert 'id="error_1_id_behaviours-0-level"' in response.content.decode()
    assert full_profile.behaviours.get().level == competency_level


def test_a_broken_rule_is_said_together_with_a_field_error_elsewhere(client, hr_user, full_profile):
    client.force_login(hr_user)
    data = editor_data(full_profile)
    data["profile-title"] = ""
    data["sections-0-items-0-weighting"] = "31"
    data.update(
        {
            "criteria-1-requirement": "desirable",
            "criteria-1-category": "skills",
            "criteria-1-text": "Welsh speaker.",
            "criteria-1-shortlisting_code": "ee1",
        }
    )
    response = client.post(edit_url(full_profile), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error_1_id_profile-title"' in html
    assert "add up to 81 %" in html
    assert 'id="error_1_id_criteria-1-shortlisting_code"' in html
    # The profile's total waits until every row is valid.
    assert "in all" not in html


def test_it_refuses_a_repeated_shortlisting_code(client, hr_user, full_profile):
    client.force_login(hr_user)
    data = editor_data(full_profile)
    data.update(
        {
            "criteria-1-requirement": "desirable",
            "criteria-1-category": "skills",
            "criteria-1-text": "Welsh speaker.",
            "criteria-1-shortlisting_code": "ee1",
        }
    )
    response = client.post(edit_url(full_profile), data)
    assert response.status_code == 200
    assert "Shortlisting code EE1 is used more than once" in response.content.decode()
    assert full_profile.criteria.count() == 1


def test_the_edit_page_costs_the_same_queries_for_a_small_and_a_large_profile(
    client, hr_user, full_profile, django_assert_num_queries
):
    client.force_login(hr_user)
    for extra in range(2):
        section = baker.make(
            "profiles.Section", profile=full_profile, order=10 + extra, kind="contacts"
        )
        baker.make("profiles.Item", section=section, order=1, text="Contact")
    for size in ("as made", "with 28 more items"):
        # 1 session, 2 user with membership and force, 3 the profile as the user may
        # see it, 4 the profile for the editor, 5 post details, 6 sections, 7 items,
        # 8 criteria, 9 their methods, 10 behaviours, 11 their methods, 12 skills,
        # 13 NOS units (the publication checklist checks the profile as saved, rows and
        # all), 14 competency levels of the framework, 15 skill levels, 16 assessment
        # methods, 17 grades, 18 grades (grade range), 19 vetting levels, 20 frameworks,
        # 21 the force's standard statements (shown where it prints them), 22 its house
        # style (the labels the force prints).
        with django_assert_num_queries(22):
            response = client.get(edit_url(full_profile))
        assert response.status_code == 200, size
        if size == "as made":
            extra_section = Section.objects.get(profile=full_profile, order=11)
            Item.objects.bulk_create(
                Item(section=extra_section, order=n, text=f"Item {n}") for n in range(2, 30)
            )


def test_a_save_costs_the_same_queries_for_a_small_and_a_large_profile(
    client, hr_user, full_profile, django_assert_num_queries
):
    client.force_login(hr_user)
    responsibilities = Section.objects.get(profile=full_profile, order=1)
    # The first save also records the version from before it (history.ensure_baseline).
    assert client.post(edit_url(full_profile), editor_data(full_profile)).status_code == 302
    for size in ("as made", "with 40 more items"):
        data = editor_data(full_profile)
        data[item_key(0, "text")] = f"Patrol the neighbourhood ({size})."
        data[item_key(1, "ORDER")], data[item_key(0, "ORDER")] = "1", "2"
        # 1 session, 2 user with membership and force, 3 the profile as the user may see
        # it, 4 the profile for the editor, 5-12 its rows (post details, sections, items,
        # criteria and their methods, behaviours and their methods, skills), 13 competency
        # levels, 14 skill levels, 15 assessment methods, 16-18 grades, vetting levels and
        # frameworks, 19-21 the grade, vetting level and framework posted exist,
        # 22 savepoint, 23 its baseline version exists, 24 savepoint, 25 the revision
        # claimed, 26 the profile, 27 the two items moved parked, 28 the rows changed, in
        # one UPDATE, 29 NOS units (the version follows them; the other rows it takes as
        # written), 30 the audit entry, 31-37 the version's rows, by part, 38-39 the
        # version, 40-41 release the savepoints. Posted rows, levels and methods are checked
        # against the rows and options already read; rows left as they were are not written.
        with django_assert_num_queries(41):
            response = client.post(edit_url(full_profile), data)
        assert response.status_code == 302, size
        if size == "as made":
            Item.objects.bulk_create(
                Item(section=responsibilities, order=n, text=f"Duty {n}") for n in range(50, 90)
            )
    first, second = Item.objects.filter(section=responsibilities).order_by("order")[:2]
    assert (first.text, second.text) == (
        "Patrol the neighbourhood (as made).",
        "Patrol the neighbourhood (with 40 more items).",
    )


def test_a_blank_htmx_row_carries_the_index_it_was_asked_for(client, hr_user, full_profile):
    client.force_login(hr_user)
    url = reverse("profiles:editor_row", args=["gwent", full_profile.slug])
    response = client.get(url, {"part": "items", "section": "sections-1", "index": "4"})
    assert response.status_code == 200
    assert 'name="sections-1-items-4-text"' in response.content.decode()
    response = client.get(url, {"part": "sections", "index": "2"})
    html = response.content.decode()
    assert 'name="sections-2-kind"' in html
    assert 'name="sections-2-items-TOTAL_FORMS"' in html
    assert client.get(url, {"part": "nothing", "index": "2"}).status_code == 404


def new_page_form(client, **params):
    response = client.get(reverse("profiles:new"), params)
    assert response.status_code == 200
    return parse_form(response.content.decode(), "editor")


def test_a_new_profile_is_created_only_by_its_first_successful_save(client, hr_user, force):
    client.force_login(hr_user)
    form = new_page_form(client)
    assert RoleProfile.objects.count() == 0
    form["sections-0-items-0-text"] = "Examine crime scenes."
    response = form.post(client, reverse("profiles:new"))
    # Refused (no title): nothing is left behind, and the input stays on the page.
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert "Examine crime scenes." in response.content.decode()
    assert RoleProfile.objects.count() == 0
    form["profile-title"] = "Crime Scene Investigator"
    response = form.post(client, reverse("profiles:new"))
    profile = RoleProfile.objects.get(title="Crime Scene Investigator")
    assert response["Location"] == profile.get_absolute_url()
    assert (profile.force, profile.slug, profile.status) == (
        force,
        "crime-scene-investigator",
        "draft",
    )
    section = profile.sections.get()
    assert section.kind == "responsibilities"
    assert [item.text for item in section.items.all()] == ["Examine crime scenes."]
    assert profile.audit.get().action == "create"


def test_it_copies_a_profile_with_every_part_when_the_copy_is_saved(client, hr_user, full_profile):
    client.force_login(hr_user)
    form = new_page_form(client, copy_from=full_profile.pk)
    assert RoleProfile.objects.count() == 1
    response = form.post(client, reverse("profiles:new"))
    copy = RoleProfile.objects.exclude(pk=full_profile.pk).get()
    assert response["Location"] == copy.get_absolute_url()
    assert copy.slug == "community-support-officer-2"
    assert copy.grade == full_profile.grade
    assert Item.objects.filter(section__profile=copy).count() == 14
    assert [c.methods.count() for c in copy.criteria.all()] == [1]
    assert copy.behaviours.count() == copy.skills.count() == copy.post_details.count() == 1
    assert "Copied from" in copy.audit.get().comment


def test_a_copy_saved_through_the_editor_keeps_the_nos_units_the_page_does_not_show(
    client, hr_user, full_profile
):
    baker.make(
        "profiles.NosUnit", profile=full_profile, order=1, code="SFJ AA1", name="Promote equality"
    )
    baker.make("profiles.NosUnit", profile=full_profile, order=2, code="SFJ CD1", name="Patrol")
    client.force_login(hr_user)
    form = new_page_form(client, copy_from=full_profile.pk)
    form.post(client, reverse("profiles:new"))
    copy = RoleProfile.objects.exclude(pk=full_profile.pk).get()
    assert [(unit.code, unit.name, unit.order) for unit in copy.nos_units.all()] == [
        ("SFJ AA1", "Promote equality", 1),
        ("SFJ CD1", "Patrol", 2),
    ]
    # The source keeps its own.
    assert full_profile.nos_units.count() == 2


def test_staff_copy_a_profile_into_another_force(client, admin_user, full_profile, other_force):
    client.force_login(admin_user)
    form = new_page_form(client, copy_from=full_profile.pk, force=other_force.slug)
    form["profile-title"] = "PCSO"
    form.post(client, reverse("profiles:new"))
    copy = RoleProfile.objects.get(force=other_force)
    assert copy.grade is None
    assert copy.sections.count() == 2


def test_an_hr_editor_cannot_copy_a_profile_they_cannot_read(client, other_hr_user, full_profile):
    client.force_login(other_hr_user)
    response = client.get(reverse("profiles:new"), {"copy_from": full_profile.pk})
    assert response.status_code == 200
    assert "You may not copy that profile." in response.content.decode()
    assert "profile-title" not in response.content.decode()


def test_the_copy_button_opens_the_editor_on_the_unsaved_copy(client, hr_user, full_profile):
    client.force_login(hr_user)
    response = client.get(reverse("profiles:new"), {"copy_from": full_profile.pk})
    html = response.content.decode()
    assert "A copy of <strong>Community Support Officer</strong> (Gwent Police)" in html
    assert 'value="Community Support Officer"' in html
    assert RoleProfile.objects.count() == 1


def test_a_new_profile_starts_from_a_blank_page_or_one_of_the_force_s_own_profiles(
    client, hr_user, full_profile, other_force
):
    baker.make("profiles.RoleProfile", force=other_force, slug="pcso", title="Lancashire PCSO")
    client.force_login(hr_user)
    html = client.get(reverse("profiles:new")).content.decode()
    start_from = parse_form(html, "start-from")
    # Blank, or the force's profile; another force's is not offered.
    assert start_from.options["copy_from"] == ["", str(full_profile.pk)]
    assert "Lancashire PCSO" not in html
    start_from["copy_from"] = str(full_profile.pk)
    html = client.get(reverse("profiles:new"), start_from.data()).content.decode()
    assert "A copy of <strong>Community Support Officer</strong>" in html
    assert f'<option value="{full_profile.pk}" selected>' in html
    assert RoleProfile.objects.filter(force=full_profile.force).count() == 1


def test_criteria_are_grouped_under_a_category_chosen_once_and_keep_it_when_saved(
    client, hr_user, full_profile
):
    baker.make(
        "profiles.Criterion",
        profile=full_profile,
        order=2,
        category="skills",
        requirement="desirable",
        text="Welsh speaker.",
    )
    client.force_login(hr_user)
    html = client.get(edit_url(full_profile)).content.decode()
    # One group head for both criteria, its category chosen there and not on each row.
    assert html.count('data-group-field="category"') == 2  # the head and the new-group template
    assert '<option value="skills" selected>Skills</option>' in html
    form = parse_form(html, "editor")
    assert "criteria-0-category" in form
    assert form["criteria-1-category"] == "skills"
    form["criteria-1-category"] = "knowledge"
    form.post(client, edit_url(full_profile))
    assert list(full_profile.criteria.values_list("category", flat=True)) == ["skills", "knowledge"]


def test_it_refuses_items_under_a_new_section_left_blank(client, hr_user, full_profile):
    client.force_login(hr_user)
    data = editor_data(full_profile)
    data["sections-2-items-0-text"] = "An item without a section"
    response = client.post(edit_url(full_profile), data)
    assert response.status_code == 200
    assert "Choose the kind of section for these items." in response.content.decode()
    assert not Item.objects.filter(text="An item without a section").exists()


def test_a_saves_version_holds_the_profile_as_saved(client, hr_user, full_profile):
    """The version an editor save records is the profile after it: rows changed, moved,
    removed and added (in a new section too), read back by history's snapshot."""
    client.force_login(hr_user)
    data = editor_data(full_profile)
    data[item_key(0, "text")] = "Patrol the neighbourhood on foot."
    data[item_key(0, "ORDER")], data[item_key(1, "ORDER")] = "2", "1"
    data[item_key(12, "DELETE")] = "on"
    data[item_key(13, "text")] = "Attend community meetings."
    data[item_key(13, "weighting")] = "1"
    data["sections-1-weighting"] = ""
    data.update(
        {
            "sections-2-kind": "contacts",
            "sections-2-heading": "Contacts",
            "sections-2-items-0-text": "Local councillors",
        }
    )
    assert client.post(edit_url(full_profile), data).status_code == 302
    version = Version.objects.get_for_object(full_profile).first()
    assert version.revision.comment == "Edited in the browser."
    saved = copying.snapshot_of(RoleProfile.objects.get(pk=full_profile.pk))
    assert copying.snapshot_from_version(version) == saved
    texts = [item["text"] for item in saved["sections"][0]["items"]]
    assert texts[:2] == ["Responsibility 2", "Patrol the neighbourhood on foot."]
    assert "Attend community meetings." in texts
    assert saved["sections"][2]["items"][0]["text"] == "Local councillors"
