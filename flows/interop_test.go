package flows

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const interopSecret = "s3cret-interop-value-42"

// oidcProvider is panva/node-oidc-provider started on loopback by the test (flows/testdata/oidc-provider).
type oidcProvider struct {
	issuer string
	stderr *strings.Builder
}

// startOIDCProvider runs the node server. Without node_modules the test is skipped, unless CI is set (then the
// missing install is a failure: .ci/run runs npm ci first).
func startOIDCProvider(t *testing.T, jwk map[string]string) *oidcProvider {
	t.Helper()
	dir := filepath.Join("testdata", "oidc-provider")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "oidc-provider")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("oidc-provider is not installed: run npm ci --prefix %s", dir)
		}
		t.Skipf("oidc-provider is not installed (npm ci --prefix %s); skipping interop", dir)
	}
	if _, err := exec.LookPath("node"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is not installed")
		}
		t.Skip("node is not installed; skipping interop")
	}
	cfg, _ := json.Marshal(map[string]any{"secret": interopSecret, "jwk": jwk})
	cmd := exec.Command("node", "server.mjs", string(cfg))
	cmd.Dir = dir
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	p := &oidcProvider{stderr: &strings.Builder{}}
	cmd.Stderr = &lockedWriter{w: p.stderr}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting node: %v", err)
	}
	t.Cleanup(func() {
		_ = stdin.Close() // the server exits when its stdin ends
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-lines:
		var hello struct{ Issuer string }
		if err := json.Unmarshal([]byte(line), &hello); err != nil || hello.Issuer == "" {
			t.Fatalf("oidc-provider did not announce its issuer (%q): %s", line, p.stderr)
		}
		p.issuer = hello.Issuer
	case <-time.After(20 * time.Second):
		t.Fatalf("oidc-provider did not start: %s", p.stderr)
	}
	return p
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// TestInteropWithOIDCProvider runs the flows against a real third-party provider: client credentials with
// client_secret_post and with private_key_jwt from a PEM certificate, device code, auth code + PKCE through the
// loopback listener (the test plays the browser) and refresh.
func TestInteropWithOIDCProvider(t *testing.T) {
	cert, key := testCert(t)
	pemPath := filepath.Join(t.TempDir(), "client.pem")
	if err := os.WriteFile(pemPath, pemOf(cert, key), 0o600); err != nil {
		t.Fatal(err)
	}
	jwk := map[string]string{"kty": "RSA", "use": "sig",
		"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes())}
	op := startOIDCProvider(t, jwk)
	ctx := context.Background()
	certificate, err := LoadCertificate(pemPath, "")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("client credentials", func(t *testing.T) {
		tests := []struct {
			name     string
			s        Settings
			wantCode string
		}{
			{name: "client_secret_post", s: Settings{ClientID: "aadx-secret", ClientSecret: interopSecret}},
			{name: "private_key_jwt PS256", s: Settings{ClientID: "aadx-jwt", Certificate: certificate}},
			{name: "private_key_jwt RS256", s: Settings{ClientID: "aadx-jwt", Certificate: certificate, AssertionAlg: AssertionRS256}},
			{name: "wrong secret", s: Settings{ClientID: "aadx-secret", ClientSecret: "not-the-secret"}, wantCode: "invalid_client"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s := tt.s
				s.Issuer, s.Scopes = op.issuer, []string{"api:read"}
				run, err := NewRun(FlowClientCredentials, s, Options{})
				if err != nil {
					t.Fatal(err)
				}
				err = run.RunAll(ctx)
				if tt.wantCode != "" {
					var oe *OAuthError
					if !errors.As(err, &oe) || oe.Code != tt.wantCode || oe.AADSTS() != 0 {
						t.Fatalf("err = %v, want a plain %s", err, tt.wantCode)
					}
					return
				}
				if err != nil {
					t.Fatalf("%v\n%s", err, op.stderr)
				}
				if tok := run.State().Tokens; tok == nil || tok.AccessToken == "" || tok.TokenType == "" {
					t.Fatalf("tokens = %+v", tok)
				}
			})
		}
	})

	t.Run("device code", func(t *testing.T) {
		var run *Run
		var signIn sync.Once
		signInErr := make(chan error, 1)
		run, err := NewRun(FlowDeviceCode, Settings{Issuer: op.issuer, ClientID: "aadx-public", Scopes: []string{"openid", "offline_access"}},
			Options{
				Sleep: func(ctx context.Context, _ time.Duration) error { return sleepCtx(ctx, 50*time.Millisecond) },
				Events: func(e Event) {
					// The person signs in on "another device" after the first pending answer.
					if e.Kind == EventExchangeFinished && e.LegName == LegPoll && e.Exchange.Status == http.StatusBadRequest {
						signIn.Do(func() {
							go func() { signInErr <- ApproveDeviceForTest(ctx, run, "alice", "any-password", true) }()
						})
					}
				}})
		if err != nil {
			t.Fatal(err)
		}
		if err := run.RunAll(ctx); err != nil {
			t.Fatalf("%v\n%s", err, op.stderr)
		}
		if err := <-signInErr; err != nil {
			t.Fatalf("device sign-in: %v", err)
		}
		if tok := run.State().Tokens; tok.AccessToken == "" || tok.IDToken == "" {
			t.Fatalf("tokens = %+v", tok)
		}
	})

	t.Run("pkce through the loopback listener, then refresh", func(t *testing.T) {
		var run *Run
		var redirectURI string
		// The "browser": signs in on oidc-provider's pages, then follows the redirect to aadx's listener.
		open := func(authURL string) error {
			go func() {
				red, err := ScriptedForTest(run, "alice", "any-password").Visit(ctx, authURL, redirectURI)
				if err != nil {
					t.Errorf("browser sign-in: %v", err)
					return
				}
				resp, err := http.Get(red.URL)
				if err != nil {
					t.Errorf("redirect to the listener: %v", err)
					return
				}
				resp.Body.Close()
			}()
			return nil
		}
		loopback, redirectURI, err := LoopbackForTest("http://127.0.0.1/callback", open, 20*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		s := Settings{Issuer: op.issuer, ClientID: "aadx-public", RedirectURI: redirectURI, Scopes: []string{"openid", "offline_access"}}
		run, err = NewRun(FlowPKCE, s, Options{Browser: loopback})
		if err != nil {
			t.Fatal(err)
		}
		// oidc-provider honours offline_access only with prompt=consent (OIDC Core §11), which aadx sends
		// for offline_access to a non-Entra issuer: the refresh token below proves it.
		for i, leg := range run.Legs() {
			req, err := run.Prepare(i)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := run.Send(ctx, req); err != nil {
				t.Fatalf("%s: %v\n%s", leg.Name, err, op.stderr)
			}
		}
		first := run.State().Tokens
		if first.AccessToken == "" || first.IDToken == "" || first.RefreshToken == "" {
			t.Fatalf("tokens = %+v", first)
		}
		refresh, err := NewRun(FlowRefresh, Settings{Issuer: op.issuer, ClientID: "aadx-public", Platform: PlatformPublic, RefreshToken: first.RefreshToken}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := refresh.RunAll(ctx); err != nil {
			t.Fatalf("refresh: %v", err)
		}
		if got := refresh.State().Tokens; got.AccessToken == "" || got.AccessToken == first.AccessToken {
			t.Fatalf("refresh tokens = %+v", got)
		}
	})
}
