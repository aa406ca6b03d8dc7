package flows

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// openIDConfiguration holds the metadata fields the engine uses (OpenID Connect Discovery §3, RFC 8414).
type openIDConfiguration struct {
	Issuer                      string `json:"issuer"`
	AuthorizationEndpoint       string `json:"authorization_endpoint"`
	TokenEndpoint               string `json:"token_endpoint"`
	DeviceAuthorizationEndpoint string `json:"device_authorization_endpoint"`
	JWKSURI                     string `json:"jwks_uri"`
}

func (r *Run) prepareDiscovery() (*Request, error) {
	return &Request{Method: http.MethodGet, URL: r.State().Endpoints.Discovery,
		Headers: []Header{{Name: "Accept", Value: "application/json"}}}, nil
}

func (r *Run) applyDiscovery(ex *Exchange) error {
	if err := responseError(ex); err != nil {
		return err
	}
	var doc openIDConfiguration
	if err := json.Unmarshal([]byte(ex.ResponseBody), &doc); err != nil {
		return &ProtocolError{Leg: LegDiscovery, Problem: "the openid-configuration is not JSON", Err: err}
	}
	if doc.TokenEndpoint == "" {
		return &ProtocolError{Leg: LegDiscovery, Problem: "the openid-configuration has no token_endpoint"}
	}
	// The issuer must be the one asked for (OpenID Connect Discovery §4.3); Entra's common endpoints publish a
	// {tenantid} template instead, so the check applies to --issuer only.
	if want := r.settings.Issuer; want != "" && strings.TrimRight(doc.Issuer, "/") != strings.TrimRight(want, "/") {
		return &ProtocolError{Leg: LegDiscovery, Problem: fmt.Sprintf("the document's issuer %q is not %q", doc.Issuer, want)}
	}
	for _, u := range []string{doc.AuthorizationEndpoint, doc.TokenEndpoint, doc.DeviceAuthorizationEndpoint, doc.JWKSURI} {
		if u == "" {
			continue
		}
		if err := checkScheme(u); err != nil {
			return &ProtocolError{Leg: LegDiscovery, Problem: "the document lists an unsafe endpoint", Err: err}
		}
	}
	r.update(func(s *State) {
		s.Discovery = ex.ResponseBody
		set := func(dst *string, v string) {
			if v != "" {
				*dst = v
			}
		}
		set(&s.Endpoints.Issuer, doc.Issuer)
		set(&s.Endpoints.Authorization, doc.AuthorizationEndpoint)
		set(&s.Endpoints.Token, doc.TokenEndpoint)
		set(&s.Endpoints.DeviceCode, doc.DeviceAuthorizationEndpoint)
		set(&s.Endpoints.JWKS, doc.JWKSURI)
	})
	return nil
}

func (r *Run) prepareJWKS() (*Request, error) {
	u := r.State().Endpoints.JWKS
	if u == "" {
		return nil, fmt.Errorf("%w: the key set URL comes from the discovery leg", ErrNotReady)
	}
	return &Request{Method: http.MethodGet, URL: u, Headers: []Header{{Name: "Accept", Value: "application/json"}}}, nil
}

func (r *Run) applyJWKS(ex *Exchange) error {
	if err := responseError(ex); err != nil {
		return err
	}
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal([]byte(ex.ResponseBody), &set); err != nil || set.Keys == nil {
		return &ProtocolError{Leg: LegJWKS, Problem: "the response is not a JSON Web Key Set", Err: err}
	}
	r.update(func(s *State) { s.JWKS = ex.ResponseBody })
	return nil
}

// responseError turns an unsuccessful response into an *OAuthError (the provider said no) or a *ProtocolError.
func responseError(ex *Exchange) error {
	if ex.Truncated { // a cut body would only fail to parse; say why instead
		return &ProtocolError{Leg: ex.LegName, Problem: fmt.Sprintf("the %s response is larger than aadx's %d KiB limit and was cut: it is not an OAuth answer", ex.StatusText, len(ex.ResponseBody)>>10)}
	}
	if ex.Status == http.StatusOK {
		return nil
	}
	if oe, ok := ParseError(ex.Status, []byte(ex.ResponseBody)); ok {
		oe.RetryAfter = ex.header("Retry-After")
		return oe
	}
	problem := fmt.Sprintf("unexpected %s with no OAuth error in the body", ex.StatusText)
	// A throttled or unavailable provider says when to come back (RFC 9110 §10.2.3); keep it in the message.
	if after := ex.header("Retry-After"); after != "" {
		problem += fmt.Sprintf(" (Retry-After %s: wait that long before trying again)", after)
	}
	return &ProtocolError{Leg: ex.LegName, Problem: problem}
}

// header returns the first response header called name (case-insensitive), or "".
func (ex *Exchange) header(name string) string {
	for _, h := range ex.ResponseHeaders {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}
