package decode

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLint(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	unix := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).Unix(), 10) }
	const tid = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	const v2iss = `"iss":"https://login.microsoftonline.com/` + tid + `/v2.0","tid":"` + tid + `"`
	fresh := `"iat":` + unix(-time.Minute) + `,"nbf":` + unix(-time.Minute) + `,"exp":` + unix(time.Hour)
	tests := []struct {
		name           string
		header, claims string
		expect         Expect
		want, notWant  []string
	}{
		{"clean v2 token", `{"alg":"RS256","kid":"k"}`, `{` + v2iss + `,` + fresh + `,"aud":"api","scp":"x"}`, Expect{Audience: "api"}, nil,
			[]string{"expired", "not-yet-valid", "audience-mismatch", "issuer-tenant-mismatch", "v1-token"}},
		{"expired", `{"alg":"RS256"}`, `{"exp":` + unix(-72*time.Hour) + `}`, Expect{}, []string{"expired"}, nil},
		{"not yet valid beyond skew", `{"alg":"RS256"}`, `{"nbf":` + unix(10*time.Minute) + `,"iat":` + unix(10*time.Minute) + `}`, Expect{}, []string{"not-yet-valid", "issued-in-future"}, nil},
		{"graph nonce header", `{"typ":"JWT","nonce":"abc","alg":"RS256"}`, `{"aud":"00000003-0000-0000-c000-000000000000"}`, Expect{}, []string{"graph-nonce"}, nil},
		{"v1 token", `{"alg":"RS256","x5t":"a"}`, `{"ver":"1.0","iss":"https://sts.windows.net/` + tid + `/","tid":"` + tid + `"}`, Expect{}, []string{"v1-token"}, []string{"issuer-tenant-mismatch"}},
		{"issuer and tid disagree", `{"alg":"RS256"}`, `{"iss":"https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0","tid":"` + tid + `"}`, Expect{}, []string{"issuer-tenant-mismatch"}, nil},
		{"audience mismatch", `{"alg":"RS256"}`, `{"aud":["a","b"]}`, Expect{Audience: "c"}, []string{"audience-mismatch"}, nil},
		{"audience in list", `{"alg":"RS256"}`, `{"aud":["a","b"]}`, Expect{Audience: "b"}, nil, []string{"audience-mismatch"}},
		{"nonce mismatch", `{"alg":"RS256"}`, `{"nonce":"n1"}`, Expect{Nonce: "n2"}, []string{"nonce-mismatch"}, nil},
		{"missing nonce", `{"alg":"RS256"}`, `{"sub":"s"}`, Expect{Nonce: "n2"}, []string{"nonce-mismatch"}, nil},
		{"issuer mismatch", `{"alg":"RS256"}`, `{"iss":"a"}`, Expect{Issuer: "b"}, []string{"issuer-mismatch"}, nil},
		{"alg none", `{"alg":"none"}`, `{"sub":"s"}`, Expect{}, []string{"alg-none"}, nil},
		{"HS256 in an Entra token", `{"alg":"HS256"}`, `{` + v2iss + `}`, Expect{}, []string{"hs-entra"}, nil},
		{"HS256 elsewhere is fine", `{"alg":"HS256"}`, `{"iss":"joe"}`, Expect{}, nil, []string{"hs-entra"}},
		{"group overage", `{"alg":"RS256"}`, `{"_claim_names":{"groups":"src1"},"_claim_sources":{"src1":{"endpoint":"https://graph.windows.net/x"}}}`, Expect{}, []string{"group-overage"}, nil},
		{"hasgroups", `{"alg":"RS256"}`, `{"hasgroups":true}`, Expect{}, []string{"group-overage"}, nil},
		{"bad exp", `{"alg":"RS256"}`, `{"exp":"soon"}`, Expect{}, []string{"bad-time"}, nil},
		{"duplicate claim", `{"alg":"RS256"}`, `{"aud":"a","aud":"b"}`, Expect{}, []string{"duplicate-claim"}, nil},
		{"assertion without thumbprint", `{"alg":"RS256"}`, `{"iss":"c","sub":"c","jti":"j","aud":"https://login.microsoftonline.com/t/oauth2/v2.0/token"}`, Expect{}, []string{"assertion-no-thumbprint", "assertion-no-exp"}, []string{"assertion-audience"}},
		{"assertion for the wrong audience", `{"alg":"PS256","x5t#S256":"t"}`, `{"iss":"c","sub":"c","jti":"j","aud":"https://login.microsoftonline.com/t/v2.0","exp":` + unix(time.Minute) + `}`, Expect{}, []string{"assertion-audience"}, []string{"assertion-no-thumbprint"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := Lint(mustDecode(t, unsigned(tt.header, tt.claims)), tt.expect, now)
			var codes []string
			for _, w := range ws {
				codes = append(codes, w.Code)
				if w.Message == "" || strings.Contains(w.Message, "\n") {
					t.Errorf("%s: message %q is not one line", w.Code, w.Message)
				}
			}
			for _, w := range tt.want {
				if !slices.Contains(codes, w) {
					t.Errorf("warnings = %v, want %s", codes, w)
				}
			}
			for _, w := range tt.notWant {
				if slices.Contains(codes, w) {
					t.Errorf("warnings = %v, want no %s", codes, w)
				}
			}
		})
	}
}

func TestLintPaddedAndEncrypted(t *testing.T) {
	parts := strings.Split(vectorA2, ".")
	ws := Lint(mustDecode(t, parts[0]+"."+parts[1]+"=."+parts[2]), Expect{}, time.Unix(0, 0))
	if !slices.ContainsFunc(ws, func(w Warning) bool { return w.Code == "padded" }) {
		t.Errorf("padded token: %v", ws)
	}
	jwe := mustDecode(t, "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d")
	if ws := Lint(jwe, Expect{}, time.Now()); len(ws) != 1 || ws[0].Code != "encrypted" {
		t.Errorf("JWE: %v", ws)
	}
}
