package flows

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aadx/aadx/emulator"
)

func miSettings(d emulator.Description, edit func(*ManagedIdentitySettings)) Settings {
	m := ManagedIdentitySettings{Source: MISourceIMDS, Endpoint: d.ManagedIdentity.IMDSEndpoint}
	edit(&m)
	return Settings{ManagedIdentity: m}
}

func TestManagedIdentityAgainstEmulator(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	mi := d.ManagedIdentity
	appSvc := func(m *ManagedIdentitySettings) {
		m.Source, m.Endpoint, m.IdentityHeader = MISourceAppService, mi.IdentityEndpoint, mi.IdentityHeader
	}
	cases := []struct {
		name     string
		edit     func(*ManagedIdentitySettings)
		wantApp  string
		wantForm string
	}{
		{"IMDS system-assigned", func(*ManagedIdentitySettings) {}, mi.VM.ClientID, "epoch seconds (a string)"},
		{"IMDS client id", func(m *ManagedIdentitySettings) { m.ClientID = mi.UserAssigned.ClientID }, mi.UserAssigned.ClientID, "epoch seconds (a string)"},
		{"IMDS object id", func(m *ManagedIdentitySettings) { m.ObjectID = mi.UserAssigned.ObjectID }, mi.UserAssigned.ClientID, "epoch seconds (a string)"},
		{"IMDS resource id", func(m *ManagedIdentitySettings) { m.ResourceID = mi.UserAssigned.ResourceID }, mi.UserAssigned.ClientID, "epoch seconds (a string)"},
		{"App Service system-assigned", appSvc, mi.WebApp.ClientID, "epoch seconds (a string)"},
		{"App Service object id", func(m *ManagedIdentitySettings) { appSvc(m); m.ObjectID = mi.UserAssigned.ObjectID }, mi.UserAssigned.ClientID, "epoch seconds (a string)"},
		{"App Service 2017-09-01", func(m *ManagedIdentitySettings) { appSvc(m); m.APIVersion = "2017-09-01" }, mi.WebApp.ClientID, "date string (MM/dd/yyyy hh:mm:ss tt zzz, App Service 2017-09-01)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			run, err := NewRun(FlowManagedIdentity, miSettings(d, tc.edit), Options{HTTPClient: srv.HTTPClient()})
			if err != nil {
				t.Fatal(err)
			}
			for attempt := range 2 { // sending the leg again gets a token again
				req, err := run.Prepare(0)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := run.Send(context.Background(), req); err != nil {
					t.Fatalf("attempt %d: %v", attempt, err)
				}
			}
			st := run.State()
			if st.Tokens == nil || unverifiedClaim(st.Tokens.AccessToken, "appid") != tc.wantApp {
				t.Fatalf("tokens = %+v", st.Tokens)
			}
			m := st.ManagedIdentity
			if m == nil || m.ExpiresOnForm != tc.wantForm || time.Until(m.ExpiresOn) < 23*time.Hour || st.Tokens.ExpiresIn < 23*3600 {
				t.Errorf("managed identity = %+v, expires_in %d", m, st.Tokens.ExpiresIn)
			}
			// The identity header never leaves the engine unmasked.
			for _, ex := range run.Exchanges() {
				if shown := run.Redactor().Exchange(ex); strings.Contains(shown.URL+headerText(shown.RequestHeaders), mi.IdentityHeader) {
					t.Errorf("identity header shown: %+v", shown.RequestHeaders)
				}
			}
		})
	}
}

func headerText(hs []Header) string {
	var b strings.Builder
	for _, h := range hs {
		b.WriteString(h.Name + ": " + h.Value + "\n")
	}
	return b.String()
}

