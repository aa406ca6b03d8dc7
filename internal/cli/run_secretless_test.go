package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runJSONOf decodes a `run --json` output.
func runJSONOf(t *testing.T, out string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return m
}

// clearSecretlessEnv leaves only the variables a test sets, so the machine's cannot pick the source.
func clearSecretlessEnv(t *testing.T) {
	for _, v := range []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "AZURE_FEDERATED_TOKEN_FILE", "ACTIONS_ID_TOKEN_REQUEST_URL",
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET"} {
		t.Setenv(v, "")
	}
}

func TestRunManagedIdentityDemoJSON(t *testing.T) {
	clearSecretlessEnv(t)
	for _, args := range [][]string{
		{},
		{"--mi-source", "app-service"},
		{"--mi-source", "app-service", "--mi-api-version", "2017-09-01"},
		{"--resource", "https://vault.azure.net", "--mi-client-id", "0f3a7c92-6e1d-4b58-a4c7-3d9e2b8f1a05"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errOut := cli(t, "", append([]string{"run", "managed-identity", "--demo", "--json"}, args...)...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, errOut)
			}
			m := runJSONOf(t, out)
			mi, _ := m["managed_identity"].(map[string]any)
			if m["ok"] != true || mi == nil || mi["expires_on"] == "" || !strings.HasPrefix(mi["expires_on_form"].(string), map[bool]string{true: "date string", false: "epoch seconds"}[strings.Contains(strings.Join(args, " "), "2017")]) {
				t.Fatalf("json = %s", out)
			}
			if !strings.Contains(errOut, "expires_on ") {
				t.Errorf("the trace does not read expires_on:\n%s", errOut)
			}
			// The identity header is masked in the legs.
			if legs := m["legs"].([]any); strings.Contains(out, "X-IDENTITY-HEADER") && len(legs) == 1 {
				h := legs[0].(map[string]any)["request"].(map[string]any)["headers"].(map[string]any)
				if v, _ := h["X-Identity-Header"].(string); v != "" && !strings.Contains(v, "•") && !strings.Contains(v, "*") && !strings.Contains(v, "redacted") {
					t.Errorf("identity header shown: %q", v)
				}
			}
		})
	}
}

func TestRunManagedIdentityFromAppServiceEnvironment(t *testing.T) {
	clearSecretlessEnv(t)
	d := listeningEmulator(t)
	// As App Service sets them; no flag names the source or endpoint.
	t.Setenv("IDENTITY_ENDPOINT", d.ManagedIdentity.IdentityEndpoint)
	t.Setenv("IDENTITY_HEADER", d.ManagedIdentity.IdentityHeader)
	code, out, errOut := cli(t, "", "run", "managed-identity", "--json", "--resource", "https://storage.azure.com/")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	mi := runJSONOf(t, out)["managed_identity"].(map[string]any)
	if mi["source"] != "app-service" || mi["client_id"] != d.ManagedIdentity.WebApp.ClientID || strings.Contains(out, d.ManagedIdentity.IdentityHeader) {
		t.Errorf("managed_identity = %v", mi)
	}
	// A rotated header: exit 1 and the explanation says what to send.
	t.Setenv("IDENTITY_HEADER", "stale")
	code, _, errOut = cli(t, "", "run", "managed-identity")
	if code != 1 || !strings.Contains(errOut, "Read IDENTITY_HEADER") {
		t.Errorf("exit %d\n%s", code, errOut)
	}
	// The --mi-endpoint flag outranks the variable: IMDS on the emulator's address, an identity the VM lacks.
	code, _, errOut = cli(t, "", "run", "managed-identity", "--mi-source", "imds", "--mi-endpoint", d.ManagedIdentity.IMDSEndpoint,
		"--mi-client-id", "11111111-2222-3333-4444-555555555555")
	if code != 1 || !strings.Contains(errOut, "Identity not found") || !strings.Contains(errOut, "assign the user-assigned identity") {
		t.Errorf("exit %d\n%s", code, errOut)
	}
}

func TestRunManagedIdentityBadInput(t *testing.T) {
	clearSecretlessEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--mi-source", "arc"}, "--mi-source"},
		{[]string{"--mi-client-id", "x", "--mi-object-id", "y"}, "--mi-client-id"},
		{[]string{"--resource", "https://management.azure.com/.default"}, "--resource"},
		{[]string{"--mi-source", "app-service"}, "--mi-endpoint"},
	} {
		code, _, errOut := cli(t, "", append([]string{"run", "managed-identity"}, tc.args...)...)
		if code != 2 || !strings.HasPrefix(strings.TrimSpace(errOut), "aadx: "+tc.want) && !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d %q", tc.args, code, errOut)
		}
	}
}

func TestRunWorkloadIdentityDemoJSON(t *testing.T) {
	clearSecretlessEnv(t)
	for _, issuer := range []string{"github", "kubernetes"} {
		code, out, errOut := cli(t, "", "run", "workload-identity", "--demo", "--json", "--external-issuer", issuer)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", issuer, code, errOut)
		}
		m := runJSONOf(t, out)
		fed := m["federation"].(map[string]any)
		if m["ok"] != true || fed["ok"] != true || len(m["legs"].([]any)) != 2 {
			t.Errorf("%s: json = %s", issuer, out)
		}
		if !strings.Contains(errOut, "✓ subject") {
			t.Errorf("%s: the trace does not show the comparison:\n%s", issuer, errOut)
		}
	}
}

