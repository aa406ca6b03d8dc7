package flows

import (
	"net/url"
	"time"
)

// Tokens is a successful token response (RFC 6749 §5.1 plus Entra's extensions, reference §2.9).
type Tokens struct {
	TokenType    string
	AccessToken  string
	IDToken      string
	RefreshToken string
	Scope        string
	ExpiresIn    int
	ExtExpiresIn int
	ClientInfo   string
	Received     time.Time
}

// DeviceAuthorization is the device authorization response (RFC 8628 §3.2).
type DeviceAuthorization struct {
	DeviceCode              string
	UserCode                string
	VerificationURI         string
	VerificationURIComplete string
	Message                 string
	ExpiresIn               int
	Interval                int
	ExpiresAt               time.Time
	Notes                   []string // what aadx replaced in the provider's answer (out-of-bounds interval or expiry)
}

// PKCE holds a proof key (RFC 7636): the verifier stays with the app until redemption.
type PKCE struct {
	Verifier  string
	Challenge string
	Method    string // S256
}

// Redirect is the authorization response that came back to the redirect URI.
type Redirect struct {
	URL      string     // the redirect as received (query mode) or the redirect URI (form_post)
	Params   url.Values // code, state, error, ... from the query or the posted form
	FormPost bool
}

// LegStatus is where a leg is in its life.
type LegStatus int

// Leg statuses.
const (
	StatusPending LegStatus = iota
	StatusRunning
	StatusDone
	StatusFailed
)

func (s LegStatus) String() string {
	return [...]string{"pending", "running", "done", "failed"}[s]
}

// State is what the run has learnt so far. Run.State returns a copy.
type State struct {
	Endpoints    Endpoints
	Discovery    string // the openid-configuration document as received
	JWKS         string // the key set as received
	State        string // the state sent on the authorize URL (random, checked on return)
	Nonce        string // the nonce sent on the authorize URL (random, echoed in the id_token)
	PKCE         *PKCE
	AuthorizeURL string
	RedirectURI  string // the redirect_uri sent on the authorize URL; the code is redeemed with the same one
	Redirect     *Redirect
	Code         string
	Device       *DeviceAuthorization
	// ClientAssertion is the last client assertion JWT built for a certificate credential.
	ClientAssertion string
	Tokens          *Tokens
	API             *APIResponse // the API's answer to the call-api leg
	// ManagedIdentity is what a managed identity endpoint answered beyond the token (expires_on made readable).
	ManagedIdentity *ManagedIdentityToken
	// ExternalToken is the workload's external token fetched by the external-token leg.
	ExternalToken string
	// Federation is the external token compared with the federated credential, made before it is sent.
	Federation *FederationCheck
	Err        error // the last leg's error
}
