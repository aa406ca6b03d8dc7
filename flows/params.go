package flows

import "sync"

// paramHelp explains each protocol parameter once, for every leg that sends it (built on first use).
var paramHelp = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"client_id":             "The application (client) ID of the app registration.",
		"response_type":         "code: ask for an authorization code (RFC 6749 §4.1.1).",
		"redirect_uri":          "Where the provider sends the browser back; must match a registered URI exactly (localhost ports excepted).",
		"response_mode":         "How the code comes back: query (in the redirect URL) or form_post (an auto-submitted form, keeps the code out of logs).",
		"scope":                 "The permissions asked for, space-separated; openid/profile/email/offline_access shape the ID and refresh tokens.",
		"state":                 "A random value the app checks on return, so a redirect it did not start is rejected (CSRF, RFC 6749 §10.12).",
		"nonce":                 "A random value the provider copies into the ID token, so a replayed ID token is rejected (OIDC Core §3.1.2.1).",
		"code_challenge":        "PKCE: BASE64URL(SHA-256(code_verifier)); binds the code to whoever holds the verifier (RFC 7636 §4.2).",
		"code_challenge_method": "PKCE: S256, the hashed challenge (plain would expose the verifier).",
		"login_hint":            "Pre-fills the username on the sign-in page.",
		"claims":                "A claims request (JSON): the answer to a claims challenge, e.g. continuous access evaluation's or an MFA policy's.",
		"prompt":                "Forces a sign-in, consent or account choice.",
		"domain_hint":           "Skips home realm discovery: sends the user straight to the sign-in of this domain (e.g. a federated IdP).",
		"grant_type":            "Which grant is redeemed at the token endpoint.",
		"code":                  "The one-time authorization code from the redirect; single-use, expires in minutes.",
		"code_verifier":         "PKCE: the secret the challenge was made from; proves this app started the sign-in (RFC 7636 §4.5).",
		"client_secret":         "The app's password (RFC 6749 §2.3.1); confidential clients only.",
		"client_assertion_type": "Says client_assertion is a JWT signed with the app's certificate (RFC 7523).",
		"client_assertion":      "A short-lived JWT signed with the certificate's private key: iss=sub=client ID, aud=token endpoint.",
		"device_code":           "The device flow's secret handle, polled with until the user finishes (RFC 8628 §3.4).",
		"assertion":             "On-behalf-of: the user access token this API received; its aud must be this API.",
		"requested_token_use":   "on_behalf_of: ask for a token that keeps the incoming user's identity.",
		"refresh_token":         "The refresh token from an earlier token response.",
	}
})

// param builds an explained parameter; secret ones are masked unless revealed.
func param(name, value string) Param {
	return Param{Name: name, Value: value, Explanation: paramHelp()[name], Secret: isSecretParam(name)}
}
