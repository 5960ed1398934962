"""The list and read pages: what they show, to whom, and at what cost in queries."""

import pytest
from django.urls import reverse
from model_bakery import baker

from profiles import search
from profiles.models import Item, RoleProfile, Status

pytestmark = pytest.mark.django_db


def make_profiles(force, count, **fields):
    profiles = baker.make("profiles.RoleProfile", force=force, _quantity=count, **fields)
    for profile in profiles:
        search.refresh(profile.pk)
    return profiles


def titles(response):
    return [profile.title for profile in response.context["profiles"]]


def test_the_list_costs_the_same_queries_for_one_page_of_any_size(
    client, hr_user, force, competency_level, django_assert_num_queries
):
    client.force_login(hr_user)
    for count in (3, 40):
        make_profiles(force, count - RoleProfile.objects.count())
        # 1 session, 2 user with membership and force, 3 forces for the filter, 4 grade
        # codes, 5 vetting levels, 6 competencies, 7 count of matches, 8 primary keys of
        # the page, 9 its profiles with force, grade and vetting level.
        with django_assert_num_queries(9):
            response = client.get(reverse("profiles:list"), {"q": "", "sort": "force"})
        assert response.status_code == 200
        assert len(response.context["profiles"]) == min(count, 25)


def test_the_list_pages_through_profiles_in_title_order(client, hr_user, force):
    make_profiles(force, 30)
    client.force_login(hr_user)
    first = client.get(reverse("profiles:list"))
    second = client.get(reverse("profiles:list"), {"page": 2})
    everything = sorted(RoleProfile.objects.values_list("title", flat=True))
    assert titles(first) + titles(second) == everything
    assert "page 2 of 2" in second.content.decode()


def test_a_hiring_manager_lists_only_their_forces_published_profiles(
    client, manager_user, force, other_force
):
    make_profiles(force, 2, status=Status.PUBLISHED, title="Published here")
    make_profiles(force, 1, status=Status.DRAFT, title="Draft here")
    make_profiles(other_force, 1, status=Status.PUBLISHED, title="Published elsewhere")
    client.force_login(manager_user)
    response = client.get(reverse("profiles:list"))
    assert titles(response) == ["Published here", "Published here"]


def test_the_search_finds_words_in_items_and_criteria(client, hr_user, weighted_profile, force):
    make_profiles(force, 3, title="Call Handler")
    baker.make(
        "profiles.Criterion",
        profile=weighted_profile,
        order=1,
        text="Holds a full driving licence",
        category="qualifications",
        requirement="essential",
    )
    search.refresh(weighted_profile.pk)
    client.force_login(hr_user)
    for words in ("Responsibility 12", "driving licence", "support officer"):
        response = client.get(reverse("profiles:list"), {"q": words})
        assert titles(response) == ["Community Support Officer"], words
    assert titles(client.get(reverse("profiles:list"), {"q": "helicopter"})) == []


def test_the_filters_narrow_the_list(client, admin_user, weighted_profile, competency_level):
    baker.make("profiles.Behaviour", profile=weighted_profile, level=competency_level, order=1)
    other = make_profiles(weighted_profile.force, 1, title="Analyst")[0]
    client.force_login(admin_user)
    url = reverse("profiles:list")
    filters = [
        {"grade": "Scale 4"},
        {"vetting": weighted_profile.vetting_level_id},
        {"competency": competency_level.competency_id},
        {"status": "draft", "force": "gwent", "grade": "Scale 4"},
    ]
    for params in filters:
        assert titles(client.get(url, params)) == ["Community Support Officer"], params
    assert sorted(titles(client.get(url, {"force": "gwent"}))) == [
        other.title,
        "Community Support Officer",
    ]
    assert titles(client.get(url, {"status": "published"})) == []


def test_the_list_ignores_filter_values_that_name_nothing(client, hr_user, weighted_profile):
    client.force_login(hr_user)
    response = client.get(
        reverse("profiles:list"),
        {"grade": "x", "vetting": "99999", "sort": "nonsense", "page": "z"},
    )
    assert titles(response) == ["Community Support Officer"]


