package profiles

import (
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/aadx/aadx/flows"
)

const (
	testSecret       = "Xyz8Q~KpzrR4w2YHBpUNa_hGSFj5rcQ6f~p1kcbZ"
	testRefreshToken = "0.AXYAI_Ou-jQroU2bqovIydakkInJ0f-a0tsbb-1aKO1xSmVxAAA.AgABAwEAAADW6jl31mB3T7ugrWTT8pFeAwDs_wUA9P-1"
	// An unsigned-looking but well-formed JWT (header {"alg":"RS256","typ":"JWT"}).
	testAssertion = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJhcGk6Ly9hYWR4Iiwic3ViIjoidXNlciJ9.c2lnbmF0dXJl"
)

// TestSavedSettingsNeverContainASecret saves settings that carry a client secret, a certificate with its private
// key, an OBO assertion and a refresh token, and reads the file as bytes: none of them may be there.
func TestSavedSettingsNeverContainASecret(t *testing.T) {
	certPath, certPEM := writeTestCert(t)
	cert, err := flows.LoadCertificate(certPath, "")
	if err != nil {
		t.Fatal(err)
	}
	s := flows.Settings{
		Tenant: testTenant, ClientID: testClient, ClientSecret: testSecret, Certificate: cert,
		RedirectURI: "http://localhost/cb", Platform: flows.PlatformWeb, Scopes: []string{"api://aadx/.default"},
		Assertion: testAssertion, RefreshToken: testRefreshToken, LoginHint: "adele@contoso.example",
	}
	store := NewStore(t.TempDir())
	p := FromSettings("contoso", s)
	p.Secret = SecretSource{Kind: SecretEnv}
	if err := store.Save(p, KnownSecrets(s)...); err != nil {
		t.Fatal(err)
	}
	onDisk := readFile(t, store.Path())

	keyDER := cert.Key.D.Bytes()
	forbidden := map[string]string{
		"client secret":             testSecret,
		"refresh token":             testRefreshToken,
		"assertion":                 testAssertion,
		"assertion signature":       "c2lnbmF0dXJl",
		"PEM private key block":     "PRIVATE KEY",
		"PEM body":                  strings.Split(certPEM, "\n")[1],
		"private exponent (b64)":    base64.StdEncoding.EncodeToString(keyDER)[:24],
		"private exponent (b64url)": base64.RawURLEncoding.EncodeToString(keyDER)[:24],
		"login hint":                "adele@contoso.example",
	}
	for what, value := range forbidden {
		if strings.Contains(onDisk, value) {
			t.Errorf("profiles file contains the %s", what)
		}
	}
	// What is not secret survives.
	for _, want := range []string{testTenant, testClient, certPath, "api://aadx/.default", `"kind": "env"`, "AZURE_CLIENT_SECRET"} {
		if !strings.Contains(onDisk, want) {
			t.Errorf("profiles file lacks %q:\n%s", want, onDisk)
		}
	}
}

func TestToSettingsRoundTrip(t *testing.T) {
	p := contoso()
	s := p.ToSettings()
	if s.ClientSecret != "" || s.Certificate != nil || s.Assertion != "" || s.RefreshToken != "" {
		t.Errorf("ToSettings carries a credential: %+v", s)
	}
	back := FromSettings(p.Name, s)
	back.Secret, back.Note = p.Secret, p.Note
	if !reflect.DeepEqual(back, p) {
		t.Errorf("FromSettings(ToSettings(p)) =\n%+v\nwant\n%+v", back, p)
	}
	s.Scopes[0] = "changed"
	if p.Scopes[0] == "changed" {
		t.Error("ToSettings shares the scopes slice with the profile")
	}
}

