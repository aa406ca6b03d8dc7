package tui

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/aadx/aadx/decode"
)

func unsignedToken(header, claims string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(claims)) + ".c2ln"
}

// The claims pane answers "would the API this token is for accept it?", the failing rule first with its
// code and fix, and re-renders the same answer every time.
func TestClaimsPaneVerdict(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	const tid = "7c1e5a9d-3b2f-4e86-9d41-6a0b2c8f5e13"
	fresh := `"iat":1795946400,"nbf":1795946400,"exp":1795950000`
	tests := []struct {
		name, header, claims string
		wants                []string
	}{
		{"accepted", `{"alg":"RS256","kid":"k"}`, `{"aud":"api://demo","iss":"https://login.microsoftonline.com/` + tid + `/v2.0","tid":"` + tid + `",` + fresh + `,"scp":"access_as_user","ver":"2.0"}`,
			[]string{"would api://demo accept this?", "✓ yes: 200", "✓ lifetime, audience, issuer, scp-or-roles", "not checked: signature"}},
		{"a Graph token", `{"alg":"RS256","kid":"k","nonce":"abc"}`, `{"aud":"00000003-0000-0000-c000-000000000000","iss":"https://sts.windows.net/` + tid + `/","tid":"` + tid + `",` + fresh + `,"scp":"User.Read","ver":"1.0"}`,
			[]string{"would Microsoft Graph accept this?", "✗ no: 401 IDX10511 (signature)", "fix: The header carries a nonce"}},
		{"expired", `{"alg":"RS256","kid":"k"}`, `{"aud":"api://demo","iss":"https://login.microsoftonline.com/` + tid + `/v2.0","tid":"` + tid + `","iat":1795900000,"nbf":1795900000,"exp":1795903600,"scp":"x","ver":"2.0"}`,
			[]string{"✗ no: 401 IDX10223 (lifetime)", "IDX10223: Lifetime validation failed. The token is expired.", "fix: The token expired"}},
		{"neither scp nor roles", `{"alg":"RS256","kid":"k"}`, `{"aud":"api://demo","iss":"https://login.microsoftonline.com/` + tid + `/v2.0","tid":"` + tid + `",` + fresh + `,"azp":"c","ver":"2.0"}`,
			[]string{"✗ no: 401 IDW10201 (scp-or-roles)", `WWW-Authenticate: Bearer error="invalid_token"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := buildTokenView(context.Background(), "access", unsignedToken(tt.header, tt.claims), nil, decode.Expect{}, now)
			for range 2 {
				text := ansi.Strip(strings.Join(renderTokenLines(NewStyles(true), v, 100), "\n"))
				flat := strings.Join(strings.Fields(text), " ")
				for _, w := range tt.wants {
					if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
						t.Errorf("pane lacks %q:\n%s", w, text)
					}
				}
			}
		})
	}
	// ID tokens are not for APIs: no verdict.
	id := buildTokenView(context.Background(), "id", unsignedToken(`{"alg":"RS256"}`, `{"aud":"c","nonce":"n","iss":"x"}`), nil, decode.Expect{}, now)
	if id.Verdict != nil {
		t.Errorf("an ID token got a verdict: %+v", id.Verdict)
	}
}
