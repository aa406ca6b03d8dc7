package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// authorizeParams are the /authorize parameters carried through the sign-in pages as hidden fields [§2.1].
var authorizeParams = []string{"client_id", "redirect_uri", "response_type", "response_mode", "scope", "state",
	"nonce", "prompt", "login_hint", "domain_hint", "code_challenge", "code_challenge_method", "claims", "client_info"}

// authzRequest is a validated authorization request.
type authzRequest struct {
	TenantSeg   string
	Client      *app
	Redirect    redirect
	RedirectURI string // as sent
	Mode        string // query, fragment or form_post
	State       string
	Nonce       string
	Prompt      string
	LoginHint   string
	Challenge   string
	Method      string
	Claims      string
	ClientInfo  bool
	Scopes      scopeRequest
	Params      url.Values // the authorizeParams as received
}

// parseAuthorize validates a request in Entra's order. Errors before the redirect URI is trusted are shown as
// a page (RFC 6749 §4.1.2.1); later ones are redirected to the client.
func (s *Server) parseAuthorize(seg string, v url.Values) (req authzRequest, page, redirect *entraError) {
	req.TenantSeg = seg
	req.Params = url.Values{}
	for _, name := range authorizeParams {
		if val := v.Get(name); val != "" {
			req.Params.Set(name, val)
		}
	}
	if e := checkParamLimits(v); e != nil {
		return req, e, nil // shown, not redirected: an over-long state is not sent back
	}
	kind := s.classifyTenant(seg)
	if kind == tenantUnknown {
		return req, errTenantNotFound(seg), nil
	}
	clientID := v.Get("client_id")
	if clientID == "" {
		return req, errMissingQueryParam("client_id"), nil
	}
	if req.Client = s.tenant.appByID(clientID); req.Client == nil {
		return req, errUnknownClient(clientID), nil
	}
	if s.scenarios.on(scenarioAppDisabled) {
		return req, errAppDisabled(req.Client), nil
	}
	if kind == tenantConsumers {
		return req, errConsumersNotAllowed(req.Client), nil
	}
	req.RedirectURI = v.Get("redirect_uri")
	if req.RedirectURI == "" {
		if len(req.Client.Redirects) == 0 {
			return req, &entraError{Err: "invalid_request", Code: 900971, Message: "No reply address provided."}, nil
		}
		req.RedirectURI = req.Client.Redirects[0].URI // Entra picks a registered one [§2.1]
	}
	var ok bool
	if req.Redirect, ok = req.Client.redirectFor(req.RedirectURI); !ok {
		return req, errReplyURL(req.RedirectURI, clientID), nil
	}
	req.State, req.Nonce, req.Prompt = v.Get("state"), v.Get("nonce"), v.Get("prompt")
	req.LoginHint, req.Claims, req.ClientInfo = v.Get("login_hint"), v.Get("claims"), v.Get("client_info") == "1"
	req.Mode = v.Get("response_mode")
	switch rt := v.Get("response_type"); {
	case rt == "":
		return req, nil, errMissingQueryParam("response_type")
	case rt != "code":
		return req, nil, &entraError{Err: "unsupported_response_type", Code: 700054,
			Message: "response_type '" + rt + "' is not enabled for the application. This emulator issues authorization codes (response_type=code)."}
	}
	switch req.Mode {
	case "":
		req.Mode = "query"
	case "query", "fragment", "form_post":
	default:
		return req, nil, &entraError{Err: "invalid_request", Code: 900144, Message: "The provided value for the input parameter 'response_mode' is not valid: '" + req.Mode + "'. Use query, fragment or form_post."}
	}
	if !slices.Contains([]string{"", "login", "none", "consent", "select_account"}, req.Prompt) {
		return req, nil, &entraError{Err: "invalid_request", Code: 90023, Message: "Invalid prompt value '" + req.Prompt + "'."}
	}
	scope := v.Get("scope")
	if scope == "" {
		return req, nil, errMissingQueryParam("scope")
	}
	var e *entraError
	if req.Scopes, e = s.tenant.parseScopes(scope, false); e != nil {
		return req, nil, e
	}
	req.Challenge, req.Method = v.Get("code_challenge"), v.Get("code_challenge_method")
	if req.Challenge != "" {
		if req.Method == "" {
			req.Method = "plain" // RFC 7636 §4.3
		}
		if req.Method != "S256" && req.Method != "plain" {
			return req, nil, &entraError{Err: "invalid_request", Code: 501491, Message: "Invalid code_challenge_method '" + req.Method + "'. Use S256 or plain."}
		}
		if n := len(req.Challenge); n < 43 || n > 128 {
			return req, nil, &entraError{Err: "invalid_request", Code: 501491, Message: "Invalid size of Code_Challenge parameter."}
		}
	}
	return req, nil, nil
}