// TestApplyPrecedence: flags and environment (already in the settings) win over the profile, field by field,
// and the provider fields that interact are taken as a whole.
func TestApplyPrecedence(t *testing.T) {
	prof := contoso()
	prof.Cloud = flows.CloudPublic
	issuerProfile := Profile{Name: "kc", Issuer: "https://kc.example/realms/x", ClientID: "kc-cli"}
	tests := []struct {
		name    string
		profile Profile
		given   flows.Settings
		want    flows.Settings
	}{
		{
			name: "empty settings take the whole profile", profile: prof,
			want: flows.Settings{Authority: prof.Authority, Cloud: flows.CloudPublic, Tenant: testTenant, ClientID: testClient,
				RedirectURI: prof.RedirectURI, Platform: "web", Scopes: prof.Scopes, AssertionAlg: "PS256"},
		},
		{
			name: "flags win field by field", profile: prof,
			given: flows.Settings{Tenant: "fabrikam.onmicrosoft.com", Scopes: []string{"Mail.Read"}, Platform: "spa"},
			want: flows.Settings{Authority: prof.Authority, Cloud: flows.CloudPublic, Tenant: "fabrikam.onmicrosoft.com", ClientID: testClient,
				RedirectURI: prof.RedirectURI, Platform: "spa", Scopes: []string{"Mail.Read"}, AssertionAlg: "PS256"},
		},
		{
			name: "a cloud flag keeps the profile's authority out", profile: prof,
			given: flows.Settings{Cloud: flows.CloudChina},
			want: flows.Settings{Cloud: flows.CloudChina, Tenant: testTenant, ClientID: testClient,
				RedirectURI: prof.RedirectURI, Platform: "web", Scopes: prof.Scopes, AssertionAlg: "PS256"},
		},
		{
			name: "an issuer flag keeps the profile's tenant and authority out", profile: prof,
			given: flows.Settings{Issuer: "https://idp.example"},
			want: flows.Settings{Issuer: "https://idp.example", ClientID: testClient,
				RedirectURI: prof.RedirectURI, Platform: "web", Scopes: prof.Scopes, AssertionAlg: "PS256"},
		},
		{
			name: "a tenant from the environment keeps the profile's issuer out", profile: issuerProfile,
			given: flows.Settings{Tenant: testTenant},
			want:  flows.Settings{Tenant: testTenant, ClientID: "kc-cli"},
		},
		{
			name: "an issuer profile applies to empty settings", profile: issuerProfile,
			want: flows.Settings{Issuer: issuerProfile.Issuer, ClientID: "kc-cli"},
		},
		{
			name: "credentials are never touched", profile: prof,
			given: flows.Settings{ClientSecret: "from-env", Assertion: "a", RefreshToken: "r"},
			want: flows.Settings{Authority: prof.Authority, Cloud: flows.CloudPublic, Tenant: testTenant, ClientID: testClient, ClientSecret: "from-env",
				RedirectURI: prof.RedirectURI, Platform: "web", Scopes: prof.Scopes, AssertionAlg: "PS256", Assertion: "a", RefreshToken: "r"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.given
			Apply(tt.profile, &got)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Apply =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestSaveRefusesSecrets(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Profile)
		known []string
		field string
		value string
	}{
		{"JWT in the note", func(p *Profile) { p.Note = "user sent " + testAssertion }, nil, "note", testAssertion},
		{"Entra secret in the note", func(p *Profile) { p.Note = "secret is " + testSecret }, nil, "note", testSecret},
		{"PEM key in the note", func(p *Profile) { p.Note = "-----BEGIN PRIVATE KEY-----" }, nil, "note", "BEGIN"},
		{"refresh token in the note", func(p *Profile) { p.Note = strings.Repeat("AQAB", 60) }, nil, "note", "AQABAQAB"},
		{"known secret as the note", func(p *Profile) { p.Note = "hunter2-but-long" }, []string{"hunter2-but-long"}, "note", "hunter2"},
		{"short known secret equal to the note", func(p *Profile) { p.Note = "x" }, []string{"x"}, "note", ""},
		{"code in the redirect URI", func(p *Profile) { p.RedirectURI = "http://localhost/cb?code=0.AXYA" }, nil, "redirect-uri", "0.AXYA"},
		{"secret in the authority", func(p *Profile) { p.Authority = "https://login.example.com/?client_secret=abc" }, nil, "authority", "abc"},
		{"JWT as a scope", func(p *Profile) { p.Scopes = []string{testAssertion} }, nil, "scope", testAssertion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := NewStore(t.TempDir())
			p := contoso()
			tt.edit(&p)
			err := store.Save(p, tt.known...)
			var se *SecretError
			if !errors.As(err, &se) || se.Field != tt.field {
				t.Fatalf("Save = %v, want a SecretError naming %s", err, tt.field)
			}
			if tt.value != "" && strings.Contains(err.Error(), tt.value) {
				t.Errorf("the refusal repeats the secret: %v", err)
			}
			if _, statErr := readFileErr(store.Path()); statErr == nil {
				t.Error("the profile was written despite the refusal")
			}
		})
	}
}
