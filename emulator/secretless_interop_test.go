package emulator

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/managedidentity"
)

// imdsRedirect sends requests for the link-local IMDS address to the emulator instead: MSAL Go and azidentity
// hard-code http://169.254.169.254 and read no override (beyond-tokens §1.7), so tests reach it through the
// transport, as a VM's network would.
type imdsRedirect struct {
	to   *url.URL
	next http.RoundTripper
}

func (r imdsRedirect) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host == "169.254.169.254" {
		req = req.Clone(req.Context())
		req.URL.Scheme, req.URL.Host, req.Host = r.to.Scheme, r.to.Host, r.to.Host
	}
	return r.next.RoundTrip(req)
}

func imdsClient(t *testing.T, s *Server) *http.Client {
	t.Helper()
	u, _ := url.Parse(s.URL())
	c := s.HTTPClient()
	c.Transport = imdsRedirect{to: u, next: c.Transport}
	return c
}

// clearManagedIdentityEnv leaves only the variables a test sets, so the host's environment cannot pick the source.
func clearManagedIdentityEnv(t *testing.T) {
	for _, v := range []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT", "MSI_ENDPOINT", "MSI_SECRET"} {
		t.Setenv(v, "")
	}
}

func TestMSALGoManagedIdentity(t *testing.T) {
	s := newTestServer(t, Options{})
	mi := s.Description().ManagedIdentity
	cases := []struct {
		name    string
		appSvc  bool
		id      managedidentity.ID
		wantApp string
	}{
		{"IMDS system-assigned", false, managedidentity.SystemAssigned(), mi.VM.ClientID},
		{"IMDS client id", false, managedidentity.UserAssignedClientID(mi.UserAssigned.ClientID), mi.UserAssigned.ClientID},
		{"IMDS resource id", false, managedidentity.UserAssignedResourceID(mi.UserAssigned.ResourceID), mi.UserAssigned.ClientID},
		{"App Service system-assigned", true, managedidentity.SystemAssigned(), mi.WebApp.ClientID},
		{"App Service object id", true, managedidentity.UserAssignedObjectID(mi.UserAssigned.ObjectID), mi.UserAssigned.ClientID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clearManagedIdentityEnv(t)
			if tc.appSvc {
				t.Setenv("IDENTITY_ENDPOINT", mi.IdentityEndpoint)
				t.Setenv("IDENTITY_HEADER", mi.IdentityHeader)
			}
			client, err := managedidentity.New(tc.id, managedidentity.WithHTTPClient(imdsClient(t, s)))
			if err != nil {
				t.Fatal(err)
			}
			// MSAL Go caches managed identity tokens per process, keyed by resource: each source asks for its own.
			resource := "https://management.azure.com/"
			if tc.appSvc {
				resource = "https://storage.azure.com/"
			}
			res, err := client.AcquireToken(testContext(t), resource)
			if err != nil {
				t.Fatalf("AcquireToken: %v", err)
			}
			if c := claimsOf(t, res.AccessToken); c["appid"] != tc.wantApp || c["aud"] != resource {
				t.Errorf("claims = %v", c)
			}
			if left := time.Until(res.ExpiresOn); left < 23*time.Hour {
				t.Errorf("ExpiresOn in %v, want about 24h", left)
			}
		})
	}
}

