"""More refusals of a sign-in through the real provider (tests/oidc.py), beside those of
tests/test_sign_in.py: a known user whose token is refused keeps everything as it was, a
groups claim of other things than group ids, and an ID token past its expiry."""

import time

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import reverse

from accounts import oidc as accounts_oidc
from accounts.models import Identity, IdentityGroup, SignInAction, SignInEvent
from accounts.oidc import SignIn, SignInRefused
from accounts.providers import Provider
from profiles.models import Membership, Role
from tests.oidc import OTHER_APP, OpenIDProvider, sign_in_at_provider, tokens_for
from tests.patching import patch

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(force):
    IdentityGroup.objects.create(force=force, group_id="gwent-hr", role=Role.HR_EDITOR)


def sign_in(client, login):
    start = client.get(reverse("oidc_authentication_init")).url
    back = sign_in_at_provider(start, login).removeprefix("http://testserver")
    return client.get(back, follow=True)


def stored(user):
    """What a sign-in may change about a user."""
    user = get_user_model().objects.get(pk=user.pk)
    identity = Identity.objects.get(user=user)
    membership = Membership.objects.filter(user=user).values_list("force__slug", "role").first()
    return (user.email, user.first_name, user.last_name, identity.last_sign_in, membership)


def test_a_refused_sign_in_of_a_known_user_changes_nothing(client, oidc, groups):
    oidc.put_account("pat", groups=["gwent-hr"], email="pat@gwent.example", name="Pat Lewis")
    sign_in(client, "pat")
    pat = get_user_model().objects.get(identities__subject="pat")
    client.post(reverse("logout"))
    before = stored(pat)
    events = SignInEvent.objects.count()

    oidc.put_account("pat", groups="gwent-managers", email="new@gwent.example", name="P New")
    response = sign_in(client, "pat")

    assert response.redirect_chain[-1][0] == reverse("login")
    assert SESSION_KEY not in client.session
    assert [str(message) for message in response.context["messages"]] == [
        "The sign-in token's 'groups' claim is not a list of groups."
    ]
    assert stored(pat) == before
    assert before[-1] == ("gwent", Role.HR_EDITOR)
    assert list(SignInEvent.objects.order_by("pk").values_list("action", flat=True)[events:]) == [
        SignInAction.FAILED
    ]


@pytest.mark.parametrize("claim", [[1, 2], [["gwent-hr"]], {"gwent-hr": True}, None])
def test_a_groups_claim_of_other_things_than_group_ids_is_refused(client, oidc, groups, claim):
    oidc.put_account("quinn", groups=claim)

    response = sign_in(client, "quinn")

    assert [str(message) for message in response.context["messages"]] == [
        "The sign-in token's 'groups' claim is not a list of groups."
    ]
    assert not get_user_model().objects.exists()
    assert not Membership.objects.exists()


def test_an_expired_id_token_is_refused(monkeypatch):
    short_lived = OpenIDProvider([OTHER_APP], id_token_ttl=1)
    try:
        short_lived.put_account("rae", groups=["gwent-hr"])
        tokens = tokens_for(
            short_lived,
            "rae",
            "other-app",
            "other-app-secret",
            "http://other.example/oidc/callback/",
            "n1",
        )
        sign_in = SignIn(Provider(**short_lived.settings_entry(client_id="other-app")))
        # The clock allowance (a minute) would hide a token a second old; none here.
        patch(monkeypatch, accounts_oidc, "LEEWAY", 0)
        time.sleep(2)
        with pytest.raises(SignInRefused, match="The sign-in token has expired"):
            sign_in.verify_token(tokens["id_token"], nonce="n1")
    finally:
        short_lived.stop()
    assert not get_user_model().objects.exists()
