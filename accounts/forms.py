"""The login form that says when LOCAL_LOGIN refuses a password, and the second-factor forms."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class LocalLoginForm(AuthenticationForm):
    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "local_login_refused", False):
                raise ValidationError(refusal_message(), code="local_login") from None
            raise


def refusal_message():
    if settings.LOCAL_LOGIN == "staff":
        return "Only administrators sign in with a password here. Use the button above."
    return "Signing in with a password is turned off here. Use the button above."


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())
