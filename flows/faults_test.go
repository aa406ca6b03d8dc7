package flows

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aadx/aadx/emulator"
)

// Faults: every flow against a provider that misbehaves in one way at one endpoint. The engine must return the
// typed error a caller branches on (exit 1 for *OAuthError and *ProtocolError, exit 3 for *NetworkError) with a
// message that says what happened, within a bounded time, without a panic and without leaving goroutines.

const (
	faultTenant   = "11111111-2222-3333-4444-555555555555"
	faultClientID = "00000000-0000-0000-0000-0000000000aa"
	faultTimeout  = 500 * time.Millisecond
	// faultPatience is the timeout of a run whose fault is not a timeout: long enough that a loaded machine under
	// -race still meets the fault itself (a TLS handshake error, a reset) before the run gives up.
	faultPatience = 10 * time.Second
	// faultCeiling is a generous bound for "the error arrives": a hang would take far longer. It is not a
	// measure of speed.
	faultCeiling = 15 * time.Second
)

// wantKind is the error type a fault must produce.
type wantKind int

const (
	wantOAuth wantKind = iota
	wantProtocol
	wantNetwork
	wantTimeout
)

func (k wantKind) check(err error) error {
	var oe *OAuthError
	var pe *ProtocolError
	var ne *NetworkError
	switch {
	case k == wantOAuth && errors.As(err, &oe):
	case k == wantProtocol && errors.As(err, &pe):
	case k == wantNetwork && errors.As(err, &ne):
	case k == wantTimeout && errors.As(err, &ne) && ne.Timeout:
	default:
		return fmt.Errorf("got %T %v, want kind %d", err, err, k)
	}
	return nil
}

// fault is one way for an endpoint to misbehave.
type fault struct {
	name    string
	tls     bool // serve with a certificate the client does not trust
	handler http.HandlerFunc
	want    wantKind
	msg     []string // what the error message must say
}

