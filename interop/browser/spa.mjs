// MSAL Browser in Debian's headless Chromium against `aadx emulator --tls` (no auto-approve: a person's sign-in
// and consent pages are filled in the browser). playwright-core drives /usr/bin/chromium and never downloads a
// browser; the emulator's CA is trusted through the NSS database in AADX_BROWSER_HOME (certutil), not by
// ignoring certificate errors.
//
// interop_test.go runs this with AADX_DESCRIPTION and AADX_BROWSER_HOME and reads one JSON line per case.
import { createServer } from "node:http";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const lib = join(here, "..", "node_modules", "@azure", "msal-browser", "lib");
const D = JSON.parse(process.env.AADX_DESCRIPTION);
const APPS = D.apps;
const [ALEX, MORGAN] = D.users;
const API_SCOPE = APPS.api.scope;
const TOKEN_URL = `${D.authority}/${D.tenant_id}/oauth2/v2.0/token`;

const report = (name, ok, detail = "") =>
  console.log(JSON.stringify({ case: name, ok: !!ok, detail: String(typeof detail === "string" ? detail : JSON.stringify(detail)).slice(0, 2000) }));
const claims = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());

// The SPA's origin: a loopback server for the page, MSAL Browser's bundles and its configuration.
const config = `window.AADX = ${JSON.stringify({ clientId: APPS.spa.client_id, authority: `${D.authority}/${D.tenant_id}`, host: new URL(D.authority).host })};`;
const files = {
  "/spa": ["text/html", readFileSync(join(here, "spa.html"))],
  "/spa.js": ["text/javascript", readFileSync(join(here, "spa.js"))],
  "/config.js": ["text/javascript", config],
  "/msal-browser.js": ["text/javascript", readFileSync(join(lib, "msal-browser.min.js"))],
  "/msal-redirect-bridge.js": ["text/javascript", readFileSync(join(lib, "redirect-bridge", "msal-redirect-bridge.min.js"))],
};
const server = createServer((req, res) => {
  const f = files[new URL(req.url, "http://localhost").pathname];
  res.writeHead(f ? 200 : 404, { "content-type": f ? f[0] : "text/plain", "cache-control": "no-store" });
  res.end(f ? f[1] : "not found");
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const SPA = `http://localhost:${server.address().port}/spa`;

// ssoSilent signs in from a hidden cross-site iframe, so like Entra it needs the browser to allow third-party
// cookies: the profile says so, as a person's "Allow third-party cookies" setting would.
const profile = join(process.env.AADX_BROWSER_HOME, "profile");
mkdirSync(join(profile, "Default"), { recursive: true });
writeFileSync(join(profile, "Default", "Preferences"), JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  env: { ...process.env, HOME: process.env.AADX_BROWSER_HOME },
});
const tokenRequests = [];
let spaRefreshToken = ""; // MSAL Browser 5 encrypts its cache, so the refresh token is read off the wire
context.on("request", (r) => {
  if (r.url().split("?")[0] === TOKEN_URL) tokenRequests.push({ body: r.postData() ?? "" });
});
context.on("response", async (r) => {
  if (r.url().split("?")[0] !== TOKEN_URL || r.status() !== 200) return;
  try {
    spaRefreshToken = (await r.json()).refresh_token || spaRefreshToken;
  } catch { /* not JSON */ }
});
const page = context.pages()[0] ?? await context.newPage();

// signIn fills the emulator's sign-in page as a person would, and accepts consent when it is asked.
async function signIn(p, user) {
  await p.waitForSelector("#passwd", { timeout: 30_000 });
  await p.fill("#login", user.username);
  await p.fill("#passwd", user.password);
  // A popup may close as soon as the emulator redirects to the SPA (consent given before): that is success.
  await Promise.all([p.waitForNavigation().catch(() => {}), p.click("button[type=submit]").catch(() => {})]);
  if (p.isClosed()) return;
  const consent = await p.$("button[value=yes]").catch(() => null);
  if (consent) await consent.click().catch(() => {});
}

async function ready() {
  await page.waitForFunction(() => window.ready || window.startError, null, { timeout: 30_000 });
  const err = await page.evaluate(() => window.startError);
  if (err) throw new Error(err);
}

// popup starts an MSAL popup call in the page, plays the person in the popup, and returns the page's outcome.
async function popup(call, arg, person) {
  const opened = context.waitForEvent("page", { timeout: 30_000 });
  await page.evaluate(([call, arg]) => {
    window.outcome = undefined;
    window.pca[call](arg).then(
      (r) => { window.outcome = { ok: true, username: r.account?.username, accessToken: r.accessToken }; },
      (e) => { window.outcome = { ok: false, errorCode: e.errorCode, subError: e.subError, claims: e.claims, message: e.message }; });
  }, [call, arg]);
  const p = await opened;
  if (person) await signIn(p, person);
  await page.waitForFunction(() => window.outcome !== undefined, null, { timeout: 30_000 });
  return page.evaluate(() => window.outcome);
}

async function run(name, fn) {
  try {
    const [ok, detail] = await fn();
    report(name, ok, detail);
  } catch (e) {
    report(name, false, `${e?.name}: ${e?.message}`);
  }
}

let account;
await run("loginRedirect", async () => {
  await page.goto(SPA);
  await ready();
  await page.evaluate((scope) => { window.pca.loginRedirect({ scopes: [scope] }); }, API_SCOPE);
  await signIn(page, ALEX);
  await page.waitForURL((u) => u.href.startsWith(SPA), { timeout: 30_000 });
  await ready();
  const r = await page.evaluate(() => window.redirectResult ?? window.redirectError);
  account = r?.username;
  return [r?.username === ALEX.username && claims(r.accessToken).scp === "access_as_user", r];
});

await run("ssoSilent (hidden iframe, prompt=none)", async () => {
  await page.evaluate(() => localStorage.clear()); // forget MSAL's cache: only the emulator's session cookie remains
  await page.goto(SPA);
  await ready();
  const r = await page.evaluate(async ([scope, hint]) => {
    try {
      const r = await window.pca.ssoSilent({ scopes: [scope], loginHint: hint });
      return { ok: true, username: r.account?.username };
    } catch (e) { return { ok: false, error: `${e.errorCode}: ${e.message}` }; }
  }, [API_SCOPE, ALEX.username]);
  return [r.ok && r.username === ALEX.username, r];
});

await run("refresh (acquireTokenSilent, forceRefresh)", async () => {
  const before = tokenRequests.length;
  const r = await page.evaluate(async (scope) => {
    const account = window.pca.getAllAccounts()[0];
    const r = await window.pca.acquireTokenSilent({ scopes: [scope], account, forceRefresh: true });
    return { username: r.account?.username, fromCache: r.fromCache };
  }, API_SCOPE);
  const refreshed = tokenRequests.slice(before).find((t) => t.body.includes("grant_type=refresh_token"));
  // The emulator redeems a SPA's refresh token only cross-origin (else AADSTS9002327), so success shows the Origin.
  return [r.username === ALEX.username && !r.fromCache && !!refreshed, { r, refreshed: !!refreshed }];
});

await run("loginPopup", async () => {
  const r = await popup("loginPopup", { scopes: [API_SCOPE], prompt: "login" }, ALEX);
  return [r.ok && r.username === ALEX.username, r];
});

await run("MFA claims challenge round trip (acquireTokenPopup)", async () => {
  const first = await popup("acquireTokenPopup", { scopes: [API_SCOPE], prompt: "login", loginHint: MORGAN.username }, MORGAN);
  if (first.ok || first.errorCode !== "interaction_required" || !first.claims) return [false, first];
  const second = await popup("acquireTokenPopup", { scopes: [API_SCOPE], loginHint: MORGAN.username, claims: first.claims }, null);
  return [second.ok && second.username === MORGAN.username, second];
});

await run("cross-origin client credentials refused (AADSTS9002326)", async () => {
  const r = await page.evaluate(async ([url, app]) => {
    const resp = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret, scope: app.scope }) });
    return { status: resp.status, body: await resp.json() };
  }, [TOKEN_URL, APPS.daemon]);
  return [r.status === 400 && r.body.error_codes?.[0] === 9002326, r];
});

await run("SPA refresh token without Origin refused (AADSTS9002327)", async () => {
  const rt = spaRefreshToken;
  if (!rt) return [false, "no refresh token seen in the SPA's token responses"];
  // A server (no Origin header) redeeming the SPA's refresh token.
  const resp = await fetch(TOKEN_URL, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "refresh_token", client_id: APPS.spa.client_id, refresh_token: rt, scope: API_SCOPE }) });
  const body = await resp.json();
  return [resp.status === 400 && body.error_codes?.[0] === 9002327, body];
});

await context.close();
server.close();
