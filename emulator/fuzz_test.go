package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzTokenForm throws arbitrary bodies and headers at /token: every answer must be a well-formed Entra
// error or token response, never a panic or a 5xx.
func FuzzTokenForm(f *testing.F) {
	for _, seed := range []string{
		"grant_type=client_credentials&client_id=" + daemonClientID + "&client_secret=x&scope=api%3A%2F%2F" + apiClientID + "%2F.default",
		"grant_type=authorization_code&client_id=" + webClientID + "&code=abc&redirect_uri=http%3A%2F%2Flocalhost%2Fcallback",
		"grant_type=device_code&client_id=" + publicClientID + "&device_code=%00%ff",
		"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=" + apiClientID + "&assertion=a.b.c&requested_token_use=on_behalf_of",
		"client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJhbGciOiJQUzI1NiJ9.e30.x",
		"%zz=&&&=",
	} {
		f.Add(seed, "application/x-www-form-urlencoded", "")
	}
	s, err := New(Options{NoListener: true, Dir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = s.Close() })
	h := s.Handler()
	f.Fuzz(func(t *testing.T, body, contentType, authorization string) {
		req := httptest.NewRequest(http.MethodPost, "/"+demoTenantID+"/oauth2/v2.0/token", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		if authorization != "" {
			req.Header.Set("Authorization", authorization)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("not JSON for %q: %s", body, rec.Body)
		}
		if rec.Code != http.StatusOK && (out["error"] == nil || out["error_codes"] == nil) {
			t.Fatalf("error without error/error_codes: %s", rec.Body)
		}
	})
}
