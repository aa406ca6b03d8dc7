package flows

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aadx/aadx/emulator"
)

// browserRun builds a run whose browser leg signs in over HTTP as the first demo user.
func browserRun(t *testing.T, srv *emulator.Server, d emulator.Description, id FlowID, s Settings) *Run {
	t.Helper()
	var run *Run
	browser := BrowserFunc(func(ctx context.Context, u, redirect string) (*Redirect, error) {
		return ScriptedForTest(run, d.Users[0].Username, d.Users[0].Password).Visit(ctx, u, redirect)
	})
	var err error
	run, err = NewRun(id, s, Options{HTTPClient: srv.HTTPClient(), Browser: browser})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func TestBrowserFlowsAgainstEmulator(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	web := func(s *Settings) {
		s.ClientID, s.ClientSecret, s.RedirectURI = d.Apps.Web.ClientID, d.Apps.Web.ClientSecret, d.Apps.Web.RedirectURI
	}
	tests := []struct {
		name     string
		flow     FlowID
		edit     func(*Settings)
		editReq  func(*Request) // edits the redeem request before sending
		wantCode int            // AADSTS code expected from the last leg, 0 for success
		wantRT   bool
	}{
		{name: "web app with secret", flow: FlowAuthCode, edit: web, wantRT: true},
		{name: "web app form_post", flow: FlowAuthCode, edit: func(s *Settings) { web(s); s.ResponseMode = "form_post" }, wantRT: true},
		{name: "web app wrong secret", flow: FlowAuthCode, edit: func(s *Settings) { web(s); s.ClientSecret = "wrong-secret-value" }, wantCode: 7000215},
		{name: "public client pkce", flow: FlowPKCE, edit: func(s *Settings) {
			s.ClientID, s.RedirectURI = d.Apps.Public.ClientID, d.Apps.Public.RedirectURI
		}, wantRT: true},
		{name: "public client wrong verifier", flow: FlowPKCE, edit: func(s *Settings) {
			s.ClientID, s.RedirectURI = d.Apps.Public.ClientID, d.Apps.Public.RedirectURI
		}, editReq: func(r *Request) { r.Set("code_verifier", "this-is-not-the-verifier-that-made-the-challenge-0123") }, wantCode: 501481},
		{name: "spa sends Origin", flow: FlowPKCE, edit: func(s *Settings) {
			s.ClientID, s.RedirectURI, s.Platform = d.Apps.SPA.ClientID, d.Apps.SPA.RedirectURI, PlatformSPA
		}, wantRT: true},
		{name: "spa without Origin", flow: FlowPKCE, edit: func(s *Settings) {
			s.ClientID, s.RedirectURI, s.Platform = d.Apps.SPA.ClientID, d.Apps.SPA.RedirectURI, PlatformSPA
		}, editReq: func(r *Request) {
			hs := r.Headers[:0]
			for _, h := range r.Headers {
				if h.Name != "Origin" {
					hs = append(hs, h)
				}
			}
			r.Headers = hs
		}, wantCode: 9002327},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := demoSettings(d)
			s.Scopes = []string{"openid", "profile", "offline_access", "User.Read"}
			tt.edit(&s)
			run := browserRun(t, srv, d, tt.flow, s)
			ctx := context.Background()
			var err error
			for i := range run.Legs() {
				var req *Request
				if req, err = run.Prepare(i); err != nil {
					t.Fatalf("Prepare(%d): %v", i, err)
				}
				if req.Name == LegRedeem && tt.editReq != nil {
					tt.editReq(req)
				}
				if _, err = run.Send(ctx, req); err != nil {
					break
				}
			}
			if tt.wantCode != 0 {
				var oe *OAuthError
				if !errors.As(err, &oe) || oe.AADSTS() != tt.wantCode {
					t.Fatalf("err = %v, want AADSTS%d", err, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			tok := run.State().Tokens
			if tok == nil || tok.AccessToken == "" || tok.IDToken == "" || (tok.RefreshToken != "") != tt.wantRT {
				t.Fatalf("tokens = %+v", tok)
			}
		})
	}
}

func TestRedeemedCodeCannotBeReused(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	s := demoSettings(d)
	s.ClientID, s.RedirectURI = d.Apps.Public.ClientID, d.Apps.Public.RedirectURI
	run := browserRun(t, srv, d, FlowPKCE, s)
	if err := run.RunAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	req, err := run.Prepare(len(run.Legs()) - 1)
	if err != nil {
		t.Fatal(err)
	}
	_, err = run.Send(context.Background(), req)
	var oe *OAuthError
	if !errors.As(err, &oe) || oe.AADSTS() != 54005 || oe.Code != "invalid_grant" {
		t.Fatalf("re-sent redeem: err = %v, want invalid_grant AADSTS54005", err)
	}
	if run.Status(len(run.Legs())-1) != StatusFailed {
		t.Errorf("status = %v, want failed", run.Status(len(run.Legs())-1))
	}
}

func TestPastedRedirectIsCheckedAndRedeemed(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	s := demoSettings(d)
	s.ClientID, s.RedirectURI = d.Apps.Public.ClientID, d.Apps.Public.RedirectURI
	// A separate run plays the browser to obtain a real redirect URL for this run's authorize request.
	run, err := NewRun(FlowPKCE, s, Options{HTTPClient: srv.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	req, err := run.Prepare(0)
	if err != nil {
		t.Fatal(err)
	}
	red, err := ScriptedForTest(run, d.Users[0].Username, d.Users[0].Password).Visit(context.Background(), req.FullURL(), s.RedirectURI)
	if err != nil {
		t.Fatal(err)
	}
	if err := run.ApplyRedirect("http://localhost/?code=x&state=forged"); !errors.Is(err, ErrStateMismatch) {
		t.Fatalf("forged state: err = %v, want ErrStateMismatch", err)
	}
	if err := run.ApplyRedirect(red.URL); err != nil {
		t.Fatalf("ApplyRedirect(%q): %v", red.URL, err)
	}
	redeem, err := run.Prepare(1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run.Send(context.Background(), redeem); err != nil {
		t.Fatalf("redeem: %v", err)
	}
}

func TestSignInFailuresNameTheirCode(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	tests := []struct {
		name     string
		edit     func(*Settings)
		password string
		wantCode int
	}{
		{name: "wrong password", password: "not-the-password", wantCode: 50126},
		{name: "unregistered redirect URI", edit: func(s *Settings) { s.RedirectURI = "http://localhost/not-registered" }, wantCode: 50011},
		{name: "unknown client", edit: func(s *Settings) { s.ClientID = "00000000-0000-0000-0000-000000000001" }, wantCode: 700016},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := demoSettings(d)
			s.ClientID, s.RedirectURI = d.Apps.Public.ClientID, d.Apps.Public.RedirectURI
			if tt.edit != nil {
				tt.edit(&s)
			}
			password := d.Users[0].Password
			if tt.password != "" {
				password = tt.password
			}
			var run *Run
			run, err := NewRun(FlowPKCE, s, Options{HTTPClient: srv.HTTPClient(), Browser: BrowserFunc(
				func(ctx context.Context, u, r string) (*Redirect, error) {
					return ScriptedForTest(run, d.Users[0].Username, password).Visit(ctx, u, r)
				})})
			if err != nil {
				t.Fatal(err)
			}
			err = run.RunAll(context.Background())
			var oe *OAuthError
			if !errors.As(err, &oe) || oe.AADSTS() != tt.wantCode {
				t.Fatalf("err = %v, want AADSTS%d", err, tt.wantCode)
			}
		})
	}
}

func TestEventsAndRequestEditing(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	var events eventLog
	s := demoSettings(d)
	s.ClientID, s.ClientSecret, s.Scopes = d.Apps.Daemon.ClientID, d.Apps.Daemon.ClientSecret, []string{"api://wrong/.default"}
	run, err := NewRun(FlowClientCredentials, s, Options{HTTPClient: srv.HTTPClient(), Events: events.add})
	if err != nil {
		t.Fatal(err)
	}
	req, err := run.Prepare(0)
	if err != nil {
		t.Fatal(err)
	}
	if got := req.Encode(); !strings.HasPrefix(got, "client_id=") || !strings.Contains(got, "&grant_type=client_credentials&client_secret=") {
		t.Fatalf("parameters out of order: %s", got)
	}
	if _, err := run.Send(context.Background(), req); err == nil {
		t.Fatal("an unknown resource was accepted")
	}
	// Fix the prepared request by hand, as in the TUI, and re-send the leg.
	req.Set("scope", d.Apps.Daemon.Scope)
	if _, err := run.Send(context.Background(), req); err != nil {
		t.Fatalf("re-sent leg: %v", err)
	}
	want := []EventKind{EventExchangeStarted, EventExchangeFinished, EventLegFailed, EventExchangeStarted, EventExchangeFinished, EventLegDone}
	if got := events.kinds(); !reflect.DeepEqual(got, want) {
		t.Fatalf("events = %v, want %v", got, want)
	}
	if run.Status(0) != StatusDone || run.State().Err != nil || len(run.Exchanges()) != 2 {
		t.Fatalf("status %v, err %v, %d exchanges", run.Status(0), run.State().Err, len(run.Exchanges()))
	}
	req.Del("client_secret")
	if req.Get("client_secret") != "" || strings.Contains(req.Encode(), "client_secret") {
		t.Fatal("Del left the parameter")
	}
}

// RFC 6749 §4.1.3: the code is redeemed with the redirect_uri the authorize request carried, even when that was
// edited or given the loopback listener's port after the settings were made.
func TestRedeemUsesTheAuthorizeRequestsRedirectURI(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	s := demoSettings(d)
	s.ClientID, s.RedirectURI = d.Apps.Public.ClientID, d.Apps.Public.RedirectURI
	run := browserRun(t, srv, d, FlowPKCE, s)
	authorize, err := run.Prepare(0)
	if err != nil {
		t.Fatal(err)
	}
	const withPort = "http://localhost:53123"
	authorize.Set("redirect_uri", withPort)
	if _, err := run.Send(context.Background(), authorize); err != nil {
		t.Fatalf("authorize: %v", err)
	}
	redeem, err := run.Prepare(1)
	if err != nil {
		t.Fatal(err)
	}
	if got := redeem.Get("redirect_uri"); got != withPort {
		t.Fatalf("redeem redirect_uri = %q, want the authorize request's %q", got, withPort)
	}
	if _, err := run.Send(context.Background(), redeem); err != nil {
		t.Fatalf("redeem: %v", err)
	}
}
