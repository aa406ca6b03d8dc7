"""MSAL Python (Debian's python3-msal) against `aadx emulator --tls --auto-approve`.

interop_test.go runs this with AADX_DESCRIPTION (the emulator's --json line) and reads one JSON line per case:
{"case": name, "ok": bool, "detail": text}. Only configuration points MSAL at the emulator: the authority,
instance_discovery=False (the emulator is no known cloud) and verify=<the emulator's CA file>.
"""
import base64
import json
import os
import sys
import traceback
import urllib.parse

import msal
import requests

D = json.loads(os.environ["AADX_DESCRIPTION"])
AUTHORITY = D["authority"] + "/" + D["tenant_id"]
CA = D["ca_file"]
APPS = D["apps"]
ALEX, MORGAN = D["users"][0]["username"], D["users"][1]["username"]
API_SCOPE = APPS["api"]["scope"]


def report(case, ok, detail=""):
    print(json.dumps({"case": case, "ok": bool(ok), "detail": str(detail)[:2000]}), flush=True)


def claims(jwt):
    part = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def confidential(app, credential):
    return msal.ConfidentialClientApplication(app["client_id"], client_credential=credential, authority=AUTHORITY,
                                              instance_discovery=False, verify=CA)


def sign_in(app, scopes, login_hint, claims_challenge=None):
    """The browser leg: with --auto-approve the authorize request redirects at once to the redirect URI."""
    flow = app.initiate_auth_code_flow(scopes, redirect_uri=APPS["web"]["redirect_uri"], login_hint=login_hint,
                                       claims_challenge=claims_challenge)
    assert "code_challenge=" in flow["auth_uri"], "no PKCE in " + flow["auth_uri"]
    resp = requests.get(flow["auth_uri"], allow_redirects=False, verify=CA, timeout=30)
    location = resp.headers.get("Location", "")
    assert resp.status_code == 302 and location.startswith(APPS["web"]["redirect_uri"]), (resp.status_code, location)
    answer = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    return app.acquire_token_by_auth_code_flow(flow, answer)


def run(case, fn):
    try:
        ok, detail = fn()
        report(case, ok, detail)
    except Exception:  # a crash in one case is that case's failure, not the others'
        report(case, False, traceback.format_exc())


def cc_secret():
    r = confidential(APPS["daemon"], APPS["daemon"]["client_secret"]).acquire_token_for_client([APPS["daemon"]["scope"]])
    c = claims(r["access_token"]) if "access_token" in r else {}
    return c.get("azpacr") == "1" and c.get("roles") == ["Tasks.Read.All"], r if not c else c


def cc_certificate_x5t():
    # MSAL Python 1.21 signs the assertion with x5t (SHA-1) and dates it with fractional NumericDates.
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    with open(APPS["daemon"]["cert_file"], "rb") as f:
        pem = f.read()
    thumbprint = x509.load_pem_x509_certificate(pem).fingerprint(hashes.SHA1()).hex()
    r = confidential(APPS["daemon"], {"private_key": pem.decode(), "thumbprint": thumbprint}).acquire_token_for_client(
        [APPS["daemon"]["scope"]])
    c = claims(r["access_token"]) if "access_token" in r else {}
    return c.get("azpacr") == "2", r if not c else c


def wrong_secret():
    r = confidential(APPS["daemon"], "not-the-secret").acquire_token_for_client([APPS["daemon"]["scope"]])
    return r.get("error") == "invalid_client" and 7000215 in r.get("error_codes", []), r


def device_code():
    app = msal.PublicClientApplication(APPS["public"]["client_id"], authority=AUTHORITY, instance_discovery=False, verify=CA)
    flow = app.initiate_device_flow(scopes=[API_SCOPE])
    assert "user_code" in flow, flow
    r = app.acquire_token_by_device_flow(flow)
    c = claims(r["access_token"]) if "access_token" in r else {}
    return c.get("scp") == "access_as_user" and "id_token_claims" in r, r if not c else c


STATE = {}


def auth_code_pkce():
    app = confidential(APPS["web"], APPS["web"]["client_secret"])
    r = sign_in(app, [API_SCOPE], ALEX)
    STATE["web"], STATE["api_token"] = app, r.get("access_token")
    ok = "access_token" in r and r.get("id_token_claims", {}).get("preferred_username") == ALEX and "refresh_token" in r
    return ok, r.get("id_token_claims", r)


def refresh():
    app = STATE["web"]
    accounts = app.get_accounts(username=ALEX)
    assert accounts, "no account cached after sign-in"
    r = app.acquire_token_silent([API_SCOPE], account=accounts[0], force_refresh=True)
    return r is not None and "access_token" in r and r["access_token"] != STATE["api_token"], r


def on_behalf_of():
    mid = confidential(APPS["api"], APPS["api"]["client_secret"])
    r = mid.acquire_token_on_behalf_of(STATE["api_token"], [APPS["downstream"]["scope"]])
    c = claims(r["access_token"]) if "access_token" in r else {}
    return c.get("aud") == APPS["downstream"]["scope"].split("/")[2] and c.get("azp") == APPS["api"]["client_id"], r if not c else c


def mfa_challenge():
    app = confidential(APPS["web"], APPS["web"]["client_secret"])
    first = sign_in(app, [API_SCOPE], MORGAN)
    if first.get("error") != "interaction_required" or not first.get("claims"):
        return False, first
    second = sign_in(app, [API_SCOPE], MORGAN, claims_challenge=first["claims"])
    return "access_token" in second, second


for name, fn in [("client credentials, secret", cc_secret), ("client credentials, certificate (x5t)", cc_certificate_x5t),
                 ("wrong secret", wrong_secret), ("device code", device_code), ("auth code + PKCE", auth_code_pkce),
                 ("refresh", refresh), ("on-behalf-of", on_behalf_of), ("MFA claims challenge round trip", mfa_challenge)]:
    run(name, fn)
sys.exit(0)
