// MSAL Node and Azure Identity for JavaScript against `aadx emulator --tls --auto-approve`.
//
// interop_test.go runs this with AADX_DESCRIPTION (the emulator's --json line) and NODE_EXTRA_CA_CERTS (its CA
// file) and reads one JSON line per case: {"case", "ok", "detail"}. Only configuration points the clients at
// the emulator: MSAL Node's knownAuthorities (no instance discovery against the real cloud), Azure Identity's
// authorityHost and disableInstanceDiscovery, and Node's trust of the CA.
import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import * as msal from "@azure/msal-node";
import {
  ClientCertificateCredential, ClientSecretCredential, DeviceCodeCredential, OnBehalfOfCredential,
} from "@azure/identity";

const D = JSON.parse(process.env.AADX_DESCRIPTION);
const AUTHORITY = `${D.authority}/${D.tenant_id}`;
const HOST = new URL(D.authority).host;
const APPS = D.apps;
const [ALEX, MORGAN] = [D.users[0].username, D.users[1].username];
const API_SCOPE = APPS.api.scope;
const PEM = readFileSync(APPS.daemon.cert_file, "utf8");
const CERT_DER = new X509Certificate(PEM.slice(0, PEM.indexOf("-----END CERTIFICATE-----") + 25)).raw;
const KEY = PEM.slice(PEM.indexOf("-----BEGIN PRIVATE KEY-----"));

const claims = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());
const report = (name, ok, detail = "") =>
  console.log(JSON.stringify({ case: name, ok: !!ok, detail: String(typeof detail === "string" ? detail : JSON.stringify(detail)).slice(0, 2000) }));

async function run(name, fn) {
  try {
    const [ok, detail] = await fn();
    report(name, ok, detail);
  } catch (e) {
    report(name, false, `${e?.name}: ${e?.message}\n${e?.stack ?? ""}`);
  }
}

const confidential = (app, credential) => new msal.ConfidentialClientApplication({
  auth: { clientId: app.client_id, authority: AUTHORITY, knownAuthorities: [HOST], ...credential },
});
const identityOptions = { authorityHost: D.authority, disableInstanceDiscovery: true };

// The browser leg: with --auto-approve the authorize request redirects at once to the redirect URI.
async function signIn(app, scopes, loginHint, claimsRequest) {
  const { verifier, challenge } = await new msal.CryptoProvider().generatePkceCodes();
  const redirectUri = APPS.web.redirect_uri;
  const url = await app.getAuthCodeUrl({ scopes, redirectUri, loginHint, codeChallenge: challenge,
    codeChallengeMethod: "S256", claims: claimsRequest });
  const resp = await fetch(url, { redirect: "manual" });
  const location = resp.headers.get("location") ?? "";
  if (resp.status !== 302 || !location.startsWith(redirectUri)) throw new Error(`authorize: ${resp.status} ${location}`);
  const code = new URL(location).searchParams.get("code");
  return app.acquireTokenByCode({ code, scopes, redirectUri, codeVerifier: verifier, claims: claimsRequest });
}

