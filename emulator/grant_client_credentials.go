package emulator

import (
	"slices"
	"strings"
)

// grantClientCredentials issues an app-only token (RFC 6749 §4.4): tenant-specific authority only, one
// resource, scope {resource}/.default, roles = the application permissions configured on the app [§2.5].
func (s *Server) grantClientCredentials(req tokenRequest) (tokenResponse, *entraError) {
	if req.tenantKind == tenantCommon || req.tenantKind == tenantConsumers {
		return tokenResponse{}, errGrantNotOnCommon()
	}
	c := req.client.app
	if c.Public {
		return tokenResponse{}, errCredentialRequired()
	}
	raw := req.form.Get("scope")
	if raw == "" {
		return tokenResponse{}, errMissingParam("scope")
	}
	for _, sc := range strings.Fields(raw) {
		if slices.Contains(oidcScopes, sc) {
			continue // MSAL adds openid profile offline_access to every request; Entra ignores them here
		}
		if !strings.HasSuffix(sc, "/.default") {
			return tokenResponse{}, errScopeNeedsDefault(sc)
		}
	}
	sr, e := s.tenant.parseScopes(raw, true)
	if e != nil {
		return tokenResponse{}, e
	}
	g := grant{TenantID: s.tenant.ID, Client: c, AzpACR: req.client.acr, Resource: sr.Resource,
		Roles: c.permissionFor(sr.Resource.AppID).Roles}
	return s.issue(g, req, false)
}
