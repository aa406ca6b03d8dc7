package flows

import (
	"context"
	"errors"
	"testing"

	"github.com/aadx/aadx/emulator"
)

// userTokens signs in as the first demo user with the public client and returns its tokens.
func userTokens(t *testing.T, srv *emulator.Server, d emulator.Description, scopes ...string) *Tokens {
	t.Helper()
	s := demoSettings(d)
	s.ClientID, s.RedirectURI, s.Scopes = d.Apps.Public.ClientID, d.Apps.Public.RedirectURI, scopes
	run := browserRun(t, srv, d, FlowPKCE, s)
	if err := run.RunAll(context.Background()); err != nil {
		t.Fatalf("sign-in for %v: %v", scopes, err)
	}
	return run.State().Tokens
}

func TestOnBehalfOfAgainstEmulator(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	forAPI := userTokens(t, srv, d, "openid", d.Apps.API.Scope)
	forGraph := userTokens(t, srv, d, "openid", "User.Read")
	tests := []struct {
		name      string
		assertion string
		wantErr   bool
	}{
		{name: "user token for the API", assertion: forAPI.AccessToken},
		{name: "user token for another audience", assertion: forGraph.AccessToken, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := demoSettings(d)
			s.ClientID, s.ClientSecret, s.Assertion = d.Apps.API.ClientID, d.Apps.API.ClientSecret, tt.assertion
			s.Scopes = []string{d.Apps.Downstream.Scope}
			run, err := NewRun(FlowOBO, s, Options{HTTPClient: srv.HTTPClient()})
			if err != nil {
				t.Fatal(err)
			}
			err = run.RunAll(context.Background())
			var oe *OAuthError
			switch {
			case tt.wantErr && !errors.As(err, &oe):
				t.Fatalf("err = %v, want an OAuth error", err)
			case !tt.wantErr && err != nil:
				t.Fatalf("obo: %v", err)
			case !tt.wantErr && run.State().Tokens.AccessToken == "":
				t.Fatal("no access token")
			}
		})
	}
}

func TestRefreshAgainstEmulator(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	first := userTokens(t, srv, d, "openid", "offline_access", "User.Read")
	if first.RefreshToken == "" {
		t.Fatal("no refresh token from the sign-in")
	}
	tests := []struct {
		name    string
		rt      string
		wantErr bool
	}{
		{name: "valid refresh token", rt: first.RefreshToken},
		{name: "garbage refresh token", rt: "not-a-refresh-token", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := demoSettings(d)
			s.ClientID, s.RefreshToken, s.Platform = d.Apps.Public.ClientID, tt.rt, PlatformPublic
			run, err := NewRun(FlowRefresh, s, Options{HTTPClient: srv.HTTPClient()})
			if err != nil {
				t.Fatal(err)
			}
			err = run.RunAll(context.Background())
			var oe *OAuthError
			if tt.wantErr {
				if !errors.As(err, &oe) || oe.Code != "invalid_grant" {
					t.Fatalf("err = %v, want invalid_grant", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tok := run.State().Tokens; tok.AccessToken == "" || tok.AccessToken == first.AccessToken {
				t.Fatal("refresh did not return a new access token")
			}
		})
	}
}

func TestDiscoveryLegsFeedEndpoints(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	s := demoSettings(d)
	s.ClientID, s.ClientSecret, s.Scopes, s.Discover = d.Apps.Daemon.ClientID, d.Apps.Daemon.ClientSecret, []string{d.Apps.Daemon.Scope}, true
	run, err := NewRun(FlowClientCredentials, s, Options{HTTPClient: srv.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(run.Legs()); got != 3 {
		t.Fatalf("legs = %d, want discovery, jwks, token", got)
	}
	if err := run.RunAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := run.State()
	if st.Discovery == "" || st.JWKS == "" || st.Tokens == nil {
		t.Fatalf("state after discovery: discovery=%d bytes jwks=%d bytes tokens=%v", len(st.Discovery), len(st.JWKS), st.Tokens != nil)
	}
}

func TestIssuerModeUsesDiscoveredEndpoints(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	s := Settings{Issuer: d.Authority + "/" + d.TenantID + "/v2.0", ClientID: d.Apps.Daemon.ClientID,
		ClientSecret: d.Apps.Daemon.ClientSecret, Scopes: []string{d.Apps.Daemon.Scope}}
	run, err := NewRun(FlowClientCredentials, s, Options{HTTPClient: srv.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run.Prepare(2); !errors.Is(err, ErrNotReady) {
		t.Fatalf("token leg before discovery: err = %v, want ErrNotReady", err)
	}
	if err := run.RunAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	if run.State().Endpoints.Token == "" {
		t.Fatal("token endpoint not discovered")
	}
}
