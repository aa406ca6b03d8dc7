package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aadx/aadx/emulator"
	"github.com/aadx/aadx/flows"
	"github.com/aadx/aadx/flows/browser"
	"github.com/aadx/aadx/internal/testkit"
)

var updateGolden = flag.Bool("update-run", false, "rewrite the run command's golden files")

// cli runs the aadx command line in-process.
func cli(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = execute(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// listeningEmulator serves the emulator on a loopback port, for runs that are not --demo.
func listeningEmulator(t *testing.T) emulator.Description {
	t.Helper()
	return testkit.Emulator(t, emulator.Options{DeviceInterval: 20 * time.Millisecond}).Description()
}

func TestRunDemoEveryFlow(t *testing.T) {
	tests := [][]string{
		{"client-credentials"},
		{"client-credentials", "--credential", "cert"},
		{"client-credentials", "--credential", "cert", "--assertion-alg", "RS256"},
		{"auth-code"},
		{"auth-code", "--response-mode", "form_post"},
		{"pkce"},
		{"pkce", "--platform", "spa"},
		{"pkce", "--platform", "web"}, // a confidential web app: the demo web app's secret goes with the code
		{"pkce", "--platform", "web", "--credential", "cert"},
		{"device-code"},
		{"obo"},
		{"refresh"},
		{"client-credentials", "--discover"},
	}
	for _, args := range tests {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errOut := cli(t, "", append([]string{"run", "--demo", "--json"}, args...)...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, errOut)
			}
			var got struct {
				Flow   string
				OK     bool
				Legs   []struct{ Name string }
				Tokens struct {
					AccessToken string `json:"access_token"`
				}
				Claims map[string]map[string]any
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, out)
			}
			if !got.OK || got.Flow != args[0] || len(got.Legs) == 0 || got.Tokens.AccessToken == "" || got.Claims["access_token"]["aud"] == nil {
				t.Fatalf("unexpected result: %+v", got)
			}
			if !strings.Contains(errOut, "✓ "+args[0]+" succeeded") {
				t.Errorf("stderr trace lacks the outcome:\n%s", errOut)
			}
		})
	}
}

// shape reduces a JSON value to its structure: object keys with the shapes of their values, the first element
// of arrays, and type names for scalars. Header and claim sets belong to the provider, not to the --json
// contract, so they shrink to "object".
func shape(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, val := range x {
			switch k {
			case "headers":
				m[k] = "object"
			case "claims":
				claims := map[string]any{}
				for name := range val.(map[string]any) {
					claims[name] = "object"
				}
				m[k] = claims
			default:
				m[k] = shape(val)
			}
		}
		return m
	case []any:
		if len(x) == 0 {
			return []any{}
		}
		return []any{shape(x[0])}
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	default:
		return "null"
	}
}

func TestRunJSONShapeGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		code int
	}{
		{"success", []string{"run", "client-credentials", "--demo", "--json"}, 0},
		{"failure", []string{"run", "client-credentials", "--demo", "--json", "--scope", "api://nope/.default"}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(t, "", tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", code, tt.code, errOut)
			}
			var v any
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatal(err)
			}
			got, _ := json.MarshalIndent(shape(v), "", "  ")
			path := filepath.Join("testdata", "run_json_"+tt.name+".golden")
			if *updateGolden {
				_ = os.MkdirAll("testdata", 0o755)
				if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test -run JSONShape -update-run)", err)
			}
			if string(append(got, '\n')) != string(want) {
				t.Errorf("--json shape changed:\n%s", got)
			}
		})
	}
}

