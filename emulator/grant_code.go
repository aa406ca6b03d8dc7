package emulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// grantAuthorizationCode redeems a code (RFC 6749 §4.1.3): single use, same client and redirect URI, PKCE
// (RFC 7636 §4.6), and the SPA Origin rules [§2.3].
func (s *Server) grantAuthorizationCode(req tokenRequest) (tokenResponse, *entraError) {
	raw := req.form.Get("code")
	if raw == "" {
		return tokenResponse{}, errMissingParam("code")
	}
	code, found, expired := s.codes.lookup(raw)
	switch {
	case !found:
		return tokenResponse{}, errGrantInvalid("The provided value for the 'code' parameter is not valid.")
	case expired:
		return tokenResponse{}, errGrantExpired("authorization code")
	case code.Req.Client != req.client.app:
		return tokenResponse{}, errGrantClientMismatch()
	case s.classifyTenant(code.Req.TenantSeg) != req.tenantKind: // the tenant's GUID and domain are one tenant
		return tokenResponse{}, errCodeOtherTenant()
	}
	if uri := req.form.Get("redirect_uri"); uri == "" {
		return tokenResponse{}, errMissingParam("redirect_uri")
	} else if !redirectMatches(code.Req.Redirect.URI, uri) {
		return tokenResponse{}, errReplyURLToken()
	}
	origin := req.r.Header.Get("Origin")
	spa := code.Req.Redirect.Kind == redirectSPA
	switch {
	case spa && origin == "":
		return tokenResponse{}, errSPANeedsOrigin()
	case !spa && origin != "":
		return tokenResponse{}, errOriginNotSPA(origin)
	case spa && code.Req.Challenge == "":
		return tokenResponse{}, errPKCERequired()
	}
	if code.Req.Challenge == "" && req.form.Get("code_verifier") != "" {
		return tokenResponse{}, errPKCEUnexpected()
	}
	if code.Req.Challenge != "" && !pkceMatches(code.Req.Challenge, code.Req.Method, req.form.Get("code_verifier")) {
		return tokenResponse{}, errPKCEMismatch()
	}
	if !code.Redeemed.CompareAndSwap(false, true) {
		return tokenResponse{}, errCodeRedeemed()
	}
	u := s.tenant.userByOID(code.UserOID)
	res, names := s.tenant.delegated(code.Req.Client, code.Req.Scopes)
	g := grant{TenantID: s.tenant.ID, User: u, Client: req.client.app, AzpACR: req.client.acr, Resource: res,
		Scopes: names, OIDC: code.Req.Scopes.OIDC, Default: code.Req.Scopes.Default, Bare: code.Req.Scopes.Bare, Nonce: code.Req.Nonce, AuthTime: code.AuthTime, MFA: code.MFA,
		Claims: code.Req.Claims}
	if e := s.userPolicy(g); e != nil {
		return tokenResponse{}, e
	}
	return s.issue(g, req, spa)
}

// pkceMatches checks a verifier against the challenge (RFC 7636 §4.6).
func pkceMatches(challenge, method, verifier string) bool {
	if verifier == "" {
		return false
	}
	want := verifier
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}
