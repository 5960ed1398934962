"""Passwords here: LOCAL_LOGIN decides who may use one, administrators add a code from an
authenticator app (or a recovery code), and an idle session ends."""

import re
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import IdentityGroup, SignInAction, SignInEvent
from accounts.signals import LAST_SEEN
from profiles.models import Role
from tests.test_settings import PRODUCTION, run_python

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


@pytest.fixture
def with_passwords(hr_user, admin_user):
    for user in (hr_user, admin_user):
        user.set_password(PASSWORD)
        user.save()


def log_in(client, username, page="login"):
    return client.post(reverse(page), {"username": username, "password": PASSWORD}, follow=True)


def test_with_local_login_staff_a_non_staff_password_is_refused(client, settings, with_passwords):
    settings.LOCAL_LOGIN = "staff"

    response = log_in(client, "hr-gwent")

    assert SESSION_KEY not in client.session
    assert "Only administrators sign in with a password here." in response.content.decode()
    event = SignInEvent.objects.get(action=SignInAction.FAILED)
    assert (event.username, event.method) == ("hr-gwent", "password")
    assert "LOCAL_LOGIN" in event.detail
    log_in(client, "admin")
    assert SESSION_KEY in client.session


def test_with_local_login_false_nobody_uses_a_password(client, settings, with_passwords):
    settings.LOCAL_LOGIN = "false"

    assert 'name="password"' not in client.get(reverse("login")).content.decode()
    for username, page in (("hr-gwent", "login"), ("admin", "login"), ("admin", "admin:login")):
        log_in(client, username, page)
        assert SESSION_KEY not in client.session


def test_with_local_login_true_everyone_may(client, settings, with_passwords):
    settings.LOCAL_LOGIN = "true"
    response = log_in(client, "hr-gwent")
    assert response.redirect_chain[-1][0] == reverse("profiles:list")
    event = SignInEvent.objects.get(action=SignInAction.SIGN_IN)
    assert (event.username, event.method, event.address) == ("hr-gwent", "password", "127.0.0.1")


def test_an_administrator_with_a_password_sets_up_a_second_factor(client, settings, with_passwords):
    # django-otp makes a second try wait a second after a wrong code; not this test.
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    response = log_in(client, "admin")
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_setup"))
    # Nothing else opens before the code.
    assert client.get("/admin/").url.startswith(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user__username="admin", confirmed=False)

    page = client.post(
        reverse("accounts:two_factor_setup"), {"code": "000000", "next": "/admin/"}
    ).content.decode()
    assert "That code is not right" in page
    page = client.post(
        reverse("accounts:two_factor_setup"),
        {"code": f"{totp(device.bin_key):06d}", "next": "/admin/"},
    ).content.decode()

    assert "Your recovery codes" in page
    codes = re.findall(r"<li>(\w+)</li>", page.split('id="recovery-codes">', 1)[1])
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200

    # Next time: a recovery code, once.
    client.post(reverse("logout"))
    log_in(client, "admin")
    assert client.get("/admin/").status_code == 302
    response = client.post(reverse("accounts:two_factor"), {"code": codes[0], "next": "/admin/"})
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    client.post(reverse("logout"))
    log_in(client, "admin")
    page = client.post(reverse("accounts:two_factor"), {"code": codes[0]}).content.decode()
    assert "That code is not right (or was used already)" in page
    assert client.get("/admin/").status_code == 302


def test_a_non_staff_password_or_a_test_login_needs_no_code(client, with_passwords, admin_user):
    log_in(client, "hr-gwent")
    assert client.get(reverse("profiles:list")).status_code == 200
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_an_idle_session_ends(client, settings, hr_user):
    settings.SESSION_IDLE_MINUTES = 60
    client.force_login(hr_user)
    assert client.get(reverse("profiles:list")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 61 * 60
    session.save()

    response = client.get(reverse("profiles:list"), follow=True)

    assert response.redirect_chain[0][0] == f"{reverse('login')}?next=%2Fprofiles%2F"
    assert "signed out after 60 minutes without activity" in response.content.decode()
    assert SESSION_KEY not in client.session
    event = SignInEvent.objects.get(action=SignInAction.SIGN_OUT)
    assert (event.user, event.detail) == (hr_user, "idle for over 60 minutes")


def test_an_active_session_stays(client, hr_user):
    client.force_login(hr_user)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 59 * 60
    session.save()
    assert client.get(reverse("profiles:list")).status_code == 200
    assert client.session[LAST_SEEN] > time.time() - 10


def test_map_identity_group_maps_changes_and_removes(force, capsys):
    call_command("map_identity_group", "--force", "gwent", "--role", "hr_editor", "g-1")
    call_command("map_identity_group", "--force", "gwent", "--role", "approver", "g-1")
    assert IdentityGroup.objects.get(group_id="g-1").role == Role.APPROVER
    assert "g-1 → Approver, Gwent Police" in capsys.readouterr().out
    call_command("map_identity_group", "--force", "gwent", "--remove", "g-1")
    assert not IdentityGroup.objects.exists()


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--force", "nowhere", "--role", "hr_editor", "g"], "No force 'nowhere'; forces: gwent"),
        (["--force", "gwent", "g"], "--role is required"),
        (["--force", "gwent", "--role", "hr_editor", " "], "GROUP_ID is empty"),
        (["--force", "gwent", "--remove", "g"], "not mapped"),
    ],
)
def test_map_identity_group_refuses_bad_input(force, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("map_identity_group", *arguments)
    assert not IdentityGroup.objects.exists()


def test_the_force_admin_page_maps_groups(admin_client, force):
    IdentityGroup.objects.create(force=force, group_id="g-42", role=Role.HIRING_MANAGER)
    page = admin_client.get(reverse("admin:profiles_force_change", args=[force.pk]))
    assert "identity-provider groups" in page.content.decode().lower()
    assert "g-42" in page.content.decode()


@pytest.mark.parametrize(
    "environment, message",
    [
        ({"LOCAL_LOGIN": "sometimes"}, "LOCAL_LOGIN must be true, staff or false"),
        ({"OIDC_ISSUER": "https://login.example/"}, "OIDC_CLIENT_ID must be set"),
    ],
)
def test_bad_sign_in_settings_stop_start_up(environment, message):
    result = run_python({**PRODUCTION, **environment}, "manage.py", "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_production_with_a_provider_passes_the_deployment_checks():
    environment = {
        **PRODUCTION,
        "OIDC_ISSUER": "https://login.microsoftonline.com/tenant/v2.0",
        "OIDC_CLIENT_ID": "id",
        "OIDC_CLIENT_SECRET": "secret",
    }
    result = run_python(environment, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    printed = run_python(
        environment, "-c", "from django.conf import settings; print(settings.LOCAL_LOGIN)"
    )
    assert printed.stdout.strip() == "staff"
