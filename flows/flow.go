package flows

import (
	"slices"
	"strings"
)

// Flow describes one flow to the front ends: what it is for, its legs, and everything a settings screen, a
// command line or a demo tenant needs to know about it, so that none of them switches on a flow's ID.
type Flow struct {
	ID          FlowID
	Title       string
	Scenario    string // who uses it, e.g. "server-side web app"
	Interaction string // what the user does, e.g. "signs in in a browser"
	Purpose     string // what the flow is for, one or two sentences
	Legs        []Leg
	// Fields are the settings the flow needs, by their command-line names, so a settings screen shows only those.
	Fields []string
	// Client is the kind of app registration the flow runs as (the demo tenant has one of each).
	Client ClientKind
	// DefaultPlatform is the redirect URI platform assumed when the settings name none.
	DefaultPlatform Platform
	// ConfidentialOn lists the platforms on which the flow cannot run without a client credential; empty: it
	// never needs one.
	ConfidentialOn []Platform
	// Credentials are the client credentials the flow can send; empty: it sends none.
	Credentials []CredentialKind
	// AppOnly flows act as the app itself: they name a specific tenant and ask for one {resource}/.default.
	AppOnly bool
	// DefaultScopes are asked for when the settings name none; {resource}/.default scopes are Entra's and are
	// dropped for another OpenID provider.
	DefaultScopes []string
	// ChainsFrom, when set, is the token of an earlier run the flow starts from.
	ChainsFrom *Chain
}

// ClientKind is the kind of app registration a flow runs as.
type ClientKind string

// The kinds of app registration.
const (
	ClientWeb    ClientKind = "web app"         // confidential, signs users in through a redirect
	ClientPublic ClientKind = "public client"   // SPA, desktop, mobile or CLI: holds no credential
	ClientDaemon ClientKind = "daemon"          // confidential, acts as itself
	ClientAPI    ClientKind = "middle-tier API" // confidential, acts for the user who called it
	// ClientManagedIdentity is no app registration: the Azure host's managed identity.
	ClientManagedIdentity ClientKind = "managed identity"
	// ClientWorkload is an app registration with federated credentials and no secret or certificate.
	ClientWorkload ClientKind = "workload"
)

// CredentialKind is a kind of client credential a flow can send.
type CredentialKind string

// The client credentials a flow can send.
const (
	CredentialSecret      CredentialKind = "secret"
	CredentialCertificate CredentialKind = "certificate"
)

// ChainToken is the kind of token an earlier run hands to a flow.
type ChainToken string

// The tokens flows chain from.
const (
	// ChainAccessToken is a user's access token for the flow's own API (on-behalf-of's assertion).
	ChainAccessToken ChainToken = "access token"
	// ChainRefreshToken is a refresh token; it is bound to the client it was issued to.
	ChainRefreshToken ChainToken = "refresh token"
)

// Chain is the token a flow starts from and the flow whose run obtains it.
type Chain struct {
	Token ChainToken
	From  FlowID
}

// Given reports whether the settings already carry the chained token.
func (c Chain) Given(s Settings) bool {
	if c.Token == ChainRefreshToken {
		return s.RefreshToken != ""
	}
	return s.Assertion != ""
}

// Apply hands the token of an earlier run (its settings from, its tokens t) to settings s and reports whether
// t held one. A refresh token comes with the client it was issued to: it is bound to that client.
func (c Chain) Apply(s *Settings, from Settings, t *Tokens) bool {
	if t == nil {
		return false
	}
	if c.Token == ChainAccessToken {
		s.Assertion = t.AccessToken
		return t.AccessToken != ""
	}
	if t.RefreshToken == "" {
		return false
	}
	s.RefreshToken = t.RefreshToken
	s.ClientID, s.ClientSecret, s.Certificate = from.ClientID, from.ClientSecret, from.Certificate
	s.Platform, s.RedirectURI, s.Scopes = from.Platform, from.RedirectURI, from.Scopes
	return true
}

// Confidential reports whether the flow needs a client credential on platform p (empty: its default).
func (f Flow) Confidential(p Platform) bool {
	if p == "" {
		p = f.DefaultPlatform
	}
	return slices.Contains(f.ConfidentialOn, p)
}

// NeedsCredential reports whether settings s still lack the credential the flow cannot run without.
func (f Flow) NeedsCredential(s Settings) bool {
	return f.Confidential(s.Platform) && s.ClientSecret == "" && s.Certificate == nil
}

// TakesCredential reports whether the flow can send a client credential at all.
func (f Flow) TakesCredential() bool { return len(f.Credentials) > 0 }

// SignsInWithBrowser reports whether a leg sends the user's browser to the sign-in page (so the flow needs a
// redirect URI and a browser).
func (f Flow) SignsInWithBrowser() bool { return f.hasLeg(KindBrowser) }

// PollsForApproval reports whether the app waits while the user approves elsewhere (device code).
func (f Flow) PollsForApproval() bool { return f.hasLeg(KindPoll) }

// UserSignsIn reports whether a user signs in during the flow (in a browser or on another device).
func (f Flow) UserSignsIn() bool { return f.SignsInWithBrowser() || f.PollsForApproval() }

func (f Flow) hasLeg(kind LegKind) bool {
	return slices.ContainsFunc(f.Legs, func(l Leg) bool { return l.Kind == kind })
}

// defaultScopes are what the flow asks for when no scope is given.
func (f Flow) defaultScopes(issuer string) []string {
	var out []string
	for _, sc := range f.DefaultScopes {
		if issuer != "" && strings.HasSuffix(sc, "/.default") {
			continue // Entra's resource scopes mean nothing to another provider
		}
		out = append(out, sc)
	}
	return out
}

func (f Flow) clone() Flow {
	f.Legs = slices.Clone(f.Legs)
	f.Fields = slices.Clone(f.Fields)
	f.ConfidentialOn = slices.Clone(f.ConfidentialOn)
	f.Credentials = slices.Clone(f.Credentials)
	f.DefaultScopes = slices.Clone(f.DefaultScopes)
	if f.ChainsFrom != nil {
		c := *f.ChainsFrom
		f.ChainsFrom = &c
	}
	return f
}
