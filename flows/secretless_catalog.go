package flows

import (
	"fmt"
	"strings"
	"time"
)

// The secretless rows of the recommendation matrix: the platform or an external identity provider stands in for
// the client secret or certificate.
var (
	flowManagedIdentity = Flow{
		ID: FlowManagedIdentity, Title: "Managed identity",
		Scenario:    "app hosted on Azure (VM, App Service, Functions, Container Apps, AKS)",
		Interaction: "none: the Azure host is the credential",
		Purpose: "Code running on Azure asks the host's identity endpoint for a token; Azure holds and rotates the credential. " +
			"Use it instead of client credentials with a secret whenever the app runs on Azure.",
		Legs: []Leg{{Name: LegMIToken, Title: "Token from the identity endpoint", Kind: KindHTTP, From: LaneApp, To: LaneIdP,
			Explanation: "The app GETs a token for a resource from the host's local endpoint: IMDS (169.254.169.254, header Metadata: true) " +
				"on VMs, AKS and Container Apps, or IDENTITY_ENDPOINT with X-IDENTITY-HEADER on App Service and Functions. " +
				"The host asks Entra ID for the token on the app's behalf; no secret is sent or stored."}},
		Fields: []string{"mi-source", "mi-endpoint", "identity-header", "resource", "mi-client-id"},
		Client: ClientManagedIdentity,
	}
	flowWorkloadIdentity = Flow{
		ID: FlowWorkloadIdentity, Title: "Workload identity federation",
		Scenario:    "CI/CD pipeline or workload outside Azure (GitHub Actions, Kubernetes, another cloud)",
		Interaction: "none: the platform's token",
		Purpose: "A workload trades a token from its own platform (GitHub Actions, Kubernetes) for an Entra token, through a federated " +
			"credential on the app. Use it instead of client credentials with a secret when the code runs outside Azure.",
		Legs: []Leg{
			{Name: LegExternalToken, Title: "Get the external token", Kind: KindHTTP, From: LaneApp, To: LaneIdP,
				Explanation: "The workload asks its platform's OpenID issuer for a token with audience api://AzureADTokenExchange " +
					"(skipped when the token comes from AZURE_FEDERATED_TOKEN_FILE, a file or stdin)."},
			{Name: LegFederatedToken, Title: "Exchange it for a token", Kind: KindHTTP, From: LaneApp, To: LaneIdP,
				Explanation: "The external token is compared with the app's federated credential (issuer, subject, audience, exactly), " +
					"then posted as client_assertion (jwt-bearer) in a client-credentials request; Entra verifies it with the issuer's keys."},
		},
		Fields: []string{"tenant", "client-id", "federated-token", "federated-token-url", "fic-issuer", "fic-subject", "scope"},
		// It sends a client assertion, but not one the app holds: no secret or certificate to configure.
		Client: ClientWorkload, AppOnly: true, DefaultScopes: graphDefault,
	}
)

// secretlessDefaults fills in what the secretless flows leave empty.
func (s Settings) secretlessDefaults(id FlowID) Settings {
	switch id {
	case FlowManagedIdentity:
		s.ManagedIdentity = s.ManagedIdentity.withDefaults(s.Scopes)
		if s.Timeout == 0 && isIMDSAddress(s.ManagedIdentity.Endpoint) {
			s.Timeout = imdsTimeout
		}
	case FlowWorkloadIdentity:
		s.Workload = s.Workload.withDefaults()
	}
	return s
}

// validateSecretless checks the settings of the secretless flows: managed identity needs no tenant or client;
// workload identity needs both, the external token and a .default scope, but no secret.
func (s Settings) validateSecretless(id FlowID) error {
	if s.Timeout < 0 {
		return &FieldError{Field: "timeout", Value: s.Timeout.String(), Problem: "is negative", Fix: "give a duration such as 30s"}
	}
	if id == FlowManagedIdentity {
		return s.ManagedIdentity.validate()
	}
	f := flowOf(id)
	for _, check := range []func() error{func() error { return s.validateProvider(f) }, s.validateClientID,
		func() error { return s.validateScopes(f) }} {
		if err := check(); err != nil {
			return err
		}
	}
	return s.Workload.validate()
}

