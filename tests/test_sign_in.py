"""Sign-in through a real OpenID provider (tests/oidc.py): users made on first sign-in,
roles from groups at every sign-in, and every refusal said, audited, and changing nothing."""

import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import reverse

from accounts.models import Identity, IdentityGroup, SignInAction, SignInEvent
from accounts.oidc import SignIn, SignInRefused
from accounts.providers import Provider
from profiles.models import Membership, Role, Status
from tests.oidc import (
    CLIENT_ID,
    OpenIDProvider,
    client_metadata,
    pkce_pair,
    sign_in_at_provider,
    tokens_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(force):
    IdentityGroup.objects.create(force=force, group_id="gwent-hr", role=Role.HR_EDITOR)
    IdentityGroup.objects.create(force=force, group_id="gwent-managers", role=Role.HIRING_MANAGER)


def start(client):
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    return response.url


def sign_in(client, login, follow=False):
    back = sign_in_at_provider(start(client), login)
    return client.get(back.removeprefix("http://testserver"), follow=follow)


def refused(response):
    """The login page with the refusal, and nobody signed in."""
    assert response.redirect_chain[-1][0] == reverse("login")
    assert SESSION_KEY not in response.client.session
    return [str(message) for message in response.context["messages"]]


def failures():
    return list(
        SignInEvent.objects.filter(action=SignInAction.FAILED).values_list("detail", flat=True)
    )


def test_the_login_page_offers_the_provider_beside_the_password(client, oidc):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with Gwent ID" in page
    assert 'name="password"' in page


def test_an_hr_group_member_is_made_on_first_sign_in_and_edits(client, oidc, groups, profile):
    oidc.put_account(
        "alice", groups=["gwent-hr", "unmapped"], email="a@gwent.example", name="Alice Jones"
    )

    response = sign_in(client, "alice")

    assert response.status_code == 302
    assert response.url == reverse("profiles:list")
    user = get_user_model().objects.get(identities__issuer=oidc.issuer, identities__subject="alice")
    assert (user.username, user.first_name, user.last_name) == ("a@gwent.example", "Alice", "Jones")
    assert not user.has_usable_password()
    assert user.membership.role == Role.HR_EDITOR
    assert client.get(profile.get_absolute_url() + "edit/").status_code == 200
    events = SignInEvent.objects.filter(user=user).order_by("pk")
    assert [(event.action, event.method, event.address) for event in events] == [
        (SignInAction.ROLE_CHANGE, "Gwent ID", "127.0.0.1"),
        (SignInAction.SIGN_IN, "Gwent ID", "127.0.0.1"),
    ]
    assert events[0].detail == "no role → HR editor, Gwent Police (groups: gwent-hr, unmapped)"


def test_the_next_sign_in_follows_the_groups(client, oidc, groups, weighted_profile):
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()
    oidc.put_account("bob", groups=["gwent-hr"])
    sign_in(client, "bob")
    bob = get_user_model().objects.get(username="bob")
    assert client.get(weighted_profile.get_absolute_url() + "edit/").status_code == 200
    client.post(reverse("logout"))

    oidc.put_account("bob", groups=["gwent-managers"])
    sign_in(client, "bob")

    assert Membership.objects.get(user=bob).role == Role.HIRING_MANAGER
    assert client.get(weighted_profile.get_absolute_url() + "edit/").status_code == 403
    assert client.get(weighted_profile.get_absolute_url() + "pdf/").status_code == 200
    change = SignInEvent.objects.filter(user=bob, action=SignInAction.ROLE_CHANGE).first()
    assert change.detail.startswith("HR editor, Gwent Police → Hiring manager, Gwent Police")
    client.post(reverse("logout"))

    oidc.put_account("bob", groups=[])
    response = sign_in(client, "bob")

    assert response.url == reverse("accounts:no_access")
    assert not Membership.objects.filter(user=bob).exists()
    assert Identity.objects.filter(user=bob).count() == 1


def test_a_user_in_no_mapped_group_sees_only_the_no_access_page(client, oidc, groups, profile):
    oidc.put_account("carol", groups=["somewhere-else"])

    response = sign_in(client, "carol", follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:no_access")
    assert "You have no access yet" in response.content.decode()
    for url in (reverse("profiles:list"), profile.get_absolute_url(), "/admin/"):
        assert client.get(url).url in (reverse("accounts:no_access"), "/admin/login/?next=/admin/")


def test_users_are_matched_by_subject_never_by_email(client, oidc, groups, hr_user):
    hr_user.email = "shared@gwent.example"
    hr_user.save()
    oidc.put_account("dave", groups=[], email="shared@gwent.example", preferred_username="hr-gwent")

    sign_in(client, "dave")

    dave = get_user_model().objects.get(identities__subject="dave")
    assert dave != hr_user
    assert dave.username == "hr-gwent-2"
    assert Membership.objects.get(user=hr_user).role == Role.HR_EDITOR


def test_entra_style_oid_is_the_subject_when_configured(client, settings, oidc, groups):
    settings.OIDC_PROVIDERS = [oidc.settings_entry(subject_claim="oid")]
    oidc.put_account("erin", oid="0f0e-guid", groups=["gwent-managers"])

    sign_in(client, "erin")

    assert Identity.objects.get(subject="0f0e-guid").user.membership.role == Role.HIRING_MANAGER


# Refusals: a message, an audit entry, nobody signed in, no user made or changed ---------------


def test_a_groups_claim_that_is_not_a_list_is_refused(client, oidc, groups):
    oidc.put_account("frank", groups="gwent-hr")

    messages = refused(sign_in(client, "frank", follow=True))

    assert messages == ["The sign-in token's 'groups' claim is not a list of groups."]
    assert not get_user_model().objects.exists()
    assert failures() == messages


def test_a_token_without_the_subject_is_refused(client, settings, oidc, groups):
    settings.OIDC_PROVIDERS = [oidc.settings_entry(subject_claim="oid")]
    oidc.put_account("gina", groups=["gwent-hr"])

    messages = refused(sign_in(client, "gina", follow=True))

    assert messages == ["The sign-in token does not say who you are (no 'oid')."]
    assert not get_user_model().objects.exists()


def test_a_replayed_callback_changes_nothing(client, oidc, groups):
    oidc.put_account("hal", groups=["gwent-hr"])
    back = sign_in_at_provider(start(client), "hal").removeprefix("http://testserver")
    assert client.get(back).status_code == 302
    hal = get_user_model().objects.get(username="hal")
    IdentityGroup.objects.filter(group_id="gwent-hr").update(role=Role.HIRING_MANAGER)
    client.post(reverse("logout"))

    messages = refused(client.get(back, follow=True))

    assert "already used or was not started here" in messages[0]
    assert Membership.objects.get(user=hal).role == Role.HR_EDITOR


def test_a_callback_started_in_another_browser_is_refused(client, oidc, groups):
    oidc.put_account("ida", groups=["gwent-hr"])
    back = sign_in_at_provider(start(client), "ida").removeprefix("http://testserver")

    messages = refused(client.__class__().get(back, follow=True))

    assert "already used or was not started here" in messages[0]
    assert not get_user_model().objects.exists()


def test_an_expired_state_is_refused(client, oidc, groups):
    oidc.put_account("jo", groups=["gwent-hr"])
    back = sign_in_at_provider(start(client), "jo").removeprefix("http://testserver")
    session = client.session
    for pending in session["oidc_states"].values():
        pending["added_on"] = time.time() - 3600
    session.save()

    messages = refused(client.get(back, follow=True))

    assert messages == ["The sign-in took too long. Please sign in again."]
    assert not get_user_model().objects.exists()


def test_a_token_with_another_nonce_is_refused(client, oidc, groups):
    """An authorisation request made elsewhere (its own nonce) answered to this session's state."""
    oidc.put_account("kim", groups=["gwent-hr"])
    ours = parse_qs(urlsplit(start(client)).query)
    verifier, challenge = pkce_pair()
    forged = {key: values[0] for key, values in ours.items()}
    forged.update(nonce="the-attackers-nonce", code_challenge=challenge)
    session = client.session
    session["oidc_states"][forged["state"]]["code_verifier"] = verifier
    session.save()
    back = sign_in_at_provider(f"{oidc.issuer}/auth?{urlencode(forged)}", "kim")

    messages = refused(client.get(back.removeprefix("http://testserver"), follow=True))

    assert messages == ["The sign-in token was refused (replayed or forged)."]
    assert not get_user_model().objects.exists()


def test_a_token_from_another_issuer_is_refused(client, settings, oidc, groups):
    other = OpenIDProvider([client_metadata("http://testserver")])
    try:
        other.put_account("lee", groups=["gwent-hr"])
        endpoints = Provider(**other.settings_entry()).discover()
        # This deployment trusts `oidc`'s issuer; the endpoints answering are the other's.
        settings.OIDC_PROVIDERS = [oidc.settings_entry(metadata=dict(endpoints))]
        messages = refused(sign_in(client, "lee", follow=True))
    finally:
        other.stop()

    assert messages == ["The sign-in token comes from another identity provider."]
    assert not get_user_model().objects.exists()


def test_a_token_for_another_application_is_refused(oidc):
    oidc.put_account("mo", groups=["gwent-hr"])
    tokens = tokens_for(
        oidc, "mo", "other-app", "other-app-secret", "http://other.example/oidc/callback/", "n1"
    )
    sign_in = SignIn(Provider(**oidc.settings_entry()))

    with pytest.raises(SignInRefused, match="issued for another application"):
        sign_in.verify_token(tokens["id_token"], nonce="n1")
    assert CLIENT_ID != "other-app"


def test_a_code_of_another_application_is_refused(client, oidc, groups):
    oidc.put_account("ned", groups=["gwent-hr"])
    ours = parse_qs(urlsplit(start(client)).query)
    back = sign_in_at_provider(
        start(client)
        .replace(f"client_id={CLIENT_ID}", "client_id=other-app")
        .replace("http%3A%2F%2Ftestserver", "http%3A%2F%2Fother.example"),
        "ned",
        back_to="http://other.example",
    )
    code = parse_qs(urlsplit(back).query)["code"][0]
    state = ours["state"][0]

    messages = refused(client.get(f"/oidc/callback/?code={code}&state={state}", follow=True))

    assert messages == ["Gwent ID refused the sign-in code; please sign in again."]
    assert not get_user_model().objects.exists()


def test_an_error_from_the_provider_is_shown(client, oidc):
    state = parse_qs(urlsplit(start(client)).query)["state"][0]

    messages = refused(
        client.get(
            f"/oidc/callback/?error=access_denied&error_description=Not+allowed&state={state}",
            follow=True,
        )
    )

    assert messages == ["The identity provider did not sign you in: Not allowed."]


# Sign-out -------------------------------------------------------------------------------------


def test_sign_out_ends_the_provider_session_too(client, oidc, groups):
    oidc.put_account("olga", groups=["gwent-hr"])
    sign_in(client, "olga")

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url.startswith(f"{oidc.issuer}/session/end?")
    query = parse_qs(urlsplit(response.url).query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["id_token_hint"][0].count(".") == 2
    assert SESSION_KEY not in client.session
    assert SignInEvent.objects.filter(action=SignInAction.SIGN_OUT, username="olga").exists()
