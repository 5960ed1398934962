"""Who a user is at their identity provider, which of its groups give which role, and the
audit of sign-ins."""

from django.conf import settings
from django.db import models

from profiles.models import Force, Role

# When a user's groups map to several roles, the one that may do most wins.
ROLE_RANK = {Role.HR_EDITOR: 4, Role.APPROVER: 3, Role.VETTING_UNIT: 2, Role.HIRING_MANAGER: 1}


class Identity(models.Model):
    """A user as their identity provider knows them: its issuer and its stable subject."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "identities"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_user_per_subject")
        ]

    def __str__(self):
        return f"{self.subject} at {self.issuer}"


class IdentityGroup(models.Model):
    """An identity-provider group whose members have a role in a force."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="identity_groups")
    group_id = models.CharField(
        "group id",
        max_length=255,
        help_text="The group's id as the identity provider puts it in the token "
        "(Entra ID: the group's object id).",
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    label = models.CharField(max_length=200, blank=True, help_text="A name to recognise it by.")

    class Meta:
        ordering = ["force__name", "role", "group_id"]
        constraints = [
            models.UniqueConstraint(fields=["force", "group_id"], name="one_role_per_force_group")
        ]

    def __str__(self):
        return f"{self.label or self.group_id}: {self.get_role_display()}, {self.force}"


class SignInAction(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    FAILED = "failed", "Sign-in failed"
    ROLE_CHANGE = "role_change", "Role changed by groups"
    SIGN_OUT = "sign_out", "Signed out"


class SignInEvent(models.Model):
    """Who signed in or out, or failed to, when, from where, and what their groups changed."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=20, choices=SignInAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(
        max_length=255, blank=True, help_text="As typed or as the identity provider named them."
    )
    method = models.CharField(max_length=20, blank=True, help_text="password or the provider.")
    address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.username}"


class LanguagePreference(models.Model):
    """The interface language a user chose with the header's switch, activated at each sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_preference"
    )
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user}: {self.get_language_display()}"
