package flows

import (
	"errors"
	"strings"
	"testing"
)

const (
	testTenant = "8eaef023-2b34-4da1-9baa-8bc8c9d6a490"
	testClient = "535fb089-9ff3-47b6-9bfb-4f1264799865"
)

func TestValidateNamesTheField(t *testing.T) {
	base := Settings{Tenant: testTenant, ClientID: testClient, ClientSecret: "x", RedirectURI: "http://localhost/cb"}
	tests := []struct {
		name  string
		flow  FlowID
		edit  func(*Settings)
		field string // "" means valid
	}{
		{name: "valid web app", flow: FlowAuthCode},
		{name: "domain tenant", flow: FlowClientCredentials, edit: func(s *Settings) { s.Tenant = "contoso.onmicrosoft.com" }},
		{name: "missing tenant", flow: FlowAuthCode, edit: func(s *Settings) { s.Tenant = "" }, field: "tenant"},
		{name: "malformed tenant", flow: FlowAuthCode, edit: func(s *Settings) { s.Tenant = "not a tenant" }, field: "tenant"},
		{name: "common for client credentials", flow: FlowClientCredentials, edit: func(s *Settings) { s.Tenant = "common" }, field: "tenant"},
		{name: "client id not a GUID", flow: FlowAuthCode, edit: func(s *Settings) { s.ClientID = "my-app" }, field: "client-id"},
		{name: "scope with a space", flow: FlowAuthCode, edit: func(s *Settings) { s.Scopes = []string{"openid profile"} }, field: "scope"},
		{name: "client credentials without .default", flow: FlowClientCredentials, edit: func(s *Settings) { s.Scopes = []string{"User.Read"} }, field: "scope"},
		{name: "redirect over http to a remote host", flow: FlowAuthCode, edit: func(s *Settings) { s.RedirectURI = "http://example.com/cb" }, field: "redirect-uri"},
		{name: "redirect not absolute", flow: FlowPKCE, edit: func(s *Settings) { s.RedirectURI = "/callback" }, field: "redirect-uri"},
		{name: "redirect with fragment", flow: FlowPKCE, edit: func(s *Settings) { s.RedirectURI = "https://app.example/cb#x" }, field: "redirect-uri"},
		{name: "web app without credential", flow: FlowAuthCode, edit: func(s *Settings) { s.ClientSecret = "" }, field: "credential"},
		{name: "pkce needs no credential", flow: FlowPKCE, edit: func(s *Settings) { s.ClientSecret = "" }},
		{name: "obo without assertion", flow: FlowOBO, field: "assertion"},
		{name: "obo with a non-JWT assertion", flow: FlowOBO, edit: func(s *Settings) { s.Assertion = "Bearer abc" }, field: "assertion"},
		{name: "refresh without token", flow: FlowRefresh, field: "refresh-token"},
		{name: "authority over plain http", flow: FlowAuthCode, edit: func(s *Settings) { s.Authority = "http://login.example.com" }, field: "authority"},
		{name: "authority on loopback http", flow: FlowAuthCode, edit: func(s *Settings) { s.Authority = "http://127.0.0.1:8080" }},
		{name: "issuer with query", flow: FlowClientCredentials, edit: func(s *Settings) { s.Issuer = "https://idp.example/?x=1" }, field: "issuer"},
		{name: "unknown platform", flow: FlowPKCE, edit: func(s *Settings) { s.Platform = "desktop" }, field: "platform"},
		{name: "fragment response mode", flow: FlowAuthCode, edit: func(s *Settings) { s.ResponseMode = "fragment" }, field: "response-mode"},
		{name: "bad assertion alg", flow: FlowClientCredentials, edit: func(s *Settings) { s.AssertionAlg = "HS256" }, field: "assertion-alg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base
			if tt.edit != nil {
				tt.edit(&s)
			}
			err := s.Validate(tt.flow)
			var fe *FieldError
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.field != "" && !errors.As(err, &fe):
				t.Fatalf("err = %v, want a FieldError for %s", err, tt.field)
			case tt.field != "" && fe.Field != tt.field:
				t.Fatalf("field = %q, want %q (%v)", fe.Field, tt.field, err)
			case tt.field != "" && (!strings.HasPrefix(err.Error(), tt.field) || fe.Fix == "" || strings.Contains(err.Error(), "\n")):
				t.Fatalf("message %q must be one line starting with the field and carry a fix", err)
			}
		})
	}
}

func TestSecretValuesStayOutOfFieldErrors(t *testing.T) {
	s := Settings{Tenant: testTenant, ClientID: testClient, ClientSecret: "x", Assertion: "Bearer super-secret-token"}
	err := s.Validate(FlowOBO)
	if err == nil || strings.Contains(err.Error(), "super-secret-token") {
		t.Fatalf("err = %v: the assertion value must not be echoed", err)
	}
}

func TestNewRunRejectsUnknownFlow(t *testing.T) {
	_, err := NewRun("implicit", Settings{}, Options{})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "flow" {
		t.Fatalf("err = %v", err)
	}
}

func TestPKCEChallengeRFC7636AppendixB(t *testing.T) {
	if got := S256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); got != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Fatalf("challenge = %s", got)
	}
	p, err := newPKCE(strings.NewReader(strings.Repeat("k", 32)))
	if err != nil || len(p.Verifier) != 43 || p.Method != "S256" || p.Challenge != S256Challenge(p.Verifier) {
		t.Fatalf("pkce = %+v, %v", p, err)
	}
}

func TestCatalogShape(t *testing.T) {
	ids := FlowIDs()
	want := []string{"auth-code", "pkce", "client-credentials", "device-code", "obo", "refresh", "managed-identity", "workload-identity"}
	if strings.Join(ids, ",") != strings.Join(want, ",") {
		t.Fatalf("flow IDs = %v, want %v", ids, want)
	}
	for _, f := range Catalog() {
		if f.Title == "" || f.Scenario == "" || f.Purpose == "" || len(f.Legs) == 0 || len(f.Fields) == 0 {
			t.Errorf("%s: incomplete card %+v", f.ID, f)
		}
		for _, l := range f.Legs {
			if _, ok := legImpls()[l.Name]; !ok {
				t.Errorf("%s: leg %s has no implementation", f.ID, l.Name)
			}
			if l.From == l.To || l.Explanation == "" {
				t.Errorf("%s: leg %s has no arrow or explanation", f.ID, l.Name)
			}
		}
	}
}

func TestCloudsAndEndpoints(t *testing.T) {
	tests := []struct {
		in, authority string
	}{
		{"", "https://login.microsoftonline.com"},
		{"public", "https://login.microsoftonline.com"},
		{"USGov", "https://login.microsoftonline.us"},
		{"china", "https://login.partner.microsoftonline.cn"},
	}
	for _, tt := range tests {
		c, err := ParseCloud(tt.in)
		if err != nil || c.Authority() != tt.authority {
			t.Errorf("ParseCloud(%q) = %v (%s), %v", tt.in, c, c.Authority(), err)
		}
	}
	if _, err := ParseCloud("germany"); err == nil {
		t.Error("an unknown cloud was accepted")
	}
	run, err := NewRun(FlowDeviceCode, Settings{Cloud: CloudUSGov, Tenant: "contoso.onmicrosoft.us", ClientID: testClient}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := run.State().Endpoints
	if e.DeviceCode != "https://login.microsoftonline.us/contoso.onmicrosoft.us/oauth2/v2.0/devicecode" ||
		e.Token != "https://login.microsoftonline.us/contoso.onmicrosoft.us/oauth2/v2.0/token" {
		t.Fatalf("endpoints = %+v", e)
	}
}
