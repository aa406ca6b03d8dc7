package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func authorizeQuery(a App, extra ...string) string {
	q := url.Values{"client_id": {a.ClientID}, "redirect_uri": {a.RedirectURI}, "response_type": {"code"},
		"scope": {"openid profile " + apiScope()}, "state": {"xyz"}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return "/" + demoTenantID + "/oauth2/v2.0/authorize?" + q.Encode()
}

// TestAuthorizeErrorPages: errors about the client or its redirect URI must not redirect (RFC 6749 §4.1.2.1).
func TestAuthorizeErrorPages(t *testing.T) {
	s := newTestServer(t, Options{AutoApprove: true})
	web := s.Description().Apps.Web
	tests := []struct {
		name, path, want string
	}{
		{"unknown client", authorizeQuery(App{ClientID: "0f0f0f0f-0000-4000-8000-000000000000", RedirectURI: web.RedirectURI}), "AADSTS700016"},
		{"unregistered redirect URI", authorizeQuery(App{ClientID: web.ClientID, RedirectURI: "https://evil.example/cb"}), "AADSTS50011"},
		{"redirect path differs", authorizeQuery(App{ClientID: web.ClientID, RedirectURI: "http://localhost/Callback"}), "AADSTS50011"},
		{"unknown tenant", "/nosuch.example/oauth2/v2.0/authorize?client_id=" + web.ClientID, "AADSTS90002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := s.call(t, tokenCall{method: http.MethodGet, path: tt.path})
			if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
				t.Fatalf("status %d location %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, tt.want) {
				t.Errorf("page does not name %s:\n%s", tt.want, body)
			}
		})
	}
}

// TestAuthorizeResponseModes: the port of a localhost redirect URI is ignored; each response mode delivers
// code and state its own way.
func TestAuthorizeResponseModes(t *testing.T) {
	s := newTestServer(t, Options{AutoApprove: true})
	d := s.Description()
	web := d.Apps.Web
	web.RedirectURI = "http://localhost:8765/callback"
	tests := []struct {
		mode  string
		check func(t *testing.T, resp *http.Response, body string)
	}{
		{"query", func(t *testing.T, resp *http.Response, _ string) {
			loc, _ := url.Parse(resp.Header.Get("Location"))
			if resp.StatusCode != 302 || loc.Host != "localhost:8765" || loc.Query().Get("code") == "" || loc.Query().Get("state") != "xyz" ||
				loc.Query().Get("client_info") != clientInfo(d.Users[0].OID, d.TenantID) {
				t.Errorf("query: %d %s", resp.StatusCode, loc)
			}
		}},
		{"fragment", func(t *testing.T, resp *http.Response, _ string) {
			loc, _ := url.Parse(resp.Header.Get("Location"))
			frag, _ := url.ParseQuery(loc.Fragment)
			if resp.StatusCode != 302 || loc.RawQuery != "" || frag.Get("code") == "" || frag.Get("state") != "xyz" {
				t.Errorf("fragment: %d %s", resp.StatusCode, loc)
			}
		}},
		{"form_post", func(t *testing.T, resp *http.Response, body string) {
			action, fields := parseForm(t, body)
			if resp.StatusCode != 200 || action != web.RedirectURI || fields.Get("code") == "" || fields.Get("state") != "xyz" ||
				!strings.Contains(body, "document.forms[0].submit()") {
				t.Errorf("form_post: %d %s %v", resp.StatusCode, action, fields)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			resp, body := s.call(t, tokenCall{method: http.MethodGet, path: authorizeQuery(web, "response_mode", tt.mode, "client_info", "1")})
			tt.check(t, resp, body)
		})
	}
}

// TestSignInPages walks the HTML pages as a person would: a wrong password, then consent, then the code.
func TestSignInPages(t *testing.T) {
	s := newTestServer(t, Options{})
	d := s.Description()
	b := newBrowser(t, s, d.Users[0].Username, "wrong password")
	resp := b.do(http.MethodGet, s.URL()+authorizeQuery(d.Apps.Web), nil)
	page := readAll(t, resp)
	action, fields := parseForm(t, page)
	if !strings.Contains(page, `name="login"`) || !strings.Contains(page, `name="passwd"`) || fields.Get("client_id") != d.Apps.Web.ClientID {
		t.Fatalf("sign-in page: %s", page)
	}
	fields.Set("login", d.Users[0].Username)
	fields.Set("passwd", "wrong password")
	page = readAll(t, b.do(http.MethodPost, action, fields))
	if !strings.Contains(page, "AADSTS50126") {
		t.Fatalf("wrong password page does not name AADSTS50126: %s", page)
	}
	action, fields = parseForm(t, page)
	fields.Set("login", d.Users[0].Username)
	fields.Set("passwd", d.Users[0].Password)
	page = readAll(t, b.do(http.MethodPost, action, fields))
	if !strings.Contains(page, `name="accept" value="yes"`) || !strings.Contains(page, `name="accept" value="no"`) || !strings.Contains(page, apiScope()) {
		t.Fatalf("consent page: %s", page)
	}
	action, fields = parseForm(t, page)
	fields.Set("accept", "yes")
	resp = b.do(http.MethodPost, action, fields)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc.Query().Get("code") == "" || loc.Query().Get("state") != "xyz" {
		t.Fatalf("after consent: %d %s", resp.StatusCode, loc)
	}
	// The session now signs in silently, and consent is remembered.
	resp = b.do(http.MethodGet, s.URL()+authorizeQuery(d.Apps.Web, "prompt", "none"), nil)
	if loc, _ := url.Parse(resp.Header.Get("Location")); resp.StatusCode != http.StatusFound || loc.Query().Get("code") == "" {
		t.Fatalf("silent sign-in: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestPromptNoneWithoutSession(t *testing.T) {
	s := newTestServer(t, Options{})
	resp, _ := s.call(t, tokenCall{method: http.MethodGet, path: authorizeQuery(s.Description().Apps.Web, "prompt", "none")})
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc.Query().Get("error") != "login_required" || !strings.HasPrefix(loc.Query().Get("error_description"), "AADSTS50058:") {
		t.Fatalf("prompt=none: %d %s", resp.StatusCode, loc)
	}
}

func TestConsentDeclined(t *testing.T) {
	s := newTestServer(t, Options{})
	d := s.Description()
	b := newBrowser(t, s, d.Users[0].Username, d.Users[0].Password)
	b.accept = "no"
	r := b.open(s.URL() + authorizeQuery(d.Apps.Web))
	loc, _ := url.Parse(r.redirect)
	if loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "xyz" {
		t.Fatalf("declined consent: %s", r.redirect)
	}
}

func TestRedirectMatches(t *testing.T) {
	tests := []struct {
		registered, got string
		want            bool
	}{
		{"http://localhost/callback", "http://localhost:51234/callback", true},
		{"http://localhost", "http://localhost:40000", true},
		{"http://localhost", "http://localhost:40000/", true},
		{"http://127.0.0.1", "http://127.0.0.1:9/", true},
		{"http://localhost/callback", "http://localhost/Callback", false},
		{"http://localhost/callback", "https://localhost/callback", false},
		{"https://app.example/cb", "https://app.example:8443/cb", false},
		{"https://app.example/cb", "https://app.example/cb?x=1", false},
		{"http://localhost/callback", "http://localhost/callback#frag", false},
	}
	for _, tt := range tests {
		if got := redirectMatches(tt.registered, tt.got); got != tt.want {
			t.Errorf("redirectMatches(%q, %q) = %v, want %v", tt.registered, tt.got, got, tt.want)
		}
	}
}