func TestRunExitCodes(t *testing.T) {
	d := listeningEmulator(t)
	closed := func() string { // a loopback port nobody listens on
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := l.Addr().String()
		l.Close()
		return "http://" + addr
	}()
	tenant, daemon := d.TenantID, d.Apps.Daemon
	cc := []string{"run", "client-credentials", "--authority", d.Authority, "--tenant", tenant, "--client-id", daemon.ClientID, "--scope", daemon.Scope}
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		code   int
		stderr string
	}{
		{name: "no flow", args: []string{"run"}, code: 2, stderr: "needs one FLOW"},
		{name: "unknown flow", args: []string{"run", "implicit"}, code: 2, stderr: "not a flow"},
		{name: "malformed tenant", args: []string{"run", "client-credentials", "--tenant", "bad tenant!", "--client-id", daemon.ClientID}, env: map[string]string{"AZURE_CLIENT_SECRET": "x"}, code: 2, stderr: "--tenant"},
		{name: "malformed client id", args: []string{"run", "device-code", "--tenant", tenant, "--client-id", "app"}, code: 2, stderr: "--client-id"},
		{name: "malformed scope", args: []string{"run", "device-code", "--tenant", tenant, "--client-id", daemon.ClientID, "--scope", "a b"}, code: 2, stderr: "--scope"},
		{name: "malformed redirect", args: []string{"run", "pkce", "--tenant", tenant, "--client-id", daemon.ClientID, "--redirect-uri", "http://evil.example/cb"}, code: 2, stderr: "--redirect-uri"},
		{name: "missing certificate", args: append(cc, "--cert", "/nonexistent.pem"), code: 2, stderr: "--cert"},
		{name: "malformed assertion", args: []string{"run", "obo", "--tenant", tenant, "--client-id", daemon.ClientID, "--assertion", "not-a-jwt"}, env: map[string]string{"AZURE_CLIENT_SECRET": "x"}, code: 2, stderr: "--assertion"},
		{name: "empty assertion on stdin", args: []string{"run", "obo", "--demo", "--assertion", "-"}, code: 2, stderr: "--assertion"},
		{name: "no credential", args: cc, code: 2, stderr: "credential"},
		{name: "unknown demo user", args: []string{"run", "pkce", "--demo", "--user", "nobody"}, code: 2, stderr: "--user"},
		{name: "cloud", args: append(cc, "--cloud", "mars"), code: 2, stderr: "--cloud"},
		{name: "wrong secret", args: cc, env: map[string]string{"AZURE_CLIENT_SECRET": "wrong-secret-value"}, code: 1, stderr: "AADSTS7000215"},
		{name: "secret from env", args: cc, env: map[string]string{"AZURE_CLIENT_SECRET": daemon.ClientSecret}, code: 0, stderr: "succeeded"},
		{name: "everything from env", args: []string{"run", "client-credentials", "--scope", daemon.Scope}, env: map[string]string{
			"AZURE_AUTHORITY_HOST": d.Authority, "AZURE_TENANT_ID": tenant, "AZURE_CLIENT_ID": daemon.ClientID, "AZURE_CLIENT_SECRET": daemon.ClientSecret}, code: 0, stderr: "succeeded"},
		{name: "certificate from env", args: cc, env: map[string]string{"AZURE_CLIENT_CERTIFICATE_PATH": daemon.CertFile}, code: 0, stderr: "succeeded"},
		{name: "unreachable", args: []string{"run", "client-credentials", "--authority", closed, "--tenant", tenant, "--client-id", daemon.ClientID, "--scope", daemon.Scope},
			env: map[string]string{"AZURE_CLIENT_SECRET": "x"}, code: 3, stderr: "connection refused"},
		{name: "plain http to a remote authority", args: append(cc[:2:2], "--authority", "http://login.example.com", "--tenant", tenant, "--client-id", daemon.ClientID),
			env: map[string]string{"AZURE_CLIENT_SECRET": "x"}, code: 2, stderr: "--authority"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_AUTHORITY_HOST"} {
				t.Setenv(k, tt.env[k])
			}
			code, _, errOut := cli(t, "", tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) {
				t.Fatalf("exit %d (want %d), stderr:\n%s\nwant it to contain %q", code, tt.code, errOut, tt.stderr)
			}
			if tt.code == 2 && strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("a usage error must be one line:\n%s", errOut)
			}
		})
	}
}

func TestRunOutputsAndExportsNeverLeakSecrets(t *testing.T) {
	d := listeningEmulator(t)
	dir := t.TempDir()
	har, md := filepath.Join(dir, "trace.har"), filepath.Join(dir, "report.md")
	secret := d.Apps.Web.ClientSecret // a real secret, but of another app: rejected
	t.Setenv("AZURE_CLIENT_SECRET", "")
	base := []string{"run", "client-credentials", "--authority", d.Authority, "--tenant", d.TenantID,
		"--client-id", d.Apps.Daemon.ClientID, "--scope", d.Apps.Daemon.Scope, "--har", har, "--markdown", md}
	code, out, errOut := cli(t, "", append(base, "--json", "--client-secret", secret)...)
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "warning: --client-secret") {
		t.Errorf("a secret given as a flag must warn:\n%s", errOut)
	}
	files := map[string]string{"stdout": out, "stderr": errOut}
	for _, p := range []string{har, md} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = string(b)
		if info, _ := os.Stat(p); info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", p, info.Mode().Perm())
		}
	}
	// With a certificate: neither the private key nor the assertion's signature may appear.
	code, out2, errOut2 := cli(t, "", append(base, "--json", "--cert", d.Apps.Daemon.CertFile, "--include-tokens")...)
	if code != 0 {
		t.Fatalf("cert run: exit %d\n%s", code, errOut2)
	}
	files["stdout (cert)"], files["stderr (cert)"] = out2, errOut2
	for _, p := range []string{har, md} {
		b, _ := os.ReadFile(p)
		files[filepath.Base(p)+" (cert)"] = string(b)
	}
	pemKey := string(d.Apps.Daemon.CertPEM)
	keyLine := pemKey[strings.Index(pemKey, "PRIVATE KEY-----")+17:][:64]
	for name, content := range files {
		if strings.Contains(content, secret) {
			t.Errorf("the client secret leaked into %s", name)
		}
		if strings.Contains(content, keyLine) {
			t.Errorf("the private key leaked into %s", name)
		}
	}
	var h struct{ Log struct{ Version string } }
	if err := json.Unmarshal([]byte(files["trace.har (cert)"]), &h); err != nil || h.Log.Version != "1.2" {
		t.Fatalf("HAR: %v %q", err, h.Log.Version)
	}
	if !strings.Contains(files["trace.har (cert)"], "client_assertion") || !strings.Contains(files["trace.har (cert)"], ".[redacted]") {
		t.Error("the HAR should show the assertion with its signature masked")
	}
}

