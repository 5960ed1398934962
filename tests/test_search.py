"""The stored search document and the search over it."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from model_bakery import baker

from profiles import search
from profiles.models import Item, RoleProfile

pytestmark = pytest.mark.django_db


def test_the_search_document_follows_every_saved_change(force, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        profile = baker.make("profiles.RoleProfile", force=force, title="Detention Officer")
        section = baker.make("profiles.Section", profile=profile, order=1, kind="contacts")
        Item.objects.create(section=section, order=1, text="Maintain the custody records.")
        baker.make(
            "profiles.Criterion",
            profile=profile,
            order=1,
            text="Experience of shift work",
            category="experience",
            requirement="desirable",
        )
    # A profile and three children saved in one transaction: one rebuild.
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            if callback is search.refresh_pending:
                callback()
    writes = [
        q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "search_text" in q["sql"]
    ]
    assert len(writes) == 1
    profile.refresh_from_db()
    assert "Detention Officer" in profile.search_text
    assert "custody records" in profile.search_text
    assert "shift work" in profile.search_text
    assert search.search(RoleProfile.objects.all(), "custody").get() == profile


@pytest.mark.django_db(transaction=True)
def test_a_deleted_item_leaves_the_search_document_once_committed(force):
    profile = baker.make("profiles.RoleProfile", force=force, title="Detention Officer")
    section = baker.make("profiles.Section", profile=profile, order=1, kind="contacts")
    with transaction.atomic():
        item = Item.objects.create(section=section, order=1, text="Custody suite")
        profile.refresh_from_db()
        assert profile.search_text == "Detention Officer"
    profile.refresh_from_db()
    assert "Custody suite" in profile.search_text
    item.delete()
    profile.refresh_from_db()
    assert profile.search_text == "Detention Officer"


def test_the_search_ranks_a_title_match_above_a_match_in_the_items(force):
    in_title = baker.make("profiles.RoleProfile", force=force, title="Zebra Firearms Officer")
    in_items = baker.make("profiles.RoleProfile", force=force, title="Analyst")
    section = baker.make("profiles.Section", profile=in_items, order=1, kind="responsibilities")
    baker.make("profiles.Item", section=section, order=1, text="Analyse firearms licensing.")
    for profile in (in_title, in_items):
        search.refresh(profile.pk)
    found = search.search(RoleProfile.objects.all(), "firearms")
    if connection.vendor == "postgresql":
        ordered = [p.title for p in found.order_by("-rank")]
        assert ordered == ["Zebra Firearms Officer", "Analyst"]
    else:
        # SQLite has no ranking: the list page orders the matches by title instead.
        assert sorted(p.title for p in found) == ["Analyst", "Zebra Firearms Officer"]


def test_the_list_sorts_search_results_by_relevance(client, admin_user, force):
    in_title = baker.make("profiles.RoleProfile", force=force, title="Zebra Firearms Officer")
    in_purpose = baker.make(
        "profiles.RoleProfile", force=force, title="Analyst", purpose="Supports firearms teams."
    )
    for profile in (in_title, in_purpose):
        search.refresh(profile.pk)
    client.force_login(admin_user)
    response = client.get(reverse("profiles:list"), {"q": "firearms"})
    found = [profile.title for profile in response.context["profiles"]]
    expected = ["Zebra Firearms Officer", "Analyst"]
    assert found == (expected if connection.vendor == "postgresql" else sorted(expected))
    assert response.context["sort"] == "relevance"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_does_not_keep_the_next_one_from_the_search_document(force):
    profile = baker.make("profiles.RoleProfile", force=force, title="Detention Officer")
    section = baker.make("profiles.Section", profile=profile, order=1, kind="contacts")
    with pytest.raises(RuntimeError), transaction.atomic():
        Item.objects.create(section=section, order=1, text="Custody suite")
        raise RuntimeError("rolled back")
    with transaction.atomic():
        Item.objects.create(section=section, order=2, text="Charge room")
    profile.refresh_from_db()
    assert "Charge room" in profile.search_text
    assert "Custody suite" not in profile.search_text


def test_a_saves_search_document_is_queued_before_its_pdf_work(
    force, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        baker.make("profiles.RoleProfile", force=force, title="Detention Officer")
    assert [callback.__module__ for callback in callbacks[:2]] == [
        "profiles.search",
        "profiles.signals",
    ]


def test_a_searchs_pages_follow_relevance_then_title_with_the_count_on_every_page(
    client, admin_user, force
):
    # 18 title matches and 18 matches in the items, titles shuffled against rank: page 1
    # holds the title matches, page 2 the rest, and the window's order is the page's.
    for n in range(36):
        in_title = n % 2 == 0
        profile = baker.make(
            "profiles.RoleProfile",
            force=force,
            title=f"{'Firearms' if in_title else 'Analyst'} {35 - n:02d}",
        )
        section = baker.make("profiles.Section", profile=profile, order=1, kind="contacts")
        baker.make("profiles.Item", section=section, order=1, text="Firearms licensing.")
        search.refresh(profile.pk)
    client.force_login(admin_user)
    found = []
    for number in (1, 2):
        response = client.get(reverse("profiles:list"), {"q": "firearms", "page": number})
        assert response.context["page"].paginator.count == 36
        found += [profile.title for profile in response.context["profiles"]]
    if connection.vendor == "postgresql":
        expected = [
            p.title
            for p in search.search(RoleProfile.objects.all(), "firearms").order_by(
                "-rank", "title", "pk"
            )
        ]
        assert found[:18] == sorted(t for t in found if t.startswith("Firearms"))
    else:
        expected = sorted(RoleProfile.objects.values_list("title", flat=True))
    assert found == expected


def test_the_lists_rows_link_to_each_profile_as_reverse_does(client, admin_user, force):
    profiles = [
        baker.make("profiles.RoleProfile", force=force, slug=f"row-{n}", title=f"Officer {n}")
        for n in range(3)
    ]
    client.force_login(admin_user)
    response = client.get(reverse("profiles:list"))
    for profile in profiles:
        url = reverse("profiles:detail", args=[force.slug, profile.slug])
        assert f'<a href="{url}">{profile.title}</a>' in response.text
    assert [row.pk for row in response.context["profiles"]] == [p.pk for p in profiles]


def test_the_search_vector_is_kept_in_the_row(force):
    profile = baker.make("profiles.RoleProfile", force=force, title="Custody Officer")
    search.refresh(profile.pk)
    if connection.vendor == "postgresql":
        # ts_rank reads every match's vector: out of line each one costs TOAST reads.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attstorage FROM pg_attribute"
                " WHERE attrelid = 'profiles_roleprofile'::regclass AND attname = 'search_vector'"
            )
            assert cursor.fetchone() == ("m",)
        assert RoleProfile.objects.filter(pk=profile.pk, search_vector="custody").exists()
    else:
        # SQLite has no vector: its search reads the text the same refresh stores.
        profile.refresh_from_db()
        assert (profile.search_vector, profile.search_text) == (None, "Custody Officer")
