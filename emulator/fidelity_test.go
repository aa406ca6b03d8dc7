package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// errorCode decodes an Entra error body and returns its first AADSTS code (0 when the body is no error).
func errorCode(t testing.TB, body string) int {
	t.Helper()
	var e errorBody
	if json.Unmarshal([]byte(body), &e) != nil || len(e.ErrorCodes) == 0 {
		return 0
	}
	return e.ErrorCodes[0]
}

// TestAssertionFractionalNumericDate: MSAL Python sends exp/iat/nbf with a fraction; RFC 7519 NumericDate
// allows it and Entra accepts it. A malformed time claim gets a message naming that claim.
func TestAssertionFractionalNumericDate(t *testing.T) {
	s := newTestServer(t, Options{NoListener: true})
	now := float64(time.Now().UnixNano()) / 1e9
	frac := assertion(t, s, jose.RS256, nil, map[string]any{"iat": now, "nbf": now - 0.5, "exp": now + 599.6246638})
	resp, body := s.call(t, tokenCall{form: ccForm(daemonClientID, "client_assertion_type", assertionTypeJWT, "client_assertion", frac)})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("fractional NumericDate: %d %s", resp.StatusCode, body)
	}
	for _, claim := range []string{"exp", "nbf"} {
		bad := assertion(t, s, jose.RS256, nil, map[string]any{claim: "tomorrow"})
		resp, body := s.call(t, tokenCall{form: ccForm(daemonClientID, "client_assertion_type", assertionTypeJWT, "client_assertion", bad)})
		if resp.StatusCode != http.StatusUnauthorized || errorCode(t, body) != 50027 || !strings.Contains(body, "'"+claim+"'") {
			t.Errorf("%s as a string: %d %s", claim, resp.StatusCode, body)
		}
	}
}

// TestSessionCookieCrossSiteUnderTLS: a hidden iframe's prompt=none request is cross-site, so under TLS the
// session cookie is SameSite=None; Secure as Entra's are. Plain HTTP keeps Lax (browsers drop None without
// Secure).
func TestSessionCookieCrossSiteUnderTLS(t *testing.T) {
	for _, tls := range []bool{true, false} {
		s := newTestServer(t, Options{TLS: tls, AutoApprove: true})
		resp, _ := s.call(t, tokenCall{method: http.MethodGet, path: authorizeQuery(s.Description().Apps.Web)})
		cookie := resp.Header.Get("Set-Cookie")
		want := "SameSite=Lax"
		if tls {
			want = "SameSite=None"
		}
		if !strings.Contains(cookie, want) || tls != strings.Contains(cookie, "Secure") || !strings.Contains(cookie, "HttpOnly") {
			t.Errorf("TLS %v: Set-Cookie %q, want %s", tls, cookie, want)
		}
	}
}

// TestOnlyTheChallengeAnswersMFA: MSAL JS sends id_token claims on every authorize request; they do not
// satisfy an MFA policy. The challenge's capolids, also merged with client capabilities, do.
func TestOnlyTheChallengeAnswersMFA(t *testing.T) {
	s := newTestServer(t, Options{NoListener: true, AutoApprove: true})
	d := s.Description()
	web := d.Apps.Web
	redeem := func(claims string) (*http.Response, string) {
		code := authorizeCode(t, s, web, url.Values{"login_hint": {d.Users[1].Username}, "claims": {claims}})
		return s.call(t, tokenCall{form: url.Values{"grant_type": {"authorization_code"}, "client_id": {web.ClientID},
			"client_secret": {web.ClientSecret}, "code": {code}, "redirect_uri": {web.RedirectURI}}})
	}
	for _, claims := range []string{
		`{"id_token":{"login_hint":{"essential":true},"signin_state":{"essential":true}}}`,
		`{"access_token":{"xms_cc":{"values":["CP1"]}}}`,
		`{"access_token":{"capolids":{"essential":true,"values":["00000000-0000-0000-0000-000000000000"]}}}`,
		`not json`,
	} {
		if resp, body := redeem(claims); resp.StatusCode != 400 || errorCode(t, body) != 50076 {
			t.Errorf("claims %s: %d %s, want AADSTS50076", claims, resp.StatusCode, body)
		}
	}
	merged := `{"access_token":{"xms_cc":{"values":["CP1"]},"capolids":{"essential":true,"values":["5a3e9c1b-7d24-4f86-b0e1-9c2d7a4f3e58"]}}}`
	for _, claims := range []string{mfaClaimsChallenge, merged} {
		if resp, body := redeem(claims); resp.StatusCode != 200 {
			t.Errorf("claims %s: %d %s, want 200", claims, resp.StatusCode, body)
		}
	}
}