// syncBuffer is a goroutine-safe stderr that tests can watch while the command runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRunPKCEThroughLoopbackListener plays the browser: it reads the authorize URL printed with --no-browser,
// signs in on the emulator's pages and lets the redirect land on aadx's loopback listener.
func TestRunPKCEThroughLoopbackListener(t *testing.T) {
	d := listeningEmulator(t)
	var stderr syncBuffer
	var stdout bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- execute([]string{"run", "pkce", "--authority", d.Authority, "--tenant", d.TenantID, "--client-id", d.Apps.Public.ClientID,
			"--redirect-uri", "http://localhost", "--no-browser", "--json", "--browser-timeout", "20s"}, strings.NewReader(""), &stdout, &stderr)
	}()
	authURL := waitForLine(t, &stderr, "/oauth2/v2.0/authorize?")
	red := playBrowser(t, d, authURL)
	resp, err := http.Get(strings.Replace(red, "://localhost", "://127.0.0.1", 1))
	if err != nil {
		t.Fatalf("delivering the redirect to the listener: %v", err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "close this tab") {
		t.Errorf("listener page: %s", page)
	}
	if code := <-done; code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), `"ok": true`) {
		t.Fatalf("stdout: %s", stdout.String())
	}
}

func waitForLine(t *testing.T, b *syncBuffer, marker string) string {
	t.Helper()
	for i := 0; i < 1000; i++ {
		sc := bufio.NewScanner(strings.NewReader(b.String()))
		for sc.Scan() {
			if strings.Contains(sc.Text(), marker) && strings.HasPrefix(sc.Text(), "http") {
				return sc.Text()
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no line with %q on stderr:\n%s", marker, b.String())
	return ""
}

// playBrowser signs in on the emulator's pages as the first demo user and returns the redirect URL it was sent
// to, using the engine's scripted sign-in (which stops at the redirect URI without fetching it).
func playBrowser(t *testing.T, d emulator.Description, authURL string) string {
	t.Helper()
	run, err := flows.NewRun(flows.FlowPKCE, flows.Settings{Authority: d.Authority, Tenant: d.TenantID,
		ClientID: d.Apps.Public.ClientID, RedirectURI: "http://localhost"}, flows.Options{})
	if err != nil {
		t.Fatal(err)
	}
	red, err := browser.Scripted(run, d.Users[0].Username, d.Users[0].Password).Visit(context.Background(), authURL, "http://localhost")
	if err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	return red.URL
}

func TestRunHelpListsFlows(t *testing.T) {
	code, out, _ := cli(t, "", "run", "--help")
	ids := flows.FlowIDs()
	sort.Strings(ids)
	for _, id := range ids {
		if !strings.Contains(out, id) {
			t.Errorf("help lacks %s", id)
		}
	}
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestRunDemoScenarios(t *testing.T) {
	tests := []struct {
		flow, scenario string
		extra          []string
		code           int
		stderr         string
	}{
		{"client-credentials", "secret-expired", nil, 1, "AADSTS7000222"},
		{"client-credentials", "throttled", nil, 1, "429"},
		{"client-credentials", "slow", []string{"--timeout", "300ms"}, 3, "timed out"},
		{"device-code", "device-declined", nil, 1, "authorization_declined"},
		{"auth-code", "mfa-required", nil, 1, "AADSTS50076"},
		{"client-credentials", "no-such-scenario", nil, 2, "--scenario"},
	}
	for _, tt := range tests {
		t.Run(tt.flow+" "+tt.scenario, func(t *testing.T) {
			args := append([]string{"run", tt.flow, "--demo", "--scenario", tt.scenario}, tt.extra...)
			code, _, errOut := cli(t, "", args...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) {
				t.Fatalf("exit %d (want %d), stderr:\n%s\nwant %q", code, tt.code, errOut, tt.stderr)
			}
		})
	}
	if code, _, errOut := cli(t, "", "run", "client-credentials", "--scenario", "slow"); code != 2 || !strings.Contains(errOut, "needs --demo") {
		t.Fatalf("--scenario without --demo: exit %d %s", code, errOut)
	}
}