func TestRunWorkloadIdentityMismatchScenarios(t *testing.T) {
	clearSecretlessEnv(t)
	for _, tc := range []struct {
		scenario, issuer, field, fix string
		code                         float64
	}{
		{"fic-issuer-slash", "kubernetes", "issuer", "exactly as the token's iss", 700211},
		{"fic-audience", "github", "audience", "Mint the token for api://AzureADTokenExchange", 700212},
		{"fic-subject-branch", "github", "subject", "environment: production", 700213},
		{"fic-subject-case", "kubernetes", "subject", "exactly as the token's sub", 7002138},
		{"fic-expired", "github", "lifetime", "Fetch a fresh token", 700024},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			code, out, errOut := cli(t, "", "run", "workload-identity", "--demo", "--json", "--scenario", tc.scenario, "--external-issuer", tc.issuer)
			if code != 1 {
				t.Fatalf("exit %d\n%s", code, errOut)
			}
			m := runJSONOf(t, out)
			e := m["error"].(map[string]any)
			if codes := e["codes"].([]any); codes[0] != tc.code || !strings.Contains(e["explanation"].(string), tc.fix) {
				t.Errorf("error = %v", e)
			}
			var wrong []string
			for _, f := range m["federation"].(map[string]any)["fields"].([]any) {
				if f := f.(map[string]any); f["match"] == false {
					wrong = append(wrong, f["field"].(string))
				}
			}
			if strings.Join(wrong, ",") != tc.field {
				t.Errorf("mismatched fields = %v, want %s", wrong, tc.field)
			}
			if !strings.Contains(errOut, "✗ "+tc.field) || !strings.Contains(errOut, "Fix: ") {
				t.Errorf("trace:\n%s", errOut)
			}
		})
	}
}

// mintToken asks a listening emulator's issuer for a subject token.
func mintToken(t *testing.T, tokenURL string) string {
	t.Helper()
	resp, err := http.Get(tokenURL + "?audience=" + url.QueryEscape("api://AzureADTokenExchange"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v struct{ Value string }
	if err := json.Unmarshal(b, &v); err != nil || v.Value == "" {
		t.Fatalf("mint: %s", b)
	}
	return v.Value
}

func TestRunWorkloadIdentityTokenSources(t *testing.T) {
	clearSecretlessEnv(t)
	d := listeningEmulator(t)
	w := d.WorkloadIdentity
	tok := mintToken(t, w.Issuers.Kubernetes.TokenURL)
	file := filepath.Join(t.TempDir(), "azure-identity-token")
	if err := os.WriteFile(file, []byte(tok+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"run", "workload-identity", "--json", "--authority", d.Authority, "--tenant", d.TenantID,
		"--client-id", w.ClientID, "--scope", w.Scope}
	fic := []string{"--fic-issuer", w.Issuers.Kubernetes.Issuer, "--fic-subject", "system:serviceaccount:payments:worker"}

	t.Run("AZURE_FEDERATED_TOKEN_FILE", func(t *testing.T) {
		t.Setenv("AZURE_FEDERATED_TOKEN_FILE", file) // as Azure's webhook projects it into a pod
		code, out, errOut := cli(t, "", append(base, fic...)...)
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, errOut)
		}
		if m := runJSONOf(t, out); len(m["legs"].([]any)) != 1 || m["federation"].(map[string]any)["ok"] != true {
			t.Errorf("json = %s", out)
		}
		if strings.Contains(out, tok) || strings.Contains(errOut, tok) {
			t.Error("the external token is shown whole")
		}
	})
	t.Run("file flag", func(t *testing.T) {
		code, _, errOut := cli(t, "", append(append(base, "--federated-token-file", file), fic...)...)
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, errOut)
		}
	})
	t.Run("stdin, subject written with another case", func(t *testing.T) {
		code, _, errOut := cli(t, tok, append(base, "--federated-token-file", "-", "--fic-issuer", w.Issuers.Kubernetes.Issuer,
			"--fic-subject", "system:serviceaccount:Payments:worker")...)
		// The credential given here is wrong, not Entra's: the comparison says so, and Entra accepts the token.
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, errOut)
		}
		if !strings.Contains(errOut, "✗ subject") || !strings.Contains(errOut, "differs only in letter case") {
			t.Errorf("trace:\n%s", errOut)
		}
	})
	t.Run("issuer URL", func(t *testing.T) {
		code, _, errOut := cli(t, "", append(base, "--federated-token-url", w.Issuers.GitHub.TokenURL)...)
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, errOut)
		}
	})
	t.Run("no token", func(t *testing.T) {
		code, _, errOut := cli(t, "", base...)
		if code != 2 || !strings.Contains(errOut, "AZURE_FEDERATED_TOKEN_FILE") {
			t.Errorf("exit %d %q", code, errOut)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		code, _, errOut := cli(t, "", append(base, "--federated-token-file", filepath.Join(t.TempDir(), "none"))...)
		if code != 2 || !strings.Contains(errOut, "--federated-token-file") {
			t.Errorf("exit %d %q", code, errOut)
		}
	})
}
