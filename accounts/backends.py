"""How a session's user signed in: with a password here, or through an identity provider.

Both load the user with their membership (profiles.backends). The session says how its user
signed in, so the second factor (accounts.middleware) asks only those who gave a password.
"""

from django.conf import settings

from profiles.backends import MembershipBackend


def local_login_allowed(user):
    """LOCAL_LOGIN: true (anyone), staff (administrators only) or false (nobody)."""
    if settings.LOCAL_LOGIN == "true":
        return True
    return settings.LOCAL_LOGIN == "staff" and user.is_staff


class LocalLoginBackend(MembershipBackend):
    """User name and password, as far as LOCAL_LOGIN allows."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not local_login_allowed(user):
            if request is not None:
                # The login page says why (accounts.forms.LocalLoginForm).
                request.local_login_refused = True
            return None
        if user is not None:
            # Read when the session starts (accounts.signals): this one needs a second factor.
            user.signed_in_with_password = True
        return user


class IdentityProviderBackend(MembershipBackend):
    """Users signed in by accounts.oidc; never by a password."""

    def authenticate(self, request, **credentials):
        return None
