package flows

import "sync"

// Presenter mode narrates each leg for an audience: what happens and why. The words are flow knowledge, so they
// live beside the catalogue; front ends only show them.

// narration says, for an audience, what a leg does and why, keyed by "flow/leg" or by the leg name
// alone when every flow uses the leg the same way. Built on first use (see legImpls).
var narration = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"discovery": "The app reads the tenant's OpenID configuration to learn its endpoints instead of " +
			"hard-coding them (OpenID Connect Discovery §4).",
		"jwks": "The app fetches the signing keys, so it can check that tokens really come from Entra ID.",
		"auth-code/authorize": "The browser goes to Entra ID, where the user signs in and consents. Only a " +
			"one-time code comes back to the redirect URI; the state parameter ties it to this sign-in (RFC 6749 §4.1).",
		"auth-code/redeem": "The web app's back end swaps the code for tokens, proving who it is with its " +
			"client secret. The code works once, and only with the same redirect URI.",
		"pkce/authorize": "A public app cannot keep a secret, so it sends a hash of a random verifier " +
			"(code_challenge, S256). A stolen code is useless without the verifier (RFC 7636).",
		"pkce/redeem": "The app redeems the code with the original code_verifier; Entra ID hashes it and " +
			"compares with the challenge it saw in the browser. No secret is involved.",
		"client-credentials/token": "No user at all: a background service asks for a token for itself, " +
			"with {resource}/.default to get every application permission an admin granted (RFC 6749 §4.4).",
		"device-code/devicecode": "A device without a browser asks Entra ID for a short user code and a " +
			"URL the user can open on a phone or laptop (RFC 8628 §3.1).",
		"device-code/poll": "While the user signs in elsewhere, the device polls the token endpoint at the " +
			"given interval; authorization_pending means keep waiting, slow_down means wait 5 s longer.",
		"obo/obo": "A middle-tier API received a user's token and exchanges it for a token to a downstream " +
			"API, on behalf of the same user (jwt-bearer, requested_token_use=on_behalf_of).",
		"refresh/refresh": "Access tokens live about an hour; the refresh token gets new ones without " +
			"asking the user to sign in again.",
		"managed-identity/mi-token": "Code on Azure holds no secret: it asks the host's own identity endpoint " +
			"(IMDS, or App Service's IDENTITY_ENDPOINT) for a token, and Azure vouches for it to Entra ID.",
		"workload-identity/external-token": "The pipeline or pod first gets a token from its own platform " +
			"(GitHub Actions, Kubernetes), minted for the audience api://AzureADTokenExchange.",
		"workload-identity/federated-token": "That token is the client assertion: Entra ID trusts it because a " +
			"federated credential names its issuer, subject and audience, exactly. No secret is stored anywhere.",
	}
})

// Narration says, for an audience, what leg l of flow id does and why; a leg without words of its own gets its
// explanation.
func Narration(id FlowID, l Leg) string {
	if text, ok := narration()[string(id)+"/"+l.Name]; ok {
		return text
	}
	if text, ok := narration()[l.Name]; ok {
		return text
	}
	return l.Explanation
}
