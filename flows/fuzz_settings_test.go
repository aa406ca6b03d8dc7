package flows

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzSettingsValidate validates arbitrary settings for every flow: the answer is nil or a *FieldError whose
// message names a field and says how to fix it, in one line; a value marked secret never appears in it.
func FuzzSettingsValidate(f *testing.F) {
	const guid = "00000000-0000-0000-0000-000000000001"
	f.Add("", "https://login.microsoftonline.com", guid, guid, "https://graph.microsoft.com/.default", "http://localhost", "web", "query", "", "s3cret-value", int64(time.Second))
	f.Add("http://127.0.0.1:8080/issuer", "", "", "client", "openid profile", "msal://auth", "public", "form_post", "a.b.c", "", int64(0))
	f.Add("", "http://evil.example.com", "contoso.onmicrosoft.com", guid, "", "http://h/#frag", "spa", "fragment", "not jwt", "", int64(-1))
	f.Add("", "", "common", guid, "\"", "::", "mobile", "query", "", "tok en", int64(0))
	f.Fuzz(func(t *testing.T, issuer, authority, tenant, clientID, scopes, redirect, platform, mode, assertion, secret string, timeout int64) {
		s := Settings{Issuer: issuer, Authority: authority, Tenant: tenant, ClientID: clientID, Scopes: strings.Fields(scopes),
			RedirectURI: redirect, Platform: Platform(platform), ResponseMode: mode, Assertion: assertion,
			ClientSecret: secret, RefreshToken: secret, Timeout: time.Duration(timeout)}
		if strings.Contains(scopes, "\x00") { // an empty scope is reachable only this way
			s.Scopes = append(s.Scopes, "")
		}
		for _, id := range FlowIDs() {
			err := s.Validate(FlowID(id))
			if err == nil {
				continue
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("%s: Validate returned %T %v, want *FieldError", id, err, err)
			}
			msg := err.Error()
			if fe.Field == "" || !strings.HasPrefix(msg, fe.Field) || fe.Fix == "" {
				t.Fatalf("%s: %q does not start with its field or lacks a fix", id, msg)
			}
			if fe.secret && fe.Value != "" && strings.Contains(msg, fe.Value) {
				t.Fatalf("%s: a secret value leaks into %q", id, msg)
			}
			if len(secret) >= 6 && strings.Contains(msg, secret) && !strings.Contains(issuer+authority+tenant+clientID+scopes+redirect+platform+mode+assertion, secret) {
				t.Fatalf("%s: the client secret leaks into %q", id, msg)
			}
		}
	})
}
