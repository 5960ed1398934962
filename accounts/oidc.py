"""Sign-in through the force's identity provider: OpenID Connect, authorisation code + PKCE.

mozilla-django-oidc does the protocol's moving parts (state, nonce and PKCE verifier kept in
the session, the code exchanged for tokens, the ID token's signature checked against the
provider's keys). What it leaves to its users is done here: the provider comes from
accounts.providers (a list, discovered), the ID token's issuer, audience, expiry and subject
are checked, users are found by issuer + subject (never by e-mail), and every refusal says
why, creates and changes nothing, and is audited.
"""

import time
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import audit, roles
from accounts.models import SignInAction
from accounts.providers import ProviderUnavailable, provider_for, providers

# The session key of the backend a signed-in user came through (accounts.backends).
BACKEND = "accounts.backends.IdentityProviderBackend"
TIMEOUT = 10
# Seconds an ID token's times may be off the clock here.
LEEWAY = 60


class SignInRefused(Exception):
    """A sign-in refused; the message is shown to the person signing in."""


def _settings(provider):
    """The mozilla-django-oidc settings for one provider."""
    return {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": provider.endpoint("authorization_endpoint"),
        "OIDC_OP_TOKEN_ENDPOINT": provider.endpoint("token_endpoint"),
        "OIDC_OP_USER_ENDPOINT": provider.endpoint("userinfo_endpoint"),
        "OIDC_OP_JWKS_ENDPOINT": provider.endpoint("jwks_uri"),
        "OIDC_RP_CLIENT_ID": provider.client_id,
        "OIDC_RP_CLIENT_SECRET": provider.client_secret,
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": provider.scopes,
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_TIMEOUT": TIMEOUT,
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_TOKEN_USE_BASIC_AUTH": True,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "oidc_authentication_callback",
        "OIDC_REDIRECT_REQUIRE_HTTPS": not settings.DEBUG,
    }


class ProviderSettings:
    """Settings looked up in the provider's configuration first, then in Django's."""

    provider = None

    def get_settings(self, attr, *args):
        values = _settings(self.provider)
        if attr in values:
            return values[attr]
        return getattr(settings, attr, *args)


class SignIn(ProviderSettings, OIDCAuthenticationBackend):
    """One sign-in with one provider: tokens checked, the user found or made, roles set."""

    def __init__(self, provider):
        self.provider = provider
        super().__init__()

    def _verify_jws(self, payload, key):
        """The signature, and then what the library leaves out: issuer, audience, times."""
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=["RS256"],
                audience=self.provider.client_id,
                issuer=self.provider.issuer,
                leeway=LEEWAY,
                options={"require": ["iss", "aud", "exp", "iat"]},
            )
        except jwt.InvalidIssuerError:
            raise SignInRefused("The sign-in token comes from another identity provider.") from None
        except jwt.InvalidAudienceError:
            raise SignInRefused("The sign-in token was issued for another application.") from None
        except jwt.ExpiredSignatureError:
            raise SignInRefused("The sign-in token has expired. Please sign in again.") from None
        except jwt.InvalidTokenError as error:
            raise SignInRefused(f"The sign-in token is not valid ({error}).") from None

    def sign_in(self, request, nonce, code_verifier):
        """The signed-in user (made on first sign-in), or SignInRefused."""
        self.request = request
        code = request.GET.get("code")
        if not code:
            raise SignInRefused("The identity provider sent no authorisation code.")
        try:
            tokens = self.get_token(
                {
                    "client_id": self.provider.client_id,
                    "client_secret": self.provider.client_secret,
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": request.build_absolute_uri(
                        reverse("oidc_authentication_callback")
                    ),
                    "code_verifier": code_verifier,
                }
            )
        except requests.RequestException as error:
            raise SignInRefused(
                f"{self.provider.name} refused the sign-in code; please sign in again."
            ) from error
        id_token = tokens.get("id_token")
        if not id_token:
            raise SignInRefused(f"{self.provider.name} sent no ID token.")
        try:
            claims = self.verify_token(id_token, nonce=nonce)
        except SuspiciousOperation as error:
            # From the library: a nonce that is not this sign-in's, or keys that do not fit.
            reason = "replayed or forged" if "Nonce" in str(error) else str(error)
            raise SignInRefused(f"The sign-in token was refused ({reason}).") from None
        except jwt.InvalidTokenError as error:
            raise SignInRefused(f"The sign-in token is not valid ({error}).") from None
        except requests.RequestException as error:
            raise SignInRefused(f"{self.provider.name}'s keys cannot be read.") from error
        subject, groups = self.subject_and_groups(claims)
        user = roles.sign_in_user(request, self.provider, subject, groups, claims)
        self.store_tokens(tokens.get("access_token"), id_token)
        return user

    def subject_and_groups(self, claims):
        subject = claims.get(self.provider.subject_claim)
        if not isinstance(subject, str) or not subject.strip():
            raise SignInRefused(
                f"The sign-in token does not say who you are (no {self.provider.subject_claim!r})."
            )
        claim = self.provider.groups_claim
        groups = claims.get(claim, [])
        if claim not in claims and "_claim_names" in claims:
            # Entra ID sends a link instead of the groups when there are over 200 of them.
            raise SignInRefused(
                "You are in too many groups for the sign-in token to list them; ask your IT "
                "team to send only the groups assigned to this application."
            )
        if not isinstance(groups, list) or not all(isinstance(group, str) for group in groups):
            raise SignInRefused(f"The sign-in token's {claim!r} claim is not a list of groups.")
        return subject, groups