// handleAuthorize is GET (or POST) /authorize: an error page, an error redirect, the sign-in page, or with a
// session or AutoApprove the redirect with a code.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	ids := idsFor(r)
	commonHeaders(w, ids)
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		renderPage(w, http.StatusMethodNotAllowed, "message", page{Title: "Method not allowed", Message: "Use GET."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	_ = r.ParseForm()
	req, pageErr, redirErr := s.parseAuthorize(r.PathValue("tenant"), r.Form)
	if pageErr != nil {
		s.renderErrorPage(w, ids, pageErr)
		return
	}
	if redirErr != nil {
		s.redirectError(w, r, ids, req, redirErr)
		return
	}
	if u, mfa, ok := s.sessionUser(r); ok && req.Prompt != "login" && req.Prompt != "select_account" {
		s.completeSignIn(w, r, ids, req, u, mfa)
		return
	}
	if req.Prompt == "none" {
		s.redirectError(w, r, ids, req, &entraError{Err: "login_required", Code: 50058,
			Message: "A silent sign-in request was sent but no user is signed in."})
		return
	}
	if s.opts.AutoApprove {
		s.completeSignIn(w, r, ids, req, s.autoUser(req.LoginHint), false)
		return
	}
	s.renderSignIn(w, req, req.LoginHint, "")
}

// autoUser is the login_hint user, or the first demo user.
func (s *Server) autoUser(hint string) *user {
	if u := s.tenant.userByName(hint); u != nil {
		return u
	}
	return s.tenant.Users[0]
}

func (s *Server) renderSignIn(w http.ResponseWriter, req authzRequest, login, errMsg string) {
	hidden := hiddenFrom(req.Params)
	hidden = append(hidden, hiddenField{"step", "signin"}, hiddenField{"flow", s.signInToken(requestBinding(req))})
	renderPage(w, http.StatusOK, "signin", page{Title: "Sign in", Action: s.url + "/" + req.TenantSeg + "/login",
		Hidden: hidden, Login: login, Error: errMsg, FormTargets: []string{originOf(req.RedirectURI)},
		Message: "to continue to " + req.Client.Name})
}

// redirectError sends an OAuth error to the client's redirect URI (RFC 6749 §4.1.2.1).
func (s *Server) redirectError(w http.ResponseWriter, r *http.Request, ids requestIDs, req authzRequest, e *entraError) {
	b := e.body(ids, s.now())
	v := url.Values{"error": {b.Error}, "error_description": {b.ErrorDescription}, "error_uri": {b.ErrorURI}}
	if e.Suberror != "" {
		v.Set("suberror", e.Suberror)
	}
	if req.State != "" {
		v.Set("state", req.State)
	}
	s.deliver(w, r, req, v)
}

// deliver returns parameters to the client in the requested response mode [§2.1].
func (s *Server) deliver(w http.ResponseWriter, r *http.Request, req authzRequest, v url.Values) {
	if req.Mode == "form_post" {
		renderPage(w, http.StatusOK, "formpost", page{Action: req.RedirectURI, Hidden: hiddenFrom(v), FormTargets: []string{originOf(req.RedirectURI)}})
		return
	}
	target := req.RedirectURI
	if u, err := url.Parse(target); err == nil && u.Path == "" {
		target = strings.TrimSuffix(target, "/") + "/" // URIs without a path get a trailing slash [REPLY]
	}
	sep := "?"
	if req.Mode == "fragment" {
		sep = "#"
	} else if strings.Contains(target, "?") {
		sep = "&"
	}
	http.Redirect(w, r, target+sep+v.Encode(), http.StatusFound)
}

// redirectMatches applies Entra's redirect URI rules [REPLY]: exact scheme, host and path (path
// case-sensitive, "" ≡ "/"); the port is ignored for localhost and 127.0.0.1 (RFC 8252 §7.3).
func redirectMatches(registered, got string) bool {
	a, err1 := url.Parse(registered)
	b, err2 := url.Parse(got)
	if err1 != nil || err2 != nil || b.Fragment != "" || b.User != nil {
		return false
	}
	if !strings.EqualFold(a.Scheme, b.Scheme) || !strings.EqualFold(a.Hostname(), b.Hostname()) || a.RawQuery != b.RawQuery {
		return false
	}
	loopback := strings.EqualFold(a.Hostname(), "localhost") || a.Hostname() == "127.0.0.1"
	if !loopback && a.Port() != b.Port() {
		return false
	}
	pa, pb := a.EscapedPath(), b.EscapedPath()
	if pa == "" {
		pa = "/"
	}
	if pb == "" {
		pb = "/"
	}
	return pa == pb
}
