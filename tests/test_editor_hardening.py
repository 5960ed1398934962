"""Posts no page of ours sends, positions and sizes out of range: refused, and nothing changes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from model_bakery import baker

from profiles.limits import LONG_TEXT, MAX_ORDER, MAX_ROWS
from profiles.models import Criterion, Item, RoleProfile, Section, SectionKind
from tests.html_forms import parse_form

pytestmark = pytest.mark.django_db


def edit_url(profile):
    return reverse("profiles:edit", args=[profile.force.slug, profile.slug])


def editor_form(client, profile):
    response = client.get(edit_url(profile))
    assert response.status_code == 200
    return parse_form(response.content, "editor")


def snapshot():
    """Every row of every profile, as stored."""
    return {
        "profiles": list(RoleProfile.objects.order_by("pk").values()),
        "sections": list(Section.objects.order_by("pk").values()),
        "items": list(Item.objects.order_by("pk").values()),
        "criteria": list(Criterion.objects.order_by("pk").values()),
    }


@pytest.fixture
def editor(client, hr_user):
    client.force_login(hr_user)
    return client


@pytest.fixture
def contacts(full_profile):
    """A third section, of contacts, with one item."""
    section = baker.make(Section, profile=full_profile, order=3, kind=SectionKind.CONTACTS)
    baker.make(Item, section=section, order=1, text="Neighbourhood teams.")
    return section


def post(client, profile, form):
    return client.post(edit_url(profile), form.data())


# Renumbering -------------------------------------------------------------------------------


@pytest.mark.parametrize("stored_order", [1001, 32000])
def test_a_section_stored_at_a_high_position_does_not_stop_the_next_save(
    editor, full_profile, stored_order
):
    """Moving every row up by 1000 met the row at 1001 (a 500), or overflowed a smallint."""
    Section.objects.filter(profile=full_profile, order=2).update(order=stored_order)
    form = editor_form(editor, full_profile)
    form["profile-purpose"] = "Saved after all."

    response = post(editor, full_profile, form)

    assert response.status_code == 302
    full_profile.refresh_from_db()
    assert full_profile.purpose == "Saved after all."
    orders = list(full_profile.sections.order_by("order").values_list("order", flat=True))
    assert orders == [1, 2]


# Tampered formsets -------------------------------------------------------------------------


def test_lowered_form_counts_are_refused_and_leave_a_section_where_it_was(
    editor, full_profile, contacts
):
    """TOTAL_FORMS lowered by 2 and INITIAL_FORMS by 1 used to push a section up 1000."""
    form = editor_form(editor, full_profile)
    form["sections-TOTAL_FORMS"] = int(form["sections-TOTAL_FORMS"]) - 2
    form["sections-INITIAL_FORMS"] = int(form["sections-INITIAL_FORMS"]) - 1
    before = snapshot()

    for _attempt in range(3):
        assert post(editor, full_profile, form).status_code == 400

    assert snapshot() == before


def test_criteria_posted_as_new_rows_are_refused_not_doubled(editor, full_profile):
    baker.make(Criterion, profile=full_profile, order=2, category="skills", requirement="desirable")
    form = editor_form(editor, full_profile)
    form["criteria-INITIAL_FORMS"] = 0
    before = snapshot()

    assert post(editor, full_profile, form).status_code == 400

    assert snapshot() == before
    assert full_profile.criteria.count() == 2


def test_an_item_of_another_profiles_section_is_refused(editor, full_profile, force, other_force):
    other = baker.make(RoleProfile, force=force, slug="another")
    other_section = baker.make(Section, profile=other, order=1, kind=SectionKind.CONTACTS)
    other_item = baker.make(Item, section=other_section, order=1, text="Not yours.")
    form = editor_form(editor, full_profile)
    form["sections-0-items-0-id"] = other_item.pk
    form["sections-0-items-0-text"] = "Taken over."
    before = snapshot()

    assert post(editor, full_profile, form).status_code == 400

    assert snapshot() == before


def test_a_repeated_row_id_is_refused(editor, full_profile):
    form = editor_form(editor, full_profile)
    form["sections-0-items-1-id"] = form["sections-0-items-0-id"]
    before = snapshot()

    assert post(editor, full_profile, form).status_code == 400

    assert snapshot() == before


def test_a_new_row_naming_a_saved_row_is_refused(editor, full_profile):
    form = editor_form(editor, full_profile)
    extra = int(form["criteria-TOTAL_FORMS"]) - 1
    form[f"criteria-{extra}-id"] = form["criteria-0-id"]
    form[f"criteria-{extra}-text"] = "A copy that would be saved as new."
    before = snapshot()

    assert post(editor, full_profile, form).status_code == 400

    assert snapshot() == before


@pytest.mark.parametrize("total", ["-1", "1e3", "", "100000", " 2"])
def test_a_negative_absurd_or_malformed_form_count_is_refused(editor, full_profile, total):
    form = editor_form(editor, full_profile)
    form["criteria-TOTAL_FORMS"] = total
    before = snapshot()

    assert post(editor, full_profile, form).status_code == 400

    assert snapshot() == before


def test_a_hundred_thousand_declared_forms_are_refused_before_any_form_is_built(
    editor, full_profile, django_assert_num_queries
):
    form = editor_form(editor, full_profile)
    form["sections-0-items-TOTAL_FORMS"] = 100_000
    # 1 session, 2 user with membership and force, 3 the profile as the user may see it,
    # 4 the profile for the editor, 5 post details, 6 sections, 7 items, 8 criteria,
    # 9 their methods, 10 behaviours, 11 their methods, 12 skills, 13 the revision now
    # (a post that does not match the rows may be a stale one): no form is built.
    with django_assert_num_queries(13):
        response = post(editor, full_profile, form)
    assert response.status_code == 400


def test_many_parts_each_within_its_cap_are_refused_together(editor, full_profile):
    form = editor_form(editor, full_profile)
    for prefix in ("details", "sections", "criteria", "behaviours", "skills"):
        form[f"{prefix}-TOTAL_FORMS"] = MAX_ROWS + 20
    form["sections-0-items-TOTAL_FORMS"] = MAX_ROWS + 20
    assert post(editor, full_profile, form).status_code == 400


def test_a_post_made_before_someone_removed_a_row_is_stale_not_tampered(
    editor, full_profile, contacts
):
    form = editor_form(editor, full_profile)
    contacts.delete()
    RoleProfile.objects.filter(pk=full_profile.pk).update(revision=1)
    form["profile-purpose"] = "Made before the removal."

    response = post(editor, full_profile, form)

    assert response.status_code == 200
    assert "Someone else saved this profile" in response.content.decode()
    full_profile.refresh_from_db()
    assert full_profile.purpose != "Made before the removal."


# Positions out of range --------------------------------------------------------------------


def test_the_model_refuses_a_position_out_of_range(full_profile):
    section = full_profile.sections.get(order=1)
    for order in (-1, MAX_ORDER + 1):
        section.order = order
        with pytest.raises(ValidationError) as refused:
            section.full_clean()
        assert "order" in refused.value.message_dict


def test_the_editor_refuses_a_position_out_of_range(editor, full_profile):
    form = editor_form(editor, full_profile)
    form["sections-1-ORDER"] = MAX_ORDER + 1
    before = snapshot()

    response = post(editor, full_profile, form)

    assert response.status_code == 200
    assert f"less than or equal to {MAX_ORDER}" in response.content.decode()
    assert snapshot() == before


def test_the_admin_refuses_a_position_out_of_range(client, admin_user, full_profile):
    client.force_login(admin_user)
    section = full_profile.sections.get(order=2)
    url = reverse("admin:profiles_section_change", args=[section.pk])
    form = parse_form(client.get(url).content, "section_form")
    form["order"] = MAX_ORDER + 1
    response = form.post(client, url, submit="_save")
    assert response.status_code == 200
    assert "order" in response.context["adminform"].form.errors
    section.refresh_from_db()
    assert section.order == 2


# Sizes -------------------------------------------------------------------------------------


def test_the_editor_shows_and_enforces_the_longest_purpose(editor, full_profile):
    page = editor.get(edit_url(full_profile)).content.decode()
    assert f'maxlength="{LONG_TEXT}"' in page
    form = parse_form(page, "editor")
    form["profile-purpose"] = "x" * (LONG_TEXT + 1)
    before = snapshot()

    response = post(editor, full_profile, form)

    assert response.status_code == 200
    assert f"at most {LONG_TEXT} characters" in response.content.decode()
    assert snapshot() == before


def test_the_model_refuses_text_over_its_limit(full_profile):
    full_profile.purpose = "x" * (LONG_TEXT + 1)
    with pytest.raises(ValidationError) as refused:
        full_profile.full_clean()
    assert "purpose" in refused.value.message_dict
    item = Item.objects.first()
    item.text = "x" * 2001
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "text" in refused.value.message_dict


def test_the_admin_refuses_text_over_its_limit(client, admin_user, full_profile):
    client.force_login(admin_user)
    section = full_profile.sections.get(order=2)
    url = reverse("admin:profiles_section_change", args=[section.pk])
    page = client.get(url).content.decode()
    assert f'maxlength="{LONG_TEXT}"' in page
    form = parse_form(page, "section_form")
    form["intro"] = "x" * (LONG_TEXT + 1)
    response = form.post(client, url, submit="_save")
    assert response.status_code == 200
    assert "intro" in response.context["adminform"].form.errors
    section.refresh_from_db()
    assert section.intro == ""


def test_the_editor_refuses_more_rows_in_a_part_than_the_cap(editor, full_profile):
    baker.make(
        Criterion,
        profile=full_profile,
        order=iter(range(2, MAX_ROWS + 1)),
        category="skills",
        requirement="desirable",
        text="One of many.",
        _quantity=MAX_ROWS - 1,
    )
    form = editor_form(editor, full_profile)
    assert int(form["criteria-TOTAL_FORMS"]) == MAX_ROWS  # no blank row past the cap
    form["criteria-TOTAL_FORMS"] = MAX_ROWS + 1
    form["criteria-INITIAL_FORMS"] = MAX_ROWS
    before = snapshot()
    data = form.data()
    data.update(
        {
            f"criteria-{MAX_ROWS}-requirement": ["essential"],
            f"criteria-{MAX_ROWS}-category": ["skills"],
            f"criteria-{MAX_ROWS}-text": ["One too many."],
        }
    )

    response = editor.post(edit_url(full_profile), data)

    assert response.status_code == 200
    assert f"Please submit at most {MAX_ROWS} forms." in response.content.decode()
    assert snapshot() == before


def test_the_admin_refuses_more_items_in_a_section_than_the_cap(client, admin_user, full_profile):
    section = full_profile.sections.get(order=2)
    Item.objects.bulk_create(
        Item(section=section, order=order, text=f"Task {order}") for order in range(2, MAX_ROWS + 1)
    )
    client.force_login(admin_user)
    url = reverse("admin:profiles_section_change", args=[section.pk])
    form = parse_form(client.get(url).content, "section_form")
    added = form.add_inline_form("items")
    form[f"{added}text"] = "One too many."
    form[f"{added}order"] = MAX_ROWS + 1

    response = form.post(client, url, submit="_save")

    assert response.status_code == 200
    assert f"Please submit at most {MAX_ROWS} forms." in response.content.decode()
    assert section.items.count() == MAX_ROWS
