package flows

import (
	"fmt"
	"strings"
)

// Cloud names an Entra ID national cloud; each has its own login host (reference: national clouds table).
type Cloud string

// The national clouds aadx knows by name.
const (
	CloudPublic Cloud = "public"
	CloudUSGov  Cloud = "usgov"
	CloudChina  Cloud = "china"
)

// Authority returns the cloud's login authority, e.g. https://login.microsoftonline.com.
func (c Cloud) Authority() string {
	switch c {
	case CloudUSGov:
		return "https://login.microsoftonline.us"
	case CloudChina:
		return "https://login.partner.microsoftonline.cn"
	default:
		return "https://login.microsoftonline.com"
	}
}

// ParseCloud accepts public, usgov or china (case-insensitive); the empty string means public.
func ParseCloud(s string) (Cloud, error) {
	switch c := Cloud(strings.ToLower(strings.TrimSpace(s))); c {
	case "", CloudPublic:
		return CloudPublic, nil
	case CloudUSGov, CloudChina:
		return c, nil
	default:
		return "", &FieldError{Field: "cloud", Value: s, Problem: "is not a known cloud", Fix: "use public, usgov or china"}
	}
}

// DefaultAuthority is the global Entra ID login host.
const DefaultAuthority = "https://login.microsoftonline.com"

// Endpoints are the URLs a flow talks to. They come from the authority and tenant (Entra's fixed layout) or from
// a discovery document.
type Endpoints struct {
	Issuer        string
	Authorization string
	Token         string
	DeviceCode    string
	JWKS          string
	Discovery     string
}

// entraEndpoints lays out the v2.0 endpoints of an Entra authority for a tenant (reference §1.1).
func entraEndpoints(authority, tenant string) Endpoints {
	base := strings.TrimRight(authority, "/") + "/" + tenant
	return Endpoints{
		Issuer:        base + "/v2.0",
		Authorization: base + "/oauth2/v2.0/authorize",
		Token:         base + "/oauth2/v2.0/token",
		DeviceCode:    base + "/oauth2/v2.0/devicecode",
		JWKS:          base + "/discovery/v2.0/keys",
		Discovery:     base + "/v2.0/.well-known/openid-configuration",
	}
}

// issuerDiscoveryURL is where an OpenID provider publishes its metadata (OpenID Connect Discovery §4).
func issuerDiscoveryURL(issuer string) string {
	return strings.TrimRight(issuer, "/") + "/.well-known/openid-configuration"
}

func (e Endpoints) String() string {
	return fmt.Sprintf("authorize=%s token=%s devicecode=%s", e.Authorization, e.Token, e.DeviceCode)
}
