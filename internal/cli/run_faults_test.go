package cli

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// aadx run against providers that misbehave: the exit code says whose fault it is (1 the provider answered
// but not with tokens, 3 it could not be reached or read in time), stderr says what happened, and the client
// secret never appears in either stream.

const faultSecret = "run-fault-secret-value-0123"

func TestRunExitCodesUnderFaults(t *testing.T) {
	tests := []struct {
		name    string
		tls     bool
		handler http.HandlerFunc
		code    int
		stderr  string
	}{
		{name: "500 html page", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, "<html><h1>Internal Server Error</h1></html>")
		}, code: exitDenied, stderr: "500 Internal Server Error"},
		{name: "429 Retry-After", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "7")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"error":"temporarily_unavailable","error_description":"AADSTS90055: throttled.","error_codes":[90055]}`)
		}, code: exitDenied, stderr: "AADSTS90055: throttled. (Retry-After 7)"},
		{name: "malformed JSON", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"access_token":`)
		}, code: exitDenied, stderr: "not JSON"},
		{name: "10 MB body", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			chunk := strings.Repeat("A", 64<<10)
			for range 160 {
				if _, err := io.WriteString(w, chunk); err != nil {
					return
				}
			}
		}, code: exitDenied, stderr: "✗"},
		{name: "truncated body", handler: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", "4096")
			fmt.Fprint(w, `{"access_token":"abc"`)
		}, code: exitNetwork, stderr: "unexpected EOF"},
		{name: "headers never come", handler: func(_ http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			<-r.Context().Done()
		}, code: exitNetwork, stderr: "timed out"},
		{name: "connection reset", handler: func(w http.ResponseWriter, _ *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = conn.Close()
		}, code: exitNetwork, stderr: "/oauth2/v2.0/"},
		{name: "untrusted TLS certificate", tls: true, handler: func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, `{"access_token":"never-read"}`)
		}, code: exitNetwork, stderr: "certificate"},
	}
	flowArgs := map[string][]string{ // every endpoint of the fake provider misbehaves, so the first leg meets it
		"client-credentials": {"--scope", "api://x/.default"},
		"device-code":        nil,
	}
	for flow, extra := range flowArgs {
		for _, tt := range tests {
			t.Run(flow+"/"+tt.name, func(t *testing.T) {
				runUnderFault(t, flow, extra, tt.tls, tt.handler, tt.code, tt.stderr)
			})
		}
	}
}

// runUnderFault runs one flow against a server answering with handler and checks the exit code and stderr.
func runUnderFault(t *testing.T, flow string, extra []string, useTLS bool, handler http.HandlerFunc, wantCode int, wantStderr string) {
	const tenant = "11111111-2222-3333-4444-555555555555"
	const clientID = "00000000-0000-0000-0000-0000000000aa"
	srv := httptest.NewUnstartedServer(handler)
	if useTLS {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	defer srv.Close()
	for _, k := range []string{"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_AUTHORITY_HOST"} {
		t.Setenv(k, "")
	}
	t.Setenv("AZURE_CLIENT_SECRET", faultSecret)
	// Only a fault that is a timeout gets a short --timeout; the others get room to meet their fault on a loaded
	// machine under -race.
	timeout := "10s"
	if wantStderr == "timed out" {
		timeout = "500ms"
	}
	args := append([]string{"run", flow, "--authority", srv.URL, "--tenant", tenant, "--client-id", clientID, "--timeout", timeout}, extra...)
	code, out, errOut := cli(t, "", args...)
	if code != wantCode || !strings.Contains(errOut, wantStderr) {
		t.Fatalf("exit %d (want %d), stderr:\n%s\nwant it to contain %q", code, wantCode, errOut, wantStderr)
	}
	if strings.Contains(out+errOut, faultSecret) {
		t.Errorf("the client secret leaked:\n%s%s", out, errOut)
	}
	if len(errOut) > 64<<10 {
		t.Errorf("stderr carries the oversized body (%d bytes)", len(errOut))
	}
}

// TestRunEveryFlowUnderScenarios runs each flow against the demo emulator's fault scenarios: a scenario the
// flow meets exits 1 naming the AADSTS code or error, a slow provider with a short --timeout exits 3.
func TestRunEveryFlowUnderScenarios(t *testing.T) {
	tests := []struct {
		flow, scenario string
		code           int
		stderr         string
	}{
		{"client-credentials", "app-disabled", exitDenied, "AADSTS7000112"},
		{"auth-code", "app-disabled", exitDenied, "AADSTS7000112"},
		{"pkce", "mfa-required", exitDenied, "AADSTS50076"},
		{"device-code", "throttled", exitDenied, "AADSTS90055"},
		{"obo", "consent-required", exitDenied, "AADSTS65001"},
		{"refresh", "consent-required", exitDenied, "AADSTS65001"},
		{"client-credentials", "slow", exitNetwork, "timed out"},
		{"device-code", "slow", exitNetwork, "timed out"},
		{"pkce", "slow", exitNetwork, "timed out"},
	}
	for _, tt := range tests {
		t.Run(tt.flow+"/"+tt.scenario, func(t *testing.T) {
			args := []string{"run", tt.flow, "--demo", "--scenario", tt.scenario}
			if tt.scenario == "slow" {
				args = append(args, "--timeout", "300ms")
			}
			code, out, errOut := cli(t, "", args...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) {
				t.Fatalf("exit %d (want %d), stderr:\n%s\nwant it to contain %q", code, tt.code, errOut, tt.stderr)
			}
			if code != 0 && out != "" {
				t.Errorf("a failed run printed tokens on stdout:\n%s", out)
			}
		})
	}
}
