package flows

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// usesPKCE: the pkce flow always, and any SPA or public client (PKCE is required for SPAs, reference §2.3).
func (r *Run) usesPKCE() bool {
	return r.flow.Client == ClientPublic || r.settings.Platform != PlatformWeb
}

// prepareAuthorize builds the authorization request URL (RFC 6749 §4.1.1, OIDC Core §3.1.2.1). state, nonce and
// the PKCE verifier are made once per run, so re-preparing shows the same values the provider will see.
func (r *Run) prepareAuthorize() (*Request, error) {
	st := r.State()
	if st.Endpoints.Authorization == "" {
		return nil, fmt.Errorf("%w: the authorize endpoint comes from the discovery leg", ErrNotReady)
	}
	if st.State == "" {
		var err error
		if st.State, err = randomString(r.opts.Rand, 16); err != nil {
			return nil, err
		}
		if st.Nonce, err = randomString(r.opts.Rand, 16); err != nil {
			return nil, err
		}
		if r.usesPKCE() {
			if st.PKCE, err = newPKCE(r.opts.Rand); err != nil {
				return nil, err
			}
		}
		r.update(func(s *State) { s.State, s.Nonce, s.PKCE = st.State, st.Nonce, st.PKCE })
	}
	s := r.settings
	req := &Request{Method: http.MethodGet, URL: st.Endpoints.Authorization, Params: []Param{
		param("client_id", s.ClientID),
		param("response_type", "code"),
		param("redirect_uri", s.RedirectURI),
		param("response_mode", s.ResponseMode),
		param("scope", strings.Join(s.Scopes, " ")),
		param("state", st.State),
	}}
	if slices.Contains(s.Scopes, "openid") {
		req.Params = append(req.Params, param("nonce", st.Nonce))
	}
	if st.PKCE != nil {
		req.Params = append(req.Params, param("code_challenge", st.PKCE.Challenge), param("code_challenge_method", st.PKCE.Method))
	}
	if s.LoginHint != "" {
		req.Params = append(req.Params, param("login_hint", s.LoginHint))
	}
	if s.Claims != "" {
		req.Params = append(req.Params, param("claims", s.Claims))
	}
	if s.Issuer != "" && !isEntraIssuer(s.Issuer) && slices.Contains(s.Scopes, "offline_access") {
		// OpenID Connect Core §11: most providers grant offline access only after explicit consent, and drop
		// the scope (no refresh token) without prompt=consent. Entra does not need it.
		req.Params = append(req.Params, param("prompt", "consent"))
	}
	return req, nil
}

// isEntraIssuer reports whether an issuer is Microsoft Entra's (any cloud, B2C or External ID), which grants
// offline_access without prompt=consent.
func isEntraIssuer(issuer string) bool {
	u, err := url.Parse(issuer)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	switch host {
	case "login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "sts.windows.net",
		"login.microsoftonline.us", "login.partner.microsoftonline.cn", "login.chinacloudapi.cn":
		return true
	}
	return strings.HasSuffix(host, ".b2clogin.com") || strings.HasSuffix(host, ".ciamlogin.com")
}

func (r *Run) sendBrowser(ctx context.Context, req *Request) error {
	full := req.FullURL()
	r.update(func(s *State) {
		s.AuthorizeURL, s.State, s.RedirectURI = full, req.Get("state"), req.Get("redirect_uri")
	})
	r.emit(Event{Kind: EventUserAction, Leg: req.Leg, LegName: req.Name,
		Action: &UserAction{URL: full, Message: "Open this URL in a browser and sign in."}})
	if r.opts.Browser == nil {
		return errors.New("authorize: no browser is set up; open the URL yourself and paste the redirect")
	}
	before, started := r.legExchangeCount(req.Leg), r.opts.Now()
	red, err := r.opts.Browser.Visit(ctx, full, req.Get("redirect_uri"))
	if r.legExchangeCount(req.Leg) == before {
		// The user's own browser did the HTTP: record the leg as it went, so that --json and the HAR show the
		// authorize request's parameters (state, nonce, PKCE method, prompt) and the redirect that came back.
		r.recordBrowserLeg(req, full, red, err, started)
	}
	if err != nil {
		return err
	}
	return r.applyRedirect(red)
}

// legExchangeCount is how many exchanges the run has recorded for leg.
func (r *Run) legExchangeCount(leg int) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, ex := range r.exchanges {
		if ex.Leg == leg {
			n++
		}
	}
	return n
}

