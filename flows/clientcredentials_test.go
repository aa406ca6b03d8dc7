package flows

import (
	"context"
	"errors"
	"testing"

	"github.com/aadx/aadx/emulator"
)

func TestClientCredentialsAgainstEmulator(t *testing.T) {
	srv, d := testEmulator(t, emulator.Options{})
	cert, err := ParseCertificate(d.Apps.Daemon.CertPEM, "")
	if err != nil {
		t.Fatalf("daemon certificate: %v", err)
	}
	tests := []struct {
		name     string
		edit     func(*Settings)
		wantErr  int // AADSTS code, 0 for success
		wantHTTP int
	}{
		{name: "secret", edit: func(s *Settings) { s.ClientSecret = d.Apps.Daemon.ClientSecret }},
		{name: "certificate PS256 x5t#S256", edit: func(s *Settings) { s.Certificate = cert }},
		{name: "certificate RS256 x5t", edit: func(s *Settings) { s.Certificate, s.AssertionAlg = cert, AssertionRS256 }},
		{name: "wrong secret", edit: func(s *Settings) { s.ClientSecret = "not-the-secret-value" }, wantErr: 7000215, wantHTTP: 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := demoSettings(d)
			s.ClientID, s.Scopes = d.Apps.Daemon.ClientID, []string{d.Apps.Daemon.Scope}
			tt.edit(&s)
			run, err := NewRun(FlowClientCredentials, s, Options{HTTPClient: srv.HTTPClient()})
			if err != nil {
				t.Fatal(err)
			}
			err = run.RunAll(context.Background())
			if tt.wantErr == 0 {
				if err != nil {
					t.Fatalf("RunAll: %v", err)
				}
				if tok := run.State().Tokens; tok == nil || tok.AccessToken == "" || tok.ExpiresIn <= 0 {
					t.Fatalf("tokens = %+v, want an access token with expires_in", tok)
				}
				return
			}
			var oe *OAuthError
			if !errors.As(err, &oe) || oe.AADSTS() != tt.wantErr || oe.Status != tt.wantHTTP {
				t.Fatalf("err = %v (%T), want AADSTS%d with HTTP %d", err, err, tt.wantErr, tt.wantHTTP)
			}
			if oe.TraceID == "" || oe.CorrelationID == "" {
				t.Errorf("trace/correlation IDs missing: %+v", oe)
			}
		})
	}
}
