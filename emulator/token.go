package emulator

import (
	"net/http"
	"net/url"
)

// maxFormBytes bounds a /token or /devicecode body.
const maxFormBytes = 1 << 20

// Grant types accepted at /token [§2]. Device code is accepted under MSAL's short spelling too [§2.7].
const (
	grantAuthorizationCode = "authorization_code"
	grantRefreshToken      = "refresh_token"
	grantClientCredentials = "client_credentials"
	grantDeviceCodeURN     = "urn:ietf:params:oauth:grant-type:device_code"
	grantDeviceCodeShort   = "device_code"
	grantJWTBearer         = "urn:ietf:params:oauth:grant-type:jwt-bearer"
)

// tokenRequest is one call of /token after the common checks.
type tokenRequest struct {
	r          *http.Request
	form       url.Values
	tenantSeg  string
	tenantKind tenantKind
	client     authenticatedClient
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	ids := idsFor(r)
	commonHeaders(w, ids)
	noStore(w)
	corsForToken(w, r)
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusOK)
		return
	}
	if r.Method != http.MethodPost {
		s.writeError(w, ids, errWrongMethod(r.Method))
		return
	}
	resp, e := s.token(w, r)
	if e != nil {
		s.writeError(w, ids, e)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// corsForToken lets single-page apps redeem codes cross-origin, as Entra does.
func corsForToken(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	if origin := r.Header.Get("Origin"); origin != "" {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Vary", "Origin")
	}
	h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "content-type, client-request-id, x-client-sku, x-client-ver, x-client-os, x-client-cpu")
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) (tokenResponse, *entraError) {
	seg := r.PathValue("tenant")
	kind := s.classifyTenant(seg)
	if kind == tenantUnknown {
		return tokenResponse{}, errTenantNotFound(seg)
	}
	if s.scenarios.on(scenarioThrottled) {
		return tokenResponse{}, errThrottled()
	}
	if s.scenarios.on(scenarioTransient5xx) && s.tokenHits.Add(1)%2 == 1 {
		return tokenResponse{}, errTransient()
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return tokenResponse{}, errGrantInvalid("The request body must be application/x-www-form-urlencoded and under 1 MiB.")
	}
	form := r.PostForm
	grantType := form.Get("grant_type")
	if grantType == "" {
		return tokenResponse{}, errMissingParam("grant_type")
	}
	switch grantType {
	case grantAuthorizationCode, grantRefreshToken, grantClientCredentials, grantDeviceCodeURN, grantDeviceCodeShort, grantJWTBearer:
	default:
		return tokenResponse{}, errUnsupportedGrant(grantType)
	}
	client, e := s.authenticateClient(r, form, kind)
	if e != nil {
		return tokenResponse{}, e
	}
	req := tokenRequest{r: r, form: form, tenantSeg: seg, tenantKind: kind, client: client}
	switch grantType {
	case grantAuthorizationCode:
		return s.grantAuthorizationCode(req)
	case grantRefreshToken:
		return s.grantRefreshToken(req)
	case grantClientCredentials:
		return s.grantClientCredentials(req)
	case grantJWTBearer:
		return s.grantOnBehalfOf(req)
	default:
		return s.grantDeviceCode(req)
	}
}

// userPolicy applies the MFA policy (per user, or to everyone under mfa-required): a token for a user whose
// sign-in did not satisfy MFA is refused with a claims challenge [§3.3 (6)].
func (s *Server) userPolicy(g grant) *entraError {
	if (g.User.MFA || s.scenarios.on(scenarioMFARequired)) && !g.MFA {
		return errMFARequired(g.Resource.AppID)
	}
	return nil
}

// issue mints the response and maps a signing failure to server_error.
func (s *Server) issue(g grant, req tokenRequest, spa bool) (tokenResponse, *entraError) {
	if g.Claims == "" {
		g.Claims = req.form.Get("claims")
	}
	if e := s.sessionRevoked(g, req); e != nil {
		return tokenResponse{}, e
	}
	resp, err := s.respond(g, req.form.Get("client_info") == "1", spa)
	if err != nil {
		return tokenResponse{}, errServer(err)
	}
	return resp, nil
}
