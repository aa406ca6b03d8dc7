package emulator

import (
	"slices"
	"strings"
)

// oidcScopes are the OpenID Connect scopes; they name no resource [SCOPES].
var oidcScopes = []string{"openid", "profile", "email", "offline_access"}

// scopeRequest is a parsed scope parameter: the OIDC scopes, and the one resource the token is for with the
// permission names asked of it (".default" means "everything configured on the app" [SCOPES]).
type scopeRequest struct {
	OIDC     []string
	Resource *resource
	Names    []string
	Default  bool
	Bare     bool // Graph scopes were named without the resource URI, and are answered so (MSAL compares)
}

// parseScopes resolves a space-separated scope parameter. Bare names are Graph's (User.Read ≡
// https://graph.microsoft.com/User.Read); everything else is {resource}/{name}. Scopes of several resources
// are refused when single is set (the token endpoint issues one token for one resource).
func (t *tenant) parseScopes(raw string, single bool) (scopeRequest, *entraError) {
	var req scopeRequest
	for _, sc := range strings.Fields(raw) {
		if i := slices.IndexFunc(oidcScopes, func(o string) bool { return strings.EqualFold(o, sc) }); i >= 0 {
			if !slices.Contains(req.OIDC, oidcScopes[i]) {
				req.OIDC = append(req.OIDC, oidcScopes[i])
			}
			continue
		}
		resID, name := graphURI, sc
		if i := strings.LastIndex(sc, "/"); i >= 0 {
			resID, name = sc[:i], sc[i+1:]
		} else {
			req.Bare = true
		}
		res := t.resourceFor(resID)
		if res == nil {
			return req, errUnknownResource(resID)
		}
		if req.Resource != nil && req.Resource != res {
			if single {
				return req, errMultipleResources(sc)
			}
			continue // /authorize may span resources; the code is for the first one
		}
		req.Resource = res
		if name == ".default" {
			req.Default = true
			continue
		}
		i := slices.IndexFunc(res.Scopes, func(s string) bool { return strings.EqualFold(s, name) })
		if i < 0 {
			return req, errInvalidScope(sc)
		}
		if !slices.Contains(req.Names, res.Scopes[i]) {
			req.Names = append(req.Names, res.Scopes[i])
		}
	}
	if req.Default && len(req.Names) > 0 {
		return req, errInvalidScope(raw) // .default cannot be mixed with named scopes of its resource
	}
	return req, nil
}

// delegated resolves what a user token for client c grants: the named scopes, or for .default (or no
// resource at all, which means Graph) the permissions configured on the app.
func (t *tenant) delegated(c *app, req scopeRequest) (res *resource, names []string) {
	res = req.Resource
	if res == nil {
		res = t.resourceFor(graphAppID)
	}
	if req.Default || len(req.Names) == 0 {
		names = slices.Clone(c.permissionFor(res.AppID).Delegated)
		if len(names) == 0 && res.AppID == graphAppID {
			names = []string{"User.Read"} // sign-in alone yields a Graph token for the user's profile
		}
		return res, names
	}
	return res, slices.Clone(req.Names)
}

// qualified spells scope names as a token response's scope field does: resource URI + name.
func qualified(res *resource, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = res.URI + "/" + n
	}
	return out
}
