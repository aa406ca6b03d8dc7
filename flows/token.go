package flows

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// tokenRequest builds a POST to the token endpoint with the given parameters, the client credential when the
// client is confidential, and an Origin header for SPA redemption (reference §2.3).
func (r *Run) tokenRequest(params []Param, confidential bool) (*Request, error) {
	st := r.State()
	if st.Endpoints.Token == "" {
		return nil, fmt.Errorf("%w: the token endpoint comes from the discovery leg", ErrNotReady)
	}
	if r.settings.Claims != "" {
		params = append(params, param("claims", r.settings.Claims)) // MSAL sends a challenge's claims on refresh too
	}
	if confidential {
		cred, err := r.credentialParams(st.Endpoints.Token)
		if err != nil {
			return nil, err
		}
		params = append(params, cred...)
	}
	id, err := randomUUID(r.opts.Rand)
	if err != nil {
		return nil, err
	}
	req := &Request{Method: http.MethodPost, URL: st.Endpoints.Token, Params: params, Headers: []Header{
		{Name: "Content-Type", Value: "application/x-www-form-urlencoded"},
		{Name: "Accept", Value: "application/json"},
		// Entra echoes client-request-id as the error's correlation_id: it ties a trace to its server logs.
		{Name: "client-request-id", Value: id},
	}}
	if r.settings.Platform == PlatformSPA && r.settings.Origin != "" {
		req.Headers = append(req.Headers, Header{Name: "Origin", Value: r.settings.Origin})
	}
	return req, nil
}

// credentialParams authenticates a confidential client: a certificate assertion if there is a certificate
// (RFC 7523 §2.2), else the secret in the body (client_secret_post, RFC 6749 §2.3.1).
func (r *Run) credentialParams(tokenEndpoint string) ([]Param, error) {
	s := r.settings
	switch {
	case s.Certificate != nil:
		jwt, err := BuildClientAssertion(s.Certificate, s.AssertionAlg, s.ClientID, tokenEndpoint, r.opts.Now(), r.opts.Rand)
		if err != nil {
			return nil, err
		}
		r.update(func(st *State) { st.ClientAssertion = jwt })
		return []Param{param("client_assertion_type", ClientAssertionType), param("client_assertion", jwt)}, nil
	case s.ClientSecret != "":
		return []Param{param("client_secret", s.ClientSecret)}, nil
	}
	return nil, nil
}

// tokenResponse is the wire shape of a successful token response (RFC 6749 §5.1, reference §2.9).
type tokenResponse struct {
	TokenType    string          `json:"token_type"`
	AccessToken  string          `json:"access_token"`
	IDToken      string          `json:"id_token"`
	RefreshToken string          `json:"refresh_token"`
	Scope        string          `json:"scope"`
	ExpiresIn    json.RawMessage `json:"expires_in"`
	ExtExpiresIn json.RawMessage `json:"ext_expires_in"`
	ClientInfo   string          `json:"client_info"`
}

func (r *Run) applyTokens(ex *Exchange) error {
	if err := responseError(ex); err != nil {
		return err
	}
	var tr tokenResponse
	if err := json.Unmarshal([]byte(ex.ResponseBody), &tr); err != nil {
		return &ProtocolError{Leg: ex.LegName, Problem: "the token response is not JSON", Err: err}
	}
	if tr.AccessToken == "" && tr.IDToken == "" {
		return &ProtocolError{Leg: ex.LegName, Problem: "the token response has neither access_token nor id_token"}
	}
	// The nonce sent on /authorize must come back in the ID token (OIDC Core §3.1.3.7 step 11).
	if nonce := r.State().Nonce; tr.IDToken != "" && nonce != "" && ex.LegName == LegRedeem {
		if got := unverifiedClaim(tr.IDToken, "nonce"); got != nonce {
			return &ProtocolError{Leg: ex.LegName, Problem: fmt.Sprintf("the id_token's nonce %q is not the one sent", got)}
		}
	}
	t := &Tokens{TokenType: tr.TokenType, AccessToken: tr.AccessToken, IDToken: tr.IDToken, RefreshToken: tr.RefreshToken,
		Scope: tr.Scope, ExpiresIn: flexInt(tr.ExpiresIn), ExtExpiresIn: flexInt(tr.ExtExpiresIn), ClientInfo: tr.ClientInfo,
		Received: r.opts.Now()}
	r.update(func(s *State) { s.Tokens = t })
	return nil
}

// flexInt reads a number sent as a JSON number or a string (MSAL accepts both for expires_in).
func flexInt(raw json.RawMessage) int {
	s := strings.Trim(string(raw), `"`)
	n, _ := strconv.Atoi(s)
	return n
}

// unverifiedClaim reads one string claim of a JWT without checking its signature (only for comparisons the
// engine makes about its own request, like the nonce).
func unverifiedClaim(jwt, name string) string {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var claims map[string]any
	if json.Unmarshal(payload, &claims) != nil {
		return ""
	}
	s, _ := claims[name].(string)
	return s
}

func (r *Run) prepareClientCredentials() (*Request, error) {
	s := r.settings
	return r.tokenRequest([]Param{
		param("client_id", s.ClientID),
		param("scope", strings.Join(s.Scopes, " ")),
		param("grant_type", "client_credentials"),
	}, true)
}

func (r *Run) prepareOBO() (*Request, error) {
	s := r.settings
	return r.tokenRequest([]Param{
		param("client_id", s.ClientID),
		param("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
		param("assertion", s.Assertion),
		param("scope", strings.Join(s.Scopes, " ")),
		param("requested_token_use", "on_behalf_of"),
	}, true)
}

func (r *Run) prepareRefresh() (*Request, error) {
	s := r.settings
	params := []Param{
		param("client_id", s.ClientID),
		param("grant_type", "refresh_token"),
		param("refresh_token", s.RefreshToken),
	}
	if len(s.Scopes) > 0 {
		params = append(params, param("scope", strings.Join(s.Scopes, " ")))
	}
	return r.tokenRequest(params, s.Platform == PlatformWeb && s.Credential() != "none")
}
