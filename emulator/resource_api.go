package emulator

import (
	"net/http"
	"slices"
	"strings"
)

// APIPath is the demo API's protected endpoint on the emulator's address.
const APIPath = "/api/tasks"

// demoAPIRules are what the demo API validates: its client ID (Microsoft.Identity.Web's audience for v2
// tokens) and the demo tenant's v2 and v1 issuers; the api-expects-uri and api-v1-only scenarios narrow them
// to reproduce the two most common misconfigurations.
func (s *Server) demoAPIRules() resourceRules {
	auds := []string{apiClientID}
	if s.scenarios.on(scenarioAPIExpectsURI) {
		auds = []string{"api://" + apiClientID}
	}
	return resourceRules{audiences: auds, issuers: func(tid string) []string {
		if tid != s.tenant.ID {
			return nil
		}
		v1 := "https://sts.windows.net/" + tid + "/"
		if s.scenarios.on(scenarioAPIV1Only) {
			return []string{v1}
		}
		return []string{s.issuerV2(tid), v1}
	}}
}

// demoAPIScopes and demoAPIRoles: any one of them authorizes a call ([RequiredScopeOrAppPermission]).
var (
	demoAPIScopes = []string{"access_as_user", "Tasks.Read"}
	demoAPIRoles  = []string{"Tasks.Read.All", "Tasks.ReadWrite.All"}
)

// handleDemoAPI is the demo API's protected endpoint: 401 with JwtBearer's challenge for a token it cannot
// authenticate, 401 insufficient_claims under continuous access evaluation, 403 (empty body, no challenge)
// without a required scope or role, else 200 with the caller as the API sees it.
func (s *Server) handleDemoAPI(w http.ResponseWriter, r *http.Request) {
	ids := idsFor(r)
	w.Header().Set("request-id", ids.trace)
	b, failure := s.readBearer(r, s.demoAPIRules())
	if failure == nil && b.claims["scp"] == nil && b.claims["roles"] == nil {
		failure = &bearerFailure{rule: "scp-or-roles"} // IDW10201: no description
	}
	if failure != nil {
		w.Header().Set("WWW-Authenticate", jwtBearerChallenge(failure))
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if claims := s.caeChallenge(b); claims != "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="`+s.url+`/common/oauth2/authorize", error="insufficient_claims", claims="`+claims+`"`)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	scopes := strings.Fields(stringClaim(b.claims, "scp"))
	roles := stringsOf(b.claims["roles"])
	if !slices.ContainsFunc(demoAPIScopes, func(s string) bool { return slices.Contains(scopes, s) }) &&
		!slices.ContainsFunc(demoAPIRoles, func(r string) bool { return slices.Contains(roles, r) }) {
		w.WriteHeader(http.StatusForbidden) // ASP.NET's ForbidAsync: empty body, no WWW-Authenticate
		return
	}
	caller := map[string]any{"oid": b.claims["oid"], "tid": b.claims["tid"], "ver": b.claims["ver"]}
	for _, name := range []string{"azp", "appid", "scp", "roles", "name", "preferred_username", "upn"} {
		if v, ok := b.claims[name]; ok {
			caller[name] = v
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"value": []map[string]any{
			{"id": 1, "title": "Rotate the demo app's client secret", "done": false},
			{"id": 2, "title": "Review the sign-in logs", "done": true},
		},
		"caller": caller,
	})
}

func stringClaim(c map[string]any, name string) string {
	s, _ := c[name].(string)
	return s
}
