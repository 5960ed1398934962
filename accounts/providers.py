"""The identity providers this deployment trusts, from settings.OIDC_PROVIDERS, and what
their discovery documents say.

The environment configures one (OIDC_ISSUER …); the list keeps room for a force each.
"""

from dataclasses import dataclass, field

import requests
from django.conf import settings
from django.core.cache import cache

DISCOVERY_TIMEOUT = 10
DISCOVERY_CACHE_SECONDS = 3600


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read or does not fit."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    name: str
    groups_claim: str = "groups"
    subject_claim: str = "sub"
    scopes: str = "openid email profile"
    metadata: dict = field(default_factory=dict, compare=False, hash=False)

    def endpoint(self, name):
        """An endpoint from the discovery document (None when it offers none)."""
        return self.discover().get(name)

    def discover(self):
        """`<issuer>/.well-known/openid-configuration`, read once an hour."""
        if self.metadata:
            return self.metadata
        key = f"oidc-discovery:{self.issuer}"
        document = cache.get(key)
        if document is None:
            url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
            try:
                response = requests.get(url, timeout=DISCOVERY_TIMEOUT)
                response.raise_for_status()
                document = response.json()
            except (requests.RequestException, ValueError) as error:
                raise ProviderUnavailable(f"{self.name} cannot be reached: {error}") from error
            # OpenID Connect Discovery 1.0, 4.3: the document names the issuer it was asked for.
            if document.get("issuer") != self.issuer:
                raise ProviderUnavailable(
                    f"{self.name}'s discovery document names the issuer "
                    f"{document.get('issuer')!r}, not {self.issuer!r}."
                )
            for required in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not document.get(required):
                    raise ProviderUnavailable(
                        f"{self.name}'s discovery document has no {required}."
                    )
            cache.set(key, document, DISCOVERY_CACHE_SECONDS)
        self.metadata.update(document)
        return self.metadata


def providers():
    return [Provider(**entry) for entry in settings.OIDC_PROVIDERS]


def provider_for(issuer):
    """The configured provider with this issuer, or None."""
    return next((provider for provider in providers() if provider.issuer == issuer), None)
