"""The approver role (given by an identity-provider group): reads what a hiring manager reads
and the force's profiles in review, approves or returns those, and changes nothing else."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from profiles import access
from profiles.models import AuditAction, AuditEntry, Role, RoleProfile, Status
from profiles.services import lifecycle
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(force):
    user = make_member(force, Role.APPROVER, "approver-gwent")
    user.first_name, user.last_name = "Awen", "Price"
    user.save()
    return user


@pytest.fixture
def other_approver(other_force):
    return make_member(other_force, Role.APPROVER, "approver-lancashire")


@pytest.fixture
def submitted(weighted_profile, hr_user):
    return lifecycle.submit(weighted_profile, hr_user)


@pytest.fixture
def published(submitted, approver):
    return lifecycle.approve(submitted, approver)


def url(name, profile):
    return reverse(f"profiles:{name}", args=[profile.force.slug, profile.slug])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_approver_approves_a_submitted_profile_in_the_browser(client, submitted, approver):
    client.force_login(approver)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert url("approve", submitted) in page and url("return", submitted) in page
    assert url("history", submitted) not in page and url("edit", submitted) not in page

    response = client.post(url("approve", submitted))

    assert response.url == submitted.get_absolute_url()
    assert messages_of(response) == ["“Community Support Officer” is published as version 1."]
    submitted.refresh_from_db()
    assert submitted.status == Status.PUBLISHED
    assert submitted.approved_by == "Awen Price, Approver"
    entry = AuditEntry.objects.filter(action=AuditAction.PUBLISH).get()
    assert entry.user == approver


def test_an_approver_returns_a_profile_with_a_reason(client, submitted, approver):
    client.force_login(approver)

    response = client.post(url("return", submitted), {"comment": "Weightings look wrong."})

    assert messages_of(response) == ["“Community Support Officer” is back in draft."]
    submitted.refresh_from_db()
    assert submitted.status == Status.DRAFT
    entry = AuditEntry.objects.filter(action=AuditAction.RETURN).get()
    assert (entry.user, entry.comment) == (approver, "Weightings look wrong.")


def test_an_approver_changes_nothing(client, published, approver):
    client.force_login(approver)
    for name in ("edit", "history", "compare"):
        assert client.get(url(name, published)).status_code == 403, name
    for name in ("submit", "archive", "discard", "start_draft"):
        assert client.post(url(name, published)).status_code == 403, name
    assert client.get(reverse("profiles:new")).status_code == 403
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED
    assert not RoleProfile.objects.filter(draft_of=published).exists()


def test_an_approver_reads_published_and_in_review_but_not_drafts(
    client, weighted_profile, hr_user, approver
):
    client.force_login(approver)
    assert client.get(weighted_profile.get_absolute_url()).status_code == 404
    assert client.post(url("approve", weighted_profile)).status_code == 404
    lifecycle.submit(weighted_profile, hr_user)
    assert client.get(weighted_profile.get_absolute_url()).status_code == 200
    assert client.get(url("pdf", weighted_profile)).status_code == 200
    # The list offers what they read: published and in review.
    page = client.get(reverse("profiles:list"), {"status": "in_review"}).content.decode()
    assert weighted_profile.title in page
    assert '<option value="in_review" selected>In review</option>' in page
    assert '<option value="draft"' not in page


def test_an_approver_reviews_a_working_draft_from_the_published_page(
    client, published, hr_user, approver
):
    draft = lifecycle.start_working_draft(published, hr_user)
    RoleProfile.objects.filter(pk=draft.pk).update(purpose="The new purpose.")
    client.force_login(approver)
    # Not yet submitted: the published page shows the published version, no link.
    page = client.get(published.get_absolute_url()).content.decode()
    assert 'id="draft-in-review"' not in page
    listed = client.get(reverse("profiles:list"), {"status": "in_review"}).content.decode()
    assert published.get_absolute_url() not in listed
    assert client.post(url("approve", published)).status_code == 302
    published.refresh_from_db()
    assert published.version == 1
    lifecycle.submit(RoleProfile.objects.get(pk=draft.pk), hr_user)

    # The list's "In review" finds it, by its published profile.
    listed = client.get(reverse("profiles:list"), {"status": "in_review"}).content.decode()
    assert published.get_absolute_url() in listed
    page = client.get(published.get_absolute_url()).content.decode()
    assert "The new purpose." not in page
    assert f'<a href="{draft.get_absolute_url()}">read and review it</a>' in page
    assert "The new purpose." in client.get(draft.get_absolute_url()).content.decode()
    response = client.post(url("approve", published))

    assert messages_of(response) == ["“Community Support Officer” is published as version 2."]
    published.refresh_from_db()
    assert (published.version, published.purpose) == (2, "The new purpose.")
    assert not RoleProfile.objects.filter(pk=draft.pk).exists()


def test_an_approver_who_was_its_author_may_not_approve_it(client, weighted_profile, hr_user):
    """A user moved from the HR group to the approvers keeps the four-eyes rule."""
    lifecycle.submit(weighted_profile, hr_user)
    hr_user.membership.role = Role.APPROVER
    hr_user.membership.save()
    client.force_login(hr_user)

    response = client.post(url("approve", weighted_profile))

    assert response.status_code == 403
    assert (
        url("approve", weighted_profile)
        not in client.get(url("detail", weighted_profile)).content.decode()
    )
    weighted_profile.refresh_from_db()
    assert weighted_profile.status == Status.IN_REVIEW


def test_an_approver_of_another_force_gets_not_found(client, submitted, other_approver):
    client.force_login(other_approver)
    assert client.get(submitted.get_absolute_url()).status_code == 404
    for name in ("approve", "return"):
        assert client.post(url(name, submitted), {"comment": "No."}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Status.IN_REVIEW


def test_a_hiring_manager_neither_reads_nor_approves_a_profile_in_review(
    client, submitted, manager_user
):
    client.force_login(manager_user)
    assert client.get(submitted.get_absolute_url()).status_code == 404
    assert client.post(url("approve", submitted)).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Status.IN_REVIEW


def test_anonymous_users_are_sent_to_log_in(client, submitted):
    response = client.post(url("approve", submitted))
    assert response.url.startswith(reverse("login"))
    submitted.refresh_from_db()
    assert submitted.status == Status.IN_REVIEW


def test_the_draft_names_the_approver_among_who_can_approve(
    client, weighted_profile, hr_user, approver
):
    lifecycle.submit(weighted_profile, hr_user)
    assert access.approvers(weighted_profile) == [approver]
    client.force_login(hr_user)
    page = client.get(weighted_profile.get_absolute_url()).content.decode()
    assert (
        "Who can approve: Awen Price (an HR editor or approver of Gwent Police other than its "
        "author), or an administrator."
    ) in page


def test_the_approvers_read_page_costs_a_fixed_number_of_queries(
    client, published, hr_user, approver, django_assert_num_queries
):
    lifecycle.submit(lifecycle.start_working_draft(published, hr_user), hr_user)
    client.force_login(approver)
    # 1 session, 2 user with membership and force, 3 the profile as the user may see it,
    # 4 the profile for rendering, 5 post details, 6 sections, 7 items, 8 criteria,
    # 9 behaviours, 10 skills, 11 NOS units, 12 the force's standard sections, 13 the
    # framework's values, 14 its working draft (in review: linked).
    with django_assert_num_queries(14):
        response = client.get(published.get_absolute_url())
    assert 'id="draft-in-review"' in response.content.decode()
