"""profiles.access: each permission is decided once, and its two forms (the SQL filter and
the check on one row) agree for every role and status."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory
from model_bakery import baker

from profiles import access
from profiles.models import RoleProfile, Status
from profiles.services import lifecycle

pytestmark = pytest.mark.django_db


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.fixture
def users(hr_user, manager_user, other_hr_user, admin_user):
    return {
        "hr": hr_user,
        "manager": manager_user,
        "other force": other_hr_user,
        "admin": admin_user,
        "anonymous": AnonymousUser(),
    }


def test_can_read_agrees_with_the_readable_filter_for_every_role_and_status(force, users):
    for status in Status.values:
        baker.make(RoleProfile, force=force, slug=f"p-{status}", status=status)
    for name, user in users.items():
        filtered = set(access.readable(RoleProfile.objects.all(), user))
        checked = {
            profile for profile in RoleProfile.objects.all() if access.can_read(user, profile)
        }
        assert filtered == checked, name


def test_only_administrators_and_the_forces_hr_editors_may_edit(profile, users):
    may = {name for name, user in users.items() if access.can_edit(user, profile)}
    assert may == {"hr", "admin"}


def test_hr_editors_create_only_in_their_own_force(force, other_force, hr_user, admin_user):
    assert access.can_create(hr_user, force)
    assert not access.can_create(hr_user, other_force)
    assert access.can_create(admin_user, other_force)


def test_an_editor_is_given_the_working_draft_and_history_goes_to_the_published_row(
    weighted_profile, hr_user, manager_user
):
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()
    draft = lifecycle.start_working_draft(weighted_profile, hr_user)
    slug = weighted_profile.slug

    def get(user, purpose, row_slug=slug):
        return access.get_profile_for_user(request_of(user), "gwent", row_slug, purpose)

    assert get(hr_user, access.READ) == draft
    assert get(hr_user, access.EDIT) == draft
    assert get(hr_user, access.HISTORY, draft.slug) == weighted_profile
    assert get(manager_user, access.READ) == weighted_profile
    with pytest.raises(PermissionDenied):
        get(manager_user, access.EDIT)
    with pytest.raises(Http404):
        get(manager_user, access.READ, draft.slug)


def test_an_unknown_purpose_is_refused(profile, hr_user):
    with pytest.raises(ValueError):
        access.get_profile_for_user(request_of(hr_user), "gwent", profile.slug, "delete")


def test_the_review_link_shows_for_whoever_may_see_reviews(users):
    template = Template("{% load access %}{% if user|can_see_reviews %}yes{% endif %}")
    shown = {name for name, user in users.items() if template.render(Context({"user": user}))}
    assert shown == {"hr", "other force", "admin"}
