"""The authentication backend: the signed-in user comes with their membership and force."""

import pytest
from django.contrib.auth import SESSION_KEY, get_user
from django.urls import reverse

from profiles.backends import MembershipBackend

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_membership_and_force_in_one_query(
    hr_user, force, django_assert_num_queries
):
    with django_assert_num_queries(1):
        user = MembershipBackend().get_user(hr_user.pk)
        assert user.membership.force.name == force.name


def test_a_user_without_a_membership_is_still_loaded(django_user_model):
    user = django_user_model.objects.create_user("nobody")
    loaded = MembershipBackend().get_user(user.pk)
    assert loaded == user
    assert getattr(loaded, "membership", None) is None


def test_a_deactivated_or_deleted_user_is_signed_out(client, hr_user, weighted_profile):
    client.force_login(hr_user)
    assert client.get(weighted_profile.get_absolute_url()).status_code == 200
    hr_user.is_active = False
    hr_user.save()
    response = client.get(weighted_profile.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert MembershipBackend().get_user(hr_user.pk) is None
    assert MembershipBackend().get_user(hr_user.pk + 1000) is None


def test_a_login_through_the_login_page_uses_the_backend(client, hr_user):
    hr_user.set_password("a-long-test-password")
    hr_user.save()
    response = client.post(
        reverse("login"), {"username": hr_user.username, "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == hr_user.pk
    request = type("Request", (), {"session": client.session})()
    assert get_user(request) == hr_user
