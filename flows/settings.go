package flows

import (
	"strings"
	"time"
)

// Platform is the app registration platform a redirect URI belongs to; it decides how a code is redeemed.
type Platform string

// The platforms of an Entra app registration.
const (
	PlatformWeb    Platform = "web"    // confidential server-side app: redeems with a secret or certificate
	PlatformSPA    Platform = "spa"    // single-page app: PKCE, no credential, Origin header on redemption
	PlatformPublic Platform = "public" // mobile/desktop/CLI: PKCE, no credential, no Origin
)

// AssertionAlg selects how a certificate client assertion is signed and which thumbprint header it carries.
type AssertionAlg string

// Client assertion algorithms (reference §2.6).
const (
	AssertionPS256 AssertionAlg = "PS256" // current Entra guidance: PS256 with x5t#S256 (SHA-256 thumbprint)
	AssertionRS256 AssertionAlg = "RS256" // older guidance and ADFS: RS256 with x5t (SHA-1 thumbprint)
)

// ParsePlatform reads a platform name in any case; an unknown one is a *FieldError naming the choices.
func ParsePlatform(name string) (Platform, error) {
	p := Platform(strings.ToLower(strings.TrimSpace(name)))
	if err := checkPlatform(p); err != nil {
		return "", err
	}
	return p, nil
}

func checkPlatform(p Platform) error {
	switch p {
	case PlatformWeb, PlatformSPA, PlatformPublic:
		return nil
	}
	return &FieldError{Field: "platform", Value: string(p), Problem: "is not a platform", Fix: "use web, spa or public"}
}

// ParseAssertionAlg reads a client assertion algorithm in any case; an unknown one is a *FieldError.
func ParseAssertionAlg(name string) (AssertionAlg, error) {
	a := AssertionAlg(strings.ToUpper(strings.TrimSpace(name)))
	if err := checkAssertionAlg(a); err != nil {
		return "", err
	}
	return a, nil
}

func checkAssertionAlg(a AssertionAlg) error {
	switch a {
	case AssertionPS256, AssertionRS256:
		return nil
	}
	return &FieldError{Field: "assertion-alg", Value: string(a), Problem: "is not supported", Fix: "use PS256 (x5t#S256) or RS256 (x5t)"}
}

// DefaultTimeout bounds each HTTP exchange when Settings.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Settings are everything a flow needs to know about the identity provider and the client. The zero value is
// not usable; Validate reports the first missing or malformed field as a *FieldError naming it.
type Settings struct {
	// Authority is the login host, e.g. https://login.microsoftonline.com (no tenant). Empty means Cloud's.
	Authority string
	// Cloud picks the authority of a national cloud when Authority is empty.
	Cloud Cloud
	// Issuer, when set, replaces Authority and Tenant: endpoints come from Issuer/.well-known/openid-configuration,
	// so the flows run against any OpenID provider.
	Issuer string
	// Tenant is a GUID, a domain, or common / organizations / consumers.
	Tenant string
	// ClientID is the app (client) ID.
	ClientID string
	// ClientSecret authenticates a confidential client. Never shown unless revealed.
	ClientSecret string
	// Certificate authenticates a confidential client with a signed client assertion instead of a secret.
	Certificate *Certificate
	// AssertionAlg is how the client assertion is signed; empty means PS256 with x5t#S256.
	AssertionAlg AssertionAlg
	// RedirectURI is where the authorization response is sent.
	RedirectURI string
	// Platform is the redirect URI's platform; empty means web for auth-code and public for pkce.
	Platform Platform
	// Origin is sent on SPA code redemption; empty means the scheme://host[:port] of RedirectURI.
	Origin string
	// ResponseMode is query or form_post (fragment cannot reach a server); empty means query.
	ResponseMode string
	// Scopes requested; empty means the flow's default (e.g. openid profile offline_access).
	Scopes []string
	// LoginHint pre-fills the username on the sign-in page.
	LoginHint string
	// Assertion is the incoming user token for on-behalf-of.
	Assertion string
	// RefreshToken is redeemed by the refresh flow.
	RefreshToken string
	// Discover adds the optional discovery and JWKS legs at the start of a flow (always on with Issuer).
	Discover bool
	// Timeout bounds each HTTP exchange; zero means DefaultTimeout.
	Timeout time.Duration
	// CallAPI, when set, adds a last leg that calls this API URL with the access token as a Bearer.
	CallAPI string
	// CallAPIMethod is the call's HTTP method; empty means GET.
	CallAPIMethod string
	// Claims is a claims request (JSON) sent on /authorize and the token request, e.g. the answer to a
	// claims challenge (reference EP §3.4).
	Claims string
	// ManagedIdentity configures the managed-identity flow; Workload the workload-identity flow.
	ManagedIdentity ManagedIdentitySettings
	Workload        WorkloadSettings
}

// Credential describes which client credential the settings carry.
func (s Settings) Credential() string {
	switch {
	case s.Certificate != nil:
		return "certificate"
	case s.ClientSecret != "":
		return "secret"
	default:
		return "none"
	}
}
