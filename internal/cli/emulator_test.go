package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aadx/aadx/emulator"
)

func TestEmulatorCmdUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"emulator", "--scenario", "nope"}, "--scenario"},
		{[]string{"emulator", "--addr", "not an address"}, "--addr"},
		{[]string{"emulator", "--device-interval", "-1s"}, "--device-interval"},
		{[]string{"emulator", "--bogus"}, "bogus"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := execute(tt.args, strings.NewReader(""), &out, &errOut)
			if code != exitUsage || !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d naming %s", code, errOut.String(), exitUsage, tt.want)
			}
		})
	}
}

func TestEmulatorCmdListScenarios(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := execute([]string{"emulator", "--list-scenarios"}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, sc := range emulator.Scenarios() {
		if !strings.Contains(out.String(), sc.Name+" ") {
			t.Errorf("--list-scenarios lacks %s:\n%s", sc.Name, out.String())
		}
	}
}

// TestEmulatorCmdJSON starts `aadx emulator --tls --auto-approve --json`, reads its one line, and uses it:
// the CA file makes the authority trusted and the daemon's secret gets a token.
func TestEmulatorCmdJSON(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	cmd := newEmulatorCmd()
	cmd.SetArgs([]string{"--tls", "--auto-approve", "--json", "--dir", t.TempDir()})
	cmd.SetOut(pw)
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- cmd.ExecuteContext(ctx); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the JSON line: %v", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("took %v to print the JSON line", elapsed)
	}
	var d emulator.Description
	if err := json.Unmarshal([]byte(line), &d); err != nil {
		t.Fatalf("not JSON: %q", line)
	}
	if !strings.HasPrefix(d.Authority, "https://127.0.0.1:") || d.CAFile == "" || d.Apps.Daemon.CertFile == "" || len(d.Users) < 3 {
		t.Fatalf("description = %s", line)
	}
	for _, f := range []string{d.CAFile, d.Apps.Daemon.CertFile} {
		if st, err := os.Stat(f); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v, want mode 0600", f, err, st)
		}
	}
	caPEM, _ := os.ReadFile(d.CAFile)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("CA file holds no certificate")
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.PostForm(d.Authority+"/"+d.TenantID+"/oauth2/v2.0/token", map[string][]string{
		"grant_type": {"client_credentials"}, "client_id": {d.Apps.Daemon.ClientID},
		"client_secret": {d.Apps.Daemon.ClientSecret}, "scope": {d.Apps.Daemon.Scope}})
	if err != nil {
		t.Fatalf("token request over the CA: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("token status %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("emulator ended with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("emulator did not stop on cancellation")
	}
}
