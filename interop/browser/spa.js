// The single-page app MSAL Browser runs in: served at http://localhost:PORT/spa, the demo SPA's registered
// redirect URI (Entra ignores a localhost redirect URI's port). The page is also the redirect page: when it
// holds an authorization response it hands it to MSAL's redirect bridge (MSAL Browser 5), which passes it to
// the window that started the popup, silent iframe or redirect.
function load(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error("cannot load " + src));
    document.head.appendChild(s);
  });
}

(async () => {
  const status = document.getElementById("status") ?? { textContent: "" };
  const q = new URLSearchParams(location.search);
  const h = new URLSearchParams(location.hash.slice(1));
  const isResponse = ["code", "error"].some((k) => q.has(k) || h.has(k));
  if (isResponse) {
    status.textContent = "response";
    await load("/msal-redirect-bridge.js");
    await msalRedirectBridge.broadcastResponseToMainFrame();
    return;
  }
  await load("/msal-browser.js");
  const c = window.AADX;
  const pca = new msal.PublicClientApplication({
    auth: { clientId: c.clientId, authority: c.authority, knownAuthorities: [c.host], redirectUri: location.origin + "/spa" },
    cache: { cacheLocation: "localStorage" },
  });
  await pca.initialize();
  window.pca = pca;
  try {
    const r = await pca.handleRedirectPromise();
    window.redirectResult = r ? { username: r.account?.username, accessToken: r.accessToken, idTokenClaims: r.idTokenClaims } : null;
  } catch (e) {
    window.redirectError = `${e.errorCode ?? e.name}: ${e.message}`;
  }
  window.ready = true;
  status.textContent = "ready";
})().catch((e) => { window.startError = String(e?.stack ?? e); });