func TestManagedIdentityErrorsExplained(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	mi := d.ManagedIdentity
	cases := []struct {
		name      string
		edit      func(*ManagedIdentitySettings)
		scenario  string
		wantCause string
		wantFix   string
	}{
		{"unknown user-assigned", func(m *ManagedIdentitySettings) { m.ClientID = "11111111-2222-3333-4444-555555555555" }, "",
			"has no user-assigned identity with client ID 11111111-2222-3333-4444-555555555555", "assign the user-assigned identity"},
		{"no identity on the VM", func(*ManagedIdentitySettings) {}, "mi-not-assigned", "has no host's system-assigned identity", "Turn on the system-assigned identity"},
		{"App Service, no identity", func(m *ManagedIdentitySettings) {
			m.Source, m.Endpoint, m.IdentityHeader = MISourceAppService, mi.IdentityEndpoint, mi.IdentityHeader
		}, "mi-not-assigned", "App Service or Function app", "Turn on the system-assigned identity"},
		{"App Service, stale header", func(m *ManagedIdentitySettings) {
			m.Source, m.Endpoint, m.IdentityHeader = MISourceAppService, mi.IdentityEndpoint, "rotated-away"
		}, "", "X-IDENTITY-HEADER was missing or is not this site's IDENTITY_HEADER", "Read IDENTITY_HEADER"},
		{"unknown resource", func(m *ManagedIdentitySettings) { m.Resource = "https://nothing.example" }, "",
			`The resource "https://nothing.example" is not an API`, "App ID URI"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var names []string
			if tc.scenario != "" {
				names = []string{tc.scenario}
			}
			if err := srv.SetScenarios(names); err != nil {
				t.Fatal(err)
			}
			run, err := NewRun(FlowManagedIdentity, miSettings(d, tc.edit), Options{HTTPClient: srv.HTTPClient()})
			if err != nil {
				t.Fatal(err)
			}
			err = run.RunAll(context.Background())
			var oe *OAuthError
			if !errors.As(err, &oe) {
				t.Fatalf("err = %v (%T), want an OAuthError", err, err)
			}
			e, ok := oe.Help()
			if !ok || !strings.Contains(e.Cause, tc.wantCause) || !strings.Contains(e.Fix, tc.wantFix) {
				t.Errorf("explanation = %+v\nerror %v", e, err)
			}
		})
	}
}

func TestManagedIdentityNotOnAzure(t *testing.T) {
	// A listener that accepts and never answers stands in for an unroutable 169.254.169.254.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	imds := "http://" + ln.Addr().String() + "/metadata/identity/oauth2/token"
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, ln.Addr().String())
	}}}
	s := Settings{ManagedIdentity: ManagedIdentitySettings{}} // the default: the real IMDS address
	if got := s.withDefaults(FlowManagedIdentity); got.Timeout != imdsTimeout || got.ManagedIdentity.Endpoint != IMDSEndpoint {
		t.Fatalf("defaults = timeout %v endpoint %q", got.Timeout, got.ManagedIdentity.Endpoint)
	}
	s.Timeout = 50 * time.Millisecond // the default's 3 s, shortened for the test
	run, err := NewRun(FlowManagedIdentity, s, Options{HTTPClient: client})
	if err != nil {
		t.Fatal(err)
	}
	err = run.RunAll(context.Background())
	var ne *NetworkError
	if !errors.As(err, &ne) || !strings.Contains(err.Error(), "you are not on an Azure host") {
		t.Fatalf("err = %v", err)
	}
	_ = imds
}

func TestManagedIdentityAnsweredByAProxy(t *testing.T) {
	// What a sandbox or Docker Desktop puts at 169.254.169.254: a plain-text refusal, not IMDS.
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 403, Status: "403 Forbidden", Header: http.Header{"Content-Type": {"text/plain"}},
			Body: io.NopCloser(strings.NewReader("resolve_deny: denied destination")), Request: r}, nil
	})}
	run, err := NewRun(FlowManagedIdentity, Settings{}, Options{HTTPClient: client})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		err = run.RunAll(context.Background())
		var pe *ProtocolError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), "which is not IMDS") || !strings.Contains(err.Error(), "NO_PROXY=169.254.169.254") {
			t.Fatalf("err = %v", err)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestManagedIdentitySettingsRejected(t *testing.T) {
	cases := []struct {
		m     ManagedIdentitySettings
		field string
	}{
		{ManagedIdentitySettings{Source: "arc"}, "mi-source"},
		{ManagedIdentitySettings{Source: MISourceAppService, IdentityHeader: "h"}, "mi-endpoint"},
		{ManagedIdentitySettings{Source: MISourceAppService, Endpoint: "http://127.0.0.1:1/MSI/token/"}, "identity-header"},
		{ManagedIdentitySettings{ClientID: "a4d9e1f6-2c7b-4e83-9f50-6b1c8d3e7a29", ObjectID: "c6f2b8d4-9e1a-4c75-b3d0-8a4e7f2c1b96"}, "mi-client-id"},
		{ManagedIdentitySettings{ClientID: "not-a-guid"}, "mi-client-id"},
		{ManagedIdentitySettings{ResourceID: "aadx-demo-uami"}, "mi-resource-id"},
		{ManagedIdentitySettings{Resource: "https://management.azure.com/.default"}, "resource"},
		{ManagedIdentitySettings{Endpoint: "169.254.169.254"}, "mi-endpoint"},
	}
	for _, tc := range cases {
		_, err := NewRun(FlowManagedIdentity, Settings{ManagedIdentity: tc.m}, Options{})
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%+v: err = %v, want field %s", tc.m, err, tc.field)
		}
	}
}

