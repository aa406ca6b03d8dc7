package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"sync/atomic"
	"time"
)

const sessionCookie = "aadx_emulator_session"

// session is a browser's signed-in user (single sign-on across authorize requests).
type session struct {
	UserOID  string
	MFA      bool
	AuthTime time.Time
}

// signInStep remembers a password check between the sign-in and consent pages. Binding names the one request
// it may complete: a flow id posted with another request's parameters approves nothing.
type signInStep struct {
	UserOID  string
	MFA      bool
	AuthTime time.Time
	Binding  string
}

// requestBinding identifies an authorization request by every parameter it carries through the pages.
func requestBinding(req authzRequest) string {
	sum := sha256.Sum256([]byte(req.TenantSeg + "|" + req.Params.Encode()))
	return "authorize|" + base64.RawURLEncoding.EncodeToString(sum[:])
}

// authCode is an issued authorization code; Redeemed marks a spent code so reuse is told apart (54005).
type authCode struct {
	Req      authzRequest
	UserOID  string
	MFA      bool
	AuthTime time.Time
	Redeemed *atomic.Bool
}

// sessionCookie is Entra's kind of session cookie: under TLS SameSite=None; Secure, so that a hidden iframe's
// prompt=none request (MSAL Browser's ssoSilent, a cross-site subresource) carries it. Browsers drop
// SameSite=None without Secure, so plain HTTP keeps Lax.
func (s *Server) sessionCookie(value string, maxAge int) *http.Cookie {
	c := &http.Cookie{Name: sessionCookie, Value: value, Path: "/", HttpOnly: true, MaxAge: maxAge, SameSite: http.SameSiteLaxMode}
	if s.opts.TLS {
		c.Secure, c.SameSite = true, http.SameSiteNoneMode
	}
	return c
}

func (s *Server) sessionUser(r *http.Request) (*user, bool, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, false, false
	}
	sess, ok := s.sessions.get(c.Value)
	if !ok {
		return nil, false, false
	}
	u := s.tenant.userByOID(sess.UserOID)
	return u, sess.MFA, u != nil
}

// handleSignIn is POST /{tenant}/login: the sign-in form (login, passwd) or the consent form (accept).
func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) {
	ids := idsFor(r)
	commonHeaders(w, ids)
	if !s.sameOrigin(r) {
		s.refuseCrossOrigin(w)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		renderPage(w, http.StatusBadRequest, "message", page{Title: "Bad request", Message: "The form could not be read."})
		return
	}
	req, pageErr, redirErr := s.parseAuthorize(r.PathValue("tenant"), r.PostForm)
	if pageErr != nil {
		s.renderErrorPage(w, ids, pageErr)
		return
	}
	if redirErr != nil {
		s.redirectError(w, r, ids, req, redirErr)
		return
	}
	if r.PostForm.Get("step") == "consent" {
		s.consentAnswer(w, r, ids, req)
		return
	}
	login := r.PostForm.Get("login")
	if !s.spendSignInToken(r.PostForm.Get("flow"), requestBinding(req)) {
		s.renderSignIn(w, req, login, "This sign-in page has expired or was not opened here. Please sign in again.")
		return
	}
	u := s.tenant.userByName(login)
	if u == nil || u.Password != r.PostForm.Get("passwd") {
		s.renderSignIn(w, req, login, "AADSTS50126: Error validating credentials due to invalid username or password.")
		return
	}
	s.completeSignIn(w, r, ids, req, u, false)
}

// completeSignIn starts the session, asks for consent when the user has not given it, then issues the code.
// A claims request that answers the MFA challenge stands for a satisfied second factor (emulated as approved).
func (s *Server) completeSignIn(w http.ResponseWriter, r *http.Request, ids requestIDs, req authzRequest, u *user, mfa bool) {
	now := s.now()
	mfa = mfa || claimsAnswerMFA(req.Claims)
	sid := randomID(24)
	s.sessions.put(sid, session{UserOID: u.OID, MFA: mfa, AuthTime: now}, sessionLifetime)
	http.SetCookie(w, s.sessionCookie(sid, int(sessionLifetime/time.Second)))
	missing := s.missingConsent(u, req)
	if s.opts.AutoApprove {
		s.recordConsent(u, req.Client, missing)
		missing = nil
	}
	if len(missing) > 0 || req.Prompt == "consent" {
		if req.Prompt == "none" {
			s.redirectError(w, r, ids, req, &entraError{Err: "consent_required", Code: 65001, Suberror: "consent_required",
				Message: "The user or administrator has not consented to use the application with ID '" + req.Client.ClientID + "'."})
			return
		}
		flow := randomID(24)
		s.steps.put(flow, signInStep{UserOID: u.OID, MFA: mfa, AuthTime: now, Binding: requestBinding(req)}, signInStepLifetime)
		hidden := append(hiddenFrom(req.Params), hiddenField{"step", "consent"}, hiddenField{"flow", flow})
		renderPage(w, http.StatusOK, "consent", page{Title: "Permissions requested", Action: s.url + "/" + req.TenantSeg + "/login",
			Hidden: hidden, Permissions: s.requestedPermissions(req), FormTargets: []string{originOf(req.RedirectURI)},
			Message: req.Client.Name + " (" + req.Client.ClientID + ") would like to sign you in as " + u.Username + " and:"})
		return
	}
	s.issueCode(w, r, req, u, mfa, now)
}

