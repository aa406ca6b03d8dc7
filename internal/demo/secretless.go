package demo

import "github.com/aadx/aadx/flows"

// Secretless is what the demo tenant offers the secretless flows: the emulator's managed identity endpoints and
// its external issuers, with the workload app's federated credentials.
type Secretless struct {
	// IMDSEndpoint stands in for http://169.254.169.254/metadata/identity/oauth2/token.
	IMDSEndpoint string
	// IdentityEndpoint and IdentityHeader are App Service's IDENTITY_ENDPOINT and IDENTITY_HEADER.
	IdentityEndpoint, IdentityHeader string
	// Resource is a resource every identity can get a token for; UserAssignedClientID selects the demo UAMI.
	Resource, UserAssignedClientID string
	// GitHubTokenURL and KubernetesTokenURL mint subject tokens (GET ?audience=… → {"value": …}).
	GitHubTokenURL, KubernetesTokenURL string
	// Credentials are the workload app's federated credentials (Apps.Workload).
	Credentials []flows.FederatedCredential
}

// The demo's external issuers, for Options.ExternalIssuer.
const (
	IssuerGitHub     = "github"
	IssuerKubernetes = "kubernetes"
)

// secretlessSettings fills the managed identity or workload identity settings of s for flow f.
func (t Tenant) secretlessSettings(f flows.Flow, o Options, s flows.Settings) flows.Settings {
	switch f.Client {
	case flows.ClientManagedIdentity:
		m := flows.ManagedIdentitySettings{Source: flows.MISourceIMDS, Endpoint: t.Secretless.IMDSEndpoint, Resource: t.Secretless.Resource}
		if o.MISource == flows.MISourceAppService {
			m.Source, m.Endpoint, m.IdentityHeader = flows.MISourceAppService, t.Secretless.IdentityEndpoint, t.Secretless.IdentityHeader
		}
		// Authority and tenant are not sent; they name the demo tenant, whose keys verify the token.
		return flows.Settings{Authority: s.Authority, Tenant: s.Tenant, ManagedIdentity: m}
	case flows.ClientWorkload:
		s.Workload.TokenURL = t.Secretless.GitHubTokenURL
		if o.ExternalIssuer == IssuerKubernetes {
			s.Workload.TokenURL = t.Secretless.KubernetesTokenURL
		}
		s.Workload.Credentials = append([]flows.FederatedCredential(nil), t.Secretless.Credentials...)
	}
	return s
}