def test_the_list_escapes_what_users_typed(client, hr_user, force):
    make_profiles(force, 1, title="<script>alert(1)</script>")
    client.force_login(hr_user)
    html = client.get(reverse("profiles:list"), {"q": "<b>x"}).content.decode()
    assert "<b>x" not in html
    html = client.get(reverse("profiles:list")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_read_page_shows_the_whole_profile(client, manager_user, full_profile):
    full_profile.vetting_level.description = "For staff with no access to secret material."
    full_profile.vetting_level.save()
    full_profile.status = Status.PUBLISHED
    full_profile.save()
    client.force_login(manager_user)
    response = client.get(full_profile.get_absolute_url())
    html = response.content.decode()
    for text in (
        "Community Support Officer",
        "Principal responsibilities",
        "Responsibility 13",
        "(30%)",
        "Be cost effective.",
        "Good written communication.",
        "[EE1]",
        "We take ownership",
        "I take ownership.",
        "Recruitment Vetting (RV)",
        "For staff with no access to secret material.",
        "Welsh",
        reverse("profiles:pdf", args=["gwent", full_profile.slug]),
    ):
        assert text in html, text
    assert reverse("profiles:edit", args=["gwent", full_profile.slug]) not in html


def test_the_read_page_offers_an_edit_button_to_the_forces_hr_editor(client, hr_user, full_profile):
    client.force_login(hr_user)
    html = client.get(full_profile.get_absolute_url()).content.decode()
    assert reverse("profiles:edit", args=["gwent", full_profile.slug]) in html


def test_the_read_page_costs_the_same_queries_whatever_the_profiles_size(
    client, hr_user, full_profile, django_assert_num_queries
):
    client.force_login(hr_user)
    section = full_profile.sections.get(order=2)
    for size in ("as made", "with 30 more items"):
        # 1 session, 2 user with membership and force, 3 the profile as the user may
        # see it, 4 the profile for rendering, 5 post details, 6 sections, 7 items,
        # 8 criteria, 9 their methods, 10 behaviours with level and competency, 11 their
        # methods, 12 indicators, 13 skills, 14 NOS units, 15 the force's standard
        # sections, 16 the framework's values, 17 the HR editors who may approve the draft.
        with django_assert_num_queries(17):
            response = client.get(full_profile.get_absolute_url())
        assert response.status_code == 200, size
        if size == "as made":
            Item.objects.bulk_create(
                Item(section=section, order=n, text=f"Task {n}") for n in range(2, 32)
            )


def test_pages_sorted_by_force_follow_force_name_title_and_id_across_forces(
    client, admin_user, django_assert_num_queries
):
    # Forces made out of name order, two of one name (their rows interleave by title), and
    # pages that start, end and span inside and across forces.
    forces = [
        baker.make("profiles.Force", slug=slug, name=name)
        for slug, name in (
            ("zeta", "Zeta Police"),
            ("alpha", "Alpha Constabulary"),
            ("twin-b", "Twin Police"),
            ("twin-a", "Twin Police"),
            ("mid", "Mid Police"),
        )
    ]
    for n, force in enumerate(forces):  # 12, 16, 20, 24 and 28 profiles: four pages
        for title in ["Analyst", "Call Handler", "Driver", "Analyst", "Zebra Officer"]:
            make_profiles(force, 1, title=title)
        for number in range(7 + n * 4):
            make_profiles(force, 1, title=f"Officer {number:02d}")
    baker.make(
        "profiles.RoleProfile",
        force=forces[0],
        title="A working draft",
        draft_of=(RoleProfile.objects.filter(force=forces[0]).first()),
    )
    expected = list(
        RoleProfile.objects.filter(draft_of__isnull=True)
        .order_by("force__name", "title", "pk")
        .values_list("pk", flat=True)
    )
    client.force_login(admin_user)
    found, page = [], 1
    while True:
        with django_assert_num_queries(9):
            response = client.get(reverse("profiles:list"), {"sort": "force", "page": page})
        found += [profile.pk for profile in response.context["profiles"]]
        if not response.context["page"].has_next():
            break
        page += 1
    assert page == 4 and found == expected
    # With a filter and a search the order holds and the count is the matches'.
    response = client.get(
        reverse("profiles:list"), {"sort": "force", "q": "analyst", "status": "draft"}
    )
    matches = RoleProfile.objects.filter(draft_of__isnull=True, title="Analyst", status="draft")
    assert [p.pk for p in response.context["profiles"]] == list(
        matches.order_by("force__name", "title", "pk").values_list("pk", flat=True)
    )
    assert response.context["page"].paginator.count == matches.count() > 0
    # Past the last page: the last page, as for every sort.
    response = client.get(reverse("profiles:list"), {"sort": "force", "page": 99})
    assert [p.pk for p in response.context["profiles"]] == expected[75:]


def test_a_competency_filter_with_a_search_finds_only_profiles_with_both(
    client, admin_user, force, competency_level
):
    other_level = baker.make(
        "competencies.CompetencyLevel", competency=competency_level.competency, number=2
    )
    unrelated = baker.make("competencies.CompetencyLevel", number=1)
    wanted = []
    for n, (title, level) in enumerate(
        [
            ("Fraud Investigator", competency_level),  # both
            ("Fraud Analyst", other_level),  # both, another level of the competency
            ("Fraud Officer", unrelated),  # the search only
            ("Custody Officer", competency_level),  # the competency only
            ("Fraud Clerk", None),  # the search only, no behaviours
        ]
    ):
        profile = baker.make("profiles.RoleProfile", force=force, title=title)
        if level is not None:
            baker.make("profiles.Behaviour", profile=profile, level=level, order=1)
            # A second behaviour at the same competency must not list the profile twice.
            baker.make("profiles.Behaviour", profile=profile, level=level, order=2)
        search.refresh(profile.pk)
        if n < 2:
            wanted.append(title)
    client.force_login(admin_user)
    response = client.get(
        reverse("profiles:list"),
        {"q": "fraud", "competency": competency_level.competency_id, "sort": "title"},
    )
    assert titles(response) == sorted(wanted)
    assert response.context["page"].paginator.count == 2


def test_a_search_costs_the_same_queries_for_one_page_of_any_size(
    client, hr_user, force, competency_level, django_assert_num_queries
):
    client.force_login(hr_user)
    for count in (3, 40):
        make_profiles(force, count - RoleProfile.objects.count(), title="Call Handler")
        # 1 session, 2 user with membership and force, 3 forces for the filter, 4 grade
        # codes, 5 vetting levels, 6 competencies, 7 primary keys of the page with the
        # count of matches, 8 its profiles with force, grade and vetting level.
        with django_assert_num_queries(8):
            response = client.get(reverse("profiles:list"), {"q": "handler"})
        assert response.status_code == 200
        assert len(response.context["profiles"]) == min(count, 25)
        assert response.context["page"].paginator.count == count


def test_a_search_pages_through_its_matches_with_their_count(client, hr_user, force):
    make_profiles(force, 30, title="Call Handler")
    make_profiles(force, 4, title="Analyst")
    client.force_login(hr_user)
    url = reverse("profiles:list")
    expected = list(
        RoleProfile.objects.filter(title="Call Handler")
        .order_by("title", "pk")
        .values_list("pk", flat=True)
    )

    def page(number, sort="title"):
        response = client.get(url, {"q": "handler", "sort": sort, "page": number})
        assert response.context["page"].paginator.count == 30
        return response.context["page"].number, [p.pk for p in response.context["profiles"]]

    assert page(1) == (1, expected[:25])
    assert page(2) == (2, expected[25:])
    # Past the end, not a number, below 1: the pages Paginator gives for them.
    assert page(7) == (2, expected[25:])
    assert page("x") == (1, expected[:25])
    assert page(0) == (2, expected[25:])
    # By relevance (every match ranks alike here, then by title and pk) the same rows.
    assert sorted(page(1, "relevance")[1] + page(2, "relevance")[1]) == sorted(expected)
    response = client.get(url, {"q": "helicopter"})
    assert response.context["page"].paginator.count == 0
    assert titles(response) == []