func (s *Server) consentAnswer(w http.ResponseWriter, r *http.Request, ids requestIDs, req authzRequest) {
	step, ok := s.steps.take(r.PostForm.Get("flow"))
	u := s.tenant.userByOID(step.UserOID)
	if !ok || u == nil || step.Binding != requestBinding(req) {
		s.renderSignIn(w, req, "", "Your sign-in took too long. Please sign in again.")
		return
	}
	if r.PostForm.Get("accept") != "yes" {
		s.redirectError(w, r, ids, req, &entraError{Err: "access_denied", Code: 65004, Message: "User declined to consent to access the app."})
		return
	}
	s.recordConsent(u, req.Client, s.requestedPermissions(req))
	s.issueCode(w, r, req, u, step.MFA, step.AuthTime)
}

// issueCode stores a single-use code and returns it to the client.
func (s *Server) issueCode(w http.ResponseWriter, r *http.Request, req authzRequest, u *user, mfa bool, authTime time.Time) {
	code := "1.AXkA" + randomID(48)
	stored := req
	stored.Params = nil // the page parameters are not needed to redeem; the code keeps only what it checks
	c := authCode{Req: stored, UserOID: u.OID, MFA: mfa, AuthTime: authTime, Redeemed: new(atomic.Bool)}
	if !s.codes.putSized(code, c, codeLifetime, c.size()) {
		s.redirectError(w, r, idsFor(r), req, errStoreFull())
		return
	}
	v := url.Values{"code": {code}, "session_state": {newGUID()}}
	if req.State != "" {
		v.Set("state", req.State)
	}
	if req.ClientInfo {
		v.Set("client_info", clientInfo(u.OID, s.tenant.ID))
	}
	s.deliver(w, r, req, v)
}

// requestedPermissions are the resource-qualified delegated permissions the request asks the user for.
func (s *Server) requestedPermissions(req authzRequest) []string {
	res, names := s.tenant.delegated(req.Client, req.Scopes)
	return qualified(res, names)
}

func consentKey(u *user, c *app) string { return u.OID + "|" + c.ClientID }

func (s *Server) missingConsent(u *user, req authzRequest) []string {
	have, _ := s.consents.get(consentKey(u, req.Client))
	var missing []string
	for _, p := range s.requestedPermissions(req) {
		if !slices.Contains(have, p) {
			missing = append(missing, p)
		}
	}
	return missing
}

func (s *Server) recordConsent(u *user, c *app, perms []string) {
	key := consentKey(u, c)
	have, _ := s.consents.get(key)
	for _, p := range perms {
		if !slices.Contains(have, p) {
			have = append(have, p)
		}
	}
	s.consents.put(key, have, refreshLifetime)
}

// hasConsent reports whether non-interactive grants (refresh, on-behalf-of) may use c's perms for u: the demo
// tenant's admin consented to every app's configured permissions, and users consent to more on the consent
// page. Under the consent-required scenario nobody consented to anything.
func (s *Server) hasConsent(u *user, c *app, res *resource, names []string) bool {
	if s.scenarios.on(scenarioConsentRequired) {
		return false
	}
	configured := c.permissionFor(res.AppID).Delegated
	if !slices.ContainsFunc(names, func(n string) bool { return !slices.Contains(configured, n) }) {
		return true
	}
	have, _ := s.consents.get(consentKey(u, c))
	for _, p := range qualified(res, names) {
		if !slices.Contains(have, p) {
			return false
		}
	}
	return true
}
