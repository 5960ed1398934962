// A real OpenID provider for the sign-in tests (node oidc-provider), on 127.0.0.1 only.
//
// Started by tests/oidc.py: `node provider.mjs` with CLIENTS (JSON list of client metadata) in
// the environment (and ID_TOKEN_TTL, seconds, default 3600); it listens on a free port and
// prints "listening <issuer>" on stdout.
// Its accounts are set by the tests: PUT /_test/accounts/<login> with the account's claims as
// JSON (sub, oid, groups, name, email); a login that was never put is refused at the login page.
// The login page is oidc-provider's own development page; consent is taken as given (a
// force's identity provider does the same for its own applications).
import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";

import Provider from "oidc-provider";

const accounts = new Map();
const clients = JSON.parse(process.env.CLIENTS || "[]");

const server = http.createServer();
server.listen(0, "127.0.0.1", () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid: "test-key", use: "sig" }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    // Claims a force's provider puts in the ID token itself (Entra ID: groups, oid).
    claims: {
      openid: ["sub", "groups", "oid"],
      email: ["email"],
      profile: ["name", "preferred_username"],
    },
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    pkce: { required: () => true },
    // Seconds an ID token is valid (ID_TOKEN_TTL: a test of an expired token sets 1).
    ttl: { IdToken: Number(process.env.ID_TOKEN_TTL || 3600) },
    async findAccount(ctx, id) {
      const claims = accounts.get(id);
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope("openid email profile");
      grant.addOIDCClaims(["sub", "groups", "oid", "email", "name", "preferred_username"]);
      await grant.save();
      return grant;
    },
  });
  provider.on("server_error", (ctx, error) => console.error(error));
  const callback = provider.callback();

  server.on("request", (req, res) => {
    const match = req.url.match(/^\/_test\/accounts\/([^/?]+)$/);
    if (!match) {
      // The development login page accepts any login; only accounts the tests put exist.
      if (req.method === "POST" && req.url.startsWith("/interaction/")) {
        return refuseUnknownLogin(req, res, callback);
      }
      return callback(req, res);
    }
    const login = decodeURIComponent(match[1]);
    if (req.method === "DELETE") {
      accounts.delete(login);
      res.writeHead(204).end();
      return;
    }
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      accounts.set(login, JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  console.log(`listening ${issuer}`);
});

function refuseUnknownLogin(req, res, callback) {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    const form = new URLSearchParams(body);
    if (form.get("prompt") === "login" && !accounts.has(form.get("login"))) {
      res.writeHead(403, { "content-type": "text/plain" }).end("No such account.");
      return;
    }
    // Hand the body on to oidc-provider, which reads the request stream itself.
    req.body = body;
    callback(req, res);
  });
}