// TestSPARefreshTokenFixedLifetime: a SPA's refresh tokens expire 24 h after the first sign-in however often
// they rotate, and an expired one is AADSTS700084.
func TestSPARefreshTokenFixedLifetime(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	s := newTestServer(t, Options{NoListener: true, AutoApprove: true, Now: clk.Now})
	spa := s.Description().Apps.SPA
	origin := map[string]string{"Origin": "http://localhost:3000"}
	verifier := strings.Repeat("v", 50)
	code := authorizeCode(t, s, spa, url.Values{"code_challenge": {verifier}, "code_challenge_method": {"plain"}})
	refresh := func(rt string) (*http.Response, tokenResponse, string) {
		resp, body := s.call(t, tokenCall{headers: origin, form: url.Values{"grant_type": {"refresh_token"},
			"client_id": {spa.ClientID}, "refresh_token": {rt}}})
		var tr tokenResponse
		_ = json.Unmarshal([]byte(body), &tr)
		return resp, tr, body
	}
	resp, body := s.call(t, tokenCall{headers: origin, form: url.Values{"grant_type": {"authorization_code"},
		"client_id": {spa.ClientID}, "code": {code}, "redirect_uri": {spa.RedirectURI}, "code_verifier": {verifier}}})
	var first tokenResponse
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &first) != nil || first.RefreshToken == "" {
		t.Fatalf("redeem: %d %s", resp.StatusCode, body)
	}
	rt := first.RefreshToken
	for range 2 { // rotate twice, 10 h apart: still inside the first 24 h
		clk.Advance(10 * time.Hour)
		resp, tr, body := refresh(rt)
		if resp.StatusCode != 200 || tr.RefreshToken == "" {
			t.Fatalf("refresh at +%v: %d %s", clk.Now().Sub(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)), resp.StatusCode, body)
		}
		rt = tr.RefreshToken
	}
	clk.Advance(5 * time.Hour) // 25 h after sign-in; the newest token is 5 h old
	for _, tok := range []string{rt, first.RefreshToken} {
		resp, _, body := refresh(tok)
		if resp.StatusCode != 400 || errorCode(t, body) != 700084 || !strings.Contains(body, "single page app") {
			t.Errorf("refresh at +25h: %d %s, want AADSTS700084", resp.StatusCode, body)
		}
	}
}

// TestDevicePollsArePending: Entra answers every early poll authorization_pending; slow_down comes only with
// the device-slow-down scenario.
func TestDevicePollsArePending(t *testing.T) {
	s := newTestServer(t, Options{NoListener: true, DeviceInterval: time.Hour})
	poll := func(dc string) string {
		_, body := s.call(t, tokenCall{form: url.Values{"grant_type": {grantDeviceCodeURN}, "client_id": {publicClientID}, "device_code": {dc}}})
		var e errorBody
		_ = json.Unmarshal([]byte(body), &e)
		return e.Error
	}
	dc := deviceCode(t, s)
	for i := range 3 {
		if got := poll(dc); got != "authorization_pending" {
			t.Errorf("poll %d = %q, want authorization_pending", i, got)
		}
	}
	if err := s.SetScenarios([]string{"device-slow-down"}); err != nil {
		t.Fatal(err)
	}
	dc = deviceCode(t, s)
	if got := poll(dc); got != "slow_down" {
		t.Errorf("early poll under device-slow-down = %q, want slow_down", got)
	}
}

