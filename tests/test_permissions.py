"""Who reaches what: every view, every method, for the owner HR editor, a hiring
manager of the same force, an HR editor of another force and an anonymous visitor."""

import pytest
from django.urls import reverse

from profiles.editor.new_profile import NewProfileEditor, unsaved_profile
from profiles.models import RoleProfile, Status
from tests.conftest import editor_data, form_data

pytestmark = pytest.mark.django_db

OWNER, MANAGER, OTHER, ANONYMOUS = "owner", "manager", "other", "anonymous"
LOGIN = "login"

# (view, method, profile status or None, {who: expected status code or LOGIN})
MATRIX = [
    ("list", "get", None, {OWNER: 200, MANAGER: 200, OTHER: 200, ANONYMOUS: LOGIN}),
    ("list", "post", None, {OWNER: 405, MANAGER: 405, OTHER: 405, ANONYMOUS: LOGIN}),
    ("new", "get", None, {OWNER: 200, MANAGER: 403, OTHER: 200, ANONYMOUS: LOGIN}),
    ("new", "post", None, {OWNER: 302, MANAGER: 403, OTHER: 302, ANONYMOUS: LOGIN}),
    ("detail", "get", Status.DRAFT, {OWNER: 200, MANAGER: 404, OTHER: 404, ANONYMOUS: LOGIN}),
    ("detail", "get", Status.PUBLISHED, {OWNER: 200, MANAGER: 200, OTHER: 404, ANONYMOUS: LOGIN}),
    ("detail", "post", Status.PUBLISHED, {OWNER: 405, MANAGER: 405, OTHER: 405, ANONYMOUS: LOGIN}),
    ("edit", "get", Status.DRAFT, {OWNER: 200, MANAGER: 404, OTHER: 404, ANONYMOUS: LOGIN}),
    ("edit", "get", Status.PUBLISHED, {OWNER: 200, MANAGER: 403, OTHER: 404, ANONYMOUS: LOGIN}),
    ("edit", "post", Status.DRAFT, {OWNER: 302, MANAGER: 404, OTHER: 404, ANONYMOUS: LOGIN}),
    ("edit", "post", Status.PUBLISHED, {OWNER: 302, MANAGER: 403, OTHER: 404, ANONYMOUS: LOGIN}),
    (
        "start_draft",
        "post",
        Status.PUBLISHED,
        {OWNER: 302, MANAGER: 403, OTHER: 404, ANONYMOUS: LOGIN},
    ),
    (
        "start_draft",
        "get",
        Status.PUBLISHED,
        {OWNER: 405, MANAGER: 405, OTHER: 405, ANONYMOUS: LOGIN},
    ),
    ("editor_row", "get", Status.DRAFT, {OWNER: 200, MANAGER: 404, OTHER: 404, ANONYMOUS: LOGIN}),
    (
        "editor_row",
        "get",
        Status.PUBLISHED,
        {OWNER: 200, MANAGER: 403, OTHER: 404, ANONYMOUS: LOGIN},
    ),
    (
        "editor_row",
        "post",
        Status.PUBLISHED,
        {OWNER: 405, MANAGER: 405, OTHER: 405, ANONYMOUS: LOGIN},
    ),
]

CASES = [
    pytest.param(view, method, status, who, expected, id=f"{view}-{method}-{status}-{who}")
    for view, method, status, expectations in MATRIX
    for who, expected in expectations.items()
]


@pytest.fixture
def users(hr_user, manager_user, other_hr_user):
    return {OWNER: hr_user, MANAGER: manager_user, OTHER: other_hr_user, ANONYMOUS: None}


def request_for(view, method, profile):
    """The URL and POST data of one cell of the matrix."""
    if view == "list":
        return reverse("profiles:list"), {}
    if view == "new":
        # The blank editor of a new profile, as the page renders it, with a title typed in.
        editor = NewProfileEditor(unsaved_profile(profile.force))
        data = form_data(editor.form, *editor.formsets.values(), *editor.item_formsets.values())
        data["profile-title"] = "Custody Detention Officer"
        return reverse("profiles:new"), data
    args = [profile.force.slug, profile.slug]
    if view == "editor_row":
        return reverse("profiles:editor_row", args=args) + "?part=details&index=3", {}
    data = editor_data(profile) if method == "post" and view == "edit" else {}
    if data:
        data["profile-title"] = "Changed title"
    return reverse(f"profiles:{view}", args=args), data


@pytest.mark.parametrize(("view", "method", "status", "who", "expected"), CASES)
def test_each_user_reaches_only_what_their_force_and_role_allow(
    client, users, weighted_profile, view, method, status, who, expected
):
    if status:
        weighted_profile.status = status
        weighted_profile.save()
    if users[who]:
        client.force_login(users[who])
    url, data = request_for(view, method, weighted_profile)
    # editor_data may have started the working draft the editor posts to: count after it.
    profiles_before = RoleProfile.objects.count()
    response = getattr(client, method)(url, data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected
    changed = RoleProfile.objects.filter(title="Changed title").exists()
    assert changed == (view == "edit" and method == "post" and expected == 302)
    added = RoleProfile.objects.count() - profiles_before
    assert added == (view in ("new", "start_draft") and expected == 302)


def test_staff_may_edit_any_forces_profile(client, admin_user, weighted_profile):
    client.force_login(admin_user)
    url = reverse("profiles:edit", args=["gwent", weighted_profile.slug])
    assert client.get(url).status_code == 200


def test_a_user_without_a_membership_sees_no_profile(client, django_user_model, weighted_profile):
    user = django_user_model.objects.create_user("nobody")
    client.force_login(user)
    assert client.get(weighted_profile.get_absolute_url()).status_code == 404
    assert client.get(reverse("profiles:new")).status_code == 403


def test_the_login_page_is_open_to_anonymous_visitors(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Log in" in response.content
