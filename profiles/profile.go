package profiles

import (
	"slices"
	"strings"

	"github.com/aadx/aadx/flows"
)

// Profile is the saved settings of one customer tenant and app registration. Every field is safe to write to
// disk: a certificate is kept as a path (the PFX password is a secret and is not kept), and the client secret
// only as a SecretSource.
type Profile struct {
	Name         string             `json:"name"`
	Authority    string             `json:"authority,omitempty"`
	Cloud        flows.Cloud        `json:"cloud,omitempty"`
	Issuer       string             `json:"issuer,omitempty"`
	Tenant       string             `json:"tenant,omitempty"`
	ClientID     string             `json:"client_id,omitempty"`
	RedirectURI  string             `json:"redirect_uri,omitempty"`
	Platform     flows.Platform     `json:"platform,omitempty"`
	Scopes       []string           `json:"scopes,omitempty"`
	CertFile     string             `json:"cert_file,omitempty"`
	AssertionAlg flows.AssertionAlg `json:"assertion_alg,omitempty"`
	Secret       SecretSource       `json:"secret,omitzero"`
	Note         string             `json:"note,omitempty"` // free text, e.g. a ticket number
}

// SecretKind says where a profile's client secret comes from.
type SecretKind string

// The places a client secret can come from; none of them is the profile file.
const (
	SecretNone    SecretKind = "none"    // no secret: a public client, or a certificate credential
	SecretEnv     SecretKind = "env"     // an environment variable (SecretSource.Env)
	SecretPrompt  SecretKind = "prompt"  // asked for each time
	SecretKeyring SecretKind = "keyring" // the OS keyring, service "aadx", account = profile name
)

// DefaultSecretEnv is the variable an env secret source reads when none is named (azidentity's name).
const DefaultSecretEnv = "AZURE_CLIENT_SECRET"

// SecretSource names where the client secret is found; the zero value means none.
type SecretSource struct {
	Kind SecretKind `json:"kind"`
	Env  string     `json:"env,omitempty"` // the variable's name for SecretEnv, never its value
}

// envNamePattern is a POSIX environment variable name.
var envNamePattern = lazyRegexp(`^[A-Za-z_][A-Za-z0-9_]*$`)

// normalized fills in defaults: an empty kind is none, an env source without a name reads AZURE_CLIENT_SECRET.
func (s SecretSource) normalized() SecretSource {
	if s.Kind == "" {
		s.Kind = SecretNone
	}
	if s.Kind == SecretEnv && s.Env == "" {
		s.Env = DefaultSecretEnv
	}
	if s.Kind != SecretEnv {
		s.Env = ""
	}
	return s
}

func (s SecretSource) validate() error {
	switch s.Kind {
	case SecretNone, SecretPrompt, SecretKeyring:
		return nil
	case SecretEnv:
		if !envNamePattern().MatchString(s.Env) {
			return &flows.FieldError{Field: "secret-env", Value: s.Env, Problem: "is not an environment variable name", Fix: "give a name such as AZURE_CLIENT_SECRET (letters, digits and _)"}
		}
		return nil
	default:
		return &flows.FieldError{Field: "secret", Value: string(s.Kind), Problem: "is not a secret source", Fix: "use env, prompt, keyring or none"}
	}
}

// String describes the source without any secret, e.g. "environment variable AZURE_CLIENT_SECRET".
func (s SecretSource) String() string {
	switch s = s.normalized(); s.Kind {
	case SecretEnv:
		return "environment variable " + s.Env
	case SecretPrompt:
		return "prompt"
	case SecretKeyring:
		return "OS keyring"
	default:
		return "none"
	}
}

// normalized spells names the one way flows compares them (cloud and platform lower case, algorithm upper
// case), fills the secret source's defaults and copies the scopes so the caller's slice is not kept.
func (p Profile) normalized() Profile {
	p.Cloud = flows.Cloud(strings.ToLower(string(p.Cloud)))
	p.Platform = flows.Platform(strings.ToLower(string(p.Platform)))
	p.AssertionAlg = flows.AssertionAlg(strings.ToUpper(string(p.AssertionAlg)))
	p.Secret = p.Secret.normalized()
	p.Scopes = slices.Clone(p.Scopes)
	return p
}

// Validate checks a profile the way a run would: its name, its secret source, that it names a provider and a
// client, and every saved field through flows.Settings.CheckGiven.
// The first problem is returned as a *flows.FieldError naming the field.
func (p Profile) Validate() error {
	p = p.normalized()
	if err := ValidateName(p.Name); err != nil {
		return err
	}
	if err := p.Secret.validate(); err != nil {
		return err
	}
	// A profile names a provider and an app registration; every other field is checked, when saved, by the
	// rules every flow applies to it (whether a flow needs it is decided when the flow runs).
	s := p.ToSettings()
	switch {
	case s.Issuer == "" && s.Tenant == "":
		return &flows.FieldError{Field: "tenant", Problem: "is required", Fix: "give the tenant GUID or domain (e.g. contoso.onmicrosoft.com), or --issuer for another provider"}
	case s.ClientID == "":
		return &flows.FieldError{Field: "client-id", Problem: "is required", Fix: "give the Application (client) ID"}
	}
	return s.CheckGiven()
}
