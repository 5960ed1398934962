"""The authentication backend: the signed-in user comes with their membership and force;
the session behind it is read from the database on every request."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY, get_user
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.sessions import SessionStore
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


def test_the_user_is_loaded_as_the_orm_loads_it(hr_user, django_user_model):
    loaded = MembershipBackend().get_user(hr_user.pk)
    expected = django_user_model.objects.select_related("membership__force").get(pk=hr_user.pk)
    assert vars(loaded).keys() == vars(expected).keys()
    assert (loaded.username, loaded.password, loaded.is_active) == (
        expected.username,
        expected.password,
        expected.is_active,
    )
    assert loaded.membership.role == expected.membership.role
    assert loaded.membership.force.slug == expected.membership.force.slug


# Sessions (accounts.sessions): read from the database on every request.


def test_sessions_are_kept_in_the_database(settings):
    assert settings.SESSION_ENGINE == "accounts.sessions"


def delete_the_session(client, user):
    # As a sign-out answered by another worker does.
    Session.objects.filter(session_key=client.session.session_key).delete()


def expire_the_session(client, user):
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )


def change_the_password(client, user):
    user.set_password("a-new-long-password")
    user.save()


@pytest.mark.parametrize("end", [delete_the_session, expire_the_session, change_the_password])
def test_a_session_ended_elsewhere_signs_the_user_out_at_once(
    client, hr_user, weighted_profile, end
):
    client.force_login(hr_user)
    assert client.get(weighted_profile.get_absolute_url()).status_code == 200
    end(client, hr_user)

    response = client.get(weighted_profile.get_absolute_url())

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_session_is_read_in_one_query(client, hr_user, django_assert_num_queries):
    client.force_login(hr_user)
    store = SessionStore(client.session.session_key)

    with django_assert_num_queries(1):
        assert int(store[SESSION_KEY]) == hr_user.pk
    assert SessionStore("no-such-session-key").load() == {}
