package profiles

import (
	"fmt"
	"strings"
)

// SecretError is returned when a profile field looks like a secret; profiles hold no secrets (DESIGN.md §6).
// It never carries the value.
type SecretError struct {
	Field  string // the field as on the command line, e.g. "note"
	Reason string // what it looks like, e.g. "a JWT"
}

func (e *SecretError) Error() string {
	return fmt.Sprintf("%s looks like %s; profiles hold no secrets: keep secrets in an environment variable, a prompt or the OS keyring", e.Field, e.Reason)
}

var (
	// A JWS or JWE: its header is base64url JSON, which always starts "eyJ" ('{"'), followed by dot-separated parts.
	jwtLike = lazyRegexp(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.`)
	// An Entra client secret value: three characters, a digit, "Q~", then about 34 more.
	entraSecretLike = lazyRegexp(`[A-Za-z0-9_.~-]{3}[0-9]Q~[A-Za-z0-9_.~-]{30,}`)
	// A long unbroken run of token characters: an opaque refresh token or a key blob.
	opaqueTokenLike = lazyRegexp(`[A-Za-z0-9_.~+/=-]{200,}`)
	// Query parameters that carry credentials or codes (RFC 6749 §4.1.2, §5.1).
	secretParams = []string{"client_secret=", "code=", "access_token=", "id_token=", "refresh_token=", "client_assertion=", "password=", "code_verifier="}
)

// checkNoSecrets returns a *SecretError for the first field that looks like a secret or contains one of the
// known secret values.
func (p Profile) checkNoSecrets(known []string) error {
	for _, f := range p.fields() {
		if reason := secretReason(f.value, known); reason != "" {
			return &SecretError{Field: f.name, Reason: reason}
		}
	}
	return nil
}

type namedValue struct{ name, value string }

// fields lists every string a profile writes to disk, named as on the command line.
func (p Profile) fields() []namedValue {
	fs := []namedValue{
		{"name", p.Name}, {"authority", p.Authority}, {"cloud", string(p.Cloud)}, {"issuer", p.Issuer},
		{"tenant", p.Tenant}, {"client-id", p.ClientID}, {"redirect-uri", p.RedirectURI},
		{"platform", string(p.Platform)}, {"cert", p.CertFile}, {"assertion-alg", string(p.AssertionAlg)},
		{"secret-env", p.Secret.Env}, {"note", p.Note},
	}
	for _, s := range p.Scopes {
		fs = append(fs, namedValue{"scope", s})
	}
	return fs
}

func secretReason(v string, known []string) string {
	if v == "" {
		return ""
	}
	for _, k := range known {
		// Short values (a test's "x") are compared whole, longer ones also found inside text.
		if k != "" && (v == k || len(k) >= 8 && strings.Contains(v, k)) {
			return "the client secret, assertion or refresh token in use"
		}
	}
	lower := strings.ToLower(v)
	switch {
	case jwtLike().MatchString(v):
		return "a JWT (a token)"
	case strings.Contains(v, "-----BEGIN"):
		return "a PEM block (a key or certificate)"
	case entraSecretLike().MatchString(v):
		return "an Entra client secret"
	case opaqueTokenLike().MatchString(v):
		return "a token (a long unbroken string)"
	}
	for _, param := range secretParams {
		if strings.Contains(lower, "?"+param) || strings.Contains(lower, "&"+param) || strings.HasPrefix(lower, param) {
			return "a URL carrying " + strings.TrimSuffix(param, "=")
		}
	}
	return ""
}
