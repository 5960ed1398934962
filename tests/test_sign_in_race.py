"""Two first sign-ins of one person at once (two tabs, a double click at the provider): both
callbacks run in real threads through the whole stack against the real provider
(tests/oidc.py) and end with one user, signed in twice, instead of a unique-constraint error.
"""

import threading

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts import roles
from accounts.models import Identity, IdentityGroup, SignInAction, SignInEvent
from profiles.models import Membership, Role
from tests.oidc import sign_in_at_provider
from tests.patching import patch
from tests.test_concurrent_saves import database_for_threads, in_threads

pytestmark = pytest.mark.django_db(transaction=True)


def both_look_before_either_makes(monkeypatch):
    """On PostgreSQL, hold each callback after its look for the identity until both have
    looked (and found no one), so that both go on to make the user. SQLite takes its write
    lock when a transaction begins (IMMEDIATE): there the second callback waits for the
    first to commit, and holding the first would only time out."""
    if connection.vendor != "postgresql":
        return
    find_identity = roles.find_identity
    looked = threading.Barrier(2)
    held = threading.local()

    def find_then_wait(issuer, subject):
        identity = find_identity(issuer, subject)
        if not getattr(held, "once", False):
            held.once = True
            looked.wait(30)
        return identity

    patch(monkeypatch, roles, "find_identity", find_then_wait)


def test_two_first_sign_ins_at_once_make_one_user(settings, tmp_path, monkeypatch, force, provider):
    settings.OIDC_PROVIDERS = [provider.settings_entry()]
    IdentityGroup.objects.create(force=force, group_id="gwent-hr", role=Role.HR_EDITOR)
    provider.put_account("twin", groups=["gwent-hr"])
    # Two browsers (or tabs) each go to the provider and come back with their own code.
    browsers, callbacks = [Client(), Client()], []
    for browser in browsers:
        start = browser.get(reverse("oidc_authentication_init")).url
        callbacks.append(sign_in_at_provider(start, "twin").removeprefix("http://testserver"))
    both_look_before_either_makes(monkeypatch)

    def what_is_stored():
        twin = get_user_model().objects.get()
        return {
            "identity of": Identity.objects.get().user,
            "sessions of": [int(browser.session[SESSION_KEY]) for browser in browsers],
            "role": Membership.objects.get(user=twin).role,
            "events": sorted(
                SignInEvent.objects.filter(user=twin).values_list("action", flat=True)
            ),
            "user": twin,
        }

    with database_for_threads(tmp_path):
        outcomes = in_threads(
            [
                lambda b=browser, c=callback: b.get(c)
                for browser, callback in zip(browsers, callbacks, strict=True)
            ]
        )
        # The threads' database (on SQLite a file) is read from a thread too.
        (stored,) = in_threads([what_is_stored])

    for outcome in outcomes:
        assert not isinstance(outcome, Exception), outcome
        assert (outcome.status_code, outcome.url) == (302, reverse("profiles:list"))
    assert not isinstance(stored, Exception), stored
    twin = stored.pop("user")
    assert stored == {
        "identity of": twin,
        "sessions of": [twin.pk, twin.pk],
        "role": Role.HR_EDITOR,
        "events": sorted([SignInAction.ROLE_CHANGE, SignInAction.SIGN_IN, SignInAction.SIGN_IN]),
    }