const state = {};
const cases = [
  ["msal-node: client credentials, secret", async () => {
    const r = await confidential(APPS.daemon, { clientSecret: APPS.daemon.client_secret })
      .acquireTokenByClientCredential({ scopes: [APPS.daemon.scope] });
    const c = claims(r.accessToken);
    return [c.azpacr === "1" && c.roles?.[0] === "Tasks.Read.All", c];
  }],
  ["msal-node: client credentials, certificate (x5t, SHA-1)", async () => {
    const thumbprint = createHash("sha1").update(CERT_DER).digest("hex");
    const r = await confidential(APPS.daemon, { clientCertificate: { thumbprint, privateKey: KEY } })
      .acquireTokenByClientCredential({ scopes: [APPS.daemon.scope] });
    return [claims(r.accessToken).azpacr === "2", claims(r.accessToken)];
  }],
  ["msal-node: client credentials, certificate (x5t#S256)", async () => {
    const thumbprintSha256 = createHash("sha256").update(CERT_DER).digest("hex");
    const r = await confidential(APPS.daemon, { clientCertificate: { thumbprintSha256, privateKey: KEY } })
      .acquireTokenByClientCredential({ scopes: [APPS.daemon.scope] });
    return [claims(r.accessToken).azpacr === "2", claims(r.accessToken)];
  }],
  ["msal-node: wrong secret", async () => {
    try {
      await confidential(APPS.daemon, { clientSecret: "not-the-secret" }).acquireTokenByClientCredential({ scopes: [APPS.daemon.scope] });
      return [false, "a token for the wrong secret"];
    } catch (e) {
      return [e.errorCode === "invalid_client" && /AADSTS7000215/.test(e.errorMessage ?? e.message), `${e.errorCode}: ${e.errorMessage}`];
    }
  }],
  ["msal-node: device code", async () => {
    const pca = new msal.PublicClientApplication({ auth: { clientId: APPS.public.client_id, authority: AUTHORITY, knownAuthorities: [HOST] } });
    let message = "";
    const r = await pca.acquireTokenByDeviceCode({ scopes: [API_SCOPE], deviceCodeCallback: (d) => { message = d.message; } });
    return [claims(r.accessToken).scp === "access_as_user" && message.includes("/devicelogin") && r.account?.username === D.users[0].username, r.account];
  }],
  ["msal-node: auth code + PKCE", async () => {
    const app = confidential(APPS.web, { clientSecret: APPS.web.client_secret });
    const r = await signIn(app, [API_SCOPE], ALEX);
    Object.assign(state, { web: app, apiToken: r.accessToken, account: r.account });
    return [r.account?.username === ALEX && r.idTokenClaims?.preferred_username === ALEX, r.idTokenClaims];
  }],
  ["msal-node: refresh", async () => {
    const r = await state.web.acquireTokenSilent({ account: state.account, scopes: [API_SCOPE], forceRefresh: true });
    return [r.accessToken && r.accessToken !== state.apiToken, r.account];
  }],
  ["msal-node: on-behalf-of", async () => {
    const mid = confidential(APPS.api, { clientSecret: APPS.api.client_secret });
    const r = await mid.acquireTokenOnBehalfOf({ oboAssertion: state.apiToken, scopes: [APPS.downstream.scope] });
    const c = claims(r.accessToken);
    return [c.azp === APPS.api.client_id && APPS.downstream.scope.includes(c.aud), c];
  }],
  ["msal-node: MFA claims challenge round trip", async () => {
    const app = confidential(APPS.web, { clientSecret: APPS.web.client_secret });
    let challenge;
    try {
      await signIn(app, [API_SCOPE], MORGAN);
      return [false, "no challenge for the MFA user"];
    } catch (e) {
      if (e.errorCode !== "interaction_required" || !e.claims) return [false, `${e.errorCode}: ${e.message}`];
      challenge = e.claims;
    }
    const r = await signIn(app, [API_SCOPE], MORGAN, challenge);
    return [r.account?.username === MORGAN, r.account];
  }],
  ["azure-identity: ClientSecretCredential", async () => {
    const t = await new ClientSecretCredential(D.tenant_id, APPS.daemon.client_id, APPS.daemon.client_secret, identityOptions).getToken(APPS.daemon.scope);
    return [claims(t.token).azpacr === "1", claims(t.token)];
  }],
  ["azure-identity: ClientCertificateCredential", async () => {
    const t = await new ClientCertificateCredential(D.tenant_id, APPS.daemon.client_id, { certificatePath: APPS.daemon.cert_file }, identityOptions)
      .getToken(APPS.daemon.scope);
    return [claims(t.token).azpacr === "2", claims(t.token)];
  }],
  ["azure-identity: wrong secret", async () => {
    try {
      await new ClientSecretCredential(D.tenant_id, APPS.daemon.client_id, "not-the-secret", identityOptions).getToken(APPS.daemon.scope);
      return [false, "a token for the wrong secret"];
    } catch (e) {
      // Azure Identity 4 wraps MSAL's invalid_client as AuthenticationRequiredError; the AADSTS code is what counts.
      return [/^Authentication(Required)?Error$/.test(e.name) && /AADSTS7000215/.test(e.message), `${e.name}: ${e.message}`];
    }
  }],
  ["azure-identity: DeviceCodeCredential", async () => {
    const cred = new DeviceCodeCredential({ tenantId: D.tenant_id, clientId: APPS.public.client_id, userPromptCallback: () => {}, ...identityOptions });
    const t = await cred.getToken(API_SCOPE);
    return [claims(t.token).scp === "access_as_user", claims(t.token)];
  }],
  ["azure-identity: OnBehalfOfCredential", async () => {
    const cred = new OnBehalfOfCredential({ tenantId: D.tenant_id, clientId: APPS.api.client_id, clientSecret: APPS.api.client_secret,
      userAssertionToken: state.apiToken, ...identityOptions });
    const t = await cred.getToken(APPS.downstream.scope);
    return [claims(t.token).azp === APPS.api.client_id, claims(t.token)];
  }],
];

for (const [name, fn] of cases) await run(name, fn);
