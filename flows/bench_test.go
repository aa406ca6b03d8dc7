package flows

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aadx/aadx/emulator"
)

// Engine overhead per leg: the same request sent through a raw http.Client (which, like any client, decodes the
// JSON answer) and through the engine (prepare, traced send with a size-limited read, apply to the state), both
// against the in-process emulator. The engine benchmarks re-send a leg of one run; BenchmarkNewRun is the
// once-per-run cost.

func benchEmulator(b *testing.B) (*emulator.Server, emulator.Description) {
	b.Helper()
	srv, err := emulator.New(emulator.Options{NoListener: true, Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	return srv, srv.Description()
}

func BenchmarkTokenLegRawClient(b *testing.B) {
	srv, d := benchEmulator(b)
	client := srv.HTTPClient()
	endpoint := d.Authority + "/" + d.TenantID + "/oauth2/v2.0/token"
	form := url.Values{"client_id": {d.Apps.Daemon.ClientID}, "scope": {d.Apps.Daemon.Scope},
		"grant_type": {"client_credentials"}, "client_secret": {d.Apps.Daemon.ClientSecret}}.Encode()
	b.ResetTimer()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var tok tokenResponse
		err = json.NewDecoder(resp.Body).Decode(&tok)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(resp.Status, err)
		}
	}
}

func BenchmarkTokenLegEngine(b *testing.B) { benchEngineLeg(b, false) }

// benchEngineLeg prepares and sends the run's first leg again and again: the token leg, or with discover the
// discovery leg.
func benchEngineLeg(b *testing.B, discover bool) {
	srv, d := benchEmulator(b)
	s := Settings{Authority: d.Authority, Tenant: d.TenantID, ClientID: d.Apps.Daemon.ClientID,
		ClientSecret: d.Apps.Daemon.ClientSecret, Scopes: []string{d.Apps.Daemon.Scope}, Discover: discover}
	ctx := context.Background()
	run, err := NewRun(FlowClientCredentials, s, Options{HTTPClient: srv.HTTPClient()})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		req, err := run.Prepare(0)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := run.Send(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// The discovery leg involves no token signing, so the engine's own cost shows more clearly.
func BenchmarkDiscoveryLegRawClient(b *testing.B) {
	srv, d := benchEmulator(b)
	client := srv.HTTPClient()
	u := d.Authority + "/" + d.TenantID + "/v2.0/.well-known/openid-configuration"
	b.ResetTimer()
	for b.Loop() {
		resp, err := client.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		var doc openIDConfiguration
		err = json.NewDecoder(resp.Body).Decode(&doc)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDiscoveryLegEngine(b *testing.B) { benchEngineLeg(b, true) }

func BenchmarkNewRun(b *testing.B) {
	s := Settings{Authority: DefaultAuthority, Tenant: testTenant, ClientID: testClient, ClientSecret: "secret", Discover: true}
	for b.Loop() {
		if _, err := NewRun(FlowClientCredentials, s, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