class StartSignIn(ProviderSettings, OIDCAuthenticationRequestView):
    """/oidc/authenticate/: off to the provider (`?issuer=` picks one of several)."""

    def __init__(self, **kwargs):
        # The library reads its settings here; the provider is only known in dispatch.
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request):
        configured = providers()
        issuer = request.GET.get("issuer")
        self.provider = provider_for(issuer) if issuer else (configured or [None])[0]
        if self.provider is None:
            messages.error(request, "Sign-in with an identity provider is not set up here.")
            return redirect("login")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.provider.endpoint("authorization_endpoint")
        except ProviderUnavailable as error:
            messages.error(request, f"{error} Please try again later.")
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = self.provider.client_id
        response = super().get(request)
        # Which provider this state was sent to, for the callback.
        state = parse_qs(urlsplit(response.url).query)["state"][0]
        request.session["oidc_states"][state]["issuer"] = self.provider.issuer
        request.session.modified = True
        return response


class FinishSignIn(OIDCAuthenticationCallbackView):
    """/oidc/callback/: the provider sends the person back with a code (or an error)."""

    def get(self, request):
        state = request.GET.get("state", "")
        pending = request.session.get("oidc_states", {}).pop(state, None)
        request.session.modified = True
        provider = provider_for(pending.get("issuer")) if pending else None
        try:
            if request.GET.get("error"):
                raise SignInRefused(
                    "The identity provider did not sign you in: "
                    f"{request.GET.get('error_description') or request.GET['error']}."
                )
            if pending is None or provider is None:
                raise SignInRefused(
                    "This sign-in link was already used or was not started here. "
                    "Please sign in again."
                )
            if time.time() - pending["added_on"] > settings.OIDC_STATE_MAX_AGE:
                raise SignInRefused("The sign-in took too long. Please sign in again.")
            request.sign_in_method = provider.name
            user = SignIn(provider).sign_in(request, pending["nonce"], pending["code_verifier"])
        except (SignInRefused, ProviderUnavailable) as refusal:
            return self.refuse(request, provider, str(refusal))
        id_token = request.session.get("oidc_id_token")
        auth.login(request, user, backend=BACKEND)
        # login() keeps the session's data for a new sign-in; the ID token is for sign-out.
        request.session["oidc_id_token"] = id_token
        request.session["oidc_issuer"] = provider.issuer
        next_url = request.session.pop("oidc_login_next", None)
        return HttpResponseRedirect(next_url or resolve_landing(user))

    def refuse(self, request, provider, message):
        audit.record(
            request,
            SignInAction.FAILED,
            method=provider.name if provider else "identity provider",
            detail=message,
        )
        messages.error(request, message)
        return redirect("login")


def resolve_landing(user):
    if roles.has_no_access(user):
        return reverse("accounts:no_access")
    return reverse(settings.LOGIN_REDIRECT_URL)


def end_session_url(request):
    """Where sign-out sends the browser to end the provider's session too, or None."""
    provider = provider_for(request.session.get("oidc_issuer"))
    if provider is None:
        return None
    try:
        endpoint = provider.endpoint("end_session_endpoint")
    except ProviderUnavailable:
        return None
    if not endpoint:
        return None
    query = {
        "client_id": provider.client_id,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
    }
    if request.session.get("oidc_id_token"):
        query["id_token_hint"] = request.session["oidc_id_token"]
    return f"{endpoint}?{urlencode(query)}"
