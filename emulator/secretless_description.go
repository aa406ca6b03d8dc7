package emulator

import "net/http"

// ManagedIdentities is what a client needs to reach the emulator's managed identity endpoints (the
// "managed_identity" object of `aadx emulator --json`).
type ManagedIdentities struct {
	// IMDSEndpoint is the full token URL standing in for http://169.254.169.254/metadata/identity/oauth2/token.
	IMDSEndpoint string `json:"imds_endpoint"`
	// IdentityEndpoint and IdentityHeader are App Service's IDENTITY_ENDPOINT and IDENTITY_HEADER.
	IdentityEndpoint string `json:"identity_endpoint"`
	IdentityHeader   string `json:"identity_header"`
	// Resource is a resource every identity can get a token for.
	Resource string `json:"resource"`
	// VM is the system-assigned identity IMDS answers with; WebApp the one App Service answers with.
	VM           Identity `json:"vm_system_assigned"`
	WebApp       Identity `json:"web_app_system_assigned"`
	UserAssigned Identity `json:"user_assigned"`
}

// Identity is one managed identity and its three selectors.
type Identity struct {
	Name       string `json:"name"`
	ClientID   string `json:"client_id"`
	ObjectID   string `json:"object_id"`
	ResourceID string `json:"resource_id"`
}

// WorkloadIdentity is what a client needs for workload identity federation against the emulator (the
// "workload_identity" object of `aadx emulator --json`).
type WorkloadIdentity struct {
	ClientID             string                `json:"client_id"`
	Scope                string                `json:"scope"`
	Issuers              ExternalIssuers       `json:"issuers"`
	FederatedCredentials []FederatedCredential `json:"federated_credentials"`
}

// ExternalIssuers are the emulator's stand-ins for GitHub Actions and an AKS cluster.
type ExternalIssuers struct {
	GitHub     ExternalIssuer `json:"github"`
	Kubernetes ExternalIssuer `json:"kubernetes"`
}

// ExternalIssuer is one hosted OpenID issuer: GET TokenURL?audience=… answers {"value": "<subject token>"}.
type ExternalIssuer struct {
	Issuer   string `json:"issuer"`
	TokenURL string `json:"token_url"`
}

// FederatedCredential is a federated identity credential on the workload app, as Microsoft Graph shows it.
type FederatedCredential struct {
	Name      string   `json:"name"`
	Issuer    string   `json:"issuer"`
	Subject   string   `json:"subject"`
	Audiences []string `json:"audiences"`
}

func identityOf(mi managedIdentity) Identity {
	return Identity{Name: mi.Name, ClientID: mi.ClientID, ObjectID: mi.ObjectID, ResourceID: mi.ResourceID}
}

// describeSecretless fills the managed identity and workload identity parts of d.
func (s *Server) describeSecretless(d *Description) {
	d.ManagedIdentity = ManagedIdentities{IMDSEndpoint: s.url + imdsPath, IdentityEndpoint: s.url + appServicePath,
		IdentityHeader: s.secretless.identityHeader, Resource: "https://management.azure.com/",
		VM: identityOf(demoVM.System), WebApp: identityOf(demoWebApp.System), UserAssigned: identityOf(demoUAMI)}
	w := WorkloadIdentity{ClientID: workloadClientID, Scope: "api://" + apiClientID + "/.default"}
	for _, e := range externalIssuers {
		ei := ExternalIssuer{Issuer: s.url + e.path, TokenURL: e.endpoint(s.url, "token")}
		if e.kind == "github" {
			w.Issuers.GitHub = ei
		} else {
			w.Issuers.Kubernetes = ei
		}
	}
	for _, f := range workloadCredentials(s.url) {
		w.FederatedCredentials = append(w.FederatedCredentials, FederatedCredential{Name: f.Name, Issuer: f.Issuer,
			Subject: f.Subject, Audiences: f.Audiences})
	}
	d.WorkloadIdentity = w
}

// secretlessRoutes serves the managed identity endpoints and the external issuers.
func (s *Server) secretlessRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+imdsPath, s.handleIMDS)
	mux.HandleFunc("GET "+appServicePath+"{$}", s.handleAppService)
	mux.HandleFunc("GET /MSI/token", s.handleAppService)
	s.externalRoutes(mux)
}
