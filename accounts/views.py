"""Log in (password or the identity provider's button), sign out (here and at the provider),
the no-access page, and the second factor for administrators who use a password."""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import CodeForm, LocalLoginForm
from accounts.oidc import end_session_url
from accounts.providers import providers

RECOVERY_CODES = 10


class LoginView(auth_views.LoginView):
    form_class = LocalLoginForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            providers=providers(), local_login=settings.LOCAL_LOGIN, **kwargs
        )


class LogoutView(auth_views.LogoutView):
    """Sign out here, then at the identity provider when it offers end_session_endpoint."""

    def post(self, request, *args, **kwargs):
        provider_logout = end_session_url(request) if request.user.is_authenticated else None
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider_logout) if provider_logout else response


@login_required
def no_access(request):
    return render(request, "accounts/no_access.html", {"providers": providers()})


def _next(request):
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


def _devices(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True)


@login_required
def two_factor(request):
    """The code of an administrator who signed in with a password."""
    if not _devices(request.user).exists():
        return redirect(f"{reverse('accounts:two_factor_setup')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    gettext("You used a recovery code; %(left)s are left.") % {"left": left},
                )
            return redirect(_next(request))
        form.add_error("code", "That code is not right (or was used already). Try again.")
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next(request)})


@login_required
def two_factor_setup(request):
    """First sign-in with a password: link an authenticator app, get recovery codes once."""
    if _devices(request.user).exists():
        return redirect("accounts:two_factor")
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = confirm(device)
            otp_login(request, device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error("code", "That code is not right. Check the app's clock and try again.")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": _next(request),
            "qr": segno.make(device.config_url).svg_data_uri(scale=4),
            "secret": b32encode(device.bin_key).decode(),
        },
    )


@transaction.atomic
def confirm(device):
    """Confirm the app and make a new set of recovery codes; returns the codes."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    recovery, _ = StaticDevice.objects.get_or_create(user=device.user, name="Recovery codes")
    recovery.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    return codes
