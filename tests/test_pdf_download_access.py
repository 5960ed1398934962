"""A PDF download's own lookup (access.profile_for_download) decides as every other page does."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from model_bakery import baker

from profiles import access
from profiles.models import Role, Status
from profiles.printing import pdf
from profiles.services import lifecycle
from tests.conftest import make_member


@pytest.fixture(autouse=True)
def cache_dir(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path
    return tmp_path


def url(profile):
    return reverse("profiles:pdf", args=[profile.force.slug, profile.slug])


def general_lookup(user, profile):
    """The row get_profile_for_user gives this user for READ, or None for a 404."""
    request = RequestFactory().get(url(profile))
    request.user = user
    try:
        return access.get_profile_for_user(request, profile.force.slug, profile.slug)
    except Http404:
        return None


@pytest.fixture
def people(force, other_force, admin_user):
    national = baker.make("profiles.Force", slug="college", name="College", national=True)
    return national, {
        "admin": admin_user,
        "hr": make_member(force, Role.HR_EDITOR, "hr"),
        "manager": make_member(force, Role.HIRING_MANAGER, "manager"),
        "vetting": make_member(force, Role.VETTING_UNIT, "vetting"),
        "approver": make_member(force, Role.APPROVER, "approver"),
        "other hr": make_member(other_force, Role.HR_EDITOR, "other-hr"),
        "other manager": make_member(other_force, Role.HIRING_MANAGER, "other-manager"),
        "no force": baker.make("auth.User", username="nobody"),
    }


def test_every_user_downloads_exactly_the_row_the_general_lookup_gives_them(client, force, people):
    national, users = people
    profiles = [
        baker.make(
            "profiles.RoleProfile", force=owner, title=f"{status} {owner.slug}", status=status
        )
        for owner in (force, national)
        for status in Status.values
    ]
    with_draft = baker.make(
        "profiles.RoleProfile", force=force, title="Has a draft", status=Status.PUBLISHED
    )
    draft = lifecycle.start_working_draft(with_draft, users["hr"])
    seen = set()
    for name, user in users.items():
        client.force_login(user)
        for profile in [*profiles, with_draft]:
            expected = general_lookup(user, profile)
            response = client.get(url(profile))
            case = (name, profile.title)
            if expected is None:
                assert response.status_code == 404, case
                continue
            assert response.status_code == 200, case
            assert response["ETag"] == f'"{pdf.current_key(expected)}"', case
            seen.add((name, expected.pk == draft.pk))
    # The rules were exercised: HR editors are shown the working draft, the others not.
    assert ("hr", True) in seen and ("admin", True) in seen and ("manager", False) in seen
