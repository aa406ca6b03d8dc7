package flows

import "sync"

// FlowID names a flow as on the command line.
type FlowID string

// The flows of the recommendation matrix.
const (
	FlowAuthCode          FlowID = "auth-code"
	FlowPKCE              FlowID = "pkce"
	FlowClientCredentials FlowID = "client-credentials"
	FlowDeviceCode        FlowID = "device-code"
	FlowOBO               FlowID = "obo"
	FlowRefresh           FlowID = "refresh"
	FlowManagedIdentity   FlowID = "managed-identity"
	FlowWorkloadIdentity  FlowID = "workload-identity"
)

var (
	legDiscovery = Leg{Name: LegDiscovery, Title: "Discovery", Kind: KindHTTP, From: LaneApp, To: LaneIdP, Optional: true,
		Explanation: "Fetch the OpenID configuration to learn the authorize, token and device endpoints and the key set."}
	legJWKS = Leg{Name: LegJWKS, Title: "Signing keys", Kind: KindHTTP, From: LaneApp, To: LaneIdP, Optional: true,
		Explanation: "Fetch the JSON Web Key Set the provider signs tokens with, so their signatures can be checked."}
	legAuthorize = Leg{Name: LegAuthorize, Title: "Sign in (browser)", Kind: KindBrowser, From: LaneUser, To: LaneIdP,
		Explanation: "The browser visits the authorize URL; the user signs in and consents; the provider redirects back to the app with a one-time code."}
	legRedeem = Leg{Name: LegRedeem, Title: "Redeem the code", Kind: KindHTTP, From: LaneApp, To: LaneIdP,
		Explanation: "The app posts the code to the token endpoint and receives tokens."}
)

// The default scopes of the flows: a user's sign-in (OpenID, profile and a refresh token), or an app-only token
// for Microsoft Graph (Entra only: dropped for another OpenID provider).
var (
	userScopes   = []string{"openid", "profile", "offline_access"}
	graphDefault = []string{"https://graph.microsoft.com/.default"}
	allPlatforms = []Platform{PlatformWeb, PlatformSPA, PlatformPublic}
)

// catalog is every flow aadx runs, in display order. Adding a flow is one entry here (its legs' prepare and
// apply go in legImpls): front ends read everything else from the descriptor. It is built on first use, not
// at package initialisation, which every aadx command (decode, version) would pay.
var catalog = sync.OnceValue(func() []Flow { return catalogFlows() })

