package emulator

import (
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// userAssertion are the claims on-behalf-of reads from the incoming access token.
type userAssertion struct {
	Aud, Tid, Oid, Scp, Idtyp string
	Exp, Nbf                  numericDate
}

// grantOnBehalfOf exchanges a user's access token whose aud is the calling API for a token to a downstream
// API (RFC 7523 §2.1 with requested_token_use=on_behalf_of [§2.8]); app-only tokens are refused.
func (s *Server) grantOnBehalfOf(req tokenRequest) (tokenResponse, *entraError) {
	if req.form.Get("requested_token_use") != "on_behalf_of" {
		return tokenResponse{}, errOBOMissingUse()
	}
	raw := req.form.Get("assertion")
	if raw == "" {
		return tokenResponse{}, errMissingParam("assertion")
	}
	a, e := s.verifyUserAssertion(raw)
	if e != nil {
		return tokenResponse{}, e
	}
	c := req.client.app
	if !strings.EqualFold(a.Aud, c.ClientID) && (c.Resource == nil || !strings.EqualFold(a.Aud, c.Resource.URI)) {
		return tokenResponse{}, errOBOAudience(a.Aud, c.ClientID)
	}
	if a.Idtyp == "app" || a.Scp == "" {
		return tokenResponse{}, errOBOAppOnly()
	}
	now := s.now()
	if now.After(a.Exp.Add(assertionSkew)) {
		return tokenResponse{}, errOBOExpired()
	}
	u := s.tenant.userByOID(a.Oid)
	if u == nil {
		return tokenResponse{}, errOBOAssertion("The user in the assertion does not exist in this tenant.")
	}
	scope := req.form.Get("scope")
	if scope == "" {
		return tokenResponse{}, errMissingParam("scope")
	}
	sr, e := s.tenant.parseScopes(scope, true)
	if e != nil {
		return tokenResponse{}, e
	}
	res, names := s.tenant.delegated(c, sr)
	if !s.hasConsent(u, c, res, names) {
		return tokenResponse{}, errConsentRequired(c)
	}
	g := grant{TenantID: s.tenant.ID, User: u, Client: c, AzpACR: req.client.acr, Resource: res, Scopes: names,
		OIDC: sr.OIDC, Default: sr.Default, Bare: sr.Bare, AuthTime: now, MFA: true}
	return s.issue(g, req, false)
}

// verifyUserAssertion checks the signature against the emulator's keys (current or rotated).
func (s *Server) verifyUserAssertion(raw string) (userAssertion, *entraError) {
	var a userAssertion
	jws, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || len(jws.Signatures) != 1 {
		return a, errOBOAssertion("The assertion is not a JWT signed with RS256.")
	}
	kid := jws.Signatures[0].Header.KeyID
	for _, f := range []*future[*signingKey]{s.signing, s.rotated} {
		if !f.started() {
			continue // a key never made signed nothing
		}
		k, err := f.wait()
		if err != nil {
			return a, errServer(err)
		}
		if k.x5t != kid {
			continue
		}
		payload, err := jws.Verify(&k.key.PublicKey)
		if err != nil {
			break
		}
		if err := decodeClaims(payload, map[string]any{"aud": &a.Aud, "tid": &a.Tid, "oid": &a.Oid, "scp": &a.Scp,
			"idtyp": &a.Idtyp, "exp": &a.Exp, "nbf": &a.Nbf}); err != nil {
			return a, errOBOAssertion("In the assertion, " + err.Error() + ".")
		}
		return a, nil
	}
	return a, errOBOAssertion("The assertion was not signed by this tenant's keys (kid '" + kid + "').")
}