// recordBrowserLeg adds the exchange a browser made outside aadx's client: GET the authorize URL, answered by
// a redirect to the redirect URI carrying the authorization response (a form post's fields as the body).
func (r *Run) recordBrowserLeg(req *Request, authorizeURL string, red *Redirect, visitErr error, started time.Time) {
	ex := Exchange{Leg: req.Leg, LegName: req.Name, Step: "browser", Method: http.MethodGet, URL: authorizeURL,
		Started: started, Timing: Timing{Total: r.opts.Now().Sub(started)}, Err: visitErr}
	if visitErr == nil && red != nil {
		ex.Status, ex.StatusText = http.StatusFound, "302 Found (followed by the browser to the redirect URI)"
		ex.ResponseHeaders = []Header{{Name: "Location", Value: red.URL}}
		if red.FormPost {
			ex.Status, ex.StatusText = http.StatusOK, "200 OK (a form the browser posted to the redirect URI)"
			ex.ResponseHeaders = []Header{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}}
			ex.ResponseBody = red.Params.Encode()
		}
	}
	r.mu.Lock()
	r.nextID++
	ex.ID = r.nextID
	r.exchanges = append(r.exchanges, ex)
	r.mu.Unlock()
}

// ApplyRedirect completes the authorize leg with a redirect URL pasted by the user (e.g. from the address bar,
// for a web app whose redirect URI is not on this machine). The code may be in the query or the fragment.
func (r *Run) ApplyRedirect(raw string) error {
	i := slices.IndexFunc(r.legs[r.firstLeg():], func(l Leg) bool { return l.Kind == KindBrowser })
	if i >= 0 {
		i += r.firstLeg()
	}
	if i < 0 {
		return errors.New("this flow has no browser leg")
	}
	red, err := ParseRedirect(raw)
	if err == nil {
		r.setStatus(i, StatusRunning, nil)
		err = r.applyRedirect(red)
	}
	r.finish(&Request{Leg: i, Name: r.legs[i].Name}, err)
	return err
}

// ParseRedirect reads an authorization response from a redirect URL's query or fragment.
func ParseRedirect(raw string) (*Redirect, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || !u.IsAbs() {
		return nil, &FieldError{Field: "redirect", Value: raw, Problem: "is not a URL", Fix: "paste the whole address the browser was sent to, starting with http"}
	}
	params := u.Query()
	if params.Get("code") == "" && params.Get("error") == "" && u.Fragment != "" {
		if f, err := url.ParseQuery(u.Fragment); err == nil {
			params = f
		}
	}
	return &Redirect{URL: raw, Params: params}, nil
}

// applyRedirect checks the authorization response (RFC 6749 §4.1.2) and keeps the code.
func (r *Run) applyRedirect(red *Redirect) error {
	if oe := ErrorFromParams(red.Params); oe != nil {
		return oe
	}
	st := r.State()
	if red.Params.Get("state") != st.State {
		return &ProtocolError{Leg: LegAuthorize, Problem: "the redirect was refused", Err: ErrStateMismatch}
	}
	// RFC 9207 §2.4: when the provider names itself on the redirect, it must be the provider this run talks to
	// (a mix-up attack otherwise). Only a discovered issuer is known for sure; Entra's tenant-independent one is a
	// {tenantid} template and, without discovery, a domain tenant's issuer is not known.
	known := st.Discovery != "" && !strings.Contains(st.Endpoints.Issuer, "{")
	if iss := red.Params.Get("iss"); iss != "" && known &&
		strings.TrimRight(iss, "/") != strings.TrimRight(st.Endpoints.Issuer, "/") {
		return &ProtocolError{Leg: LegAuthorize, Problem: fmt.Sprintf("the redirect names issuer %q, not %q (RFC 9207)", iss, st.Endpoints.Issuer)}
	}
	code := red.Params.Get("code")
	if code == "" {
		return &ProtocolError{Leg: LegAuthorize, Problem: "the redirect carries neither a code nor an error"}
	}
	r.update(func(s *State) { s.Redirect, s.Code = red, code })
	return nil
}

func (r *Run) prepareRedeem() (*Request, error) {
	st := r.State()
	if st.Code == "" {
		return nil, fmt.Errorf("%w: the code comes from the authorize leg", ErrNotReady)
	}
	s := r.settings
	params := []Param{
		param("client_id", s.ClientID),
		param("grant_type", "authorization_code"),
		param("code", st.Code),
		// RFC 6749 §4.1.3: identical to the authorize request's, which an edit or the loopback listener's port may
		// have changed from the settings.
		param("redirect_uri", cmp.Or(st.RedirectURI, s.RedirectURI)),
		param("scope", strings.Join(s.Scopes, " ")),
	}
	if st.PKCE != nil {
		params = append(params, param("code_verifier", st.PKCE.Verifier))
	}
	return r.tokenRequest(params, s.Platform == PlatformWeb)
}
