"""A real OpenID provider for the sign-in tests, and a person's browser at its login page.

`OpenIDProvider` runs tests/oidc_provider/provider.mjs (Node's oidc-provider) on 127.0.0.1
in its own process; `make test` installs its packages (`npm ci`), and so does the first
start here when they are missing. `sign_in_at_provider` follows the redirects a browser
would, posting the provider's own login form, with `requests`: nothing of the protocol
is imitated.
"""

import base64
import hashlib
import json
import os
import secrets
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
CLIENT_ID = "role-profiles"
CLIENT_SECRET = "a-test-client-secret-long-enough-for-hs256"


def install_provider():
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True, timeout=300
        )


class OpenIDProvider:
    def __init__(self, clients, id_token_ttl=3600):
        install_provider()
        self.process = subprocess.Popen(
            ["node", "provider.mjs"],
            cwd=PROVIDER_DIR,
            env={**os.environ, "CLIENTS": json.dumps(clients), "ID_TOKEN_TTL": str(id_token_ttl)},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline()
        if not line.startswith("listening "):
            self.process.kill()
            raise RuntimeError(f"The OpenID provider did not start: {line!r}")
        self.issuer = line.split()[1]

    def put_account(self, login, **claims):
        """Create or change the account `login` (its sub is the login unless given)."""
        response = requests.put(f"{self.issuer}/_test/accounts/{login}", json=claims, timeout=10)
        response.raise_for_status()

    def stop(self):
        self.process.kill()
        self.process.wait(timeout=10)
        self.process.stdout.close()

    def settings_entry(self, **overrides):
        """What settings.OIDC_PROVIDERS holds for this provider (accounts.providers)."""
        return {
            "issuer": self.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "name": "Gwent ID",
            **overrides,
        }


def client_metadata(base_url, client_id=CLIENT_ID, secret=CLIENT_SECRET):
    return {
        "client_id": client_id,
        "client_secret": secret,
        "redirect_uris": [f"{base_url}/oidc/callback/"],
        "post_logout_redirect_uris": [f"{base_url}/accounts/login/"],
    }


def sign_in_at_provider(authorize_url, login, browser=None, back_to="http://testserver"):
    """Follow `authorize_url` through the provider's login page as `login`; the URL the
    provider sends the browser back to (at `back_to`)."""
    browser = browser or requests.Session()
    url = authorize_url
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and 'name="login"' in response.text:
            action = response.text.split('action="', 1)[1].split('"', 1)[0]
            response = browser.post(
                urljoin(url, action),
                data={"prompt": "login", "login": login, "password": "any"},
                allow_redirects=False,
                timeout=10,
            )
        if response.status_code not in (302, 303):
            raise AssertionError(f"The provider answered {response.status_code}: {response.text}")
        url = urljoin(url, response.headers["Location"])
        if url.startswith(back_to):
            return url
    raise AssertionError("The provider never sent the browser back.")


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def tokens_for(provider, login, client_id, secret, redirect_uri, nonce):
    """A code flow of another application at the provider, straight from `requests`."""
    verifier, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid email profile",
        "state": secrets.token_urlsafe(16),
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    back = sign_in_at_provider(
        f"{provider.issuer}/auth?{urlencode(query)}", login, back_to=redirect_uri
    )
    code = parse_qs(urlsplit(back).query)["code"][0]
    response = requests.post(
        f"{provider.issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        },
        auth=(client_id, secret),
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


# A second client registered at the suite's provider: tokens issued to it carry another audience.
OTHER_APP = client_metadata("http://other.example", "other-app", "other-app-secret")
