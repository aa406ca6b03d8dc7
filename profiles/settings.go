package profiles

import (
	"slices"

	"github.com/aadx/aadx/flows"
)

// ToSettings returns the profile's settings. They carry no credential: load the certificate from CertFile and
// resolve the secret from Secret (see Credential).
func (p Profile) ToSettings() flows.Settings {
	return flows.Settings{
		Authority:    p.Authority,
		Cloud:        p.Cloud,
		Issuer:       p.Issuer,
		Tenant:       p.Tenant,
		ClientID:     p.ClientID,
		RedirectURI:  p.RedirectURI,
		Platform:     p.Platform,
		Scopes:       slices.Clone(p.Scopes),
		AssertionAlg: p.AssertionAlg,
	}
}

// FromSettings makes a profile named name from settings, keeping only what is safe on disk. It drops the
// client secret, the certificate's key material (only its path is kept), the on-behalf-of assertion, the
// refresh token, the login hint and run options (timeout, discovery, response mode, origin). The secret
// source must be chosen by the caller: settings know a secret's value, never where it came from.
func FromSettings(name string, s flows.Settings) Profile {
	p := Profile{
		Name:         name,
		Authority:    s.Authority,
		Cloud:        s.Cloud,
		Issuer:       s.Issuer,
		Tenant:       s.Tenant,
		ClientID:     s.ClientID,
		RedirectURI:  s.RedirectURI,
		Platform:     s.Platform,
		Scopes:       slices.Clone(s.Scopes),
		AssertionAlg: s.AssertionAlg,
	}
	if s.Certificate != nil {
		p.CertFile = s.Certificate.Path
	}
	return p
}

// KnownSecrets lists the secret values settings carry (client secret, assertion, refresh token), to pass to
// Store.Save so that none of them can end up in a profile field.
func KnownSecrets(s flows.Settings) []string {
	return []string{s.ClientSecret, s.Assertion, s.RefreshToken}
}

// Apply fills the fields of s that flags and AZURE_* environment variables left empty with the profile's, so
// that the precedence flags > environment > profile > demo tenant is implemented in one place. Call it after
// reading flags and environment, before falling back to the demo tenant.
//
// The provider is taken as a whole where fields interact: the profile's issuer is used only when s names no
// issuer, tenant or authority (an issuer replaces both); the profile's authority only when s names no authority
// and no cloud (an authority outranks a cloud). A zero field means "not given": a caller whose flags have
// defaults (--cloud public, --assertion-alg PS256) must leave the field empty unless the flag was typed.
// Credentials are not applied here: see Credential.
func Apply(p Profile, s *flows.Settings) {
	if s.Issuer == "" && s.Tenant == "" && s.Authority == "" {
		s.Issuer = p.Issuer
	}
	if s.Issuer == "" {
		fill(&s.Tenant, p.Tenant)
		if s.Authority == "" && s.Cloud == "" {
			s.Authority, s.Cloud = p.Authority, p.Cloud
		}
	}
	fill(&s.ClientID, p.ClientID)
	fill(&s.RedirectURI, p.RedirectURI)
	if s.Platform == "" {
		s.Platform = p.Platform
	}
	if len(s.Scopes) == 0 {
		s.Scopes = slices.Clone(p.Scopes)
	}
	if s.AssertionAlg == "" {
		s.AssertionAlg = p.AssertionAlg
	}
}

func fill(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}
