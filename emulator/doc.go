// Package emulator is a local, offline Microsoft Entra ID (Azure AD) v2.0 endpoint: OpenID discovery, JWKS,
// authorize with plain HTML sign-in and consent pages, token (authorization code, refresh token, client
// credentials, device code, on-behalf-of), device code and its sign-in page, and logout, for a fictional demo
// tenant. Errors carry the same `error` strings, AADSTS codes, HTTP status, JSON shape and headers as Entra, so
// that Microsoft's own libraries (MSAL Go, azidentity) and generic ones (x/oauth2, go-oidc) work unchanged.
//
// It is library first, in the manner of fake-gcs-server's fakestorage:
//
//	srv, err := emulator.New(emulator.Options{TLS: true, AutoApprove: true})
//	defer srv.Close()
//	client := srv.HTTPClient() // trusts the generated CA
//	authority := srv.URL() + "/" + srv.Description().TenantID
//
// Fault scenarios (see [Scenarios]) reproduce customer problems on purpose. All state (codes, device codes,
// refresh tokens, sessions) expires and is evicted, with a hard cap per kind.
//
// The package never prints and shares no code with the flows engine: it exists to catch the client's mistakes.
package emulator
