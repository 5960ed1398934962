"""Sign-ins, failed sign-ins and sign-outs go to the audit (accounts.models.SignInEvent)."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts import audit
from accounts.models import SignInAction

LAST_SEEN = "last_seen"
# "password" when the user gave one (accounts.backends), else the identity provider's name.
SIGNED_IN_WITH = "signed_in_with"


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    if getattr(user, "signed_in_with_password", False):
        method = "password"
    else:
        method = getattr(request, "sign_in_method", "")
    audit.record(request, SignInAction.SIGN_IN, user=user, method=method)
    request.session[SIGNED_IN_WITH] = method
    # The idle timeout counts from here (accounts.middleware).
    request.session[LAST_SEEN] = int(time.time())


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    refused = getattr(request, "local_login_refused", False)
    audit.record(
        request,
        SignInAction.FAILED,
        username=str(credentials.get("username", ""))[:255],
        method="password",
        detail="password sign-in not allowed for this user (LOCAL_LOGIN)" if refused else "",
    )


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        reason = getattr(request, "sign_out_reason", "")
        audit.record(request, SignInAction.SIGN_OUT, user=user, detail=reason)
