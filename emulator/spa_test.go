package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSPARedemption: a SPA redeems cross-origin with PKCE; the answer carries CORS for its origin, and its
// refresh token also needs the Origin.
func TestSPARedemption(t *testing.T) {
	s := newTestServer(t, Options{NoListener: true, AutoApprove: true})
	spa := s.Description().Apps.SPA
	verifier := strings.Repeat("x", 64)
	sum := sha256.Sum256([]byte(verifier))
	code := authorizeCode(t, s, spa, url.Values{"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}})
	origin := map[string]string{"Origin": "http://localhost:3000"}
	resp, body := s.call(t, tokenCall{headers: origin, form: url.Values{"grant_type": {"authorization_code"}, "client_id": {spa.ClientID},
		"code": {code}, "redirect_uri": {spa.RedirectURI}, "code_verifier": {verifier}}})
	var tr tokenResponse
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &tr) != nil || tr.RefreshToken == "" {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
		t.Errorf("CORS header = %q", resp.Header.Get("Access-Control-Allow-Origin"))
	}
	refresh := url.Values{"grant_type": {"refresh_token"}, "client_id": {spa.ClientID}, "refresh_token": {tr.RefreshToken}}
	if resp, body := s.call(t, tokenCall{form: refresh}); resp.StatusCode != 400 || !strings.Contains(body, "AADSTS9002327") {
		t.Errorf("refresh without Origin: %d %s", resp.StatusCode, body)
	}
	if resp, body := s.call(t, tokenCall{form: refresh, headers: origin}); resp.StatusCode != 200 {
		t.Errorf("refresh with Origin: %d %s", resp.StatusCode, body)
	}
}

func TestLogout(t *testing.T) {
	s := newTestServer(t, Options{NoListener: true})
	resp, _ := s.call(t, tokenCall{method: http.MethodGet, path: "/common/oauth2/v2.0/logout?post_logout_redirect_uri=" + url.QueryEscape("http://localhost/callback")})
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "http://localhost/callback" {
		t.Errorf("registered URI: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := s.call(t, tokenCall{method: http.MethodGet, path: "/common/oauth2/v2.0/logout?post_logout_redirect_uri=" + url.QueryEscape("https://evil.example/")})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "signed out") {
		t.Errorf("unregistered URI must not redirect: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}
