"""Guessing passwords: a user name, and an address, are locked out after a few failures."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-at-last"
LOCKED = "Too many failed log-ins"


@pytest.fixture
def admin_with_password(admin_user):
    admin_user.set_password(PASSWORD)
    admin_user.save()
    return admin_user


@pytest.fixture
def hr_with_password(hr_user):
    hr_user.set_password(PASSWORD)
    hr_user.save()
    return hr_user


def log_in(client, url, username, password, address="127.0.0.1"):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, follow=False
    )


@pytest.mark.parametrize("page", ["login", "admin:login"])
def test_the_right_password_after_too_many_wrong_ones_is_refused(client, admin_with_password, page):
    url = reverse(page)
    assert log_in(client, url, "admin", "wrong").status_code == 200
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, url, "admin", f"wrong-{attempt}")

    response = log_in(client, url, "admin", PASSWORD)

    assert response.status_code == 429
    page_text = response.content.decode()
    assert LOCKED in page_text
    assert "ask an administrator to unlock" in page_text
    assert SESSION_KEY not in client.session


def test_a_user_name_is_locked_out_whatever_address_the_guesses_come_from(client, hr_with_password):
    url = reverse("login")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, url, "hr-gwent", "wrong", address=f"10.0.0.{attempt + 1}")

    response = log_in(Client(), url, "hr-gwent", PASSWORD, address="10.0.1.1")

    assert response.status_code == 429


def test_an_address_is_locked_out_whatever_user_names_it_tries(client, hr_with_password):
    url = reverse("login")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, url, f"someone-{attempt}", "wrong", address="10.0.0.9")

    assert log_in(Client(), url, "hr-gwent", PASSWORD, address="10.0.0.9").status_code == 429
    assert log_in(Client(), url, "hr-gwent", PASSWORD, address="10.0.0.10").status_code == 302


def test_an_administrator_unlocks_a_locked_out_user(client, hr_with_password, admin_user):
    url = reverse("login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, url, "hr-gwent", "wrong", address="10.0.0.7")
    assert log_in(client, url, "hr-gwent", PASSWORD, address="10.0.0.8").status_code == 429

    administrator = Client()
    administrator.force_login(admin_user)
    attempts = AccessAttempt.objects.filter(username="hr-gwent")
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "hr-gwent" in administrator.get(changelist).content.decode()
    response = administrator.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [a.pk for a in attempts], "post": "yes"},
    )
    assert response.status_code == 302

    assert log_in(client, url, "hr-gwent", PASSWORD, address="10.0.0.8").status_code == 302


def test_a_successful_login_clears_earlier_failures(client, hr_with_password):
    url = reverse("login")
    for _round in range(2):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            log_in(client, url, "hr-gwent", "wrong")
        assert log_in(client, url, "hr-gwent", PASSWORD).status_code == 302
        client.logout()


@pytest.mark.parametrize(
    "path", ["/accounts/password_reset/", "/accounts/reset/done/", "/accounts/password_reset/done/"]
)
def test_there_is_no_password_reset_without_email(client, path):
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": "someone@example.org"}).status_code == 404
