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
	// A SPA's refresh tokens all expire 24 h after the first sign-in, however often they rotate [RT].
	SPAIssued, SPAExpires time.Time
}

// spaExpiredKept is how long an expired SPA refresh token is remembered, so it is answered AADSTS700084
// (sign in again at the top level) rather than "not valid".
const spaExpiredKept = 24 * time.Hour

func (s *Server) newRefreshToken(g grant, spa bool) string {
	rt := "1.AXkA" + randomID(96)
	rg := refreshGrant{UserOID: g.User.OID, ClientID: g.Client.ClientID, MFA: g.MFA, SPA: spa,
		AuthTime: g.AuthTime, Resource: g.Resource}
	ttl := refreshLifetime
	if spa {
		rg.SPAIssued, rg.SPAExpires = g.SPAIssued, g.SPAIssued.Add(spaRefreshLifetime)
		if rg.SPAIssued.IsZero() { // the first sign-in: the 24 h start now
			rg.SPAIssued, rg.SPAExpires = s.now(), s.now().Add(spaRefreshLifetime)
		}
		ttl = rg.SPAExpires.Sub(s.now()) + spaExpiredKept
	}
	s.refresh.put(rt, rg, ttl)
	return rt
}

// grantRefreshToken redeems a refresh token for any consented resource, returning a new refresh token (the
// old one stays valid until it expires, as in Entra [§2.4]; a SPA's new one keeps the original expiry).
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
	if rg.SPA && !s.now().Before(rg.SPAExpires) {
		return tokenResponse{}, errSPARefreshExpired(rg.SPAIssued)
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
		Scopes: names, OIDC: sr.OIDC, Default: sr.Default, Bare: sr.Bare, AuthTime: rg.AuthTime, MFA: rg.MFA,
		SPAIssued: rg.SPAIssued}
	if !has(g.OIDC, "offline_access") {
		g.OIDC = append(g.OIDC, "offline_access") // a refresh always returns a new refresh token
	}
	if e := s.userPolicy(g); e != nil {
		return tokenResponse{}, e
	}
	return s.issue(g, req, rg.SPA)
}