func TestAzidentityManagedIdentityCredential(t *testing.T) {
	s := newTestServer(t, Options{})
	mi := s.Description().ManagedIdentity
	scope := "https://vault.azure.net/.default"
	cases := []struct {
		name    string
		appSvc  bool
		id      azidentity.ManagedIDKind
		wantApp string
	}{
		{"App Service system-assigned", true, nil, mi.WebApp.ClientID},
		{"App Service client id", true, azidentity.ClientID(mi.UserAssigned.ClientID), mi.UserAssigned.ClientID},
		{"App Service resource id", true, azidentity.ResourceID(mi.UserAssigned.ResourceID), mi.UserAssigned.ClientID},
		{"IMDS object id", false, azidentity.ObjectID(mi.UserAssigned.ObjectID), mi.UserAssigned.ClientID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clearManagedIdentityEnv(t)
			if tc.appSvc {
				t.Setenv("IDENTITY_ENDPOINT", mi.IdentityEndpoint)
				t.Setenv("IDENTITY_HEADER", mi.IdentityHeader)
			}
			cred, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{
				ID: tc.id, ClientOptions: azcore.ClientOptions{Transport: imdsClient(t, s)}})
			if err != nil {
				t.Fatal(err)
			}
			for range 2 { // the second call is served from the credential's cache, with the same identity
				tok, err := cred.GetToken(testContext(t), policy.TokenRequestOptions{Scopes: []string{scope}})
				if err != nil {
					t.Fatalf("GetToken: %v", err)
				}
				if c := claimsOf(t, tok.Token); c["appid"] != tc.wantApp || c["aud"] != "https://vault.azure.net" {
					t.Errorf("claims = %v", c)
				}
			}
		})
	}
	t.Run("identity not assigned", func(t *testing.T) {
		clearManagedIdentityEnv(t)
		t.Setenv("IDENTITY_ENDPOINT", mi.IdentityEndpoint)
		t.Setenv("IDENTITY_HEADER", mi.IdentityHeader)
		cred, err := azidentity.NewManagedIdentityCredential(&azidentity.ManagedIdentityCredentialOptions{
			ID: azidentity.ClientID("11111111-2222-3333-4444-555555555555"), ClientOptions: azcore.ClientOptions{Transport: s.HTTPClient()}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cred.GetToken(testContext(t), policy.TokenRequestOptions{Scopes: []string{scope}}); err == nil {
			t.Fatal("GetToken succeeded for an identity the host does not have")
		}
	})
}

func TestAzidentityWorkloadIdentityCredential(t *testing.T) {
	s := newTestServer(t, Options{TLS: true}) // azidentity insists on an https authority
	d := s.Description()
	w := d.WorkloadIdentity
	file := filepath.Join(t.TempDir(), "azure-identity-token")
	if err := os.WriteFile(file, []byte(mint(t, s, w.Issuers.Kubernetes.TokenURL, url.Values{"audience": {federatedAudience}})), 0o600); err != nil {
		t.Fatal(err)
	}
	// As Azure's webhook injects them into a pod.
	t.Setenv("AZURE_CLIENT_ID", w.ClientID)
	t.Setenv("AZURE_TENANT_ID", d.TenantID)
	t.Setenv("AZURE_FEDERATED_TOKEN_FILE", file)
	t.Setenv("AZURE_AUTHORITY_HOST", s.URL()+"/")
	cred, err := azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
		ClientOptions:            azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: s.URL() + "/"}, Transport: s.HTTPClient()},
		DisableInstanceDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cred.GetToken(testContext(t), policy.TokenRequestOptions{Scopes: []string{w.Scope}})
	if err != nil {
		t.Fatalf("GetToken: %v", err)
	}
	if c := claimsOf(t, tok.Token); c["azp"] != w.ClientID || c["aud"] != apiClientID {
		t.Errorf("claims = %v", c)
	}

	// The same credential with a token whose subject is cased differently fails with Entra's code.
	if err := s.SetScenarios([]string{"fic-subject-case"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(mint(t, s, w.Issuers.Kubernetes.TokenURL, url.Values{"audience": {federatedAudience}})), 0o600); err != nil {
		t.Fatal(err)
	}
	cred2, err := azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
		ClientOptions:            azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: s.URL() + "/"}, Transport: s.HTTPClient()},
		DisableInstanceDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cred2.GetToken(testContext(t), policy.TokenRequestOptions{Scopes: []string{w.Scope}})
	if err == nil || !strings.Contains(err.Error(), "AADSTS7002138") {
		t.Errorf("GetToken with a mis-cased subject: %v", err)
	}
}