func faults() []fault {
	return []fault{
		{name: "500 html page", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, "<html><body><h1>Internal Server Error</h1></body></html>")
		}, want: wantProtocol, msg: []string{"500 Internal Server Error"}},
		{name: "503 temporarily unavailable", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, http.StatusServiceUnavailable, `{"error":"temporarily_unavailable","error_description":"AADSTS90033: A transient error has occurred.","error_codes":[90033]}`)
		}, want: wantOAuth, msg: []string{"temporarily_unavailable", "AADSTS90033", "Retry-After 1"}},
		{name: "502 empty body", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
		}, want: wantProtocol, msg: []string{"502 Bad Gateway"}},
		{name: "429 Retry-After with Entra body", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "7")
			writeJSON(w, http.StatusTooManyRequests, `{"error":"temporarily_unavailable","error_description":"AADSTS90055: throttled.","error_codes":[90055]}`)
		}, want: wantOAuth, msg: []string{"AADSTS90055", "Retry-After 7"}},
		{name: "429 Retry-After without body", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
		}, want: wantProtocol, msg: []string{"429 Too Many Requests", "Retry-After 7"}},
		{name: "malformed JSON 200", handler: func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusOK, `{"access_token":"eyJ0eXAi`)
		}, want: wantProtocol, msg: []string{"not JSON"}},
		{name: "malformed JSON 400", handler: func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusBadRequest, `{"error":"invalid_request",`)
		}, want: wantProtocol, msg: []string{"400 Bad Request"}},
		{name: "html page with 200", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<!DOCTYPE html><html><title>Sign in to the proxy</title></html>")
		}, want: wantProtocol, msg: []string{"not JSON"}},
		{name: "truncated body", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", "4096")
			writeJSON(w, http.StatusOK, `{"access_token":"abc"`)
		}, want: wantNetwork, msg: []string{"unexpected EOF"}},
		{name: "10 MB body", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"access_token":"`)
			chunk := strings.Repeat("A", 64<<10)
			for range 160 { // 10 MiB; the client stops reading at its limit and the write fails: both fine
				if _, err := fmt.Fprint(w, chunk); err != nil {
					return
				}
			}
			fmt.Fprint(w, `"}`)
		}, want: wantProtocol, msg: []string{"larger than", "1024 KiB limit"}},
		{name: "headers never come", handler: func(_ http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body) // the server notices a closed connection only once the body is read
			<-r.Context().Done()               // until the client gives up
		}, want: wantTimeout, msg: []string{"timed out"}},
		{name: "body stalls", handler: func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"access_token":`)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}, want: wantTimeout, msg: []string{"timed out"}},
		{name: "connection reset", handler: func(w http.ResponseWriter, _ *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // close with RST, not FIN
			}
			_ = conn.Close()
		}, want: wantNetwork},
		{name: "untrusted TLS certificate", tls: true, handler: func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusOK, `{"access_token":"never-read"}`)
		}, want: wantNetwork, msg: []string{"certificate"}},
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

// faultFlow is one flow and the endpoint whose fault it meets.
type faultFlow struct {
	name     string
	flow     FlowID
	endpoint string // path suffix the fault is served on; every other endpoint answers correctly
	edit     func(*Settings)
	apply    func(*Run) error // completes a browser leg before RunAll
}

func faultFlows() []faultFlow {
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJhcGkifQ.c2lnbmF0dXJl"
	secret := func(s *Settings) { s.ClientSecret = "fault-test-secret-value" }
	return []faultFlow{
		{name: "client-credentials", flow: FlowClientCredentials, endpoint: "/oauth2/v2.0/token",
			edit: func(s *Settings) { secret(s); s.Scopes = []string{"api://x/.default"} }},
		{name: "client-credentials discovery", flow: FlowClientCredentials, endpoint: "/.well-known/openid-configuration",
			edit: func(s *Settings) { secret(s); s.Scopes = []string{"api://x/.default"}; s.Discover = true }},
		{name: "device-code authorization", flow: FlowDeviceCode, endpoint: "/oauth2/v2.0/devicecode"},
		{name: "device-code poll", flow: FlowDeviceCode, endpoint: "/oauth2/v2.0/token"},
		{name: "auth-code redeem", flow: FlowAuthCode, endpoint: "/oauth2/v2.0/token",
			edit: func(s *Settings) { secret(s); s.RedirectURI = "http://localhost:8400/callback" },
			apply: func(r *Run) error {
				if _, err := r.Prepare(0); err != nil {
					return err
				}
				return r.ApplyRedirect("http://localhost:8400/callback?code=fault-code&state=" + r.State().State)
			}},
		{name: "obo", flow: FlowOBO, endpoint: "/oauth2/v2.0/token", edit: func(s *Settings) { secret(s); s.Assertion = jwt }},
		{name: "refresh", flow: FlowRefresh, endpoint: "/oauth2/v2.0/token", edit: func(s *Settings) { s.RefreshToken = "0.AXoA-refresh" }},
	}
}

// providerWithFault answers like Entra on every endpoint but one, where the fault answers.
func providerWithFault(f fault, endpoint string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, endpoint) {
			f.handler(w, r)
			return
		}
		base := "http://" + r.Host + "/" + faultTenant
		switch {
		case strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration"):
			writeJSON(w, http.StatusOK, fmt.Sprintf(`{"issuer":"%[1]s/v2.0","authorization_endpoint":"%[1]s/oauth2/v2.0/authorize",`+
				`"token_endpoint":"%[1]s/oauth2/v2.0/token","device_authorization_endpoint":"%[1]s/oauth2/v2.0/devicecode",`+
				`"jwks_uri":"%[1]s/discovery/v2.0/keys"}`, base))
		case strings.HasSuffix(r.URL.Path, "/discovery/v2.0/keys"):
			writeJSON(w, http.StatusOK, `{"keys":[]}`)
		case strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/devicecode"):
			writeJSON(w, http.StatusOK, `{"device_code":"dc","user_code":"ABCD-EFGH","verification_uri":"https://microsoft.com/devicelogin","expires_in":900,"interval":1}`)
		default:
			writeJSON(w, http.StatusOK, `{"token_type":"Bearer","access_token":"eyJ0.eyJ0.c2ln","expires_in":3599}`)
		}
	})
}

func TestFaultsEveryFlow(t *testing.T) {
	for _, fl := range faultFlows() {
		for _, f := range faults() {
			t.Run(fl.name+"/"+f.name, func(t *testing.T) {
				before := runtime.NumGoroutine()
				srv := httptest.NewUnstartedServer(providerWithFault(f, fl.endpoint))
				if f.tls {
					srv.StartTLS()
				} else {
					srv.Start()
				}
				timeout := faultPatience
				if f.want == wantTimeout {
					timeout = faultTimeout
				}
				s := Settings{Authority: srv.URL, Tenant: faultTenant, ClientID: faultClientID, Timeout: timeout}
				if fl.edit != nil {
					fl.edit(&s)
				}
				var sleeps fastSleep
				run, err := NewRun(fl.flow, s, Options{Sleep: sleeps.sleep})
				if err != nil {
					t.Fatalf("NewRun: %v", err)
				}
				if fl.apply != nil {
					if err := fl.apply(run); err != nil {
						t.Fatalf("completing the browser leg: %v", err)
					}
				}
				ctx, cancel := context.WithTimeout(context.Background(), faultCeiling)
				defer cancel()
				err = run.RunAll(ctx)
				if ctx.Err() != nil {
					t.Fatalf("RunAll did not return within %s", faultCeiling)
				}
				if err == nil {
					t.Fatal("RunAll succeeded against a faulty provider")
				}
				if cerr := f.want.check(err); cerr != nil {
					t.Fatal(cerr)
				}
				msg := err.Error()
				// An untrusted certificate fails the first request, wherever the fault was meant to be.
				if (f.want == wantNetwork || f.want == wantTimeout) && !f.tls && !strings.Contains(msg, fl.endpoint) {
					t.Errorf("network error %q does not name the endpoint %s", msg, fl.endpoint)
				}
				if strings.Contains(msg, "fault-test-secret-value") {
					t.Errorf("the client secret leaks into the error: %q", msg)
				}
				// The failed run is what a user attaches to a support ticket: its exports mask the secret too.
				var export bytes.Buffer
				if err := WriteExportsForTest(&export, run, run.Redactor()); err != nil {
					t.Errorf("exporting the failed run: %v", err)
				}
				if strings.Contains(export.String(), "fault-test-secret-value") {
					t.Error("the client secret leaks into the HAR or Markdown export of the failed run")
				}
				failed := 0
				for i := range run.Legs() {
					if run.Status(i) == StatusFailed {
						failed++
					}
				}
				if failed != 1 || run.State().Err == nil {
					t.Errorf("%d legs failed and State().Err = %v; want the one faulty leg failed", failed, run.State().Err)
				}
				srv.Close()
				assertGoroutinesSettle(t, before)
				for _, want := range f.msg {
					if !strings.Contains(msg, want) {
						t.Errorf("error %q does not say %q", msg, want)
					}
				}
			})
		}
	}
}

// assertGoroutinesSettle waits (bounded) for the goroutine count to return to what it was before a test: a
// leaked reader, poller or timer would keep it above.
func assertGoroutinesSettle(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		now := runtime.NumGoroutine()
		if now <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			n := runtime.Stack(buf, true)
			t.Fatalf("%d goroutines before, %d after:\n%s", before, now, buf[:n])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestFaultsCancelStopsAtOnce cancels a run waiting on a provider that never answers, and a device-code poll
// waiting for the user: both end with a network error (exit 3) as soon as the context ends.
func TestFaultsCancelStopsAtOnce(t *testing.T) {
	hang := fault{handler: func(_ http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}}
	pending := fault{handler: func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusBadRequest, `{"error":"authorization_pending","error_codes":[70016]}`)
	}}
	tests := []struct {
		name string
		flow FlowID
		f    fault
		edit func(*Settings)
	}{
		{"client credentials hanging", FlowClientCredentials, hang, func(s *Settings) {
			s.ClientSecret, s.Scopes = "fault-test-secret-value", []string{"api://x/.default"}
		}},
		{"device code pending", FlowDeviceCode, pending, func(*Settings) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			srv := httptest.NewServer(providerWithFault(tt.f, "/oauth2/v2.0/token"))
			s := Settings{Authority: srv.URL, Tenant: faultTenant, ClientID: faultClientID, Timeout: time.Minute}
			tt.edit(&s)
			run, err := NewRun(tt.flow, s, Options{Sleep: (&fastSleep{}).sleep})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- run.RunAll(ctx) }()
			time.Sleep(50 * time.Millisecond)
			cancel()
			select {
			case err = <-done:
			case <-time.After(faultCeiling):
				t.Fatal("RunAll ignored the cancelled context")
			}
			if !IsNetwork(err) || !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %T %v, want a network error wrapping context.Canceled", err, err)
			}
			srv.Close()
			assertGoroutinesSettle(t, before)
		})
	}
}

// TestFaultsEmulatorScenarios runs each flow against the emulator's fault scenarios, through a real loopback
// listener, and checks the typed error and its message.
func TestFaultsEmulatorScenarios(t *testing.T) {
	tests := []struct {
		scenario string
		flow     FlowID
		timeout  time.Duration
		want     wantKind
		msg      string
		status   int
	}{
		{"throttled", FlowClientCredentials, 0, wantOAuth, "AADSTS90055", http.StatusTooManyRequests},
		{"transient-5xx", FlowClientCredentials, 0, wantOAuth, "AADSTS90033", http.StatusServiceUnavailable},
		{"secret-expired", FlowClientCredentials, 0, wantOAuth, "AADSTS7000222", http.StatusUnauthorized},
		{"app-disabled", FlowClientCredentials, 0, wantOAuth, "AADSTS7000112", 0},
		{"slow", FlowClientCredentials, 200 * time.Millisecond, wantTimeout, "timed out", 0},
		{"throttled", FlowDeviceCode, 0, wantOAuth, "AADSTS90055", http.StatusTooManyRequests},
		{"device-declined", FlowDeviceCode, 0, wantOAuth, "authorization_declined", 0},
		{"slow", FlowDeviceCode, 200 * time.Millisecond, wantTimeout, "timed out", 0},
	}
	for _, tt := range tests {
		t.Run(string(tt.flow)+"/"+tt.scenario, func(t *testing.T) {
			srv, err := emulator.New(emulator.Options{Dir: t.TempDir(), AutoApprove: true, DeviceInterval: 10 * time.Millisecond,
				Scenarios: []string{tt.scenario}})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			d := srv.Description()
			s := Settings{Authority: d.Authority, Tenant: d.TenantID, Timeout: 5 * time.Second}
			if tt.timeout > 0 {
				s.Timeout = tt.timeout
			}
			if tt.flow == FlowClientCredentials {
				s.ClientID, s.ClientSecret, s.Scopes = d.Apps.Daemon.ClientID, d.Apps.Daemon.ClientSecret, []string{d.Apps.Daemon.Scope}
			} else {
				s.ClientID = d.Apps.Public.ClientID
			}
			run, err := NewRun(tt.flow, s, Options{HTTPClient: srv.HTTPClient(), Sleep: (&fastSleep{}).sleep})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), faultCeiling)
			defer cancel()
			err = run.RunAll(ctx)
			if ctx.Err() != nil {
				t.Fatalf("RunAll did not return within %s", faultCeiling)
			}
			if cerr := tt.want.check(err); cerr != nil {
				t.Fatal(cerr)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
			var oe *OAuthError
			if tt.status != 0 && (!errors.As(err, &oe) || oe.Status != tt.status) {
				t.Errorf("err = %v, want HTTP %d", err, tt.status)
			}
		})
	}
}

// TestFaultsRunsReuseConnections runs one flow many times against a healthy provider, as a TUI session does:
// the runs must share keep-alive connections rather than each leave its own idle connection (and its reader and
// writer goroutines) behind until the idle timeout.
func TestFaultsRunsReuseConnections(t *testing.T) {
	srv := httptest.NewServer(providerWithFault(fault{handler: http.NotFound}, "/not-a-provider-endpoint"))
	defer srv.Close()
	s := Settings{Authority: srv.URL, Tenant: faultTenant, ClientID: faultClientID, ClientSecret: "fault-test-secret-value",
		Scopes: []string{"api://x/.default"}, Timeout: 5 * time.Second}
	runOnce := func() {
		run, err := NewRun(FlowClientCredentials, s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := run.RunAll(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	runOnce() // the first run opens the connection the others should reuse
	before := runtime.NumGoroutine()
	const runs = 20
	for range runs {
		runOnce()
	}
	time.Sleep(50 * time.Millisecond) // let closed connections' goroutines finish
	if grown := runtime.NumGoroutine() - before; grown > 3 {
		t.Errorf("%d runs left %d goroutines of idle connections behind: runs do not share connections", runs, grown)
	}
}
