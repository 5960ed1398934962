"""Review dates: set on publishing, and the dashboard of profiles overdue or due soon."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from model_bakery import baker

from profiles.models import Role, RoleProfile, Status
from tests.conftest import make_member

TODAY = date(2026, 11, 24)


def make_profile(force, slug, review_due, status=Status.PUBLISHED, **fields):
    return baker.make(
        "profiles.RoleProfile",
        force=force,
        slug=slug,
        title=slug.replace("-", " ").capitalize(),
        status=status,
        review_due=review_due,
        **fields,
    )


@pytest.fixture
def reviews(force, other_force):
    """One profile in each review state, plus look-alikes that must not be listed."""
    today = timezone.localdate()
    return {
        "overdue": make_profile(force, "overdue", today - timedelta(days=1)),
        "due-today": make_profile(force, "due-today", today),
        "due-soon": make_profile(force, "due-soon", today + timedelta(days=90)),
        "later": make_profile(force, "later", today + timedelta(days=91)),
        "no-date": make_profile(force, "no-date", None),
        "draft-overdue": make_profile(
            force, "draft-overdue", today - timedelta(days=5), status=Status.DRAFT
        ),
        "archived": make_profile(
            force, "archived", today - timedelta(days=5), status=Status.ARCHIVED
        ),
        "other-force": make_profile(other_force, "other-force", today - timedelta(days=5)),
    }


def slugs(queryset):
    return sorted(queryset.values_list("slug", flat=True))


def test_overdue_lists_published_profiles_whose_review_date_has_passed(reviews):
    assert slugs(RoleProfile.objects.overdue()) == ["other-force", "overdue"]


def test_due_within_counts_today_and_the_last_day(reviews):
    assert slugs(RoleProfile.objects.due_within(90)) == ["due-soon", "due-today"]


def test_a_fixed_today_can_be_given(force):
    make_profile(force, "a", TODAY)
    assert slugs(RoleProfile.objects.overdue(today=TODAY + timedelta(days=1))) == ["a"]
    assert slugs(RoleProfile.objects.due_within(10, today=TODAY - timedelta(days=10))) == ["a"]
    assert slugs(RoleProfile.objects.due_within(10, today=TODAY - timedelta(days=11))) == []


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("overdue", ["other-force", "overdue"]),
        ("due", ["due-soon", "due-today"]),
        (
            "",
            sorted(
                ["overdue", "due-today", "due-soon", "later", "no-date", "draft-overdue"]
                + ["archived", "other-force"]
            ),
        ),
    ],
)
def test_the_review_filter_of_the_list(reviews, state, expected):
    assert slugs(RoleProfile.objects.review_state(state)) == expected


def dashboard(client, user, **params):
    client.force_login(user)
    return client.get(reverse("profiles:review"), params)


def test_the_dashboard_shows_the_hr_editors_force(
    client, reviews, hr_user, django_assert_num_queries
):
    client.force_login(hr_user)
    # session, user with membership and force, overdue profiles, profiles due soon,
    # derived profiles whose national profile has a newer version (a table of its own)
    with django_assert_num_queries(5):
        response = client.get(reverse("profiles:review"))
    assert [p.slug for p in response.context["overdue"]] == ["overdue"]
    assert [p.slug for p in response.context["due"]] == ["due-today", "due-soon"]
    page = response.content.decode()
    assert "Profiles due for review: Gwent Police" in page
    assert "Other force" not in page


def test_the_dashboard_costs_the_same_with_more_profiles(
    client, reviews, force, hr_user, django_assert_num_queries
):
    for number in range(10):
        make_profile(
            force,
            f"extra-{number}",
            timezone.localdate(),
            grade=baker.make("profiles.Grade", force=force, code=f"G{number}"),
        )
    client.force_login(hr_user)
    # as above: the same five whatever the number of profiles
    with django_assert_num_queries(5):
        client.get(reverse("profiles:review"))


def test_administrators_choose_the_force(client, reviews, admin_user):
    response = dashboard(client, admin_user)
    assert "overdue" not in response.context
    assert 'option value="lancashire"' in response.content.decode()
    response = dashboard(client, admin_user, force="lancashire")
    assert [p.slug for p in response.context["overdue"]] == ["other-force"]
    assert dashboard(client, admin_user, force="nowhere").status_code == 404


def test_hiring_managers_and_people_without_a_force_may_not_see_it(client, reviews, manager_user):
    assert dashboard(client, manager_user).status_code == 403
    assert dashboard(client, baker.make("auth.User")).status_code == 403


def test_the_dashboard_asks_anonymous_users_to_log_in(client):
    response = client.get(reverse("profiles:review"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_another_forces_hr_editor_sees_only_their_own(client, reviews, other_force):
    user = make_member(other_force, Role.HR_EDITOR, "hr-lancashire")
    response = dashboard(client, user)
    assert [p.slug for p in response.context["overdue"]] == ["other-force"]
    assert list(response.context["due"]) == []
