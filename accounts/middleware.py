"""Rules for every signed-in request: the idle timeout, the second factor of administrators
who signed in with a password, and the no-access page for those whose groups give no role.

None of it queries the database: the session and the user loaded with their membership
(profiles.backends) say all it needs.
"""

import time
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.shortcuts import redirect
from django.urls import get_script_prefix, reverse
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.oidc import BACKEND as PROVIDER_BACKEND
from accounts.roles import has_no_access
from accounts.signals import LAST_SEEN, SIGNED_IN_WITH

# The last-seen time is written at most once a minute, not on every request.
LAST_SEEN_RESOLUTION = 60
OPEN_PAGES = ("logout", "accounts:no_access", "accounts:two_factor", "accounts:two_factor_setup")


@lru_cache(maxsize=8)
def open_paths(script_prefix):
    """The paths of OPEN_PAGES under this script prefix: reversed once, not on every request."""
    return frozenset(reverse(name) for name in OPEN_PAGES)


class SignInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            response = self.idle_timeout(request) or self.gate(request)
            if response is not None:
                return response
        return self.get_response(request)

    def idle_timeout(self, request):
        now = int(time.time())
        last_seen = request.session.get(LAST_SEEN)
        if last_seen is not None and now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
            request.sign_out_reason = f"idle for over {settings.SESSION_IDLE_MINUTES} minutes"
            auth.logout(request)
            messages.info(
                request,
                f"You were signed out after {settings.SESSION_IDLE_MINUTES} minutes without "
                "activity. Please sign in again.",
            )
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
            request.session[LAST_SEEN] = now
        return None

    def gate(self, request):
        if request.path in open_paths(get_script_prefix()):
            return None
        user = request.user
        if (
            settings.MFA_FOR_STAFF
            and request.session.get(SIGNED_IN_WITH) == "password"
            and user.is_staff
            and not request.session.get(DEVICE_ID_SESSION_KEY)
        ):
            return redirect(
                f"{reverse('accounts:two_factor')}?{urlencode({'next': request.get_full_path()})}"
            )
        if request.session.get(BACKEND_SESSION_KEY) == PROVIDER_BACKEND and has_no_access(user):
            return redirect("accounts:no_access")
        return None