// LegChecks are the checks made while preparing a leg, a line each, to show before it is sent (the external
// token compared with the federated credential), or nil.
func (s State) LegChecks(leg string) []string {
	if leg != LegFederatedToken || s.Federation == nil {
		return nil
	}
	head := "compared with the federated credential (only the audience is known: --fic-issuer, --fic-subject)"
	if s.Federation.Credential != "" {
		head = "compared with federated credential " + s.Federation.Credential + ":"
	}
	return append([]string{head}, s.Federation.Lines()...)
}

// LegOutcome is a one-line reading of what a completed leg learnt that the raw response does not say plainly
// (a managed identity's expires_on made readable; the federated credential comparison), or "".
func (s State) LegOutcome(leg string, now time.Time) string {
	switch {
	case leg == LegMIToken && s.ManagedIdentity != nil:
		m := s.ManagedIdentity
		if m.ExpiresOn.IsZero() {
			return fmt.Sprintf("expires_on %q: %s", m.ExpiresOnRaw, m.ExpiresOnForm)
		}
		return fmt.Sprintf("expires_on %s = %s, %s; sent as %s", m.ExpiresOnRaw, m.ExpiresOn.UTC().Format("2006-01-02 15:04:05Z"),
			inText(m.ExpiresOn.Sub(now)), m.ExpiresOnForm)
	case leg == LegFederatedToken && s.Federation != nil:
		var parts []string
		for _, f := range s.Federation.Fields {
			mark := "✓"
			if !f.Match {
				mark = "✗"
			}
			parts = append(parts, f.Field+" "+mark)
		}
		who := "the federated credential"
		if s.Federation.Credential != "" {
			who = "credential " + s.Federation.Credential
		}
		return "compared with " + who + ": " + strings.Join(parts, "  ")
	}
	return ""
}

// The lanes the secretless flows add: the Azure host's identity endpoint, and the workload platform's issuer.
const (
	LaneHost   Lane = "Azure host"
	LaneIssuer Lane = "Platform issuer"
)

var managedIdentitySequence = Sequence{Lanes: []Lane{LaneApp, LaneHost, LaneIdP}, Self: LaneApp, Hops: []Hop{
	req(LaneApp, LaneHost, "GET token for a resource (Metadata or X-IDENTITY-HEADER)", "GET token", LegMIToken),
	req(LaneHost, LaneIdP, "the host's own credential for the identity", "host credential", ""),
	resp(LaneIdP, LaneHost, "access token (cached by the host)", "token", ""),
	resp(LaneHost, LaneApp, "access_token + expires_on", "token", LegMIToken),
}}

var workloadIdentitySequence = Sequence{Lanes: []Lane{LaneIssuer, LaneApp, LaneIdP}, Self: LaneApp, Hops: []Hop{
	req(LaneApp, LaneIssuer, "token for aud api://AzureADTokenExchange", "token request", LegExternalToken),
	resp(LaneIssuer, LaneApp, "signed token: iss, sub, aud", "external token", LegExternalToken),
	req(LaneApp, LaneIdP, "POST /token: client_assertion = external token", "external token", LegFederatedToken),
	req(LaneIdP, LaneIssuer, "GET discovery + JWKS to verify it", "JWKS", ""),
	resp(LaneIssuer, LaneIdP, "signing keys", "keys", ""),
	resp(LaneIdP, LaneApp, "app-only access token", "app token", LegFederatedToken),
}}

// inText says when something happens relative to now, to the minute: "in 23h 59m", "3m ago".
func inText(d time.Duration) string {
	past := d < 0
	if past {
		d = -d
	}
	d = d.Round(time.Minute)
	text := fmt.Sprintf("%dm", int(d/time.Minute)%60)
	if d >= time.Hour {
		text = fmt.Sprintf("%dh %s", int(d/time.Hour), text)
	}
	if past {
		return text + " ago"
	}
	return "in " + text
}
