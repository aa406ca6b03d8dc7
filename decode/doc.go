// Package decode reads JSON Web Tokens the way a person debugging Microsoft Entra ID needs to read them:
// tolerant decoding that keeps the original member order ([Unverified]), a catalogue of Entra and OpenID
// Connect claims explained in plain words ([Explain]), times made readable ([Times]), warnings about what is
// wrong or surprising ([Lint]) and honest signature checking against a JWKS ([Verify]).
//
// The package is pure: it never prints and never opens a network connection of its own. Key sets that live
// on the network are fetched through a [Fetcher] supplied by the caller; [HTTPFetcher] adapts the caller's own
// *http.Client, which owns TLS and timeouts.
package decode
