package cli

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/internal/testkit"
)

// aadx decode --api: the verdict after the decoded token, exit 0 accept, 1 reject, 2 bad flags.
func TestDecodeAPIVerdict(t *testing.T) {
	fx := newDecodeFixture(t)
	good := fx.accessToken(t) // aud api://demo-api, v2, scp access_as_user, tenant 72f988bf-…
	jwks := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(jwks, fx.jwks, 0o600); err != nil {
		t.Fatal(err)
	}
	host := strings.TrimSuffix(fx.issuer, "/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0")
	base := []string{"decode", "--jwks", jwks, "--authority-host", host}
	tests := []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		{"accepted", []string{"--api", "api://demo-api", "--scope", "access_as_user"}, 0,
			[]string{"Would api://demo-api accept this token?  Yes (200)", "✓ signature", "✓ audience", "✓ permission"}},
		{"audience: the API validates another audience", []string{"--api", "api://other-api"}, 1,
			[]string{"No: 401, IDX10214 (audience)", "IDX10214: Audience validation failed. Audiences: 'api://demo-api'", "fix:", `WWW-Authenticate: Bearer error="invalid_token", error_description="The audience 'api://demo-api' is invalid"`}},
		{"missing scope: 403", []string{"--api", "api://demo-api", "--scope", "Tasks.Read"}, 1,
			[]string{"No: 403, permission", "IDW10203", "Tasks.Read"}},
		{"tenant not allowed", []string{"--api", "api://demo-api", "--issuer-tenant", "11111111-2222-3333-4444-555555555555"}, 1,
			[]string{"IDX40001", "which the API does not accept"}},
		{"API accepts v1 only", []string{"--api", "api://demo-api", "--accept-version", "1"}, 1,
			[]string{"IDX40001", "accessTokenAcceptedVersion"}},
		{"client app not allowed", []string{"--api", "api://demo-api", "--client-app", "aaaaaaaa-0000-0000-0000-000000000000"}, 1,
			[]string{"No: 403, client-app"}},
		{"wrong authority host", []string{"--api", "api://demo-api", "--authority-host", "login.microsoftonline.com"}, 1, []string{"IDX40001"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append(append([]string{}, base...), tt.args...), good)
			code, stdout, stderr := runAadx(t, "", args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, stdout, stderr)
			}
			flat := strings.Join(strings.Fields(stdout), " ")
			for _, w := range tt.wants {
				if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
					t.Errorf("output lacks %q:\n%s", w, stdout)
				}
			}
			if i, j := strings.Index(stdout, "Signature\n"), strings.Index(stdout, "Would "); i < 0 || j < i {
				t.Errorf("the verdict must follow the decoded token:\n%s", stdout)
			}
		})
	}
}

func TestDecodeAPIJSON(t *testing.T) {
	fx := newDecodeFixture(t)
	token := fx.accessToken(t)
	for range 2 { // the same answer twice
		code, stdout, stderr := runAadx(t, "", "decode", "--json", "--api", "6b9d3e1f-4a27-4c5e-8f03-2e7a9b1d4c68", "--scope", "access_as_user", token)
		if code != 1 {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		var out struct {
			Claims     map[string]any `json:"claims"`
			Verdict    map[string]any `json:"verdict"`
			Validation []struct {
				Rule, Code, Message, Fix string
				OK                       bool
				Skipped                  bool
			} `json:"validation"`
		}
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, stdout)
		}
		if out.Claims["aud"] != "api://demo-api" || out.Verdict["accepted"] != false || out.Verdict["code"] != "IDX10214" || out.Verdict["status"] != float64(401) ||
			!strings.Contains(fmt.Sprint(out.Verdict["www_authenticate"]), "invalid_token") {
			t.Errorf("verdict %v", out.Verdict)
		}
		rules := map[string]bool{}
		for _, c := range out.Validation {
			rules[c.Rule] = c.OK
			if c.Message == "" || (!c.OK && (c.Code == "" || c.Fix == "")) {
				t.Errorf("check %+v", c)
			}
		}
		if len(out.Validation) != 6 || rules["audience"] || !rules["lifetime"] || !rules["signature"] {
			t.Errorf("validation %+v", out.Validation)
		}
	}
	// Without --api the JSON has no verdict, as before.
	_, stdout, _ := runAadx(t, "", "decode", "--json", token)
	if strings.Contains(stdout, `"validation"`) {
		t.Errorf("validation without --api:\n%s", stdout)
	}
}

func TestDecodeAPIBadFlags(t *testing.T) {
	fx := newDecodeFixture(t)
	token := fx.accessToken(t)
	for _, args := range [][]string{
		{"--scope", "x"},
		{"--issuer-tenant", "common"},
		{"--api", "a", "--accept-version", "3"},
		{"--api", " "},
		{"--api", "a", "--skew", "-1m"},
		{"--api", "a", "--authority-host", ""},
	} {
		code, stdout, stderr := runAadx(t, "", append(append([]string{"decode"}, args...), token)...)
		if code != 2 || stdout != "" || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, "--") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

// The emulator's tokens, checked with the keys it publishes: what its demo API accepts, and the
// version and audience mistakes people make.
func TestDecodeAPIEmulatorTokens(t *testing.T) {
	srv := testkit.Emulator(t, emulator.Options{})
	d := srv.Description()
	resp, err := srv.HTTPClient().PostForm(srv.URL()+"/"+d.TenantID+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {d.Apps.Daemon.ClientID},
		"client_secret": {d.Apps.Daemon.ClientSecret}, "scope": {d.Apps.Daemon.Scope}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.AccessToken == "" {
		t.Fatalf("token response %s: %v", resp.Status, err)
	}
	apiID := strings.TrimSuffix(strings.TrimPrefix(d.Apps.Daemon.Scope, "api://"), "/.default")
	common := []string{"decode", "--verify", "--authority-host", srv.URL(), "--issuer-tenant", d.TenantID}
	run := func(args ...string) (int, string) {
		code, stdout, stderr := runAadx(t, "", append(append(append([]string{}, common...), args...), body.AccessToken)...)
		return code, stdout + stderr
	}
	if code, out := run("--api", apiID, "--role", "Tasks.Read.All"); code != 0 || !strings.Contains(out, "Yes (200)") {
		t.Errorf("the demo API's own token: exit %d\n%s", code, out)
	}
	if code, out := run("--api", "api://"+apiID); code != 1 || !strings.Contains(out, "IDX10214") || !strings.Contains(out, "v2.0 tokens always carry") {
		t.Errorf("api:// audience: exit %d\n%s", code, out)
	}
	if code, out := run("--api", apiID, "--scope", "access_as_user"); code != 1 || !strings.Contains(out, "app-only token") {
		t.Errorf("scope for an app-only token: exit %d\n%s", code, out)
	}
	if code, out := run("--api", apiID, "--group", "00000000-0000-0000-0000-000000000001"); code != 1 || !strings.Contains(out, "No: 403, group") {
		t.Errorf("a group policy: exit %d\n%s", code, out)
	}
}
