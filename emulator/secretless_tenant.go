package emulator

import "strings"

// The demo tenant's secretless principals: managed identities on two fictional Azure hosts, and a workload app
// that trusts the emulator's external OIDC issuers through federated identity credentials (beyond-tokens §1, §2).

const (
	demoSubscription  = "5d2c8e71-9a4b-4f3c-b6e0-2f7a1d9c8b34"
	demoResourceGroup = "aadx-demo"
	workloadClientID  = "b8e41c7d-2f95-4a63-8d1e-9c0f7b3a5e26"
	// federatedAudience is the one audience Entra accepts on a federated credential in the public cloud [WIF-FIC].
	federatedAudience = "api://AzureADTokenExchange"
)

// managedIdentity is a managed identity's service principal as IMDS and App Service name it.
type managedIdentity struct {
	Name       string // display name, e.g. "aadx-demo-uami"
	Kind       string // "system-assigned" or "user-assigned"
	ClientID   string // appid in its tokens; selector client_id
	ObjectID   string // service principal object id: oid and sub in its tokens; selector object_id / principal_id
	ResourceID string // ARM id: xms_mirid; selector msi_res_id / mi_res_id
}

// azureHost is an Azure resource with managed identities: the VM behind IMDS or the web app behind App Service.
type azureHost struct {
	Name         string
	System       managedIdentity
	UserAssigned []managedIdentity
}

func armID(provider, name string) string {
	return "/subscriptions/" + demoSubscription + "/resourcegroups/" + demoResourceGroup + "/providers/" + provider + "/" + name
}

// demoUAMI is attached to both hosts, as one user-assigned identity usually serves several resources.
var demoUAMI = managedIdentity{Name: "aadx-demo-uami", Kind: "user-assigned",
	ClientID: "0f3a7c92-6e1d-4b58-a4c7-3d9e2b8f1a05", ObjectID: "71c4e9a2-3b8d-4f06-9e5a-c2d7f1b4a893",
	ResourceID: armID("Microsoft.ManagedIdentity/userAssignedIdentities", "aadx-demo-uami")}

// demoVM answers the IMDS endpoint; demoWebApp the App Service endpoint.
var (
	demoVM = azureHost{Name: "aadx-demo-vm",
		System: managedIdentity{Name: "aadx-demo-vm", Kind: "system-assigned",
			ClientID: "a4d9e1f6-2c7b-4e83-9f50-6b1c8d3e7a29", ObjectID: "c6f2b8d4-9e1a-4c75-b3d0-8a4e7f2c1b96",
			ResourceID: armID("Microsoft.Compute/virtualMachines", "aadx-demo-vm")},
		UserAssigned: []managedIdentity{demoUAMI}}
	demoWebApp = azureHost{Name: "aadx-demo-web",
		System: managedIdentity{Name: "aadx-demo-web", Kind: "system-assigned",
			ClientID: "e7b3c5a1-8d2f-4a96-b1e4-5f9c3a7d2e08", ObjectID: "2b8e6d1f-4a9c-4e37-8c52-d1f7a3b9e604",
			ResourceID: armID("Microsoft.Web/sites", "aadx-demo-web")},
		UserAssigned: []managedIdentity{demoUAMI}}
)

// identityFor picks the identity a request selects: none given is the system-assigned one; otherwise the
// attached user-assigned identity whose client id, object id or resource id matches (GUIDs and ARM ids compare
// case-insensitively, as Azure does).
func (h azureHost) identityFor(clientID, objectID, resourceID string) (managedIdentity, bool) {
	if clientID == "" && objectID == "" && resourceID == "" {
		return h.System, true
	}
	for _, mi := range append([]managedIdentity{h.System}, h.UserAssigned...) {
		if (clientID != "" && strings.EqualFold(clientID, mi.ClientID)) ||
			(objectID != "" && strings.EqualFold(objectID, mi.ObjectID)) ||
			(resourceID != "" && strings.EqualFold(strings.TrimSuffix(resourceID, "/"), mi.ResourceID)) {
			// The system-assigned identity is not selectable by id on IMDS or App Service: it is the default.
			if mi.Kind == "system-assigned" {
				continue
			}
			return mi, true
		}
	}
	return managedIdentity{}, false
}

// federatedCredential is a federated identity credential on an app registration [WIF-FIC].
type federatedCredential struct {
	Name, Issuer, Subject, Description string
	Audiences                          []string
}

// The workload app's credentials trust the emulator's own issuers: the paths below are appended to the
// emulator's URL. GitHub's issuer has no trailing slash; AKS issuers end in one [AZWI-TSG], kept here.
const (
	githubIssuerPath = "/issuers/github"
	k8sIssuerPath    = "/issuers/aks/3f7d1e92-0c4b-4a8e-b6d5-9e2a7c1f4b80/"
	githubRepo       = "octo-org/octo-repo"
	githubSubject    = "repo:" + githubRepo + ":environment:production"
	k8sNamespace     = "payments"
	k8sAccount       = "worker"
	k8sSubject       = "system:serviceaccount:" + k8sNamespace + ":" + k8sAccount
)

// workloadCredentials are the workload app's federated credentials, with the issuers resolved against base.
func workloadCredentials(base string) []federatedCredential {
	return []federatedCredential{
		{Name: "github-production", Issuer: base + githubIssuerPath, Subject: githubSubject,
			Audiences: []string{federatedAudience}, Description: "GitHub Actions jobs in the production environment of " + githubRepo},
		{Name: "aks-payments-worker", Issuer: base + k8sIssuerPath, Subject: k8sSubject,
			Audiences: []string{federatedAudience}, Description: "the worker service account in the payments namespace"},
	}
}

// workloadApp is the app registration with federated credentials and no secret or certificate.
func workloadApp() *app {
	return &app{ClientID: workloadClientID, Name: "aadx demo workload",
		Permissions: []permission{
			{Resource: apiClientID, Roles: []string{"Tasks.Read.All"}},
			{Resource: graphAppID, Roles: []string{"User.Read.All"}},
		}}
}
