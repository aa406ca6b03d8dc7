package flows

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aadx/aadx/emulator"
)

func webAPISettings(d emulator.Description, callAPI string) Settings {
	s := demoSettings(d)
	s.ClientID, s.ClientSecret, s.RedirectURI = d.Apps.Web.ClientID, d.Apps.Web.ClientSecret, d.Apps.Web.RedirectURI
	s.Scopes = []string{"openid", "offline_access", d.Apps.API.Scope}
	s.CallAPI = callAPI
	return s
}

func TestCallAPILegAfterEveryFlow(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	run := browserRun(t, srv, d, FlowAuthCode, webAPISettings(d, d.APIURL))
	legs := run.Legs()
	if last := legs[len(legs)-1]; last.Name != LegCallAPI || last.To != LaneAPI || last.From != LaneApp {
		t.Fatalf("last leg %+v", last)
	}
	if err := run.RunAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := run.State()
	if st.API == nil || st.API.Status != 200 || !strings.Contains(st.API.Body, `"scp":"access_as_user"`) {
		t.Fatalf("API answer %+v", st.API)
	}
	ex := run.Exchanges()
	call := ex[len(ex)-1]
	if call.LegName != LegCallAPI || call.Method != "GET" || call.URL != d.APIURL || !strings.HasPrefix(headerValue(call.RequestHeaders, "Authorization"), "Bearer ey") {
		t.Errorf("the call %+v", call)
	}
	// Traced like every leg, and redacted like every trace: the bearer token never leaks whole.
	if red := run.Redactor().Exchange(call); strings.Contains(headerValue(red.RequestHeaders, "Authorization"), run.State().Tokens.AccessToken) {
		t.Errorf("the bearer token is in the redacted trace")
	}

	// Client credentials: the daemon's app-only token calls the API with its role.
	s := demoSettings(d)
	s.ClientID, s.ClientSecret, s.Scopes, s.CallAPI = d.Apps.Daemon.ClientID, d.Apps.Daemon.ClientSecret, []string{d.Apps.Daemon.Scope}, d.APIURL
	cc, err := NewRun(FlowClientCredentials, s, Options{HTTPClient: srv.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	if err := cc.RunAll(context.Background()); err != nil || cc.State().API.Status != 200 {
		t.Fatalf("client credentials: %v %+v", err, cc.State().API)
	}
	// ... and Graph's /me refuses it as Graph does: app-only tokens have no /me.
	s.Scopes, s.CallAPI = []string{"https://graph.microsoft.com/.default"}, d.GraphURL+"/me"
	cc, _ = NewRun(FlowClientCredentials, s, Options{HTTPClient: srv.HTTPClient()})
	var apiErr *APIError
	if err := cc.RunAll(context.Background()); !errors.As(err, &apiErr) || apiErr.Status != 400 {
		t.Fatalf("app-only /me: %v", err)
	}
}

func TestCallAPIExplainsRefusals(t *testing.T) {
	for _, tt := range []struct {
		scenario, callPath string
		status             int
		wantErr, wantWhat  string
	}{
		{"api-expects-uri", "", 401, "invalid_token", "The audience"},
		{"api-v1-only", "", 401, "invalid_token", "The issuer '(null)' is invalid"},
		{"cae-challenge", "", 401, "insufficient_claims", "continuous access evaluation"},
		{"", "/graph-me", 401, "", "Invalid audience"},
	} {
		t.Run(tt.scenario+tt.callPath, func(t *testing.T) {
			var scenarios []string
			if tt.scenario != "" {
				scenarios = []string{tt.scenario}
			}
			srv, d := testEmulator(t, emulator.Options{Scenarios: scenarios})
			url := d.APIURL
			if tt.callPath == "/graph-me" {
				url = d.GraphURL + "/me" // a token for the demo API sent to Graph
			}
			run := browserRun(t, srv, d, FlowAuthCode, webAPISettings(d, url))
			err := run.RunAll(context.Background())
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.Status != tt.status || apiErr.Challenge == nil || apiErr.Challenge.Error != tt.wantErr {
				t.Fatalf("err %v (%+v)", err, apiErr)
			}
			if !strings.Contains(apiErr.What+apiErr.Challenge.ErrorDescription, tt.wantWhat) || apiErr.Fix == "" {
				t.Errorf("what %q fix %q", apiErr.What, apiErr.Fix)
			}
			if run.Status(len(run.Legs())-1) != StatusFailed || run.State().API.Status != tt.status {
				t.Errorf("leg status %v, API %+v", run.Status(len(run.Legs())-1), run.State().API)
			}
		})
	}
}

// The claims-challenge round trip: 401 insufficient_claims, the token legs again with the claims, the API
// again, 200 — for CAE (a refresh would do) and for a revoked session (only a fresh sign-in does).
func TestClaimsChallengeRoundTrip(t *testing.T) {
	for _, scenario := range []string{"cae-challenge", "session-revoked"} {
		t.Run(scenario, func(t *testing.T) {
			srv, d := testEmulator(t, emulator.Options{Scenarios: []string{scenario}})
			run := browserRun(t, srv, d, FlowAuthCode, webAPISettings(d, d.APIURL))
			ctx := context.Background()
			err := run.RunAll(ctx)
			claims, ok := ClaimsChallenge(err)
			if !ok || !strings.Contains(claims, `"nbf":{"essential":true`) {
				t.Fatalf("no claims challenge in %v", err)
			}
			first, err := run.AnswerClaims(claims)
			if err != nil {
				t.Fatal(err)
			}
			legs := run.Legs()
			var names []string
			for _, l := range legs[first:] {
				names = append(names, l.Name)
			}
			if strings.Join(names, " ") != "authorize redeem call-api" || legs[len(legs)-1].Title != "Call the API again" {
				t.Fatalf("new legs %v", names)
			}
			if err := run.RunAll(ctx); err != nil {
				t.Fatalf("after answering the challenge: %v", err)
			}
			if !run.Done() || run.State().API.Status != 200 {
				t.Fatalf("API %+v", run.State().API)
			}
			req, _ := run.Prepare(first)
			if req.Get("claims") != claims {
				t.Errorf("the new sign-in does not carry the claims: %v", req.Params)
			}
			// Answering twice is refused input, not a panic.
			if _, err := run.AnswerClaims("not json"); err == nil {
				t.Error("a bad claims request was accepted")
			}
		})
	}
}

// The token endpoint's own claims challenge (MFA policy, interaction_required with claims) is answered the
// same way, without an API.
func TestInteractionRequiredClaimsAnswered(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{Scenarios: []string{"mfa-required"}})
	run := browserRun(t, srv, d, FlowAuthCode, webAPISettings(d, ""))
	err := run.RunAll(context.Background())
	claims, ok := ClaimsChallenge(err)
	if !ok {
		t.Fatalf("no claims in %v", err)
	}
	if _, err := run.AnswerClaims(claims); err != nil {
		t.Fatal(err)
	}
	if err := run.RunAll(context.Background()); err != nil || run.State().Tokens == nil {
		t.Fatalf("after the claims: %v", err)
	}
}

func TestParseChallenge(t *testing.T) {
	tests := []struct {
		header string
		want   Challenge
	}{
		{`Bearer`, Challenge{Scheme: "Bearer"}},
		{`Bearer error="invalid_token", error_description="The audience 'api://x' is invalid"`,
			Challenge{Scheme: "Bearer", Error: "invalid_token", ErrorDescription: "The audience 'api://x' is invalid"}},
		{`Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYzNTUyNzc5MCJ9fX0="`,
			Challenge{Scheme: "Bearer", AuthorizationURI: "https://login.microsoftonline.com/common/oauth2/authorize", ClientID: "00000003-0000-0000-c000-000000000000",
				Error: "insufficient_claims", Claims: `{"access_token":{"nbf":{"essential":true, "value":"1635527790"}}}`,
				ClaimsEncoded: "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYzNTUyNzc5MCJ9fX0="}},
		{`Bearer resource_metadata=https://api.example.com/.well-known/oauth-protected-resource, scope="Tasks.Read"`,
			Challenge{Scheme: "Bearer", ResourceMetadata: "https://api.example.com/.well-known/oauth-protected-resource", Scope: "Tasks.Read"}},
		{`Bearer error="invalid_token", error_description="unterminated`, Challenge{Scheme: "Bearer", Error: "invalid_token", ErrorDescription: "unterminated"}},
	}
	for _, tt := range tests {
		got, ok := ParseChallenge(tt.header)
		tt.want.Raw = tt.header
		if !ok || *got != tt.want {
			t.Errorf("ParseChallenge(%s)\n got %+v\nwant %+v", tt.header, got, tt.want)
		}
	}
	if _, ok := ParseChallenge("  "); ok {
		t.Error("an empty header parsed")
	}
}

func TestCallAPISettingsAreChecked(t *testing.T) {
	_, d := testEmulator(t, emulator.Options{})
	for _, tt := range []struct{ url, method, field string }{
		{"http://api.example.com/x", "", "call-api"},
		{"api/tasks", "", "call-api"},
		{"https://api.example.com/x", "FETCH", "call-api-method"},
	} {
		s := webAPISettings(d, tt.url)
		s.CallAPIMethod = tt.method
		var fe *FieldError
		if err := s.Validate(FlowAuthCode); !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("%s %s: %v", tt.url, tt.method, err)
		}
	}
}
