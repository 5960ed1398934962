"""Tokens of the read-only API: one per integration, scoped to a force or national, stored hashed."""

import hashlib
import secrets

from django.db import models

from profiles.models import Force

# Shown in the admin and in logs so a token can be recognised without being readable.
PREFIX_LENGTH = 8


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked=False)


class ApiToken(models.Model):
    """A recruitment system's key to the API. Only the SHA-256 of the key is kept."""

    name = models.CharField(max_length=120, help_text="The integration, e.g. Oleeo (live).")
    force = models.ForeignKey(
        Force,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        help_text="The force whose published profiles it reads (with the national ones). "
        "Empty: a national token, which reads only the national publishers' profiles.",
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=PREFIX_LENGTH, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)
    revoked = models.BooleanField(default=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, name, force=None):
        """A new token and its key, which exists only in the caller's hands from now on."""
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            name=name, force=force, key_hash=hash_key(key), prefix=key[:PREFIX_LENGTH]
        )
        return token, key

    @property
    def scope(self):
        return self.force.name if self.force_id else "National"
