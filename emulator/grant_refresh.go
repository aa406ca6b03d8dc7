package emulator

import "time"

// refreshGrant is what an opaque refresh token stands for: a user and a client, not a resource [§2.4].
type refreshGrant struct {
	UserOID  string
	ClientID string
	MFA      bool
	SPA      bool
	AuthTime time.Time
	Resource *resource // the resource of the grant it came from, the default for a refresh without scope
}

func (s *Server) newRefreshToken(g grant, spa bool) string {
	rt := "1.AXkA" + randomID(96)
	ttl := refreshLifetime
	if spa {
		ttl = spaRefreshLifetime
	}
	s.refresh.put(rt, refreshGrant{UserOID: g.User.OID, ClientID: g.Client.ClientID, MFA: g.MFA, SPA: spa,
		AuthTime: g.AuthTime, Resource: g.Resource}, ttl)
	return rt
}

// grantRefreshToken redeems a refresh token for any consented resource, returning a new refresh token (the
// old one stays valid until it expires, as in Entra [§2.4]).
func (s *Server) grantRefreshToken(req tokenRequest) (tokenResponse, *entraError) {
	raw := req.form.Get("refresh_token")
	if raw == "" {
		return tokenResponse{}, errMissingParam("refresh_token")
	}
	rg, found, expired := s.refresh.lookup(raw)
	switch {
	case !found:
		return tokenResponse{}, errGrantInvalid("The refresh token is not valid.")
	case expired:
		return tokenResponse{}, errGrantExpired("refresh token")
	case rg.ClientID != req.client.app.ClientID:
		return tokenResponse{}, errGrantClientMismatch()
	}
	if rg.SPA && req.r.Header.Get("Origin") == "" {
		return tokenResponse{}, errSPANeedsOrigin()
	}
	sr, e := s.tenant.parseScopes(req.form.Get("scope"), true)
	if e != nil {
		return tokenResponse{}, e
	}
	if sr.Resource == nil {
		sr.Resource = rg.Resource
	}
	u := s.tenant.userByOID(rg.UserOID)
	res, names := s.tenant.delegated(req.client.app, sr)
	if !s.hasConsent(u, req.client.app, res, names) {
		return tokenResponse{}, errConsentRequired(req.client.app)
	}
	g := grant{TenantID: s.tenant.ID, User: u, Client: req.client.app, AzpACR: req.client.acr, Resource: res,
		Scopes: names, OIDC: sr.OIDC, Default: sr.Default, Bare: sr.Bare, AuthTime: rg.AuthTime, MFA: rg.MFA}
	if !has(g.OIDC, "offline_access") {
		g.OIDC = append(g.OIDC, "offline_access") // a refresh always returns a new refresh token
	}
	if e := s.userPolicy(g); e != nil {
		return tokenResponse{}, e
	}
	return s.issue(g, req, rg.SPA)
}
