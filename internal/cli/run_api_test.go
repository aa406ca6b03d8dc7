package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

type runAPIOutput struct {
	OK    bool `json:"ok"`
	Legs  []struct{ Name string }
	Error *struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Explanation string `json:"explanation"`
	} `json:"error"`
	API *struct {
		Status          int    `json:"status"`
		Body            string `json:"body"`
		WWWAuthenticate string `json:"www_authenticate"`
		Explanation     string `json:"explanation"`
		Fix             string `json:"fix"`
	} `json:"api"`
	ClaimsChallenge *struct {
		Claims   string `json:"claims"`
		Answered bool   `json:"answered"`
	} `json:"claims_challenge"`
}

func runAPI(t *testing.T, wantCode int, args ...string) (runAPIOutput, string) {
	t.Helper()
	code, stdout, stderr := cli(t, "", append([]string{"run"}, args...)...)
	if code != wantCode {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, wantCode, stdout, stderr)
	}
	var out runAPIOutput
	if strings.Contains(strings.Join(args, " "), "--json") {
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, stdout)
		}
	}
	return out, stdout + stderr
}

func legNames(out runAPIOutput) string {
	var names []string
	for _, l := range out.Legs {
		if len(names) == 0 || names[len(names)-1] != l.Name {
			names = append(names, l.Name)
		}
	}
	return strings.Join(names, " ")
}

// aadx run --call-api: the token is used, and a claims challenge is answered once: sign in again with the
// claims, call again, succeed.
func TestRunCallAPIClaimsChallengeRoundTrip(t *testing.T) {
	for _, scenario := range []string{"cae-challenge", "session-revoked"} {
		t.Run(scenario, func(t *testing.T) {
			out, _ := runAPI(t, 0, "auth-code", "--demo", "--json", "--scenario", scenario, "--call-api", "api")
			if !out.OK || out.API == nil || out.API.Status != 200 || !strings.Contains(out.API.Body, `"scp":"access_as_user"`) {
				t.Fatalf("api %+v", out.API)
			}
			if out.ClaimsChallenge == nil || !out.ClaimsChallenge.Answered || !strings.Contains(out.ClaimsChallenge.Claims, `"nbf"`) {
				t.Errorf("claims_challenge %+v", out.ClaimsChallenge)
			}
			if got := legNames(out); got != "authorize redeem call-api authorize redeem call-api" {
				t.Errorf("legs %s", got)
			}
		})
	}
	// Told not to answer, the run stops at the challenge with its explanation.
	out, trace := runAPI(t, 1, "auth-code", "--demo", "--json", "--scenario", "cae-challenge", "--call-api", "api", "--answer-challenge", "none")
	if out.OK || out.Error == nil || out.Error.Error != "insufficient_claims" || out.API == nil || out.API.Status != 401 ||
		!strings.Contains(out.API.WWWAuthenticate, `error="insufficient_claims", claims="`) || out.ClaimsChallenge == nil || out.ClaimsChallenge.Answered {
		t.Errorf("unanswered: %+v %+v %+v\n%s", out.Error, out.API, out.ClaimsChallenge, trace)
	}
}

// The token endpoint's claims challenge (MFA) is answered only when asked: a reproduction shows the failure.
func TestRunAnswersMFAClaimsOnlyWhenAsked(t *testing.T) {
	runAPI(t, 1, "auth-code", "--demo", "--scenario", "mfa-required")
	out, _ := runAPI(t, 0, "auth-code", "--demo", "--json", "--scenario", "mfa-required", "--answer-challenge", "all")
	if got := legNames(out); got != "authorize redeem authorize redeem" || !out.OK {
		t.Errorf("legs %s ok %v", got, out.OK)
	}
}

func TestRunCallAPIRefusals(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		wants []string
	}{
		{"API expects api://", []string{"client-credentials", "--demo", "--scenario", "api-expects-uri", "--call-api", "api"},
			[]string{"the API said no: HTTP 401", `error_description="The audience`, "Fix:"}},
		{"API accepts v1 only", []string{"client-credentials", "--demo", "--scenario", "api-v1-only", "--call-api", "api"},
			[]string{"The issuer '(null)' is invalid", "accessTokenAcceptedVersion"}},
		{"app-only token for Graph /me", []string{"client-credentials", "--demo", "--call-api", "graph"},
			[]string{"HTTP 400", "/me request is only valid with delegated authentication flow", "/users/{id}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, trace := runAPI(t, 1, tt.args...)
			for _, w := range tt.wants {
				if !strings.Contains(trace, w) {
					t.Errorf("trace lacks %q:\n%s", w, trace)
				}
			}
		})
	}
	// Success prints the API's answer after the tokens.
	_, trace := runAPI(t, 0, "auth-code", "--demo", "--call-api", "graph")
	if !strings.Contains(trace, "api: HTTP 200") || !strings.Contains(trace, `"displayName":"Alex Rivera"`) {
		t.Errorf("graph /me:\n%s", trace)
	}
}

func TestRunCallAPIBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"client-credentials", "--demo", "--call-api", "http://api.example.com/x"},
		{"client-credentials", "--demo", "--call-api", "api", "--call-api-method", "FETCH"},
		{"client-credentials", "--demo", "--call-api", "api", "--answer-challenge", "maybe"},
	} {
		code, stdout, stderr := cli(t, "", append([]string{"run"}, args...)...)
		if code != 2 || !strings.Contains(stderr, "--") {
			t.Errorf("%v: exit %d\n%s%s", args, code, stdout, stderr)
		}
	}
}

// The emulator's APIs against the tokens of every flow: each user or app token reaches the API it is for;
// the middle tier's on-behalf-of token is for the downstream API, so the demo API refuses it (IDX10214).
func TestRunCallAPIAfterEveryFlow(t *testing.T) {
	tests := []struct {
		flow, api string
		code      int
		status    int
	}{
		{"auth-code", "api", 0, 200}, {"auth-code", "graph", 0, 200},
		{"pkce", "api", 0, 200}, {"pkce", "graph", 0, 200},
		{"device-code", "api", 0, 200}, {"device-code", "graph", 0, 200},
		{"client-credentials", "api", 0, 200}, {"client-credentials", "graph", 1, 400},
		{"obo", "graph", 0, 200}, {"obo", "api", 1, 401},
		{"refresh", "api", 0, 200}, {"refresh", "graph", 0, 200},
	}
	for _, tt := range tests {
		t.Run(tt.flow+" "+tt.api, func(t *testing.T) {
			out, _ := runAPI(t, tt.code, tt.flow, "--demo", "--json", "--call-api", tt.api)
			if out.API == nil || out.API.Status != tt.status || legNames(out)[len(legNames(out))-len("call-api"):] != "call-api" {
				t.Errorf("api %+v legs %s", out.API, legNames(out))
			}
		})
	}
}