// TestBindings: a consent flow approves only its own request; a declined device code stays declined; a code
// is redeemed only on the tenant path it was issued on; a verifier for a code issued without PKCE is refused.
func TestBindings(t *testing.T) {
	t.Run("consent flow is bound to its request", func(t *testing.T) {
		s := newTestServer(t, Options{})
		d := s.Description()
		consentPage := func(state string) (string, url.Values) {
			b := newBrowser(t, s, d.Users[0].Username, d.Users[0].Password)
			page := readAll(t, b.do(http.MethodGet, s.URL()+authorizeQuery(d.Apps.Web, "state", state), nil))
			action, fields := parseForm(t, page)
			fields.Set("login", d.Users[0].Username)
			fields.Set("passwd", d.Users[0].Password)
			page = readAll(t, b.do(http.MethodPost, action, fields))
			action, fields = parseForm(t, page)
			if fields.Get("flow") == "" {
				t.Fatalf("no consent flow: %s", page)
			}
			return action, fields
		}
		_, a := consentPage("A")
		action, b := consentPage("B")
		b.Set("flow", a.Get("flow"))
		b.Set("accept", "yes")
		resp, body := s.call(t, tokenCall{path: strings.TrimPrefix(action, s.URL()), form: b})
		if loc := resp.Header.Get("Location"); strings.Contains(loc, "code=") {
			t.Fatalf("A's consent flow approved B: %s", loc)
		}
		if !strings.Contains(body, `name="passwd"`) {
			t.Errorf("want the sign-in page again, got %d %s", resp.StatusCode, body)
		}
	})
	t.Run("declined device code stays declined", func(t *testing.T) {
		s := newTestServer(t, Options{})
		d := s.Description()
		resp, body := s.call(t, tokenCall{path: "/" + demoTenantID + "/oauth2/v2.0/devicecode",
			form: url.Values{"client_id": {publicClientID}, "scope": {"openid " + apiScope()}}})
		var dc struct{ DeviceCode, UserCode string }
		_ = json.Unmarshal([]byte(strings.NewReplacer("device_code", "DeviceCode", "user_code", "UserCode").Replace(body)), &dc)
		if resp.StatusCode != 200 || dc.UserCode == "" {
			t.Fatalf("devicecode: %d %s", resp.StatusCode, body)
		}
		answer := func(accept string) string {
			form := url.Values{"step": {"otc"}, "otc": {dc.UserCode}}
			page := ""
			for _, step := range []string{"otc", "signin", "confirm"} {
				_, page = s.call(t, tokenCall{path: deviceVerificationPath, form: form})
				if step == "confirm" || !strings.Contains(page, "<form") {
					break
				}
				_, form = parseForm(t, page)
				form.Set("login", d.Users[0].Username)
				form.Set("passwd", d.Users[0].Password)
				form.Set("accept", accept)
			}
			return page
		}
		if page := answer("no"); !strings.Contains(page, "Sign-in cancelled") {
			t.Fatalf("decline: %s", page)
		}
		if page := answer("yes"); !strings.Contains(page, "already") {
			t.Errorf("the declined code's page: %s", page)
		}
		_, body = s.call(t, tokenCall{form: url.Values{"grant_type": {grantDeviceCodeURN}, "client_id": {publicClientID}, "device_code": {dc.DeviceCode}}})
		if !strings.Contains(body, "authorization_declined") {
			t.Errorf("after decline then approve: %s", body)
		}
	})
	t.Run("code is redeemed on its own tenant", func(t *testing.T) {
		s := newTestServer(t, Options{NoListener: true, AutoApprove: true})
		web := s.Description().Apps.Web
		form := func(code string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "client_id": {web.ClientID}, "client_secret": {web.ClientSecret},
				"code": {code}, "redirect_uri": {web.RedirectURI}}
		}
		code := authorizeCode(t, s, web, nil) // issued on the tenant's GUID path
		resp, body := s.call(t, tokenCall{path: "/organizations/oauth2/v2.0/token", form: form(code)})
		if resp.StatusCode != 400 || errorCode(t, body) != 700005 {
			t.Errorf("redeemed on /organizations: %d %s, want AADSTS700005", resp.StatusCode, body)
		}
		if resp, body := s.call(t, tokenCall{path: "/" + demoTenantDomain + "/oauth2/v2.0/token", form: form(code)}); resp.StatusCode != 200 {
			t.Errorf("redeemed on the tenant's domain: %d %s", resp.StatusCode, body)
		}
	})
	t.Run("verifier without a challenge", func(t *testing.T) {
		s := newTestServer(t, Options{NoListener: true, AutoApprove: true})
		web := s.Description().Apps.Web
		code := authorizeCode(t, s, web, nil)
		resp, body := s.call(t, tokenCall{form: url.Values{"grant_type": {"authorization_code"}, "client_id": {web.ClientID},
			"client_secret": {web.ClientSecret}, "code": {code}, "redirect_uri": {web.RedirectURI}, "code_verifier": {strings.Repeat("v", 43)}}})
		if resp.StatusCode != 400 || errorCode(t, body) != 50148 {
			t.Errorf("verifier for a code without PKCE: %d %s, want AADSTS50148", resp.StatusCode, body)
		}
	})
}
