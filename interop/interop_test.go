package interop

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aadx/aadx/emulator"
)

// caseResult is one line a client script prints.
type caseResult struct {
	Case   string `json:"case"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// need reports whether a client's runtime is installed: missing under CI is a failure (.ci/run installs it),
// elsewhere the test is skipped with the command that installs it.
func need(t *testing.T, path, install string) {
	t.Helper()
	if _, err := os.Stat(path); err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing under CI; .ci/run installs it (%s)", path, install)
	}
	t.Skipf("%s is not installed (%s)", path, install)
}

// startEmulator starts `aadx emulator --tls --auto-approve` in process and returns its --json description.
func startEmulator(t *testing.T) (*emulator.Server, []byte) {
	t.Helper()
	srv, err := emulator.New(emulator.Options{TLS: true, AutoApprove: true, DeviceInterval: time.Second, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	desc, err := json.Marshal(srv.Description())
	if err != nil {
		t.Fatal(err)
	}
	return srv, desc
}

// runClient runs a client script and checks that each wanted case ran and passed.
func runClient(t *testing.T, env []string, want []string, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	got := map[string]caseResult{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r caseResult
		if json.Unmarshal(sc.Bytes(), &r) == nil && r.Case != "" {
			got[r.Case] = r
		}
	}
	if err != nil {
		t.Errorf("%s %s: %v\nstderr:\n%s", name, strings.Join(args, " "), err, tail(stderr.String(), 4000))
	} else if testing.Verbose() && stderr.Len() > 0 {
		t.Logf("stderr:\n%s", tail(stderr.String(), 8000))
	}
	for _, c := range want {
		t.Run(c, func(t *testing.T) {
			r, ok := got[c]
			switch {
			case !ok:
				t.Fatalf("the client never reported this case\nstderr:\n%s", tail(stderr.String(), 2000))
			case !r.OK:
				t.Fatalf("failed: %s", r.Detail)
			}
		})
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

func TestMSALPython(t *testing.T) {
	need(t, "/usr/lib/python3/dist-packages/msal", "apt-get install python3-msal")
	srv, desc := startEmulator(t)
	// requests lets REQUESTS_CA_BUNDLE override MSAL's verify=, so point it at the emulator's CA too.
	env := []string{"AADX_DESCRIPTION=" + string(desc), "REQUESTS_CA_BUNDLE=" + srv.Description().CAFile}
	runClient(t, env, []string{
		"client credentials, secret", "client credentials, certificate (x5t)", "wrong secret", "device code",
		"auth code + PKCE", "refresh", "on-behalf-of", "MFA claims challenge round trip",
	}, "/usr/bin/python3", filepath.Join("python", "msal_interop.py"))
}

func TestMSALNodeAndAzureIdentity(t *testing.T) {
	need(t, filepath.Join("node_modules", "@azure", "msal-node"), "npm ci --prefix interop")
	need(t, "/usr/bin/node", "apt-get install nodejs")
	srv, desc := startEmulator(t)
	env := []string{"AADX_DESCRIPTION=" + string(desc), "NODE_EXTRA_CA_CERTS=" + srv.Description().CAFile}
	runClient(t, env, []string{
		"msal-node: client credentials, secret", "msal-node: client credentials, certificate (x5t, SHA-1)",
		"msal-node: client credentials, certificate (x5t#S256)", "msal-node: wrong secret", "msal-node: device code",
		"msal-node: auth code + PKCE", "msal-node: refresh", "msal-node: on-behalf-of",
		"msal-node: MFA claims challenge round trip",
		"azure-identity: ClientSecretCredential", "azure-identity: ClientCertificateCredential",
		"azure-identity: wrong secret", "azure-identity: DeviceCodeCredential", "azure-identity: OnBehalfOfCredential",
	}, "node", filepath.Join("node", "clients.mjs"))
}

// TestMSALBrowser runs a single-page app with MSAL Browser in Debian's headless Chromium, which trusts the
// emulator's CA through an NSS database made with certutil. The emulator does not auto-approve: the browser
// fills the sign-in and consent pages.
func TestMSALBrowser(t *testing.T) {
	need(t, "/usr/bin/chromium", "apt-get install chromium")
	need(t, "/usr/bin/certutil", "apt-get install libnss3-tools")
	need(t, filepath.Join("node_modules", "playwright-core"), "npm ci --prefix interop")
	srv, err := emulator.New(emulator.Options{TLS: true, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	d := srv.Description()
	desc, _ := json.Marshal(d)
	home := t.TempDir()
	nss := "sql:" + filepath.Join(home, ".pki", "nssdb")
	if err := os.MkdirAll(filepath.Join(home, ".pki", "nssdb"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"-N", "-d", nss, "--empty-password"}, {"-A", "-d", nss, "-n", "aadx emulator CA", "-t", "C,,", "-i", d.CAFile}} {
		if out, err := exec.Command("certutil", args...).CombinedOutput(); err != nil {
			t.Fatalf("certutil %v: %v\n%s", args, err, out)
		}
	}
	env := []string{"AADX_DESCRIPTION=" + string(desc), "AADX_BROWSER_HOME=" + home, "NODE_EXTRA_CA_CERTS=" + d.CAFile}
	runClient(t, env, []string{
		"loginRedirect", "ssoSilent (hidden iframe, prompt=none)", "refresh (acquireTokenSilent, forceRefresh)",
		"loginPopup", "MFA claims challenge round trip (acquireTokenPopup)",
		"cross-origin client credentials refused (AADSTS9002326)", "SPA refresh token without Origin refused (AADSTS9002327)",
	}, "node", filepath.Join("browser", "spa.mjs"))
}
