package emulator

import (
	"net/http"
	"net/url"
	"strings"
)

// issuerTemplate is the issuer of tenant-independent documents: validators substitute the token's tid [§1.2].
func (s *Server) issuerV2(tenantID string) string { return s.url + "/" + tenantID + "/v2.0" }

// metadataIssuer is the issuer a discovery document for segment announces.
func (s *Server) metadataIssuer(kind tenantKind, v1 bool) string {
	tid := "{tenantid}"
	switch kind {
	case tenantOwn:
		tid = s.tenant.ID
	case tenantConsumers:
		tid = consumersTenant
	}
	if v1 {
		return "https://sts.windows.net/" + tid + "/"
	}
	return s.issuerV2(tid)
}

// discoveryHeaders are Entra's headers on metadata endpoints: cacheable a day, CORS open [§1.2].
func discoveryHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "max-age=86400, private")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, OPTIONS")
}

// resolveTenant answers 90002 for an unknown tenant segment and reports the kind otherwise.
func (s *Server) resolveTenant(w http.ResponseWriter, r *http.Request, ids requestIDs) (string, tenantKind, bool) {
	seg := r.PathValue("tenant")
	kind := s.classifyTenant(seg)
	if kind == tenantUnknown {
		s.writeError(w, ids, errTenantNotFound(seg))
		return seg, kind, false
	}
	return seg, kind, true
}

func (s *Server) handleDiscoveryV2(w http.ResponseWriter, r *http.Request) {
	s.serveDiscovery(w, r, false)
}
func (s *Server) handleDiscoveryV1(w http.ResponseWriter, r *http.Request) {
	s.serveDiscovery(w, r, true)
}

func (s *Server) serveDiscovery(w http.ResponseWriter, r *http.Request, v1 bool) {
	ids := idsFor(r)
	commonHeaders(w, ids)
	discoveryHeaders(w)
	seg, kind, ok := s.resolveTenant(w, r, ids)
	if !ok {
		return
	}
	base := s.url + "/" + seg // endpoint URLs echo the tenant segment of the request [§1.2]
	oauth := base + "/oauth2/v2.0"
	jwks := base + "/discovery/v2.0/keys"
	if v1 {
		oauth, jwks = base+"/oauth2", base+"/discovery/keys"
	}
	var regionScope any // null for tenant-independent documents
	if kind == tenantOwn {
		regionScope = "NA"
	}
	doc := map[string]any{
		"token_endpoint":                        oauth + "/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"jwks_uri":                              jwks,
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"issuer":                                s.metadataIssuer(kind, v1),
		"request_uri_parameter_supported":       false,
		"userinfo_endpoint":                     "https://graph.microsoft.com/oidc/userinfo",
		"authorization_endpoint":                oauth + "/authorize",
		"device_authorization_endpoint":         oauth + "/devicecode",
		"http_logout_supported":                 true,
		"frontchannel_logout_supported":         true,
		"end_session_endpoint":                  oauth + "/logout",
		"claims_supported": []string{"sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name",
			"msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver",
			"at_hash", "c_hash", "email"},
		"kerberos_endpoint":     base + "/kerberos",
		"tenant_region_scope":   regionScope,
		"cloud_instance_name":   "microsoftonline.com",
		"cloud_graph_host_name": "graph.windows.net",
		"msgraph_host":          "graph.microsoft.com",
		"rbac_url":              "https://pas.windows.net",
	}
	if v1 {
		doc["userinfo_endpoint"] = base + "/openid/userinfo"
		doc["scopes_supported"] = []string{"openid"}
	}
	writeJSON(w, http.StatusOK, doc)
}

// handleKeys serves the JWKS in Entra's shape [§1.3]. The rotated key is published (first) only while the
// key-rotated scenario is on, so a client holding yesterday's JWKS meets an unknown kid.
func (s *Server) handleKeys(w http.ResponseWriter, r *http.Request) {
	ids := idsFor(r)
	commonHeaders(w, ids)
	discoveryHeaders(w)
	_, kind, ok := s.resolveTenant(w, r, ids)
	if !ok {
		return
	}
	current, err := s.signing.wait()
	if err != nil {
		s.writeError(w, ids, errServer(err))
		return
	}
	issuer := s.metadataIssuer(kind, false)
	if kind == tenantOwn {
		issuer = s.issuerV2("{tenantid}")
	}
	set := []jwk{current.jwk(issuer)}
	if s.scenarios.on(scenarioKeyRotated) {
		rotated, err := s.rotated.wait()
		if err != nil {
			s.writeError(w, ids, errServer(err))
			return
		}
		set = []jwk{rotated.jwk(issuer), current.jwk(issuer)}
	}
	for i := range set {
		set[i].CloudInstanceName = "microsoftonline.com"
	}
	writeJSON(w, http.StatusOK, map[string]any{"keys": set})
}

// handleInstanceDiscovery answers MSAL's instance discovery [§1.4]: this host is its own cloud.
func (s *Server) handleInstanceDiscovery(w http.ResponseWriter, r *http.Request) {
	ids := idsFor(r)
	commonHeaders(w, ids)
	discoveryHeaders(w)
	endpoint := r.URL.Query().Get("authorization_endpoint")
	u, err := url.Parse(endpoint)
	host := strings.TrimPrefix(strings.TrimPrefix(s.url, "https://"), "http://")
	if endpoint == "" || err != nil || !strings.EqualFold(u.Host, host) {
		s.writeError(w, ids, &entraError{Err: "invalid_instance", Code: 50049, Message: "Unknown or invalid instance."})
		return
	}
	tenant := "common"
	if parts := strings.Split(strings.Trim(u.Path, "/"), "/"); len(parts) > 0 && parts[0] != "" {
		tenant = parts[0]
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"tenant_discovery_endpoint": s.url + "/" + tenant + "/v2.0/.well-known/openid-configuration",
		"api-version":               "1.1",
		"metadata": []map[string]any{{
			"preferred_network": host, "preferred_cache": host, "aliases": []string{host},
		}},
	})
}

func errServer(err error) *entraError {
	return &entraError{Status: http.StatusInternalServerError, Err: "server_error", Code: 90033, Message: "An internal error occurred: " + err.Error()}
}