func TestParseExpiresOn(t *testing.T) {
	want := time.Date(2026, 11, 29, 13, 4, 5, 0, time.UTC)
	for raw, form := range map[string]string{
		`"1795957445"`:                    "epoch seconds (a string)",
		`1795957445`:                      "epoch seconds (a JSON number)",
		`"11/29/2026 01:04:05 PM +00:00"`: "date string (MM/dd/yyyy hh:mm:ss tt zzz, App Service 2017-09-01)",
		`"11/29/2026 13:04:05"`:           "date string (MM/dd/yyyy HH:mm:ss)",
		`"2026-11-29 13:04:05"`:           "date string (yyyy-MM-dd HH:mm:ss)",
		`"2026-11-29T13:04:05Z"`:          "date string (RFC 3339)",
	} {
		_, at, got := ParseExpiresOn(json.RawMessage(raw))
		if got != form || !at.Equal(want) {
			t.Errorf("%s: %v %q, want %v %q", raw, at, got, want, form)
		}
	}
	// App Service's 2017-09-01 documentation sample: "00 … PM" is noon.
	if _, at, _ := ParseExpiresOn(json.RawMessage(`"09/14/2017 00:00:00 PM +00:00"`)); !at.Equal(time.Date(2017, 9, 14, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("the documented sample reads as %v", at)
	}
	if _, at, form := ParseExpiresOn(json.RawMessage(`"soon"`)); !at.IsZero() || !strings.HasPrefix(form, "unreadable") {
		t.Errorf("soon: %v %q", at, form)
	}
}

// wifSettings are the demo workload app's, with the emulator's credentials as the expected ones.
func wifSettings(d emulator.Description, tokenURL string) Settings {
	s := demoSettings(d)
	s.ClientID, s.Scopes = d.WorkloadIdentity.ClientID, []string{d.WorkloadIdentity.Scope}
	s.Workload.TokenURL = tokenURL
	for _, f := range d.WorkloadIdentity.FederatedCredentials {
		s.Workload.Credentials = append(s.Workload.Credentials, FederatedCredential{Name: f.Name, Issuer: f.Issuer, Subject: f.Subject, Audience: f.Audiences[0]})
	}
	return s
}

func TestWorkloadIdentityAgainstEmulator(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	for name, iss := range map[string]emulator.ExternalIssuer{"github": d.WorkloadIdentity.Issuers.GitHub, "kubernetes": d.WorkloadIdentity.Issuers.Kubernetes} {
		t.Run(name, func(t *testing.T) {
			run, err := NewRun(FlowWorkloadIdentity, wifSettings(d, iss.TokenURL), Options{HTTPClient: srv.HTTPClient()})
			if err != nil {
				t.Fatal(err)
			}
			if legs := run.Legs(); len(legs) != 2 || legs[0].Name != LegExternalToken || legs[1].Name != LegFederatedToken {
				t.Fatalf("legs = %+v", legs)
			}
			if err := run.RunAll(context.Background()); err != nil {
				t.Fatalf("RunAll: %v", err)
			}
			st := run.State()
			if st.Federation == nil || !st.Federation.OK() || len(st.Federation.Fields) != 4 {
				t.Fatalf("federation = %+v", st.Federation)
			}
			if unverifiedClaim(st.Tokens.AccessToken, "azp") != d.WorkloadIdentity.ClientID {
				t.Errorf("token azp = %q", unverifiedClaim(st.Tokens.AccessToken, "azp"))
			}
			// The token given directly (as from AZURE_FEDERATED_TOKEN_FILE): one leg, the same answer, twice.
			s := wifSettings(d, "")
			s.Workload.Token = st.ExternalToken + "\n" // files end in a newline
			run2, err := NewRun(FlowWorkloadIdentity, s, Options{HTTPClient: srv.HTTPClient()})
			if err != nil {
				t.Fatal(err)
			}
			if legs := run2.Legs(); len(legs) != 1 {
				t.Fatalf("legs with a token = %+v", legs)
			}
			for range 2 {
				req, _ := run2.Prepare(0)
				if req.Get("client_assertion") != st.ExternalToken || req.Get("client_assertion_type") != ClientAssertionType || req.Get("client_secret") != "" {
					t.Fatalf("request = %+v", req.Params)
				}
				if _, err := run2.Send(context.Background(), req); err != nil {
					t.Fatal(err)
				}
			}
			// The external token is masked in everything shown.
			for _, ex := range run2.Exchanges() {
				if strings.Contains(run2.Redactor().Exchange(ex).RequestBody, st.ExternalToken) {
					t.Error("external token shown unmasked")
				}
			}
		})
	}
}

func TestWorkloadIdentityMismatchesExplained(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	gh, k8s := d.WorkloadIdentity.Issuers.GitHub, d.WorkloadIdentity.Issuers.Kubernetes
	cases := []struct {
		scenario string
		issuer   emulator.ExternalIssuer
		code     int
		field    string
		problem  string
		fix      string
	}{
		{"fic-issuer-slash", k8s, 700211, "issuer", "differs only by a trailing slash", "Write the credential's issuer exactly as the token's iss"},
		{"fic-audience", gh, 700212, "audience", "does not include api://AzureADTokenExchange", "Mint the token for api://AzureADTokenExchange"},
		{"fic-subject-branch", gh, 700213, "subject", `on branch "main" with no environment, the credential expects a job of octo-org/octo-repo in environment "production"`, "Give the job the environment the credential names (environment: production"},
		{"fic-subject-case", gh, 7002138, "subject", "differs only in letter case", "Write the credential's subject exactly"},
		{"fic-subject-case", k8s, 7002138, "subject", "differs only in letter case", "Write the credential's subject exactly"},
		{"fic-expired", gh, 700024, "lifetime", "expired", "Fetch a fresh token"},
	}
	for _, tc := range cases {
		t.Run(tc.scenario+"/"+tc.field, func(t *testing.T) {
			if err := srv.SetScenarios([]string{tc.scenario}); err != nil {
				t.Fatal(err)
			}
			run, err := NewRun(FlowWorkloadIdentity, wifSettings(d, tc.issuer.TokenURL), Options{HTTPClient: srv.HTTPClient()})
			if err != nil {
				t.Fatal(err)
			}
			if err := run.RunAll(context.Background()); err == nil {
				t.Fatal("RunAll succeeded")
			}
			// Before sending, the comparison already named the field.
			f, ok := run.State().Federation.Mismatch(tc.field)
			if !ok || !strings.Contains(f.Problem, tc.problem) {
				t.Fatalf("comparison = %+v", run.State().Federation)
			}
			req, _ := run.Prepare(1)
			if expl := req.Params[len(req.Params)-1].Explanation; !strings.Contains(expl, "✗ "+tc.field) {
				t.Errorf("client_assertion explanation = %q", expl)
			}
			// Entra's answer, explained in terms of that field; re-sending gives the same.
			for range 2 {
				_, err := run.Send(context.Background(), req)
				var oe *OAuthError
				if !errors.As(err, &oe) || oe.AADSTS() != tc.code {
					t.Fatalf("err = %v", err)
				}
				e, _ := oe.Help()
				if !strings.Contains(e.Cause, tc.field) || !strings.Contains(e.Cause, tc.problem) || !strings.HasPrefix(e.Fix, tc.fix) {
					t.Errorf("explanation = %+v", e)
				}
			}
		})
	}
	_ = srv.SetScenarios(nil)
}

func TestWorkloadIdentityWithoutExpectedCredential(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{Scenarios: []string{"fic-subject-branch"}})
	s := wifSettings(d, d.WorkloadIdentity.Issuers.GitHub.TokenURL)
	s.Workload.Credentials = nil // the user does not know what the credential says
	run, err := NewRun(FlowWorkloadIdentity, s, Options{HTTPClient: srv.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	err = run.RunAll(context.Background())
	var oe *OAuthError
	if !errors.As(err, &oe) || oe.AADSTS() != 700213 {
		t.Fatalf("err = %v", err)
	}
	e, _ := oe.Help()
	if !strings.Contains(e.Fix, `exactly "repo:octo-org/octo-repo:ref:refs/heads/main"`) {
		t.Errorf("explanation = %+v", e)
	}
}

func TestWorkloadIdentitySettingsRejected(t *testing.T) {
	_, d := testEmulator(t, emulator.Options{})
	cases := []struct {
		edit  func(*Settings)
		field string
	}{
		{func(s *Settings) { s.Workload.TokenURL = "" }, "federated-token"},
		{func(s *Settings) { s.Workload.TokenURL, s.Workload.Token = "", "not a jwt" }, "federated-token"},
		{func(s *Settings) { s.Scopes = []string{"User.Read"} }, "scope"},
		{func(s *Settings) { s.Tenant = "common" }, "tenant"},
		{func(s *Settings) { s.ClientID = "" }, "client-id"},
		{func(s *Settings) { s.Workload.Credentials[0].Subject += " " }, "fic-issuer"},
	}
	for i, tc := range cases {
		s := wifSettings(d, d.WorkloadIdentity.Issuers.GitHub.TokenURL)
		tc.edit(&s)
		_, err := NewRun(FlowWorkloadIdentity, s, Options{})
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("case %d: err = %v, want field %s", i, err, tc.field)
		}
	}
}
