package flows

import "sync"

// oauthErrorHelp gives the meaning of the standard "error" values (RFC 6749 §5.2, RFC 8628 §3.5, OIDC Core §3.1.2.6), for
// providers that send no AADSTS code and for device-flow answers whose code says less than the error does.
// Built on first use (see legImpls).
var oauthErrorHelp = sync.OnceValue(func() map[string]AADSTSEntry {
	return map[string]AADSTSEntry{
		"invalid_request":         {Name: "invalid_request", Cause: "A parameter is missing, repeated or malformed.", Fix: "Compare the request with the provider's documentation; check every parameter's value."},
		"invalid_client":          {Name: "invalid_client", Cause: "The client could not be authenticated: unknown client, wrong secret or assertion, or the wrong authentication method.", Fix: "Check the client ID and its credential, and the method the client is registered for."},
		"invalid_grant":           {Name: "invalid_grant", Cause: "The code, refresh token or assertion is invalid, expired, revoked, already used, or was issued to another client or redirect URI.", Fix: "Start the flow again; redeem each code once, with the same redirect URI and PKCE verifier."},
		"unauthorized_client":     {Name: "unauthorized_client", Cause: "This client may not use this grant type.", Fix: "Allow the grant type on the client's registration."},
		"unsupported_grant_type":  {Name: "unsupported_grant_type", Cause: "The provider does not support this grant type.", Fix: "Check grant_types_supported in the provider's discovery document."},
		"invalid_scope":           {Name: "invalid_scope", Cause: "A requested scope is unknown, malformed or not allowed for this client.", Fix: "Request scopes the client is allowed; check scopes_supported."},
		"access_denied":           {Name: "access_denied", Cause: "The user or the provider refused the request.", Fix: "Try again and accept, or check the policies that apply to the user."},
		"interaction_required":    {Name: "interaction_required", Cause: "The request needs the user: MFA, consent or another prompt.", Fix: "Sign in interactively, passing any claims challenge from the error."},
		"login_required":          {Name: "login_required", Cause: "No signed-in session for a silent request.", Fix: "Sign in interactively."},
		"consent_required":        {Name: "consent_required", Cause: "Consent is needed for the requested permissions.", Fix: "Sign in with prompt=consent, or grant admin consent."},
		"temporarily_unavailable": {Name: "temporarily_unavailable", Cause: "The provider is overloaded or in maintenance.", Fix: "Retry later with backoff."},
		"server_error":            {Name: "server_error", Cause: "The provider failed unexpectedly.", Fix: "Retry; if it persists, report it with the trace and correlation IDs."},
		"authorization_pending":   {Name: "authorization_pending", Cause: "Device flow: the user has not finished signing in.", Fix: "Nothing is wrong: keep polling at the given interval."},
		"slow_down":               {Name: "slow_down", Cause: "Device flow: polling too fast.", Fix: "Add five seconds to the polling interval (RFC 8628 §3.5)."},
		"authorization_declined":  {Name: "authorization_declined", Cause: "Device flow: the user declined the sign-in on the verification page.", Fix: "Start again if the decline was a mistake; otherwise nothing to fix."},
		"expired_token":           {Name: "expired_token", Cause: "Device flow: the device code expired before the user finished.", Fix: "Start the device code flow again and sign in within the time shown."},
		"bad_verification_code":   {Name: "bad_verification_code", Cause: "Device flow: the device code is not recognised.", Fix: "Start the device code flow again."},
	}
})

// errorSaysMore lists the errors whose meaning is more precise than any AADSTS code sent with them.
var errorSaysMore = map[string]bool{
	"authorization_pending": true, "slow_down": true, "authorization_declined": true, "expired_token": true, "bad_verification_code": true,
}

// Help returns what the error means and the likely fix: the AADSTS catalogue entry for its code, or, for
// device-flow answers and providers without AADSTS codes, the meaning of its standard "error" value.
func (e *OAuthError) Help() (AADSTSEntry, bool) {
	if e.Detail != nil {
		return *e.Detail, true
	}
	generic, hasGeneric := oauthErrorHelp()[e.Code]
	if hasGeneric {
		generic.Code, generic.Error = e.AADSTS(), e.Code
	}
	if errorSaysMore[e.Code] {
		return generic, true
	}
	if entry, ok := LookupAADSTS(e.AADSTS()); ok {
		return entry, true
	}
	return generic, hasGeneric
}