func catalogFlows() []Flow {
	return []Flow{
		{
			ID: FlowAuthCode, Title: "Authorization code", Scenario: "server-side web app",
			Interaction: "signs in in a browser",
			Purpose:     "A confidential web app signs users in and calls APIs for them; the code is redeemed server-side with the app's secret or certificate.",
			Legs: []Leg{legDiscovery, legJWKS, legAuthorize, withExplanation(legRedeem,
				"The app posts the code with its client secret or certificate assertion to the token endpoint and receives tokens.")},
			Fields: []string{"tenant", "client-id", "credential", "redirect-uri", "scope"},
			Client: ClientWeb, DefaultPlatform: PlatformWeb, ConfidentialOn: []Platform{PlatformWeb},
			Credentials: []CredentialKind{CredentialSecret, CredentialCertificate}, DefaultScopes: userScopes,
		},
		{
			ID: FlowPKCE, Title: "Authorization code + PKCE", Scenario: "SPA, mobile or desktop app",
			Interaction: "signs in in a browser",
			Purpose:     "A public client (SPA or native app) has no secret; a one-time code_verifier proves that whoever redeems the code is whoever asked for it.",
			Legs: []Leg{legDiscovery, legJWKS, legAuthorize, withExplanation(legRedeem,
				"The app posts the code with the code_verifier (and, for a SPA, an Origin header) and receives tokens.")},
			Fields: []string{"tenant", "client-id", "platform", "credential", "redirect-uri", "scope"},
			// On the web platform the app is confidential: PKCE is added to the code flow, not a credential
			// replaced by it, and Entra refuses the redemption without one (AADSTS7000218).
			Client: ClientPublic, DefaultPlatform: PlatformPublic, ConfidentialOn: []Platform{PlatformWeb},
			Credentials: []CredentialKind{CredentialSecret, CredentialCertificate}, DefaultScopes: userScopes,
		},
		{
			ID: FlowClientCredentials, Title: "Client credentials", Scenario: "background service, daemon",
			Interaction: "none: the app is itself",
			Purpose:     "A service gets an app-only token for an API with its own secret or certificate; no user is involved.",
			Legs: []Leg{legDiscovery, legJWKS, {Name: LegToken, Title: "Request a token", Kind: KindHTTP, From: LaneApp, To: LaneIdP,
				Explanation: "The app posts its credential and {resource}/.default to the token endpoint and receives an app-only access token."}},
			Fields: []string{"tenant", "client-id", "credential", "scope"},
			Client: ClientDaemon, DefaultPlatform: PlatformWeb, ConfidentialOn: allPlatforms, AppOnly: true,
			Credentials: []CredentialKind{CredentialSecret, CredentialCertificate}, DefaultScopes: graphDefault,
		},
		{
			ID: FlowDeviceCode, Title: "Device code", Scenario: "CLI tool or IoT device",
			Interaction: "enters a code elsewhere",
			Purpose:     "A device without a browser shows a short code; the user enters it on a phone or computer while the device polls for tokens.",
			Legs: []Leg{legDiscovery, legJWKS,
				{Name: LegDeviceCode, Title: "Get a device code", Kind: KindHTTP, From: LaneApp, To: LaneIdP,
					Explanation: "The app asks for a device code and a user code; the user is told where to enter the user code."},
				{Name: LegPoll, Title: "Poll for tokens", Kind: KindPoll, From: LaneApp, To: LaneIdP,
					Explanation: "The app polls the token endpoint every interval seconds; the provider answers authorization_pending until the user finishes, then returns tokens."}},
			Fields: []string{"tenant", "client-id", "scope"},
			Client: ClientPublic, DefaultPlatform: PlatformPublic, DefaultScopes: userScopes,
		},
		{
			ID: FlowOBO, Title: "On-behalf-of", Scenario: "API calling another API",
			Interaction: "none: the caller's token",
			Purpose:     "A middle-tier API exchanges the user token it received for a token to a downstream API, keeping the user's identity.",
			Legs: []Leg{legDiscovery, legJWKS, {Name: LegOBO, Title: "Exchange the user token", Kind: KindHTTP, From: LaneApp, To: LaneIdP,
				Explanation: "The API posts the incoming user token as a jwt-bearer assertion with requested_token_use=on_behalf_of and its own credential."}},
			Fields: []string{"tenant", "client-id", "credential", "assertion", "scope"},
			Client: ClientAPI, DefaultPlatform: PlatformWeb, ConfidentialOn: allPlatforms,
			Credentials: []CredentialKind{CredentialSecret, CredentialCertificate}, DefaultScopes: graphDefault,
			ChainsFrom: &Chain{Token: ChainAccessToken, From: FlowAuthCode},
		},
		{
			ID: FlowRefresh, Title: "Refresh token", Scenario: "renewing tokens later",
			Interaction: "none: reuses a sign-in",
			Purpose:     "The app trades a refresh token for new tokens without asking the user to sign in again.",
			Legs: []Leg{legDiscovery, legJWKS, {Name: LegRefresh, Title: "Redeem the refresh token", Kind: KindHTTP, From: LaneApp, To: LaneIdP,
				Explanation: "The app posts grant_type=refresh_token (with its credential if confidential) and receives new tokens, usually with a new refresh token."}},
			Fields: []string{"tenant", "client-id", "credential", "refresh-token", "scope"},
			// A refresh token is redeemed by the client it was issued to: public, or confidential with its credential.
			Client: ClientPublic, DefaultPlatform: PlatformWeb, Credentials: []CredentialKind{CredentialSecret, CredentialCertificate},
			ChainsFrom: &Chain{Token: ChainRefreshToken, From: FlowAuthCode},
		},
		flowManagedIdentity,
		flowWorkloadIdentity,
	}
}

func withExplanation(l Leg, text string) Leg { l.Explanation = text; return l }

// Catalog returns the flows of the recommendation matrix in display order. The slice is a copy.
func Catalog() []Flow {
	out := make([]Flow, len(catalog()))
	for i, f := range catalog() {
		out[i] = f.clone()
	}
	return out
}

// Lookup finds a flow by its command-line ID.
func Lookup(id string) (Flow, bool) {
	for _, f := range catalog() {
		if string(f.ID) == id {
			return f.clone(), true
		}
	}
	return Flow{}, false
}

// FlowIDs lists the command-line IDs of every flow.
func FlowIDs() []string {
	ids := make([]string, len(catalog()))
	for i, f := range catalog() {
		ids[i] = string(f.ID)
	}
	return ids
}
